"""Claims: the grammar on the phrasings of real documents, subjects resolved to concepts."""
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from budgetlint.claims import coverage, parse, tokenize
from budgetlint.engine import analyse, lint_text
from budgetlint.reporters.show import claim_dict

FIXTURES = Path(__file__).parent / "fixtures" / "claims"


def claims_of(text):
    return analyse(text).claims


def only(text):
    [claim] = claims_of(text)
    return claim


def test_the_design_example_gives_every_field():
    claim = only("基本支出 394.08 万元，占 73.70%，比上年预算增加 53.79 万元，增长 15.81%，"
                 "主要原因是：在职人员增加及工资调整增资。")
    assert claim.subject == "基本支出" and claim.concept == "agg:基本支出"
    assert (claim.amount.value, claim.unit) == (Decimal("394.08"), "万元")
    assert claim.share.value == Decimal("73.70")
    assert claim.change.value == Decimal("53.79") and claim.rate.value == Decimal("15.81")
    assert claim.reason == "在职人员增加及工资调整增资"
    assert (claim.span.line, claim.span.column) == (1, 1)


def test_decrease_against_a_named_year_and_a_quoted_classification_path():
    text = ("## 支出总表\n\n单位：万元\n\n类\t款\t项\t科目名称\t合计\n201\t\t\t一般公共服务支出\t1,202.95\n"
            "201\t03\t\t政府办公厅（室）及相关机构事务\t1,202.95\n201\t03\t01\t行政运行\t1,202.95\n\n"
            "“一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目1,202.95万元，"
            "比2024年预算减少12.50万元，下降1.03%。\n")
    claim = only(text)
    assert claim.concept == "fn:2010301"
    assert claim.amount.value == Decimal("1202.95")
    assert claim.change.value == Decimal("-12.50") and claim.rate.value == Decimal("-1.03")


def test_classification_path_with_level_markers_resolves_through_the_tables(corpus_doc):
    claim = next(c for c in corpus_doc.claims if c.line == 422)
    assert claim.concept == "fn:2010301"
    assert claim.subject.startswith("1.一般公共服务支出（类）")
    assert claim.amount.value == Decimal("220.09") and claim.change.value == Decimal("-1.48")


def test_flat_full_width_and_integer_amounts():
    claim = only("公用经费４，６１４万元，与上年预算持平。")
    assert claim.amount.value == Decimal(4614) and claim.amount.places == 0
    assert claim.change.value == 0


def test_enumeration_parts_belong_to_their_whole():
    whole, *parts = claims_of("政府采购预算 4.15 万元，其中：政府采购货物预算 2.45 万元、"
                              "政府采购工程预算 0.00 万元、政府采购服务预算 1.70 万元。")
    assert whole.concept == "agg:政府采购"
    assert [p.concept for p in parts] == ["agg:政府采购货物", "agg:政府采购工程", "agg:政府采购服务"]
    assert all(p.parent is whole for p in parts)


def test_a_paragraph_ending_in_qizhong_is_the_total_of_the_next_paragraphs(corpus_doc):
    basic = next(c for c in corpus_doc.claims if c.line == 388)
    assert basic.parent.line == 386 and basic.parent.concept == "agg:支出总计"


def test_counts_percentage_points_and_share_of_a_named_total():
    staff = claims_of("实有人数 24 人，其中：在职 11 人，减少 2 人；退休 13 人，减少 0 人。")
    assert [(c.concept, str(c.count)) for c in staff] == [
        ("staff:实有", "24"), ("staff:在职", "11"), ("staff:退休", "13")]
    assert staff[1].parent is staff[0]
    points = only("人员经费 120 万元，较上年增加 2 个百分点。")
    assert points.points and points.rate_value is None
    share = only("一般公共服务支出 9,101.68 万元，占支出预算的 60.5%。")
    assert share.share.value == Decimal("60.5") and share.share_base == "支出预算的"


def test_reasons_purposes_and_sentences_cut_by_a_page_break(corpus_doc):
    claim = next(c for c in corpus_doc.claims if c.line == 428)
    assert claim.rate.value == Decimal("100.00")
    assert claim.span_of(claim.rate_at).line == 430
    assert claim.reason.startswith("2024 年赴京劝返工作")
    fn201 = next(c for c in corpus_doc.claims if c.line == 400 and c.amount)
    assert fn201.purpose == "人员工资及社保经费和日常办公经费"


