"""The bundled corpus gives exactly its reviewed findings (corpus/NAME.expected.json)."""
import json

import pytest

from conftest import CORPUS
from budgetlint.engine import lint_path

GOLDEN = sorted(CORPUS.glob("*.expected.json"))


@pytest.mark.parametrize("golden", GOLDEN, ids=[g.stem for g in GOLDEN])
def test_findings_match_the_reviewed_golden_file(golden):
    expected = json.loads(golden.read_text("utf-8"))
    findings = lint_path(CORPUS / expected["document"])
    found = {(f.rule, f.line, f.column) for f in findings}
    wanted = {(e["rule"], e["line"], e["column"]) for e in expected["findings"]}
    assert found - wanted == set(), "findings nobody reviewed (false alarms?)"
    assert wanted - found == set(), "reviewed findings no longer reported"
    for entry in expected["findings"]:
        finding = next(f for f in findings if (f.rule, f.line, f.column) == (entry["rule"], entry["line"], entry["column"]))
        for key in ("expected", "actual"):
            if key in entry:
                assert getattr(finding, key) == entry[key], (entry["rule"], entry["line"], key)
