"""The document model: text that remembers where every character came from."""
from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache, partial
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .claims import Claim
    from .config import Config
    from .locations import Locations
    from .facts import FactStore
    from .tables import Table


class Span(NamedTuple):
    """1-based line and column of the first character; end_column is one past the last."""

    line: int
    column: int
    end_line: int
    end_column: int


# A Span from a 4-tuple, without the Python-level __new__ of a NamedTuple (spans are made often).
new_span = partial(tuple.__new__, Span)


class Located:
    """Cleaned text that remembers where each character stands in the input as given.

    `anchors` holds (offset in text, line, column) for the first character of each run of
    characters that were contiguous in the input; positions inside a run follow from it.
    (A plain class with slots: documents make thousands of these.)
    """

    __slots__ = ("text", "anchors")

    def __init__(self, text: str, anchors: tuple[tuple[int, int, int], ...]):
        self.text = text
        self.anchors = anchors

    @classmethod
    def run(cls, text: str, line: int, column: int) -> "Located":
        """Text printed in one run from (line, column) on; nowhere when empty."""
        return cls(text, ((0, line, column),)) if text else cls("", ())

    def __repr__(self) -> str:
        return f"Located({self.text!r}, {self.anchors!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Located) and (self.text, self.anchors) == (other.text, other.anchors)

    def __hash__(self) -> int:
        return hash((self.text, self.anchors))

    def position(self, index: int) -> tuple[int, int]:
        anchors = self.anchors
        if not anchors:
            return 1, 1
        last = len(self.text) - 1
        if index > last:
            index = last if last > 0 else 0
        if index < 0:
            index = 0
        if len(anchors) == 1:  # the common case: one run of characters
            offset, line, column = anchors[0]
        else:
            at = bisect_right(anchors, (index, 1 << 62, 0)) - 1
            offset, line, column = anchors[at if at > 0 else 0]
        return line, column + index - offset

    def index_of(self, line: int, column: int) -> int | None:
        """The offset in `text` of the character at (line, column) of the input, if it is here."""
        for number, (offset, run_line, run_column) in enumerate(self.anchors):
            end = self.anchors[number + 1][0] if number + 1 < len(self.anchors) else len(self.text)
            if run_line == line and run_column <= column < run_column + end - offset:
                return offset + column - run_column
        return None

    def span(self, start: int = 0, end: int | None = None) -> Span:
        end = len(self.text) if end is None else end
        if len(self.anchors) == 1:  # the common case, without two calls of position()
            offset, line, column = self.anchors[0]
            last = len(self.text) - 1 if len(self.text) > 1 else 0
            first = min(max(start, 0), last)
            final = min(max(end - 1, start, 0), last)
            return new_span((line, column + first - offset, line, column + final - offset + 1))
        line, column = self.position(start)
        end_line, end_column = self.position(max(end - 1, start))
        return new_span((line, column, end_line, end_column + 1))

    def slice(self, start: int, end: int) -> "Located":
        start, end = max(start, 0), max(min(end, len(self.text)), max(start, 0))
        if start >= end:
            return Located("", ())
        if start == 0 and end == len(self.text):  # the whole of it (a Located is never changed)
            return self
        if len(self.anchors) == 1:  # one run of characters stays one run
            offset, line, column = self.anchors[0]
            return Located(self.text[start:end], ((0, line, column + start - offset),))
        line, column = self.position(start)
        anchors = [(0, line, column)]
        anchors += [(offset - start, l, c) for offset, l, c in self.anchors if start < offset < end]
        return Located(self.text[start:end], tuple(anchors))

    def strip(self) -> "Located":
        text = self.text
        start = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        if start == 0 and end == len(text):
            return self
        return self.slice(start, max(start, end))

    def __add__(self, other: "Located") -> "Located":
        shift = len(self.text)
        return Located(self.text + other.text,
                       self.anchors + tuple((o + shift, l, c) for o, l, c in other.anchors))


