"""Tables: tab-separated rows → header, columns, line items with codes and an outline.

A table is read once into `Cell`s (exact decimals with their printed precision and their
position) and `Item`s (one labelled line of one side of the table, with its classification
code and its place in the outline). `Table.frame` gives the same table as a pandas DataFrame.
"""
from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter

from .classification import system_of
from .document import Block, Document, Located, Span, new_span
from .interval import Interval, total
from .numbers import Number, parse_number
from .package_data import package_text
from .numbering import PUBLIC_TABLE_NUMBER as _PUBLIC_NUMBER
from .numbering import ROW_LEVEL_2 as _L2
from .numbering import SECTION as _L1
from .numbering import SUBSECTION
from .numbering import TABLE_NUMBER as _NUMBER_RE
from .numbering import chinese_number, mark
from .reader import row_cells
from .once import once

_TITLE_TAIL = re.compile(r"(?:部门名称|部门|编制单位|单位名称|单位)\s*[:：].*$")
_UNIT_RE = re.compile(r"单位[:：]\s*(千元|万元|亿元|元)|[（(](千元|万元|亿元|元)[)）]")
_CODE_CELL = re.compile(r"^\d{2,7}$")
_SPACED_CODE = re.compile(r"^\d{3}(?:\s+\d{2}){1,2}$")  # "201 03 01": one code, its levels printed apart
# a budget unit's own number (125001) heading the classes of that unit, not a classification code
UNIT_CODE = re.compile(r"^\d{6}$")
_INLINE_CODE = re.compile(r"^\s*(?:\[(\d{3,7})\]\s*|(\d{3}(?:\s+\d{2}){1,2}|\d{3,7})\s+)(\S.*)$")  # "201 一般…", "201 03 01 行政…", "[201]一般…"
_SEPARATOR = re.compile(r"^[-:|\s]*$")
_OF_WHICH = re.compile(r"^其中\s*[:：]\s*")
_TEXT_HEADER = re.compile(r"^项目$|名称$|内容$|^功能分类$|^经济分类$|^科目$")
_CODE_HEADER = re.compile(r"^(?:类|款|项)$|编码|代码")
# a column that numbers the lines (决算 tables: 行次 1, 2, 3 …): neither a name nor a figure
_INDEX_HEADER = re.compile(r"^(?:行次|栏次|序号)$")
_COLUMN_NUMBER = re.compile(r"^\d{1,2}$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")  # a year heading a block of columns (2024 | 2025)
_LEVEL_DIGITS = re.compile(r"^\d{2}$")
_MARKS = re.compile(r"^[*※]+$")
# how the name of a budget unit ends: 某某局, 某某监狱, 某某中心, 某某局（本级）
_ORGANISATION = re.compile(r"(?:局|委员会|委|办公室|办公厅|院|中心|部|厅|所|处|队|站|馆|狱|政府|街道|办事处|学校|医院|"
                           r"公司|本级)[）)]?$")

TOTAL_NAMES = {"合计", "总计", "收入总计", "支出总计", "本年收入合计", "本年支出合计", "收入合计",
               "支出合计", "收入总计合计", "支出总计合计"}
_SUBTOTAL = re.compile(r"^(?:当年|本年)(?:收入|支出)(?:小计|合计)$")

# What kind of table a title names, in order (the first match decides): data in
# rules/data/table-kinds.toml, so a template that titles its tables otherwise is a data change.
_KIND_DATA = tomllib.loads(package_text("data/table-kinds.toml"))["kinds"]
KINDS = tuple((entry["kind"], tuple(entry["words"])) for entry in _KIND_DATA)


@lru_cache(maxsize=65536)
def squeeze(text: str) -> str:
    """Text without any white space (titles and headers are printed with stray spaces)."""
    return "".join(text.split())


