"""Fuzzing and bounded time: no input crashes budgetlint, hangs it, or changes its answer.

Random edits of the corpus document (deleted and inserted characters, swapped lines, random
Unicode, enormous numbers, thousands of columns, very long lines, repeated lines, figures printed
other ways, split or joined cells) go through the whole pipeline with a fixed budget of examples;
the command line must answer 0, 1 or 2, never a traceback.
"""
import os
import re
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPUS_DOC
from budgetlint.claims import parse, tokenize
from budgetlint.scanner import terminals
from budgetlint.engine import analyse, lint_text, run_rules

TEXT = CORPUS_DOC.read_text("utf-8")
LINES = TEXT.split("\n")
# CI runs a fixed budget of examples, the same ones each time; BUDGETLINT_FUZZ_EXAMPLES=5000 runs
# a longer campaign with fresh random examples (how the 30-digit sum below was found).
LONG_RUN = int(os.environ.get("BUDGETLINT_FUZZ_EXAMPLES") or 0)
FUZZ = settings(max_examples=LONG_RUN or 60, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                derandomize=not LONG_RUN, database=None)


def lint(text: str):
    findings = run_rules(analyse(text))
    assert not [f for f in findings if f.rule == "BL000"], "a rule crashed"
    return findings


_ODD_FIGURES = ["-1.00", "（1.00）", "1,2,3", "1.2.3", "1e5", "１２３．４５", "0", "0.000001", "+5", "—", "1 000.00",
                "99999999999999999999999999.99", "-0.00", "１，２３４.５"]


@st.composite
def edited(draw):
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["delete", "insert", "swap", "unicode", "huge", "columns", "long",
                                     "duplicate", "cell", "tab"]))
        at = draw(st.integers(0, len(lines) - 1))
        line = lines[at]
        if kind == "delete" and line:
            start = draw(st.integers(0, len(line) - 1))
            lines[at] = line[:start] + line[start + draw(st.integers(1, 20)):]
        elif kind == "insert":
            start = draw(st.integers(0, len(line)))
            lines[at] = line[:start] + draw(st.text(min_size=1, max_size=20)) + line[start:]
        elif kind == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif kind == "unicode":
            lines[at] = draw(st.text(st.characters(blacklist_categories=("Cs",)), max_size=200))
        elif kind == "huge":
            lines[at] = re.sub(r"\d+\.\d+", "9" * draw(st.integers(20, 400)) + ".99", line, count=3)
        elif kind == "duplicate":  # a line repeated (a total printed twice, a page header again)
            lines[at:at] = [line] * draw(st.integers(1, 50))
        elif kind == "cell":  # a figure printed another way
            lines[at] = re.sub(r"\d+\.\d+", draw(st.sampled_from(_ODD_FIGURES)), line, count=draw(st.integers(1, 3)))
        elif kind == "tab":  # a cell split in two, or two joined
            lines[at] = line.replace(" ", "\t", 1) if draw(st.booleans()) else line.replace("\t", "", 1)
        elif kind == "columns":
            lines[at] = "\t".join(["1.00"] * draw(st.integers(100, 3000)))
        else:
            lines[at] = line * draw(st.integers(50, 300))
    return "\n".join(lines)


@FUZZ
@given(edited())
def test_random_edits_never_crash_and_give_the_same_answer_twice(text):
    first = lint(text)
    second = lint(text)
    assert first == second


@FUZZ
@given(st.text(max_size=400))
def test_any_sentence_tokenizes_and_parses_or_is_rejected(sentence):
    tokens = tokenize(sentence)
    parse(tokens)
    assert all(0 <= t.start <= t.end <= len(sentence) for t in tokens)


