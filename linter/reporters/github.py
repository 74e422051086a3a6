"""`--format github`: GitHub Actions workflow commands, one annotation per finding."""
from __future__ import annotations

from . import FileResult

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def _escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def render(results: list[FileResult], lang: str, stream) -> None:
    for result in results:
        render_file(result, lang, stream)


def render_end(results: list[FileResult], lang: str, stream) -> None:
    """Annotations have no totals."""


def render_file(result: FileResult, lang: str, stream) -> None:
    if result.error:
        stream.write(f"::error file={_escape(result.path, True)}::{_escape(result.error.message(lang))}\n")
    for finding in result.findings:
        span = finding.span
        properties = (f"file={_escape(result.path, True)},line={span.line},col={span.column},"
                      f"endLine={span.end_line},endColumn={span.end_column},"
                      f"title={_escape(f'{finding.rule} {finding.name}', True)}")
        # a PDF's or Word file's line numbers are budgetlint's text: the page or paragraph says where
        where = f"[{finding.location}] " if finding.location else ""
        stream.write(f"::{COMMAND[finding.severity]} {properties}::{_escape(where + finding.message(lang))}\n")
