"""Outline numbering: the marks that number parts, sections and items, and their ranks.

第一部分 (rank 1) › 一、 (2) › （一） (3) › 1. (4) › (1) (5). Every module that reads a number at
the start of a line takes its pattern from here.
"""
from __future__ import annotations

import re
from typing import NamedTuple

_C = "[一二三四五六七八九十]+"  # a Chinese numeral up to 九十九

PART = re.compile(rf"^第({_C})部分")
SECTION = re.compile(rf"^({_C})、")
SUBSECTION = re.compile(rf"^[（(]({_C})[）)]")
# "4.92%" is a figure, not item 4; "1.2023年…" is item 1
_NOT_A_FIGURE = r"(?:(?!\d)|(?=\d{4}\s*年))"
ITEM = re.compile(rf"^(\d{{1,2}})\s*([.、．]){_NOT_A_FIGURE}")
SUBITEM = re.compile(r"^[（(](\d{1,2})[）)]")
_RANKED = ((PART, 1), (SECTION, 2), (SUBSECTION, 3), (ITEM, 4), (SUBITEM, 5))
UNRANKED = 9

_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}


class Mark(NamedTuple):
    """The numbering at the start of a line: its rank, its number, its separator and the rest."""

    rank: int
    number: int
    separator: str
    rest: str


def chinese_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十三 → 23."""
    if not text or any(c not in _DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return _DIGITS.get(text) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_DIGITS.get(tens, 1) if tens else 1) * 10 + (_DIGITS.get(ones, 0) if ones else 0)


def mark(text: str) -> Mark | None:
    """The numbering a line starts with, if any."""
    text = text.lstrip()
    for pattern, value in _RANKED:
        match = pattern.match(text)
        if match:
            digits = match.group(1)
            number = int(digits) if digits.isdigit() else chinese_number(digits)
            if number is None:
                return None
            separator = match.group(2) if value == 4 else ""
            return Mark(value, number, separator, text[match.end():].strip())
    return None


def rank(heading: str) -> int:
    """Outline rank of a heading from its numbering; UNRANKED without one.

    Markdown levels in converted documents do not follow the outline, so the numbering does.
    """
    found = mark(heading)
    return found.rank if found else UNRANKED
