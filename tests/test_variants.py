"""The benchmark's documents: variants of the corpus document with every money figure rescaled."""
import re
import sys
from decimal import Decimal

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from variants import rescale  # noqa: E402


def test_factor_one_only_prints_amounts_with_two_decimals(corpus_text):
    """At factor one, "12万元" becomes "12.00万元" and "140.6万元" "140.60万元"; nothing else changes."""
    amount = re.compile(r"([\d,]+(?:\.\d+)?)(\s*万元)")

    def values(text):
        return amount.sub(lambda m: f"{Decimal(m.group(1).replace(',', '')):.2f}{m.group(2)}", text)

    same = rescale(corpus_text, Decimal(1))
    assert "项目支出140.60万元" in same.split("\n")[589] and "项目支出140.6万元" in corpus_text
    assert values(same) == values(corpus_text)


def test_money_is_rescaled_and_everything_else_kept(corpus_text):
    half = rescale(corpus_text, Decimal("0.5"))
    lines, halved = corpus_text.split("\n"), half.split("\n")
    assert len(halved) == len(lines)
    assert [line.count("\t") for line in halved] == [line.count("\t") for line in lines]
    # line 388: "基本支出 394.08 万元，占 73.70%，比上年预算增加 53.79 万元，增长 15.81%，…"
    assert "基本支出 197.04 万元，占 73.70%，比上年预算增加 26.90 万元，增长 15.81%" in halved[387]
    assert halved[162].split("\t")[4:] == ["267.34", "197.04", "70.30"]  # 合计 534.68 394.08 140.60
    percentages = re.compile(r"\d+(?:\.\d+)?%")
    assert percentages.findall(half) == percentages.findall(corpus_text)
    years = re.compile(r"20\d\d 年")
    assert years.findall(half) == years.findall(corpus_text)


def test_a_variant_is_linted_like_the_original(corpus_text):
    """The same tables, sentences and claims: only the figures differ."""
    from budgetlint.engine import analyse

    original, variant = analyse(corpus_text), analyse(rescale(corpus_text, Decimal("0.73")))
    assert [(t.number, t.kind, len(t.rows)) for t in variant.tables] == \
        [(t.number, t.kind, len(t.rows)) for t in original.tables]
    assert [c.subject for c in variant.claims] == [c.subject for c in original.claims]
    assert sum(c.amount != o.amount for c, o in zip(variant.claims, original.claims) if o.amount) > 50
