"""Outline numbering: the marks that number parts, sections and items, and their ranks.

第一部分 (rank 1) › 一、 (2) › （一） (3) › 1. (4) › (1) (5). Every module that reads a number at
the start of a line takes its pattern from here.
"""
from __future__ import annotations

import re
from typing import NamedTuple

NUMERAL = "[一二三四五六七八九十]"  # one character of a Chinese numeral
NUMERAL_OR_DIGIT = r"[一二三四五六七八九十\d]"
_C = NUMERAL + "+"  # a Chinese numeral up to 九十九
NUMERALS = _C

PART = re.compile(rf"^第({_C})部分")
SECTION = re.compile(rf"^({_C})、")
SUBSECTION = re.compile(rf"^[（(]({_C})[）)]")
# "4.92%" is a figure, not item 4; "1.2023年…" is item 1
_NOT_A_FIGURE = r"(?:(?!\d)|(?=\d{4}\s*年))"
ITEM = re.compile(rf"^(\d{{1,2}})\s*([.、．]){_NOT_A_FIGURE}")
SUBITEM = re.compile(r"^[（(](\d{1,2})[）)]")
_RANKED = ((PART, 1), (SECTION, 2), (SUBSECTION, 3), (ITEM, 4), (SUBITEM, 5))
UNRANKED = 9

# the marks a heading may start with (items of rank 4 and 5 are list items, not headings)
OUTLINE = re.compile(rf"^(?:第{_C}部分|{_C}、|[（(]{_C}[）)])")
SENTENCE_ENDS = ("。", "；", "！", "？", "：", ":")

# the mark in front of a label or a sentence's subject, with the space after it
LIST_MARK = re.compile(rf"^\s*(?:\d{{1,2}}\s*[.、．]|[（(](?:{_C}|\d+)[）)]|{_C}、)\s*")
# a paragraph that starts with a section's mark (一、 or （一）), after any indent
SECTION_MARK = re.compile(rf"^\s*(?:{_C}、|[（(]{_C}[）)])")
# a markdown ordered-list item: "1. …" or "1) …"
MARKDOWN_ITEM = re.compile(r"^\s{0,3}\d{1,3}[.)](?!\d)\s+")
# a numbered line of a table's label column under a 一、 line: 1. or （一）
ROW_LEVEL_2 = re.compile(rf"^(?:\d{{1,2}}\s*[.、．](?!\d)|[（(](?:{_C}|\d+)[）)])")
# a table's own number: "表3"; "公开表一", "公开 01表", "附表3" as the Jiangsu and other templates print it
TABLE_NUMBER = re.compile(r"^表\s*(\d{1,3}?)(?=(?:19|20)\d\d年|\D|$)")  # "表 3", "表3", "表022026年…"
PUBLIC_TABLE_NUMBER = re.compile(rf"(?:公开|附)\s*(?:表\s*({_C}|\d{{1,2}})|(\d{{1,2}})\s*表)")
# any mark that starts a new paragraph or list item (a page break never cuts one in two there)
ITEM_START = re.compile(rf"^(?:\d{{1,3}}[.、．]{_NOT_A_FIGURE}|[（(](?:{_C}|\d{{1,2}})[）)]|{_C}、|第{_C}部分)")

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


def is_heading(text: str, wrapped: bool = False, emphasised: bool = False) -> bool:
    """Whether a numbered line of a laid-out page is a heading: its numbering and its layout.

    It starts with an outline mark (第X部分, 一、, （一）) and ends no sentence; it is short, or
    neither wrapped nor long, or a part's title or a line set apart from the text (in larger
    type or centred), which may fill the line."""
    if not OUTLINE.match(text) or text.endswith(SENTENCE_ENDS):
        return False
    if len(text) <= 16:
        return True
    if PART.match(text) or emphasised:
        return len(text) <= 60
    return len(text) <= 40 and not wrapped


def heading_goes_on(text: str, size: float, heading_size: float) -> bool:
    """Whether a line is the rest of the heading above it (a wrapped heading, or the title under
    a "第二部分" line): short, in the heading's type, with no numbering and no sentence end."""
    return (len(text) <= 30 and size >= heading_size - 0.5 and not ITEM_START.match(text)
            and not text.endswith(SENTENCE_ENDS))
