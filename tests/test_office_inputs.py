"""The corpus document as a Word draft and as a PDF gives the findings of its text form.

Both files are made here from the corpus text: a .docx with python-docx (headings, paragraphs,
tables) and a PDF with reportlab (its built-in CID font STSong-Light, tables with grid lines).
"""
from collections import Counter

import pytest

from conftest import CORPUS_DOC
from budgetlint.engine import analyse, lint_path, run_rules
from budgetlint.reader import read_text


def blocks_in_order(document):
    """(kind, payload) in order: tables as lists of rows, other blocks as (kind, level, text)."""
    rows = []
    for block in document.blocks:
        if block.kind == "row":
            rows.append([cell.text for cell in block.cells])
            continue
        if rows:
            yield "table", rows
            rows = []
        yield block.kind, (block.level, block.text)
    if rows:
        yield "table", rows


@pytest.fixture(scope="module")
def corpus_blocks():
    return list(blocks_in_order(read_text(CORPUS_DOC.read_text("utf-8"))))


@pytest.fixture(scope="module")
def docx_path(tmp_path_factory, corpus_blocks):
    import docx

    document = docx.Document()
    for kind, payload in corpus_blocks:
        if kind == "table":
            width = max(len(row) for row in payload)
            table = document.add_table(rows=len(payload), cols=width)
            for row, cells in zip(table.rows, payload):
                for cell, text in zip(row.cells, cells):
                    cell.text = text
        elif kind == "heading":
            level, text = payload
            document.add_heading(text, level=min(level, 9) if level < 9 else 3)
        else:
            document.add_paragraph(payload[1])
    path = tmp_path_factory.mktemp("docx") / "corpus.docx"
    document.save(str(path))
    return path


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory, corpus_blocks):
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
    from xml.sax.saxutils import escape

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=9, leading=13, wordWrap="CJK")
    heading = ParagraphStyle("heading", parent=body, fontSize=11, leading=16, spaceBefore=4)
    cell = ParagraphStyle("cell", parent=body, fontSize=6, leading=8)
    story = []
    for kind, payload in corpus_blocks:
        if kind == "table":
            width = max(len(row) for row in payload)
            data = [[Paragraph(escape(text), cell) for text in row] + [""] * (width - len(row)) for row in payload]
            table = Table(data, colWidths=[760 / width] * width, repeatRows=0)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))
            story.append(table)
        else:
            story.append(Paragraph(escape(payload[1]), heading if kind == "heading" else body))
    path = tmp_path_factory.mktemp("pdf") / "corpus.pdf"
    SimpleDocTemplate(str(path), pagesize=landscape(A4), leftMargin=30, rightMargin=30).build(story)
    return path


def signature(findings):
    return Counter((f.rule, f.concept, f.expected, f.actual) for f in findings)


@pytest.fixture(scope="module")
def text_findings():
    return signature(run_rules(analyse(CORPUS_DOC.read_text("utf-8"))))


def test_word_draft_gives_the_same_findings(docx_path, text_findings):
    findings = lint_path(docx_path)
    assert signature(findings) == text_findings


def test_word_positions_are_blocks_with_a_location(docx_path):
    findings = lint_path(docx_path)
    growth = next(f for f in findings if f.rule == "BL203")
    assert growth.location.startswith("第") and growth.location.endswith("段")
    paragraph = int(growth.location[1:-1])
    from budgetlint.reader import load

    text, _, _ = load(docx_path)
    line = text.split("\n")[growth.line - 1]
    assert "下降 29%" in line and paragraph <= growth.line
    cell = next(f for f in findings if f.rule == "BL405" and f.actual == "一般公共预算支出")
    assert cell.location.startswith("表格") and cell.location.endswith("第4列")


def test_pdf_gives_the_same_findings(pdf_path, text_findings):
    assert signature(lint_path(pdf_path)) == text_findings


def test_pdf_positions_name_page_and_line(pdf_path):
    import pdfplumber

    findings = lint_path(pdf_path)
    growth = next(f for f in findings if f.rule == "BL203")
    page_number, line_number = (int(x) for x in growth.location.replace("第", "").replace("页", " ").replace("行", "").split())
    with pdfplumber.open(str(pdf_path)) as pdf:
        lines = pdf.pages[page_number - 1].extract_text_lines()
    assert "29%" in lines[line_number - 1]["text"]


def test_merged_word_cells_are_read_once_in_their_grid_columns(tmp_path):
    """Across (w:gridSpan), down (w:vMerge), a row starting late (w:gridBefore), and a merge
    that continues in the first row, which python-docx refuses (Word repairs such files)."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    from budgetlint.reader import load

    document = docx.Document()
    table = document.add_table(rows=4, cols=3)
    for row, texts in zip(table.rows, [["项目", "合计", "基本支出"], ["一、本年收入", "5.00", "5.00"],
                                       ["", "1.00", "1.00"], ["其中", "2.00", "2.00"]]):
        for cell, text in zip(row.cells, texts):
            cell.text = text
    table.cell(0, 1).merge(table.cell(0, 2))  # across
    table.cell(1, 0).merge(table.cell(2, 0))  # down
    first_row, last_row = table.rows[0]._tr, table.rows[3]._tr
    first_row.tc_lst[0].get_or_add_tcPr().append(parse_xml(f"<w:vMerge {nsdecls('w')}/>"))
    last_row.remove(last_row.tc_lst[0])
    last_row.get_or_add_trPr().append(parse_xml(f'<w:gridBefore {nsdecls("w")} w:val="1"/>'))
    path = tmp_path / "merged.docx"
    document.save(str(path))
    text, _, _ = load(path)
    assert text.split("\n")[:4] == ["\t合计 基本支出\t", "一、本年收入\t5.00\t5.00", "\t1.00\t1.00", "\t2.00\t2.00"]


def test_a_word_file_whose_main_part_is_not_a_document_is_damaged(tmp_path):
    """Found by fuzzing .docx files: a cut document.xml can parse as some other element."""
    import io
    import zipfile

    import docx

    from budgetlint.errors import InputError
    from budgetlint.reader import load

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    original = zipfile.ZipFile(buffer)
    path = tmp_path / "cut.docx"
    with zipfile.ZipFile(path, "w") as damaged:
        for name in original.namelist():
            damaged.writestr(name, original.read(name) if name != "word/document.xml" else
                             '<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')
    with pytest.raises(InputError) as error:
        load(path)
    assert error.value.zh == "无法读取 Word 文件：文件已损坏或不是 .docx 格式（.doc 文件请先另存为 .docx）"
