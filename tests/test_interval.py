"""Interval arithmetic (DESIGN §2): each operation contains every result of its members."""
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from budgetlint.interval import Interval, total
from budgetlint.numbers import parse_number

values = st.decimals(min_value=-10**6, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def intervals_with_member(draw):
    a, b = sorted([draw(values), draw(values)])
    t = draw(st.fractions(min_value=0, max_value=1))
    member = a + (b - a) * Decimal(t.numerator) / Decimal(t.denominator)
    return Interval(a, b), member


@given(intervals_with_member(), intervals_with_member())
def test_sum_difference_product_contain_member_results(x, y):
    (a, p), (b, q) = x, y
    assert (a + b).contains(p + q)
    assert (a - b).contains(p - q)
    assert (a * b).contains(p * q)


@given(intervals_with_member(), intervals_with_member())
def test_quotient_contains_member_quotient_or_refuses_zero_divisor(x, y):
    (a, p), (b, q) = x, y
    quotient = a / b
    if b.lo <= 0 <= b.hi:
        assert quotient is None
    else:
        assert quotient.lo - Decimal("1e-20") <= p / q <= quotient.hi + Decimal("1e-20")


@given(values, st.integers(min_value=0, max_value=4))
def test_printed_interval_is_half_a_unit_either_side(value, places):
    value = value.quantize(Decimal(1).scaleb(-places))
    interval = Interval.printed(value, places)
    assert interval.contains(value)
    assert interval.hi - interval.lo == Decimal(1).scaleb(-places)
    assert interval.nominal == value


@given(intervals_with_member(), intervals_with_member())
def test_meets_is_symmetric_and_reflexive(x, y):
    a, b = x[0], y[0]
    assert a.meets(b) == b.meets(a)
    assert a.meets(a)


def test_ten_children_rounding_to_one_cent_less_still_meet():
    children = ["93.64", "70.18", "78.48", "27.56", "39.47", "20.48", "4.93", "1.10", "32.04", "0.48"]
    summed = total(parse_number(c).interval for c in children)
    assert summed.nominal == Decimal("368.36")
    assert summed.meets(parse_number("368.37").interval)


def test_a_ratio_far_outside_its_interval_does_not_meet():
    change, previous = parse_number("0.01").interval, parse_number("0.34").interval
    ratio = change * Interval.exact(100) / previous
    assert ratio.format(2) == "2.94"
    assert not ratio.meets(parse_number("29").interval)


def test_numbers_with_separators_and_full_width_digits():
    assert parse_number("9,101.68").value == Decimal("9101.68")
    assert parse_number("４，６１４").value == Decimal(4614)
    assert parse_number("４，６１４").places == 0
    assert parse_number("12,34") is None
    assert parse_number("abc") is None
    assert parse_number("\u221212.50").value == Decimal("-12.50")  # the typographic minus sign
