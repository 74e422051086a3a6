"""`--format json`: the stable, version-tagged report of DESIGN §5."""
from __future__ import annotations

import json

from ..findings import Finding
from . import FileResult, summary

VERSION = 1


def finding_dict(finding: Finding, lang: str) -> dict:
    data = {"rule": finding.rule, "name": finding.name, "severity": finding.severity,
            "message": finding.message(lang), "line": finding.span.line,
            "column": finding.span.column, "end_line": finding.span.end_line,
            "end_column": finding.span.end_column}
    if finding.expected is not None:
        data["expected"] = finding.expected
    if finding.actual is not None:
        data["actual"] = finding.actual
    if finding.location:
        data["location"] = finding.location
    if finding.related:
        data["related"] = [{**({"path": r.path} if r.path else {}), "line": r.span.line, "column": r.span.column,
                            **({"note": r.note(lang)} if r.note(lang) else {})} for r in finding.related]
    return data


def render(results: list[FileResult], lang: str, stream) -> None:
    """One JSON document, written file by file so a run over thousands of files never holds
    the whole report in memory."""
    stream.write(f'{{"version": {VERSION}, "files": [')
    for number, result in enumerate(results):
        entry = {"path": result.path, "findings": [finding_dict(f, lang) for f in result.findings]}
        if result.error:
            entry["error"] = result.error.message(lang)
        stream.write(("," if number else "") + "\n  " + json.dumps(entry, ensure_ascii=False))
    stream.write(f'\n], "summary": {json.dumps(summary(results))}}}\n')
