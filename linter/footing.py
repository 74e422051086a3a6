"""A table's own arithmetic, and how far its reading can be trusted.

Down: a line against its parts (by code or numbering) and each 合计 against the lines it adds up.
Across: a row's total column against its part columns, read from the nested header. The same
checks are the evidence of the reading: a table whose figures stand in text columns, or that
fails most of its own totals, was misread rather than misprinted (DESIGN, "Trust"), so none of
its figures is compared and it is reported once.

Misread or misprinted: a failed total is counted against the reading one by one, unless the other
direction vouches for it (_printed): the failing line adds up across its row and into the line
above it, the failing row's total adds up down its column under a header whose block of the same
build adds up, and no difference is once too much and once too little in a column. Then the
failures are the document's, each cause counts once, and they are reported (BL101/BL102) rather
than abstained on.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from .concepts import normal, relations, resolve_name
from .document import Span
from .facts import FACT_KINDS, cell_value
from .identity import heading_year, stage_of
from .interval import Interval, total
from .numbers import UNIT_SCALE
from .tables import Cell, Column, Item, Segment, Table

TOTAL_LABELS = {"合计", "总计", "小计"}
# below this a table is not read well enough to accuse it or compare its figures
TRUSTED = 0.75
# fewer checks than this say too little about the reading to distrust a table for them
MIN_CHECKS = 3


@dataclass(eq=False)
class Check:
    """One stated figure against the sum of its parts."""

    kind: str  # down | across
    table: Table
    item: Item
    column: Column  # the column of the stated figure
    stated: Interval
    computed: Interval
    parts: list  # the parts added up: lines (down) or columns (across)
    partial: bool = False  # a lone 其中 line: it may only not exceed its parent
    ok: bool = True

    @property
    def cell(self) -> Cell:
        return self.item.values[self.column.index]

    @property
    def span(self) -> Span:
        """The stated figure's cell; a blank cell (read as 0) has no place of its own: its line's."""
        return self.cell.span if self.cell.line else self.item.span

    @property
    def expected(self) -> str:
        """The sum as the table would print it: its own unit, decimals and thousands separators."""
        scale = UNIT_SCALE.get(self.table.unit or "万元", Decimal(1))
        places = self.cell.number.places if self.cell.number is not None else 2
        printed = self.computed.scale(1 / scale).format(places)
        if "," in self.cell.text and printed.lstrip("-").replace(".", "").isdigit():  # 1,256,000.00 as printed
            return f"{Decimal(printed):,.{places}f}"
        return printed

    @property
    def gap(self) -> Decimal:
        """The difference, to the cent: the failures of one misread or mistyped figure share it."""
        middle = (self.computed.lo + self.computed.hi - self.stated.lo - self.stated.hi) / 2
        with localcontext() as context:  # a figure of more digits than the default precision
            context.prec = max(context.prec, middle.adjusted() + 4)
            return middle.quantize(Decimal("0.01"))


def _heading(item: Item) -> bool:
    """A line printed without any figure over lines that have them (1、财政拨款 over (1)一般公共
    预算拨款收入 …): a heading whose amount is its lines', not a zero."""
    return bool(item.children) and all(cell.blank for cell in item.values.values())


def _value(table: Table, item: Item, column: Column) -> Interval | None:
    if _heading(item):
        parts = [_value(table, child, column) for child in item.children]
        return None if any(part is None for part in parts) else total(parts)
    cell = item.values.get(column.index)
    return None if cell is None else cell_value(cell, table.unit)


def _down(table: Table, segment: Segment, parent: Item, children: list[Item], partial: bool, config):
    for column in segment.columns:
        stated = _value(table, parent, column)
        parts = [_value(table, child, column) for child in children]
        if stated is None or any(part is None for part in parts):
            continue
        computed = total(parts)
        if partial:
            ok = computed.lo <= stated.hi + config.tolerance
        else:
            ok = config.agrees(stated, computed)
        yield Check("down", table, parent, column, stated, computed, children, partial, ok)


