"""BL2xx — narrative numbers: sentences against tables, against their own figures, and
against each other."""
from __future__ import annotations

import re
from decimal import Decimal

from budgetlint.claims import Claim
from budgetlint.concepts import resolve_name
from budgetlint.facts import table_figure
from budgetlint.findings import Related
from budgetlint.interval import Interval, total
from budgetlint.config import SEVERITIES
from budgetlint.registry import Hit, Option, Words, rule
from budgetlint.subjects import covers

HUNDRED = Interval.exact(100)
# Concepts whose figures are the same wherever the document states them (staff and assets
# are stated per sub-unit, so they are left out).
COMPARABLE = ("agg:", "fn:", "econ:", "project:")
# A list of some parts only: 其中主要支出为…, 其中较大的项目有…, 其中重点项目…, "…、C 150 万元等。", "……"
_MAIN_ONLY = re.compile(r"其中主要|主要(?:支出|项目|内容)?(?:包括|有|为|是)|其中(?:较大|重点|重要|大额)"
                        r"|等(?=\s*(?:[。；;，,]|$))|…|\.{3}")
# concepts that are never a part of another figure's 其中
WHOLES = {"agg:收入总计", "agg:支出总计", "agg:本年收入合计", "agg:本年支出合计", "staff:编制", "staff:实有"}


def amount_of(doc, claim: Claim) -> tuple[Interval | None, object]:
    """A claim's amount: its own, else the same concept stated nearby, else in a table."""
    if claim.amount_value is not None:
        return claim.amount_value, claim
    if not claim.concept:
        return None, None
    stated = doc.facts.find(claim.concept, "amount", origin="text")
    nearby = [f for f in stated if f.where == claim.sentence.where]
    for fact in nearby + stated + doc.facts.find(claim.concept, "amount", origin="table"):
        return fact.value, fact
    return None, None


def change_of(doc, claim: Claim):
    if claim.change_value is not None:
        return claim.change_value, claim.span_of(claim.change_at)
    if not claim.concept:
        return None, None
    for fact in doc.facts.find(claim.concept, "change", origin="text"):
        return fact.value, fact.source
    return None, None


def _pct(interval: Interval) -> str:
    return interval.format(2, "%")


def _where(source) -> Related:
    span = source.span if isinstance(source, Claim) else source.source
    note = source.label if isinstance(source, Claim) else f"{source.where} {source.label}"
    return Related(span, note, note)


@rule("BL201", "amount-vs-table", severity="error", messages={
    "default": ("文中“{subject}”为 {actual}，表中为 {expected}（{where}）",
                "the text gives '{subject}' as {actual}; the table prints {expected} ({where})"),
})
def amount_vs_table(doc):
    """文字金额与表格不符 — a sentence states an amount that no table prints for it.

    The subject is resolved to a concept (a classification code, 基本支出, "三公"经费 …) and its
    amount compared with the table cells of the same concept, in 万元 whatever the units.

    Why: the narrative is what people read; a figure copied wrong from the tables misleads.

    Fails:
        ## 一般公共预算支出情况表
        单位：万元
        类	款	名称	合计	基本支出	项目支出
        		合计	534.68	394.08	140.60

        基本支出 349.08 万元，占 73.70%。
    Passes:
        ## 一般公共预算支出情况表
        单位：万元
        类	款	名称	合计	基本支出	项目支出
        		合计	534.68	394.08	140.60

        基本支出 394.08 万元，占 73.70%。
    """
    # one cause, one finding: the same statement made again (a paragraph printed twice) against
    # the same cell is the first one's place again
    found: dict[tuple, tuple[Claim, object, list]] = {}
    for claim in doc.claims:
        compared = table_figure(doc, claim)
        if compared is None or compared[1]:
            continue
        cell = compared[0]
        key = (claim.concept, claim.amount, claim.unit, cell.source.line, cell.source.column)
        found.setdefault(key, (claim, cell, []))[2].append(claim)
    for claim, cell, again in found.values():
        yield Hit(claim.span_of(claim.amount_at),
                  {"subject": claim.label, "actual": f"{claim.amount}{claim.unit}",
                   "expected": f"{cell.printed}", "where": f"{cell.where} {cell.label}"},
                  expected=cell.printed, actual=f"{claim.amount}{claim.unit}", concept=claim.concept,
                  related=(_where(cell),) + tuple(Related(other.span_of(other.amount_at), "同一表述", "the same statement")
                                                  for other in again[1:]))


