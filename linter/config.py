"""Configuration: `[tool.budgetlint]` in pyproject.toml or a budgetlint.toml, found upwards."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .errors import InputError, cannot_read
from .interval import Interval
from .reader import regular_file
from .registry import Option, all_rules

# Options of the engine itself (the rules declare theirs on @rule).
ENGINE_OPTIONS = (
    Option("concepts", "", "more names for concepts, same format as rules/data/concepts.tsv", type="file"),
)


def declared_options() -> dict[str, Option]:
    """Every option, by name: the engine's and those the rules declare (a rule may share one
    declaration with another, never declare a name twice differently)."""
    options = {option.name: option for option in ENGINE_OPTIONS}
    for rule in all_rules():
        for option in rule.options:
            if options.setdefault(option.name, option) is not option:
                raise ValueError(f"option {option.name} declared twice ({rule.code})")
    return options


def names_rule(entry: str, code: str, name: str) -> bool:
    """A select/ignore entry names a rule by a prefix of its code (BL2, BL203) or by its name."""
    return code.startswith(entry.upper()) or name == entry.lower()


@dataclass
class Config:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    tolerance: Decimal = Decimal(0)  # extra absolute slack, in 万元, on every comparison
    options: dict[str, str] = field(default_factory=dict)  # the values the configuration sets
    source: str | None = None
    together: list[tuple[Path, ...]] = field(default_factory=list)  # files of one disclosure each

    def enabled(self, code: str, name: str) -> bool:
        def matches(patterns):
            return any(names_rule(p, code, name) for p in patterns)

        if self.select and not matches(self.select):
            return False
        return not matches(self.ignore)

    def unknown_rules(self, rules) -> list[str]:
        """Entries of select, ignore and severity that name no rule: a typo there would silently
        turn checks off (or leave them on)."""
        return [entry for entry in (*self.select, *self.ignore) if not any(
            names_rule(entry, rule.code, rule.name) for rule in rules)] + [
            code for code in self.severity if code not in {rule.code for rule in rules}]

    def option(self, key: str) -> str:
        """The configured value, else the declared default ("" for the rule to decide)."""
        return self.options.get(key) or declared_options()[key].default

    def agrees(self, stated: Interval, computed: Interval) -> bool:
        """Whether two intervals meet, allowing the configured tolerance."""
        return stated.lo - self.tolerance <= computed.hi and computed.lo <= stated.hi + self.tolerance


SEVERITIES = ("error", "warning", "info", "off")


def option_line(option: Option) -> str:
    """How an option is written in a configuration file, with its meaning (for `explain` and
    the README's configuration block)."""
    value = option.default if option.type == "number" and option.default else f'"{option.default}"'
    return f"{option.name} = {value}  # {option.doc}"


def _option(option: Option, value, source: str) -> str:
    """An option's value as text, checked now (a bad one would make rules fail one by one)."""
    key = option.name
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise InputError(source, f"配置项 {key} 应为文字或数字", f"setting {key} must be text or a number")
    text = str(value).strip()
    if not text:
        return text
    if option.type == "file":
        path = Path(text) if Path(text).is_absolute() else Path(source).parent / text
        if not path.is_file():
            raise InputError(source, f"配置项 {key} 所指的文件不存在：{path}", f"setting {key}: no such file {path}")
        text = str(path)
        try:
            content = path.read_text("utf-8")
        except UnicodeDecodeError:  # else each document would fail on it, blamed on the document
            raise InputError(str(path), f"配置项 {key} 所指的文件不是 UTF-8 文本", f"setting {key}: the file is not UTF-8 text") from None
        except OSError as exc:
            raise cannot_read(str(path), exc) from None
        if key == "reason-lexicon":
            try:
                tomllib.loads(content)
            except tomllib.TOMLDecodeError as exc:
                raise InputError(str(path), f"理由词表无法解析：{exc}", f"cannot parse the reason lexicon: {exc}") from None
    if option.check and not option.check(text):
        zh, en = option.accepts
        raise InputError(source, f"配置项 {key} 应为{zh}，而不是“{text}”", f"setting {key} must be {en}, not '{text}'")
    return text


def _as_list(value, key: str, source: str) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise InputError(source, f"配置项 {key} 应为字符串列表", f"setting {key} must be a list of strings")


def _groups(value, source: str) -> list[tuple[Path, ...]]:
    """`together = [["附件1.pdf", "附件2.pdf"], …]`: files (beside the configuration) that
    publish one disclosure, resolved."""
    if not isinstance(value, list) or not all(isinstance(group, list) and len(group) >= 2 and all(
            isinstance(name, str) for name in group) for group in value):
        raise InputError(source, "together 应形如 [[\"附件1.pdf\", \"附件2.pdf\"]]",
                         'together must be a list of lists of two or more files, [["a.pdf", "b.pdf"]]')
    folder = Path(source).parent
    return [tuple((folder / name).resolve() for name in group) for group in value]


def from_table(table: dict, source: str) -> Config:
    config = Config(source=source)
    for key, value in table.items():
        if key in {"select", "ignore"}:
            setattr(config, key, _as_list(value, key, source))
        elif key == "severity":
            if not isinstance(value, dict) or not all(v in SEVERITIES for v in value.values()):
                raise InputError(source, "severity 应形如 {BL101 = \"warning\"}",
                                 "severity must map codes to error|warning|info|off")
            config.severity = {k.upper(): v for k, v in value.items()}
        elif key == "tolerance":
            try:
                config.tolerance = abs(Decimal(str(value)))
            except InvalidOperation:
                raise InputError(source, "tolerance 应为数字（万元）", "tolerance must be a number (万元)") from None
        elif key == "together":
            config.together = _groups(value, source)
        elif key in declared_options():
            config.options[key] = _option(declared_options()[key], value, source)
        else:
            raise InputError(source, f"未知配置项 {key}", f"unknown setting {key}")
    return config


def load(start: Path | None = None, explicit: Path | None = None) -> Config:
    """The configuration for files under `start` (the nearest file upwards wins)."""
    candidates = [explicit] if explicit else []
    if not explicit:
        folder = (start or Path.cwd()).resolve()
        folder = folder if folder.is_dir() else folder.parent
        for directory in (folder, *folder.parents):
            candidates += [directory / "budgetlint.toml", directory / "pyproject.toml"]
    for path in candidates:
        if explicit and not path.exists():
            raise InputError(str(path), "配置文件不存在", "no such configuration file")
        if explicit:
            regular_file(path)  # a folder or a FIFO is said to be one (reading a FIFO would wait)
        elif not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(str(path), f"配置文件无法解析：{exc}", f"cannot parse configuration: {exc}") from None
        except OSError as exc:
            raise cannot_read(str(path), exc) from None
        table = data.get("tool", {}).get("budgetlint") if path.name == "pyproject.toml" else data
        if table is None:
            continue
        return from_table(table, str(path))
    return Config()
