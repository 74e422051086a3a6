"""Claims: the numeric statements of narrative sentences, read with the Lark grammar.

sentence ─scanner→ tokens ─phrases (Lark LALR)→ phrases ─claim_builder→ claims ─subjects→ concepts ─→ facts

This module walks a document's sentences: it decides which sentences are numeric, what carries
from one sentence to the next (the section, its project, the paragraph's total), and turns the
claims into facts. Enumerations (其中：A x、B y) make the listed claims parts of the claim before
them; a sentence that ends in 其中： makes every following claim of its section a part of it.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .claim import Claim
from .claim_builder import Builder, Context
from .document import Document, Sentence, section_path
from .concepts import normal, relations
from .facts import Fact
from .identity import scope_in
from .numbering import NUMERAL, NUMERAL_OR_DIGIT, NUMERALS
from .numbers import normalize
from .performance import table_debris
from .phrases import parse
from .scanner import terminals, tokenize
from .subjects import covers, make_resolver

__all__ = ["Claim", "claim_facts", "coverage", "extract_claims", "parse", "tokenize"]

# A sentence that goes on about the claim before it: its reason ("财政拨款收入支出增减的主要原因是…",
# "主要是因…", "这主要是由于…", "增长原因主要是…", "主要受…影响"), its use, or its parts.
_REASON_START = re.compile(r"^\s*(?:(?:[^，。；,;:：\d]{0,24}?(?:增减|变动|变化|增加|减少|增长|下降)的?)?(?:这|此|其)?(?:主要)?"
                           r"(?:原因|是由于|由于|是因|因为|用于|(?<=主要)是?受)|(?:其中|包括)\s*[:：]?\s*$)")
# A sentence that starts with the comparison goes on about the claim before it, even after a
# line break (…主要用于…的支出。 / 比上年执行数增加 23.99 万元，增长 3.9%…)
_GOES_ON = re.compile(r"^\s*(?:比|较|与)(?:上年|上一年|\s*\d{4}\s*年)")
_CLAUSE_END = re.compile(r"[。；;]")
# The split of a line is not the line: 商品和服务支出（302）…，其中：公用经费 621.37 万元
_SPLITS = {"agg:人员经费": "人员经费", "agg:公用经费": "公用经费", "agg:基本支出": "基本支出", "agg:项目支出": "项目支出"}
# An item of a list (（1）…, 二、…) ends the split the item before it was about
_LIST_ITEM = re.compile(rf"^\s*(?:[（(]{NUMERAL_OR_DIGIT}{{1,2}}[）)]|{NUMERAL}{{1,2}}、)")
# The reasons announced by "主要原因：" at the end of a sentence, one per line: 一是…；二是…
_ENUMERATED = re.compile(rf"^\s*(?:{NUMERALS}是|[（(]{NUMERAL_OR_DIGIT}+[）)]|\d{{1,2}}\s*[.、．]|[①-⑩])\s*")
_FIGURE_START = re.compile(r"[-+\d]")
# A sum of money the scanner could not read as one ("3,623.98为万元"), or a change whose unit is
# lost ("较上年减少13.01 ，", the % not in the text layer): the sentence is not read
_UNREAD_MONEY = re.compile(r"\d\s*[^\d\s，。；,;]?\s*[万亿]元")
_BARE_NUMBER = re.compile(r"\d[\d.,]*\s*$")
# "14.卫生健康支出（类）公立医院（款）综合医院（项）。年初预算 A 万元，支出决算 B 万元": a line named
# alone in a sentence of its own is the subject of the stage-only figures right after it
_LINE_TITLE = re.compile(r"^[^\d，,；;]*（(?:类|款|项)）\s*[。．.:：]?\s*$")
_STAGE_ONLY = re.compile(r"^(?:\d{4}年度?)?(?:年初预算|全年预算|调整预算|预算)数?(?:为|是)?$")
# "基本支出、项目支出分别为 800 万元、300 万元": figures matched to subjects by their order, which
# the grammar does not read (it took the second for the first's previous year): not read at all
# ("下设 2 个处室，分别是：A 和 B" pairs no figures)
_RESPECTIVELY = re.compile(r"分别[^。；;]{0,40}?\d[^。；;]{0,40}?[、和及与][^。；;]{0,40}?\d")
_PROJECT = re.compile(r"项目名称\s*[:：]\s*(.+?)\s*$")
# A percentage is a budget figure when the sentence speaks of money; 满意度 98%, 得分率 89.50%,
# 完成 100%, 缴存比例不低于 5% are performance statements, not claims budgetlint could check
_MONEY_TALK = re.compile(r"预算|决算|支出|收入|经费|资金|拨款|结转|结余|资产|费|元|占")


@lru_cache(maxsize=1)
def _figures() -> tuple[re.Pattern, re.Pattern]:
    """A sentence is numeric when it states money or a percentage; it says something when it
    states any quantity (a count alone, 实有人数 24 人). Both from the grammar's terminals."""
    known = terminals()
    return known.any_of("MONEY", "PERCENT"), known.any_of("MONEY", "COUNT")


