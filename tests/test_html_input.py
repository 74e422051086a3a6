"""Published web pages (.html): the corpus document as a page gives the findings of its text
form; merged cells, encodings, site chrome and PDF-converted pages are read as a reader sees them."""
from html import escape

import pytest

from conftest import CORPUS_DOC, SHARED
from test_office_inputs import blocks_in_order, signature
from budgetlint.engine import analyse, lint_path, run_rules
from budgetlint.reader import load, read_text

REAL = SHARED / "corpus" / "real"

CHROME = """<head><title>站点</title><script>var x = "1,000.00万元";</script><style>p {color: red}</style></head>
<body><div class="top"><a href="/">首页</a> <a href="/a">政务公开</a> <a href="/b">财政预算</a></div>
<nav><a href="/c">部门预算</a></nav>"""
FOOTER = """<footer>版权所有 某市人民政府 主办单位：某市人民政府办公室</footer>
<div class="links"><a href="/x">国务院</a><a href="/y">省政府</a><a href="/z">市政府</a></div></body>"""


def page(body: str, head: str = '<meta charset="utf-8">') -> str:
    return f"<!DOCTYPE html><html><head>{head}</head>{CHROME}<div class='article'>{body}</div>{FOOTER}</html>"


def read(tmp_path, html: str | bytes, name: str = "page.html"):
    path = tmp_path / name
    path.write_bytes(html if isinstance(html, bytes) else html.encode("utf-8"))
    text, _, locations = load(path)
    return text.split("\n")[:-1], locations


@pytest.fixture(scope="module")
def corpus_page(tmp_path_factory):
    parts = []
    for kind, payload in blocks_in_order(read_text(CORPUS_DOC.read_text("utf-8"))):
        if kind == "table":
            rows = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in payload)
            parts.append(f"<table border='1'>{rows}</table>")
        elif kind == "heading":
            level, text = payload
            parts.append(f"<h{min(level, 6)}>{escape(text)}</h{min(level, 6)}>")
        else:
            parts.append(f"<p>{escape(payload[1])}</p>")
    path = tmp_path_factory.mktemp("html") / "corpus.html"
    path.write_text(page("\n".join(parts)), "utf-8")
    return path


def test_a_web_page_gives_the_findings_of_the_text(corpus_page):
    assert signature(lint_path(corpus_page)) == signature(run_rules(analyse(CORPUS_DOC.read_text("utf-8"))))


def test_web_page_findings_name_paragraph_and_cell(corpus_page):
    findings = lint_path(corpus_page)
    text = load(corpus_page)[0].split("\n")
    growth = next(f for f in findings if f.rule == "BL203")
    assert growth.location.startswith("第") and growth.location.endswith("段")
    assert "下降 29%" in text[growth.line - 1]
    cell = next(f for f in findings if f.rule == "BL405" and f.actual == "一般公共预算支出")
    assert cell.location.startswith("表格") and cell.location.endswith("第4列")


def test_site_chrome_is_left_out_and_the_title_kept(tmp_path):
    """The article holds nearly all of the page's own text; its title stands just before it."""
    paragraphs = [f"{name}{amount} 万元，比上年预算增加 1.00 万元，主要原因是人员调整。"
                  for name, amount in (("基本支出", "394.08"), ("项目支出", "10.00"), ("人员经费", "300.00"))]
    article = "".join(f"<p>{p}</p>" for p in paragraphs) + "<p>附件：<a href='/f.xlsx'>预算表</a></p>"
    html = page(article).replace("<div class='article'>",
                                 "<div><h2>某局2026年部门预算</h2><p>来源：某局</p></div><div class='article'>")
    lines, _ = read(tmp_path, html)
    assert lines == ["## 某局2026年部门预算", *paragraphs, "附件：预算表"]


def test_line_breaks_and_hidden_text_split_and_drop(tmp_path):
    lines, _ = read(tmp_path, page("<p>一、收入<br>收入 5.00 万元。<span style='display: none'>隐藏 9.00 万元</span>"
                                   "<br>二、支出</p>"))
    assert lines == ["## 一、收入", "收入 5.00 万元。", "## 二、支出"]


def test_merged_cells_are_given_once_in_their_grid_columns(tmp_path):
    table = """<table><thead><tr><th rowspan="2">项目</th><th colspan="2">预算数</th></tr>
    <tr><th>基本支出</th><th>项目支出</th></tr></thead>
    <tbody><tr><td>合计</td><td>3.00</td><td>1.00</td></tr>
    <tr><td rowspan="2">其中</td><td>1.00</td><td rowspan="2">0.50</td></tr>
    <tr><td>2.00</td></tr></tbody></table>"""
    lines, locations = read(tmp_path, page("<p>表1 收支表</p>" + table))
    assert lines[1:] == ["项目\t预算数\t", "\t基本支出\t项目支出", "合计\t3.00\t1.00", "其中\t1.00\t0.50", "\t2.00\t"]
    from budgetlint.document import Span

    assert locations.describe(Span(6, 2, 6, 6), lines) == "表格1 第5行 第2列"


