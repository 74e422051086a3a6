"""Every rule's documented examples and its data cases (tests/cases/BLnnn.toml) are run.

A case file holds `[[fails]]` and `[[passes]]` entries with a `text` (a small document) and,
optionally, `config` (settings as in a budgetlint.toml, e.g. `config = {profile = "部门预算"}`);
a failing case may name the `line` the finding must be on, its `expected` value and its
`message` (Chinese, in full).
"""
import tomllib
from pathlib import Path

import pytest

from budgetlint.config import Config, from_table
from budgetlint.engine import lint_text
from budgetlint.registry import all_rules

CASES = Path(__file__).parent / "cases"


def _codes(text: str, code: str, settings: dict | None = None) -> list:
    config = from_table({**(settings or {}), "select": [code]}, "<case>") if settings else Config(select=[code])
    return [f for f in lint_text(text, config=config) if f.rule == code]


def _examples():
    for rule in all_rules():
        examples = rule.examples()
        for kind in ("Fails", "Passes"):
            if examples[kind]:
                yield pytest.param(rule.code, kind, "\n".join(examples[kind]), id=f"{rule.code}-{kind}")


def test_every_rule_is_documented_with_both_examples():
    for rule in all_rules():
        examples = rule.examples()
        assert rule.summary, rule.code
        assert examples["Fails"] and examples["Passes"], rule.code
        assert "Why:" in rule.doc, rule.code


@pytest.mark.parametrize("code, kind, text", list(_examples()))
def test_docstring_examples(code, kind, text):
    found = _codes(text, code)
    assert bool(found) == (kind == "Fails"), [f.message_zh for f in found]


def _data_cases():
    for path in sorted(CASES.glob("BL*.toml")):
        data = tomllib.loads(path.read_text("utf-8"))
        for index, case in enumerate(data.get("fails", [])):
            yield pytest.param(path.stem, True, case, id=f"{path.stem}-fails-{index}")
        for index, case in enumerate(data.get("passes", [])):
            yield pytest.param(path.stem, False, case, id=f"{path.stem}-passes-{index}")


@pytest.mark.parametrize("code, fails, case", list(_data_cases()))
def test_data_cases(code, fails, case):
    found = _codes(case["text"], code, case.get("config"))
    assert bool(found) == fails, [f.message_zh for f in found]
    if fails and "line" in case:
        assert case["line"] in {f.line for f in found}
    if fails and "expected" in case:
        assert case["expected"] in {f.expected for f in found}
    if fails and "message" in case:
        assert case["message"] in {f.message_zh for f in found}


def test_registration_refuses_templates_whose_languages_name_different_values():
    from budgetlint.registry import rule

    with pytest.raises(ValueError, match="placeholders"):
        rule("BL999", "template-test", severity="info",
             messages={"default": ("“{subject}”为 {what}", "'{subject}' is {what_en}")})


def test_a_hit_gives_each_language_its_words():
    from budgetlint.document import Span
    from budgetlint.registry import Hit, Rule, Words

    hit = Hit(Span(1, 1, 1, 2), {"what": Words("表格", "table")})
    rule = Rule("BL999", "words-test", "other", "warning", lambda doc: [hit],
                {"default": ("没有{what}", "no {what}")})
    assert (rule.message(hit, "zh"), rule.message(hit, "en")) == ("没有表格", "no table")