def _share_base(doc, claim: Claim):
    """The total a share is of: the one the sentence names (占“三公”经费的 26.69%), else the
    claim's whole (the 其中 it is listed under, or the paragraph's total)."""
    if claim.share_base:
        concept = resolve_name(claim.share_base.rstrip("的比例重"))
        if concept:
            for fact in doc.facts.find(concept, origin="text") + doc.facts.find(concept, origin="table"):
                return fact.value, fact
        return None, None
    return amount_of(doc, claim.parent) if claim.parent else (None, None)


@rule("BL202", "share-mismatch", severity="error", messages={
    "default": ("“{subject}”占比写作 {actual}，按 {amount} ÷ {base} 计算应为 {expected}",
                "'{subject}': share given as {actual}, but {amount} / {base} is {expected}"),
})
def share_mismatch(doc):
    """占比与金额不符 — a share that does not follow from the amount and its total.

    The total is the one the sentence names ("占“三公”经费的 26.69%"), else the claim the
    sentence belongs to: the 其中 it is listed under, or the total the paragraph opens with
    ("支出预算 534.68 万元，其中：").

    One unit of the last printed digit is tolerated (49.55% + 39.84% + 10.61% nudged to add up
    to 100%, where 10.60% is exact).

    Why: shares are recomputed by every careful reader; a wrong one discredits the document.

    Fails:
        支出预算 534.68 万元，其中：基本支出 394.08 万元，占 37.70%。
    Passes:
        支出预算 534.68 万元，其中：基本支出 394.08 万元，占 73.70%。
    """
    for claim in doc.claims:
        if claim.share is None or covers(claim.subject):  # 共涉及资金 X，占项目支出总额的 100%
            continue
        amount, _ = amount_of(doc, claim)
        base, base_source = _share_base(doc, claim)
        if amount is None or base is None:
            continue
        computed = amount * HUNDRED / base if base is not None else None
        # one unit of the last printed digit is allowed: shares are often nudged (尾差调整)
        # so that they add up to 100%
        unit = Decimal(1).scaleb(-claim.share.places)
        if computed is None or computed.meets(Interval(claim.share.value - unit, claim.share.value + unit)):
            continue
        yield Hit(claim.span_of(claim.share_at),
                  {"subject": claim.label, "actual": f"{claim.share}%", "expected": _pct(computed),
                   "amount": amount.format(2), "base": base.format(2)},
                  expected=_pct(computed), actual=f"{claim.share}%", concept=claim.concept,
                  related=(_where(base_source),))


@rule("BL203", "growth-rate-mismatch", severity="error", messages={
    "default": ("“{subject}”增减率写作 {actual}，按增减额 {change} ÷ 上年数 {previous} 计算应为 {expected}",
                "'{subject}': rate given as {actual}, but the change {change} over the previous "
                "year's {previous} is {expected}"),
    "truncated": ("“{subject}”增减率写作 {actual}，按增减额 {change} ÷ 上年数 {previous} 计算为 {expected}：末位是截去而非四舍五入",
                  "'{subject}': rate given as {actual}; the change {change} over the previous year's "
                  "{previous} is {expected}: the last digit was cut off, not rounded"),
})
def growth_rate(doc):
    """增长率与金额不符 — the stated rate does not follow from the amount and the change.

    The previous year is back-solved (amount − change) and the rate recomputed as
    change ÷ previous, every figure read as the interval its rounding allows. A rate whose last
    digit was cut off instead of rounded (some provinces print rates so) is reported apart, as
    info.

    Why: a wrong rate is the most visible error a reader can recompute by hand.

    Fails:
        基本支出 394.08 万元，比上年预算增加 53.79 万元，增长 18.51%。
    Passes:
        基本支出 394.08 万元，比上年预算增加 53.79 万元，增长 15.81%。
    """
    for claim in doc.claims:
        if claim.rate_value is None or claim.change_value is None:
            continue
        amount, _ = amount_of(doc, claim)
        if amount is None:
            continue
        previous = amount - claim.change_value
        if previous.hi < 0:  # less than nothing last year: the amount or its unit is misprinted (BL206 and
            continue         # the reader see the slip; a rate from it would be a second finding of it)
        ratio = claim.change_value * HUNDRED / previous
        if ratio is None:
            continue  # zero base: BL207
        magnitude, stated = abs(ratio), abs(claim.rate_value)
        if magnitude.meets(stated):
            continue
        values = {"subject": claim.label, "actual": f"{abs(claim.rate.value)}%",
                  "expected": _pct(magnitude), "change": claim.change_value.format(2),
                  "previous": previous.format(2)}
        cut = truncated(magnitude, abs(claim.rate.value), claim.rate.places)
        yield Hit(claim.span_of(claim.rate_at), values, severity="info" if cut else None,
                  expected=_pct(magnitude), actual=f"{abs(claim.rate.value)}%", concept=claim.concept,
                  related=(_change_side(claim),), variant="truncated" if cut else "default")


