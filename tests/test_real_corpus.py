"""Published disclosures of other regions (corpus/real): exactly the findings a reviewer judged on
the page, each marked as a real defect or a false alarm, and the README's precision table counts
those verdicts."""
import json
import sys

import pytest

from conftest import CORPUS, ROOT
from budgetlint.engine import lint_path

GOLDENS = sorted((CORPUS / "real").glob("*.expected.json"))
sys.path.insert(0, str(CORPUS))
from golden import precision_table  # noqa: E402


@pytest.mark.parametrize("golden", GOLDENS, ids=[g.name.split(".")[0] for g in GOLDENS])
def test_findings_are_the_reviewed_ones(golden):
    expected = json.loads(golden.read_text("utf-8"))
    findings = lint_path(golden.parent / expected["document"])
    assert sorted((f.rule, f.line, f.column) for f in findings) == sorted(
        (e["rule"], e["line"], e["column"]) for e in expected["findings"])
    for entry in expected["findings"]:
        assert entry["verdict"] in {"true", "false", "unsure"} and entry["why"], entry
        finding = next(f for f in findings if (f.rule, f.line, f.column) == (entry["rule"], entry["line"], entry["column"]))
        assert (finding.severity, finding.location) == (entry["severity"], entry["location"])
        for key in ("expected", "actual"):
            if key in entry:
                assert getattr(finding, key) == entry[key]


def test_the_readme_counts_the_verdicts():
    assert precision_table(CORPUS / "real") in (ROOT / "README.md").read_text("utf-8")
