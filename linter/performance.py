"""Performance-target tables (绩效目标表): project, budget, indicators with their weights."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .numbers import Number, parse_number
from .tables import Cell, Table, squeeze, squeezed

_COST = re.compile(r"^[<≤＜]=?\s*([\d.,]+)\s*(万元|元)$")


@dataclass
class Indicator:
    level1: str  # 产出指标 / 效益指标 / 满意度指标 / 成本指标 …
    level2: str
    name: str
    value: str
    weight: Number | None
    cell: Cell  # the indicator's name cell
    weight_cell: Cell | None

    @property
    def cost_limit(self) -> Decimal | None:
        """The ceiling of a cost indicator ("≤2.60万元") in 万元, or None."""
        match = _COST.match(squeeze(self.value))
        if not match or (number := parse_number(match.group(1))) is None:
            return None
        return number.value / 10000 if match.group(2) == "元" else number.value


@dataclass
class Target:
    table: Table
    project: str | None
    project_cell: Cell | None
    budget: Number | None
    budget_cell: Cell | None
    indicators: list[Indicator] = field(default_factory=list)

    @property
    def weight_total(self) -> Decimal | None:
        weights = [i.weight.value for i in self.indicators if i.weight is not None]
        return sum(weights, Decimal(0)) if weights else None

    @property
    def categories(self) -> set[str]:
        return {re.sub(r"指标$", "", squeeze(i.level1)) for i in self.indicators if i.level1}


def _after(row: list[Cell], texts: list[str], label: str) -> Cell | None:
    """The first non-empty cell after the cell that starts with `label` (`texts`: the row's
    texts without white space)."""
    for index, text in enumerate(texts):
        if text.startswith(label):
            if text[len(label):].lstrip(":："):
                return row[index]
            return next((c for c in row[index + 1:] if c.text.strip()), None)
    return None


def read_target(table: Table) -> Target:
    rows = table.header + table.rows
    target = Target(table, None, None, None, None)
    columns: list[int] | None = None  # 一级指标, 二级指标, 三级指标, 指标值, 权重
    level1 = level2 = ""
    for row in rows:
        texts = squeezed(row)
        line = "\t".join(texts)  # a label no cell starts with is not in the line either
        if target.project is None and "项目名称" in line and (cell := _after(row, texts, "项目名称")):
            target.project, target.project_cell = cell.text.strip(), cell
        for label in ("年度预算总额", "资金总额", "合计："):
            if target.budget is None and label in line and (cell := _after(row, texts, label)) \
                    and cell.number is not None:
                target.budget, target.budget_cell = cell.number, cell
        if "一级指标" in texts:  # the header of the indicators: where each of their columns is
            columns = [texts.index("一级指标")] + [
                next((texts.index(n) for n in names if n in texts), -1)
                for names in (("二级指标",), ("三级指标",), ("指标值",), ("指标分值权重", "权重", "分值"))]
            continue
        if columns is None or not any(texts):
            continue
        first, second, name, value, weight_cell = (row[i] if 0 <= i < len(row) else None for i in columns)
        if name is None or not name.text.strip() or texts[columns[2]].startswith("备注"):
            continue
        level1 = texts[columns[0]] or level1 if first else level1
        level2 = texts[columns[1]] or level2 if second else level2
        target.indicators.append(Indicator(level1, level2, name.text.strip(), value.text if value else "",
                                           weight_cell.number if weight_cell is not None else None,
                                           name, weight_cell))
    return target


def targets(tables: list[Table], kind: str = "performance_project") -> list[Target]:
    return [read_target(table) for table in tables if table.kind == kind]
