"""Tables: tab-separated rows → header, columns, line items with codes and an outline.

A table is read once into `Cell`s (exact decimals with their printed precision and their
position) and `Item`s (one labelled line of one side of the table, with its classification
code and its place in the outline). `Table.frame` gives the same table as a pandas DataFrame.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter

from .document import Block, Document, Located, Span, new_span
from .numbers import Number, parse_number
from .reader import row_cells
from .once import once

_NUMBER_RE = re.compile(r"^表\s*(\d{1,3})")
# "公开表一", "公开 01表", "附表3": a table's number as the Jiangsu and other templates print it
_PUBLIC_NUMBER = re.compile(r"(?:公开|附)\s*(?:表\s*([一二三四五六七八九十]+|\d{1,2})|(\d{1,2})\s*表)")
_TITLE_TAIL = re.compile(r"(?:部门名称|部门|编制单位|单位名称|单位)\s*[:：].*$")
_UNIT_RE = re.compile(r"单位[:：]\s*(万元|亿元|元)|[（(](万元|亿元|元)[)）]")
_CODE_CELL = re.compile(r"^\d{2,7}$")
_INLINE_CODE = re.compile(r"^\s*\[?(\d{3,7})\]?\s+(\S.*)$")
_SEPARATOR = re.compile(r"^[-:|\s]*$")
_L1 = re.compile(r"^[一二三四五六七八九十]+、")
_L2 = re.compile(r"^(?:\d{1,2}\s*[.、．](?!\d)|[（(][一二三四五六七八九十\d]+[）)])")
_OF_WHICH = re.compile(r"^其中\s*[:：]\s*")
_TEXT_HEADER = re.compile(r"^项目$|名称$|内容$|^功能分类$|^经济分类$|^科目$")
_CODE_HEADER = re.compile(r"^(?:类|款|项)$|编码|代码")

TOTAL_NAMES = {"合计", "总计", "收入总计", "支出总计", "本年收入合计", "本年支出合计", "收入合计",
               "支出合计", "收入总计合计", "支出总计合计"}
_SUBTOTAL = re.compile(r"^(?:当年|本年)(?:收入|支出)(?:小计|合计)$")

# Order matters: the first pattern that a normalised title contains decides its kind.
KINDS = (
    ("three_public", ("三公",)),
    ("performance_unit", ("整体绩效目标",)),
    ("performance_project", ("绩效目标",)),
    ("carryover", ("结转结余",)),
    ("operating_cost", ("机关运行经费",)),
    ("gov_fund", ("政府性基金",)),
    ("soe_capital", ("国有资本经营",)),
    ("basic_expenditure", ("基本支出",)),
    ("project_expenditure", ("项目支出",)),
    ("fiscal_summary", ("财政拨款收支", "财政拨款收入支出决算总")),
    ("general_budget", ("一般公共预算",)),
    ("procurement", ("政府采购",)),
    ("summary", ("收支总", "收支预算总", "收支总体", "收支决算总", "财务收支", "收入支出决算总")),
    ("income", ("收入",)),
    ("expenditure", ("支出",)),
)


@lru_cache(maxsize=65536)
def squeeze(text: str) -> str:
    """Text without any white space (titles and headers are printed with stray spaces)."""
    return "".join(text.split())


# Tables of money whose lines are read as items with codes and an outline (the others, such as
# performance targets, are read row by row by their own module).
MONEY_KINDS = {"summary", "income", "expenditure", "fiscal_summary", "general_budget", "basic_expenditure",
               "project_expenditure", "three_public", "gov_fund", "soe_capital", "operating_cost",
               "carryover", "procurement"}


def code_system(code: str) -> str:
    """Economic classes are 301…399, functional classes 201…234: the first digit tells."""
    return "econ" if code.startswith("3") else "fn"


@lru_cache(maxsize=4096)
def kind_of(title: str) -> str:
    title = squeeze(title).replace("“", "").replace("”", "").replace('"', "")
    for kind, needles in KINDS:
        if any(needle in title for needle in needles):
            return kind
    return "other"


_BLANK = {"", "-", "—", "－", "/"}
# a header row that says whose table it is and in what unit, not what a column holds
_HEADER_NOTE = re.compile(r"^(?:部门|单位|编制单位|部门名称|单位名称)[:：]")
# first characters of a printed figure (besides other digits, which str.isdigit knows)
_NUMBER_STARTS = frozenset("0123456789-+－＋０１２３４５６７８９")
# first characters a numbered or 其中 line can start with (the rest need no regex)
_MARK_STARTS = set("其一二三四五六七八九十0123456789（(")


class Cell:
    """One table cell: its text, the figure it prints (if any) and where it is."""

    __slots__ = ("text", "number", "blank", "line", "column", "_content")

    def __init__(self, text: str, line: int = 0, column: int = 0, content: Located | None = None):
        self.text = text
        self.line = line
        self.column = column
        self._content = content
        self.blank = text in _BLANK
        first = text[:1]
        self.number: Number | None = parse_number(text) if first in _NUMBER_STARTS or first.isdigit() else None

    def __repr__(self) -> str:
        return f"Cell({self.text!r})"

    @property
    def content(self) -> Located:
        """The text with its position in the input."""
        if self._content is None:
            self._content = Located.run(self.text, self.line, self.column)
        return self._content

    @property
    def span(self) -> Span:
        if self._content is None and self.text:  # a plain cell: one run of characters on one line
            return new_span((self.line, self.column, self.line, self.column + len(self.text)))
        return self.content.span()


_EMPTY = Cell("")


@dataclass
class Column:
    index: int
    label: str
    group: str
    role: str  # code | text | number


@dataclass(eq=False)
class Item:
    """One labelled line of one side of a table."""

    row: int
    name: str
    label: Cell
    values: dict[int, Cell]
    code: str | None = None
    parent: "Item | None" = None
    children: list["Item"] = field(default_factory=list)
    marker: str = field(init=False)  # how the name is numbered: L1 (一、) | L2 (1.) | of_which | ""
    key: str = field(init=False)  # the name without numbering or 其中：
    is_subtotal: bool = field(init=False)  # 当年收入小计: the lines above it, not the carry-over below
    is_total: bool = field(init=False)

    def __post_init__(self):
        squeezed = squeeze(self.name)
        if squeezed[:1] in _MARK_STARTS:  # only these can start a numbering or 其中
            self.marker = _marker(squeezed)
            self.key = _L2.sub("", _L1.sub("", _OF_WHICH.sub("", squeezed)))
        else:
            self.marker, self.key = "", squeezed
        self.is_subtotal = self.code is None and bool(_SUBTOTAL.match(self.key))
        self.is_total = self.code is None and (self.key in TOTAL_NAMES or self.is_subtotal)

    @property
    def span(self) -> Span:
        return self.label.span


@dataclass
class Segment:
    """The columns of one side of a table (收入 | 支出) with their line items."""

    text_column: Column | None
    code_columns: list[Column]
    columns: list[Column]
    items: list[Item] = field(default_factory=list)

    @property
    def side(self) -> str:
        label = (self.text_column.group + self.text_column.label) if self.text_column else ""
        return "income" if "收入" in label else "expenditure"

    @property
    def totals(self) -> list[Item]:
        return [item for item in self.items if item.is_total]

    def roots(self) -> list[Item]:
        return [item for item in self.items if item.parent is None and not item.is_total]

    def total_parts(self):
        """Each total row with what it adds up: the top lines above it (all of them for a total
        printed first); for a subtotal, only those since the previous total. One pass over the
        lines (a table of many totals must not take the square of its length per total)."""
        before: list[Item] = []
        since_total: list[Item] = []
        for item in self.items:
            if item.is_total:
                if not before:
                    yield item, self.roots()
                else:
                    yield item, since_total if item.is_subtotal else before
                since_total = []
                before = list(before)  # the parts given out stay as they were
            elif item.parent is None:
                before.append(item)
                since_total.append(item)


@dataclass
class Table:
    number: str | None
    title: str
    kind: str
    unit: str | None
    header: list[list[Cell]]
    rows: list[list[Cell]]
    columns: list[Column]
    segments: list[Segment]
    line: int
    end_line: int
    note: str | None = None
    title_span: Span | None = None

    @once
    def header_paths(self) -> list[tuple[str, ...]]:
        """Each column's headings from the top: ("“三公”经费", "公务用车购置及运行维护费", "小计").

        A blank heading cell belongs to the heading on its left when the column has a heading
        further down (a cell merged across columns), and to the one above otherwise (merged
        down): the same reading a person gives a nested header."""
        rows = [squeezed(row) for row in self.header
                if not _has_header_marker(row) and not any(_HEADER_NOTE.match(squeeze(cell.text)) for cell in row)]
        width = len(self.columns)
        filled = [list(row) + [""] * (width - len(row)) for row in rows]
        for r, row in enumerate(filled):
            for c in range(1, width):
                if not row[c] and row[c - 1] and any(filled[k][c] for k in range(r + 1, len(filled))):
                    row[c] = row[c - 1]
        paths = []
        for c in range(width):
            path: list[str] = []
            for row in filled:
                label = row[c]
                if label and not label.isdigit() and (not path or path[-1] != label):
                    path.append(label)
            paths.append(tuple(path))
        return paths

    @property
    def empty(self) -> bool:
        return not any(not cell.blank for row in self.rows for cell in row)

    @property
    def name(self) -> str:
        return f"{self.number or ''}《{self.title}》" if self.title else (self.number or "表")

    def items(self):
        for segment in self.segments:
            yield from segment.items

    @once
    def frame(self):
        """The table as a pandas DataFrame: text columns as text, figures as exact Decimals."""
        import pandas as pd

        labels, seen = [], {}
        for column in self.columns:
            label = column.label or f"列{column.index + 1}"
            seen[label] = seen.get(label, 0) + 1
            labels.append(label if seen[label] == 1 else f"{label}.{seen[label] - 1}")
        data = []
        for row in self.rows:
            values = []
            for column in self.columns:
                cell = row[column.index] if column.index < len(row) else None
                if cell is None or cell.blank:
                    values.append(None)
                elif column.role == "number" and cell.number is not None:
                    values.append(cell.number.value)
                else:
                    values.append(cell.text)
            data.append(values)
        frame = pd.DataFrame(data, columns=labels)
        frame.attrs.update(number=self.number, title=self.title, kind=self.kind, unit=self.unit)
        return frame


_HEADER_MARKS = {"※", "*"}
_text = attrgetter("text")


def squeezed(row: list[Cell]) -> list[str]:
    """The texts of a row's cells without white space."""
    return list(map(squeeze, map(_text, row)))


