"""Claims: the numeric statements of narrative sentences, parsed with the Lark grammar.

sentence ─tokenize→ tokens ─Lark (LALR)→ phrases ─build→ claims ─resolve→ concepts ─→ facts

A claim is one subject with what the text says of it: amount, change against the previous
year, growth rate, share of a total, count, reason, purpose. Enumerations (其中：A x、B y)
make the listed claims parts of the claim before them; a sentence that ends in 其中： makes
every following claim of its section a part of it (the paragraph's total).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache, partial
from typing import NamedTuple
from operator import itemgetter

from .concepts import lexicon, normal, resolve_name
from .document import Document, Located, Sentence, Span, section_path
from .facts import Fact
from .interval import Interval
from .tables import code_system
from .numbering import LIST_MARK as _LIST_MARK
from .numbers import NUMBER_PATTERN, Number, normalize, parse_number
from .once import once
from .package_data import package_text

MONEY_UNITS = ("万元", "亿元", "元")
COUNT_UNITS = ("人次", "人", "辆", "台（套）", "台(套)", "台", "套", "个", "次", "家", "项", "件", "天",
               "平方米", "名", "户", "处", "份")
_UNIT = "|".join(re.escape(u) for u in MONEY_UNITS + COUNT_UNITS)
# A figure never starts inside another number: "2024 年" is text, not "024 年", and a run of
# ten thousand digits is tried once, not once per digit (which would be quadratic). The
# lookahead first: most positions of a sentence are not figures, and it rejects them fastest.
_NUM = rf"(?=[-+\d])(?<![\d.])(?<!\d,){NUMBER_PATTERN}"

# Token types in order of preference (first alternative wins), each with the characters it can
# start with. Keywords before figures; every repetition is bounded or anchored on a literal, so
# no input can make these patterns backtrack badly. A number is followed by a digit, a comma or a
# point wherever it could end short of its last digit, never by a suffix below: so reading it
# once and then trying the suffixes in order gives what three separate patterns gave.
_FIGURE_STARTS = "0123456789+-"
_TOKEN_TYPES = (
    ("PURPOSE", "主", r"主要是用于|主要用于|主要是用来"),
    ("DETAIL", "主具", r"主要包括|主要包含|具体包括"),
    ("REASON", "其主原",
     r"(?:其)?(?:主要)?原因(?:主要)?(?:是|为|系|在于)?(?=\s*[:：])|(?:其)?(?:主要)?原因(?:主要)?(?:是|为|系|在于)"
     r"|(?:其)?主要原因|主要是由于|主要由于|主要是因为|主要因为|主要系|主要是(?!用)"),
    ("FLAT", "与较比持",
     r"(?:(?:与|较|比)(?:上年|上一年|\d{4}\s*年)度?(?:年初)?(?:预算|决算|同期)?数?(?:相比)?(?:基本)?)?持平"),
    ("CMP", "比较与同", r"(?:比|较|与)(?:上年|上一年|\d{4}\s*年)度?(?:年初)?(?:预算|决算|同期)?数?(?:相比)?|同比"),
    # "增加（减少）0万元": a template's either-way wording, as printed when nothing changed
    ("UP", "增上提", r"(?:增加|增长)[（(](?:减少|下降|降低)[）)]|增长率为?|增幅为?|增加了?|增长了?|上升了?|提高了?"),
    ("DOWN", "下降减压缩", r"下降率为?|降幅为?|减少了?|下降了?|降低了?|压减了?|缩减了?"),
    ("SHARE", "占", r"占比为?|占(?=[^，。；,;]{0,24}?\d[\d.,]{0,20}\s*[%％])"),
    ("OF_WHICH", "其包", r"其中|包括(?=\s*[:：])"),
    # POINTS, PERCENT or QUANTITY: the figure read once, then what follows it names the type
    (None, _FIGURE_STARTS, rf"{_NUM}\s*(?:(?P<POINTS>个百分点)|(?P<PERCENT>%)|(?P<QUANTITY>{_UNIT}))"),
    ("_COLON", ":：", r"[:：]"),
    ("_SEP", "，,；;、。！？!?", r"[，,；;、。！？!?]"),
)


def _alternation(types) -> re.Pattern:
    """One pattern of the types, each a named group (a type without a name names its own)."""
    return re.compile("|".join(f"(?P<{name}>{pattern})" if name else pattern for name, _, pattern in types))


# The whole alternation, and for each character a token can start with, the alternation of just
# the types that can start there (in the same order, so the same one wins): trying a dozen
# alternatives at every candidate position was most of the tokenizer's time.
_TOKEN = _alternation(_TOKEN_TYPES)
_TOKEN_AT = {char: _alternation([t for t in _TOKEN_TYPES if char in t[1]])
             for char in {char for _, starts, _ in _TOKEN_TYPES for char in starts}}
_STARTS = re.compile("[" + re.escape("".join(sorted(_TOKEN_AT))) + "]")
_REST_END = re.compile(r"[。；;]")
_LEADS_REST = {"REASON", "PURPOSE", "DETAIL"}  # the rest of the clause is the reason itself
_COLON = re.compile(r"\s*[:：]\s*")
_REASON_START = re.compile(r"^\s*(?:(?:其)?(?:主要)?(?:原因|是由于|由于|用于)|(?:其中|包括)\s*[:：]?\s*$)")
_FIGURE_START = re.compile(r"[-+\d]")
_MONEY = re.compile(rf"{_NUM}\s*(?:万元|亿元|元|[%％])")
_ANY_QUANTITY = re.compile(rf"{_NUM}\s*(?:{_UNIT})")
_SPLIT_NUMBER = re.compile(rf"^({_NUM})\s*(.*)$")
_FILLER = re.compile(r"^(?:\d{4}年度?)?(?:的)?(?:预算数|预算|年初预算|金额|预算金额)?(?:为|是)?$")
_ATTRIBUTE = re.compile(r"^(?:价值|涉及金额|涉及预算金额|涉及资金|金额|资金)(?:为)?$")
_PROJECT = re.compile(r"项目名称\s*[:：]\s*(.+?)\s*$")
_ALLOCATION = re.compile(r"资金分配")
_LABEL_FILLER = re.compile(r"\s*(?:预算数|预算金额|金额|数)?\s*(?:为|是)$")
_PATH_LEVEL = re.compile(r"（(类|款|项)）")
_PATH_QUOTED = re.compile(r"“([^”]+)”\s*科目")
_PROJECT_BUDGET = re.compile(r"预算安排规模|项目预算|年度预算总额")  # a project's own total


class Token(NamedTuple):
    type: str
    value: str
    start: int
    end: int


_type = itemgetter(0)  # a token's type


# A Token from a 4-tuple, without the Python-level __new__ of a NamedTuple (tokenize makes many).
new_token = partial(tuple.__new__, Token)


def _add_text(tokens: list[Token], text: str, start: int, end: int) -> None:
    """Free text between two tokens, without its surrounding white space (if any is left)."""
    value = text[start:end]
    stripped = value.strip()
    if stripped:
        offset = start + len(value) - len(value.lstrip())
        tokens.append(new_token(("TEXT", stripped, offset, offset + len(stripped))))


def tokenize(text: str) -> list[Token]:
    """Cut a sentence into keyword, figure, separator and free-text tokens."""
    text = normalize(text)
    tokens: list[Token] = []
    position, length, search = 0, len(text), _STARTS.search
    while position < length:
        match, candidate = None, search(text, position)
        while candidate:
            at = candidate.start()
            if match := _TOKEN_AT[candidate.group()].match(text, at):
                break
            candidate = search(text, at + 1)
        if not match:
            break
        if match.start() > position:
            _add_text(tokens, text, position, match.start())
        kind, position = match.lastgroup, match.end()
        tokens.append(new_token((kind, match.group(), match.start(), position)))
        if kind in _LEADS_REST:
            colon = _COLON.match(text, position)
            if colon:
                tokens.append(new_token(("_COLON", colon.group(), position, colon.end())))
                position = colon.end()
            end = _REST_END.search(text, position)
            stop = end.start() if end else length
            rest = text[position:stop].strip()
            if rest:
                tokens.append(new_token(("REST", rest, position, stop)))
            position = stop
    if position < length:
        _add_text(tokens, text, position, length)
    return tokens


@lru_cache(maxsize=1)
def parser():
    """The LALR parser of grammar/claims.lark, built once per process."""
    from lark import Lark
    from lark import Token as LarkToken
    from lark.lexer import Lexer

    class ScannerLexer(Lexer):
        def __init__(self, lexer_conf):
            pass

        def lex(self, tokens):
            for token in tokens:
                yield LarkToken(token.type, token, start_pos=token.start, end_pos=token.end)

    grammar = package_text("claims.lark", "budgetlint.grammar")
    return Lark(grammar, parser="lalr", lexer=ScannerLexer)


@dataclass
class Phrase:
    kind: str
    tokens: dict[str, Token]

    @property
    def text(self) -> Token | None:
        return self.tokens.get("TEXT")


def parse(tokens: list[Token]) -> list[Phrase] | None:
    """The phrases of a tokenized sentence, or None when the grammar does not accept it."""
    shape = _shape(tuple(map(_type, tokens)))
    if shape is None:
        return None
    return [Phrase(kind, {name: tokens[index] for name, index in fields}) for kind, fields in shape]


@lru_cache(maxsize=4096)
def _shape(types: tuple[str, ...]):
    """How the grammar groups a sequence of token types into phrases: (kind, ((name, index) …)).

    The grouping depends on the token types alone, so it is computed once per sequence of
    types (sentences of one template repeat them) and applied to each sentence's tokens.
    """
    from lark.exceptions import LarkError

    stand_ins = [Token(kind, "", index, index) for index, kind in enumerate(types)]
    try:
        tree = parser().parse(stand_ins)
    except LarkError:
        return None
    shape = []
    for node in tree.children:
        if not hasattr(node, "data"):  # a bare comparison (与上年相比，…): context only
            continue
        fields = []
        for child in node.children:
            token = child.children[0].value if hasattr(child, "data") else child.value
            fields.append(("DIRECTION" if hasattr(child, "data") else child.type, token.start))
        shape.append((str(node.data), tuple(fields)))  # a plain str: lark's Token compares slowly
    return tuple(shape)


@dataclass(eq=False)
class Claim:
    """What one sentence says of one subject."""

    subject: str
    sentence: Sentence
    start: int
    end: int
    concept: str | None = None
    scope: str = "all"
    amount: Number | None = None
    amount_at: Span | None = None
    unit: str | None = None
    count: Number | None = None
    count_unit: str | None = None
    change: Number | None = None  # signed
    change_at: Span | None = None
    change_unit: str | None = None
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
    parts: list["Claim"] = field(default_factory=list)
    parts_in_sentence: bool = False

    @property
    def label(self) -> str:
        """A short name for messages: '事业运行（2010350）' rather than the whole path."""
        names = _path_names(self.subject)
        if names and self.concept and self.concept.startswith("fn:"):
            return f"{names[-1]}（{self.concept[3:]}）"
        return _LABEL_FILLER.sub("", _LIST_MARK.sub("", self.subject)) or self.subject

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

    def field(self, key: str):
        value = {"subject": self.subject, "concept": self.concept,
                 "amount": self.amount, "unit": self.unit if self.amount else None,
                 "count": f"{self.count}{self.count_unit}" if self.count is not None else None,
                 "change": self.change, "rate": None if self.points else self.rate,
                 "share": self.share, "reason": self.reason, "purpose": self.purpose}[key]
        return str(value) if isinstance(value, Number) else value


def _quantity(token: Token) -> tuple[Number, str]:
    match = _SPLIT_NUMBER.match(token.value)
    return parse_number(match.group(1)), match.group(2).strip()


def _signed(number: Number, direction: Token | None) -> Number:
    if direction is not None and direction.type == "DOWN" and number.value > 0:
        return Number(-number.value, number.places)
    return number


class _Context:
    """What carries from sentence to sentence inside one top-level section."""

    def __init__(self) -> None:
        self.key: tuple = ()
        self.parent: Claim | None = None
        self.project: str | None = None
        self.project_claim: Claim | None = None
        self.project_heading: str | None = None


def _scope(sentence: Sentence) -> str:
    heading = sentence.where
    if "一般公共预算" in heading:
        return "general"
    if "财政拨款" in heading:
        return "fiscal"
    return "all"


class _Builder:
    """Turns the phrases of one sentence into claims."""

    def __init__(self, sentence: Sentence, context: _Context, resolver, previous: Claim | None):
        self.sentence, self.context, self.resolve = sentence, context, resolver
        self.scope = _scope(sentence)
        self.claims: list[Claim] = []
        # "基本支出预算数为9312.9万元。与上年相比增加…。主要原因是…。": a sentence without a
        # subject goes on about the last claim of the sentence before it, in the same paragraph.
        self.current: Claim | None = previous
        self.group: Claim | None = None  # parent named by 其中 in this sentence
        self.lead: Token | None = None
        self.trailing_of_which = False

    def at(self, start: int, end: int) -> Span:
        return self.sentence.content.span(start, end)

    def grow(self, claim: Claim, end: int) -> None:
        if claim.sentence is self.sentence:
            claim.extend(end)

    def new(self, subject: str, start: int) -> Claim:
        claim = Claim(subject, self.sentence, start, start, scope=self.scope)
        parent = self.group or self.context.parent
        if parent is not None and parent is not claim:
            claim.parent = parent
            parent.parts.append(claim)
            claim.parts_in_sentence = self.group is not None
        self.claims.append(claim)
        self.current = claim
        return claim

    def subject_claim(self, text: Token | None, first: Token) -> Claim:
        """The claim a phrase speaks of: a new subject, or the one being described."""
        name = normal(text.value) if text is not None else None
        if name is not None and _ATTRIBUTE.match(name) and self.current:
            return self.current
        if name is not None and not _FILLER.match(name):
            return self.new(text.value, text.start)
        if self.lead is not None:
            lead, self.lead = self.lead, None
            return self.new(lead.value, lead.start)
        if self.current is not None:
            return self.current
        return self.new(text.value if text else "", (text or first).start)

    def add(self, phrase: Phrase) -> None:
        tokens, text = phrase.tokens, phrase.text
        self.trailing_of_which = phrase.kind == "of_which"
        if phrase.kind == "stated":
            quantity = tokens["QUANTITY"]
            number, unit = _quantity(quantity)
            if number is None:  # more digits than parse_number reads: the phrase says nothing
                return
            claim = self.subject_claim(text, quantity)
            if claim.amount is not None and unit in MONEY_UNITS or (
                    claim.count is not None and unit not in MONEY_UNITS):
                claim = self.new(text.value if text else claim.subject, (text or quantity).start)
            if unit in MONEY_UNITS:
                claim.amount, claim.unit, claim.amount_at = number, unit, self.at(quantity.start, quantity.end)
            else:
                claim.count, claim.count_unit = number, unit
            self.grow(claim, quantity.end)
        elif phrase.kind in {"change", "rate", "flat"}:
            if phrase.kind == "change":
                number, unit = _quantity(tokens["QUANTITY"])
            elif phrase.kind == "rate":
                figure = tokens.get("PERCENT") or tokens.get("POINTS")
                number = parse_number(figure.value.rstrip("%％个百分点 "))
            else:
                number = Number(Decimal(0), 2)
            if number is None:
                return
            first = text or tokens.get("CMP") or tokens.get("DIRECTION") or tokens.get("FLAT")
            claim = self.subject_claim(text, first)
            direction = tokens.get("DIRECTION")
            if phrase.kind == "flat":
                claim.change, claim.change_at = number, self.at(first.start, tokens["FLAT"].end)
                self.grow(claim, tokens["FLAT"].end)
            elif phrase.kind == "change":
                if unit in MONEY_UNITS:
                    claim.change, claim.change_unit = _signed(number, direction), unit
                    claim.change_at = self.at(direction.start, tokens["QUANTITY"].end)
                else:
                    claim.count_change = _signed(number, direction)
                self.grow(claim, tokens["QUANTITY"].end)
            else:
                claim.rate = _signed(number, direction)
                claim.points = "POINTS" in tokens
                claim.rate_at = self.at(direction.start, figure.end)
                self.grow(claim, figure.end)
        elif phrase.kind == "share" and self.current:
            figure = tokens["PERCENT"]
            self.current.share = parse_number(figure.value.rstrip("%％ "))
            self.current.share_at = self.at(tokens["SHARE"].start, figure.end)
            self.current.share_base = text.value if text else None
            self.grow(self.current, figure.end)
        elif phrase.kind in {"reason", "purpose", "detail"} and self.current and "REST" in tokens:
            rest = tokens["REST"]
            setattr(self.current, phrase.kind, rest.value)
            self.grow(self.current, rest.end)
            if phrase.kind == "reason":
                self.current.reason_at = self.at(rest.start, rest.end)
        elif phrase.kind == "of_which":
            if text is not None:
                self.group = self.new(text.value, text.start)
                self.grow(self.group, text.end)
            else:
                self.group = self.current
            self.current = None
        elif phrase.kind == "lead":
            self.lead = text
            if _ALLOCATION.search(text.value) and self.context.project_claim:
                self.group = self.context.project_claim
        elif phrase.kind == "text":
            self.lead = None


def _name_index(document: Document) -> dict[str, set[str]]:
    """Function-class names printed in the tables → their codes."""
    index: dict[str, set[str]] = {}
    for table in document.tables:
        for item in table.items():
            if item.code and code_system(item.code) == "fn":
                index.setdefault(normal(item.name), set()).add(item.code)
    return index


def _path_names(subject: str) -> list[str]:
    """'一般公共服务支出（类）…（款）行政运行（项）' or '“A-B-C”科目' → ['…', '…', '行政运行']."""
    quoted = _PATH_QUOTED.search(subject)
    if quoted:
        return [normal(part) for part in re.split(r"[-－—]", quoted.group(1)) if part.strip()]
    if _PATH_LEVEL.search(subject):
        parts = _PATH_LEVEL.split(subject)
        return [normal(parts[i]) for i in range(0, len(parts) - 1, 2) if parts[i].strip()]
    return []


def make_resolver(document: Document, extra: str | None):
    index, aliases = _name_index(document), lexicon(extra)
    parents = {}
    for table in document.tables:
        for item in table.items():
            if item.code and code_system(item.code) == "fn":
                parents[item.code] = item.parent.code if item.parent else None

    def by_path(names: list[str]) -> str | None:
        candidates = index.get(names[-1], set())
        matching = set()
        for code in candidates:
            node, ok = code, True
            for name in reversed(names[:-1]):
                node = parents.get(node)
                if node is None or node not in index.get(name, set()):
                    ok = False
                    break
            if ok:
                matching.add(code)
        return f"fn:{matching.pop()}" if len(matching) == 1 else None

    def resolve(subject: str, project: str | None) -> str | None:
        subject = _LIST_MARK.sub("", subject)
        names = _path_names(subject)
        if names:
            return by_path(names)
        key = normal(subject)
        if key in aliases:
            return aliases[key]
        if key in index and len(index[key]) == 1:
            return f"fn:{next(iter(index[key]))}"
        if project and _PROJECT_BUDGET.search(key):
            return f"project:{project}"
        return resolve_name(key, extra)

    return resolve


def extract_claims(document: Document, config=None) -> list[Claim]:
    """Claims of every sentence; numeric sentences the grammar rejects go to document.unparsed."""
    extra = config.option("concepts") if config else None
    resolve = make_resolver(document, extra or None)
    context = _Context()
    claims: list[Claim] = []
    last: tuple[int, Claim] | None = None  # (block number, last claim) of the last sentence with claims
    document.numeric_sentences, document.unparsed = 0, []
    section, top, heading = None, (), None
    for sentence in document.sentences:
        block = sentence.block.index
        if sentence.section is not section:  # sentences under the same headings share them
            section = sentence.section
            top = section_path(section)
            match = _PROJECT.search(section[-1][1]) if section else None
            heading = match.group(1) if match else None
        if top != context.key:
            context = _Context()
            context.key = top
        if heading and heading != context.project_heading:
            context.project_heading = heading
            context.project, context.project_claim = heading, None
        printed = sentence.text
        if match := _PROJECT.search(printed):
            context.project, context.project_claim = match.group(1).rstrip("。"), None
        text = normalize(printed)
        # every figure starts at a sign or digit: most sentences have none, or late
        figure = _FIGURE_START.search(text)
        numeric = bool(figure and _MONEY.search(text, figure.start()))
        # "…增长15.3%。" + "主要原因是…": a reason goes on about the claim just before it, even
        # in the next paragraph (PDFs break the line after the 。)
        continues = bool(last and block - last[0] <= 1 and _REASON_START.match(text))
        if not numeric and not continues and not (figure and _ANY_QUANTITY.search(text, figure.start())):
            continue
        document.numeric_sentences += numeric
        phrases = parse(tokenize(text))
        if phrases is None:
            if numeric:
                document.unparsed.append(sentence)
            continue
        previous = last[1] if last and (last[0] == block or continues) else None
        builder = _Builder(sentence, context, resolve, previous)
        for phrase in phrases:
            builder.add(phrase)
        if builder.claims:
            last = (block, builder.claims[-1])
        for claim in builder.claims:
            claim.concept = resolve(claim.subject, context.project)
            if claim.concept and claim.concept.startswith("project:") and context.project_claim is None:
                context.project_claim = claim
        if builder.trailing_of_which and builder.group is not None:
            context.parent = builder.group
        claims.extend(claim for claim in builder.claims if claim.says_something)
    return claims


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

        if claim.amount_value is not None:
            fact("amount", claim.amount_value, claim.amount_at, f"{claim.amount}{claim.unit}")
        if claim.change_value is not None:
            fact("change", claim.change_value, claim.change_at, f"{claim.change}{claim.change_unit or claim.unit}")
            if claim.amount_value is not None:
                fact("amount", claim.amount_value - claim.change_value, claim.change_at,
                     "", period="previous", origin="derived")
        if claim.rate_value is not None:
            fact("rate", claim.rate_value, claim.rate_at, f"{claim.rate}%")
        if claim.share is not None:
            fact("share", claim.share.interval, claim.share_at, f"{claim.share}%")
        if claim.count is not None:
            fact("count", claim.count.interval, None, f"{claim.count}{claim.count_unit}")
    return facts