def column_groups(table: Table, segment: Segment) -> list[tuple[Column, list[Column]]]:
    """(total column, component columns), read from the nested header: 合计 = 基本支出 + 项目支出;
    合计 = “三公”经费(小计) + 会议费 + 培训费; 小计 = 因公出国 + 公务用车(小计) + 公务接待."""
    paths = table.header_paths
    columns = [c for c in segment.columns if c.index < len(paths)]
    groups = []
    for total_column in columns:
        path = paths[total_column.index]
        if not path or path[-1] not in TOTAL_LABELS:
            continue
        depth = len(path) - 1
        # a "其中：…" column is a part of the column before it, never one more summand; a column of
        # another year or stage (上年数, 2024年预算数 beside 合计), of changes or of shares is not a
        # summand at all
        when = stage_of(path), heading_year(path)
        siblings = [c for c in columns if c is not total_column and paths[c.index][:depth] == path[:depth]
                    and len(paths[c.index]) > depth and not paths[c.index][-1].startswith("其中")
                    and (stage_of(paths[c.index]), heading_year(paths[c.index])) == when]
        parts, seen = [], set()
        for column in siblings:
            label = paths[column.index][depth]
            if label in seen:
                continue
            seen.add(label)
            members = [c for c in siblings if paths[c.index][depth] == label]
            subtotal = [c for c in members if len(paths[c.index]) == depth + 2
                        and paths[c.index][-1] in TOTAL_LABELS]
            if subtotal:
                parts.append(subtotal[0])
            elif len(members) == 1 or all(len(paths[c.index]) == depth + 2 for c in members):
                parts.extend(members)
            else:
                parts = []  # a group whose own total is not printed: too deep to add up safely
                break
        parts = _outer(parts, paths)
        if len(parts) >= 2:
            groups.append((total_column, parts))
    return groups


def _outer(parts: list[Column], paths: list[tuple[str, ...]]) -> list[Column]:
    """The parts without those inside another part (a one-row header printing 基本支出 | 人员经费 |
    公用经费 | 项目支出: 人员经费 and 公用经费 are of 基本支出, not more summands of the 合计)."""
    inside = relations().parts
    concepts = {column.index: resolve_name(normal(paths[column.index][-1])) for column in parts}
    return [column for column in parts if not any(
        other is not column and concepts[column.index] and concepts[other.index]
        and concepts[column.index] in inside(concepts[other.index])
        and concepts[other.index] not in inside(concepts[column.index]) for other in parts)]


# a note saying lines were left out of the published table (涉密项目不予公开 …)
_WITHHELD = re.compile(r"剔除|不予公开|不公开|涉密|保密")


# the document saying so of all its tables: "部分涉密事项在预算公开时予以剔除"
_WITHHELD_FROM_ALL = re.compile(r"(?:涉密|保密)[^。；]{0,30}(?:剔除|不予公开|不公开)")


def withheld_everywhere(texts) -> bool:
    """Whether the document says lines were left out of all its published tables."""
    return any(_WITHHELD_FROM_ALL.search(text) for text in texts)


def down_checks(table: Table, config):
    # where lines were withheld, a total may only not fall short of the lines printed (any
    # parent's, where the document withheld lines from all its tables)
    withheld = table.withheld or bool(table.note and _WITHHELD.search(table.note))
    for segment in table.segments:
        for item in segment.items:
            if item.children and not _heading(item):
                partial = table.withheld or (len(item.children) == 1 and item.children[0].marker == "of_which")
                yield from _down(table, segment, item, item.children, partial, config)
        for item, parts in segment.total_parts():
            if parts:
                yield from _down(table, segment, item, parts, withheld, config)


def across_checks(table: Table, config):
    for segment in table.segments:
        for total_column, parts in column_groups(table, segment):
            for item in segment.items:
                stated = _value(table, item, total_column)
                values = [_value(table, item, column) for column in parts]
                if stated is None or any(v is None for v in values):
                    continue
                computed = total(values)
                yield Check("across", table, item, total_column, stated, computed, parts,
                            ok=config.agrees(stated, computed))


