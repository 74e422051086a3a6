"""The claim builder: the phrases of one sentence, in order, become claims.

One method per phrase of grammar/claims.lark, named as the production. A phrase speaks of a new
subject when it names one (its TEXT), else of the subject being described.
"""
from __future__ import annotations

import re
from decimal import Decimal

from .claim import Claim, Figure
from .concepts import normal
from .document import Sentence, Span
from .interval import Interval
from .numbering import NUMERAL_OR_DIGIT, NUMERALS
from .numbers import NUMBER_PATTERN, Number, parse_number
from .phrases import Phrase
from .scanner import Token
from .subjects import covers

_SPLIT_NUMBER = re.compile(rf"^({NUMBER_PATTERN})\s*(.*)$")
# Text that names no subject: the phrase goes on about the current one ("增加 50 万元（增长 6.67%）":
# a bracket alone names none either).
_FILLER = re.compile(r"^[（(]?(?:\d{4}年度?)?(?:的)?(?:支出)?(?:预算数|预算|年初预算数?|全年预算数?|调整预算数?|预算安排|金额|预算金额)?"
                     r"(?:为|是)?$")
# What the subject being described is worth or involves: 涉及一般公共预算支出 1639.34 万元
_ATTRIBUTE = re.compile(r"^(?:价值|涉及\S{0,12}?(?:金额|资金|支出)|金额|资金)(?:为)?$")
_ALLOCATION = re.compile(r"资金分配")
# Two subjects said together: 收、支预算总计各增加…, 收入、支出总计 2,867.94 万元
_EACH = re.compile(r"\s*[各均](?:为|是)?$")
_INCOME, _SPENDING = re.compile(r"收入?(?:预算)?(?:总计|合计|总额)?$"), re.compile(r"^支出?")
_YEAR = re.compile(r"^\d{4}年度?")
# just before a subject's name (looked for in the 16 characters before it: the sentence may be long)
_COMPARING = re.compile(r"(?:相?比|较|与)(?:上年|上一年|去年|\s{0,2}\d{4}\s{0,2}年)度?\s{0,2}$")
# A lead that names a split of the lines listed after it: （2）公用经费：①行政运行（2013201）124.00 万元
_SPLIT_WORDS = r"(人员经费|公用经费|基本支出|项目支出|专项业务经费|专项经费)"
_SPLIT = re.compile(rf"^(?:其中)?(?:[（(]?{NUMERAL_OR_DIGIT}{{1,2}}[）)、.．]|[①-⑩])?\s*{_SPLIT_WORDS}$")
_SPLIT_HEAD = re.compile(rf"^(?:[（(]{NUMERAL_OR_DIGIT}{{1,2}}[）)])?\s*{_SPLIT_WORDS}\s*(?=[①-⑩])")  # （3）专项业务经费 ①…
_SPLIT_ITEM = re.compile(rf"^[①-⑩]\s*{_SPLIT_WORDS}(?=[^（(]+[（(]\d{{3,7}}[）)]$)")  # ①人员经费 机关工资福利支出（501）
_LISTED_REASON = re.compile(rf"^{NUMERALS}是(.+)$")  # 二是新增项目，项目支出增加…
# "主要是 2014099 其他信访事务支出，2026 年预算数为 A 万元": the line named in the clause before
_NAMED_BEFORE = re.compile(r"(?:\d{3}|\d{5}|\d{7})\s+[\u4e00-\u9fff][^，,；;：:]*$")
_TOTAL = re.compile(r"^(?:合计|共计|小计|总计)(?:为|是)?$")  # ××（款）：…，合计 N 万元
_STAGE_TAIL = re.compile(r"(?:年初预算|全年预算|调整预算|预算安排)数?(?:为|是)?$")  # …支出年初预算 139,217.01 万元
_FIGURE = re.compile(rf"({NUMBER_PATTERN})\s*(万元|亿元|元)")
# "基本支出 394.08 万元，上年预算为 340.29 万元，增加 53.79 万元": the previous year's figure of
# the subject being described, stated as a clause of its own
_PREVIOUS = re.compile(r"^(?:上年|上一年)度?(?:同期)?(?:年初)?(?:预算|决算|执行)?数?(?:为|是)?$")
# "基本支出 800 万元（人员经费 600 万元、公用经费 200 万元）": a bracket after a figure that
# names parts of it, as （其中：…） does; "（不含…）" names what is left out, no part
_BRACKET_PART = re.compile(r"^[（(](?!不含|未含|除)\s*(?=\S)")
# The stage a word names (STAGE, CMP and PRIOR tokens); the first word found wins.
_STAGE_WORDS = (("年初", "年初预算"), ("调整", "调整预算"), ("全年预算", "调整预算"), ("决算", "决算"),
                ("执行", "执行数"), ("预算", "预算"))
