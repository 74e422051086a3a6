"""Facts: every figure of the document as (concept, measure, period, interval, source).

Table cells and sentence claims both become facts, so rules compare like with like
without re-reading text (DESIGN §3). Money is held in 万元 whatever the printed unit.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace

from .classification import path_code
from .concepts import PART_CONCEPTS, code_concept, normal, resolve_name
from .document import Span
from .identity import YEAR_HEADING as _YEAR_HEADING, column_identity, heading_year, scope_in, table_scope
from .interval import Interval
from .tables import FACT_KINDS, Item, Segment, Table, cell_value, code_system

TOTAL_CONCEPTS = {"basic_expenditure": "agg:基本支出", "project_expenditure": "agg:项目支出",
                  "three_public": "agg:三公经费", "operating_cost": "agg:机关运行经费"}
_CARRYOVER = re.compile(r"结转|结余")
_THIS_YEAR = re.compile(r"^(?:本年|当年)")
_PART_TABLES = {"three_public", "operating_cost"}
# tables whose lines are function lines (the 收支总表s name their classes on one side only: there the
# document's own codes decide, class_codes)
_FUNCTION_KINDS = {"expenditure", "general_budget", "gov_fund", "soe_capital", "income"}
_CODE_LENGTHS = {3, 5, 7}
_YEAR_GROUPS = {"预算数", "预算", ""}
_ITEM_TOTALS = {"合计", "小计", "总计"}
_LINES_WITH_PARTS = {"agg:三公经费", "agg:公务用车购置及运行费"}
_WHOLE = "whole"  # a total column under no line's name: the table's whole, if nothing else is beside it
_FAMILIES = {"three_public": {"agg:三公经费", "agg:因公出国（境）费", "agg:公务用车购置及运行费", "agg:公务用车购置费",
                              "agg:公务用车运行费", "agg:公务接待费"},
             "operating_cost": {"agg:机关运行经费"}}
OWN_STAGES = ("budget", "final")  # the document's own figures: a budget's or a final account's
_THIS_YEAR_TOTALS = {"agg:收入总计": "agg:本年收入合计", "agg:支出总计": "agg:本年支出合计"}


@dataclass(slots=True)
class Fact:
    """One figure: what it is of, which measure and year, its interval and where it is printed.

    Treated as immutable; not frozen, because a frozen dataclass is three times slower to make
    and a document makes hundreds."""

    concept: str
    measure: str  # amount | change | rate | share | count
    period: str  # current | previous
    value: Interval
    source: Span
    label: str  # how the document names it, for messages
    origin: str = "table"  # table | text | derived
    scope: str = "all"  # all | fiscal | general | fund | soe | special | unit
    part: str = "total"  # what of the line: total | basic | project | personnel | public | col:…
    side: str = ""  # income | expenditure ("" where a sentence does not say)
    stage: str = "budget"  # budget | final | initial | adjusted
    where: str = ""  # the table (表3《…》) or section it was read from
    printed: str = ""  # the figure as printed


class FactStore:
    """The facts, found by (concept, measure, period) and by origin as well: a rule asks once
    per claim, so a search must not walk the facts of every other claim of the same concept."""

    def __init__(self) -> None:
        self.facts: list[Fact] = []
        self._index: dict[tuple, list[Fact]] = defaultdict(list)

    def add(self, fact: Fact) -> None:
        self.facts.append(fact)
        self._index[(fact.concept, fact.measure, fact.period)].append(fact)
        self._index[(fact.concept, fact.measure, fact.period, fact.origin)].append(fact)

    def find(self, concept: str, measure: str = "amount", period: str = "current",
             origin: str | None = None) -> list[Fact]:
        key = (concept, measure, period) if origin is None else (concept, measure, period, origin)
        return list(self._index.get(key, ()))

    def __iter__(self):
        return iter(self.facts)

    def __len__(self) -> int:
        return len(self.facts)


def total_concept(table: Table, segment: Segment, item: Item) -> str:
    """总计 (with the carry-over) is not 本年收入合计 / 本年支出合计; a table of lines by class adds
    up this year's spending, an income table with a carry-over column the whole income."""
    if table.kind in TOTAL_CONCEPTS:
        return TOTAL_CONCEPTS[table.kind]
    side = "收入" if _side(table, segment) == "income" else "支出"
    if _THIS_YEAR.match(item.key):
        return f"agg:本年{side}合计"
    if table.kind in ("summary", "fiscal_summary") or item.key != "合计":
        return f"agg:{side}总计"
    if side == "收入" and not any(_CARRYOVER.search(column.group + column.label) for column in segment.columns):
        return "agg:本年收入合计"
    return "agg:收入总计" if side == "收入" else "agg:本年支出合计"


def _side(table: Table, segment: Segment) -> str:
    if table.kind == "income":
        return "income"
    if table.kind in ("summary", "fiscal_summary"):
        return segment.side
    return "expenditure"