# Tables of money whose lines are read as items with codes and an outline (the others, such as
# performance targets, are read row by row by their own module), and those of them that restate
# each other.
MONEY_KINDS = frozenset(entry["kind"] for entry in _KIND_DATA if entry.get("money"))
FACT_KINDS = frozenset(entry["kind"] for entry in _KIND_DATA if entry.get("facts"))


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

    __slots__ = ("text", "number", "blank", "line", "column", "_content", "box", "indent")

    def __init__(self, text: str, line: int = 0, column: int = 0, content: Located | None = None):
        self.text = text
        self.line = line
        self.column = column
        self.box: tuple | None = None  # (page, x0, top, x1, bottom, indent) of a PDF's cell
        # how far the text starts from the cell's left edge, in characters (None: not known)
        self.indent: float | None = None
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
    role: str  # code | text | number | index (行次) | empty (a spacer)


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
    split: bool = False  # one of several lines of its code, told apart by a second classification
    misprint: Cell | None = None  # a 类 cell that is no class, read as the class of the line above
    is_unit: bool = False  # named as a budget unit in a table of units (某某局, 某某中心, 某某局（本级）)

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

    @property
    def shared(self) -> bool:
        """Only a part of its code's or name's amount: one unit's line, or one split of a code."""
        return self.split or self.unit is not None

    @property
    def unit(self) -> "Item | None":
        """The budget unit whose line this is (or which it is), in a table broken down by unit;
        a department's line over its units (201 over 201001, a number that may look like a class)
        is one too."""
        node: Item | None = self
        while node is not None and not _is_unit(node) and not any(_is_unit(child) for child in node.children):
            node = node.parent
        return node


@dataclass
class Segment:
    """The columns of one side of a table (收入 | 支出) with their line items."""

    text_column: Column | None
    code_columns: list[Column]
    columns: list[Column]
    items: list[Item] = field(default_factory=list)
    other_names: list[Column] = field(default_factory=list)  # a second name of the same line

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
    reading: object = None  # footing.Reading: how far the reading can be trusted (None: not judged)
    withheld: bool = False  # the document says lines were left out of its published tables

    @property
    def trusted(self) -> bool:
        return self.reading is None or self.reading.trusted

    @once
    def header_paths(self) -> list[tuple[str, ...]]:
        """Each column's headings from the top: ("“三公”经费", "公务用车购置及运行维护费", "小计").

        A blank heading cell belongs to the heading on its left when the column has a heading
        further down (a cell merged across columns), and to the one above otherwise (merged
        down): the same reading a person gives a nested header."""
        rows = [squeezed(row) for row in _heading_rows(self.header) if not _has_header_marker(row)]
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


def _numbers_row(row: list[Cell]) -> bool:
    """The columns' numbers under a header: "栏次 | 栏次 | 1 | 2 …", "** | ** | 1 | 2 …"."""
    texts = [squeeze(cell.text) for cell in row if not cell.blank]
    if texts and row[0].blank and texts == [str(n) for n in range(1, len(texts) + 1)]:
        return True  # "** | ** | 1 | 2": the marks read as markup and taken out
    return any(_INDEX_HEADER.match(text) or _MARKS.match(text) for text in texts) and all(
        _INDEX_HEADER.match(text) or _MARKS.match(text) or _COLUMN_NUMBER.match(text) for text in texts)


def _has_header_marker(row: list[Cell]) -> bool:
    """A row that ends the header: marks (※, *) or the columns' numbers."""
    return not _HEADER_MARKS.isdisjoint(map(_text, row)) or _numbers_row(row)


def _heading_rows(header: list[list[Cell]]) -> list[list[Cell]]:
    """The header rows that head columns, without a row saying whose table it is and in what
    unit (预算单位：… | 单位：万元)."""
    return [row for row in header if not any(_HEADER_NOTE.match(squeeze(cell.text)) for cell in row)]


def _header_length(rows: list[list[Cell]]) -> int:
    """How many leading rows are column headings."""
    for index, row in enumerate(rows[:8]):
        if _has_header_marker(row):
            last = index
            while last + 1 < len(rows) and _has_header_marker(rows[last + 1]):
                last += 1
            return last + 1
    for index, row in enumerate(rows):  # 元 tables print whole figures: 195,774,300
        if any(cell.number is not None and ("." in cell.text or "," in cell.text) for cell in row):
            return index
    for index, row in enumerate(rows[:8]):  # or without separators (120000): a figure, not a year
        figures = [at for at, cell in enumerate(row) if cell.number is not None and not _YEAR.match(cell.text.strip())
                   and (not _COLUMN_NUMBER.match(cell.text.strip()) or not cell.number.value)]  # 0: no column's number
        if figures:  # the rows above it that head its figures' columns (小计 | 购置费), not lines without figures
            length = 1
            while length < index and any(at < len(rows[length]) and not rows[length][at].blank
                                         and rows[length][at].number is None for at in figures):
                length += 1
            return length
    return min(len(rows), 1)


