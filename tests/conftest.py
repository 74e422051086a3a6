from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
CORPUS_DOC = CORPUS / "urumqi-county-gov-office-2024-unit-budget.md"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def corpus_text() -> str:
    return CORPUS_DOC.read_text("utf-8")


@pytest.fixture(scope="session")
def corpus_doc(corpus_text):
    from budgetlint.engine import analyse

    return analyse(corpus_text, str(CORPUS_DOC))


@pytest.fixture(scope="session")
def corpus_findings(corpus_doc):
    from budgetlint.engine import run_rules

    return run_rules(corpus_doc, corpus_doc.config)


def replace_in_line(text: str, line: int, old: str, new: str) -> str:
    """The document with `old` replaced by `new` on one line (which must contain it)."""
    lines = text.split("\n")
    assert old in lines[line - 1], (line, old, lines[line - 1])
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "\n".join(lines)
