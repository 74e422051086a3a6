"""BL1xx — table arithmetic: footing, cross-footing, balance, tie-out between tables."""
from __future__ import annotations

import re
from collections import defaultdict

from budgetlint.classification import accepts
from budgetlint.facts import FACT_KINDS, Fact, cell_value
from budgetlint.findings import Related
from budgetlint.footing import Check, Omission, across_checks, causes, down_checks, omissions
from budgetlint.registry import Hit, rule
from budgetlint.tables import Item, Table


def money_tables(doc):
    """The money tables with figures whose reading is trusted (the others are reported by BL002)."""
    return [table for table in doc.tables if table.kind in FACT_KINDS and not table.empty and table.trusted]


def _where(table: Table, item: Item, column) -> dict:
    return {"table": table.name, "item": item.name or item.code or "", "column": _column_name(table, column)}


# the parts a footing finding points to (its message gives their count): enough for any real
# breakdown, and a table of thousands of lines does not make findings of thousands of locations
RELATED_PARTS = 50


def _same_cause(group: list[Check]) -> tuple:
    """The other places one cause shows (a mistyped figure fails every total above it; a total
    column computed otherwise fails in every row)."""
    return tuple(Related(check.span, f"同一差额：{check.item.name or check.item.code}",
                         f"same difference: {check.item.name or check.item.code}")
                 if abs(check.gap) == abs(group[0].gap) else
                 Related(check.span, f"同列同样不符：{check.item.name or check.item.code}",
                         f"the same column fails too: {check.item.name or check.item.code}")
                 for check in group[1:RELATED_PARTS])


def _by_cause(table: Table, config) -> tuple[list[Check], list[Check], list[Omission]]:
    """The table's down and across checks, less those a column left out of rows' totals explains
    (that cause is one BL102 finding, whatever totals above the rows it fails)."""
    down, across = list(down_checks(table, config)), list(across_checks(table, config))
    found = omissions(down, across)
    explained = {id(check) for omission in found for check in omission.rows + omission.knock_on}
    return ([c for c in down if id(c) not in explained], [c for c in across if id(c) not in explained], found)


@rule("BL101", "footing", severity="error", messages={
    "default": ("{table}“{item}”{column}为 {actual}，但其下 {count} 项之和为 {expected}",
                "{table} '{item}' {column} is {actual}, but its {count} parts add up to {expected}"),
    "partial": ("{table}“{item}”{column}为 {actual}，小于其中所列项之和 {expected}",
                "{table} '{item}' {column} is {actual}, less than its listed part {expected}"),
})
def footing(doc):
    """表内合计与明细不符 — a parent line differs from the sum of its children.

    Children are found by the classification code (201 → 20103 → 2010301, 301 → 30101) or
    by the numbering of the lines (一、 > 1. > 其中：); 合计/总计 rows are the sum of the top
    lines. A lone "其中：" line is a part, not a breakdown: it may only not exceed its parent.
    Every figure is read as an interval, so 368.37 over children adding to 368.36 passes.
    Lines that fail by the same difference in one column are one finding (one mistyped figure
    fails every total above it): it points at the lowest of them, the others are related.

    Why: a total that does not add up is the first thing an auditor recomputes.

    Fails:
        表 3
        ## 单位支出总体情况表
        单位：万元
        类	款	名称	合计
        201		一般公共服务支出	393.25
        201	03	政府办公厅（室）及相关机构事务	380.00
        201	40	信访事务	5.00
    Passes:
        表 3
        ## 单位支出总体情况表
        单位：万元
        类	款	名称	合计
        201		一般公共服务支出	393.25
        201	03	政府办公厅（室）及相关机构事务	388.25
        201	40	信访事务	5.00
    """
    for table in money_tables(doc):
        for group in causes(_by_cause(table, doc.config)[0]):
            check = group[0]
            cells = [child.values[check.column.index] for child in check.parts
                     if check.column.index in child.values]
            cells = [cell for cell in cells if not cell.blank][:RELATED_PARTS]
            expected = check.expected
            yield Hit(check.span,
                      {**_where(table, check.item, check.column), "actual": check.cell.text,
                       "expected": expected, "count": len(check.parts)},
                      expected=expected, actual=check.cell.text,
                      related=tuple(Related(cell.span, cell.text) for cell in cells) + _same_cause(group),
                      variant="partial" if check.partial else "default")


