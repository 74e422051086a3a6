"""The official classification lists (支出功能分类 / 部门预算支出经济分类 / 政府预算支出经济分类), partial,
by edition: code → the names printed for it, and the years they were printed in.

The lists in rules/data/ (and its editions/ folder) carry, per code and name, the editions they
were seen in (see rules/data/classification-README.md for their gaps); the reforms that split
the years into epochs are in rules/data/classification-editions.toml. A code missing from the
lists, or whose name for a document's epoch is not recorded, is unknown, not wrong.
"""
from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from .concepts import normal
from .package_data import package_files, package_text

# the code lengths of each system: other codes in a code column are a unit's (201001, 242) or debris
LENGTHS = {"fn": {3, 5, 7}, "econ": {3, 5}, "gov_econ": {3, 5}}
_FILES = (("function-", "fn"), ("economic-classification-gov-", "gov_econ"), ("economic-", "econ"))
_RANGE = re.compile(r"^(\d{4})-(\d{4})$")


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    years: frozenset[int]  # the editions it was printed in; empty when undated


def system_of(code: str) -> str | None:
    """fn (201…234), econ (301…399) or gov_econ (501…599), when the code's length fits."""
    system = {"2": "fn", "3": "econ", "5": "gov_econ"}.get(code[:1])
    return system if system and len(code) in LENGTHS[system] else None


def _years(edition: str) -> frozenset[int]:
    years: set[int] = set()
    for token in edition.split(";"):
        token = token.strip().rstrip("?")
        if match := _RANGE.match(token):
            years.update(range(int(match.group(1)), int(match.group(2)) + 1))
        elif token == "pre2018":
            years.add(2017)
        elif token.isdigit():
            years.add(int(token))
    return frozenset(years)


def _system_of_file(name: str) -> str | None:
    return next((system for prefix, system in _FILES if name.startswith(prefix)), None)


@lru_cache(maxsize=1)
def reference() -> dict[str, dict[str, list[Entry]]]:
    """{"fn": {code: [Entry, …]}, "econ": {…}, "gov_econ": {…}}"""
    files = [f for f in package_files("data") if f.name.endswith("-classification.tsv")]
    files += [f for f in package_files("data/editions") if f.name.endswith(".tsv")]
    lists: dict[str, dict[str, list[Entry]]] = {system: {} for system in LENGTHS}
    for file in files:
        system = _system_of_file(file.name)
        for line in file.read_text("utf-8").splitlines()[1:] if system else ():
            parts = line.split("\t")
            if len(parts) >= 4 and parts[0].isdigit():
                lists[system].setdefault(parts[0], []).append(Entry(parts[0], parts[1], _years(parts[3])))
    return lists


@lru_cache(maxsize=1)
def _reforms() -> dict[str, list[int]]:
    text = package_text("data/classification-editions.toml")
    return {system: sorted(table["reforms"]) for system, table in tomllib.loads(text).items()}


def _epoch(system: str, year: int) -> int:
    return bisect_right(_reforms().get(system, []), year)


def _of_epoch(entry: Entry, system: str, year: int | None) -> bool:
    return year is None or any(_epoch(system, y) == _epoch(system, year) for y in entry.years)


def official(system: str, code: str, year: int | None) -> list[str]:
    """The names dated editions of the year's epoch print for the code (any epoch when the
    year is unknown), as printed by the year itself or before; empty when that is not known (a
    name first seen in 2026 says nothing of what a 2019 document had to print)."""
    return list(dict.fromkeys(e.name for e in reference()[system].get(code, [])
                              if e.years and _of_epoch(e, system, year) and (year is None or min(e.years) <= year)))


def _same(printed: str, name: str) -> bool:
    """Spacing, brackets, "（小计）" and 的 ("对个人和家庭补助") aside, the same name; or the printed
    one cut short by the column's width (at least four characters of it)."""
    printed = normal(printed).replace("（小计）", "").replace("的", "")
    name = normal(name).replace("的", "")
    return printed == name or (len(printed) >= 4 and name.startswith(printed))


def accepts(system: str, code: str, name: str, year: int | None) -> bool:
    """Whether `name` is one the lists record for `code` in the year's epoch, undated ones too."""
    return any(_same(name, entry.name) for entry in reference()[system].get(code, [])
               if not entry.years or _of_epoch(entry, system, year))


def same_name(one: str, other: str) -> bool:
    """Two printings of one name (one may be cut short)."""
    return _same(one, other) or _same(other, one)


def owners(system: str, name: str, year: int | None) -> set[str]:
    """The codes whose official name in the year's epoch is `name`."""
    return {code for code, entries in reference()[system].items()
            if any(e.years and _of_epoch(e, system, year) and normal(e.name) == normal(name) for e in entries)}


def class_names() -> dict[str, str]:
    """Function classes (类, 3 digits) by their names since the 2018 lists (the 2007 edition's
    "教育", "公共安全" are everyday words now): name → code."""
    return {normal(entry.name): code for code, entries in reference()["fn"].items() if len(code) == 3
            for entry in entries if not entry.years or max(entry.years) >= 2018}


@lru_cache(maxsize=1)
def _function_names() -> dict[str, frozenset[str]]:
    """Official function-class names (dated editions) → the codes that bear them."""
    names: dict[str, set[str]] = {}
    for code, entries in reference()["fn"].items():
        for entry in entries:
            if entry.years:
                names.setdefault(normal(entry.name), set()).add(code)
    return {name: frozenset(codes) for name, codes in names.items()}


def path_code(names: list[str]) -> str | None:
    """The function code a path of official names spells, class first (公共安全支出 › 司法 ›
    行政运行 → 2040601), for tables and sentences that print names without codes: each name must
    be the only child of the step before that bears it. A class may be named without its 支出
    (公共安全（类）). None where the lists do not know a step: they are partial."""
    index, code = _function_names(), ""
    for name in names:
        name = normal(name)
        width = len(code) + (2 if code else 3)
        found = {c for c in index.get(name, ()) if len(c) == width and c.startswith(code)}
        if not code and not found:
            found = {c for c in index.get(f"{name}支出", ()) if len(c) == 3}
        if len(found) != 1:
            return None
        code = found.pop()
    return code or None