def _has_header_marker(row: list[Cell]) -> bool:
    return not _HEADER_MARKS.isdisjoint(map(_text, row))


def _header_length(rows: list[list[Cell]]) -> int:
    """How many leading rows are column headings."""
    for index, row in enumerate(rows[:8]):
        if _has_header_marker(row):
            last = index
            while last + 1 < len(rows) and _has_header_marker(rows[last + 1]):
                last += 1
            return last + 1
    for index, row in enumerate(rows):
        if any(cell.number is not None and "." in cell.text for cell in row):
            return index
    return min(len(rows), 1)


def _columns(header: list[list[Cell]], data: list[list[Cell]], width: int) -> list[Column]:
    labels = [""] * width
    for row in reversed(header):
        for index, cell in enumerate(row):
            text = squeeze(cell.text)
            if not labels[index] and text and not text.isdigit() and text not in _HEADER_MARKS:
                labels[index] = text
    groups = [""] * width
    if header:
        current = ""
        for index in range(width):
            text = squeeze(header[0][index].text) if index < len(header[0]) else ""
            current = text or current
            groups[index] = current
    columns = []
    for index, label in enumerate(labels):
        cells = [row[index] for row in data if not row[index].blank]  # rows are padded to the width
        if _CODE_HEADER.search(label) and (
                not cells or sum(1 for cell in cells if _CODE_CELL.match(cell.text)) >= len(cells) / 2):
            role = "code"
        elif _TEXT_HEADER.search(label) or sum(1 for cell in cells if cell.number is not None) < len(cells) / 2:
            role = "text"
        else:
            role = "number"
        columns.append(Column(index, label, groups[index], role))
    return columns


