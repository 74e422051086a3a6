"""Findings: what a rule reports, where, and what it expected to see."""
from __future__ import annotations

from dataclasses import dataclass, field

from .document import Span

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True, order=True)
class Related:
    """The other side of a contradiction."""

    span: Span
    note_zh: str = ""
    note_en: str = ""
    path: str | None = None  # another file of a disclosure checked together (--together)

    def note(self, lang: str = "zh") -> str:
        return self.note_zh if lang == "zh" else (self.note_en or self.note_zh)


@dataclass(frozen=True)
class Finding:
    rule: str
    name: str
    severity: str
    message_zh: str
    message_en: str
    span: Span
    path: str = "<string>"
    expected: str | None = None
    actual: str | None = None
    related: tuple[Related, ...] = field(default_factory=tuple)
    concept: str | None = None
    location: str | None = None  # "第3页 第12行", "表格3 第5行 第2列" for .pdf and .docx inputs

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column

    def message(self, lang: str = "zh") -> str:
        return self.message_zh if lang == "zh" else self.message_en

    def sort_key(self):
        """Position first; every other field breaks ties, so the order never depends on hashing."""
        return (self.path, self.span, self.rule, self.message_zh, self.message_en, self.expected or "",
                self.actual or "", self.related, self.concept or "", self.location or "")