def causes(checks: list[Check], throughout: bool = False) -> list[list[Check]]:
    """Failed checks grouped by cause: one difference, along one column or one line (a figure
    typed wrong fails the totals above it; a line left out fails its parent in every column;
    a row of a table of several sides or blocks is one printed line). With `throughout`, a total
    column that fails across in every row with figures is one cause whatever its differences (a
    year's 合计 computed otherwise throughout); a reading is not judged so, as a misread header
    fails the same way. The deepest line comes first: the place nearest the defect."""
    whole = _failed_throughout(checks) if throughout else set()
    groups: list[list[Check]] = []
    joins: dict[tuple, list[Check]] = {}  # (kind, |gap|, "column" | "line", which) → its group
    for check in (check for check in checks if not check.ok):
        gap = abs(check.gap)  # a wrong figure is too large as a total, too small as a part
        keys = [(check.kind, gap, "column", check.column.index), (check.kind, gap, "line", check.item.row)]
        if check.kind == "across" and check.column.index in whole:
            keys.append(("across", "throughout", check.column.index))
        found = []
        for key in keys:
            group = joins.get(key)
            if group is not None and not any(group is other for other in found):
                found.append(group)
        group = found[0] if found else []
        if not found:
            groups.append(group)
        for other in found[1:]:  # the check joins two groups into one
            group.extend(other)
            groups.remove(other)
            for key, value in joins.items():
                if value is other:
                    joins[key] = group
        group.append(check)
        for key in keys:
            joins[key] = group
    return [sorted(group, key=lambda c: (-_depth(c.item), c.item.row)) for group in groups]


@dataclass
class Omission:
    """Rows whose total leaves out the same part column: one cause, however many rows and
    totals above them it fails."""

    part: Column  # the column left out
    rows: list[Check]  # across: each fails by exactly its own figure in `part`
    # the checks that fail by the same amounts because they add the short totals: the total
    # column's lines above the rows (by their sum), and larger totals across the same rows
    knock_on: list[Check]

    @property
    def omitted(self) -> Decimal:
        """What the rows leave out, each figure once: a total's or a unit's row that sums rows
        of the list is not added again."""
        items = {id(check.item) for check in self.rows}
        own = [check for check in self.rows if not check.item.is_total and not any(
            id(below) in items for below in _descendants(check.item))]
        return sum((check.item.values[self.part.index].number.value for check in own or self.rows), Decimal(0))


def _descendants(item: Item):
    stack = list(item.children)
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.children)


def omissions(down: list[Check], across: list[Check]) -> list[Omission]:
    """Rows of one table whose total fails by exactly their figure in one same column (at least
    two: one row is one finding anyway), with the checks that fail for it: the total column's
    lines above the rows, by the rows' sum, and other totals across the rows that fail by the
    row's figure."""
    candidates: dict[tuple[int, int], list[Check]] = {}
    for check in (check for check in across if check.kind == "across" and not check.ok):
        for part in check.parts:
            value = _value(check.table, check.item, part)
            if value is not None and not value.is_zero and value.meets(check.computed - check.stated):
                candidates.setdefault((check.column.index, part.index), []).append(check)
    found: list[Omission] = []
    taken: set[int] = set()
    for (_, part_index), rows in sorted(candidates.items(), key=lambda pair: -len(pair[1])):
        rows = [row for row in rows if id(row) not in taken]
        if len(rows) < 2:
            continue
        part = next(column for column in rows[0].parts if column.index == part_index)
        short = rows[0].column.index
        left_out = {id(row.item): _value(row.table, row.item, part) for row in rows}
        knock_on = []
        for check in (check for check in down if not check.ok and check.column.index == short):
            missing = [left_out[id(item)] for item in check.parts if id(item) in left_out]
            if missing and (check.stated - check.computed).meets(total(missing)):
                knock_on.append(check)
        # on the same rows, a total that fails by the row's left-out figure fails for it too: a
        # larger total adding the short one, or a 增减 column computed from it
        for check in (check for check in across if not check.ok and id(check.item) in left_out
                      and id(check) not in {id(row) for row in rows}):
            if (check.stated - check.computed).meets(left_out[id(check.item)]):
                knock_on.append(check)
        taken.update(id(check) for check in rows + knock_on)
        found.append(Omission(part, rows, knock_on))
    return found


