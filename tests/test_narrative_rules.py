"""BL2xx on the corpus document: the real errors are found, the figures that hold are not."""
from conftest import replace_in_line

from budgetlint.engine import lint_text


def by_rule(findings, code):
    return [f for f in findings if f.rule == code]


def test_three_public_rate_29_percent_against_recomputed_2_94(corpus_findings):
    [finding] = by_rule(corpus_findings, "BL203")
    assert (finding.line, finding.actual, finding.expected) == (544, "29%", "2.94%")
    assert finding.related[0].span.line == 544


def test_project_spending_change_of_section_three_against_section_five(corpus_findings):
    [finding] = by_rule(corpus_findings, "BL205")
    assert finding.line == 410 and finding.related[0].span.line == 390
    assert "118.60" in finding.actual and "539.09%" in finding.actual
    assert "107.60" in finding.expected and "326.06%" in finding.expected


def test_seven_item_changes_add_to_177_40_not_172_39(corpus_findings):
    [finding] = by_rule(corpus_findings, "BL206")
    assert (finding.actual, finding.expected) == ("172.39", "177.40")
    assert finding.line == 422
    lines = {r.span.line for r in finding.related}
    assert 372 in lines and {422, 424, 426, 428, 432, 434, 436} <= lines


def test_growth_from_a_zero_base_is_info(corpus_findings):
    findings = by_rule(corpus_findings, "BL207")
    assert [(f.line, f.severity) for f in findings] == [(426, "info"), (430, "info")]


def test_rates_that_hold_within_rounding_are_not_reported(corpus_findings):
    reported = {f.line for f in corpus_findings if f.rule in {"BL202", "BL203"}}
    # 56.05% (424), 100.77% (434), 15.63% (436), 6.37% (556), and every share of 五(二).
    assert not reported & {372, 388, 390, 408, 410, 414, 416, 418, 424, 434, 436, 546, 556}


def test_no_amount_or_share_or_direction_false_alarm_on_the_corpus(corpus_findings):
    assert by_rule(corpus_findings, "BL201") == []
    assert by_rule(corpus_findings, "BL202") == []
    assert by_rule(corpus_findings, "BL204") == []


def test_amount_differing_from_the_table_is_found_with_both_sides(corpus_text):
    text = replace_in_line(corpus_text, 442, "379.30", "397.30")
    [finding] = [f for f in lint_text(text) if f.rule == "BL201"]
    assert finding.line == 442 and finding.actual == "397.30万元" and finding.expected == "379.30"
    assert finding.related[0].span.line in {262, 283}


def test_a_wrong_share_is_found(corpus_text):
    text = replace_in_line(corpus_text, 416, "16.94%", "19.64%")
    [finding] = [f for f in lint_text(text) if f.rule == "BL202"]
    assert finding.line == 416 and finding.expected == "16.94%"


def test_direction_word_contradiction_is_found(corpus_text):
    text = replace_in_line(corpus_text, 556, "增长 6.37%", "下降 6.37%")
    assert [f.line for f in lint_text(text) if f.rule == "BL204"] == [556]


def test_tables_in_yuan_against_text_in_wan_yuan():
    table = ("## 一般公共预算基本支出情况表\n\n单位：元\n\n类\t款\t名称\t总计\t人员经费\t公用经费\n"
             "\t\t合计\t1,500,000.00\t1,200,000.00\t300,000.00\n\n")
    assert [f.rule for f in lint_text(table + "人员经费 120.00 万元。\n")] == []
    [finding] = lint_text(table + "人员经费 102.00 万元。\n")
    assert finding.rule == "BL201" and finding.expected == "1,200,000.00"


_PROVIDENT_FUND = """## 部门支出预算总表
单位：元
科目编码	科目名称	合计
221	住房保障支出	2,922,814.00
22102	住房改革支出	2,922,814.00
2210201	住房公积金	2,049,197.00
2210203	购房补贴	873,617.00

{text}
"""


def test_a_figure_cut_off_from_a_table_printed_finer_is_the_same_figure():
    """204.91 万元 for 2,049,197.00 元 (204.9197): cut off, not rounded, but the same figure."""
    text = "1.“住房保障支出（类）住房改革支出（款）住房公积金（项）”204.91万元。"
    assert by_rule(lint_text(_PROVIDENT_FUND.format(text=text)), "BL201") == []
    text = "1.“住房保障支出（类）住房改革支出（款）住房公积金（项）”204.90万元。"
    [finding] = by_rule(lint_text(_PROVIDENT_FUND.format(text=text)), "BL201")
    assert finding.expected == "2,049,197.00"


def test_a_wrong_statement_printed_twice_is_one_finding_with_both_places():
    text = "2.“住房保障支出（类）住房改革支出（款）购房补贴（项）”887.36万元。"
    [finding] = by_rule(lint_text(_PROVIDENT_FUND.format(text=f"{text}\n\n{text}")), "BL201")
    assert finding.line == 9 and [r.span.line for r in finding.related] == [7, 11]