def _columns(header: list[list[Cell]], data: list[list[Cell]], width: int) -> list[Column]:
    labels = [""] * width
    for row in reversed(header):
        if _numbers_row(row):
            continue
        for index, cell in enumerate(row):
            text = squeeze(cell.text)
            if not labels[index] and text and not text.isdigit() and text not in _HEADER_MARKS:
                labels[index] = text
    # 类 | 款 | 项 printed in the total row beside 合计 (the header's last row merged with it)
    for row in data[:1]:
        for index, cell in enumerate(row):
            if not labels[index] and squeeze(cell.text) in ("类", "款", "项"):
                labels[index] = squeeze(cell.text)
    groups = [""] * width
    headings = _heading_rows(header)
    if headings:  # the top heading over each column (收入 | 支出), not the unit's name above them
        current = ""
        for index in range(width):
            text = squeeze(headings[0][index].text) if index < len(headings[0]) else ""
            current = text or current
            groups[index] = current
    columns = []
    for index, label in enumerate(labels):
        cells = [row[index] for row in data if not row[index].blank]  # rows are padded to the width
        if not label and not cells:  # a spacer column (between code and name): empty throughout
            role = "empty"
        elif _INDEX_HEADER.match(label):
            role = "index"
        elif _CODE_HEADER.search(label) and (
                not cells or sum(1 for cell in cells if _CODE_CELL.match(cell.text) or _SPACED_CODE.match(cell.text))
                >= len(cells) / 2):
            role = "code"
        elif _TEXT_HEADER.search(label) or sum(1 for cell in cells if cell.number is not None) < len(cells) / 2:
            role = "text"
        else:
            role = "number"
        if (role == "number" and not label and columns and columns[-1].role == "code" and cells
                and all(_LEVEL_DIGITS.match(cell.text) for cell in cells)):
            role = "code"  # 款 | 项 whose heading was lost (an unreadable glyph, a row not found)
        columns.append(Column(index, label, groups[index], role))
    return columns


def _segments(columns: list[Column]) -> list[Segment]:
    segments: list[Segment] = []
    pending: list[Column] = []
    for column in columns:
        if column.role == "code":
            pending.append(column)
        elif column.role == "text":
            # a second code and name before any figure (部门经济科目 | 政府经济科目) classify the
            # same line again: the first pair names it
            if segments and segments[-1].text_column and not segments[-1].columns:
                segments[-1].other_names.append(column)
            else:
                segments.append(Segment(column, pending, []))
            pending = []
        elif column.role in ("index", "empty"):
            continue
        elif segments:
            segments[-1].columns.append(column)
        else:
            segments.append(Segment(None, pending, [column]))
            pending = []
    return segments


def _misprinted_class(texts: list[str], previous: str | None) -> bool:
    """A 类 cell that is no class of the classification ("7" for "210") before the 款 of the line
    above and a 项: a 项 line whose class was misprinted, to be read in its place."""
    return (len(texts) == 3 and texts[0].isdigit() and len(texts[0]) <= 3 and system_of(texts[0]) is None
            and previous is not None and len(previous) >= 5 and system_of(previous[:3]) is not None
            and texts[1] == previous[3:5] and bool(re.fullmatch(r"\d{2}", texts[2])))


def _code(row: list[Cell], segment: Segment, name: str,
          previous: str | None) -> tuple[str | None, str, Cell | None]:
    """The line's code from its 类 | 款 | 项 cells, and its 类 cell where that was misprinted. A
    template may print only the new part of a code ("| 11 |" under "201 | |"): the blank levels
    before it are those of the line above."""
    texts = [row[column.index].text.strip() if column.index < len(row) else "" for column in segment.code_columns]
    texts = [squeeze(text) if _SPACED_CODE.match(text) else text for text in texts]
    while texts and not texts[-1]:
        texts.pop()
    if texts and _misprinted_class(texts, previous):
        return previous[:3] + "".join(texts[1:]), name, row[segment.code_columns[0].index]
    if texts:
        if not all(_CODE_CELL.match(text) for text in texts if text):
            return None, name, None
        lead = next(index for index, text in enumerate(texts) if text)
        if not all(texts[lead:]):
            return None, name, None
        if lead:  # 3 digits for the 类, 2 for each level after it
            width = 3 + 2 * (lead - 1)
            if not previous or len(previous) < width:
                return None, name, None
            texts = [previous[:width]] + texts[lead:]
        code = "".join(texts)
        if len(code) == 2:  # one code column printing a 款 by its own digits ("05" under "208")
            if not previous or len(previous) < 3 or UNIT_CODE.match(previous):
                return None, name, None
            code = previous[:3] + code
        return code, name, None
    inline = _INLINE_CODE.match(name)
    if inline:
        return squeeze(inline.group(1) or inline.group(2)), inline.group(3).strip(), None
    return None, name, None


