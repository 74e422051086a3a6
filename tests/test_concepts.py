"""Name → concept resolution: the alias lexicon, matched on the longest alias a name ends with,
when what stands before it only says whose, which year or which funds."""
from hypothesis import given, settings
from hypothesis import strategies as st

from budgetlint.concepts import _BUDGET, _FILLER, _QUALIFIER, _YEAR, lexicon, normal, relations, resolve_name

ALIASES = sorted(lexicon())


def longest_suffix_alias(name: str) -> str | None:
    """The rule as stated, by brute force over every alias."""
    aliases = lexicon()
    text = _YEAR.sub("", normal(name))
    bare = _FILLER.sub("", text)
    for candidate in (text, bare, _BUDGET.sub("", bare)):
        if candidate in aliases:
            return aliases[candidate]
        ending = [alias for alias in aliases if len(alias) >= 2 and candidate.endswith(alias)]
        if ending:
            longest = max(ending, key=len)
            return aliases[longest] if _QUALIFIER.fullmatch(candidate[:-len(longest)]) else None
    return None


@settings(max_examples=300, derandomize=True)
@given(st.text(st.sampled_from("办公室单位支出费用经费人员基本项目年度的为是（）“”2024 "), max_size=8),
       st.sampled_from(ALIASES), st.sampled_from(["", "预算数", "的", "合计", "支出", "费", "预算", "预算总计", "预算安排"]))
def test_a_name_resolves_to_its_longest_alias_suffix(prefix, alias, tail):
    name = prefix + alias + tail
    assert resolve_name.__wrapped__(name) == longest_suffix_alias(name)


def test_names_of_the_corpus_document():
    assert resolve_name("乌鲁木齐县人民政府办公室2024年支出预算") == "agg:支出总计"
    assert resolve_name("一般公共预算基本支出") == resolve_name("基本支出") == "agg:基本支出"
    assert resolve_name("办公室的杂项") is None
    assert resolve_name("昆明市审计局（汇总）2026年机关运行经费安排") == "agg:机关运行经费"  # a consolidated budget
    assert resolve_name("2020 年机关运行经费预算总计") == "agg:机关运行经费"
    assert resolve_name("福州市商务局收入预算为") == "agg:收入总计"  # 收入预算 is a name of its own


def test_a_name_that_qualifies_a_concept_is_another_thing():
    assert resolve_name("信访局临聘人员经费") is None  # one kind of staff cost, not 人员经费
    assert resolve_name("12333聘用人员经费") is None  # a project
    assert resolve_name("2026年拟安排该项目一般公共预算") is None
    assert resolve_name("西安市信访局2026年支出预算") == "agg:支出总计"
    assert resolve_name("政府性基金拨款支出预算") == "agg:支出总计"  # its funds are the claim's scope


def test_relations_hold_parts_of_parts_and_totals_hold_every_line():
    known = relations()
    assert known.contains("agg:基本支出", "agg:机关运行经费")  # 基本支出 › 公用经费 › 机关运行经费
    assert known.contains("agg:三公经费", "agg:公务用车运行费")
    assert known.contains("agg:支出总计", "agg:公务接待费") and known.contains("agg:财政拨款", "fn:2010301")
    assert known.related("agg:公务接待费", "agg:三公经费")
    assert not known.related("agg:机关运行经费", "agg:公务接待费")  # the "三公" line is not inside it
    assert not known.related("agg:基本支出", "agg:项目支出")
