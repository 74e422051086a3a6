"""The data files shipped inside budgetlint (word lists, classifications, profiles, grammar)."""
from __future__ import annotations

from importlib import resources


def package_text(name: str, package: str = "budgetlint.rules") -> str:
    """The text of a file of the installed package: `rules/data/…` by default."""
    return resources.files(package).joinpath(name).read_text("utf-8")


def package_files(folder: str, package: str = "budgetlint.rules") -> list:
    """The files of a folder of the installed package, by name (`data/editions`)."""
    return sorted((f for f in resources.files(package).joinpath(folder).iterdir() if f.is_file()),
                  key=lambda f: f.name)