# the outline's numberings, from the top: 一、 > （一） > 1. > （1）
_NUMBERINGS = (("L1", _L1), ("L2", SUBSECTION),
               ("L3", re.compile(r"^\d{1,2}\s*[.、．](?!\d)")), ("L4", re.compile(r"^[（(]\d{1,2}[）)]")))
_LEVELS = {"L1": 1, "L2": 2, "L3": 3, "L4": 4}


def _is_unit(item: Item) -> bool:
    return item.is_unit or bool(item.code and UNIT_CODE.match(item.code))


def _marker(name: str) -> str:
    """The numbering a squeezed line name starts with."""
    if _OF_WHICH.match(name):
        return "of_which"
    for marker, pattern in _NUMBERINGS:
        if pattern.match(name):
            return marker
    return ""


def _link(parent: Item, child: Item) -> None:
    child.parent = parent
    parent.children.append(child)


def _outline_by_code(items: list[Item]) -> None:
    """Each coded line goes under the last line above it whose code begins its own. A unit's
    number (125001) starts that unit's lines: the classes below it are its parts, until the
    next unit."""
    last: dict[str, tuple[int, Item]] = {}  # code → (place, line) of its last line so far
    unit = None
    for index, item in enumerate(items):
        code = item.code
        if not code:
            continue
        is_unit = bool(UNIT_CODE.match(code))
        above = [last[code[:n]] for n in range(1, len(code)) if code[:n] in last]
        if above:
            _link(max(above)[1], item)
        elif unit is not None and not is_unit:
            _link(unit, item)
        if is_unit:
            unit = item
            last = {key: value for key, value in last.items() if code.startswith(key)}
        last[code] = (index, item)


def _outline_by_marker(items: list[Item]) -> None:
    """Nest items by their numbering: 一、 > （一） > 1. > （1） > 其中：, unnumbered lines under
    the last number."""
    stack: list[tuple[int, Item]] = []
    previous_level, previous_marker = 0, ""
    numbered: set[str] = set()  # names of numbered lines: 一、一般公共预算财政拨款 …
    head_level = 0  # the last unnumbered line that is not such a name
    of_which: tuple[int, float] | None = None  # level and indent of an open 其中 list
    runs: dict[str, list[list[int]]] = {}  # numbering → its open runs, outermost first: [level, last number]
    for item in items:
        indent = item.label.indent
        if item.is_total:
            previous_level, previous_marker, of_which = 0, "", None
            runs.clear()
            continue
        if item.marker in _LEVELS:
            numbered.add(item.key)
            of_which = None
        if item.key == "小计":  # 小计 heads the unnumbered lines below it
            level = 1
        elif item.marker in _LEVELS:
            level = _numbered_level(item, runs.setdefault(item.marker, []), previous_level)
        elif not item.marker and head_level and item.key in numbered:
            # 年初结转和结余 broken down by the funds numbered above (决算 财政拨款收支总表)
            level = head_level + 1
        elif item.marker == "of_which":
            level = previous_level + 1
            of_which = None if indent is None else (level, indent)
        elif not item.marker and of_which and indent is not None and indent < of_which[1] - _INDENT_STEP:
            level, of_which = of_which[0] - 1, None  # printed left of the 其中 list: the list has ended
        elif previous_marker in _LEVELS:
            level = previous_level + 1
        else:
            level = previous_level or 1
        if not item.marker and item.key not in numbered:
            head_level = level
        while stack and stack[-1][0] >= level:
            stack.pop()
        if stack:
            _link(stack[-1][1], item)
        stack.append((level, item))
        previous_level, previous_marker = level, "L1" if item.key == "小计" else item.marker


