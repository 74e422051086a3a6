"""Severity of the rate checks: a rate cut off at its last digit (not rounded) is info, apart
from a wrong rate, which stays an error."""
from budgetlint.config import Config
from budgetlint.engine import lint_text


def _found(text: str, code: str):
    return [f for f in lint_text(text, config=Config(select=[code])) if f.rule == code]


def test_growth_rate_cut_off_is_info():
    # 53.79 / 340.29 = 15.807%: 15.81% rounded, 15.80% cut off, 15.79% wrong
    assert not _found("基本支出 394.08 万元，比上年预算增加 53.79 万元，增长 15.81%。", "BL203")
    (cut,) = _found("基本支出 394.08 万元，比上年预算增加 53.79 万元，增长 15.80%。", "BL203")
    assert cut.severity == "info" and "截去" in cut.message_zh
    (wrong,) = _found("基本支出 394.08 万元，比上年预算增加 53.79 万元，增长 15.79%。", "BL203")
    assert wrong.severity == "error"


def test_completion_rate_cut_off_is_info():
    # 2066.84 / 2325.72 = 88.869%: 88.87% rounded, 88.86% cut off, 88.85% wrong
    text = "业务运行（项）。年初预算为 2325.72 万元，支出决算为 2066.84 万元，完成年初预算的 {}%。"
    assert not _found(text.format("88.87"), "BL607")
    (cut,) = _found(text.format("88.86"), "BL607")
    assert cut.severity == "info"
    (wrong,) = _found(text.format("88.85"), "BL607")
    assert wrong.severity == "error"
