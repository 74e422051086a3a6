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
    columns: list[int] | None = None  # where its indicator columns were (一级指标 … 权重)

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


# the column that names each project of a table listing several ("单位（项目）名称")
_NAME_COLUMN = re.compile(r"项目\)?）?名称$|^项目$")
_AMOUNT_COLUMN = re.compile(r"资金总额|年度预算|预算金额|预算数")


def _indicator_columns(texts: list[str]) -> list[int]:
    """Where the 一级指标, 二级指标, 三级指标, 指标值 and 权重 columns are, from their header row."""
    return [texts.index("一级指标")] + [
        next((texts.index(n) for n in names if n in texts), -1)
        for names in (("二级指标",), ("三级指标",), ("指标值",), ("指标分值权重", "权重", "分值"))]


# a first-level indicator's name, as a continuation page without a header starts its rows
_LEVEL1 = re.compile(r"^(产出|效益|满意度|成本|效果|影响)指标$")


def _carried(texts: list[str], carried: list[int] | None) -> list[int] | None:
    """The indicator columns of a continuation without a header: those of the page before,
    shifted to where this row names its first-level indicator (a spanning cell on either page
    leaves one column fewer on the other)."""
    at = next((i for i, text in enumerate(texts) if _LEVEL1.match(text)), None)
    if carried is None or at is None:
        return None
    return [c + at - carried[0] if c >= 0 else -1 for c in carried]


def read_targets(table: Table, carried: list[int] | None = None) -> list[Target]:
    """The targets of one table: one per table, or, where a column names the projects, one per
    project row with the indicator rows under it. Indicator rows before the first project row
    continue a project of the page before (a target with no project); without a header of their
    own they are read in the `carried` columns of that page."""
    rows = table.header + table.rows
    target = Target(table, None, None, None, None)
    found = [target]
    columns: list[int] | None = None  # 一级指标, 二级指标, 三级指标, 指标值, 权重
    name_at = amount_at = None
    level1 = level2 = ""
    for row in rows:
        texts = squeezed(row)
        line = "\t".join(texts)  # a label no cell starts with is not in the line either
        if name_at is None and target.project is None and "项目名称" in line \
                and (cell := _after(row, texts, "项目名称")):
            target.project, target.project_cell = cell.text.strip(), cell
        for label in ("年度预算总额", "资金总额", "合计："):
            if name_at is None and target.budget is None and label in line \
                    and (cell := _after(row, texts, label)) and cell.number is not None:
                target.budget, target.budget_cell = cell.number, cell
        if name_at is None and columns is None:
            # a header naming the projects' column beside their amounts' (not "项目名称 | 甲")
            names = [i for i, text in enumerate(texts) if _NAME_COLUMN.search(text)]
            amounts = [i for i, text in enumerate(texts) if _AMOUNT_COLUMN.search(text)]
            if names and amounts:  # a list of projects: no label names the table's one project
                name_at, amount_at = names[0], amounts[0]
                target.project = target.project_cell = target.budget = target.budget_cell = None
        if "一级指标" in texts:  # the header of the indicators: where each of their columns is
            columns = target.columns = _indicator_columns(texts)
            continue
        if columns is None and target is found[0] and target.project is None and name_at is None:
            columns = target.columns = _carried(texts, carried)
        if columns is None or not any(texts):
            continue
        if name_at is not None and name_at < len(row) and texts[name_at] and texts[name_at] not in ("合计", "小计"):
            budget = row[amount_at] if amount_at is not None and amount_at < len(row) else None
            target = Target(table, texts[name_at], row[name_at],
                            budget.number if budget is not None else None, budget, columns=columns)
            found.append(target)
            level1 = level2 = ""
        first, second, name, value, weight_cell = (row[i] if 0 <= i < len(row) else None for i in columns)
        if name is None or not name.text.strip() or texts[columns[2]].startswith("备注"):
            continue
        level1 = texts[columns[0]] or level1 if first else level1
        level2 = texts[columns[1]] or level2 if second else level2
        target.indicators.append(Indicator(level1, level2, name.text.strip(), value.text if value else "",
                                           weight_cell.number if weight_cell is not None else None,
                                           name, weight_cell))
    return [t for t in found if t.indicators or t is found[0] and name_at is None]


# an indicator's label or level as a targets table prints it: 指标8：…, 产出指标, 满意度指标
_INDICATOR_LABEL = re.compile(r"指标\d{1,2}\s*[：:]|(?:产出|数量|质量|时效|成本|效益|满意度)指标")
# how many lines from a targets table its spilt labels and cells stand
_NEAR = 3


def targets_table(table: Table) -> bool:
    """A table of indicators: a performance table, or a page of one whose rows are mostly
    labelled indicators (a continuation without the title)."""
    if table.kind.startswith("performance"):
        return True
    rows = table.header + table.rows
    labelled = sum(any(_INDICATOR_LABEL.match(squeeze(cell.text)) for cell in row) for row in rows)
    return bool(rows) and labelled * 2 >= len(rows)


def table_debris(text: str, line: int, tables: list[Table]) -> bool:
    """Whether a line of text beside a targets table is what is left of its cells (vertical labels
    and indicator cells run together: "年 指标15：资金使用的规范性 100%度"), not a sentence: it
    carries an indicator's label and stands at the table's edge."""
    return bool(_INDICATOR_LABEL.search(squeeze(text))) and any(
        table.line - _NEAR <= line <= table.end_line + _NEAR and targets_table(table) for table in tables)


def _continues(target: Target, previous: Target | None) -> bool:
    """A table continued on the next page repeats its header, and often its project's row."""
    if previous is None:
        return False
    if target.project is None:
        return target.table is not previous.table
    return target.project == previous.project and (
        target.budget is None or previous.budget is None or target.budget.value == previous.budget.value)


def targets(tables: list[Table], kind: str = "performance_project") -> list[Target]:
    found: list[Target] = []
    for table in tables:
        if table.kind != kind:
            continue
        for target in read_targets(table, found[-1].columns if found else None):
            previous = found[-1] if found else None
            if _continues(target, previous):
                previous.indicators.extend(target.indicators)
            else:
                found.append(target)
    return found
