"""BL3xx — justifications: reasons that are reused, do not fit, are contradicted, are missing."""
from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from budgetlint.claims import Claim
from budgetlint.concepts import normal, relations
from budgetlint.subjects import path_names
from budgetlint.findings import Related
from budgetlint.interval import Interval
from budgetlint.errors import InputError
from budgetlint.package_data import package_text
from budgetlint.registry import Hit, Option, Words, number_between, rule

RETIREE_NAME = re.compile(r"离退休|退休|离休")
# A subject that names a whole side of the budget without resolving (财政拨款支出, 2021 年本部门预算收入,
# 单位财政拨款收入, 财政拨款安排支出)
TOTAL_NAME = re.compile(r"^(?:\d{4}年度?)?(?:本?部门|本?单位)?(?:当年)?(?:财政拨款|一般公共预算(?:拨款)?|部门)?"
                        r"(?:预算)?(?:安排)?(?:收入|支出)(?:预算)?$")
RETIREE_CODES = {"fn:2080501", "fn:2080502", "fn:2080503"}
CATEGORY_ZH = {"in_service": "在职人员类（人员、工资、缴费基数）", "retiree": "离退休类",
               "operating": "日常公用类", "project": "项目类", "policy": "政策类"}
NATURE_ZH = {"basic": "全部为基本支出", "project": "全部为项目支出", "retiree": "是离退休人员支出",
             "public": "属于公用经费", "personnel": "属于人员经费"}
# A reason misfits when everything it talks about is in the subject's forbidden set.
FORBIDDEN = {"basic": {"project"}, "project": {"in_service", "retiree"}, "retiree": {"in_service"},
             "public": {"in_service", "retiree"}, "personnel": {"operating", "project"}}


@lru_cache(maxsize=4)
def lexicon(extra: str | None = None) -> dict:
    text = package_text("data/reasons.toml")
    data = tomllib.loads(text)
    if extra:
        more = tomllib.loads(Path(extra).read_text("utf-8"))
        for section, values in more.items():
            for key, words in values.items():
                data.setdefault(section, {}).setdefault(key, [])
                data[section][key] = data[section][key] + list(words)
    return data


def _lexicon(doc) -> dict:
    return lexicon(doc.config.option("reason-lexicon") or None)


