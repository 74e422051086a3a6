"""BL1xx on the corpus: every printed amount of the arithmetic tables is checked by something."""
from decimal import Decimal

import pytest

from budgetlint.config import Config
from budgetlint.engine import lint_text

TABLE_ONLY = Config(select=["BL1"])
CHECKED = ["表1", "表3", "表4", "表5", "表6", "表10"]


def test_the_unchanged_corpus_has_no_table_arithmetic_finding(corpus_text):
    # 表6 prints 368.37 over ten children adding to 368.36, and 394.08 over 394.09: rounding.
    assert lint_text(corpus_text, config=TABLE_ONLY) == []


@pytest.mark.parametrize("number", CHECKED)
def test_changing_any_amount_by_one_is_found_in_that_table(corpus_doc, corpus_text, number):
    table = next(t for t in corpus_doc.tables if t.number == number)
    lines = corpus_text.split("\n")
    cells = [cell for row in table.rows for cell in row if cell.number is not None and not cell.blank]
    assert cells
    missed = []
    for cell in cells:
        span = cell.span
        for delta in (Decimal(1), Decimal(-1)):
            line = lines[span.line - 1]
            changed = line[:span.column - 1] + f"{cell.number.value + delta:.2f}" + line[span.end_column - 1:]
            text = "\n".join(lines[:span.line - 1] + [changed] + lines[span.line:])
            # a changed code (302 → 303) may leave the table unreadable: BL002 says so
            findings = lint_text(text, config=Config(select=["BL1", "BL002"]))
            if not any(table.line <= f.line <= table.end_line for f in findings):
                missed.append((span.line, cell.text, str(delta)))
    assert missed == []


def test_a_footing_error_points_at_the_parent_cell_and_lists_the_children(corpus_text):
    from conftest import replace_in_line

    text = replace_in_line(corpus_text, 166, "220.09\t220.09", "221.09\t221.09")
    findings = [f for f in lint_text(text, config=TABLE_ONLY) if f.rule == "BL101"]
    parents = {(f.line, f.column) for f in findings}
    # "201\t03\t\t政府办公厅（室）及相关机构事务\t388.25": the 合计 cell starts at column 25.
    assert (165, 25) in parents
    finding = next(f for f in findings if f.line == 165 and f.column == 25)
    assert finding.actual == "388.25" and finding.expected == "389.25"
    children = [r for r in finding.related if not r.note_zh.startswith("同一差额")]
    assert {r.span.line for r in children} == {166, 167, 168}
    # its 基本支出 cell fails by the same difference: one cause, one finding, the other related
    assert [(r.span.line, r.span.column) for r in finding.related if r not in children] == [(165, 32)]
    assert len(findings) == 1


def test_tie_out_names_both_tables(corpus_text):
    from conftest import replace_in_line

    text = replace_in_line(corpus_text, 195, "90.60\t90.60", "91.60\t91.60")
    findings = [f for f in lint_text(text, config=TABLE_ONLY) if f.rule == "BL104"]
    assert findings
    # 表4's 一般公共预算 column is the same money as 表5's 合计 (both 一般公共预算).
    assert any("表4" in f.message_zh and "表5" in f.message_zh for f in findings)
