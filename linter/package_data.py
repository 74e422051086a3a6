"""The data files shipped inside budgetlint (word lists, classifications, profiles, grammar)."""
from __future__ import annotations

from importlib import resources


def package_text(name: str, package: str = "budgetlint.rules") -> str:
    """The text of a file of the installed package: `rules/data/…` by default."""
    return resources.files(package).joinpath(name).read_text("utf-8")
