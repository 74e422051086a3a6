"""BL4xx and BL5xx on the corpus, and on a complete version of it that must give none."""
from conftest import replace_in_line

from budgetlint.config import Config
from budgetlint.engine import lint_text

COMPLIANCE = Config(select=["BL4", "BL5"])


def where(findings, code):
    return sorted((f.line, f.column) for f in findings if f.rule == code)


def test_tables_listed_in_the_contents_but_missing(corpus_findings):
    findings = [f for f in corpus_findings if f.rule == "BL402"]
    assert [(f.line, f.message_zh) for f in findings] == [
        (16, "目录列出“二、单位收入总体情况表”，正文中没有对应的表格"),
        (21, "目录列出“七、一般公共预算项目支出情况表”，正文中没有对应的表格")]
    # BL401 leaves tables the contents list to BL402: no double report.
    assert where(corpus_findings, "BL401") == []


def test_codes_with_names_that_are_not_theirs(corpus_findings):
    findings = {(f.line, f.expected, f.actual) for f in corpus_findings if f.rule == "BL405"}
    assert findings == {(235, "一般公共服务支出", "一般公共预算支出"),
                        (172, "技术研究与开发", "技术与开发"),
                        (173, "其他技术研究与开发支出", "其他技术与开发支出")}
    twenty = next(f for f in corpus_findings if f.rule == "BL405" and f.line == 172)
    assert [r.span.line for r in twenty.related] == [243]


def test_classes_named_in_the_unit_target_but_absent_from_the_tables(corpus_findings):
    findings = [f for f in corpus_findings if f.rule == "BL406"]
    assert [(f.line, f.message_zh) for f in findings] == [
        (590, "文中提到“城乡社区支出”（212），但各表中没有这一类支出"),
        (590, "文中提到“其他支出”（229），但各表中没有这一类支出")]


def test_the_seventh_project_without_its_number(corpus_findings):
    messages = {(f.line, f.message_zh) for f in corpus_findings if f.rule == "BL407"}
    assert (520, "“项目名称”这一项缺少编号（应为 7）") in messages
    assert {line for line, _ in messages} == {484, 508, 520}  # 4、 and 6、 among 1. 2. 3. 5.


def test_a_tie_of_separators_counts_the_first_as_usual():
    """Two "." and two "、": the list starts with ".", so the "、" items are the odd ones."""
    text = "1.项目名称：甲\n\n2、项目名称：乙\n\n3.项目名称：丙\n\n4、项目名称：丁\n"
    found = [(f.line, f.message_zh) for f in lint_text(text) if f.rule == "BL407"]
    assert found == [(3, "编号分隔符不一致：此处用“、”，其余用“.”"), (7, "编号分隔符不一致：此处用“、”，其余用“.”")]


def test_vehicles_without_running_cost(corpus_findings):
    [finding] = [f for f in corpus_findings if f.rule == "BL408"]
    assert finding.line == 570 and "3 辆（价值 90.00万元）" in finding.message_zh


def test_performance_tables(corpus_findings):
    [weights] = [f for f in corpus_findings if f.rule == "BL501"]
    assert (weights.line, weights.actual, weights.expected) == (694, "60", "90")
    categories = {(f.line, f.message_zh) for f in corpus_findings if f.rule == "BL502"}
    assert categories == {(694, "绩效目标表“政务服务大厅好差评系统经费”缺少一级指标：效益、满意度"),
                          (643, "绩效目标表“电子政务工作经费”缺少一级指标：满意度")}
    assert where(corpus_findings, "BL503") == where(corpus_findings, "BL504") == []
    assert where(corpus_findings, "BL505") == []


EXTRA_TABLES = {
    145: ("\n表 2\n\n## 单位收入总体情况表\n\n单位：万元\n\n科目编码\t\t\t科目名称\t合计\t一般公共预算\n"
          "类\t款\t项\t\t\t\n\t\t\t合计\t534.68\t534.68\n201\t\t\t一般公共服务支出\t393.25\t393.25\n"
          "206\t\t\t科学技术支出\t90.60\t90.60\n208\t\t\t社会保障和就业支出\t50.83\t50.83\n"),
    289: ("\n表 7\n\n## 一般公共预算项目支出情况表\n\n单位：万元\n\n项目名称\t合计\n政府网站维护费\t12.00\n"
          "法律顾问团队经费\t40.00\n"),
}


def complete_version(text):
    for line, old, new in [
        (235, "一般公共预算支出", "一般公共服务支出"),
        (172, "技术与开发", "技术研究与开发"), (173, "其他技术与开发支出", "其他技术研究与开发支出"),
        (243, "技术与开发", "技术研究与开发"), (244, "其他技术与开发支出", "其他技术研究与开发支出"),
        (590, "科学技术支出、城乡社区支出、其他支出开展", "科学技术支出开展"),
        (484, "4、项目名称", "4.项目名称"), (508, "6、项目名称", "6.项目名称"),
        (520, "项目名称：政务服务外网", "7.项目名称：政务服务外网"),
        (341, "公务用车运行费\t", "公务用车运行费\t2.00\t2.00"),
        (542, "公务用车运行费 0.00 万元", "公务用车运行费 2.00 万元"),
        (653, "\t30\t", "\t20\t"),
    ]:
        text = replace_in_line(text, line, old, new)
    lines = text.split("\n")
    lines[652] += ("\n满意度指标\t满意度指标\t使用人满意度\t>=85%\t自定义\t当年指标\t10\t满意度赋分\t说明材料")
    lines[705] += ("\n效益指标\t社会效益指标\t群众办事体验\t有所提升\t自定义\t有所提升\t20\t按评判等级赋分\t说明材料"
                   "\n满意度指标\t满意度指标\t群众满意度\t>=90%\t自定义\t当年指标\t10\t满意度赋分\t说明材料")
    for line in sorted(EXTRA_TABLES, reverse=True):
        lines[line - 1] += "\n" + EXTRA_TABLES[line]
    return "\n".join(lines)


def test_a_complete_version_gives_no_compliance_or_performance_finding(corpus_text):
    assert [(f.rule, f.line, f.message_zh) for f in lint_text(complete_version(corpus_text), config=COMPLIANCE)] == []


def test_required_table_missing_when_neither_listed_nor_present(corpus_text):
    text = replace_in_line(corpus_text, 24, "- 十、财政拨款“三公”经费支出情况表", "- 十、（略）")
    text = text.replace("## 财政拨款“三公”经费支出情况表", "## 附表")
    findings = [f for f in lint_text(text, config=COMPLIANCE) if f.rule == "BL401"]
    assert [f.message_zh for f in findings] == ["单位预算应公开财政拨款“三公”经费支出表，文件中没有这张表（目录中也未列出）"]


def test_unknown_codes_are_no_finding_but_a_verbose_note():
    from budgetlint.engine import analyse, run_rules

    text = ("## 部门支出总表\n\n单位：万元\n\n类\t款\t项\t科目名称\t合计\n229\t\t\t其他支出\t5.00\n"
            "229\t99\t\t其他支出\t5.00\n")
    config = Config(select=["BL405"])
    doc = analyse(text, config=config)
    assert run_rules(doc, config) == []
    # 229 其他支出 is in the lists (the 2007 and 2017 editions); 22999 is not
    assert doc.notes == [("BL405：1 个科目编码不在参考科目表中，未核对名称：22999",
                          "BL405: codes not in the reference lists, their names unchecked (1): 22999")]
