"""A figure's identity (fund scope, side, stage, measure) from its table's title and its column's
headings; and every comparison the tie-out and narrative rules make on real documents is between
figures of one identity."""
from pathlib import Path

from decimal import Decimal

import pytest

from budgetlint.config import Config
from budgetlint.engine import analyse, run_rules
from budgetlint.classification import path_code
from budgetlint.identity import column_identity, table_scope
from budgetlint.reader import load
from conftest import CORPUS, SHARED


@pytest.mark.parametrize("path, kind, final, expected", [
    (("支出", "基本支出", "人员经费"), "expenditure", False, ("all", "budget", "current", "personnel")),
    (("本年收入", "一般公共预算"), "income", False, ("general", "budget", "current", "total")),
    (("上年预算数",), "expenditure", False, ("all", "budget", "previous", "total")),
    (("上年结转",), "income", False, ("all", "budget", "current", "carryover:上年结转")),
    (("事业收入",), "income", False, ("all", "budget", "current", "col:事业收入")),
    (("年初预算数",), "expenditure", True, ("all", "initial", "current", "total")),
    # in a budget: its 年初预算 is the budget itself, a 决算数 is of a year before
    (("2026年预算数", "年初预算数", "基本支出"), "general_budget", False, ("all", "budget", "current", "basic")),
    (("2025年决算数",), "general_budget", False, ("all", "final", "previous", "total")),
    (("决算数",), "expenditure", True, ("all", "final", "current", "total")),
    (("基本支出", "科目名称"), "expenditure", True, ("all", "final", "current", "basic")),  # a merged heading
    (("预算",), "project_expenditure", False, ("all", "budget", "current", "project")),
    (("合计",), "basic_expenditure", False, ("all", "budget", "current", "basic")),
])
def test_a_column_is_placed_by_its_headings(path, kind, final, expected):
    identity = column_identity(path, "all", kind, final)
    assert (identity.scope, identity.stage, identity.period, identity.measure) == expected


@pytest.mark.parametrize("path", [("增减额",), ("比上年增长%",), ("行次",), ("栏次",)])
def test_changes_rates_and_row_numbers_are_no_amounts(path):
    assert column_identity(path, "all", "expenditure", False) is None


def test_a_title_names_the_funds_of_its_table():
    assert table_scope("2026年财政拨款支出表（功能科目）", "expenditure") == "fiscal"
    assert table_scope("一般公共预算基本支出情况表", "basic_expenditure") == "general"
    assert table_scope("基本支出预算情况表", "basic_expenditure") == "all"
    assert table_scope("“三公”经费支出表", "three_public") == "fiscal"


def _documents():
    paths = sorted(CORPUS.glob("*.md")) + sorted((CORPUS / "pdf").glob("*.pdf"))
    paths += sorted((SHARED / "corpus" / "real").glob("*.pdf"))
    return [pytest.param(path, id=path.name) for path in paths]


@pytest.mark.parametrize("path", _documents())
def test_every_comparison_is_between_figures_of_one_identity(path: Path):
    """BL104 (table ↔ table), BL201 (sentence ↔ table) and BL205 (sentence ↔ sentence): the figure
    at a finding and the figure at its other side agree on funds and year; two table figures also
    on side, stage and measure. (BL205 compares the changes of one line in two funds' sections
    only where both state the same amount this year.)"""
    text, encoding, locations = load(path)
    document = analyse(text, str(path), encoding, Config(select=["BL104", "BL201", "BL205"]), locations)
    at = {}
    for fact in document.facts:
        at.setdefault((fact.source.line, fact.source.column), []).append(fact)
    for finding in run_rules(document, Config(select=["BL104", "BL201", "BL205"])):
        here = at.get((finding.span.line, finding.span.column), [])
        there = at.get((finding.related[0].span.line, finding.related[0].span.column), [])
        pairs = [(a, b) for a in here for b in there if a.concept == b.concept and a.measure == b.measure]
        assert pairs, finding.message_zh
        a, b = pairs[0]
        assert a.period == b.period, finding.message_zh
        if a.scope != b.scope:  # BL205's one inference: the same amount this year, the same change
            assert finding.rule == "BL205" and a.measure in ("change", "rate"), finding.message_zh
            amounts = [[f.value for f in document.facts if f.origin == "text" and f.measure == "amount"
                        and f.concept == x.concept and f.source.line == x.source.line] for x in (a, b)]
            assert amounts[0] and amounts[1] and amounts[0][0].meets(amounts[1][0]), finding.message_zh
        if a.origin == b.origin == "table":
            assert (a.side, a.stage, a.part) == (b.side, b.stage, b.part), finding.message_zh


