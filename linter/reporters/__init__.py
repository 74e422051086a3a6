"""Reporters turn findings into text for people and formats for tools; they never compute."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import InputError
from ..findings import Finding


@dataclass
class FileResult:
    """What one input gave: its findings and its lines (for excerpts), or why it was unreadable."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    error: InputError | None = None


def summary(results: list[FileResult]) -> dict[str, int]:
    counts = {"files": len(results), "errors": 0, "warnings": 0, "info": 0}
    key = {"error": "errors", "warning": "warnings", "info": "info"}
    for result in results:
        for finding in result.findings:
            counts[key[finding.severity]] += 1
    return counts


FORMATS = ("text", "json")


def render(fmt: str, results: list[FileResult], lang: str, stream) -> None:
    if fmt == "json":
        from .json import render as render_json

        render_json(results, lang, stream)
    else:
        from .text import render as render_text

        render_text(results, lang, stream)
