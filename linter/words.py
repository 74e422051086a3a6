"""Words of Chinese text: jieba with budgetlint's domain dictionary, loaded on first use.

The domain dictionary (budget terms, classification names, concept aliases) keeps words
such as 机关运行经费 or 一般公共服务支出 whole; jieba's HMM cuts the rest. Nothing here is
imported at start-up: only rules that compare wording call `words()`.
"""
from __future__ import annotations

import io
import logging
import math
import re
import sys
from collections import Counter
from functools import lru_cache

from .package_data import package_text

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_PUNCTUATION = re.compile(r"^[\s，。、；：:;,.!?！？“”\"'（）()《》\-—…]+$")

DOMAIN_WORDS = ("缴费基数", "基数调增", "在职人员", "离退休", "退休人员", "养老保险", "医保", "公积金",
                "工资调整", "增资", "新增项目", "项目经费", "运行维护", "公用经费", "人员经费", "节约开支",
                "严格控制", "未安排预算", "好差评", "法律顾问", "政务服务", "电子政务", "劝返")


def _domain_entries() -> list[str]:
    names = set(DOMAIN_WORDS)
    for name in ("function-classification.tsv", "economic-classification.tsv"):
        for line in package_text(f"data/{name}").splitlines()[1:]:
            parts = line.split("\t")
            if len(parts) > 1:
                names.add(parts[1].strip())
    for line in package_text("data/concepts.tsv").splitlines():
        if line and not line.startswith("#"):
            names.update(alias for alias in line.split("\t", 1)[-1].split("|") if alias)
    return sorted(name for name in names if name and " " not in name)


@lru_cache(maxsize=1)
def tokenizer():
    # jieba opens its data files through pkg_resources when it can; importing that costs
    # ~150 ms, and jieba falls back to plain files without it.
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None
    try:
        import jieba
    finally:
        if blocked:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(logging.WARNING)
    entries = "".join(f"{word} {max(1000, 200 * len(word))} n\n" for word in _domain_entries())
    cutter = jieba.Tokenizer()
    # Built in memory from our words only: no general dictionary, no cache file in /tmp.
    cutter.FREQ, cutter.total = cutter.gen_pfdict(io.BytesIO(entries.encode("utf-8")))
    cutter.initialized = True
    return cutter


def words(text: str) -> list[str]:
    """The words of a text, numbers masked as '#', punctuation dropped."""
    masked = _NUMBER.sub("#", text)
    return [word for word in tokenizer().lcut(masked) if word.strip() and not _PUNCTUATION.match(word)]


@lru_cache(maxsize=4096)
def _features(text: str) -> frozenset[str]:
    """Character pairs inside each word (and one-character words): robust to how two
    near-identical texts happen to be cut ('缴费基数|调增' against '缴费|基数调增')."""
    found = set()
    for word in words(text):
        found.update(word[i:i + 2] for i in range(len(word) - 1)) if len(word) > 1 else found.add(word)
    return frozenset(found)


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' word features (0 … 1)."""
    first, second = _features(a), _features(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def similar_earlier(texts: list[str], threshold: float) -> list[list[tuple[int, float]]]:
    """For each text, the earlier texts at least `threshold` similar to it: (place, score), in
    the order they come.

    Two feature sets with a Jaccard similarity of t or more share a feature among the first
    |A| − ⌈t·|A|⌉ + 1 features of each, all sets taking their features in one order (rarest
    first): so only texts that do are compared, and the work grows with the similar pairs, not
    with the square of the number of texts (prefix filtering, as in Xiao et al., PPJoin)."""
    if threshold <= 0:  # every pair qualifies, even texts without any feature in common
        return [[(j, similarity(text, texts[j])) for j in range(i)] for i, text in enumerate(texts)]
    features = [_features(text) for text in texts]
    frequency = Counter(feature for found in features for feature in found)
    holders: dict[str, list[int]] = {}  # feature → the earlier texts with it in their prefix
    result = []
    for i, found in enumerate(features):
        ordered = sorted(found, key=lambda feature: (frequency[feature], feature))
        prefix = ordered[:max(0, len(ordered) - math.ceil(threshold * len(ordered) - 1e-9) + 1)]
        candidates = sorted({j for feature in prefix for j in holders.get(feature, ())})
        result.append([(j, score) for j in candidates
                       if (score := similarity(texts[i], texts[j])) >= threshold])
        for feature in prefix:
            holders.setdefault(feature, []).append(i)
    return result
