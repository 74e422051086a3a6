"""Realistic variants of a disclosure: every money figure rescaled by one factor.

Amounts in tables (figures with two decimals) and in the text (x 万元) are multiplied by the
same factor (0.5 to 1) and printed again with at least two decimals; percentages, counts,
codes and years are left alone. Rates and shares do not depend on the scale, so a variant keeps
the original's structure and its real errors while every figure differs. (A figure that agreed
with another only at the edge of its rounding may tip over after rescaling: variants are for
measuring speed, not for golden findings.)

    python bench/variants.py corpus/x.md OUT_DIR 1000
"""
from __future__ import annotations

import re
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

_TABLE_FIGURE = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)\.(\d{2})(?![\d.%])")
_TEXT_MONEY = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(\s*万元)")


def _scaled(whole: str, decimals: str | None, factor: Decimal) -> str:
    places = max(len(decimals or ""), 2)
    value = Decimal(whole.replace(",", "") + ("." + decimals if decimals else "")) * factor
    text = f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"
    if "," in whole:
        integer, _, fraction = text.partition(".")
        text = f"{int(integer):,}" + ("." + fraction if fraction else "")
    return text


def rescale(text: str, factor: Decimal) -> str:
    lines = []
    for line in text.split("\n"):
        line = _TEXT_MONEY.sub(lambda m: _scaled(m.group(1), m.group(2), factor) + m.group(3), line)
        if "\t" in line:  # table figures, except the 万元 amounts just rescaled
            line = _TABLE_FIGURE.sub(lambda m: m.group() if line[m.end():m.end() + 3].lstrip().startswith("万")
                                     else _scaled(m.group(1), m.group(2), factor), line)
        lines.append(line)
    return "\n".join(lines)


def factors(count: int) -> list[Decimal]:
    """`count` distinct factors from 0.50 to 1.00, the same every run."""
    return [Decimal("0.5") + Decimal(index) * Decimal("0.5") / max(count - 1, 1) for index in range(count)]


def write_variants(source: Path, folder: Path, count: int) -> list[Path]:
    text = source.read_text("utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, factor in enumerate(factors(count)):
        path = folder / f"variant-{index:04d}.md"
        path.write_text(rescale(text, factor.quantize(Decimal("0.0001"))), "utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    write_variants(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))
