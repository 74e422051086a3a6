"""Reading: encodings, line endings, blocks, page breaks, markup, positions, suppressions."""
import codecs

import pytest

from budgetlint.errors import InputError
from budgetlint.reader import decode, read_text

SAMPLE = "# 标题\n\n基本支出 394.08 万元，占 73.70%。\n\n项目\t<b>534.68</b>\n"


@pytest.mark.parametrize("data, encoding", [
    (SAMPLE.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
    (SAMPLE.encode("gb18030"), "gb18030"),
    (SAMPLE.encode("gbk"), "gb18030"),
    (SAMPLE.encode("utf-16"), "utf-16"),
    (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16"),
    (SAMPLE.encode("utf-16-le"), "utf-16-le"),
])
def test_every_supported_encoding_decodes_to_the_same_text(data, encoding):
    text, detected = decode(data, "x.md")
    assert text == SAMPLE
    assert detected == encoding


@pytest.mark.parametrize("data, message", [
    (b"", "empty"), (b"  \n\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a text file"),
    (b"\xff\xfe\xfa", "cannot decode"), (b"\x81\x30\xff\xff" * 4, "cannot decode"),
])
def test_bad_input_raises_one_clear_input_error(data, message):
    with pytest.raises(InputError) as caught:
        decode(data, "bad.md")
    assert message in caught.value.message("en")
    assert caught.value.message("en").startswith("bad.md: ")


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_positions_are_those_of_the_file_as_given(newline):
    lf = read_text(SAMPLE)
    other = read_text(SAMPLE.replace("\n", newline))
    assert [b.span for b in lf.blocks] == [b.span for b in other.blocks]
    assert [b.text for b in lf.blocks] == [b.text for b in other.blocks]


def test_only_cr_and_lf_break_lines():
    """A line separator (U+2028) or form feed inside a line is text, as editors count lines."""
    document = read_text("基本支出\u2028394.08 万元\f。\n第二行")
    assert len(document.lines) == 2


def test_blocks_kinds_and_html_stripped_cells_keep_their_columns():
    document = read_text(SAMPLE)
    kinds = [block.kind for block in document.blocks]
    assert kinds == ["heading", "paragraph", "row"]
    cell = document.blocks[2].cells[1]
    assert cell.text == "534.68"
    # '<b>' is three characters after the tab (column 3): the figure starts at column 7.
    assert (cell.span().line, cell.span().column, cell.span().end_column) == (5, 7, 13)


def test_a_paragraph_cut_by_a_page_break_is_one_block(corpus_doc):
    paragraphs = [b for b in corpus_doc.blocks if b.text.startswith("4.一般公共服务支出（类）信访事务")]
    assert len(paragraphs) == 1
    block = paragraphs[0]
    assert "5.00 万元，增长 100.00%" in block.text
    assert (block.span.line, block.span.end_line) == (428, 430)
    start = block.text.index("增长 100.00%")
    assert block.content.span(start, start + 2).line == 430
    assert block.content.span(start, start + 2).column == 1


def test_label_lines_are_not_glued_to_the_next_paragraph(corpus_doc):
    texts = [b.text for b in corpus_doc.blocks]
    assert "编制单位：乌鲁木齐县人民政府办公室" in texts
    assert "单位：万元" in texts
    assert "项目名称：政务服务外网及运营维护经费" in texts


def test_sentences_know_their_section(corpus_doc):
    sentence = next(s for s in corpus_doc.sentences if s.text.startswith("基本支出 394.08 万元，占 73.70%"))
    assert [text for rank, text in sentence.section if rank == 2] == [
        "三、关于乌鲁木齐县人民政府办公室 2024 年支出预算情况说明"]


def test_inline_suppressions_for_the_line_and_the_next_line():
    text = "a <!-- budgetlint: disable=BL101,BL203 -->\n<!-- budgetlint: disable-next-line=BL2 -->\nb\n"
    document = read_text(text)
    assert document.suppressions == {1: {"BL101", "BL203"}, 3: {"BL2"}}


PIPE_TABLE = """表 3
## 单位支出总体情况表
单位：万元

| 类 | 款 | 名称 | 合计 |
|---|:--|---|--:|
| 201 | | 一般公共服务支出 | {total} |
| 201 | 03 | 政府办公厅（室）及相关机构事务 | 380.00 |
| 201 | 40 | 信访事务 | 5.00 |
"""


def test_markdown_pipe_tables_are_tables_with_cells_where_they_stand():
    document = read_text(PIPE_TABLE.format(total="385.00"))
    rows = [block for block in document.blocks if block.kind == "row"]
    assert [[cell.text for cell in row.cells] for row in rows][2] == ["201", "", "一般公共服务支出", "385.00"]
    cell = rows[2].cells[3]
    span = cell.span()
    assert document.lines[span.line - 1][span.column - 1:span.end_column - 1] == "385.00"


def test_a_pipe_table_with_a_wrong_total_is_found():
    from budgetlint.engine import lint_text

    wrong = [f for f in lint_text(PIPE_TABLE.format(total="393.25")) if f.rule == "BL101"]
    assert [(f.line, f.actual) for f in wrong] == [(7, "393.25")]
    assert not [f for f in lint_text(PIPE_TABLE.format(total="385.00")) if f.rule == "BL101"]


def test_pipes_in_a_paragraph_or_without_a_rule_line_are_text():
    document = read_text("甲 | 乙\n丙 | 丁\n\n| a | b |\n| c | d |\n")
    assert [block.kind for block in document.blocks] == ["paragraph", "paragraph", "paragraph", "paragraph"]