def _failed_throughout(checks: list[Check]) -> set[int]:
    """The total columns whose every row with figures fails across (two rows at least)."""
    rows: dict[int, list[Check]] = {}
    for check in checks:
        if check.kind == "across" and not (check.stated.is_zero and check.computed.is_zero):
            rows.setdefault(check.column.index, []).append(check)
    return {index for index, found in rows.items() if len(found) >= 2 and not any(c.ok for c in found)}


def _depth(item: Item) -> int:
    depth, node = 0, item.parent
    while node is not None:
        depth, node = depth + 1, node.parent
    return depth


@dataclass
class Reading:
    """How far a table's reading can be trusted, and why not."""

    confidence: float
    reason_zh: str = ""
    reason_en: str = ""
    places: list[Span] = field(default_factory=list)  # the cells that show the problem

    @property
    def trusted(self) -> bool:
        return self.confidence >= TRUSTED


def assess(table: Table, config) -> Reading:
    """The reading's confidence from its own evidence: figures in the figure columns, and the
    share of its own totals that add up."""
    cells = [item.values[column.index] for segment in table.segments for item in segment.items
             for column in segment.columns if column.index in item.values]
    cells = [cell for cell in cells if not cell.blank]
    if not cells:
        return Reading(1.0)
    texts = [cell for cell in cells if cell.number is None]
    aligned = 1 - len(texts) / len(cells)
    # down and across are judged apart: rows that add across say nothing of the outline; a
    # blank total over blank parts says nothing at all
    footed, checks, failed = 1.0, [], []
    kinds = [[check for check in kind if not (check.stated.is_zero and check.computed.is_zero)]
             for kind in (down_checks(table, config), across_checks(table, config))]
    printed = _printed(table, *kinds)
    for kind in kinds:
        bad = [check for check in kind if not check.ok]
        count = _cause_count(bad)
        # one cause (a mistyped figure fails several totals) is one finding, whatever the share;
        # failures the other direction vouches for are the document's: each cause counts once
        share = 1.0 if count < 2 else 1 - (count if printed else len(bad)) / len(kind)
        if len(kind) >= MIN_CHECKS and share < footed:
            footed, checks, failed = share, kind, bad
    doubled = [check for check in down_checks(table, config) if not check.ok and _multiple(check, NEAR_MULTIPLE)]
    if doubled:  # parts that add up to twice or three times their total: levels added together
        near = ("", "") if any(_multiple(check) for check in doubled) else ("约", "about ")
        return Reading(0.0, f"合计{near[0]}为其下各行之和的整数分之一，各级科目被重复相加，层级未读出",
                       f"a total is {near[1]}a whole fraction of its parts: levels were added together, the "
                       "outline was not read", [check.span for check in doubled])
    if min(aligned, footed) >= TRUSTED:
        return Reading(min(aligned, footed))
    if aligned <= footed:
        return Reading(aligned, f"金额列中有 {len(texts)} 个单元格不是数字，列未对齐",
                       f"{len(texts)} cells of the figure columns are not figures: the columns are misaligned",
                       [cell.span for cell in texts])
    what = ("横向合计", "totals across") if checks[0].kind == "across" else ("合计", "totals")
    return Reading(footed, f"{len(checks)} 处{what[0]}中有 {len(failed)} 处不符（{len(causes(failed))} 种差额），表格结构未读准",
                   f"{len(failed)} of its {len(checks)} {what[1]} do not add up ({len(causes(failed))} different "
                   "differences): the table's structure was misread",
                   [check.span for check in failed])


def _cause_count(failed: list[Check]) -> int:
    """How many causes the failed checks show: rows leaving out one same column are one."""
    found = omissions([], failed)
    explained = {id(check) for omission in found for check in omission.rows + omission.knock_on}
    return len(found) + len(causes([check for check in failed if id(check) not in explained]))