def _scope(text: str, default: str = "all") -> str:
    """The funds a heading or a subject speaks of (政府性基金拨款支出预算 is the fund budget's)."""
    return scope_in(normal(text)) or default


def _own_scope(claim: Claim) -> str:
    """A subject that names its funds (其中一般公共预算拨款政府采购 11307.34 万元) is of those funds,
    and so are the parts listed under it; else the section's."""
    inherited = claim.parent.scope if claim.parent is not None else claim.scope
    return _scope(claim.subject, inherited)


def extract_claims(document: Document, config=None) -> list[Claim]:
    """Claims of every sentence; numeric sentences the grammar rejects go to document.unparsed."""
    extra = config.option("concepts") if config else None
    resolve = make_resolver(document, extra or None)
    money, quantity = _figures()
    context = Context()
    claims: list[Claim] = []
    last: tuple[int, Claim] | None = None  # (block number, last claim) of the last sentence with claims
    awaiting: tuple[int, Claim] | None = None  # (block number, claim) whose reasons are listed next
    listing: tuple[int, Claim] | None = None  # (block number, whole) of a list cut by a line break at a ；
    cut: tuple[int, Claim, tuple] | None = None  # (block number, claim, section) whose reason a break cut
    document.numeric_sentences, document.unparsed = 0, []
    section, top, heading = None, (), None
    titled: tuple[int, str] | None = None  # (block number, name) of the last line named alone
    for sentence in document.sentences:
        block = sentence.block.index
        if sentence.section is not section:  # sentences under the same headings share them
            section = sentence.section
            top = section_path(section)
            match = _PROJECT.search(section[-1][1]) if section else None
            heading = match.group(1) if match else None
        if top != context.key:
            context = Context(top)
        if heading and heading != context.project_heading:
            context.project_heading = heading
            context.project, context.project_claim = heading, None
        printed = sentence.text
        if match := _PROJECT.search(printed):
            context.project, context.project_claim = match.group(1).rstrip("。"), None
        text = normalize(printed)
        if cut and block - cut[0] == 1 and sentence.section is cut[2]:
            _continue_reason(cut[1], text)
        cut = None
        explains = None
        if awaiting and block - awaiting[0] <= 1 and (item := _ENUMERATED.match(text)):
            _add_reason(awaiting[1], sentence, text, item.end())
            awaiting, explains = (block, awaiting[1]), awaiting[1]
        elif awaiting and block - awaiting[0] == 1 and awaiting[1].reason is None and not _LIST_ITEM.match(text):
            # "…原因是：" at the end of a line: the reason is the next line's first clause
            end = _CLAUSE_END.search(text)
            _add_reason(awaiting[1], sentence, text[:end.start()] if end else text, 0)
            awaiting = None
        else:
            awaiting = None
        # every figure starts at a sign or digit: most sentences have none, or late
        figure = _FIGURE_START.search(text)
        found = figure and money.search(text, figure.start())
        numeric = bool(found and (not found.group().endswith("%") or _MONEY_TALK.search(text)))
        # "…增长15.3%。" + "主要原因是…": a reason goes on about the claim just before it, even
        # in the next paragraph (PDFs break the line after the 。)
        continues = bool(last and block - last[0] <= 1 and (_REASON_START.match(text) or _GOES_ON.match(text)))
        if not numeric and not continues and not (figure and quantity.search(text, figure.start())):
            titled = (block, _ENUMERATED.sub("", text).strip()) if _LINE_TITLE.match(
                _ENUMERATED.sub("", text)) else titled
            continue
        if table_debris(printed, sentence.content.span().line, document.tables):
            continue
        document.numeric_sentences += numeric
        if _LIST_ITEM.match(text):
            context.split = None
        tokens = tokenize(text)
        phrases = None if _unread_figure(tokens) or _RESPECTIVELY.search(text) else parse(tokens)
        if phrases is None and continues and not numeric and (end := _CLAUSE_END.search(text)):
            phrases = parse(tokenize(text[:end.start()]))  # 主要原因：一是…；(a later clause unread)
        if phrases is None:
            if numeric:
                document.unparsed.append(sentence)
            continue
        previous = last[1] if last and (last[0] == block or continues) else None
        if previous is not None and previous.parts_in_sentence and previous.parent.change is None:
            # "其中：基本支出 A、项目支出 B。比上年减少 X": the change after a list is the whole's
            previous = previous.parent
        builder = Builder(sentence, text, context, _scope(sentence.where), previous)
        if listing and block - listing[0] == 1:  # 其中：A x；B y；⏎ C z。: C is listed too
            _, builder.group, builder.enumeration = listing
        built = builder.build(phrases)
        listing = (block, builder.group, builder.enumeration) \
            if builder.group is not None and text.rstrip().endswith(("；", ";")) else None
        if built:
            last = (block, built[-1])
        if builder.open_reason is not None:
            cut = (block, builder.open_reason, sentence.section)
        if builder.awaiting_reason is not None and builder.awaiting_reason.reason is None:
            awaiting = (block, builder.awaiting_reason)
        for claim in built:
            claim.explains = claim.explains or explains
            if titled and block - titled[0] <= 1 and _STAGE_ONLY.match(claim.subject):  # same or next paragraph
                claim.subject = f"{titled[1].rstrip('。．.:：')}{claim.subject}"
            claim.concept = resolve(claim.subject, context.project)
            if claim.parent is not None and relations().peers(claim.concept, claim.parent.concept):
                _detach(claim)  # "基本支出 X，其中人员经费 Y；项目支出 Z": 项目支出 is 基本支出's sibling
            if claim.parent is not None and (claim.parent.involves or covers(claim.parent.subject)):
                claim.concept = None  # "该项目年初预算 1018 万元，其中当年财政拨款 898 万元": the project's
            claim.scope = _own_scope(claim)
            parent = claim.parent.concept if claim.parent else None
            if claim.concept in _SPLITS and parent and parent.startswith(("fn:", "econ:")):
                claim.split = _SPLITS[claim.concept]
            elif claim.parts_in_sentence and _inside(parent, claim.concept):
                claim.split = parent.removeprefix("agg:")
            if claim.split:  # the 公用经费 of 302, not 302 nor the 公用经费 total: compared with neither
                claim.split_of = parent if claim.concept in _SPLITS else claim.concept
                claim.concept = None
            if claim.concept and claim.concept.startswith("project:") and context.project_claim is None:
                context.project_claim = claim
        if builder.trailing_of_which and builder.group is not None:
            context.parent = builder.group
        claims.extend(claim for claim in built if claim.says_something)
    return claims