def _segments(columns: list[Column]) -> list[Segment]:
    segments: list[Segment] = []
    pending: list[Column] = []
    for column in columns:
        if column.role == "code":
            pending.append(column)
        elif column.role == "text":
            segments.append(Segment(column, pending, []))
            pending = []
        elif segments:
            segments[-1].columns.append(column)
        else:
            segments.append(Segment(None, pending, [column]))
            pending = []
    return segments


def _code(row: list[Cell], segment: Segment, name: str) -> tuple[str | None, str]:
    parts = []
    for column in segment.code_columns:
        text = row[column.index].text.strip() if column.index < len(row) else ""
        if not text:
            break
        if not _CODE_CELL.match(text):
            return None, name
        parts.append(text)
    if parts:
        return "".join(parts), name
    inline = _INLINE_CODE.match(name)
    if inline:
        return inline.group(1), inline.group(2).strip()
    return None, name


def _marker(name: str) -> str:
    """The numbering a squeezed line name starts with."""
    if _OF_WHICH.match(name):
        return "of_which"
    if _L1.match(name):
        return "L1"
    if _L2.match(name):
        return "L2"
    return ""


def _link(parent: Item, child: Item) -> None:
    child.parent = parent
    parent.children.append(child)


def _outline_by_code(items: list[Item]) -> None:
    """Each coded line goes under the last line above it whose code begins its own."""
    last: dict[str, tuple[int, Item]] = {}  # code → (place, line) of its last line so far
    for index, item in enumerate(items):
        code = item.code
        if not code:
            continue
        above = [last[code[:n]] for n in range(1, len(code)) if code[:n] in last]
        if above:
            _link(max(above)[1], item)
        last[code] = (index, item)


