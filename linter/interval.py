"""Interval arithmetic over exact decimals: every printed figure stands for a range.

394.08 stands for [394.075, 394.085]. Sums add the ends; products and quotients take the
smallest and largest of the four end combinations. Two figures contradict each other only
when their intervals do not meet (DESIGN §2).
"""
from __future__ import annotations

from decimal import Decimal, localcontext

ZERO = Decimal(0)


class Interval:
    """[lo, hi], plus the nominal value: the same arithmetic on the figures as printed.

    Immutable by convention (a plain class with slots: it is made very often)."""

    __slots__ = ("lo", "hi", "nominal")

    def __init__(self, lo: Decimal, hi: Decimal, nominal: Decimal | None = None):
        self.lo, self.hi = lo, hi
        self.nominal = (lo + hi) / 2 if nominal is None else nominal

    def __repr__(self) -> str:
        return f"Interval({self.lo}, {self.hi}, nominal={self.nominal})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Interval) and (self.lo, self.hi, self.nominal) == (other.lo, other.hi, other.nominal)

    def __hash__(self) -> int:
        return hash((self.lo, self.hi, self.nominal))

    @classmethod
    def exact(cls, value: Decimal | int | str) -> "Interval":
        value = Decimal(value)
        return cls(value, value, value)

    @classmethod
    def printed(cls, value: Decimal, places: int) -> "Interval":
        """The range a figure printed with `places` decimals stands for."""
        half = Decimal(5).scaleb(-places - 1)
        return cls(value - half, value + half, value)

    def __add__(self, other: "Interval") -> "Interval":
        return Interval(self.lo + other.lo, self.hi + other.hi, self.nominal + other.nominal)

    def __sub__(self, other: "Interval") -> "Interval":
        return Interval(self.lo - other.hi, self.hi - other.lo, self.nominal - other.nominal)

    def __neg__(self) -> "Interval":
        return Interval(-self.hi, -self.lo, -self.nominal)

    def __abs__(self) -> "Interval":
        if self.lo >= ZERO:
            return self
        if self.hi <= ZERO:
            return -self
        return Interval(ZERO, max(-self.lo, self.hi), abs(self.nominal))

    def __mul__(self, other: "Interval") -> "Interval":
        ends = [a * b for a in (self.lo, self.hi) for b in (other.lo, other.hi)]
        return Interval(min(ends), max(ends), self.nominal * other.nominal)

    def scale(self, factor: Decimal | int) -> "Interval":
        return self if factor == 1 else self * Interval.exact(factor)

    def __truediv__(self, other: "Interval") -> "Interval | None":
        """The quotient, or None when the divisor may be zero (no finite bound)."""
        if other.lo <= ZERO <= other.hi:
            return None
        with localcontext() as ctx:
            ctx.prec = 34
            ends = [a / b for a in (self.lo, self.hi) for b in (other.lo, other.hi)]
            nominal = self.nominal / other.nominal if other.nominal else (min(ends) + max(ends)) / 2
        return Interval(min(ends), max(ends), nominal)

    def meets(self, other: "Interval") -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def contains(self, value: Decimal) -> bool:
        return self.lo <= value <= self.hi

    @property
    def is_zero(self) -> bool:
        """Printed as zero (0.00 stands for [-0.005, 0.005], and means nothing)."""
        return self.nominal == ZERO

    def format(self, places: int = 2, suffix: str = "") -> str:
        """The nominal value as a document would print it (of any size: a figure of more digits
        than the decimal context's precision is printed, not refused)."""
        quantum = Decimal(1).scaleb(-places)
        with localcontext() as context:
            context.prec = max(context.prec, self.nominal.adjusted() + places + 2)
            return f"{self.nominal.quantize(quantum):f}{suffix}"


def total(intervals) -> Interval:
    """The sum of intervals (an exact zero for none)."""
    lo = hi = nominal = ZERO
    for interval in intervals:
        lo, hi, nominal = lo + interval.lo, hi + interval.hi, nominal + interval.nominal
    return Interval(lo, hi, nominal)
