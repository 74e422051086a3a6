"""BL0xx — the document itself: what budgetlint could not read."""
from __future__ import annotations

from budgetlint.registry import Hit, rule


@rule("BL001", "unparsed-numeric-sentence", severity="info", messages={
    "default": ("含金额或百分比的句子未能解析，未参与核对：{text}",
                "a sentence with amounts or percentages was not parsed and was not checked: {text}"),
})
def unparsed_sentence(doc):
    """未解析的数字句 — a sentence states figures the grammar could not turn into claims.

    Nothing is skipped unseen: every such sentence is listed, and counted in the coverage
    figure of `budgetlint claims`.

    Why: a figure budgetlint did not read is a figure it did not check.

    Fails:
        基本支出 394.08 万元 73.70%。
    Passes:
        基本支出 394.08 万元，占 73.70%。
    """
    for sentence in doc.unparsed:
        text = sentence.text if len(sentence.text) <= 40 else sentence.text[:39] + "…"
        yield Hit(sentence.content.span(), {"text": text})
