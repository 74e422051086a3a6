"""Tables: titles, kinds, units, codes, merged page breaks, empty tables, DataFrames."""
from decimal import Decimal

import pytest

from budgetlint.reader import read_text
from budgetlint.tables import extract_tables, kind_of


def by_number(doc, number):
    return next(t for t in doc.tables if t.number == number)


def test_corpus_tables_are_found_with_number_title_kind_and_unit(corpus_doc):
    found = [(t.number, t.kind, t.unit) for t in corpus_doc.tables if t.number]
    assert found == [
        ("表1", "summary", "万元"), ("表3", "expenditure", "万元"), ("表4", "fiscal_summary", "万元"),
        ("表5", "general_budget", "万元"), ("表6", "basic_expenditure", "万元"),
        ("表8", "gov_fund", "万元"), ("表9", "soe_capital", "万元"), ("表10", "three_public", "万元"),
        ("表11", "carryover", "万元")]
    assert by_number(corpus_doc, "表6").title == "一般公共预算基本支出情况表"


def test_basic_expenditure_table_is_merged_across_the_page_break(corpus_doc):
    table = by_number(corpus_doc, "表6")
    codes = [item.code for item in table.items() if item.code]
    assert len(table.rows) == 23
    assert codes[-4:] == ["30299", "303", "30302", "30305"]
    assert "30217" in codes
    assert (table.line, table.end_line) == (258, 289)


def test_codes_join_their_split_columns_and_nest(corpus_doc):
    table = by_number(corpus_doc, "表3")
    items = {item.code: item for item in table.items() if item.code}
    assert set(items) >= {"201", "20103", "2010301", "2010350", "2010399", "2080505"}
    assert items["2010301"].parent is items["20103"]
    assert items["20103"].parent is items["201"]
    basic = by_number(corpus_doc, "表6")
    assert {i.code for i in basic.items() if i.code and i.code.startswith("301")} >= {"301", "30101", "30199"}


def test_cells_keep_exact_decimals_precision_and_position(corpus_doc):
    table = by_number(corpus_doc, "表3")
    row = next(item for item in table.items() if item.code == "2010301")
    cell = next(iter(row.values.values()))
    assert cell.number.value == Decimal("220.09") and cell.number.places == 2
    # "201\t03\t01\t行政运行\t220.09": the figure starts after four cells and four tabs.
    assert (cell.span.line, cell.span.column, cell.span.end_column) == (166, 16, 22)


def test_empty_tables_keep_their_note(corpus_doc):
    table = by_number(corpus_doc, "表8")
    assert table.empty
    assert table.note.startswith("备注：没有使用政府性基金预算安排的支出")


def test_frame_is_a_pandas_dataframe_with_decimals(corpus_doc):
    frame = by_number(corpus_doc, "表6").frame
    assert list(frame.columns)[:4] == ["类", "款", "经济分类科目名称", "总计"]
    assert frame.loc[0, "总计"] == Decimal("394.08")
    assert frame.attrs["kind"] == "basic_expenditure"
    assert len(frame) == 23


def test_outline_by_numbering_nests_the_income_side(corpus_doc):
    income = by_number(corpus_doc, "表1").segments[0]
    names = {}
    for item in income.items:
        names.setdefault(item.key, item)
    assert names["一般财力"].parent is names["一般公共预算拨款"]
    assert names["上级一般公共预算安排转移支付"].parent is names["一般公共预算拨款"]
    assert names["一般公共预算拨款"].parent is names["本年收入"]
    assert [t.key for t in income.totals] == ["收入总计"]


def test_each_total_adds_up_the_top_lines_above_it_and_a_subtotal_those_since_the_last_total():
    text = ("## 单位收入总体情况表\n单位：万元\n项目\t合计\n收入总计\t6.00\n一、财政拨款\t1.00\n"
            "1.一般公共预算\t1.00\n二、单位资金\t2.00\n本年收入合计\t3.00\n三、上年结转\t3.00\n"
            "当年收入小计\t3.00\n收入总计\t6.00\n")
    [segment] = extract_tables(read_text(text))[0].segments
    assert [(total.key, [part.key for part in parts]) for total, parts in segment.total_parts()] == [
        ("收入总计", ["财政拨款", "单位资金", "上年结转"]),  # printed first: all the top lines
        ("本年收入合计", ["财政拨款", "单位资金"]),
        ("当年收入小计", ["上年结转"]),
        ("收入总计", ["财政拨款", "单位资金", "上年结转"]),
    ]


