"""The data files shipped inside budgetlint (word lists, classifications, profiles, grammar)."""
from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path


def _folder(package: str) -> Path:
    """The package's folder, found without running its __init__ (the rule pack's imports the
    rules, which read these files while being imported)."""
    return Path(find_spec(package).submodule_search_locations[0])


def package_text(name: str, package: str = "budgetlint.rules") -> str:
    """The text of a file of the installed package: `rules/data/…` by default."""
    return (_folder(package) / name).read_text("utf-8")


def package_files(folder: str, package: str = "budgetlint.rules") -> list[Path]:
    """The files of a folder of the installed package, by name (`data/editions`)."""
    return sorted((f for f in (_folder(package) / folder).iterdir() if f.is_file()), key=lambda f: f.name)
