"""The document's outline: its table of contents (目录) and the parts and sections of its body."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .document import Block, Document, Span
from .tables import kind_of, squeeze

_NUMERAL = re.compile(r"^([一二三四五六七八九十]+)、")
_PART = re.compile(r"^第([一二三四五六七八九十]+)部分")
DIGITS = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}


def chinese_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十三 → 23."""
    if not text or any(c not in DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return DIGITS.get(text) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    return (DIGITS.get(tens, 1) if tens else 1) * 10 + (DIGITS.get(ones, 0) if ones else 0)


@dataclass(frozen=True)
class Entry:
    """One numbered line of the table of contents, or one numbered heading of the body."""

    part: int | None
    number: int
    text: str
    span: Span

    @property
    def is_table(self) -> bool:
        return squeeze(self.text).endswith("表")

    @property
    def kind(self) -> str:
        return kind_of(self.text)


def _part(block: Block) -> int | None:
    match = _PART.match(squeeze(block.text))
    return chinese_number(match.group(1)) if match else None


def _entry(block: Block, part: int | None) -> Entry | None:
    match = _NUMERAL.match(squeeze(block.text))
    number = chinese_number(match.group(1)) if match else None
    return Entry(part, number, block.text, block.span) if number else None


def table_of_contents(document: Document) -> tuple[list[Entry], int]:
    """The 目录's numbered entries, and the index of the first block of the body (0 if none)."""
    blocks = document.blocks
    start = next((i for i, b in enumerate(blocks) if squeeze(b.text).endswith(("目录", "目次"))
                  and len(squeeze(b.text)) <= 40), None)
    if start is None:
        return [], 0
    entries, parts_seen, part = [], set(), None
    for index in range(start + 1, len(blocks)):
        block = blocks[index]
        number = _part(block)
        if number is not None:
            if number in parts_seen:
                return entries, index
            parts_seen.add(number)
            part = number
            continue
        if block.kind == "row":
            return entries, index
        entry = _entry(block, part)
        if entry and any(squeeze(entry.text) == squeeze(e.text) for e in entries):
            return entries, index  # a contents lists a line once: a repeat is the body's own heading
        if entry:
            entries.append(entry)
    return entries, start + 1


def body_sections(document: Document, body_start: int) -> list[Entry]:
    """Numbered headings (一、…) of the body, with the part (第X部分) they stand in."""
    sections, part = [], None
    for block in document.blocks[body_start:]:
        if block.kind != "heading":
            continue
        number = _part(block)
        if number is not None:
            part = number
            continue
        entry = _entry(block, part)
        if entry:
            sections.append(entry)
    return sections