def truncated(computed: Interval, value: Decimal, places: int) -> bool:
    """Whether `value`, printed with `places` decimals, is `computed` cut off at its last digit
    rather than rounded (16.369% printed 16.36%)."""
    return computed.meets(Interval(value, value + Decimal(1).scaleb(-places)))


def _change_side(claim: Claim) -> Related:
    """The change a rate is checked against, as the other side of a finding."""
    return Related(claim.span_of(claim.change_at), "增减额", "change")


@rule("BL204", "direction-word-mismatch", severity="error", messages={
    "default": ("“{subject}”的增减额写“{change_word}”，增减率却写“{rate_word}”",
                "'{subject}': the change says {change_word} but the rate says {rate_word}"),
})
def direction_words(doc):
    """增减方向用词矛盾 — an increase described with a falling rate, or the reverse.

    Why: "增加 5.00 万元，下降 10%" cannot both be true; one word was pasted from elsewhere.

    Fails:
        公用经费 14.78 万元，比上年预算增加 0.88 万元，下降 6.37%。
    Passes:
        公用经费 14.78 万元，比上年预算增加 0.88 万元，增长 6.37%。
    """
    for claim in doc.claims:
        if claim.change is None or claim.rate is None:
            continue
        if claim.change.value == 0 or claim.rate.value == 0:
            continue
        if (claim.change.value > 0) != (claim.rate.value > 0):
            words = {True: ("增加", "increase"), False: ("减少", "decrease")}
            yield Hit(claim.span_of(claim.rate_at),
                      {"subject": claim.label, "change_word": words[claim.change.value > 0][0],
                       "rate_word": words[claim.rate.value > 0][0]},
                      expected=words[claim.change.value > 0][0], actual=words[claim.rate.value > 0][0],
                      concept=claim.concept, related=(_change_side(claim),))


def _describe(claim: Claim) -> str:
    parts = []
    if claim.change is not None:
        parts.append(f"{'增加' if claim.change.value >= 0 else '减少'} {abs(claim.change.value)}"
                     f"{claim.change_unit or claim.unit or ''}")
    if claim.rate is not None:
        parts.append(f"{'增长' if claim.rate.value >= 0 else '下降'} {abs(claim.rate.value)}%")
    return "、".join(parts)


@rule("BL205", "cross-section-mismatch", severity="error", messages={
    "default": ("“{subject}”此处为{actual}，第 {other_line} 行为{expected}",
                "'{subject}' is stated here as {actual}, but line {other_line} says {expected}"),
})
def cross_section(doc):
    """前后文表述不一致 — the same figure stated differently in two places of the text.

    The same concept with the same current-year amount must have the same change and rate
    against the same previous figure (上年预算, 上年执行数 …) wherever it is explained (支出预算 in 三, 一般公共预算 in 五 …); amounts of the same concept
    and the same funds must agree too, unless one is listed under this year's income or spending
    (本年收入中，…) and the other under a total with the carry-over (总收入…，其中：…).

    Why: two sections that disagree leave the reader unable to know which one is right.

    Fails:
        项目支出 140.60 万元，比上年预算增加 107.60 万元，增长 326.06%。

        项目支出 140.60 万元，比上年预算增加 118.60 万元，增长 539.09%。
    Passes:
        项目支出 140.60 万元，比上年预算增加 118.60 万元，增长 539.09%。

        项目支出 140.60 万元，比上年预算增加 118.60 万元，增长 539.09%。
    """
    first_amount: dict[str, Claim] = {}
    first_change: dict[tuple, Claim] = {}
    for claim in doc.claims:
        if not claim.concept or not claim.concept.startswith(COMPARABLE):
            continue
        key = claim.concept
        if claim.amount_value is not None:
            seen = first_amount.setdefault(key, claim)
            if seen is not claim and seen.scope == claim.scope and _same_basis(seen, claim) and not \
                    doc.config.agrees(seen.amount_value, claim.amount_value):
                yield _conflict(claim, seen, f"{claim.amount}{claim.unit}", f"{seen.amount}{seen.unit}",
                                claim.amount_at, seen.amount_at)
                continue
        if claim.change is None and claim.rate is None:
            continue
        seen = first_change.setdefault((key, _BASES.get(claim.change_against)), claim)
        if seen is claim:
            continue
        if claim.amount_value is not None and seen.amount_value is not None and not \
                doc.config.agrees(claim.amount_value, seen.amount_value):
            continue
        differs = (claim.change_value is not None and seen.change_value is not None
                   and not doc.config.agrees(claim.change_value, seen.change_value)) or (
            claim.rate_value is not None and seen.rate_value is not None
            and not claim.rate_value.meets(seen.rate_value))
        if differs:
            yield _conflict(claim, seen, _describe(claim), _describe(seen),
                            claim.change_at or claim.rate_at, seen.change_at or seen.rate_at)