# text made of the words and figures tokens are made of, so that many positions match
_TOKEN_TEXT = st.lists(st.sampled_from([
    "主要是用于", "主要用于", "主要包括", "具体包括", "主要原因是", "原因为", "其", "主要是", "主要由于",
    "与上年相比", "比2023年预算", "较上年", "同比", "持平", "基本持平", "增加", "增长", "增加（减少）", "增长率为",
    "增幅", "上升", "提高了", "下降率", "降幅", "减少", "下降", "降低", "压减", "缩减", "占比为", "占", "其中",
    "包括", "12.5", "1,234.56", "-3", "+0.5", "%", "％", "个百分点", "万元", "元", "人", "辆", ":", "：", "，", "；",
    "（", "）", "2016 年度", "执行数为", "决算", "完成预算的", "执行率", "新增科目", "如下", "增长的主要原因是",
    "、", "。", "！", " ", "的", "支出", "年", "上年", "预算"]), max_size=25).map("".join)


@FUZZ
@given(_TOKEN_TEXT)
def test_the_per_character_alternations_choose_what_the_whole_alternation_chooses(text):
    """The scanner tries only the terminals a character can start, and reads a number shared by
    POINTS, PERCENT, MONEY and COUNT once: the same tokens as every terminal tried in order."""
    known = terminals()
    plain = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in known.pattern.items()))
    for index in range(len(text)):
        whole = plain.match(text, index)
        part = known.at[text[index]].match(text, index) if text[index] in known.at else None
        assert (whole and (whole.lastgroup, whole.group())) == (part and (part.lastgroup, part.group()))


@FUZZ
@given(st.lists(_TOKEN_TEXT, min_size=1, max_size=4))
def test_paragraphs_dense_with_keywords_and_figures_go_through_every_rule(paragraphs):
    """Every phrase the grammar can make, with any tokens around it, reaches the claim builder."""
    text = "\n\n".join(paragraphs)
    assert lint(text) == lint(text)


@pytest.mark.parametrize("attack", [
    "占" * 20000 + "1%", "1" * 20000, "1," * 10000 + "万元", "比上年" * 5000 + "增加",
    "主要原因是" + "，" * 20000, "（" * 10000 + "类）", "<b" * 10000, "<b>" * 10000 + "1.00",
    "\t" * 20000, "其中：" * 5000, "9." * 10000 + "%",
])
def test_adversarial_inputs_finish_quickly(attack):
    start = time.perf_counter()
    lint("## 单位支出总体情况表\n\n" + attack + "\n\n" + attack.replace("\t", " ") + "。\n")
    tokenize(attack)
    assert time.perf_counter() - start < 5


def test_figures_of_more_digits_than_the_decimal_precision_are_checked_not_crashed_on():
    """Found by a long fuzzing run: a sum of 30 digits could not be printed in a message."""
    huge = "9" * 30 + ".99"
    findings = lint("## 单位支出总体情况表\n单位：万元\n类\t款\t名称\t合计\n201\t\t一般公共服务支出\t393.25\n"
                    f"201\t03\t政府办公厅（室）及相关机构事务\t{huge}\n201\t40\t信访事务\t5.00\n\n"
                    f"基本支出 {huge} 万元，比上年预算增加 53.79 万元，增长 15.81%。\n")
    footing = [finding for finding in findings if finding.rule == "BL101"]
    assert [(f.actual, f.expected[:11], len(f.expected)) for f in footing] == [("393.25", "10000000000", 34)]


@pytest.mark.parametrize("sentence, said", [
    ("基本支出 394.08 万元，比上年预算减少 {n} 万元。", [("基本支出", "394.08", None, None)]),
    ("基本支出 394.08 万元，比上年预算减少 5 万元，下降 {n}%。", [("基本支出", "394.08", "-5", None)]),
    ("在职 {n} 人，减少 {n} 人。", []),
])
def test_a_figure_too_long_to_read_is_left_out_of_its_claim(sentence, said):
    """Found by a long fuzzing run: a change of 50 digits (more than a figure is read with) crashed."""
    document = analyse(sentence.format(n="9" * 50))
    assert [(c.subject, str(c.amount), c.change and str(c.change), c.rate) for c in document.claims] == said
    lint(sentence.format(n="9" * 50))