# An outturn measured against the budget of its year (年初预算 A，支出决算 B), and a budget
# after the previous year's outturn (执行数为 A，预算安排 B): the first figure is the other one.
_OUTTURNS, _BUDGETS = {"决算", "执行数"}, {"预算", "年初预算", "调整预算"}
_OUTTURN_BUDGETS = {"年初预算", "调整预算"}  # only an outturn's budget is named so


def _stage(word: str, default: str = "预算") -> str:
    return next((stage for key, stage in _STAGE_WORDS if key in word), default)


def _same(name: str, subject: str) -> bool:
    return _YEAR.sub("", name) == _YEAR.sub("", normal(subject))


def _quantity(token: Token) -> tuple[Number, str]:
    match = _SPLIT_NUMBER.match(token.value)
    return parse_number(match.group(1)), match.group(2).strip()


def _signed(number: Number, direction: Token | None) -> Number:
    if direction is not None and direction.type == "DOWN" and number.value > 0:
        return Number(-number.value, number.places)
    return number
_OPENING = re.compile(r"\s*[（(]\s*")
_CLOSING = re.compile(r"\s*[）)]\s*")
_CLOSES = re.compile(r"[）)]\s*(?:[，,；;、。]|$)")


_HUNDRED = Interval.exact(100)
# What a change says: moved together when it is found to be another claim's
_CHANGE_FIELDS = ("change", "change_at", "change_unit", "change_against", "rate", "rate_at", "points",
                  "reason", "reason_at", "purpose")


def _whole_change(claim: Claim) -> bool:
    """"收入 1,100 万元，其中上年结转 100 万元，比上年增加 100 万元，增长 10%": a change read as the
    last listed part's, whose rate fits the whole (which says no change of its own) and not the
    part, is the whole's."""
    whole = claim.parent
    if whole is None or not claim.parts_in_sentence or whole.sentence is not claim.sentence \
            or claim.change is None or claim.rate is None or claim.points or claim.amount is None \
            or whole.amount is None or any(getattr(whole, name) is not None for name in ("change", "rate", "reason")):
        return False
    return _fits(whole, claim) and not _fits(claim, claim)


def _fits(line: Claim, claim: Claim) -> bool:
    """Whether the claim's change and rate agree for a line of that amount (computed here: a
    claim's cached values are read only once it is built)."""
    change = claim.change.in_wan(claim.change_unit or claim.unit)
    previous = line.amount.in_wan(line.unit) - change
    ratio = change * _HUNDRED / previous if previous.lo > 0 else None
    return ratio is not None and abs(ratio).meets(abs(claim.rate.interval))


def _move_change(part: Claim, whole: Claim) -> None:
    """The change, rate and reason read as the part's become the whole's."""
    for name in _CHANGE_FIELDS:
        setattr(whole, name, getattr(part, name))
        setattr(part, name, False if name == "points" else None)
    whole.extend(part.end)


class Context:
    """What carries from sentence to sentence inside one top-level section."""

    def __init__(self, key: tuple = ()) -> None:
        self.key = key
        self.parent: Claim | None = None
        self.project: str | None = None
        self.project_claim: Claim | None = None
        self.project_heading: str | None = None
        # （2）公用经费：①行政运行 124.00 万元…: the lines listed, up to the next item of the list,
        # are that split of each line
        self.split: str | None = None


