"""What a table column measures: fund scope, stage and measure (DESIGN §3).

A concept alone is not an identity: 机关运行经费 is not 基本支出, the 财政拨款 table's 合计 is not
the all-funds 合计, a 上年预算 column is not this year's figure. The words that tell them apart
are data (`rules/data/identity.toml`); this module reads a column's heading path and its
table's title with them. A column it cannot place gets no identity, and its figures are not
compared with anything.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from .concepts import normal
from .package_data import package_text


YEAR_HEADING = re.compile(r"((?:19|20)\d\d)\s*年度?")  # 2025年, 2025 年度


@dataclass(frozen=True, slots=True)
class ColumnIdentity:
    scope: str  # all | general | fund | soe | special | fiscal | unit
    stage: str  # budget | final | initial | adjusted
    period: str  # current | previous
    measure: str  # total | basic | project | personnel | public | carryover:… | col:…


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    return tomllib.loads(package_text("data/identity.toml"))


def _first(words_by_name: dict, text: str, names) -> str | None:
    for name in names:
        if any(word in text for word in words_by_name.get(name, ())):
            return name
    return None


def scope_in(text: str) -> str | None:
    """The fund scope a title or heading names, if any."""
    for entry in vocabulary()["scope"]:
        if any(word in text for word in entry["words"]):
            return entry["scope"]
    return None


def table_scope(title: str, kind: str) -> str:
    return scope_in(normal(title)) or vocabulary()["kind_scope"].get(kind, "all")


def column_identity(path: tuple[str, ...], table_scope_: str, kind: str,
                    final_account: bool, side: str = "") -> ColumnIdentity | None:
    """The identity of a column from its headings (outermost first), or None for a column of
    changes or rates, or one whose measure is not known. On one side of a table (income or
    expenditure), a column headed by the other side's word (本年收入 in a table of spending by
    class) is a figure of its own, never that side's whole."""
    heading = normal("".join(path))
    if not heading or (when := stage_of(path, final_account)) is None:
        return None
    stage, period = when
    if any(word in heading for word in vocabulary()["stage"]["carryover"]):
        measure = f"carryover:{normal(path[-1])}"
    else:
        measure = _measure(path, kind)
        other = _other_side(path, side)
        if other:
            measure = f"col:{other}"
    scope = None
    for part in reversed(path):
        scope = scope_in(normal(part))
        if scope:
            break
    return ColumnIdentity(scope or table_scope_, stage, period, measure)


def stage_of(path: tuple[str, ...], final_account: bool = False) -> tuple[str, str] | None:
    """(stage, period) of a column's figures from its headings, None for a column of changes,
    rates or shares (上年数 is the previous period; 上年结转 is this year's carry-over)."""
    stage_words = vocabulary()["stage"]
    heading = normal("".join(path))
    default = "final" if final_account else "budget"
    if any(word in heading for word in stage_words["carryover"]):
        return default, "current"
    if any(word in heading for word in stage_words["skip"]):
        return None
    period = "previous" if any(word in heading for word in stage_words["previous"]) else "current"
    stage = _first(stage_words, heading, ("initial", "adjusted", "final")) or default
    if not final_account:  # a budget's 年初预算 is the budget itself; what was spent is of a year before
        stage, period = ("budget", period) if stage == "initial" else (
            stage, "previous" if stage == "final" else period)
    return stage, period


def heading_year(path: tuple[str, ...]) -> int | None:
    """The year a column's headings name (2024年预算数, 2025年 › 合计), if any."""
    match = YEAR_HEADING.search("".join(path))
    return int(match.group(1)) if match else None


def _other_side(path: tuple[str, ...], side: str) -> str | None:
    """The heading that names the side of the table the column is not on."""
    words = vocabulary()["side"]
    if side not in words:
        return None
    others = [word for name, found in words.items() if name != side for word in found]
    for part in path:
        text = normal(part)
        if any(word in text for word in others) and not any(word in text for word in words[side]):
            return text
    return None


def _measure(path: tuple[str, ...], kind: str) -> str:
    """The most specific heading that names a measure decides: 支出 › 基本支出 › 人员经费 is
    人员经费; 本年收入 › 一般公共预算 is the whole (of the general budget)."""
    measure = _heading_measure(path)
    part = vocabulary()["kind_part"].get(kind)
    # in a table of one part (the 基本支出 table) its whole is that part
    return part if part and measure == "total" else measure


def _heading_measure(path: tuple[str, ...]) -> str:
    words = vocabulary()["measure"]
    for part in reversed(path):  # 基本支出 › 小计 is the 基本支出: a total word defers to what is above
        text = normal(part)
        if text in words["ignore"] or _first(words, text, ("total",)) or text in words["alone"]:
            continue
        found = _first(words, text, ("basic", "project", "personnel", "public"))
        if found:
            return found
        if scope_in(text) is None and text not in words["whole"]:  # an income source, a sub-unit
            return f"col:{text}"
    return "total"