@pytest.mark.parametrize("document", [
    # each total looked up every line above it in the whole table: cubic (1,000 totals: 17 s)
    "## 单位收入总体情况表\n单位：万元\n项目\t合计\n" + "一般公共预算\t1.00\n合计\t1.00\n" * 1000,
    # each claim's table figures were picked out of all the facts of its concept: quadratic (8 s)
    "## 单位支出总体情况表\n类\t名称\t合计\n\t基本支出\t1.00\n\n" + "基本支出 1 万元，" * 16000,
], ids=["many-totals", "many-claims"])
def test_long_documents_of_one_repeated_shape_finish_quickly(document):
    """Found by growing documents of one shape fourfold (python bench/shapes.py)."""
    start = time.perf_counter()
    lint(document)
    assert time.perf_counter() - start < 5


def test_a_rule_that_raises_is_one_finding_in_one_line_and_the_other_rules_still_run(monkeypatch):
    from budgetlint import registry

    expected = run_rules(analyse(TEXT))

    def broken(doc):
        raise ValueError("line one\nline two " + "x" * 500)
        yield

    monkeypatch.setitem(registry._RULES, "BL999", registry.Rule(
        "BL999", "broken", "other", "warning", broken, {"default": ("坏", "bad")}))
    findings = run_rules(analyse(TEXT))
    [crash] = [f for f in findings if f.rule == "BL000"]
    assert crash.message_zh.startswith("规则 BL999（broken）内部出错，未能完成检查：ValueError: line one line two xxx")
    assert "\n" not in crash.message_zh and len(crash.message_zh) < 260 and "…" in crash.message_zh
    assert [f for f in findings if f.rule != "BL000"] == expected


def test_every_token_pattern_is_linear_on_long_runs():
    for length in (1000, 8000):
        start = time.perf_counter()
        for _ in terminals().whole.finditer("1.1." * length + "万" * length):
            pass
        elapsed = time.perf_counter() - start
        assert elapsed < 1


def test_the_command_line_never_shows_a_traceback(tmp_path):
    samples = {"nul.md": b"\x00" * 100, "latin.txt": "caf\xe9".encode("latin-1") * 3,
               "cut-utf8.md": "基本支出".encode("utf-8")[:-1] * 20, "ok.md": TEXT.encode("gb18030"),
               "bom16.md": "\ufeff基本支出 1 万元。".encode("utf-16-le"), "tabs.md": b"\t\t\t\n" * 1000}
    for name, data in samples.items():
        (tmp_path / name).write_bytes(data)
    result = subprocess.run([sys.executable, "-m", "budgetlint", "check", str(tmp_path)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode in (0, 1, 2)
    assert "Traceback" not in result.stderr + result.stdout


def test_a_lint_leaves_the_cycle_collector_as_it_found_it(monkeypatch):
    import gc

    from budgetlint import engine

    assert gc.isenabled()
    lint(TEXT[:3000])
    assert gc.isenabled()

    def broken(document):
        assert not gc.isenabled()  # paused while the document is analysed
        raise RuntimeError("broken reader")

    with monkeypatch.context() as patch:
        patch.setattr(engine, "extract_tables", broken)
        with pytest.raises(RuntimeError):
            engine.lint_text(TEXT[:3000])
    assert gc.isenabled()
    gc.disable()
    try:
        lint(TEXT[:3000])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_answer_does_not_depend_on_string_hashing(tmp_path):
    """Each process hashes strings with a new seed: nothing may depend on the order of a set."""
    edited = "\n".join(LINES[:470] + ["2、项目名称：乙", "", "4、项目名称：丁"] + LINES[470:])
    (tmp_path / "corpus.md").write_text(TEXT, "utf-8")
    (tmp_path / "edited.md").write_text(edited, "utf-8")
    outputs = set()
    for seed in ("0", "1", "2", "3"):
        result = subprocess.run([sys.executable, "-m", "budgetlint", "check", str(tmp_path), "--format", "json"],
                                capture_output=True, text=True, timeout=120,
                                env={**os.environ, "PYTHONHASHSEED": seed})
        assert result.returncode == 1, result.stderr
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_a_linted_document_is_freed_without_the_cycle_collector():
    """Closing the document cuts the part → whole links: nothing is left for the collector."""
    import gc

    lint(TEXT)
    gc.collect()
    gc.disable()
    try:
        assert lint_text(TEXT)
        assert gc.collect() == 0
    finally:
        gc.enable()
