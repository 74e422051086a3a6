"""Wording: similar reasons (BL301) found by prefix filtering, exactly as by comparing every pair."""
from hypothesis import given, settings
from hypothesis import strategies as st

from budgetlint.words import similar_earlier, similarity

_REASON_WORDS = ["在职人员", "增加", "工资", "调整", "增资", "新增项目", "法律顾问", "团队", "经费", "节约开支",
                 "预算", "减少", "养老保险", "缴费", "基数", "调增", "网站", "维护", "2", "人", "，", "及"]


@settings(max_examples=120, derandomize=True)
@given(st.lists(st.lists(st.sampled_from(_REASON_WORDS), min_size=0, max_size=7).map("".join), max_size=12),
       st.sampled_from([0.0, 0.3, 0.5, 0.8, 0.95, 1.0, 1.2]))
def test_similar_earlier_finds_what_comparing_every_pair_finds(texts, threshold):
    brute = [[(j, similarity(text, texts[j])) for j in range(i) if similarity(text, texts[j]) >= threshold]
             for i, text in enumerate(texts)]
    assert similar_earlier(texts, threshold) == brute