def _numbered_level(item: Item, runs: list[list[int]], previous_level: int) -> int:
    """The level of a numbered line. A line goes on the run of its numbering whose next number it
    is; a numbering that starts again at 1 (一、本年支出 over 一、一般公共服务支出 … 四、) opens a run
    below the line before it, and the next number of the run above (二、结转下年支出) closes it."""
    found = mark(squeeze(item.name))
    number = found.number if found else None
    for depth in range(len(runs) - 1, -1, -1):
        if number is not None and number == runs[depth][1] + 1:
            del runs[depth + 1:]
            runs[depth][1] = number
            return runs[depth][0]
    if number == 1 and runs:
        runs.append([previous_level + 1, 1])
        return previous_level + 1
    runs[:] = [[_LEVELS[item.marker], number or 0]]
    return _LEVELS[item.marker]


# the end of a name wrapped onto a line of its own: one or two characters, no numbering
_WRAPPED_TAIL = re.compile(r"^[\u4e00-\u9fff）)]{1,2}$")


def _line(row: list[Cell], segment: Segment) -> tuple[Cell, int, dict[int, Cell]]:
    """A row's name cell, the name column it stands in (0 the first: 类型 | 一级项目 | 二级项目
    are the outline's levels) and its figures."""
    if segment.text_column and segment.text_column.index < len(row):
        label = row[segment.text_column.index]
    else:
        label = row[segment.columns[0].index] if segment.columns and segment.columns[0].index < len(row) \
            else _EMPTY
    level = 0
    for number, other in enumerate(segment.other_names, start=1):  # a label merged across names may stand in any
        if label.blank and other.index < len(row):
            label, level = row[other.index], number
    return label, level, {c.index: row[c.index] for c in segment.columns if c.index < len(row)}


def _figures_without_name(row: list[Cell], line: tuple, segment: Segment) -> bool:
    label, _, values = line
    return label.blank and not any(row[c.index].text.strip() for c in segment.code_columns if c.index < len(row)) \
        and any(cell.number is not None for cell in values.values())


def _items(rows: list[list[Cell]], segment: Segment) -> list[Item]:
    items: list[Item] = []
    levels: dict[Item, int] = {}  # lines named only in a later name column, and which
    previous = None  # the last code read, whose levels a shortened code takes over
    read = [_line(row, segment) for row in rows]
    held = None  # a name printed on the line above its figures
    for index, (row, (label, level, values)) in enumerate(zip(rows, read)):
        code, name, misprint = _code(row, segment, label.text.strip(), previous)
        blank = all(cell.blank for cell in values.values())
        if not name and not code and blank:
            continue
        if held is not None and not name and not code:  # the figures of the name above
            label, name, held = held, held.text.strip(), None
        elif name and not code and blank and index + 1 < len(rows) and _figures_without_name(rows[index + 1],
                                                                                            read[index + 1], segment):
            held = label
            continue
        if (name and not code and blank and items and _WRAPPED_TAIL.match(name) and not items[-1].code
                and any(not cell.blank for cell in items[-1].values.values())):
            last = items.pop()  # "1.一般公共预 / 算": the rest of the name above, under its figures
            items.append(Item(last.row, last.name + name, last.label, last.values, last.code))
            continue
        previous = code or previous
        items.append(item := Item(index, name, label, values, code, misprint=misprint))
        if level:
            levels[item] = level
    if segment.text_column and "单位" in segment.text_column.label:  # 单位名称, 支出项目类别（资金使用单位）
        for item in items:
            item.is_unit = not item.code and not item.is_total and bool(_ORGANISATION.search(item.key))
    if segment.other_names:  # 30101 under 50101 and again under 50501: neither line is the whole
        counts = Counter(item.code for item in items if item.code)
        for item in items:
            item.split = counts[item.code] > 1
    if any(item.code for item in items):
        _outline_by_code(items)
    else:
        _outline_by_marker(items)
        _outline_by_name_column(items, levels)
    _outline_by_indent([item for item in items if item not in levels])  # indents compare within a column
    _closing_subtotals(items)
    return items


def _closing_subtotals(items: list[Item]) -> None:
    """A 小计 printed under its block (a unit's coded lines, then 小计) closes the lines since the
    last total or 小计: a subtotal, not one more line of the 合计. Under lines without codes a 小计
    may also head the lines below it: there it closes those above only where they add up to it."""
    block: list[Item] = []
    for item in items:
        if item.is_total:
            block = []
        elif item.key == "小计" and not item.code and not item.children and item.parent is None:
            figures = any(cell.number is not None and cell.number.value
                          for part in block for cell in part.values.values())
            if figures and (any(part.code for part in block) or _adds_up(item, block)):
                item.is_subtotal = item.is_total = True
            block = []
        elif item.parent is None:
            block.append(item)