@rule("BL102", "cross-footing", severity="error", messages={
    "default": ("{table}“{item}”行{column}为 {actual}，但{parts}之和为 {expected}",
                "{table} row '{item}': {column} is {actual}, but {parts} add up to {expected}"),
    "omitted": ("{table}中 {count} 行的行{column}未计入“{part}”列（共 {omitted}）：“{item}”行{column}为 {actual}，"
                "计入后为 {expected}",
                "{table}: {count} rows leave the '{part}' column ({omitted} in all) out of their {column}: "
                "row '{item}' {column} is {actual}, {expected} with it"),
})
def cross_footing(doc):
    """表内横向合计不符 — a row's 合计 differs from the sum of its columns.

    合计 = 基本支出 + 项目支出, 总计 = 人员经费 + 公用经费, 合计 = 一般公共预算 + 政府性基金 +
    国有资本经营预算: each row of a table with such columns must add up across. Nested headers
    are read as a person reads them: a 小计 adds the columns under the same heading, and the
    合计 above it takes that 小计 in place of its columns; a "其中：" column is a part of the
    column before it. Rows that fail by the same difference are one finding; so are rows that
    each fail by their own figure in one same column (their 合计 leaves that column out), with
    the totals that fail for it (the lines above them, larger totals across the same rows) as
    related places, not findings of their own.

    Why: a row that does not cross-foot means one of its figures was typed wrong.

    Fails:
        ## 一般公共预算支出情况表
        单位：万元
        类	款	名称	合计	基本支出	项目支出
        201		一般公共服务支出	393.25	343.25	40.00
    Passes:
        ## 一般公共预算支出情况表
        单位：万元
        类	款	名称	合计	基本支出	项目支出
        201		一般公共服务支出	393.25	343.25	50.00
    """
    for table in money_tables(doc):
        across, found = _by_cause(table, doc.config)[1:]
        for omission in found:
            yield _omitted(table, omission)
        for group in causes(across, throughout=True):
            check = group[0]
            item, expected = check.item, check.expected
            yield Hit(check.span, {**_where(table, item, check.column), "actual": check.cell.text,
                                        "expected": expected, "parts": "、".join(c.label for c in check.parts)},
                      expected=expected, actual=check.cell.text,
                      related=tuple(Related(item.values[c.index].span, c.label)
                                    for c in check.parts if not item.values[c.index].blank) + _same_cause(group))


_BLOCK = re.compile(r"\d{4}\s*年|增减|上年|本年")


def _column_name(table: Table, column, heading: bool = False) -> str:
    """A column as a reader finds it: one of several years' blocks (2018年 | 2019年 | 增减) by
    its block; with `heading`, a 小计 or 合计 by the heading it sums (公务用车购置及运行维护›小计)."""
    paths = table.header_paths
    path = paths[column.index] if column.index < len(paths) else ()
    if len(path) < 2:
        return column.label
    twins = [other for index, other in enumerate(paths) if index != column.index and other
             and other[-1] == path[-1] and len(other) == len(path)]
    heads = [path[0]] if twins and _BLOCK.search(path[0]) and all(other[0] != path[0] for other in twins) else []
    if heading and column.label in ("小计", "合计") and path[-2] not in heads:
        heads.append(path[-2])
    return "›".join([*heads, column.label])