def test_value_of_an_asset_attaches_to_the_asset(corpus_doc):
    vehicles = next(c for c in corpus_doc.claims if c.concept == "asset:车辆")
    assert str(vehicles.count) == "3" and vehicles.amount.value == Decimal("90.00")


def test_unresolved_subjects_are_kept():
    claim = only("面向中小企业预留政府采购项目预算金额 4.15 万元。")
    assert claim.concept is None and claim.amount.value == Decimal("4.15")


def test_corpus_coverage_is_complete_and_counted(corpus_doc):
    parsed, total, unparsed = coverage(corpus_doc)
    assert total >= 45
    assert parsed / total >= 0.95
    assert len(unparsed) == total - parsed


def test_an_unparsable_numeric_sentence_is_reported_as_info():
    findings = lint_text("基本支出 394.08 万元 73.70%。")
    assert [(f.rule, f.severity) for f in findings] == [("BL001", "info")]


@pytest.mark.parametrize("text", [
    "占" * 5000 + "1%", "1" * 5000 + "万元", "比上年" * 2000, "，" * 10000, "增加" + "9" * 3000 + "万元",
])
def test_tokenizer_and_grammar_survive_adversarial_sentences(text):
    tokens = tokenize(text)
    parse(tokens)
    assert "".join(t.value for t in tokens if t.type == "_SEP") or tokens


def _fixtures():
    for path in sorted(FIXTURES.glob("*.toml")):
        for index, case in enumerate(tomllib.loads(path.read_text("utf-8"))["cases"]):
            yield pytest.param(case["text"], case["claims"], id=f"{path.stem}-{index}")


@pytest.mark.parametrize("text, expected", list(_fixtures()))
def test_sentence_to_claims_fixtures(text, expected):
    """tests/fixtures/claims/*.toml: each construction's sentences and the claims read from them."""
    document = analyse(text)
    assert not document.unparsed
    found = [claim_dict(claim) for claim in document.claims]
    assert len(found) == len(expected), found
    for claim, wanted in zip(found, expected):
        for key, value in wanted.items():
            if key == "identity":
                assert {k: claim["identity"].get(k, "") for k in value} == value, claim
            else:
                assert claim.get(key, "") == value, (key, claim)


def test_parts_listed_after_a_part_with_its_own_reason_still_belong_to_the_whole():
    whole, *parts = claims_of("“三公”经费预算 18.6 万元，其中：因公出国（境）经费0 万元；公务接待费 8.6 万元，"
                              "较上年增加1.5 万元，主要原因工作任务增加；公务用车运行维护费 10 万元。")
    assert [p.parent for p in parts] == [whole] * 3


def test_the_other_side_of_a_whole_is_not_one_of_its_parts():
    income, part, spending = claims_of("本部门当年预算收入2,838.42万元，其中：一般公共预算拨款2,838.42万元，较上年增加"
                                       "145.22万元，增长的主要原因是：人员经费增加；本部门当年预算支出2,838.42万元。")
    assert part.parent is income and spending.parent is None


def test_a_list_cut_by_a_line_break_after_a_semicolon_goes_on():
    whole, *parts = claims_of("“三公”经费预算 308.00 万元，比 2025 年减少 22.24 万元。其中：因公出国（境）费用20.00 万元；"
                              "公务接待费 39.50万元；\n公务用车运行维护费 248.50 万元；公务用车购置费 0.00 万元。")
    assert [p.parent for p in parts] == [whole] * 4
    assert len({p.enumeration for p in parts}) == 1  # one list, for the sum of its parts (BL206)
    assert not [f for f in lint_text("“三公”经费预算 308.00 万元。其中：因公出国（境）费用20.00 万元；"
                                     "公务接待费 39.50万元；\n公务用车运行维护费 248.50 万元；公务用车购置费 0.00 万元。")
                if f.rule == "BL206"]


@pytest.mark.parametrize("text", [
    "2026年预算数3,623.98为万元，比2025年执行减少21,519.26万元，减少 85.59%。",  # a sum misprinted
    "2020 年本部门当年一般公共预算拨款支出 181716.56 万元，较上年减少13.01 ，减少的主要原因是职能划出。",  # % lost
])
def test_a_figure_the_grammar_cannot_read_leaves_the_sentence_unread(text):
    document = analyse(text)
    assert [sentence.text for sentence in document.unparsed] == [text]
