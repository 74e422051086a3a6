"""BL3xx on the corpus: the reasons that do not hold are found, fitting reasons are left alone."""
from conftest import replace_in_line

from budgetlint.config import Config
from budgetlint.engine import lint_text

REASONS = Config(select=["BL3"])


def found(findings, code):
    return sorted(f.line for f in findings if f.rule == code)


def test_reasons_that_do_not_fit_their_subject(corpus_findings):
    # 424 事业运行 (wholly basic) ← new projects; 426 2010399 (wholly project) ← new staff and
    # contribution bases; 434 行政单位离退休 ← in-service contribution bases; 556 机关运行经费 ← 人员经费.
    assert found(corpus_findings, "BL302") == [424, 426, 434, 556]


def test_staff_growth_contradicted_by_the_headcount(corpus_findings):
    findings = [f for f in corpus_findings if f.rule == "BL303"]
    assert [f.line for f in findings] == [372, 388, 408, 556]
    assert "-2、+2、+0" in findings[0].message_zh
    assert {r.span.line for r in findings[0].related} == {97, 99, 101}


def test_reused_reason_of_project_spending_under_a_basic_line(corpus_findings):
    reused = {(f.line, f.related[0].span.line) for f in corpus_findings if f.rule == "BL301"}
    assert (424, 390) in reused
    # 项目支出 with the same reason in sections 三 and 五(一) is the same subject, not reuse.
    assert not any(line == 410 for line, _ in reused)
    # the contribution-base reason pasted between 2080501 and 2080505
    assert (436, 434) in reused


def test_purpose_instead_of_a_cause_is_info(corpus_findings):
    [finding] = [f for f in corpus_findings if f.rule == "BL305"]
    assert finding.line == 432 and finding.severity == "info"


def fitting_version(text):
    for line, old, new in [
        (372, "在职人员增加及工资调整增资", "工资调整增资及新增项目经费"),
        (388, "在职人员增加及工资调整增资", "工资调整增资及社保缴费基数调增"),
        (408, "在职人员增加及工资增资", "工资调整增资及社保缴费基数调增"),
        (424, "新增项目法律顾问团队经费、政务服务大厅好差评系统经费", "事业单位绩效工资标准调整"),
        (426, "事业人员新增 2 人及在职人员养老保险缴费、医保基数调增", "新设法律顾问团队经费项目"),
        (432, "用于网站建设维护、云端服务器服务、IPV6 维护", "新增云端服务器服务和 IPV6 改造项目"),
        (434, "在职人员养老保险、医保缴费基数调增", "离退休人员增加，退休费相应增加"),
        (556, "在职人员增加导致人员经费增加", "办公费和差旅费标准调整"),
    ]:
        text = replace_in_line(text, line, old, new)
    return text


def test_a_version_whose_reasons_all_fit_gives_no_justification_finding(corpus_text):
    assert lint_text(fitting_version(corpus_text), config=REASONS) == []


def test_missing_reason_above_both_thresholds(corpus_text):
    text = replace_in_line(corpus_text, 390, "，主要原因是：新增项目法律顾问团队经费、政务服务大厅好差评系统经费", "")
    findings = [f for f in lint_text(text, config=REASONS) if f.rule == "BL304"]
    assert [f.line for f in findings] == [390]
    small = replace_in_line(corpus_text, 556, "，主要原因是：在职人员增加导致人员经费增加", "")
    assert not [f for f in lint_text(small, config=REASONS) if f.rule == "BL304"]


def test_savings_given_for_a_rise():
    text = "公用经费 14.78 万元，比上年预算增加 0.88 万元，增长 6.37%，主要原因是：严格控制经费、节约开支。"
    [finding] = lint_text(text, config=REASONS)
    assert finding.rule == "BL303" and "节约" in finding.message_zh


def test_lexicon_can_be_extended_from_the_configuration(tmp_path):
    extra = tmp_path / "more.toml"
    extra.write_text('[categories]\nproject = ["法律顾问"]\n', "utf-8")
    text = "机关运行经费 14.78 万元，比上年预算增加 5.88 万元，增长 66.05%，主要原因是：聘请常年法律顾问。"
    assert lint_text(text, config=REASONS) == []
    config = Config(select=["BL3"], options={"reason-lexicon": str(extra)})
    assert lint_text("基本支出 394.08 万元，比上年预算增加 53.79 万元，增长 15.81%，主要原因是：法律顾问。",
                     config=config)[0].rule == "BL302"