def _outline_by_marker(items: list[Item]) -> None:
    """Nest items by their numbering: 一、 > 1. > 其中：, unnumbered lines under the last number."""
    stack: list[tuple[int, Item]] = []
    previous_level, previous_marker = 0, ""
    for item in items:
        if item.is_total:
            previous_level, previous_marker = 0, ""
            continue
        if item.marker == "L1" or item.key == "小计":  # 小计 heads the unnumbered lines below it
            level = 1
        elif item.marker == "L2":
            level = 2
        elif item.marker == "of_which":
            level = previous_level + 1
        elif previous_marker in {"L1", "L2"}:
            level = previous_level + 1
        else:
            level = previous_level or 1
        while stack and stack[-1][0] >= level:
            stack.pop()
        if stack:
            _link(stack[-1][1], item)
        stack.append((level, item))
        previous_level, previous_marker = level, "L1" if item.key == "小计" else item.marker


def _items(rows: list[list[Cell]], segment: Segment) -> list[Item]:
    items = []
    for index, row in enumerate(rows):
        if segment.text_column and segment.text_column.index < len(row):
            label = row[segment.text_column.index]
        else:
            label = row[segment.columns[0].index] if segment.columns and segment.columns[0].index < len(row) \
                else _EMPTY
        values = {c.index: row[c.index] for c in segment.columns if c.index < len(row)}
        code, name = _code(row, segment, label.text.strip())
        if not name and not code and all(cell.blank for cell in values.values()):
            continue
        items.append(Item(index, name, label, values, code))
    if any(item.code for item in items):
        _outline_by_code(items)
    else:
        _outline_by_marker(items)
    return items


def _number(text: str) -> tuple[str | None, str]:
    """The table number a title line starts with, and the rest of the line."""
    if (match := _NUMBER_RE.match(text)) and len(text) <= 8:
        return f"表{match.group(1)}", ""
    if match := _PUBLIC_NUMBER.search(text):  # may follow the previous table's note on one line
        from .contents import chinese_number

        digits = match.group(1) or match.group(2)
        value = int(digits) if digits.isdigit() else chinese_number(digits)
        return (f"表{value}" if value else None), text[match.end():]
    return None, text


