"""Outlines printed without codes: by indentation, by unit rows, by the name column a line stands in.

Each shape is a small table; a line's place in the outline is read from the layout only where
the figures add up so (a parent whose parts do not add up is not guessed).
"""
import pytest

from budgetlint.engine import analyse, lint_text
from budgetlint.reader import load

INDENTED = """
## 部门支出总体情况表
单位：万元
科目名称	合计	基本支出	项目支出
合计	30.00	20.00	10.00
一般公共服务支出	12.00	10.00	2.00
　财政事务	12.00	10.00	2.00
　　行政运行	10.00	10.00
　　信息化建设	2.00		2.00
公共安全支出	18.00	10.00	8.00
　司法	18.00	10.00	8.00
　　行政运行	10.00	10.00
　　普法宣传	8.00		8.00
"""

UNITS = """
## 部门收入总体情况表
单位：万元
单位名称	总计	一般公共预算
合计	30.00	30.00
某某局	30.00	30.00
　某某局	12.00	12.00
　某某中心	18.00	18.00
"""

UNIT_CLASSES = """
## 部门预算基本支出预算表
单位：万元
支出项目类别（资金使用单位）	总计	一般公共预算
合计	30.00	30.00
某某局（本级）	30.00	30.00
　　工资福利支出	20.00	20.00
　　商品和服务支出	10.00	10.00
"""

NAME_COLUMNS = """
## 项目支出表
单位：万元
类型	一级项目	二级项目	合计	一般公共预算
部门特定目标类项目			30.00	30.00
	综合管理		30.00	30.00
		专项经费	12.00	12.00
		运行经费	18.00	18.00
"""

CODED_UNITS = """
## 部门综合预算专项业务经费支出表
单位：万元
单位编码	单位（项目）名称	项目金额
	合计	30.00
125	某某局	30.00
125001	　某某局	18.00
	　　业务经费	12.00
	　　设备购置	6.00
125002	　某某中心	12.00
	　　考核经费	12.00
"""


def tables(text):
    return analyse(text).tables


def outline(table):
    """Each line's name with the names of its parents, top first."""
    lines = []
    for item in table.items():
        path, node = [], item
        while node is not None:
            path.insert(0, node.key)
            node = node.parent
        lines.append(" > ".join(path))
    return lines


def test_indented_names_are_the_outline():
    table = tables(INDENTED)[0]
    assert table.trusted
    assert "公共安全支出 > 司法 > 普法宣传" in outline(table)
    assert "一般公共服务支出 > 财政事务 > 行政运行" in outline(table)
    assert not [f for f in lint_text(INDENTED) if f.rule in ("BL002", "BL101")]


def test_an_of_which_line_is_not_counted_among_the_parts_of_an_indented_parent():
    text = INDENTED.replace("　　行政运行	10.00	10.00\n", "　　行政运行	10.00	10.00\n　　　其中：信息化	4.00	4.00\n", 1)
    table = tables(text)[0]
    assert table.trusted
    assert "一般公共服务支出 > 财政事务 > 行政运行 > 信息化" in outline(table)
    assert "一般公共服务支出 > 财政事务 > 信息化建设" in outline(table)


def test_an_indented_parent_whose_parts_do_not_add_up_is_not_guessed():
    text = INDENTED.replace("　　普法宣传	8.00		8.00", "　　普法宣传	7.00		7.00")
    table = tables(text)[0]
    assert all(item.parent is None for item in table.items())
    assert not table.trusted
    assert [f.rule for f in lint_text(text) if f.rule.startswith("BL1") or f.rule == "BL002"] == ["BL002"]


def test_lines_a_total_already_adds_up_are_not_nested_by_a_chance_indent():
    text = """
## 部门支出总体情况表
单位：万元
科目名称	合计
合计	30.00
一般公共服务支出	10.00
　公共安全支出	10.00
教育支出	10.00
"""
    table = tables(text)[0]
    assert all(item.parent is None for item in table.items())
    assert not [f for f in lint_text(text) if f.rule in ("BL002", "BL101")]


def test_a_unit_row_is_a_level_between_the_total_and_its_units():
    table = tables(UNITS)[0]
    assert table.trusted
    assert outline(table)[1:] == ["某某局", "某某局 > 某某局", "某某局 > 某某中心"]


def test_lines_under_a_unit_row_are_that_units_share():
    table = tables(UNIT_CLASSES)[0]
    assert table.trusted
    wages = next(item for item in table.items() if item.key == "工资福利支出")
    assert wages.parent.key == "某某局（本级）" and wages.shared


def test_the_name_column_a_line_stands_in_is_its_level():
    table = tables(NAME_COLUMNS)[0]
    assert table.trusted
    assert outline(table)[2:] == ["部门特定目标类项目 > 综合管理 > 专项经费", "部门特定目标类项目 > 综合管理 > 运行经费"]


def test_lines_without_a_code_go_under_the_coded_unit_above_them_by_indentation():
    table = tables(CODED_UNITS)[0]
    assert table.trusted
    assert "某某局 > 某某局 > 设备购置" in outline(table)
    assert "某某局 > 某某中心 > 考核经费" in outline(table)


@pytest.fixture(scope="module")
def indented_pdf(tmp_path_factory):
    """A table whose levels are set off by the cell's left padding only (no space characters)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=10, leading=14)
    rows = [line.split("\t") for line in INDENTED.strip().splitlines()[2:]]
    data = []
    for row in rows:
        name = row[0].lstrip("\u3000")
        style = ParagraphStyle("level", parent=body, leftIndent=10 * (len(row[0]) - len(name)))
        data.append([Paragraph(name, style)] + [Paragraph(cell, body) for cell in row[1:]]
                    + [""] * (4 - len(row)))
    table = Table(data, colWidths=[160, 80, 80, 80])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))
    path = tmp_path_factory.mktemp("pdf") / "indented.pdf"
    SimpleDocTemplate(str(path)).build([Paragraph("部门支出总体情况表", body), Paragraph("单位：万元", body), table])
    return path


def test_a_pdf_cell_keeps_how_far_its_text_is_indented(indented_pdf):
    text, _, locations = load(indented_pdf)
    table = analyse(text, locations=locations).tables[0]
    indents = {item.key: item.label.indent for item in table.items()}
    assert indents["普法宣传"] - indents["司法"] == pytest.approx(1, abs=0.2)
    assert indents["司法"] - indents["公共安全支出"] == pytest.approx(1, abs=0.2)
    assert table.trusted
    assert "公共安全支出 > 司法 > 普法宣传" in outline(table)
