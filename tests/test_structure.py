"""Document structure: outline numbering, headings from layout, the contents, and the section
a sentence stands in."""
from pathlib import Path

from budgetlint.contents import outline, table_of_contents
from budgetlint.engine import analyse, lint_text
from budgetlint.numbering import heading_goes_on, is_heading, mark, rank
from budgetlint.reader import read_text

from budgetlint.rules.narrative import amount_of


def test_ranks_of_the_outline_marks():
    assert [rank(t) for t in ("第二部分 公开表", "十二、其他", "（三）收入", "4．支出", "(5)项目", "说明")] == \
        [1, 2, 3, 4, 5, 9]
    assert mark("二十三、名词解释").number == 23
    assert mark("4.92%的增长") is None  # a figure, not item 4
    assert mark("6．2023年部门政府性基金预算表").number == 6  # an item before a year


def test_headings_from_numbering_and_layout():
    part = "第三部分 佛山市轨道交通局2019年部门决算情况说明"  # 30 characters that fill the line
    assert is_heading(part, wrapped=True)
    long = "一、关于乌鲁木齐县人民政府办公室2024年收支预算情况的总体说明"
    assert not is_heading(long, wrapped=True)
    assert is_heading(long, wrapped=True, emphasised=True)  # larger type or centred
    assert not is_heading("一、负责全市信访工作。", emphasised=True)  # a sentence
    assert not is_heading("负责全市信访工作")  # no numbering
    assert heading_goes_on("国家信访局2024年度部门决算表", 36, 36)  # the title under "第二部分"
    assert not heading_goes_on("国家信访局2024年度部门决算表", 16, 36)  # body text
    assert not heading_goes_on("一、部门职责", 36, 36)  # the next heading


def test_contents_end_where_the_first_entry_comes_again():
    """Each section of the contents numbers its own sub-entries from （一）."""
    document = read_text("# 目录\n一、部门概况 ........ 2\n（一）主要职能 .... 2\n二、预算情况说明 .... 3\n"
                         "（一）收入预算 .... 3\n三、名词解释 ..... 9\n\n"
                         "# 一、部门概况\n## （一）主要职能\n负责全市工作。\n")
    entries, body_start = table_of_contents(document)
    assert [(e.rank, e.number, e.text) for e in entries] == \
        [(2, 1, "一、部门概况"), (3, 1, "（一）主要职能"), (2, 2, "二、预算情况说明"), (3, 1, "（一）收入预算"),
         (2, 3, "三、名词解释")]
    assert document.blocks[body_start].text == "一、部门概况"


def test_titles_compare_without_year_unit_and_owner_words():
    document = read_text("某某市信访局2024年度部门预算\n\n# 目录\n- 二、2024年某某市信访局部门预算安排情况说明\n\n"
                         "# 二、2024年度预算安排情况说明\n")
    shape = outline(document)
    assert shape.unit == "某某市信访局"
    assert [e.key for e in shape.entries] == ["预算安排情况说明"]
    assert shape.has_title(shape.entries[0])


SECTIONS = """# 第三部分 情况说明

## 一、收入预算情况说明

基本支出 300.00 万元。

## 二、支出预算情况说明

基本支出 394.08 万元。

基本支出比上年增加 53.79 万元，增长 15.81%。
"""


def test_the_section_a_sentence_stands_in_is_one_definition():
    """A claim's facts carry its section, and a figure is looked for first in the same section:
    the change in 二、 is of the 394.08 of 二、, not of the 300.00 stated first, in 一、."""
    document = analyse(SECTIONS)
    change = next(c for c in document.claims if c.change is not None)
    assert change.sentence.where == "二、支出预算情况说明"
    assert [f.where for f in document.facts.find("agg:基本支出", "amount", origin="text")] == \
        ["一、收入预算情况说明", "二、支出预算情况说明"]
    amount, _ = amount_of(document, change)
    assert amount.format(2) == "394.08"


ROTATED = """# 目录
## 第二部分 部门决算表
- 一、财政拨款“三公”经费支出决算表
- 二、政府性基金预算财政拨款收入支出决算表
- 三、国有资本经营预算财政拨款支出决算表

# 第二部分 部门决算表
表 1
## 政府性基金预算财政拨款收入支出决算表
项目	决算数
合计	0.00

表 2
## 国有资本经营预算财政拨款支出决算表
项目	决算数
合计	0.00

表 3
## 财政拨款“三公”经费支出决算表
项目	决算数
合计	1.00
"""


def test_tables_in_another_order_are_one_finding():
    [finding] = [f for f in lint_text(ROTATED) if f.rule == "BL402"]
    assert finding.line == 3 and "共 3 张表次序不同" in finding.message_zh
    assert [r.span.line for r in finding.related] == [9, 4, 5]


def test_numbering_patterns_live_in_one_module():
    """Only numbering.py spells out the Chinese numerals of an outline mark in a pattern."""
    import budgetlint
    import budgetlint.rules

    sources = [*Path(budgetlint.__file__).parent.glob("*.py"), *Path(budgetlint.rules.__file__).parent.glob("*.py")]
    spelled = [p.name for p in sources if p.name != "numbering.py" and "[一二三四五六七八九十" in p.read_text("utf-8")]
    assert spelled == []