def _printed(table: Table, down: list[Check], across: list[Check]) -> bool:
    """Whether the failed totals are the document's, not a misreading: each is vouched for by the
    other direction, and none follows the pattern of a misreading.

    - a line that fails against its parts adds up across its own row (its figures stand in the
      columns they were read in) and, as a part, into the line or total above it (its place in
      the outline is right: it is its parts that disagree);
    - a row that fails across holds, in its total column, a figure that adds up down that column,
      and a block of the header built the same way (2020年 | 2021年 | 增减: a 合计 over 小计, 会议费
      and 培训费 at the same places) adds up across in every row, so the header was read right;
    - no difference is found once too much and once too little in one column (a line read under
      the wrong parent fails the one by +x and the other by −x).
    A table that fails in a pattern of its own reading (columns shifted, levels added twice, a
    header misread in every block alike) shows none of this evidence and stays doubtful."""
    failed = [check for check in down + across if not check.ok]
    if not failed or any(len({check.gap > 0 for check in group if check.column.index == column}) > 1
                         for group in causes(failed) for column in {check.column.index for check in group}):
        return False
    rows: dict[int, list[Check]] = {}
    for check in across:
        rows.setdefault(check.item.row, []).append(check)
    columns: dict[tuple[int, int], list[Check]] = {}  # (column, row) → the down checks it is in
    above: dict[tuple[int, int], list[Check]] = {}  # (column, line) → the checks it is a part of
    for check in down:
        for item in (check.item, *check.parts):
            columns.setdefault((check.column.index, item.row), []).append(check)
        for item in check.parts:
            above.setdefault((check.column.index, id(item)), []).append(check)
    footed_shapes = _footed_shapes(table, across)
    for check in failed:
        if check.kind == "down":
            own = rows.get(check.item.row, [])
            if not own or not all(other.ok for other in own):
                return False
            own = above.get((check.column.index, id(check.item)), [])
            if not own or not all(other.ok for other in own):
                return False
        else:
            own = columns.get((check.column.index, check.item.row), [])
            if not own or not all(other.ok for other in own):
                return False
            if _shape(table, check.column, check.parts) not in footed_shapes:
                return False
    return True


def _shape(table: Table, total_column: Column, parts: list[Column]) -> tuple:
    """How a column group is built in the header: the total's depth and heading, and where its
    parts stand from it and how deep (the same in each year's block, whatever its labels)."""
    paths = table.header_paths
    path = paths[total_column.index]
    return (len(path), path[-1] if path else "",
            tuple((part.index - total_column.index, len(paths[part.index])) for part in parts))


def _footed_shapes(table: Table, across: list[Check]) -> set[tuple]:
    """The shapes of the column groups that add up across in every row that has figures."""
    groups: dict[int, list[Check]] = {}
    for check in across:
        groups.setdefault(check.column.index, []).append(check)
    return {_shape(table, checks[0].column, checks[0].parts)
            for checks in groups.values() if all(check.ok for check in checks)}


# how far from a whole multiple of their total the parts of a doubled outline may add: a figure
# wrong below the levels added together (业务经费 20 over 12 + 9, all lines in one sum: 121 for 60)
NEAR_MULTIPLE = Decimal("0.02")


def _multiple(check: Check, near: Decimal = Decimal(0)) -> bool:
    """Whether the parts add up to 2, 3 or 4 times the stated total, or within a `near` share of it."""
    if check.stated.is_zero:
        return False
    for factor in (2, 3, 4):
        multiple = check.stated.scale(factor)
        slack = abs(multiple).scale(near).hi
        if Interval(multiple.lo - slack, multiple.hi + slack).meets(check.computed):
            return True
    return False


def assess_tables(tables: list[Table], config, withheld: bool = False) -> list[Table]:
    """Each money table with its reading (its figures are used only when it is trusted)."""
    for table in tables:
        table.withheld = withheld
        if table.kind in FACT_KINDS:
            table.reading = assess(table, config)
    return tables