def _omitted(table: Table, omission: Omission) -> Hit:
    first = omission.rows[0]
    part = _column_name(table, omission.part, heading=True)
    related = tuple(Related(check.span, f"同样未计入“{part}”：{check.item.name or check.item.code}",
                            f"'{part}' left out as well: {check.item.name or check.item.code}")
                    for check in omission.rows[1:RELATED_PARTS]) + tuple(
        Related(check.span, f"“{check.item.name or check.item.code}”行{check.column.label}因此不符",
                f"row '{check.item.name or check.item.code}': {check.column.label} fails for this reason")
        for check in omission.knock_on)
    return Hit(first.span, {**_where(table, first.item, first.column), "actual": first.cell.text,
                            "expected": first.expected, "count": len(omission.rows), "part": part,
                            "omitted": str(omission.omitted)},
               expected=first.expected, actual=first.cell.text, related=related, variant="omitted")


@rule("BL103", "income-expenditure-balance", severity="error", messages={
    "default": ("{table}收入总计 {income} 与支出总计 {expenditure} 不相等",
                "{table}: total income {income} differs from total expenditure {expenditure}"),
})
def balance(doc):
    """收入总计不等于支出总计 — a 收支总表 whose two sides do not balance.

    Why: a budget balances by definition; an imbalance is a typing or carry-over error.

    Fails:
        ## 单位收支总体情况表
        单位：万元
        项目	预算数	功能分类	预算数
        一般公共预算拨款	534.68	201 一般公共服务支出	534.68
        收入总计	534.68	支出总计	533.68
    Passes:
        ## 单位收支总体情况表
        单位：万元
        项目	预算数	功能分类	预算数
        一般公共预算拨款	534.68	201 一般公共服务支出	534.68
        收入总计	534.68	支出总计	534.68
    """
    for table in money_tables(doc):
        incomes = [(s, i) for s in table.segments for i in s.items if i.key == "收入总计"]
        spends = [(s, i) for s in table.segments for i in s.items if i.key == "支出总计"]
        if not incomes or not spends:
            continue
        (income_segment, income), (spend_segment, spend) = incomes[0], spends[0]
        if not income_segment.columns or not spend_segment.columns:
            continue
        income_cell = income.values.get(income_segment.columns[0].index)
        spend_cell = spend.values.get(spend_segment.columns[0].index)
        if income_cell is None or spend_cell is None:
            continue
        a, b = cell_value(income_cell, table.unit), cell_value(spend_cell, table.unit)
        if a is not None and b is not None and not doc.config.agrees(a, b):
            yield Hit(spend_cell.span, {"table": table.name, "income": income_cell.text or "0",
                                        "expenditure": spend_cell.text or "0"},
                      expected=income_cell.text, actual=spend_cell.text,
                      related=(Related(income_cell.span, "收入总计", "total income"),))


def _tie_groups(doc):
    groups: dict[tuple, list[Fact]] = defaultdict(list)
    for fact in doc.facts:
        if fact.origin == "table":
            groups[(fact.concept, fact.measure, fact.period, fact.scope, fact.part, fact.side,
                    fact.stage)].append(fact)
    return groups.values()


@rule("BL104", "table-tie-out", severity="error", messages={
    "default": ("{where}“{label}”为 {actual}，与{other_where}的 {expected} 不一致",
                "{where} '{label}' is {actual}, but {other_where} prints {expected}"),
})
def tie_out(doc):
    """表间数据不一致 — the same figure printed differently in two tables.

    The same class total, aggregate or line, for the same funds (all funds, 财政拨款,
    一般公共预算) and the same part (基本支出, 项目支出 …), must agree in every table.

    Why: tables restate each other; when they differ, at least one is wrong. Two figures that
    differ by exactly a carry-over the document prints (上年结转结余) are one with it and one
    without, a table that has no column for it having put it in with this year's money: they are
    not compared.

    Fails:
        ## 单位收支总体情况表
        单位：万元
        项目	预算数	功能分类	预算数
        一般公共预算拨款	534.68	201 一般公共服务支出	534.68
        收入总计	534.68	支出总计	534.68

        ## 单位支出总体情况表
        单位：万元
        类	款	名称	合计
        201		一般公共服务支出	533.68
    Passes:
        ## 单位收支总体情况表
        单位：万元
        项目	预算数	功能分类	预算数
        一般公共预算拨款	534.68	201 一般公共服务支出	534.68
        收入总计	534.68	支出总计	534.68

        ## 单位支出总体情况表
        单位：万元
        类	款	名称	合计
        201		一般公共服务支出	534.68
    """
    carried = _carried_over(doc)
    for facts in _tie_groups(doc):
        first = facts[0]
        for fact in facts[1:]:
            if fact.where != first.where and not doc.config.agrees(first.value, fact.value) and not any(
                    gap.meets(amount) for gap in (first.value - fact.value, fact.value - first.value)
                    for amount in carried):
                yield Hit(fact.source, {"where": fact.where, "label": fact.label, "actual": fact.printed,
                                        "other_where": first.where, "expected": first.printed},
                          expected=first.printed, actual=fact.printed, concept=fact.concept,
                          related=(Related(first.source, first.where, first.where),))


