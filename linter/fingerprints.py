"""Stable identities for findings: the same problem keeps its fingerprint when lines move.

A fingerprint hashes the rule, the text of the finding's line (white space ignored) and the
text under its span, so inserting or deleting lines elsewhere does not change it. Used by
SARIF (partialFingerprints) and by baselines.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter

from .findings import Finding

_SPACE = re.compile(r"\s+")


def _text(lines: list[str], finding: Finding) -> tuple[str, str]:
    span = finding.span
    line = lines[span.line - 1] if 0 < span.line <= len(lines) else ""
    under = line[span.column - 1:span.end_column - 1] if span.end_line == span.line else line[span.column - 1:]
    return _SPACE.sub("", line), _SPACE.sub("", under)


def fingerprints(findings: list[Finding], lines: list[str]) -> list[str]:
    """One fingerprint per finding, in order; repeats of the same one get a counter."""
    seen: Counter[str] = Counter()
    result = []
    for finding in findings:
        line, under = _text(lines, finding)
        digest = hashlib.sha256("\0".join((finding.rule, line, under)).encode("utf-8")).hexdigest()[:20]
        seen[digest] += 1
        result.append(f"{digest}:{seen[digest]}")
    return result
