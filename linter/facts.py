"""Facts: every figure of the document as (concept, measure, period, interval, source).

Table cells and sentence claims both become facts, so rules compare like with like
without re-reading text (DESIGN §3). Money is held in 万元 whatever the printed unit.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from .concepts import PART_CONCEPTS, code_concept, normal, resolve_name
from .document import Span
from .interval import Interval
from .tables import Cell, Item, Segment, Table, code_system

TABLE_SCOPES = {"summary": "all", "income": "all", "expenditure": "all", "fiscal_summary": "fiscal",
                "general_budget": "general", "basic_expenditure": "general",
                "project_expenditure": "general", "three_public": "fiscal", "gov_fund": "fund",
                "soe_capital": "soe", "operating_cost": "general"}  # MONEY_KINDS that add up
TOTAL_CONCEPTS = {"basic_expenditure": "agg:基本支出", "project_expenditure": "agg:项目支出",
                  "three_public": "agg:三公经费", "operating_cost": "agg:机关运行经费"}
_CARRYOVER = re.compile(r"结转|结余")


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
    scope: str = "all"  # all | fiscal | general | fund | soe
    part: str = "total"  # total | basic | project | personnel | public
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


def scope_of(table: Table, label: str) -> str:
    if "一般公共预算" in label:
        return "general"
    if "政府性基金" in label:
        return "fund"
    if "国有资本" in label:
        return "soe"
    return TABLE_SCOPES.get(table.kind, "all")


def part_of(label: str) -> str:
    for needle, part in (("基本支出", "basic"), ("项目支出", "project"), ("人员经费", "personnel"),
                         ("公用经费", "public")):
        if needle in label:
            return part
    return "total"


ZERO = Interval.exact(0)


def cell_value(cell: Cell, unit: str | None) -> Interval | None:
    """A cell's interval in 万元; a blank cell is an exact zero, text is None."""
    if cell.blank:
        return ZERO
    if cell.number is None:
        return None
    return cell.number.in_wan(unit)


def item_concept(table: Table, segment: Segment, item: Item) -> str | None:
    if item.code:
        return code_concept(code_system(item.code), item.code)
    if item.is_total:
        if segment.side == "income":
            return "agg:收入总计"
        return TOTAL_CONCEPTS.get(table.kind, "agg:支出总计")
    ancestors, node = [], item.parent
    while node is not None:
        ancestors.append(node.key)
        node = node.parent
    if any(_CARRYOVER.search(name) for name in ancestors + [item.key]):
        return None
    return resolve_name(normal(item.key))


def table_facts(table: Table) -> list[Fact]:
    """Amount facts of every labelled cell of a money table."""
    if table.kind not in TABLE_SCOPES:
        return []
    facts, where = [], table.name
    for segment in table.segments:
        columns = [(column, part_of(column.label), scope_of(table, column.label)) for column in segment.columns]
        for item in segment.items:
            concept = item_concept(table, segment, item)
            if concept is None:
                continue
            for column, part, scope in columns:
                cell = item.values.get(column.index)
                if cell is None or cell.blank:
                    continue
                value = cell_value(cell, table.unit)
                if value is None:
                    continue
                name = concept
                if part != "total" and concept in ("agg:支出总计", "agg:基本支出"):
                    name, part = PART_CONCEPTS[part], "total"
                facts.append(Fact(name, "amount", "current", value, cell.span,
                                  label=f"{item.name}（{column.label}）", origin="table",
                                  scope=scope, part=part, where=where, printed=cell.text))
    return facts


def table_figure(document, claim) -> tuple[Fact, bool] | None:
    """The table figure a claim's amount is compared with (BL201), and whether they agree: one
    that agrees if any does, else the one of the claim's fund scope, else the first. None when
    the claim has no amount, no concept, or no table prints its concept."""
    if claim.amount_value is None or not claim.concept:
        return None
    cells = document.facts.find(claim.concept, "amount", origin="table")
    if not cells:
        return None
    agreeing = next((f for f in cells if document.config.agrees(claim.amount_value, f.value)), None)
    if agreeing:
        return agreeing, True
    return next((f for f in cells if f.scope == claim.scope), cells[0]), False
