"""Reporters turn findings into text for people and formats for tools; they never compute."""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module

from ..document import Document
from ..errors import InputError
from ..findings import Finding


@dataclass
class FileResult:
    """What one input gave: its findings and lines (for excerpts and fingerprints), the
    document when a reporter draws it, or why it was unreadable."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    error: InputError | None = None
    document: Document | None = None
    notes: list = field(default_factory=list)  # (zh, en): what the rules chose, for --verbose


def summary(results: list[FileResult]) -> dict[str, int]:
    counts = {"files": len(results), "errors": 0, "warnings": 0, "info": 0}
    key = {"error": "errors", "warning": "warnings", "info": "info"}
    for result in results:
        for finding in result.findings:
            counts[key[finding.severity]] += 1
    return counts


FORMATS = ("text", "json", "sarif", "github", "markdown", "html")
NEEDS_DOCUMENT = {"html"}
NEEDS_LINES = {"text", "sarif", "html"}  # excerpts and fingerprints; others save the memory


STREAMED = {"text", "github"}  # written file by file, as soon as each file is done


def render_file(fmt: str, result: FileResult, lang: str, stream) -> None:
    """Write one file's part of a STREAMED format."""
    import_module(f".{fmt}", __name__).render_file(result, lang, stream)
    stream.flush()


def render_end(fmt: str, results: list[FileResult], lang: str, stream) -> None:
    """Write what a STREAMED format says once every file is done (the totals)."""
    import_module(f".{fmt}", __name__).render_end(results, lang, stream)


def render(fmt: str, results: list[FileResult], lang: str, stream) -> None:
    """Write the report in `fmt`; each format is its own module, imported only when used."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    import_module(f".{fmt}", __name__).render(results, lang, stream)
