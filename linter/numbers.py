"""Printed numbers: '9,101.68', '４，６１４', '-0.5', '−0.5' → exact decimal with its precision."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal, InvalidOperation

from .interval import Interval
from .once import once

# Full-width forms (and the typographic minus sign U+2212) map one character to one character,
# so offsets survive the translation.
FULLWIDTH = str.maketrans("０１２３４５６７８９．，％－＋\u2212", "0123456789.,%-+-")

NUMBER_PATTERN = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_NUMBER = re.compile(rf"^\s*({NUMBER_PATTERN})\s*$")

UNIT_SCALE = {"元": Decimal("0.0001"), "千元": Decimal("0.1"), "万元": Decimal(1), "亿元": Decimal(10000)}


@dataclass(frozen=True)
class Number:
    """A figure as printed: its exact value and how many decimals it was printed with."""

    value: Decimal
    places: int

    @once  # numbers are shared (parse_number is cached): computed once per figure
    def interval(self) -> Interval:
        return Interval.printed(self.value, self.places)

    def __str__(self) -> str:
        return f"{self.value:f}"

    def in_wan(self, unit: str | None) -> Interval:
        """The interval in 万元 of the figure printed in `unit` (万元 when none is given)."""
        if unit is None or unit == "万元":
            return self.interval
        return self.interval.scale(UNIT_SCALE.get(unit, 1))


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    return text.translate(FULLWIDTH) if not text.isascii() else text


@lru_cache(maxsize=16384)
def parse_number(text: str) -> Number | None:
    """The number a cell or token prints, or None when it is not a plain number.

    (Cached: tables repeat their figures, and a Number is immutable.)"""
    match = _NUMBER.match(normalize(text))
    if not match:
        return None
    digits = match.group(1).replace(",", "")
    if len(digits) > 40:
        return None
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    places = len(digits.split(".", 1)[1]) if "." in digits else 0
    return Number(value, places)