class Builder:
    """Turns the phrases of one sentence into claims."""

    def __init__(self, sentence: Sentence, text: str, context: Context, scope: str, previous: Claim | None):
        self.sentence, self.text_of, self.context, self.scope = sentence, text, context, scope
        self.claims: list[Claim] = []
        # "基本支出预算数为9312.9万元。与上年相比增加…。主要原因是…。": a sentence without a
        # subject goes on about the last claim of the sentence before it, in the same paragraph.
        self.current: Claim | None = previous
        self.group: Claim | None = None  # parent named by 其中 in this sentence
        self.enumeration: tuple | None = None  # which list the parts of the group belong to
        self.outer: list[tuple] = []  # (group, enumeration) around a bracketed （其中：…）
        self.lead_text: Token | None = None  # 预算安排规模：12.00 万元
        self.trailing_of_which = False
        self.before: Phrase | None = None  # the phrase before the one being built
        self.awaiting_reason: Claim | None = None  # 主要原因：(the reasons follow, enumerated)
        self.open_reason: Claim | None = None  # 原因是 2021⏎年人员工资增加: its reason runs off the end

    def build(self, phrases: list[Phrase]) -> list[Claim]:
        for phrase in phrases:
            self.trailing_of_which = phrase.kind == "of_which"
            getattr(self, phrase.kind)(phrase)
            self.before = phrase
        for claim in self.claims:
            if _whole_change(claim):
                _move_change(claim, claim.parent)
        return self.claims

    # helpers

    def at(self, start: int, end: int) -> Span:
        return self.sentence.content.span(start, end)

    def grow(self, claim: Claim, end: int) -> None:
        if claim.sentence is self.sentence:
            claim.extend(end)

    def new(self, subject: str, start: int) -> Claim:
        if head := _SPLIT_HEAD.match(normal(subject)) or _SPLIT_ITEM.match(normal(subject)):
            self.context.split = head.group(1)
        claim = Claim(subject, self.sentence, start, start, scope=self.scope, split=self.context.split)
        parent = self.group or self.context.parent
        if parent is not None and parent is not claim:
            claim.parent = parent
            parent.parts.append(claim)
            claim.parts_in_sentence = self.group is not None
            claim.enumeration = self.enumeration
        self.claims.append(claim)
        self.current = claim
        if self.before is not None and self.before.kind == "text" and (
                listed := _LISTED_REASON.match(self.before.text.value)):
            claim.reason = listed.group(1)
            claim.reason_at = self.at(self.before.text.start + listed.start(1), self.before.text.end)
        return claim

    def subject_claim(self, text: Token | None, first: Token) -> Claim:
        """The claim a phrase speaks of: a new subject, or the one being described."""
        name = normal(text.value) if text is not None else None
        if name is not None and _ATTRIBUTE.match(name) and self.current:
            self.current.involves = self.current.involves or covers(name)
            return self.current
        if name is not None and self.before is not None and self.before.kind == "text" and (
                _EACH.search(name) or _INCOME.search(self.before.text.value) and _SPENDING.match(name)):
            start = self.before.text.start
            subject = _EACH.sub("", self.text_of[start:text.end])
            if self.current is not None and _YEAR.sub("", normal(self.current.subject)).endswith(
                    _YEAR.sub("", normal(subject))):
                return self.current  # 收入总计、支出总计均为 X 万元，…收入总计、支出总计均增加 Y 万元
            return self.new(subject, start)
        if name is not None and _TOTAL.match(name) and self.lead_text is not None:
            name = None
        if name is not None and self.group is not None and _same(name, self.group.subject):
            self.group, self.current = None, self.group  # 其中 A x，B 较上年增加…: B is the whole again
            return self.current
        if name is not None and self.group is not None and _same(name.replace("支出", "收入"), self.group.subject):
            self.group = None  # 预算收入 X，其中：…；预算支出 Y: the other side of the whole is no part of it
        if name is not None and not _FILLER.match(name):
            return self.new(text.value, text.start)
        if self.lead_text is not None:
            lead, self.lead_text = self.lead_text, None
            return self.new(lead.value, lead.start)
        if self.current is None and self.before is not None and self.before.kind == "text" and (
                named := _NAMED_BEFORE.search(self.before.text.value)):
            return self.new(named.group(), self.before.text.start + named.start())
        if self.current is not None:
            return self.current
        return self.new(text.value if text else "", (text or first).start)

    def changing(self, phrase: Phrase) -> Claim:
        """The claim a change, rate or flat phrase speaks of."""
        tokens = phrase.tokens
        first = phrase.text or tokens.get("CMP") or tokens.get("DIRECTION") or tokens.get("FLAT")
        claim = self.subject_claim(phrase.text, first)
        if "CMP" in tokens and claim.change_against is None:
            claim.change_against = _stage(tokens["CMP"].value)
        return claim

    # one method per phrase of the grammar

    def stated(self, phrase: Phrase) -> None:
        text, quantity = phrase.text, phrase.tokens.get("MONEY") or phrase.tokens["COUNT"]
        number, unit = _quantity(quantity)
        if number is None:  # more digits than parse_number reads: the phrase says nothing
            return
        money = quantity.type == "MONEY"
        stage = _stage(phrase.tokens["STAGE"].value) if "STAGE" in phrase.tokens else None
        if stage is None and text is not None and "预算" in text.value:  # the budget's stage, in its words
            name = normal(text.value)
            said = name if _FILLER.match(name) else (tail.group() if (tail := _STAGE_TAIL.search(name)) else "")
            stage = _stage(said, None)
        if money and text is None and stage is None and self.previous_year(quantity, number, unit):
            return
        if money and text is not None and (_PREVIOUS.match(normal(text.value)) or self.earlier_year(text)
                                           or self.compared_again(text)) \
                and self.previous_stated(quantity, number, unit, _stage(text.value)):
            return
        if text is not None and (part := _BRACKET_PART.match(text.value)) and self.bracket_opens(text, money):
            text = Token("TEXT", text.value[part.end():], text.start + part.end(), text.end)
        claim = self.subject_claim(text, quantity)
        if money and stage in _OUTTURN_BUDGETS and claim.amount is not None and claim.stage in _OUTTURNS \
                and claim.budgeted is None:  # 支出决算为 A，全年预算为 B: B is the budget of the outturn A
            claim.budgeted = Figure(number, unit, stage, self.at(quantity.start, quantity.end))
            self.grow(claim, quantity.end)
            return
        restaged = money and stage and claim.amount is not None and self.restage(claim, stage)
        if not restaged and (claim.amount is not None and money or (claim.count is not None and not money)):
            claim = self.new(text.value if text else claim.subject, (text or quantity).start)
        if money:
            claim.amount, claim.unit, claim.amount_at = number, unit, self.at(quantity.start, quantity.end)
            claim.stage = stage
        else:
            claim.count, claim.count_unit = number, unit
        self.grow(claim, quantity.end)

    def previous_year(self, quantity: Token, number: Number, unit: str) -> bool:
        """"人员经费 138.06 万元，124.13 万元，较上年增加 13.93 万元": a bare second figure right
        after the subject's own is the previous year's, when the subject has no change yet."""
        claim = self.current
        if (self.before is None or self.before.kind != "stated" or claim is None or claim.amount is None
                or claim.unit != unit or claim.change is not None or claim.compared is not None):
            return False
        claim.compared = Figure(number, unit, claim.stage or "预算", self.at(quantity.start, quantity.end))
        claim.change_against = claim.compared.stage
        self.grow(claim, quantity.end)
        return True

    def previous_stated(self, quantity: Token, number: Number, unit: str, stage: str) -> bool:
        """"基本支出 A 万元，上年预算为 B 万元，增加 C 万元": B is the previous year's figure of the
        subject being described, when it has one of its own and no other yet."""
        claim = self.current
        if claim is None or claim.amount is None or claim.compared is not None or claim.change is not None:
            return False
        claim.compared = Figure(number, unit, stage, self.at(quantity.start, quantity.end))
        claim.change_against = stage
        self.grow(claim, quantity.end)
        return True

    def earlier_year(self, text: Token) -> bool:
        """"2024年 A 1,000 万元，2023年 A 900 万元": the subject being described, named again with
        an earlier year."""
        name, claim = normal(text.value), self.current
        if claim is None or not (year := _YEAR.match(name)) or not (own := _YEAR.match(normal(claim.subject))):
            return False
        return int(year.group()[:4]) < int(own.group()[:4]) and _same(name, claim.subject)

    def compared_again(self, text: Token) -> bool:
        """"A 1,150 万元，比2023年 A 1,100 万元增加 50 万元" (or 比上年的 1,100 万元): the subject being
        described, named again or not at all right after the comparison, is its previous year's figure."""
        claim = self.current
        if claim is None or not _COMPARING.search(self.text_of, max(0, text.start - 16), text.start):
            return False
        name, own = _YEAR.sub("", normal(text.value)), _YEAR.sub("", normal(claim.subject))
        return _FILLER.match(name) is not None or bool(name and own) and (name in own or own in name)

    def bracket_opens(self, text: Token, money: bool) -> bool:
        """A bracket right after the figure of the subject being described opens its parts: the
        lines named inside it belong to that subject until the bracket closes (see of_which), in
        the same sentence (one that ends inside the bracket leaves its close unseen)."""
        if self.before is None or self.before.kind != "stated" or self.current is None \
                or (self.current.amount if money else self.current.count) is None \
                or not _CLOSES.search(self.text_of, text.end):
            return False
        figure = self.before.tokens.get("MONEY") or self.before.tokens["COUNT"]
        self.outer.append((self.group, self.enumeration))
        self.group, self.enumeration = self.current, (id(self.sentence), figure.end)
        return True

    @staticmethod
    def restage(claim: Claim, stage: str) -> bool:
        """A second figure of another stage for the same subject: the first one becomes the
        budget of an outturn, or the previous year's outturn of a budget."""
        old = Figure(claim.amount, claim.unit, claim.stage or "预算", claim.amount_at)
        if stage in _OUTTURNS and old.stage in _BUDGETS:
            claim.budgeted = old
        elif stage == "预算" and old.stage in _OUTTURNS and claim.compared is None:
            claim.compared = old
        else:
            return False
        return True

    def figure(self, token: Token, stage: str) -> Figure | None:
        """The money figure inside a token (比2025年预算数 Y 万元, （2016 年度…为 Y 万元）)."""
        match = _FIGURE.search(token.value)
        number = parse_number(match.group(1))
        if number is None:
            return None
        start = token.start + match.start()
        return Figure(number, match.group(2), stage, self.at(start, token.start + match.end()))

    def compared(self, phrase: Phrase) -> None:
        quantity = phrase.tokens.get("MONEY")
        if self.current is None or quantity is None:
            return
        self.current.compared = self.figure(quantity, _stage(phrase.tokens["CMP"].value))
        self.current.change_against = self.current.compared.stage if self.current.compared else None
        self.grow(self.current, quantity.end)

    def prior(self, phrase: Phrase) -> None:
        token = phrase.tokens["PRIOR"]
        if self.current is not None:
            self.current.compared = self.figure(token, _stage(token.value))
            self.grow(self.current, token.end)

    def completion(self, phrase: Phrase) -> None:
        figure, said = phrase.tokens["PERCENT"], phrase.tokens["COMPLETION"]
        if self.current is not None:
            if _FIGURE.search(said.value):  # 完成预算 0 万元的 0%
                self.current.budgeted = self.figure(said, _stage(said.value))
            self.current.completion = parse_number(figure.value.rstrip("% "))
            self.current.completion_at = self.at(phrase.tokens["COMPLETION"].start, figure.end)
            self.grow(self.current, figure.end)

    def change(self, phrase: Phrase) -> None:
        quantity = phrase.tokens.get("MONEY") or phrase.tokens["COUNT"]
        number, unit = _quantity(quantity)
        if number is None:
            return
        claim, direction = self.changing(phrase), phrase.tokens["DIRECTION"]
        if quantity.type == "MONEY":
            claim.change, claim.change_unit = _signed(number, direction), unit
            claim.change_at = self.at(direction.start, quantity.end)
        else:
            claim.count_change = _signed(number, direction)
        self.grow(claim, quantity.end)

    def rate(self, phrase: Phrase) -> None:
        figure = phrase.tokens.get("PERCENT") or phrase.tokens["POINTS"]
        number = parse_number(figure.value.rstrip("%％个百分点 "))
        if number is None:
            return
        claim, direction = self.changing(phrase), phrase.tokens["DIRECTION"]
        claim.rate = _signed(number, direction)
        claim.points = "POINTS" in phrase.tokens
        claim.rate_at = self.at(direction.start, figure.end)
        self.grow(claim, figure.end)

    def flat(self, phrase: Phrase) -> None:
        claim, flat = self.changing(phrase), phrase.tokens["FLAT"]
        if claim.change is not None:  # 减少 1.26 万元，下降 0.9%，与上年基本持平: a comment on it
            return
        first = phrase.text or phrase.tokens.get("CMP") or flat
        claim.change, claim.change_at = Number(Decimal(0), 2), self.at(first.start, flat.end)
        self.grow(claim, flat.end)

    def movement(self, phrase: Phrase) -> None:
        """A direction with no figure (预算随之减少, 增长--（基数为0，不可比）) states nothing to check."""
        self.lead_text = None

    def share(self, phrase: Phrase) -> None:
        if not self.current:
            return
        figure, text = phrase.tokens["PERCENT"], phrase.text
        self.current.share = parse_number(figure.value.rstrip("%％ "))
        self.current.share_at = self.at(phrase.tokens["SHARE"].start, figure.end)
        self.current.share_base = text.value if text else None
        self.grow(self.current, figure.end)

    def _said(self, phrase: Phrase) -> Token | None:
        """The rest of the clause after 主要原因是/主要用于/主要包括, if there is a claim for it."""
        rest = phrase.tokens.get("REST")
        if not self.current or rest is None:
            return None
        self.grow(self.current, rest.end)
        return rest

    def reason(self, phrase: Phrase) -> None:
        if rest := self._said(phrase):
            self.current.reason, self.current.reason_at = rest.value, self.at(rest.start, rest.end)
            self.open_reason = self.current if rest.end == len(self.text_of) else None
        elif self.current is not None and "REST" not in phrase.tokens:
            self.awaiting_reason = self.current

    def bracketed_rate(self, phrase: Phrase) -> None:
        """Not read: templates print the growth rate there, or the change over this year's amount
        (会议费 32 万元，较上年减少 14.2 万元（44.38%）), so it is no evidence of either."""

    def listing(self, phrase: Phrase) -> None:
        """A figure followed by a colon lists its parts, as 其中： does."""
        if self.before is not None and self.before.kind == "stated":
            self.group, self.current = self.current, None
            self.enumeration = (id(self.sentence), self.before.text.end if self.before.text else 0)

    def itemized(self, phrase: Phrase) -> None:
        if self.current is not None:
            self.current.itemized = True

    def new_item(self, phrase: Phrase) -> None:
        token = phrase.tokens["NEW_ITEM"]
        if self.current is not None and self.current.reason is None:
            self.current.reason, self.current.reason_at = token.value, self.at(token.start, token.end)
            self.grow(self.current, token.end)

    def purpose(self, phrase: Phrase) -> None:
        if rest := self._said(phrase):
            self.current.purpose = rest.value

    def detail(self, phrase: Phrase) -> None:
        if rest := self._said(phrase):
            self.current.detail = rest.value

    def of_which(self, phrase: Phrase) -> None:
        text = phrase.text
        if text is not None and _OPENING.fullmatch(text.value) and self.current is not None:
            # A 400 万元（其中：A1 150 万元，A2 250 万元），B 30 万元: the bracket breaks A down, and
            # B is the outer whole's part again after it
            self.outer.append((self.group, self.enumeration))
            self.group, self.enumeration = self.current, (id(self.sentence), text.start)
        elif text is not None:
            self.group = self.new(text.value, text.start)
            self.enumeration = (id(self.sentence), text.start)
            self.grow(self.group, text.end)
        elif self.group is not None and self.current is not None and self.current.parent is self.group:
            self.group = None  # 总额 X：A、B、C；其中 Y：… — 其中 after a list is about its whole, not C
        else:
            self.group = self.current
            self.enumeration = (id(self.sentence), phrase.tokens["OF_WHICH"].start)
        self.current = None

    def lead(self, phrase: Phrase) -> None:
        if split := _SPLIT.match(normal(phrase.text.value)):
            self.context.split = split.group(1)
            return
        self.lead_text = phrase.text
        if _ALLOCATION.search(phrase.text.value) and self.context.project_claim:
            self.group = self.context.project_claim
            self.enumeration = (id(self.sentence), phrase.text.start)

    def text(self, phrase: Phrase) -> None:
        self.lead_text = None
        if self.outer and _CLOSING.fullmatch(phrase.text.value):
            self.group, self.enumeration = self.outer.pop()
            self.current = None