def _carried_over(doc) -> list:
    """The carry-overs the tables print (上年结转, 上年结转结余), other than zero."""
    return [fact.value for fact in doc.facts if fact.origin == "table" and fact.part.startswith("carryover:")
            and not fact.value.is_zero]


# "三公" lines and the economic codes that carry them in the basic-expenditure table.
THREE_PUBLIC_CODES = {"agg:因公出国（境）费": "econ:30212", "agg:公务接待费": "econ:30217",
                      "agg:公务用车运行费": "econ:30231", "agg:公务用车购置费": "econ:31013"}


@rule("BL105", "three-public-below-basic", severity="error", messages={
    "default": ("“三公”经费表{label}为 {actual}，少于基本支出表{code}的 {expected}",
                "the \"three public\" table shows {label} {actual}, less than {expected} under {code} "
                "in the basic-expenditure table"),
})
def three_public_vs_basic(doc):
    """“三公”经费表小于基本支出中的同项 — e.g. 公务接待费 below economic code 30217.

    The "三公" table covers all 财政拨款 (basic and project spending), so each of its lines is
    at least the matching economic line of the 一般公共预算基本支出表. It may be larger (project
    spending), never smaller. A basic table of all funds (单位资金 too) is compared only by its
    columns of the "三公" table's funds.

    Why: the two tables are compiled separately and drift apart.

    Fails:
        ## 一般公共预算基本支出情况表
        单位：万元
        类	款	名称	总计
        302	17	公务接待费	0.50

        ## 财政拨款“三公”经费支出情况表
        单位：万元
        “三公”经费支出内容	合计
        公务接待费	0.33
    Passes:
        ## 一般公共预算基本支出情况表
        单位：万元
        类	款	名称	总计
        302	17	公务接待费	0.33

        ## 财政拨款“三公”经费支出情况表
        单位：万元
        “三公”经费支出内容	合计
        公务接待费	0.33
    """
    for concept, code in THREE_PUBLIC_CODES.items():
        for line in doc.facts.find(concept, origin="table"):
            if line.scope in ("fund", "soe"):  # the 政府性基金 column of the 三公 table holds other money
                continue
            for basic in doc.facts.find(code, origin="table"):
                # a local list may number its lines otherwise (30212 机关事业单位退休人员活动费)
                if not accepts("econ", code[5:], basic.label.rsplit("（", 1)[0], None):
                    continue
                if basic.part == "basic" and _within(basic.scope, line.scope) \
                        and basic.value.lo > line.value.hi + doc.config.tolerance:
                    yield Hit(line.source, {"label": concept[4:], "actual": line.printed,
                                            "expected": basic.printed, "code": code[5:]},
                              expected=basic.printed, actual=line.printed, concept=concept,
                              related=(Related(basic.source, basic.where, basic.where),))
                    break  # one finding for the line, however many columns print the basic figure


def _within(basic: str, three_public: str) -> bool:
    """Whether a basic-expenditure figure of these funds is a part of the "三公" line's: the
    general budget's is of 财政拨款's; all funds' (单位资金 too) may rightly be larger."""
    return three_public == "all" or basic in (three_public, "general")