def _detach(claim: Claim) -> None:
    """A claim read as a part of its sibling becomes a part of what that sibling is a part of."""
    sibling = claim.parent
    sibling.parts.remove(claim)
    claim.parent, claim.parts_in_sentence, claim.enumeration = \
        sibling.parent, sibling.parts_in_sentence, sibling.enumeration
    if claim.parent is not None:
        claim.parent.parts.append(claim)


def _unread_figure(tokens) -> bool:
    """Whether the free text of a sentence holds a figure the grammar should have read."""
    after_direction = False
    for kind, value, *_ in tokens:
        if kind == "TEXT" and (_UNREAD_MONEY.search(value) or after_direction and _BARE_NUMBER.match(value)):
            return True
        after_direction = kind in ("UP", "DOWN")
    return False


def _inside(component: str | None, concept: str | None) -> bool:
    """A figure listed under a component that does not contain its concept is the component's
    share of it: 机关运行经费 82 万元，其中：公务接待费 2 万元 is not the "三公" 公务接待费. (Only
    a list in the component's own sentence says so: a whole carried over a section may head
    figures that are not inside it.)"""
    if not (component or "").startswith("agg:") or not (concept or "").startswith("agg:"):
        return False
    known = relations()
    return component not in known.wholes and not known.related(component, concept)