def _cell_text(text: str, line: int, column: int, content: Located | None) -> Located:
    return content or Located.run(text, line, column)


class Block:
    """A heading, paragraph, list item or table row of the input.

    A row keeps its line as given (`raw`): its cells, and its text without markup, are cut from
    it when they are asked for (most rows are only ever read cell by cell, by the tables)."""

    __slots__ = ("kind", "_content", "level", "raw", "line", "index")

    def __init__(self, kind: str, content: Located | None = None, level: int = 0, raw: str = "",
                 line: int = 0):
        self.kind = kind  # heading | paragraph | item | row
        self._content = content
        self.level = level  # heading rank in the outline, 1 = 第一部分 (numbering.rank)
        self.raw = raw
        self.line = line
        self.index = 0  # its place in the document's blocks

    def __repr__(self) -> str:
        return f"Block({self.kind!r}, {self.text!r})"

    @property
    def content(self) -> Located:
        if self._content is None:
            from .reader import clean

            self._content = clean(self.raw, self.line)
        return self._content

    @content.setter
    def content(self, value: Located) -> None:
        self._content = value

    @property
    def cells(self) -> list[Located]:
        """A row's cells, each with its position."""
        from .reader import row_cells

        return row_cells(self.raw, self.line, _cell_text, Located("", ()))

    @property
    def text(self) -> str:
        content = self._content
        return (content if content is not None else self.content).text

    @property
    def span(self) -> Span:
        return self.content.span()


SECTION_RANK = 2  # 一、: the numbered sections of a part are what "the same section" means


@lru_cache(maxsize=1024)
def section_path(headings: tuple[tuple[int, str], ...]) -> tuple[str, ...]:
    """The headings of rank ≤ SECTION_RANK among those a text stands under (第X部分, 一、…)."""
    return tuple(text for rank, text in headings if rank <= SECTION_RANK)


@dataclass
class Sentence:
    """A sentence of a paragraph or list item, with the headings (rank, text) it stands under."""

    content: Located
    block: Block
    section: tuple[tuple[int, str], ...]

    @property
    def text(self) -> str:
        return self.content.text

    @property
    def where(self) -> str:
        """The section it stands in, by its nearest heading of rank ≤ SECTION_RANK ("" before
        any). Facts read from it carry this name; figures "in the same section" share it."""
        path = section_path(self.section)
        return path[-1] if path else ""


@dataclass
class Document:
    path: str
    lines: list[str]
    blocks: list[Block]
    encoding: str = "utf-8"
    tables: list["Table"] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    claims: list["Claim"] = field(default_factory=list)
    facts: "FactStore | None" = None
    suppressions: dict[int, set[str]] = field(default_factory=dict)
    config: "Config | None" = None
    derived: dict = field(default_factory=dict)  # structures rules derive once (see derive())
    notes: list[tuple[str, str]] = field(default_factory=list)  # (zh, en) for --verbose: choices made
    locations: "Locations | None" = None  # where each line came from, for .docx and .pdf
    numeric_sentences: int = 0  # sentences that state money or a percentage
    unparsed: list[Sentence] = field(default_factory=list)  # … that the grammar did not accept

    def close(self) -> None:
        """Cut the links from parts back to their wholes (table lines, claims) once the document
        is no longer needed. They are reference cycles, which only the cycle collector frees (a
        pass over all of them, about 2% of a lint); without them the document goes at once."""
        for table in self.tables:
            for item in table.items():
                item.parent = None
        for claim in self.claims:
            for part in claim.parts:
                part.parent = None
            claim.parent = None

    def derive(self, key: str, build):
        """A structure several rules need (performance targets, contents), built once."""
        if key not in self.derived:
            self.derived[key] = build(self)
        return self.derived[key]

    @property
    def title(self) -> str:
        """The document's own title: its first lines before the first heading."""
        head = []
        for block in self.blocks:
            if block.kind == "heading":
                break
            head.append(block.text)
        return "".join(head)
