"""Concepts: what a table line or a sentence subject is about (DESIGN §3).

Names resolve through the alias lexicon `rules/data/concepts.tsv` (users may add their own
file), classification codes become `fn:2010301` / `econ:30217`.
"""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from .package_data import package_text

_QUOTES = str.maketrans({"\"": "“", "'": "‘", "”": "“", "’": "‘", "(": "（", ")": "）", "：": ":"})
_QUOTE_CHARS = re.compile("[\"'”’()：‘]")  # the characters normal() changes
_FILLER = re.compile(r"(?:的|为|是|数|合计|总额|金额|安排|共计|预算数|预算金额|财政拨款预算|当年拨款|年初预算|预算支出)+$")
# 机关运行经费预算（安排）, 机关运行经费预算总计: tried last (收入预算 is a name of its own)
_BUDGET = re.compile(r"预算(?:总计)?$")
_YEAR = re.compile(r"\d{4}年(?:度)?")

# what may stand before a concept's name without making it another thing: the unit (with the
# （汇总）or （本级）of a consolidated budget), the year, the funds, and words that only frame the figure
_QUALIFIER = re.compile(
    r"(?:\d{4}年(?:度)?|[\u4e00-\u9fff（）()]{0,24}?(?:局|委员会|委|办公室|办公厅|院|中心|部|厅|所|处|队|站|馆|"
    r"政府|街道|办事处|公司|学校|医院|汇总|本级)|本部门|本单位|我单位|部门|单位|全年|当年|本年|年度|今年|其中|包括|相应|"
    r"一般公共预算|政府性基金|国有资本经营|财政拨款|财政|拨款|预算|安排|共|合计|全部|总|的|[:：，,、（）()“”])*")

PART_CONCEPTS = {"basic": "agg:基本支出", "project": "agg:项目支出",
                 "personnel": "agg:人员经费", "public": "agg:公用经费"}


@lru_cache(maxsize=16384)
def normal(text: str) -> str:
    """A name without spaces, with one kind of quotes and full-width brackets."""
    text = "".join(text.split())
    if _QUOTE_CHARS.search(text):
        text = text.translate(_QUOTES).replace("‘", "“")
    return text.replace("“三公“", "“三公”")


def _read(text: str) -> dict[str, str]:
    aliases = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        concept, _, names = line.partition("\t")
        for name in names.split("|"):
            if name.strip():
                aliases[normal(name)] = concept.strip()
    return aliases


@lru_cache(maxsize=8)
def lexicon(extra: str | None = None) -> dict[str, str]:
    """Alias → concept, from the built-in list and an optional user file."""
    text = package_text("data/concepts.tsv")
    aliases = _read(text)
    if extra:
        aliases.update(_read(Path(extra).read_text("utf-8")))
    return aliases


@lru_cache(maxsize=4096)
def resolve_name(name: str, extra: str | None = None) -> str | None:
    """The concept a name ends with: '…办公室2024年支出预算' → agg:支出总计."""
    aliases = lexicon(extra)
    text = _YEAR.sub("", normal(name))
    bare = _FILLER.sub("", text)
    for candidate in (text, bare, _BUDGET.sub("", bare)):
        if candidate in aliases:
            return aliases[candidate]
        # the longest alias (of two characters or more) the name ends with
        for length in _alias_lengths(extra).get(candidate[-1:], ()):
            if length <= len(candidate) and (concept := aliases.get(candidate[-length:])) is not None:
                # "信访局临聘人员经费" is not 人员经费: only whose, which year and which funds may
                # stand before the name
                return concept if _QUALIFIER.fullmatch(candidate[:-length]) else None
    return None


@lru_cache(maxsize=8)
def _alias_lengths(extra: str | None = None) -> dict[str, list[int]]:
    """The lengths (two or more, longest first) of the aliases ending in each character."""
    lengths: dict[str, set[int]] = {}
    for alias in lexicon(extra):
        if len(alias) >= 2:
            lengths.setdefault(alias[-1], set()).add(len(alias))
    return {last: sorted(found, reverse=True) for last, found in lengths.items()}


def code_concept(system: str, code: str) -> str:
    return f"{system}:{code}"


class Relations:
    """What contains what (rules/data/concept-relations.toml): the totals and funds that hold
    every line, and each component's parts, read transitively."""

    def __init__(self, data: dict) -> None:
        self.wholes = frozenset(data["totals"]) | frozenset(data["funds"])
        self._parts = {whole: set(parts) for whole, parts in data["parts"].items()}
        self._peers = {frozenset(pair) for pair in data.get("peers", ())}

    def parts(self, whole: str) -> set[str]:
        """Every part of a component, and the parts of its parts."""
        found, todo = set(), [whole]
        while todo:
            for part in self._parts.get(todo.pop(), ()):
                if part not in found:
                    found.add(part)
                    todo.append(part)
        return found

    def contains(self, whole: str | None, part: str | None) -> bool:
        """Whether `part` is counted inside `whole` (a total or a fund holds every line)."""
        if whole is None or part is None or whole == part:
            return False
        return whole in self.wholes or part in self.parts(whole)

    def peers(self, a: str | None, b: str | None) -> bool:
        """Two lines that split one whole side by side (基本支出 and 项目支出)."""
        return frozenset((a, b)) in self._peers

    def related(self, a: str | None, b: str | None) -> bool:
        """One contains the other: the same money seen twice."""
        return self.contains(a, b) or self.contains(b, a)


@lru_cache(maxsize=1)
def relations() -> Relations:
    return Relations(tomllib.loads(package_text("data/concept-relations.toml")))