@pytest.mark.parametrize("title, kind", [
    ("2025年部门财务收支预算总表", "summary"), ("收支预算总表", "summary"),
    ("部门收入预算表", "income"), ("部门支出预算表", "expenditure"),
    ("财政拨款收支预算总表", "fiscal_summary"), ("一般公共预算支出预算表", "general_budget"),
    ("一般公共预算基本支出预算表", "basic_expenditure"), ("财政拨款“三公”经费支出预算表", "three_public"),
    ("政府性基金预算支出表", "gov_fund"), ("项目支出绩效目标表", "performance_project"),
    ("政府采购预算表", "procurement"), ("单位整体绩效目标表", "performance_unit"),
])
def test_kinds_are_matched_by_meaning(title, kind):
    assert kind_of(title) == kind


def test_units_in_yuan_and_single_code_column():
    text = ("## 部门支出总表\n\n单位：元\n\n科目编码\t科目名称\t合计\n\t合计\t1,500,000.00\n"
            "201\t一般公共服务支出\t1,500,000.00\n20101\t人大事务\t1,500,000.00\n")
    document = read_text(text)
    [table] = extract_tables(document)
    assert table.unit == "元"
    assert [item.code for item in table.items()] == [None, "201", "20101"]
    assert table.segments[0].items[2].parent.code == "201"


def test_a_line_split_by_a_second_classification_is_no_whole_and_makes_no_fact():
    # Yantai 2026 表10: 301 工资福利支出 under 501 机关工资福利支出 and again under 505 对事业单位经常性补助
    text = ("## 基本支出预算情况表\n单位：万元\n"
            "部门经济科目编码	部门经济科目名称	政府经济科目编码	政府经济科目名称	合计\n"
            "			合计	10.00\n301	工资福利支出	501	机关工资福利支出	6.00\n"
            "30101	基本工资	50101	工资奖金津补贴	6.00\n301	工资福利支出	505	对事业单位经常性补助	4.00\n"
            "30101	基本工资	50501	工资福利支出	4.00\n")
    from budgetlint.engine import analyse

    doc = analyse(text)
    items = [item for item in doc.tables[0].items() if item.code]
    assert [(item.code, item.split, item.parent.key if item.parent else None) for item in items] == [
        ("301", True, None), ("30101", True, "工资福利支出"), ("301", True, None), ("30101", True, "工资福利支出")]
    assert items[3].parent is items[2]
    assert not [fact for fact in doc.facts if fact.concept.startswith("econ:")]


def test_an_unreadable_table_is_judged_so_and_none_of_its_figures_becomes_a_fact():
    from budgetlint.engine import analyse

    text = ("## 部门支出总体情况表\n单位：万元\n项目	合计	基本支出	项目支出\n合计	10.00	6.00	4.00\n"
            "一、一般公共服务支出	3.00	1.00	1.00\n二、公共安全支出	3.00	1.50	1.00\n"
            "三、教育支出	4.00	2.00	1.00\n四、卫生健康支出	4.00	2.50	1.00\n")
    doc = analyse(text)
    table = doc.tables[0]
    assert not table.trusted and table.reading.confidence < 0.75
    assert "横向合计" in table.reading.reason_zh
    assert not [fact for fact in doc.facts if fact.origin == "table"]
    sound = analyse("## 部门支出总体情况表\n单位：万元\n项目	合计	基本支出	项目支出\n合计	14.00	10.00	4.00\n"
                    "一、一般公共服务支出	3.00	2.00	1.00\n二、公共安全支出	3.00	2.00	1.00\n"
                    "三、教育支出	4.00	3.00	1.00\n四、卫生健康支出	4.00	3.00	1.00\n")
    assert sound.tables[0].trusted
    assert [fact for fact in sound.facts if fact.origin == "table"]


def test_a_wrapped_name_is_rejoined_with_the_line_of_its_figures():
    doc = read_text("## 部门收入总体情况表\n单位：万元\n项目	预算数\n一、财政拨款	100.00\n"
                    "1.一般公共预	100.00\n算	\n2.政府性基金拨款收入	\n	5.00\n本年收入合计	105.00\n")
    items = [(item.name, item.values[1].text) for item in extract_tables(doc)[0].items()]
    assert items == [("一、财政拨款", "100.00"), ("1.一般公共预算", "100.00"), ("2.政府性基金拨款收入", "5.00"),
                     ("本年收入合计", "105.00")]