def _outline_by_name_column(items: list[Item], levels: dict[Item, int]) -> None:
    """Names printed in several columns (一般公共预算资金 | 小计, then | 公共财政拨款资金 under it;
    类型 | 一级项目 | 二级项目): a line named in a later column is a part of the last line above
    it named in an earlier one. Columns after the second are levels only where the figures add
    up so; else every later column is a part of the first (a form's columns are not all levels)."""
    found = _name_links(items, levels, len(levels) and max(levels.values()))
    if not _evident(found):
        found = _name_links(items, levels, 1)
    _take(found)


def _name_links(items: list[Item], levels: dict[Item, int], deepest: int) -> dict[Item, list[Item]]:
    """Each line's parent by the column its name stands in, levels beyond `deepest` taken as it."""
    stack: list[tuple[int, Item]] = []
    found: dict[Item, list[Item]] = {}
    for item in items:
        if item.is_total:
            if item not in levels:  # a 小计 in a later column closes nothing
                stack = []
            continue
        level = min(levels.get(item, 0), deepest)
        while stack and stack[-1][0] >= level:
            stack.pop()
        if stack and item.parent is None:
            found.setdefault(stack[-1][1], []).append(item)
        stack.append((level, item))
    return found


# indents nearer than this (in characters) are one level: an outline indents by whole characters
_INDENT_STEP = 0.5


def _outline_by_indent(items: list[Item]) -> None:
    """Lines that no code, numbering or name column placed, printed further right than a line
    above them, are its parts (类 > 款 > 项 without codes; a department > its units > their
    lines). Taken only where every such line's figures are the sum of its parts: a label may
    also stand off by chance (centred, wrapped), and a parent guessed wrong would make the table
    accuse itself."""
    stack: list[Item] = []
    found: dict[Item, list[Item]] = {}
    for item in items:
        if item.is_total:  # the lines after a total are not parts of those before it
            stack = []
            continue
        indent = item.label.indent
        if indent is None:
            continue
        while stack and stack[-1].label.indent > indent - _INDENT_STEP:
            stack.pop()
        if stack and item.parent is None:
            found.setdefault(stack[-1], []).append(item)
        stack.append(item)
    if _evident(found) and not _totals_hold(items):
        _take(found)


def _totals_hold(items: list[Item]) -> bool:
    """Whether every total already adds up the lines as they stand: then they are not parts of
    each other, whatever their indents (a parent and its parts would count twice)."""
    parts = list(Segment(None, [], [], items).total_parts())
    return bool(parts) and all(_adds_up(total, lines) for total, lines in parts if lines)


def _evident(found: dict[Item, list[Item]]) -> bool:
    """Whether the figures show an outline: some parent holds a figure, and each parent's figures
    are the sums of its parts'."""
    return any(cell.number is not None and cell.number.value for parent in found for cell in parent.values.values()) \
        and all(_adds_up(parent, [child for child in parent.children if child.marker != "of_which"] + parts)
                for parent, parts in found.items())  # a 其中 line is a part of a part


def _take(found: dict[Item, list[Item]]) -> None:
    for parent, parts in found.items():
        for part in parts:
            _link(parent, part)


def _adds_up(parent: Item, parts: list[Item]) -> bool:
    """Whether each of the line's figures is the sum of its parts' (a blank is a zero)."""
    for index, cell in parent.values.items():
        stated = cell_value(cell)
        figures = [cell_value(part.values.get(index, _EMPTY)) for part in parts]
        if stated is None or None in figures or not total(figures).meets(stated):
            return False
    return True


ZERO = Interval.exact(0)


def cell_value(cell: Cell, unit: str | None = None) -> Interval | None:
    """A cell's interval in 万元 (of a table in `unit`); a blank cell is an exact zero, text is None."""
    if cell.blank:
        return ZERO
    if cell.number is None:
        return None
    return cell.number.in_wan(unit)