@pytest.mark.parametrize("path, kind, measure", [
    (("合计", "基本支出", "小计"), "general_budget", "basic"),  # 小计 of a part is that part
    (("合计", "基本支出", "人员类"), "general_budget", "personnel"),
    (("人员类",), "basic_expenditure", "personnel"),  # a part's own column in the 基本支出 table
    (("合计",), "project_expenditure", "project"),
])
def test_a_total_heading_defers_to_the_part_above_it(path, kind, measure):
    assert column_identity(path, "all", kind, False).measure == measure


@pytest.mark.parametrize("path, side, measure", [
    (("本年收入",), "expenditure", "col:本年收入"),  # beside 本年支出 in a table of spending by class
    (("本年支出", "小计"), "expenditure", "total"),
    (("本年收入",), "income", "total"),
    (("收入", "金额"), "income", "total"),
    (("支出", "合计"), "expenditure", "total"),
])
def test_a_column_headed_by_the_other_side_is_not_this_sides_whole(path, side, measure):
    assert column_identity(path, "fund", "gov_fund", True, side).measure == measure


def test_an_income_line_of_one_fund_is_that_funds_figure():
    """决算 财政拨款收支总表: "二、政府性基金预算财政拨款" is the fund's income, not all 财政拨款 (a
    sentence on 财政拨款收入总计 is not compared with it); a line whose name is its fund's own
    concept keeps its column's scope."""
    text = ("## 财政拨款收入支出决算总表\n单位：万元\n收入		支出	\n项目	金额	项目	合计\n"
            "一、一般公共预算财政拨款	300.00	一、一般公共服务支出	300.00\n"
            "二、政府性基金预算财政拨款	500.00	二、其他支出	500.00\n"
            "本年收入合计	800.00	本年支出合计	800.00\n总计	800.00	总计	800.00\n")
    document = analyse(text, config=Config())
    scopes = {fact.label.split("（")[0]: (fact.concept, fact.scope) for fact in document.facts
              if fact.side == "income"}
    assert scopes["二、政府性基金预算财政拨款"] == ("agg:财政拨款", "fund")
    assert scopes["一、一般公共预算财政拨款"][1] == "fiscal"


def test_a_summary_tables_side_heading_does_not_make_its_total_this_years():
    """收支总表 headed 本年收入 | 本年支出: its 收入总计 is the income total (本年 heads the side); in
    a 收入总表 whose 本年收入 › 小计 stands beside 上年结转, that column is this year's income."""
    summary = ("## 部门收支预算总表\n单位：万元\n本年收入		本年支出	\n项目	预算数	项目	预算数\n"
               "一、财政拨款收入	80.00	一、一般公共服务支出	100.00\n二、事业收入	20.00		\n"
               "收入总计	100.00	支出总计	100.00\n")
    concepts = {fact.concept for fact in analyse(summary, config=Config()).facts
                if fact.label.startswith("收入总计")}
    assert "agg:收入总计" in concepts
    income = ("## 部门收入预算总表\n单位：万元\n项目	总计	本年收入		上年结转	\n"
              "	合计	小计	财政拨款	小计	财政拨款\n合计	110.00	100.00	100.00	10.00	10.00\n")
    totals = {fact.value.nominal for fact in analyse(income, config=Config()).facts if fact.concept == "agg:收入总计" and fact.part == "total"}
    assert totals == {Decimal("110.00")}


@pytest.mark.parametrize("names, code", [
    (["公共安全支出", "司法", "行政运行"], "2040601"),
    (["公共安全"], "204"),  # a class named without its 支出: 公共安全（类）
    (["行政运行"], None),  # a 项 without its path: one of many
    (["司法"], None),  # a path starts at its class
    (["公共安全支出", "人大事务"], None),  # not a child of the step before
])
def test_a_path_of_official_names_spells_its_code(names, code):
    assert path_code(names) == code
