"""The document's outline: its table of contents (目录), the headings of its body, and which
entries of the one the other has.

An entry and a heading are the same when their titles are, once the year, the unit's name and
the words 部门/单位/年度 are taken away ("2017年度××院部门预算情况说明" is "预算情况说明"), or
when one title holds the other; a table entry is also found by the kind of table it names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .document import Block, Document, Span
from .numbering import PART, chinese_number, mark
from .tables import kind_of, squeeze


# the leader dots and page number after a contents entry ("一、收入总表 ……… 5")
_LEADER = re.compile(r"(?:[\s.．·•…⋯—_-]{2,}|\s)\d{1,4}$|[.．·•…⋯]{3,}$")
_YEAR = re.compile(r"(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年度?")
_OWNER_WORDS = re.compile(r"部门|单位|年度|本级")
_PUNCTUATION = re.compile(r"[“”\"'‘’（）()《》〈〉【】\[\]、，,：:；;。.．·\s]")
_TAIL = re.compile(r"[（(][^（）()]*[）)]$")  # "（按功能分类科目）", "（详见表1-3）"
# a table entry that names no table but the set of them: "五、部门预算表", "预算公开表"
_GROUP = re.compile(r"^(?:预算|决算)?(?:公开)?(?:报表|表格?|附表)(?:目录)?$")
_SHORTEST_MATCH = 4  # a title part shorter than this ("说明") is found in too many others
_SHORT_LINE = 60  # a paragraph this short without a full stop may be a heading the reader missed


def _unit_name(document: Document) -> str:
    """The unit the document is about, as its title names it ("××省××院" of "2017年度××省××院部门预算")."""
    title = _YEAR.sub("", squeeze(document.title))
    match = re.match(r"^(.{3,30}?)(?:部门|单位|\d|预算|决算)", title)
    return match.group(1) if match else ""


def _key(text: str, unit: str) -> str:
    """A title without numbering, year, unit name, 部门/单位/年度 or punctuation."""
    text = squeeze(text)
    found = mark(text)
    if found and found.rank <= 3:  # 第X部分, 一、 or （一）
        text = found.rest
    text = _YEAR.sub("", text)
    if unit:
        text = text.replace(unit, "")
    return _PUNCTUATION.sub("", _OWNER_WORDS.sub("", text))


def same_title(a: str, b: str) -> bool:
    """Whether two title keys name the same thing: equal, or one holds the other."""
    if not a or not b:
        return False
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= _SHORTEST_MATCH and short in long


@dataclass(frozen=True)
class Entry:
    """One numbered line of the table of contents, or one numbered heading of the body (or a
    numbered line of it that the reader left as text)."""

    part: int | None  # the 第X部分 it stands in
    number: int
    text: str  # as printed, without leader dots and page number
    span: Span
    rank: int = 2  # 2 for 一、, 3 for （一）
    key: str = ""  # the title as compared (see _key)
    parent: int | None = None  # the number of the 一、 a （一） stands under
    nested: bool = False  # a heading of the body under a title the contents list
    heading: bool = True  # False: a short numbered line of the body the reader left as text

    @property
    def place(self) -> tuple:
        """Where its number puts it: part, section and its own number (第三部分 › 二、 › （四））."""
        return self.part, self.parent, self.rank, self.number

    @property
    def is_table(self) -> bool:
        return _TAIL.sub("", squeeze(self.text)).endswith("表")

    @property
    def is_group(self) -> bool:
        """A table entry for the set of tables ("五、部门预算表"), not for one of them."""
        return self.is_table and bool(_GROUP.match(_TAIL.sub("", self.key)))

    @property
    def kind(self) -> str:
        return kind_of(self.text)


def _strip_leader(text: str) -> str:
    text = text.rstrip()
    while (match := _LEADER.search(text)) and match.start() > 0:
        text = text[:match.start()].rstrip()
    return text


def _entry(block: Block, part: int | None, unit: str, parent: int | None) -> Entry | None:
    text = _strip_leader(block.text)
    found = mark(squeeze(text))
    if found is None or found.rank not in (2, 3):
        return None
    return Entry(part, found.number, text, block.span, found.rank, _key(text, unit),
                 parent if found.rank == 3 else None, heading=block.kind == "heading")


def _part(block: Block) -> int | None:
    match = PART.match(squeeze(block.text))
    return chinese_number(match.group(1)) if match else None


def table_of_contents(document: Document) -> tuple[list[Entry], int]:
    """The 目录's numbered entries, and the index of the first block of the body (0 if none).

    The contents end where the body begins: at a table or a sentence, or where a part or an
    entry comes a second time (the body's first heading repeats the contents' first line)."""
    blocks = document.blocks
    start = next((i for i, b in enumerate(blocks) if squeeze(b.text).endswith(("目录", "目次"))
                  and len(squeeze(b.text)) <= 40), None)
    if start is None:
        return [], 0
    unit = _unit_name(document)
    entries: list[Entry] = []
    seen: set = set()
    part, section, last = None, None, start  # last: the last line of the contents read so far
    for index in range(start + 1, len(blocks)):
        block = blocks[index]
        if block.kind == "row":
            return entries, index
        if block.kind != "heading" and block.text.endswith("。"):  # the body, under its heading
            return entries, last + 1
        number = _part(block)
        if number is not None:
            if ("part", number) in seen:
                return entries, index
            seen.add(("part", number))
            part, section, last = number, None, index
            continue
        entry = _entry(block, part, unit, section)
        if entry is None:
            continue
        if entry.rank == 2:
            section = entry.number
        if entry.place in seen:
            return entries, index
        seen.add(entry.place)
        entries.append(entry)
        last = index
    return entries, start + 1


def body_sections(document: Document, body_start: int, entries: list[Entry] = ()) -> list[Entry]:
    """Numbered headings (一、 and （一）) of the body, with the part (第X部分) they stand in,
    and the numbered paragraphs that may hold a heading the reader left as text (`heading` False).

    A heading is `nested` when it stands under an unnumbered title the contents list (the
    body's "其他相关情况说明" over its 一、 to 五、): a sub-heading of that entry."""
    unit = _unit_name(document)
    sections, part, section, nested = [], None, None, False
    for block in document.blocks[body_start:]:
        if block.kind != "heading" and not _may_be_heading(block):
            continue
        number = _part(block)
        if number is not None:
            part, section, nested = number, None, False
            continue
        entry = _entry(block, part, unit, section)
        if entry is None:
            if block.kind == "heading" or not block.text.endswith("。"):
                key = _key(block.text, unit)
                nested = nested or any(same_title(e.key, key) for e in entries)
            continue
        if entry.rank == 2:
            section = entry.number
        if entry.heading and any(same_title(e.key, entry.key) for e in entries if e.rank == entry.rank):
            nested = False
        sections.append(replace(entry, nested=nested))
    return sections


@dataclass
class Outline:
    """The contents and the body side by side, for the rule that compares them."""

    entries: list[Entry]
    sections: list[Entry]  # the body's numbered headings and numbered lines (body_sections)
    titles: list[str]  # keys of every title the body prints: headings, short lines, tables
    form: str  # "full", "tables" (an attachment of tables only) or "narrative" (no tables)
    unit: str  # the unit's name, as the title gives it

    def has_title(self, entry: Entry) -> bool:
        return any(same_title(entry.key, title) for title in self.titles)

    def key(self, text: str) -> str:
        return _key(text, self.unit)


def outline(document: Document) -> Outline:
    """The document's outline (built once per document by the rules that need it)."""
    entries, body_start = table_of_contents(document)
    unit = _unit_name(document)
    body = document.blocks[body_start:]
    titles = [_key(_strip_leader(b.text), unit) for b in body if b.kind == "heading" or _may_be_heading(b)]
    titles += [_key(t.title, unit) for t in document.tables if t.title]
    return Outline(entries, body_sections(document, body_start, entries), titles, _form(document, body), unit)


def _may_be_heading(block: Block) -> bool:
    """A paragraph that may hold a heading the reader did not take as one: a short line that
    ends no sentence, or a numbered one (a heading run into its first sentence)."""
    if block.kind != "paragraph":
        return False
    numbered = mark(block.text)
    return ((len(block.text) <= _SHORT_LINE and not block.text.endswith("。"))
            or (numbered is not None and numbered.rank in (2, 3)))


def _form(document: Document, body: list[Block]) -> str:
    """Whether the body holds both tables and narrative, or only one of them."""
    has_tables = any(table.kind != "other" for table in document.tables)
    narrative = sum(1 for b in body if b.kind in ("paragraph", "item") and len(b.text) > _SHORT_LINE
                    and not squeeze(b.text).startswith(("注", "说明")))
    if has_tables and narrative < 3:
        return "tables"
    return "narrative" if not has_tables else "full"