def _parses(path: str) -> bool:
    try:
        tomllib.loads(Path(path).read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(path, f"理由词表无法解析：{exc}", f"cannot parse the reason lexicon: {exc}") from None
    return True


# the lexicon every justification rule reads (declared on each, once here)
LEXICON = Option("reason-lexicon", "", "more words for reason categories (the layout of rules/data/reasons.toml)",
                 type="file", check=_parses)


def categories(doc, reason: str) -> set[str]:
    return {name for name, words in _lexicon(doc)["categories"].items() if any(w in reason for w in words)}


def _has(doc, section: str, key: str, text: str) -> bool:
    return any(word in text for word in _lexicon(doc)[section].get(key, ()))


_RETIRED = re.compile(r"退休\s*\d|\d\s*(?:人|名)\s*退休")  # "退休 5 人", "5 人退休": staff who left


# Direction words that say nothing of this year's change: negated ("不再增加投入") or last year's
# ("上年增加的专项资金本年到期", "上年减少的项目资金本年恢复")
_NOT_NOW = re.compile(r"(?:不再|不|未|没有)(?:增加|增长|新增|提高|扩大|减少|下降|压减|节约|缩减|降低|压缩|取消)"
                      r"|上一?年度?[^，。；,;]{0,8}?(?:增加|新增|追加|增长|减少|压减|调减|缩减|压缩|取消)的")


def _claims_staff_growth(doc, reason: str) -> bool:
    """'在职人员增加', not '退休人员增加': retirees are not the serving staff the headcount counts;
    nor a reason that says who left too ("新增人员 3 人，退休 5 人")."""
    if _has(doc, "staff", "decline", reason) or _RETIRED.search(reason):
        return False
    for word in _lexicon(doc)["staff"]["growth"]:
        start = reason.find(word)
        while start >= 0:
            if not reason[max(0, start - 2):start].endswith(("退休", "离休")):
                return True
            start = reason.find(word, start + 1)
    return False


def reasoned(doc) -> list[Claim]:
    return [c for c in doc.claims if c.reason and c.change is not None and c.change.value != 0]


def _key(claim: Claim) -> str:
    """What a claim is about: its concept, the line it is a split of, or its name (支出 dropped:
    专项业务经费 and 专项业务经费支出 are one)."""
    return claim.concept or claim.split_of or claim.label.removesuffix("支出")


def _whole(claim: Claim, key: str) -> bool:
    """A total or a fund (its reason may repeat any part's), by its concept or its name."""
    return key in relations().wholes or (claim.concept is None and bool(TOTAL_NAME.match(normal(claim.label))))


def _staff_driven(doc, a: Claim, b: Claim) -> bool:
    """A change of staff or pay moves every line of in-service staff costs: two classification
    lines of basic spending (行政运行, 基本养老保险缴费, 住房公积金 …) may give it alike."""
    found = categories(doc, a.reason) | categories(doc, b.reason)
    if not found or not found <= {"in_service", "policy"}:
        return False
    return all((_key(c).startswith(("fn:", "econ:")) or path_names(c.subject)) and _key(c) not in RETIREE_CODES
               and nature(doc, c) != "project" and not RETIREE_NAME.search(c.subject) for c in (a, b))


def _ancestors(claim: Claim) -> set[int]:
    found, node = set(), claim.parent
    while node is not None and id(node) not in found:
        found.add(id(node))
        node = node.parent
    return found


def _splits(doc, claim: Claim) -> set[str]:
    """For a function line, which of 基本支出 and 项目支出 hold some of its money in the tables."""
    if not (claim.concept or "").startswith("fn:"):
        return set()
    return {f.part for f in doc.facts.find(claim.concept, origin="table")
            if f.part in {"basic", "project"} and not f.value.is_zero}


def _same_money(doc, x: str, y: str, a: Claim, b: Claim) -> bool:
    """Two views of the same money: a function line and the economic lines (部门 or 政府 economic
    classification) it is spent on, or a function line and the 基本/项目 total it is part of."""
    systems = {x.split(":")[0], y.split(":")[0]}
    if systems == {"econ", "fn"}:
        return True
    if systems == {"econ"}:  # 301 工资福利支出 and 501 机关工资福利支出: one money, two classifications
        return x[5] != y[5]
    if systems == {"econ", "agg"} and {x, y} & {"agg:基本支出", "agg:人员经费", "agg:公用经费"}:
        return True
    for whole, line in ((x, b), (y, a)):
        split = {"agg:基本支出": "basic", "agg:项目支出": "project"}.get(whole)
        if split and split in _splits(doc, line):
            return True
    return False


def _related_subjects(doc, a: Claim, b: Claim) -> bool:
    """Same subject (or the same change restated), or the same money seen twice: a total and its
    part (201 and 2010301, a claim and the parts listed under it), a function line and its
    基本/项目 split or its economic lines."""
    x, y = _key(a), _key(b)
    if x == y or _whole(a, x) or _whole(b, y):
        return True
    if id(a) in _ancestors(b) or id(b) in _ancestors(a):
        return True
    if a.change_value is not None and b.change_value is not None and a.change_value.nominal == \
            b.change_value.nominal:
        return True
    for whole, part in ((x, b), (y, a)):
        if (whole, nature(doc, part)) in {("agg:项目支出", "project"), ("agg:基本支出", "basic")}:
            return True
    if relations().related(x, y):
        return True
    if x.startswith("fn:") and y.startswith("fn:") and (x.startswith(y) or y.startswith(x)):
        return True
    return _same_money(doc, x, y, a, b) or _staff_driven(doc, a, b)


SHORT_CAUSE = 16  # characters
_PUNCTUATION = re.compile(r"[\s，。；、,.;:：“”\"'（）()]")


@rule("BL301", "reused-reason", severity="warning", messages={
    "default": ("“{subject}”的理由与第 {other_line} 行“{other}”的理由几乎相同（相似度 {score}）：{reason}",
                "'{subject}' gives nearly the same reason as '{other}' on line {other_line} "
                "(similarity {score}): {reason}"),
}, options=(LEXICON, Option("reuse-similarity", "0.8", "how alike two reasons must be to count as the same",
                               type="number", check=number_between("0", "1"),
                               accepts=(" 0 到 1 之间的数", "a number from 0 to 1"))))
def reused_reason(doc):
    """理由重复套用 — the same reason pasted under different, unrelated subjects.

    Reasons are cut into words (jieba with the budget dictionary, numbers masked) and compared;
    at or above the `reuse-similarity` threshold (0.8) they count as the same. The same subject
    restated in two sections, a total and its own part, lines that did not change, and a rule
    applied to every line ("按规定运转类专项经费统一压减10%", "为今年新增科目") are not reuse, and
    neither is the same money seen twice: a total and its own parts (what contains what:
    `rules/data/concept-relations.toml`), a function line and its
    基本/项目 split, a function line and an economic line (or an economic line in both the 部门 and
    the 政府 economic classification). A staff or pay reason given for two lines of in-service
    staff costs (行政运行 and 住房公积金: 在职人员增加) names one cause of both, not a pasted reason.

    Why: a change needs its own explanation; a pasted one explains nothing.

    Fails:
        项目支出 140.60 万元，比上年预算增加 118.60 万元，增长 539.09%，主要原因是：新增项目法律顾问团队经费。

        事业运行 123.16 万元，比上年预算增加 44.24 万元，增长 56.05%，主要原因是：新增项目法律顾问团队经费。
    Passes:
        项目支出 140.60 万元，比上年预算增加 118.60 万元，增长 539.09%，主要原因是：新增项目法律顾问团队经费。

        项目支出 140.60 万元，比上年预算增加 118.60 万元，增长 539.09%，主要原因是：新增项目法律顾问团队经费。
    """
    from budgetlint.words import similar_earlier

    threshold = float(doc.config.option("reuse-similarity"))
    uniform = _lexicon(doc)["uniform"]["words"]
    claims = [c for c in reasoned(doc) if not any(word in c.reason for word in uniform)]
    similar = similar_earlier([claim.reason for claim in claims], threshold)
    for claim, matches in zip(claims, similar):
        for place, score in matches:
            earlier = claims[place]
            # "在职人员增加", "财政核定经费增加": one short, general cause may drive several lines;
            # a reason that names a project ("新增项目法律顾问团队经费") belongs to one line
            if len(_PUNCTUATION.sub("", claim.reason)) <= SHORT_CAUSE and "项目" not in claim.reason \
                    and not any(RETIREE_NAME.search(c.subject) or nature(doc, c) == "retiree" for c in (claim, earlier)):
                continue
            if not _related_subjects(doc, claim, earlier):
                yield Hit(claim.span_of(claim.reason_at),
                          {"subject": claim.label, "other": earlier.label, "reason": claim.reason,
                           "other_line": earlier.line, "score": f"{score:.2f}"},
                          concept=claim.concept,
                          related=(Related(earlier.span_of(earlier.reason_at), earlier.label,
                                           earlier.label),))
                break


def nature(doc, claim: Claim) -> str | None:
    """What the subject is, as the tables show it: wholly basic or project spending, retirees …"""
    concept = claim.concept or ""
    if concept in RETIREE_CODES:
        return "retiree"
    if concept in {"agg:公用经费", "agg:机关运行经费"}:
        return "public"
    if concept == "agg:人员经费":
        return "personnel"
    if concept == "agg:基本支出":
        return "basic"
    if concept == "agg:项目支出":
        return "project"
    if concept.startswith("fn:"):
        cells = doc.facts.find(concept, origin="table")
        basic = [f for f in cells if f.part == "basic" and not f.value.is_zero]
        project = [f for f in cells if f.part == "project" and not f.value.is_zero]
        if bool(basic) != bool(project) and _whole_line(doc, basic or project, cells):
            return "basic" if basic else "project"
    return None


def _whole_line(doc, part: list, cells: list) -> bool:
    """Whether a line's one part is all of it: 2080199 of 4182.17 万元 whose 基本支出 table prints
    233.45 is mostly other money (专项业务经费 3948.72), not basic spending."""
    return not any(total.part == "total" and (total.scope, total.stage) == (each.scope, each.stage)
                   and total.value.lo > each.value.hi and not doc.config.agrees(total.value, each.value)
                   for total in cells for each in part)


@rule("BL302", "reason-does-not-fit", severity="warning", messages={
    "default": ("“{subject}”{nature}，理由却只涉及{categories}：{reason}",
                "'{subject}' {nature}, yet its reason only speaks of {categories}: {reason}"),
}, options=(LEXICON,))
def reason_fit(doc):
    """理由与科目性质不符 — a staffing reason for project spending, a project for basic spending.

    The subject's nature comes from the tables (a line that is wholly 基本支出 or wholly 项目支出 —
    a line whose total is more than its one part has other money too —, retiree lines
    2080501/2080502, 公用经费 and 机关运行经费, 人员经费); the reason's categories
    from the lexicon `rules/data/reasons.toml` (extend it with the `reason-lexicon` option), whose
    [fits] words make a reason fit a nature whatever else it says (a project it names, money moved
    between 基本支出 and 项目支出). 公用经费 are budgeted per head, so more staff fits them; higher
    pay does not.

    Why: a reason that cannot explain the line was written for another line.

    Fails:
        机关运行经费 14.78 万元，比上年预算增加 0.88 万元，增长 6.37%，主要原因是：在职人员增加导致人员经费增加。
    Passes:
        机关运行经费 14.78 万元，比上年预算增加 0.88 万元，增长 6.37%，主要原因是：办公费和差旅费标准调整。
    """
    for claim in reasoned(doc):
        kind = nature(doc, claim)
        reason = _without_staff_growth(doc, claim.reason) if kind == "public" else claim.reason
        found = categories(doc, reason) - {"policy"}
        if kind is None or not found or not found <= FORBIDDEN[kind] or _has(doc, "fits", kind, reason):
            continue
        yield Hit(claim.span_of(claim.reason_at),
                  {"subject": claim.label, "nature": Words(NATURE_ZH[kind], f"is {kind} spending"),
                   "categories": Words("、".join(CATEGORY_ZH[c] for c in sorted(found)), ", ".join(sorted(found))),
                   "reason": claim.reason},
                  concept=claim.concept)


def _without_staff_growth(doc, reason: str) -> str:
    """公用经费 and 机关运行经费 are budgeted per head: more staff is one of their causes (在职人员
    增加 fits them; 人员经费增加 does not)."""
    for word in sorted(_lexicon(doc)["staff"]["growth"], key=len, reverse=True):
        reason = reason.replace(word, "")
    return reason


def _staff_changes(doc) -> list[Claim]:
    return [c for c in doc.claims if c.concept == "staff:在职" and c.count_change is not None]


@rule("BL303", "reason-contradicted", severity="warning", messages={
    "default": ("“{subject}”的理由称人员增加，但人员情况显示在职人数变化为 {changes}（合计 {net}）：{reason}",
                "'{subject}': the reason says staff grew, but the headcount changes are {changes} "
                "(net {net}): {reason}"),
    "direction": ("“{subject}”{direction}，理由却是{word}：{reason}",
                  "'{subject}' {direction}, yet the reason speaks of {word}: {reason}"),
}, options=(LEXICON,))
def reason_contradicted(doc):
    """理由与文件自身矛盾 — staff growth without staff, savings given for a rise, or the reverse.

    Why: a reason the document itself disproves is worse than none.

    Fails:
        在职 11 人，减少 2 人。

        基本支出 394.08 万元，比上年预算增加 53.79 万元，增长 15.81%，主要原因是：在职人员增加。
    Passes:
        在职 13 人，增加 2 人。

        基本支出 394.08 万元，比上年预算增加 53.79 万元，增长 15.81%，主要原因是：在职人员增加。
    """
    staff = _staff_changes(doc)
    net = sum((c.count_change.value for c in staff), Decimal(0))
    changes = "、".join(f"{'+' if c.count_change.value >= 0 else ''}{c.count_change.value}" for c in staff)
    headcount = tuple(Related(c.span, c.label, c.label) for c in staff)
    for claim in reasoned(doc):
        if staff and net <= 0 and _claims_staff_growth(doc, claim.reason):
            yield Hit(claim.span_of(claim.reason_at),
                      {"subject": claim.label, "changes": changes, "net": f"{net:+}", "reason": claim.reason},
                      concept=claim.concept, related=headcount)
            continue
        rising = claim.change.value > 0
        now = _NOT_NOW.sub("", claim.reason)
        up = _has(doc, "directions", "increase", now)
        down = _has(doc, "directions", "decrease", now)
        if (rising and down and not up) or (not rising and up and not down):
            yield Hit(claim.span_of(claim.reason_at),
                      {"subject": claim.label, "reason": claim.reason,
                       "direction": Words("增加", "rose") if rising else Words("减少", "fell"),
                       "word": Words("减少、节约", "savings") if rising else Words("增加", "growth")},
                      variant="direction", concept=claim.concept)


@rule("BL304", "missing-reason", severity="warning", messages={
    "default": ("“{subject}”变动 {change}（{rate}），超过说明门槛，但没有说明原因",
                "'{subject}' changed by {change} ({rate}), above the threshold, with no reason given"),
}, options=(
    LEXICON,
    Option("missing-reason-amount", "10", "a change of at least this many 万元 …", type="number",
           check=number_between("0"), accepts=("不小于 0 的数（万元）", "a number of 万元, 0 or more")),
    Option("missing-reason-rate", "10", "… and at least this many percent needs a reason", type="number",
           check=number_between("0"), accepts=("不小于 0 的数（%）", "a percentage, 0 or more"))))
def missing_reason(doc):
    """变动较大却未说明原因 — a large change with no reason.

    A change of at least `missing-reason-amount` 万元 (10) and at least `missing-reason-rate`
    percent (10) must be explained (主要原因是…, in its sentence or the next, or listed after it:
    一是…；二是…). A reason given once for a whole enumeration (at its end) covers the
    enumeration, a total broken down into parts (…，其中： or …，具体如下：, or its parts explained
    below it in its own section) is explained by its parts, and a change listed as the reason of
    another (主要原因：一是基本支出增加 X 万元) explains, it needs no reason.

    Why: the disclosure rules require the reasons for changes, and readers look for them.

    Fails:
        项目支出 140.60 万元，比上年预算增加 118.60 万元，增长 539.09%。
    Passes:
        项目支出 140.60 万元，比上年预算增加 118.60 万元，增长 539.09%，主要原因是：新增法律顾问项目。
    """
    amount_floor = Decimal(doc.config.option("missing-reason-amount"))
    rate_floor = Decimal(doc.config.option("missing-reason-rate"))
    explained = {id(c.sentence) for c in doc.claims if c.reason or c.purpose}
    for index, claim in enumerate(doc.claims):
        if claim.change_value is None or id(claim.sentence) in explained or claim.reason or claim.parts \
                or claim.explains or claim.itemized or _explained_below(claim, doc.claims[index + 1:]):
            continue  # a total broken down into parts is explained by its parts
        change = abs(claim.change_value)
        rate = abs(claim.rate_value) if claim.rate_value is not None else None
        if rate is None and claim.amount_value is not None:
            rate = abs(claim.change_value * Interval.exact(100) / (claim.amount_value - claim.change_value)
                       or Interval.exact(100))
        if change.nominal >= amount_floor and rate is not None and rate.nominal >= rate_floor:
            yield Hit(claim.span_of(claim.change_at),
                      {"subject": claim.label, "change": f"{claim.change}{claim.change_unit or claim.unit or ''}",
                       "rate": rate.format(2, "%")}, concept=claim.concept)


def _explained_below(claim: Claim, after: list[Claim]) -> bool:
    """A total (or a component) whose parts follow in its own section, one at least with the
    reason of its change, is explained by them: 收、支总计各增加 X 万元。（一）收入… 1.一般公共预算
    财政拨款收入…增加 Y 万元，主要原因是…"""
    section = claim.sentence.section
    whole = _whole(claim, _key(claim))
    if not section or not (whole or relations().parts(claim.concept or "")):
        return False
    for other in after:
        if other.sentence.section[:len(section)] != section:
            return False  # the section ended
        part = (whole and _key(other) != _key(claim)) or relations().contains(claim.concept, other.concept)
        if part and other.reason and other.change_value is not None and not other.change_value.is_zero:
            return True
    return False


@rule("BL305", "purpose-not-reason", severity="info", messages={
    "default": ("“{subject}”的变动原因只写了用途，没有说明为何变动：{reason}",
                "'{subject}': the reason only says what the money is for, not why it changed: {reason}"),
})
def purpose_as_reason(doc):
    """原因写成用途 — "主要原因是：用于……" describes a use, not a cause.

    A reason that starts with a use but says what grew or fell ("保障新增的巡察工作经费需求",
    "为了落实上级部署，新增专项经费") gives a cause too.

    Why: the reader learns what the money buys, not why there is more or less of it.

    Fails:
        其他技术与开发支出 90.60 万元，比上年预算增加 73.60 万元，增长 432.94%，主要原因是：用于网站建设维护。
    Passes:
        其他技术与开发支出 90.60 万元，比上年预算增加 73.60 万元，增长 432.94%，主要原因是：新增网站建设维护项目。
    """
    starts = tuple(_lexicon(doc)["purpose"]["starts"])
    for claim in reasoned(doc):
        if claim.reason.startswith(starts) and not _has(doc, "directions", "increase", claim.reason) \
                and not _has(doc, "directions", "decrease", claim.reason):
            yield Hit(claim.span_of(claim.reason_at), {"subject": claim.label, "reason": claim.reason},
                      concept=claim.concept)