def _metadata(blocks: list[Block], start: int) -> tuple[str | None, str, Span | None, str | None]:
    """Number, title, title position and unit from the blocks just above a table."""
    number = title = unit = None
    title_span = None
    for block in reversed(blocks[max(0, start - 8):start]):
        if block.kind == "row":
            break
        text = squeeze(block.text)
        if unit is None and (match := _UNIT_RE.search(text)):
            unit = match.group(1) or match.group(2)
        found, rest = _number(text)
        if found and number is None:
            number = found
        text = _TITLE_TAIL.sub("", rest)
        if not text:
            continue
        if title is None and ("表" in text or block.kind == "heading") and not text.startswith(
                ("编制单位", "单位:", "单位：", "(", "（")) and not _NUMBER_RE.match(text):
            # keep the printed spacing unless a number or a 部门/单位 tail was cut off
            cut = found or text != squeeze(block.text)
            title, title_span = (text if cut else block.text.strip()), block.span
        if number and title:
            break
        if block.kind == "heading" and title is not None and block.text.strip() != title:
            break
    return number, title or "", title_span, unit


def _drop_repeated_headers(rows: list[list[Cell]], header_length: int) -> list[list[Cell]]:
    header = [squeezed(row) for row in rows[:header_length]]

    def same(row: list[Cell], labels: list[str]) -> bool:
        return len(row) == len(labels) and squeeze(row[0].text) == labels[0] and all(
            squeeze(c.text) == label for c, label in zip(row, labels))

    kept, index = rows[:header_length], header_length
    while index < len(rows):
        if header and same(rows[index], header[0]):
            skip = 0
            while skip < len(header) and index + skip < len(rows) and same(rows[index + skip], header[skip]):
                skip += 1
            index += skip
            continue
        kept.append(rows[index])
        index += 1
    return kept


def _separator_row(raw: str, cells: list[Cell]) -> bool:
    """A markdown rule line (|---|:--:|): without markup the line as given tells."""
    if "<" in raw or "*" in raw:
        return all(_SEPARATOR.match(cell.text) for cell in cells)
    return bool(_SEPARATOR.match(raw))


def _build(blocks: list[Block], start: int, end: int) -> Table:
    raw, row_blocks = [], []
    for block in blocks[start:end]:
        cells = row_cells(block.raw, block.line, Cell, _EMPTY)
        if not _separator_row(block.raw, cells):
            raw.append(cells)
            row_blocks.append(block)
    header_length = _header_length(raw)
    raw = _drop_repeated_headers(raw, header_length)
    width = max((len(row) for row in raw), default=0)
    raw = [row + [_EMPTY] * (width - len(row)) for row in raw]
    header, data = raw[:header_length], raw[header_length:]
    columns = _columns(header, data, width)
    number, title, title_span, unit = _metadata(blocks, start)
    kind = kind_of(title)
    segments = _segments(columns) if kind in MONEY_KINDS else []
    for segment in segments:
        segment.items = _items(data, segment)
    for row in header:
        for cell in row:
            if unit is None and (match := _UNIT_RE.search(cell.text)):
                unit = match.group(1) or match.group(2)
    note = None
    if end < len(blocks) and blocks[end].kind == "paragraph" and squeeze(blocks[end].text).startswith(
            ("备注", "注:", "注：", "说明")):
        note = blocks[end].text
    first, last = row_blocks[0] if row_blocks else blocks[start], blocks[end - 1]
    return Table(number, title, kind, unit, header, data, columns, segments,
                 first.line, last.line, note, title_span)


def extract_tables(document: Document) -> list[Table]:
    """Every run of table rows (blank lines between pages allowed) as one Table."""
    tables, blocks, index = [], document.blocks, 0
    while index < len(blocks):
        if blocks[index].kind != "row":
            index += 1
            continue
        end = index
        while end < len(blocks) and blocks[end].kind == "row":
            end += 1
        tables.append(_build(blocks, index, end))
        index = end
    return tables