# What a change is measured from: "比上年预算" and "比上年执行数" are two changes, both right.
_BASES = {"调整预算": "adjusted", "执行数": "outturn", "决算": "final"}


def _same_basis(a: Claim, b: Claim) -> bool:
    """A part of this year's income (本年收入中，一般公共预算 …) and a part of a total with the
    carry-over (总收入 …，其中：一般公共预算 …) are not the same figure."""
    return a.basis is None or b.basis is None or a.basis == b.basis


def _conflict(claim: Claim, seen: Claim, actual: str, expected: str, at, seen_at) -> Hit:
    other = seen.span_of(seen_at)
    return Hit(claim.span_of(at), {"subject": claim.label, "actual": actual, "expected": expected,
                                   "other_line": other.line},
               expected=expected, actual=actual, concept=claim.concept,
               related=(Related(other, seen.label, seen.label),))


def _groups(parent: Claim) -> list[list[Claim]]:
    """Parts that together make up the parent: one enumeration, or one level of a breakdown."""
    if any(part.parts_in_sentence for part in parent.parts):
        groups: dict[int, list[Claim]] = {}
        ended: set[int] = set()
        for part in parent.parts:
            key = part.enumeration or id(part.sentence)
            # "…，其中 A、B，本部门预算收入较上年增加…" or "；实有人员 138 人": the whole again,
            # or another whole, ends the enumeration
            if part.subject == parent.subject or (part.concept in WHOLES and part.concept != parent.concept):
                ended.add(key)
            if key not in ended:
                groups.setdefault(key, []).append(part)
        return list(groups.values())
    by_kind: dict[str, list[Claim]] = {}
    for part in parent.parts:
        concept = part.concept or ""
        if concept in {"agg:基本支出", "agg:项目支出"}:
            kind = "basic-project"
        elif concept in {"agg:人员经费", "agg:公用经费"}:
            kind = "personnel-public"
        elif concept.startswith(("fn:", "econ:")):
            kind = f"{concept[:concept.index(':')]}{len(concept)}"
        else:
            continue
        by_kind.setdefault(kind, []).append(part)
    return list(by_kind.values())


@rule("BL206", "parts-sum-mismatch", severity="error", messages={
    "default": ("“{subject}”{measure}为 {actual}，但所列 {count} 项之和为 {expected}",
                "'{subject}': {measure} is {actual}, but the {count} listed parts add up to {expected}"),
})
def parts_sum(doc):
    """分项之和与总数不符 — listed parts that do not add up to their whole.

    其中 enumerations (政府采购 货物 + 工程 + 服务; 在职 + 退休 + 离休 = 实有人数; 资金分配 =
    预算安排规模) must add up. For a breakdown spread over a section (基本 + 项目; the items of
    the 具体使用情况) whose amounts add up to the total, the changes must add up to the total
    change too — which is the same as saying the back-solved previous years add up.

    Why: the previous-year figures are never printed; this is the only way to catch a wrong one.

    Fails:
        政府采购预算 4.15 万元，其中：政府采购货物预算 2.45 万元，政府采购服务预算 1.60 万元。
    Passes:
        政府采购预算 4.15 万元，其中：政府采购货物预算 2.45 万元，政府采购服务预算 1.70 万元。
    """
    seen: set[int] = set()
    for claim in doc.claims:
        parent = claim.parent
        if parent is None or id(parent) in seen:
            continue
        seen.add(id(parent))
        for group in _groups(parent):
            yield from _check_group(doc, parent, group)