def _add_reason(claim: Claim, sentence: Sentence, text: str, start: int) -> None:
    """One of the reasons listed after "主要原因：" (一是…；二是…), added to the claim's reason."""
    item = text[start:].strip().rstrip("。；;")
    if not item:
        return
    if claim.reason is None:
        claim.reason, claim.reason_at = item, sentence.content.span(start, len(text))
    else:
        claim.reason = f"{claim.reason}；{item}"


def _continue_reason(claim: Claim, text: str) -> None:
    """A reason cut by a page or line break (原因是 2021⏎年人员工资增加；…) goes on in the next
    line's first clause, when that clause states no figure and starts no item of a list."""
    end = _CLAUSE_END.search(text)
    if end and not _LIST_ITEM.match(text) and not _FIGURE_START.search(text, 0, end.start()):
        claim.reason = claim.reason.rstrip("，, ") + text[:end.start()].strip()


def coverage(document: Document) -> tuple[int, int, list[Sentence]]:
    """(numeric sentences parsed, numeric sentences, those the grammar did not accept)."""
    total = document.numeric_sentences
    return total - len(document.unparsed), total, document.unparsed


def claim_facts(claims: list[Claim]) -> list[Fact]:
    """Facts stated by sentences, and the previous year each amount and change imply."""
    facts = []
    for claim in claims:
        if not claim.concept:
            continue
        where = claim.sentence.where

        def fact(measure, value, at, printed, period="current", origin="text"):
            facts.append(Fact(claim.concept, measure, period, value, claim.span_of(at), claim.subject,
                              origin=origin, scope=claim.scope, where=where, printed=printed))

        # Only the document's own figures are facts: an outturn, or a budget measured against one,
        # is of another stage than the tables (facts carry no stage yet).
        own = claim.stage in (None, "预算") and claim.budgeted is None
        if claim.amount_value is not None and own:
            fact("amount", claim.amount_value, claim.amount_at, f"{claim.amount}{claim.unit}")
        if claim.change_value is not None:
            fact("change", claim.change_value, claim.change_at, f"{claim.change}{claim.change_unit or claim.unit}")
            if claim.amount_value is not None and own:
                fact("amount", claim.amount_value - claim.change_value, claim.change_at,
                     "", period="previous", origin="derived")
        if claim.rate_value is not None:
            fact("rate", claim.rate_value, claim.rate_at, f"{claim.rate}%")
        if claim.share is not None:
            fact("share", claim.share.interval, claim.share_at, f"{claim.share}%")
        if claim.count is not None:
            fact("count", claim.count.interval, None, f"{claim.count}{claim.count_unit}")
    return facts
