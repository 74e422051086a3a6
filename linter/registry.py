"""The rule registry: rules are plugins found through the `budgetlint.rules` entry points."""
from __future__ import annotations

import re
import string
import textwrap
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Callable, Iterable

from .document import Span

_CODE = re.compile(r"^BL\d{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
FAMILIES = {"0": "document", "1": "table", "2": "narrative", "3": "justification",
            "4": "compliance", "5": "performance", "6": "hygiene"}


@dataclass(frozen=True)
class Words:
    """A message value that is said differently in each language: Words("表格", "table")."""

    zh: str
    en: str


@dataclass(frozen=True)
class Hit:
    """One place where a rule's check failed, with the values its message needs.

    `values` fill the placeholders of the variant's templates, the same names in both languages
    (a Words value for what is not a name or a figure); `severity` overrides the rule's default
    for this place only (the user's configured severity overrides both).
    """

    span: Span
    values: dict = field(default_factory=dict)
    expected: str | None = None
    actual: str | None = None
    related: tuple = ()
    variant: str = "default"
    concept: str | None = None
    severity: str | None = None


@dataclass(frozen=True)
class Option:
    """A setting a rule reads from the configuration, declared once on its `@rule`: the
    configuration's checks, `explain` and the README's configuration block all come from here.

    `default` is written as in a budgetlint.toml ("" = the rule decides, as `doc` says); `check`
    says whether a value is acceptable, `accepts` says in words (zh, en) what is; a "file"
    option is a path, relative to the configuration file, and its check may raise InputError."""

    name: str
    default: str
    doc: str
    type: str = "text"  # text | number | choice | file
    check: Callable[[str], bool] | None = None
    accepts: tuple[str, str] = ("", "")


def number_between(low: str, high: str | None = None) -> Callable[[str], bool]:
    """The check of a number option: a finite number from `low` (to `high`)."""
    def accepts(value: str) -> bool:
        try:
            number = Decimal(value)
        except InvalidOperation:
            return False
        return number.is_finite() and Decimal(low) <= number and (high is None or number <= Decimal(high))
    return accepts


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    family: str
    severity: str
    check: Callable[..., Iterable[Hit]]
    messages: dict[str, tuple[str, str]]
    options: tuple[Option, ...] = ()

    @property
    def doc(self) -> str:
        # Not inspect.cleandoc: it expands tabs, and the examples' table rows need theirs.
        first, _, rest = (self.check.__doc__ or "").partition("\n")
        return (first.strip() + "\n" + textwrap.dedent(rest)).strip()

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else ""

    def examples(self) -> dict[str, list[str]]:
        """The docstring's `Fails:` and `Passes:` examples (they are run as tests)."""
        found: dict[str, list[str]] = {"Fails": [], "Passes": []}
        current = None
        for line in self.doc.splitlines():
            head, _, rest = line.partition(":")
            if head.strip() in found and not line.startswith(" "):
                current = head.strip()
                if rest.strip():
                    found[current].append(rest.strip())
            elif current and (line.startswith("    ") or not line.strip()):
                found[current].append(line[4:])
            else:
                current = None
        return {kind: lines for kind, lines in found.items()}

    def message(self, hit: Hit, lang: str) -> str:
        zh, en = self.messages.get(hit.variant, self.messages["default"])
        values = {key: getattr(value, lang) if isinstance(value, Words) else value
                  for key, value in hit.values.items()}
        return (zh if lang == "zh" else en).format(**values)


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _check_templates(code: str, messages: dict[str, tuple[str, str]]) -> None:
    """Both languages of every message variant use the same placeholders (a value missing from
    one would only fail when that message is first shown)."""
    for variant, (zh, en) in messages.items():
        if _placeholders(zh) != _placeholders(en):
            raise ValueError(f"{code} message '{variant}': the zh and en templates use different "
                             f"placeholders: {sorted(_placeholders(zh))} ≠ {sorted(_placeholders(en))}")


_RULES: dict[str, Rule] = {}


def rule(code: str, name: str, *, severity: str, messages: dict[str, tuple[str, str]],
         options: tuple[Option, ...] = ()):
    """Register a rule function: `def check(doc) -> Iterable[Hit]`, documented by its docstring,
    reading the `options` it declares (doc.config.option(name))."""
    if not _CODE.match(code) or not _NAME.match(name):
        raise ValueError(f"bad rule code or name: {code} {name}")
    if severity not in {"error", "warning", "info"}:
        raise ValueError(f"bad severity for {code}: {severity}")
    _check_templates(code, messages)

    def register(check):
        if code in _RULES and _RULES[code].check is not check:
            raise ValueError(f"rule code {code} registered twice")
        _RULES[code] = Rule(code, name, FAMILIES.get(code[2], "other"), severity, check, messages, tuple(options))
        return check

    return register


_loaded = False


def all_rules() -> list[Rule]:
    """Every registered rule, after loading each `budgetlint.rules` entry point once."""
    global _loaded
    if not _loaded:
        from importlib.metadata import entry_points

        for point in entry_points(group="budgetlint.rules"):
            point.load()
        if not _RULES:  # running from a source tree without installed metadata
            import budgetlint.rules  # noqa: F401
        _loaded = True
    return sorted(_RULES.values(), key=lambda r: r.code)


def get_rule(code: str) -> Rule | None:
    all_rules()
    code = code.upper()
    return _RULES.get(code) or next((r for r in _RULES.values() if r.name == code.lower()), None)
