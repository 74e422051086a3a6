"""BL0xx — the document itself: what budgetlint could not read."""
from __future__ import annotations

from budgetlint.document import Span
from budgetlint.findings import Related
from budgetlint.registry import Hit, Words, rule


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


@rule("BL002", "table-unreadable", severity="info", messages={
    "default": ("{table}未能可靠读取：{reason}；其数字未参与任何核对",
                "{table} could not be read reliably: {reason}; none of its figures was checked"),
})
def unreadable_table(doc):
    """表格未能可靠读取 — a table read so doubtfully that none of its figures is used.

    A table earns trust from its own evidence: figures standing in its figure columns, and its
    totals adding up. A table that fails most of its own totals was misread, not misprinted: it
    is reported once, at the first cell that shows it, and budgetlint stays silent on it (no
    footing, cross-footing or tie-out with its figures).

    Why: one honest "could not read" is worth more than forty accusations from a misread table.

    Fails:
        ## 部门支出总体情况表
        单位：万元
        项目	合计	基本支出	项目支出
        合计	10.00	6.00	4.00
        一、一般公共服务支出	3.00	1.00	1.00
        二、公共安全支出	3.00	1.00	1.00
        三、教育支出	3.00	1.00	1.00
    Passes:
        ## 部门支出总体情况表
        单位：万元
        项目	合计	基本支出	项目支出
        合计	10.00	6.00	4.00
        一、一般公共服务支出	3.00	2.00	1.00
        二、公共安全支出	3.00	2.00	1.00
        三、教育支出	4.00	2.00	2.00
    """
    for table in doc.tables:
        if not table.trusted:
            reading = table.reading
            places = reading.places or [table.title_span or Span(table.line, 1, table.line, 1)]
            yield Hit(places[0], {"table": table.name, "reason": Words(reading.reason_zh, reading.reason_en)},
                      related=tuple(Related(span, "同一原因", "same cause") for span in places[1:50]))