def class_codes(tables: list[Table]) -> dict[str, str]:
    """Class names and the codes the document's own tables print beside them, so that a
    收支总表 line named "一般公共服务支出" without a code is class 201 (a name printed with two
    codes names neither)."""
    codes: dict[str, set[str]] = defaultdict(set)
    for table in tables:
        for item in table.items():
            if item.code and len(item.code) == 3:
                codes[item.key].add(item.code)
    return {name: next(iter(found)) for name, found in codes.items() if len(found) == 1}


def item_concept(table: Table, segment: Segment, item: Item, classes: dict[str, str] | None = None) -> str | None:
    if item.shared or item.key == "小计":  # one unit's line or 小计, one split of a code: not the whole
        return None
    if item.is_total:
        return total_concept(table, segment, item)
    if table.kind in _PART_TABLES:  # a line of the "三公" table is that line's 三公, not its whole
        concept = resolve_name(normal(item.key)) if not item.code else None
        return concept if concept and concept.startswith("agg:") else None
    if item.code:
        if len(item.code) not in _CODE_LENGTHS:
            return None  # a unit's or a project's own number, not a classification code
        return code_concept(code_system(item.code), item.code)
    ancestors, node = [], item.parent
    while node is not None:
        ancestors.append(node.key)
        node = node.parent
    if any(_CARRYOVER.search(name) for name in ancestors + [item.key]):
        return None
    if classes and item.key in classes:
        return code_concept("fn", classes[item.key])
    if table.kind in _FUNCTION_KINDS and (code := path_code([*reversed(ancestors), item.key])):
        return code_concept("fn", code)  # a line printed by name only, placed by its path
    return resolve_name(normal(item.key))


def column_concept(table: Table, path: tuple[str, ...], years: list[int], own_year: int | None) -> tuple[str, str] | None:
    """The line a column of a "三公" or 机关运行经费 table holds, and its year, where the table
    lists its lines as columns (合计 | 因公出国（境）费 | 公务用车购置及运行费 › 小计 | …): the most
    specific heading that names one, a total heading standing for the heading above it, the
    table's own whole at the top. A column is placed only when every heading above it is a line
    that has parts, a total, or a budget's year (2026年预算数, 2026年“三公”经费预算数: the budget's
    own year or the one before; without the document's year, of two years side by side the
    later); any other stage or year over it may be another figure, and two lines over each other
    that are no whole and part are a header read askew."""
    concepts, period = [], "current"
    for part in path:
        text = normal(part)
        if text in _ITEM_TOTALS:
            continue
        if year := _YEAR_HEADING.search(text):
            period = _year_period(int(year.group(1)), years, own_year)
            text = _YEAR_HEADING.sub("", text)
            if period is None:
                return None
            if text in _YEAR_GROUPS:
                continue
        concept = resolve_name(text)
        if concept is None or not concept.startswith("agg:"):
            return None
        concepts.append(concept)
    if any(concept not in _LINES_WITH_PARTS for concept in concepts[:-1]):
        return None
    return (concepts[-1] if concepts else _WHOLE), period


def _column_lines(table: Table, columns: list, years: list[int], year: int | None,
                  final_account: bool) -> dict[int, tuple[str, str] | None]:
    """Column index → (line, year) for a part table laid out by columns. A 合计 under no line's
    name is the table's whole only where every other column is one of its lines: beside 会议费
    and 培训费 it adds them too. A final account's columns of years are its budget's and its
    outturn's: not placed."""
    if table.kind not in _PART_TABLES or (final_account and years):
        return {}
    placed = {column.index: column_concept(table, path, years, year) for column, _, path in columns}
    lines = [found for found in placed.values() if found is None or found[0] != _WHOLE]
    whole = TOTAL_CONCEPTS[table.kind] if all(
        found is not None and found[0] in _FAMILIES[table.kind] for found in lines) else None
    return {index: (whole, found[1]) if found and found[0] == _WHOLE and whole else
            (found if found and found[0] != _WHOLE else None) for index, found in placed.items()}


def _year_period(year: int, years: list[int], own_year: int | None) -> str | None:
    if own_year is not None:
        return {own_year: "current", own_year - 1: "previous"}.get(year)
    if len(years) == 2 and years[1] - years[0] == 1:
        return "current" if year == years[1] else "previous"
    return None


def own_year(title: str) -> int | None:
    """The year a document's title names, when it names one only."""
    found = set(_YEAR_HEADING.findall(normal(title)))
    return int(found.pop()) if len(found) == 1 else None


def _heading_years(paths: list[tuple[str, ...]]) -> list[int]:
    return sorted({int(found) for path in paths for part in path for found in _YEAR_HEADING.findall(normal(part))})


def _lines_in_columns(table: Table, segment: Segment, item: Item) -> bool:
    """A part table's row that holds every line side by side: its total row, or its only row
    where the table has no column of names."""
    if table.kind not in _PART_TABLES or item.shared:
        return False
    return item.is_total or (segment.text_column is None and len(segment.items) == 1)


def _without_carryover(segment: Segment) -> bool:
    """No carry-over on this side: its 总计 is also its 本年合计."""
    for item in segment.items:
        if _CARRYOVER.search(item.key) and any(not cell.blank and cell.number is not None and cell.number.value
                                               for cell in item.values.values()):
            return False
    return True


