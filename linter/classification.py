"""The official classification lists (支出功能分类 / 部门预算支出经济分类), partial: code → names.

The lists in rules/data/ carry, per code and name, the editions and sources they were seen in
(see rules/data/classification-README.md for their gaps). A code missing from them is
unknown, not wrong.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .concepts import normal
from .package_data import package_text


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    editions: tuple[str, ...]


@lru_cache(maxsize=1)
def reference() -> dict[str, dict[str, list[Entry]]]:
    """{"fn": {code: [Entry, …]}, "econ": {…}}"""
    lists: dict[str, dict[str, list[Entry]]] = {}
    for system, name in (("fn", "function-classification.tsv"), ("econ", "economic-classification.tsv")):
        entries: dict[str, list[Entry]] = {}
        for line in package_text(f"data/{name}").splitlines()[1:]:
            parts = line.split("\t")
            if len(parts) >= 4:
                entries.setdefault(parts[0], []).append(Entry(parts[0], parts[1], tuple(parts[3].split(";"))))
        lists[system] = entries
    return lists


def names(system: str, code: str) -> list[str]:
    return [entry.name for entry in reference().get(system, {}).get(code, [])]


def known(system: str, code: str) -> bool:
    return code in reference().get(system, {})


@lru_cache(maxsize=4096)
def accepts(system: str, code: str, name: str) -> bool:
    """Whether `name` is a name the lists record for `code` (spacing and brackets ignored)."""
    printed = normal(name).replace("（小计）", "")
    return any(normal(official) == printed for official in names(system, code))


@lru_cache(maxsize=2)
def codes_by_name(system: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for code, entries in reference().get(system, {}).items():
        for entry in entries:
            found.setdefault(normal(entry.name), set()).add(code)
    return found


def class_names() -> dict[str, str]:
    """Function classes (类, 3 digits): name → code."""
    return {normal(entry.name): code for code, entries in reference()["fn"].items() if len(code) == 3
            for entry in entries}
