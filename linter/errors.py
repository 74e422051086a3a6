"""The one exception type for bad input: the CLI turns it into exit 2 and one clear line."""
from __future__ import annotations


class InputError(Exception):
    """A file or argument budgetlint cannot read, with its reason in Chinese and English."""

    def __init__(self, path: str, zh: str, en: str):
        super().__init__(f"{path}: {en}")
        self.path, self.zh, self.en = path, zh, en

    def message(self, lang: str = "zh") -> str:
        return f"{self.path}: {self.zh if lang == 'zh' else self.en}"