def _number(text: str) -> tuple[str | None, str]:
    """The table number a title line starts with, and the rest of the line."""
    if (match := _NUMBER_RE.match(text)) and (len(text) <= 8 or "表" in text[match.end():]):
        return f"表{int(match.group(1))}", text[match.end():].lstrip("：:、.． ")  # "表 3" alone, or "表2收入决算表"
    if match := _PUBLIC_NUMBER.search(text):  # may follow the previous table's note on one line
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
                ("编制单位", "单位:", "单位：", "(", "（", "注:", "注：", "备注")) and not _NUMBER_RE.match(text):
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
            # the total row printed first is repeated under the header of a continuation page
            if index < len(rows) and header_length < len(rows) and index != header_length and squeezed(
                    rows[index]) == squeezed(rows[header_length]):
                index += 1
            continue
        kept.append(rows[index])
        index += 1
    return kept


def _leading_width(text: str) -> float:
    """The width of the white space a cell's text starts with, in characters: a full-width space
    (\u3000, the usual indent of a typed outline) is one, any other half of one."""
    width = 0.0
    for character in text:
        if not character.isspace():
            break
        width += 1 if character == "\u3000" else 0.5
    return width


def _separator_row(raw: str, cells: list[Cell]) -> bool:
    """A markdown rule line (|---|:--:|): without markup the line as given tells."""
    if "<" in raw or "*" in raw:
        return all(_SEPARATOR.match(cell.text) for cell in cells)
    return bool(_SEPARATOR.match(raw))


def _build(blocks: list[Block], start: int, end: int, locations=None) -> Table:
    raw, row_blocks = [], []
    for block in blocks[start:end]:
        if block.kind != "row":  # a title repeated over a continuation page
            continue
        cells = row_cells(block.raw, block.line, Cell, _EMPTY)
        parts = block.raw.split("\t")  # one a cell
        placed = locations is not None and block.line in locations.boxes  # a PDF's row: its text was stripped
        for index, cell in enumerate(cells):
            if cell is not _EMPTY:
                cell.box = locations.box(block.line, index) if placed else None
                cell.indent = cell.box[5] if cell.box else None if placed else _leading_width(parts[index])
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
            ("备注", "注:", "注：", "说明", "（注", "(注")):
        note = blocks[end].text
    first, last = row_blocks[0] if row_blocks else blocks[start], blocks[end - 1]
    return Table(number, title, kind, unit, header, data, columns, segments,
                 first.line, last.line, note, title_span)


# a page number left between the rows of a table that runs over a page ("— 1 2 —")
_FOLIO = re.compile(r"^[-—–·•第页/]*\d[\d/第页]*[-—–·•]*$")
# the mark of a continuation page: 续表, 续表2, （续）, 表3（续）, 续表：<title>, <title>（续）
_CONTINUED = re.compile(r"^(?:续表\d*|(?:表\d+)?[（(]续表?[)）])[:：]?|[（(]续表?[)）]$")


def _continued(text: str, above: str) -> bool:
    """A continuation mark, alone or with the title printed above."""
    rest = _CONTINUED.sub("", text)
    return rest != text and (not rest or rest in above)


def _repeated_title(blocks: list[Block], start: int, end: int) -> int:
    """Where the rows go on after the table's title lines and header printed again over a new
    page (公开表2收入总体情况表 / 部门：… 单位：万元): the index of the next row, or `end`."""
    above = "".join(squeeze(block.text) for block in blocks[max(0, start - 3):start] if block.kind != "row")
    if kind_of(above) not in MONEY_KINDS:  # a money table is printed once; a project's targets are not
        return end
    index = end
    while index < len(blocks) and index - end < 4 and blocks[index].kind != "row" and (
            (len(text := squeeze(blocks[index].text)) >= 2 and text in above)  # a page may break it otherwise
            or _FOLIO.match(text) or _continued(text, above)):
        index += 1
    if index == end or index >= len(blocks) or blocks[index].kind != "row":
        return end
    # the same header follows (another table of the same title starts with its own first row)
    return index if squeeze(blocks[index].raw) == squeeze(blocks[start].raw) else end


def extract_tables(document: Document) -> list[Table]:
    """Every run of table rows (blank lines between pages allowed, and the title printed again
    at the top of a continuation page) as one Table."""
    tables, blocks, index = [], document.blocks, 0
    while index < len(blocks):
        if blocks[index].kind != "row":
            index += 1
            continue
        end = index
        while end < len(blocks) and blocks[end].kind == "row":
            end += 1
            if end < len(blocks) and blocks[end].kind != "row":
                end = _repeated_title(blocks, index, end)
        tables.append(_build(blocks, index, end, document.locations))
        index = end
    return tables
