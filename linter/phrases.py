"""Phrases: the scanner's tokens grouped by the grammar (grammar/claims.lark, LALR)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

from .scanner import Token, grammar

_type = itemgetter(0)  # a token's type


@dataclass
class Phrase:
    """One production of the grammar: its name (stated, change, rate …) and its tokens by type;
    the token of a `direction` is filed as DIRECTION."""

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
    from lark import Token as LarkToken
    from lark.exceptions import LarkError

    stand_ins = [LarkToken(kind, "", start_pos=index) for index, kind in enumerate(types)]
    try:
        tree = grammar().parse(stand_ins)
    except LarkError:
        return None
    shape = []
    for node in tree.children:
        if not hasattr(node, "data"):  # a bare comparison (与上年相比，…): context only
            continue
        fields = []
        for child in node.children:
            token = child.children[0] if hasattr(child, "data") else child
            fields.append(("DIRECTION" if hasattr(child, "data") else token.type, token.start_pos))
        shape.append((str(node.data), tuple(fields)))  # a plain str: lark's Token compares slowly
    return tuple(shape)