# scopes that hold others: a line of one fund in their table is that fund's figure
_WIDE_SCOPES = ("all", "fiscal")


def _line_scope(item: Item, concept: str) -> str | None:
    """An income line named by one fund whose concept names all 财政拨款 (二、政府性基金预算财政拨款
    → agg:财政拨款) is that fund's income, not the whole of its concept."""
    scope = scope_in(normal(item.key))
    if scope in (None, *_WIDE_SCOPES) or scope_in(concept) == scope:
        return None
    return scope


def table_facts(table: Table, final_account: bool = False, classes: dict[str, str] | None = None,
                year: int | None = None) -> list[Fact]:
    """Amount facts of every labelled cell of a money table whose column is understood and
    whose reading is trusted."""
    if table.kind not in FACT_KINDS or not table.trusted:
        return []
    facts, where = [], table.name
    scope = table_scope(table.title, table.kind)
    paths = table.header_paths
    years = _heading_years(paths)
    latest = max(years, default=None)
    for segment in table.segments:
        side = _side(table, segment)
        columns = []
        for column in segment.columns:
            path = paths[column.index] if column.index < len(paths) and paths[column.index] else (column.label,)
            identity = column_identity(path, scope, table.kind, final_account, side)
            if identity is not None and (printed := heading_year(path)) and printed < latest:
                identity = replace(identity, period="previous")  # 2024年预算数 beside 2025年预算数
            if identity is not None:
                columns.append((column, identity, path))
        this_year = table.kind in ("summary", "fiscal_summary") and _without_carryover(segment)
        lines = _column_lines(table, columns, years, year, final_account)
        for item in segment.items:
            by_column = _lines_in_columns(table, segment, item)
            concept = item_concept(table, segment, item, classes)
            if concept is None and not by_column:
                continue
            own = _line_scope(item, concept) if side == "income" else None
            for column, identity, path in columns:
                cell = item.values.get(column.index)
                if cell is None or cell.blank:
                    continue
                value = cell_value(cell, table.unit)
                if value is None:
                    continue
                name, part, period = concept, identity.measure, identity.period
                if by_column:
                    placed = lines.get(column.index)
                    if placed is None:
                        continue
                    (name, period), part = placed, "total"
                if name == "agg:收入总计" and table.kind not in ("summary", "fiscal_summary") and any(
                        _THIS_YEAR.match(heading) for heading in path):
                    # 本年收入 › 小计 beside 上年结转 › 小计 under 总计 (in a 收支总表, 本年收入 heads a side)
                    name = "agg:本年收入合计"
                if part in PART_CONCEPTS and concept in ("agg:支出总计", "agg:本年支出合计", "agg:基本支出", "agg:项目支出"):
                    name, part = PART_CONCEPTS[part], "total"
                names = [name]
                if this_year and name in _THIS_YEAR_TOTALS:
                    names.append(_THIS_YEAR_TOTALS[name])
                for each in names:
                    facts.append(Fact(each, "amount", period, value, cell.span,
                                      label=_label(segment, item, path), origin="table",
                                      scope=own or identity.scope, part=part, side=side, stage=identity.stage,
                                      where=where, printed=cell.text))
    return facts


def _label(segment: Segment, item: Item, path: tuple[str, ...]) -> str:
    if segment.text_column is None:  # a row without a name: its column's headings name the figure
        return "›".join(path)
    return f"{item.name}（{path[-1]}）"


def table_figure(document, claim) -> tuple[Fact, bool] | None:
    """The table figure a claim's amount is compared with (BL201), and whether they agree: one
    that agrees if any does, else the cell that states the claim's figure (_same_figure). None
    when the claim has no amount or concept, or no table states its figure."""
    if claim.amount_value is None or not claim.concept:
        return None
    cells = document.facts.find(claim.concept, "amount", origin="table")
    agreeing = next((f for f in cells if document.config.agrees(claim.amount_value, f.value)
                     or _cut_off(claim.amount_value, f.value)), None)
    if agreeing:
        return agreeing, True
    cell = _same_figure(claim, cells)
    return (cell, False) if cell is not None else None


def _cut_off(stated: Interval, printed: Interval) -> bool:
    """Whether a sentence restates a table printed finer (877,080.00 元) by cutting the figure off
    at its own last digit (87.70 万元 for 87.708): the same figure badly rounded, not another
    one. Within one precision a cut-off figure cannot be told from a wrong one, so only then."""
    half = (stated.hi - stated.lo) / 2
    if not half or printed.hi - printed.lo >= half / 5:
        return False
    return stated.lo + half <= printed.hi and printed.lo < stated.hi + half


def _same_figure(claim, cells: list[Fact]) -> Fact | None:
    """The table cell that states the claim's figure: the whole line of its own funds and stage.
    A sentence that names no funds is about all of them; where no table gives that, a figure
    every table prints alike is the one it restates (a unit funded by one budget only)."""
    own = [f for f in cells if f.part == "total" and f.stage in OWN_STAGES]
    same = [f for f in own if f.scope == claim.scope]
    if same:
        return same[0]
    if claim.scope == "all" and own and all(f.value.meets(own[0].value) for f in own):
        return own[0]
    return None
