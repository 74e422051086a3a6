"""Facts: every figure of the document as (concept, measure, period, interval, source).

Table cells and sentence claims both become facts, so rules compare like with like
without re-reading text (DESIGN §3). Money is held in 万元 whatever the printed unit.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace

from .concepts import PART_CONCEPTS, code_concept, normal, resolve_name
from .document import Span
from .identity import column_identity, heading_year, scope_in, table_scope
from .interval import Interval
from .tables import FACT_KINDS, Item, Segment, Table, cell_value, code_system

TOTAL_CONCEPTS = {"basic_expenditure": "agg:基本支出", "project_expenditure": "agg:项目支出",
                  "three_public": "agg:三公经费", "operating_cost": "agg:机关运行经费"}
_CARRYOVER = re.compile(r"结转|结余")
_THIS_YEAR = re.compile(r"^(?:本年|当年)")
_PART_TABLES = {"three_public", "operating_cost"}
_CODE_LENGTHS = {3, 5, 7}
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
    return resolve_name(normal(item.key))


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


def table_facts(table: Table, final_account: bool = False, classes: dict[str, str] | None = None) -> list[Fact]:
    """Amount facts of every labelled cell of a money table whose column is understood and
    whose reading is trusted."""
    if table.kind not in FACT_KINDS or not table.trusted:
        return []
    facts, where = [], table.name
    scope = table_scope(table.title, table.kind)
    paths = table.header_paths
    latest = max((year for path in paths if (year := heading_year(path))), default=None)
    for segment in table.segments:
        side = _side(table, segment)
        columns = []
        for column in segment.columns:
            path = paths[column.index] if column.index < len(paths) and paths[column.index] else (column.label,)
            identity = column_identity(path, scope, table.kind, final_account, side)
            if identity is not None and (year := heading_year(path)) and year < latest:
                identity = replace(identity, period="previous")  # 2024年预算数 beside 2025年预算数
            if identity is not None:
                columns.append((column, identity, path))
        this_year = table.kind in ("summary", "fiscal_summary") and _without_carryover(segment)
        for item in segment.items:
            concept = item_concept(table, segment, item, classes)
            if concept is None:
                continue
            own = _line_scope(item, concept) if side == "income" else None
            for column, identity, path in columns:
                cell = item.values.get(column.index)
                if cell is None or cell.blank:
                    continue
                value = cell_value(cell, table.unit)
                if value is None:
                    continue
                name, part = concept, identity.measure
                if name == "agg:收入总计" and table.kind not in ("summary", "fiscal_summary") and any(
                        _THIS_YEAR.match(heading) for heading in path):
                    # 本年收入 › 小计 beside 上年结转 › 小计 under 总计 (in a 收支总表, 本年收入 heads a side)
                    name = "agg:本年收入合计"
                if part in PART_CONCEPTS and concept in ("agg:支出总计", "agg:本年支出合计", "agg:基本支出"):
                    name, part = PART_CONCEPTS[part], "total"
                names = [name]
                if this_year and name in _THIS_YEAR_TOTALS:
                    names.append(_THIS_YEAR_TOTALS[name])
                for each in names:
                    facts.append(Fact(each, "amount", identity.period, value, cell.span,
                                      label=f"{item.name}（{column.label}）", origin="table",
                                      scope=own or identity.scope, part=part, side=side, stage=identity.stage,
                                      where=where, printed=cell.text))
    return facts


def table_figure(document, claim) -> tuple[Fact, bool] | None:
    """The table figure a claim's amount is compared with (BL201), and whether they agree: one
    that agrees if any does, else the cell that states the claim's figure (_same_figure). None
    when the claim has no amount or concept, or no table states its figure."""
    if claim.amount_value is None or not claim.concept:
        return None
    cells = document.facts.find(claim.concept, "amount", origin="table")
    agreeing = next((f for f in cells if document.config.agrees(claim.amount_value, f.value)), None)
    if agreeing:
        return agreeing, True
    cell = _same_figure(claim, cells)
    return (cell, False) if cell is not None else None


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
