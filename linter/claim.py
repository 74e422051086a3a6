"""Claim: what one sentence says of one subject."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from .document import Located, Sentence, Span
from .interval import Interval
from .numbers import Number
from .once import once
from .subjects import label


# The whole a part is listed under says whether the part counts this year's money only (本年收入
# 中，一般公共预算 …) or the money with its carry-over (财务总收入 …，其中：一般公共预算 …).
_THIS_YEAR = {"agg:本年收入合计", "agg:本年支出合计"}
_TOTAL_NAME = re.compile(r"总收入|总支出|(?:收入|支出|收支)(?:预算)?总计")


class Figure(NamedTuple):
    """Another figure a sentence gives for its subject: the previous year's it compares with
    (比2025年年初预算数 Y 万元, （2016 年度…为 Y 万元）, 执行数为 A), or the budget an outturn is
    measured against (年初预算 A，支出决算 B)."""

    number: Number
    unit: str
    stage: str  # 预算, 年初预算, 调整预算, 执行数, 决算
    at: Span


@dataclass(eq=False)
class Claim:
    """One subject with what the text says of it: amount, change against the previous year,
    growth rate, share of a total, count, reason, purpose, and its parts (其中：A x、B y)."""

    subject: str
    sentence: Sentence
    start: int
    end: int
    concept: str | None = None
    scope: str = "all"
    amount: Number | None = None
    amount_at: Span | None = None
    unit: str | None = None
    stage: str | None = None  # of the amount, when the sentence says it (年初预算, 决算 …)
    compared: Figure | None = None  # the previous year's figure the change is measured from
    budgeted: Figure | None = None  # the budget an outturn (决算, 执行数) is measured against
    completion: Number | None = None  # 完成年初预算的 98.51%
    completion_at: Span | None = None
    count: Number | None = None
    count_unit: str | None = None
    change: Number | None = None  # signed
    change_at: Span | None = None
    change_unit: str | None = None
    change_against: str | None = None  # the stage of the previous year's figure it is measured from
    count_change: Number | None = None  # signed: 在职 11 人，减少 2 人
    rate: Number | None = None  # signed, in percent
    rate_at: Span | None = None
    points: bool = False
    share: Number | None = None
    share_at: Span | None = None
    share_base: str | None = None
    reason: str | None = None
    reason_at: Span | None = None
    purpose: str | None = None
    detail: str | None = None
    parent: "Claim | None" = None
    # this claim is the 人员经费/公用经费/基本支出/项目支出 part of its subject, or the part of it
    # inside a component it is listed under (机关运行经费 …，其中：公务接待费 …)
    split: str | None = None
    split_of: str | None = None  # the concept of the line it is a split of (its own concept is None)
    involves: bool = False  # its amount is what it involves (…项目，涉及预算资金 75 万元), not a whole
    itemized: bool = False  # its items follow, each with its own figures and reasons (具体如下：)
    explains: "Claim | None" = None  # listed as a reason of that claim's change (一是…增加 X 万元)
    parts: list["Claim"] = field(default_factory=list)
    parts_in_sentence: bool = False
    enumeration: tuple | None = None  # the list it is a part of (a list may go on over a line break)

    @property
    def label(self) -> str:
        """A short name for messages: '事业运行（2010350）' rather than the whole path."""
        return label(self.subject, self.concept)

    @property
    def says_something(self) -> bool:
        return bool(self.parts) or any(value is not None for value in (
            self.amount, self.count, self.change, self.rate, self.share, self.count_change))

    def extend(self, end: int) -> None:
        self.end = max(self.end, end)

    @property
    def content(self) -> Located:
        return self.sentence.content

    @property
    def span(self) -> Span:
        return self.content.span(self.start, self.end)

    def span_of(self, at: Span | None) -> Span:
        return at or self.span

    @property
    def line(self) -> int:
        return self.span.line

    # The amounts in 万元 are read by many rules: computed once (claims are not changed after
    # extract_claims has made them).
    @once
    def amount_value(self) -> Interval | None:
        return None if self.amount is None else self.amount.in_wan(self.unit)

    @once
    def change_value(self) -> Interval | None:
        return None if self.change is None else self.change.in_wan(self.change_unit or self.unit)

    @property
    def rate_value(self) -> Interval | None:
        return None if self.rate is None or self.points else self.rate.interval

    @property
    def basis(self) -> str | None:
        """本年 for a part of this year's income or spending (without the carry-over), 总计 for a
        part of a total that says it is one (总收入, 收入总计); None for any other figure."""
        if self.parent is None:
            return None
        if self.parent.concept in _THIS_YEAR:
            return "本年"
        return "总计" if _TOTAL_NAME.search(self.parent.subject) else None

    @property
    def identity(self) -> dict[str, str]:
        """What its figures are (DESIGN §3): fund scope, stage, and the year of each figure."""
        identity = {"scope": self.scope, "stage": self.stage or "未注明", "period": "current"}
        if self.split:
            identity["split"] = self.split
        if self.basis:
            identity["basis"] = self.basis
        if self.change_against:  # 比2025年执行数增加: against the previous year's outturn
            identity["change"] = f"against previous {self.change_against}"
        if self.compared:
            identity["compared"] = f"previous {self.compared.stage}"
        if self.budgeted:
            identity["budgeted"] = f"current {self.budgeted.stage}"
        return identity

    def field(self, key: str):
        value = {"subject": self.subject, "concept": self.concept, "identity": self.identity,
                 "amount": self.amount, "unit": self.unit if self.amount else None,
                 "compared": self.compared and f"{self.compared.number}{self.compared.unit}",
                 "budgeted": self.budgeted and f"{self.budgeted.number}{self.budgeted.unit}",
                 "completion": self.completion,
                 "count": f"{self.count}{self.count_unit}" if self.count is not None else None,
                 "change": self.change, "rate": None if self.points else self.rate,
                 "share": self.share, "reason": self.reason, "purpose": self.purpose}[key]
        return str(value) if isinstance(value, Number) else value
