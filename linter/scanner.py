"""The scanner: a sentence cut into the terminals of grammar/claims.lark, in one pass.

Chinese has no spaces, so keywords, figures and the free text between them (TEXT) are cut
here; the grammar then groups the tokens into phrases (budgetlint.phrases). The terminals are
the grammar's own: this module only decides where each one is tried.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache, partial
from re import _constants as sre, _parser as sre_parser
from typing import NamedTuple

from .numbers import normalize
from .package_data import package_text


class Token(NamedTuple):
    type: str
    value: str
    start: int
    end: int


# A Token from a 4-tuple, without the Python-level __new__ of a NamedTuple (tokenize makes many).
new_token = partial(tuple.__new__, Token)


@lru_cache(maxsize=1)
def grammar():
    """The Lark grammar of narrative sentences, built once per process (tokens come from here)."""
    from lark import Lark
    from lark.lexer import Lexer

    class Given(Lexer):  # the scanner's tokens are handed to the parser as they are
        def __init__(self, lexer_conf):
            pass

        def lex(self, tokens):
            return tokens

    text = package_text("claims.lark", "budgetlint.grammar")
    return Lark(text, parser="lalr", lexer=Given)


def _first(items) -> tuple[set[str] | None, bool]:
    """The characters a parsed pattern can start with (None: any), and whether it can be empty."""
    chars: set[str] = set()
    for op, arg in items:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):  # zero width: what follows starts the match
            continue
        if op is sre.LITERAL:
            return chars | {chr(arg)}, False
        if op is sre.IN:
            found = _first_in(arg)
            return (None if found is None else chars | found), False
        if op is sre.SUBPATTERN:
            head, empty = _first(arg[3])
        elif op is sre.BRANCH:
            heads = [_first(branch) for branch in arg[1]]
            head = None if any(h is None for h, _ in heads) else set().union(*(h for h, _ in heads))
            empty = any(e for _, e in heads)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            head, empty = _first(arg[2])
            empty = empty or arg[0] == 0
        else:
            return None, False
        if head is None:
            return None, False
        chars |= head
        if not empty:
            return chars, False
    return chars, True


def _first_in(items) -> set[str] | None:
    chars: set[str] = set()
    for op, arg in items:
        if op is sre.LITERAL:
            chars.add(chr(arg))
        elif op is sre.RANGE and arg[1] - arg[0] < 256:
            chars.update(map(chr, range(arg[0], arg[1] + 1)))
        elif op is sre.CATEGORY and arg is sre.CATEGORY_DIGIT:
            chars.update("0123456789")  # sentences are normalized: full-width digits are ASCII
        else:
            return None
    return chars


def starts(pattern: str) -> str:
    """The characters a terminal can start with; an error for one that could start anywhere."""
    chars, empty = _first(sre_parser.parse(pattern))
    if chars is None or empty:
        raise ValueError(f"a terminal must start with known characters: {pattern}")
    return "".join(sorted(chars))


class Terminals:
    """The grammar's terminals as the scanner tries them: in the grammar's order, and for each
    character a terminal can start with, the alternation of just the terminals that can start
    there (trying every alternative at every candidate position was most of the scanner's time)."""

    def __init__(self, lark) -> None:
        types = [(t.name, t.pattern.to_regexp()) for t in lark.terminals]
        types = [(name, pattern, starts(pattern)) for name, pattern in types]
        self.whole = _alternation(types)
        self.at = {char: _alternation([t for t in types if char in t[2]])
                   for char in {char for _, _, chars in types for char in chars}}
        self.candidates = re.compile("[" + re.escape("".join(sorted(self.at))) + "]")
        # REASON, PURPOSE, DETAIL: a rule that follows its first terminal with REST takes the
        # rest of the clause as one token (the reason itself)
        self.lead_rest = {rule.expansion[0].name for rule in lark.rules
                          if any(symbol.name == "REST" for symbol in rule.expansion)}
        self.pattern = {name: pattern for name, pattern, _ in types}

    def any_of(self, *names: str) -> re.Pattern:
        """A pattern matching any of the named terminals (their shared start read once)."""
        return _alternation([(name, self.pattern[name], "") for name in names])


def _alternation(types) -> re.Pattern:
    """One pattern of the types, first one first. Neighbours that start with the same pattern
    (POINTS, PERCENT, MONEY, COUNT all start with a NUMBER) share it: the number is read once,
    then its suffixes are tried in order."""
    parts, index = [], 0
    while index < len(types):
        end = index + 1
        while end < len(types) and _shared([t[1] for t in types[index:end + 1]]):
            end += 1
        run = types[index:end]
        prefix = _shared([pattern for _, pattern, _ in run]) if len(run) > 1 else ""
        if prefix:
            parts.append(prefix + "(?:" + "|".join(f"(?P<{name}>{pattern[len(prefix):]})"
                                                   for name, pattern, _ in run) + ")")
        else:
            parts.extend(f"(?P<{name}>{pattern})" for name, pattern, _ in run)
        index = end
    return re.compile("|".join(parts))


def _shared(patterns: list[str]) -> str:
    """The longest start the patterns share that is a whole pattern of its own (and leaves whole
    patterns), long enough to be worth sharing; "" when there is none."""
    for length in range(len(os.path.commonprefix(patterns)), 19, -1):
        if all(_whole(part) for part in [patterns[0][:length]] + [p[length:] for p in patterns]):
            return patterns[0][:length]
    return ""


@lru_cache(maxsize=None)
def _whole(fragment: str) -> bool:
    """A regex that can be concatenated as it is: it compiles and has no top-level alternation."""
    try:
        re.compile(fragment)
    except re.error:
        return False
    depth, index, length = 0, 0, len(fragment)
    while index < length:
        char = fragment[index]
        if char == "\\":
            index += 1
        elif char == "[":  # a class: up to its closing bracket (one right after [ or [^ is literal)
            index += 2 if fragment.startswith("[^", index) else 1
            index += fragment[index] == "]"
            while fragment[index] != "]":
                index += 1 + (fragment[index] == "\\")
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            return False
        index += 1
    return True


@lru_cache(maxsize=1)
def terminals() -> Terminals:
    return Terminals(grammar())


_REST_END = re.compile(r"[。；;]")
# "主要原因一是…，增加了该项支出；二是…，减少了该项支出。": a reason listed in items goes on over
# the 二是… items that state no figure of their own (one that does is a claim: 二是项目支出增加 X 万元)
_NEXT_ITEM = re.compile(r"[；;]\s*(?:[二三四五六七八九十]是|[（(][二三四五六七八九十][）)]|[2-9]\s*[.、．])[^。；;\d]*(?=[。；;]|$)")
_COLON = re.compile(r"\s*[:：]\s*")


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
    known = terminals()
    tokens: list[Token] = []
    position, length, search, at = 0, len(text), known.candidates.search, known.at
    while position < length:
        match, candidate = None, search(text, position)
        while candidate:
            start = candidate.start()
            if match := at[candidate.group()].match(text, start):
                break
            candidate = search(text, start + 1)
        if not match:
            break
        if match.start() > position:
            _add_text(tokens, text, position, match.start())
        kind, position = match.lastgroup, match.end()
        tokens.append(new_token((kind, match.group(), match.start(), position)))
        if kind in known.lead_rest:
            colon = _COLON.match(text, position)
            if colon:
                tokens.append(new_token(("_COLON", colon.group(), position, colon.end())))
                position = colon.end()
            end = _REST_END.search(text, position)
            stop = end.start() if end else length
            while item := _NEXT_ITEM.match(text, stop):
                stop = item.end()
            # "主要原因是，2025 年…": a comma after the keyword is not part of the reason
            start = position + len(text[position:stop]) - len(text[position:stop].lstrip(" ,，"))
            rest = text[start:stop].strip()
            if rest:
                tokens.append(new_token(("REST", rest, start, stop)))
            position = stop
    if position < length:
        _add_text(tokens, text, position, length)
    return tokens
