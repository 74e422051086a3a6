"""`--format sarif`: SARIF 2.1.0 for code-scanning tools."""
from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from ..fingerprints import fingerprints
from ..registry import all_rules
from . import FileResult

LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _uri(path: str) -> str:
    """A valid URI reference for a path as given: relative to the working directory when it is
    under it (what code-scanning tools expect), else a file:// URI; percent-encoded."""
    if path == "<stdin>":
        return "stdin"
    absolute = Path(os.path.abspath(path))  # ".." folded, links left as given
    try:
        return quote(absolute.relative_to(os.path.abspath(Path.cwd())).as_posix(), safe="/")
    except ValueError:
        return absolute.as_uri()


def _region(span, location: str | None = None) -> dict:
    region = {"startLine": span.line, "startColumn": span.column, "endLine": span.end_line,
              "endColumn": max(span.end_column, 1)}
    if location:  # where a reader of the .pdf, .docx or .html finds it: "第21页 第9行"
        region["message"] = {"text": location}
    return region


def _rule(rule, lang: str) -> dict:
    zh, en = rule.messages["default"]
    return {"id": rule.code, "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.doc},
            "help": {"text": rule.doc},
            "defaultConfiguration": {"level": LEVEL[rule.severity]},
            "properties": {"family": rule.family}}


def render(results: list[FileResult], lang: str, stream) -> None:
    rules = all_rules()
    index = {rule.code: number for number, rule in enumerate(rules)}
    sarif_results, artifacts = [], []
    for result in results:
        uri = _uri(result.path)
        artifacts.append({"location": {"uri": uri}})
        for finding, fingerprint in zip(result.findings, fingerprints(result.findings, result.lines)):
            entry = {"ruleId": finding.rule, "level": LEVEL[finding.severity],
                     "message": {"text": finding.message(lang)},
                     "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri},
                                                         "region": _region(finding.span, finding.location)}}],
                     "partialFingerprints": {"budgetlint/v1": fingerprint}}
            if finding.rule in index:
                entry["ruleIndex"] = index[finding.rule]
            if finding.related:
                entry["relatedLocations"] = [
                    {"id": number, "message": {"text": related.note(lang) or finding.rule},
                     "physicalLocation": {"artifactLocation": {"uri": _uri(related.path) if related.path else uri},
                                          "region": _region(related.span)}}
                    for number, related in enumerate(finding.related)]
            properties = {key: value for key, value in (("expected", finding.expected), ("actual", finding.actual),
                                                        ("location", finding.location)) if value}
            if properties:
                entry["properties"] = properties
            sarif_results.append(entry)
    # files that could not be read: the run did not check everything, and says which and why
    unread = [{"level": "error", "message": {"text": result.error.message(lang)},
               "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(result.path)}}}]}
              for result in results if result.error]
    payload = {"$schema": SCHEMA, "version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "budgetlint", "version": __version__, "semanticVersion": __version__,
                            "rules": [_rule(rule, lang) for rule in rules]}},
        "invocations": [{"executionSuccessful": not unread, "toolExecutionNotifications": unread}],
        "artifacts": artifacts, "results": sarif_results,
        "columnKind": "unicodeCodePoints"}]}
    stream.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