@pytest.mark.parametrize("declared, data", [
    ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "GBK"),
    ('<meta charset="GBK">', "GBK"),
    ("", "BOM"),
])
def test_the_declared_encoding_or_bom_is_honoured(tmp_path, declared, data):
    html = page("<p>基本支出 394.08 万元。</p>", declared)
    raw = html.encode("gbk") if data == "GBK" else b"\xef\xbb\xbf" + html.encode("utf-8")
    lines, _ = read(tmp_path, raw)
    assert lines == ["基本支出 394.08 万元。"]


def test_a_page_without_text_is_an_input_error(tmp_path):
    from budgetlint.errors import InputError

    with pytest.raises(InputError, match="no text"):
        read(tmp_path, "<html><body><script>1</script></body></html>")


def _laid_out_page() -> str:
    """A PDF converted to HTML: text placed by position, table rules as thin bordered boxes."""
    def text(top, left, words, size=8):
        return f'<div class="p" style="top:{top}pt;left:{left}pt;font-size:{size}pt;position:absolute;">{words}</div>'

    def rule(left, top, width, height):
        side = "border-bottom" if height == 0 else "border-right"
        return (f'<div class="r" style="position:absolute;left:{left}pt;top:{top}pt;width:{width}pt;'
                f'height:{height}pt;{side}:0.5pt solid #000000;"> </div>')

    rules = [rule(10, y, 300, 0) for y in (100, 120, 140, 160)] + [rule(x, 100, 0, 60) for x in (10, 110, 210, 310)]
    cells = [text(105, 15, "项目"), text(105, 115, "合计"), text(105, 215, "基本支出"),
             text(125, 15, "收入总计"), text(125, 115, "3.00"), text(125, 215, "1.00"),
             text(145, 15, "支出"), text(145, 60, "总计"), text(145, 115, "3.00"), text(145, 215, "2.00")]
    paragraph = [text(40, 60, "一、收支情况", 14),
                 text(60, 30, "2026年收入总计3.00万元，支出总计3.00万元，其中基本支出1.00万元，", 14),
                 text(80, 30, "项目支出2.00万元。", 14)]
    body = "".join(paragraph + rules + cells)
    return f'<div class="page" style="width:480pt;height:595pt;position:relative;">{body}</div>'


def test_a_pdf_converted_to_html_is_read_by_position(tmp_path):
    lines, locations = read(tmp_path, page(_laid_out_page() * 2))
    assert lines[:5] == ["## 一、收支情况", "2026年收入总计3.00万元，支出总计3.00万元，其中基本支出1.00万元，项目支出2.00万元。",
                         "项目\t合计\t基本支出", "收入总计\t3.00\t1.00", "支出总计\t3.00\t2.00"]
    assert locations.lines[4][0][1] == "第1页 表格第2行" and locations.lines[6][0][1] == "第2页 第1行"


@pytest.mark.skipif(not REAL.is_dir(), reason="the shared corpus of published documents is not beside the clone")
@pytest.mark.parametrize("name, expected", [
    ("yunnan-kunming-audit-bureau-2026-dept-budget-consolidated.html",
     "2026年单位财务总收入154,991,108.01元，其中：一般公共预算121,884,997.75元，"),
    ("chongqing-transport-commission-2018-dept-budget-explanation.jsp.html",
     "2018年“三公”经费预算2800.68万元,比2017年减少295.18万元。"),
    ("shandong-yantai-veterans-affairs-bureau-2026-dept-budget.html", "收入总计\t35,874.49\t支出总计\t35,874.49"),
    ("yunnan-kunming-gov-office-organ-2026-budget.html", "## 一、基本职能及主要工作"),
])
def test_the_published_web_pages_are_read(name, expected):
    text, _, _ = load(REAL / name)
    assert any(line.startswith(expected) for line in text.split("\n")), expected
    assert not any(chrome in text for chrome in ("当前位置", "字号", "版权所有", "分享到", "网站标识码"))


@pytest.mark.skipif(not REAL.is_dir(), reason="the shared corpus of published documents is not beside the clone")
def test_a_converted_page_of_tables_keeps_its_title_apart_from_the_unit_line():
    """A page of tables has too few long lines to find its right margin by them: its width
    tells, so the centred title is not taken for a wrapped line."""
    text, _, _ = load(REAL / "shandong-yantai-veterans-affairs-bureau-2026-dept-budget.html")
    lines = text.split("\n")
    assert "公开表2收入总体情况表" in lines and "部门（单位）：烟台市退役军人事务局" in lines