def test_a_continuation_page_is_aligned_to_the_columns_above_by_x_position():
    from budgetlint.pdf_reader import _align, _columns

    # page 1: name | 合计 | 基本支出 | 项目支出; page 2 found no 基本支出 column (empty there)
    above = [(["名称", "合计", "基本支出", "项目支出"],
              [(1, 0, 10, 100, 20), (1, 100, 10, 160, 20), (1, 160, 10, 220, 20), (1, 220, 10, 280, 20)])]
    below = [(["其他支出", "5.00", "5.00"], [(2, 0, 10, 100, 20), (2, 100, 10, 160, 20), (2, 220, 10, 280, 20)])]
    aligned = _align(below, _columns(above))
    assert [texts for texts, _ in aligned] == [["其他支出", "5.00", "", "5.00"]]
    assert aligned[0][1][3] == (2, 220, 10, 280, 20)
    # cells that stand under no column above are another table: left as they are
    assert _align([(["x"], [(2, 300, 10, 400, 20)])], _columns(above)) is None


def test_a_department_line_over_its_units_is_no_class_line():
    # Xi'an 2021 表3: "201 中共西安市委宣传部" over its units 201001, 201002 — 201 is the department's
    # number, not class 201 一般公共服务支出, so none of these lines is a department-level class fact
    from budgetlint.engine import analyse

    doc = analyse("## 部门综合预算支出总表\n单位：元\n单位编码	单位名称	合计\n	合计	300.00\n"
                  "201	中共西安市委宣传部	300.00\n201001	中共西安市委宣传部	200.00\n"
                  "201002	中共西安市委理论讲师团	100.00\n")
    lines = {item.code: item for item in doc.tables[0].items() if item.code}
    assert lines["201"].unit is lines["201"] and lines["201001"].parent is lines["201"]
    assert not [fact for fact in doc.facts if fact.concept.startswith("fn:")]


@pytest.mark.parametrize("mark", ["续表", "续表1", "（续）", "表1（续）", "续表：一般公共预算支出情况表",
                                  "一般公共预算支出情况表（续）"])
def test_a_continuation_mark_between_pages_does_not_end_the_table(mark):
    text = "\n".join(["## 一般公共预算支出情况表", "单位：万元", "科目编码\t科目名称\t合计",
                      "\t合计\t150.00", "2010301\t行政运行\t100.00", mark,
                      "科目编码\t科目名称\t合计", "2010302\t一般行政管理事务\t50.00"])
    tables = [table for table in extract_tables(read_text(text)) if table.rows]
    assert len(tables) == 1
    assert [item.code for item in tables[0].items()] == [None, "2010301", "2010302"]


def test_a_line_without_figures_under_a_one_row_header_of_a_yuan_table_stays_a_line():
    text = ("## 部门支出总表\n单位：元\n项目\t合计\t基本支出\n一、本级\t\t\n行政运行\t120000\t120000\n"
            "合计\t120000\t120000\n")
    [table] = extract_tables(read_text(text))
    assert len(table.header) == 1
    assert [item.name for item in table.items()][:2] == ["一、本级", "行政运行"]


def test_a_units_closing_subtotal_is_a_subtotal_and_makes_no_fact():
    text = ("## 一般公共预算支出情况表\n单位：万元\n科目编码\t科目名称\t合计\t基本支出\n\t合计\t180.00\t130.00\n"
            "\t某局本级\t\t\n2010301\t行政运行\t150.00\t100.00\n\t小计\t150.00\t100.00\n"
            "\t某某中心\t\t\n2080505\t机关事业单位基本养老保险缴费支出\t30.00\t30.00\n\t小计\t30.00\t30.00\n")
    from budgetlint.engine import analyse

    doc = analyse(text)
    subtotals = [item for item in doc.tables[0].items() if item.key == "小计"]
    assert [item.is_subtotal for item in subtotals] == [True, True]
    assert sorted(fact.value.nominal for fact in doc.facts if fact.concept == "agg:基本支出") == [Decimal("130.00")]