def _check_group(doc, parent: Claim, group: list[Claim]):
    in_sentence = group[0].parts_in_sentence
    amounts = [part.amount_value for part in group if part.amount_value is not None]
    whole, whole_source = amount_of(doc, parent)
    complete = whole is not None and len(amounts) == len(group) and doc.config.agrees(whole, total(amounts))
    if in_sentence and whole is not None and amounts:
        computed = total(amounts)
        # one part, or the main ones only ("其中主要支出为…"), may only not exceed the whole
        partial = len(amounts) == 1 or bool(_MAIN_ONLY.search(group[0].sentence.text))
        bad = computed.lo > whole.hi if partial else not doc.config.agrees(whole, computed)
        if bad and parent.amount is not None:
            yield _sum_hit(parent, parent.span_of(parent.amount_at), group, Words("金额", "amount"),
                           f"{parent.amount}{parent.unit}", computed.format(2))
    # Counts of people and things are exact, not rounded.
    counts = [Interval.exact(part.count.value) for part in group if part.count is not None]
    if in_sentence and parent.count is not None and len(counts) == len(group) >= 2:
        computed = total(counts)
        if not computed.meets(Interval.exact(parent.count.value)):
            yield _sum_hit(parent, parent.span, group, Words("人数/数量", "count"),
                           f"{parent.count}{parent.count_unit}", computed.format(0))
    changes = [part.change_value for part in group if part.change_value is not None]
    if len(group) < 2 or len(changes) != len(group) or not (in_sentence or complete):
        return
    stated, source = change_of(doc, parent)
    computed = total(changes)
    if stated is not None and not doc.config.agrees(stated, computed):
        first = group[0]
        hit = _sum_hit(parent, first.span_of(first.change_at), group, Words("增减额合计", "total change"),
                       stated.format(2), computed.format(2))
        yield Hit(hit.span, hit.values, expected=hit.expected, actual=hit.actual, concept=hit.concept,
                  related=(Related(source, "总增减额", "total change"),) + hit.related)


def _sum_hit(parent, span, group, measure: Words, actual, expected) -> Hit:
    return Hit(span, {"subject": parent.label, "measure": measure,
                      "actual": actual, "expected": expected, "count": len(group)},
               expected=expected, actual=actual, concept=parent.concept,
               related=tuple(Related(p.span, p.label, p.label) for p in group))


@rule("BL207", "zero-base-growth", severity="info", messages={
    "default": ("“{subject}”上年数为零（{amount} − {change}），增长率 {rate} 没有意义，宜写明“上年未安排”",
                "'{subject}': the previous year is zero ({amount} − {change}), so a growth rate "
                "of {rate} is meaningless; say it was not budgeted last year"),
}, options=(Option("zero-base-growth", "info", "severity of “增长 100%” from a zero base (\"off\" silences it)",
                   type="choice", check=SEVERITIES.__contains__,
                   accepts=(" error、warning、info 或 off", "error, warning, info or off")),))
def zero_base_growth(doc):
    """从零基数计算增长率 — "增长 100%" for a line that had nothing the year before.

    Many documents write 100% by convention; it is reported as info (option
    `zero-base-growth` sets the severity, "off" silences it).

    Why: a growth rate from zero is undefined; the honest wording is "上年未安排，新增 x 万元".

    Fails:
        其他信访事务支出 5.00 万元，比上年预算增加 5.00 万元，增长 100.00%。
    Passes:
        其他信访事务支出 5.00 万元，比上年预算增加 2.00 万元，增长 66.67%。
    """
    severity = doc.config.option("zero-base-growth")
    for claim in doc.claims:
        if claim.rate is None or claim.change_value is None or claim.amount_value is None:
            continue
        previous = claim.amount_value - claim.change_value
        if claim.amount_value.is_zero or not (previous.lo <= 0 <= previous.hi):
            continue
        yield Hit(claim.span_of(claim.rate_at),
                  {"subject": claim.label, "amount": f"{claim.amount}", "change": f"{claim.change}",
                   "rate": f"{claim.rate}%"},
                  actual=f"{claim.rate}%", concept=claim.concept, severity=severity)
