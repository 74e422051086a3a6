"""The command line: the only place that talks to the terminal and chooses exit codes.

Exit codes: 0 no error or warning, 1 findings, 2 usage or input error.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import InputError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors: one line, exit 2, no traceback
        self.print_usage(sys.stderr)
        sys.stderr.write(f"budgetlint: {message}\n")
        raise SystemExit(EXIT_INPUT)


def _common(parser: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    parser.add_argument("paths", nargs="*", default=["."],
                        help="files, folders (*.md, *.txt below them) or - for standard input")
    parser.add_argument("--format", choices=formats, default="text")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="message language")
    parser.add_argument("--config", type=Path, help="budgetlint.toml or pyproject.toml to use")


def build_parser() -> argparse.ArgumentParser:
    from .reporters import FORMATS

    parser = _Parser(prog="budgetlint", description="预决算公开文件检查工具 — lint budget disclosures")
    parser.add_argument("--version", action="version", version=f"budgetlint {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check = commands.add_parser("check", help="lint documents")
    _common(check, FORMATS)
    check.add_argument("--select", help="only these rule codes or prefixes (BL1,BL203)")
    check.add_argument("--ignore", help="skip these rule codes or prefixes")
    tables = commands.add_parser("tables", help="show the tables as budgetlint reads them")
    _common(tables, ("text", "json"))
    claims = commands.add_parser("claims", help="show the claims read from the sentences")
    _common(claims, ("text", "json"))
    rules = commands.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    explain = commands.add_parser("explain", help="explain one rule")
    explain.add_argument("code", help="rule code (BL203) or name (growth-rate-mismatch)")
    return parser


def _inputs(arguments: list[str], lang: str):
    """(path, text, encoding) for each readable input, or (path, InputError) for others."""
    from .reader import collect_paths, decode, read_file

    for argument in arguments:
        path = Path(argument)
        if argument != "-" and path.is_dir():
            found = collect_paths([argument])
            if not found:
                yield argument, InputError(argument, "目录中没有 .md 或 .txt 文件",
                                           "no .md or .txt files in this folder")
            for file in found:
                try:
                    yield str(file), *read_file(file)
                except InputError as error:
                    yield str(file), error
            continue
        try:
            if argument == "-":
                yield "<stdin>", *decode(sys.stdin.buffer.read(), "<stdin>")
            else:
                yield argument, *read_file(path)
        except InputError as error:
            yield argument, error


def _config(args):
    from .config import load

    first = next((Path(p) for p in args.paths if p != "-"), None)
    config = load(first, args.config)
    for key in ("select", "ignore"):
        value = getattr(args, key, None)
        if value:
            setattr(config, key, [part.strip() for part in value.split(",") if part.strip()])
    return config


def _report_errors(results, lang: str) -> bool:
    failed = False
    for result in results:
        if result.error:
            sys.stderr.write(f"budgetlint: {result.error.message(lang)}\n")
            failed = True
    return failed


def cmd_check(args) -> int:
    from .engine import analyse, run_rules
    from .reporters import FileResult, render

    config = _config(args)
    results = []
    for path, *rest in _inputs(args.paths, args.lang):
        if isinstance(rest[0], InputError):
            results.append(FileResult(path, error=rest[0]))
            continue
        text, encoding = rest
        document = analyse(text, path, encoding, config)
        results.append(FileResult(path, run_rules(document, config), document.lines))
    render(args.format, results, args.lang, sys.stdout)
    failed = _report_errors(results, args.lang)
    if failed:
        return EXIT_INPUT
    serious = any(f.severity in {"error", "warning"} for r in results for f in r.findings)
    return EXIT_FINDINGS if serious else EXIT_CLEAN


def cmd_show(args) -> int:
    """`tables` and `claims`: what budgetlint read, before any rule."""
    from .engine import analyse
    from .reporters import FileResult
    from .reporters import show

    config = _config(args)
    documents, results = [], []
    for path, *rest in _inputs(args.paths, args.lang):
        if isinstance(rest[0], InputError):
            results.append(FileResult(path, error=rest[0]))
            continue
        documents.append(analyse(rest[0], path, rest[1], config))
    if args.command == "tables":
        show.tables(documents, args.format, sys.stdout)
    else:
        show.claims(documents, args.format, sys.stdout)
    return EXIT_INPUT if _report_errors(results, args.lang) else EXIT_CLEAN


def cmd_rules(args) -> int:
    from .reporters import show

    show.rules(args.format, sys.stdout)
    return EXIT_CLEAN


def cmd_explain(args) -> int:
    from .registry import get_rule
    from .reporters import show

    rule = get_rule(args.code)
    if rule is None:
        sys.stderr.write(f"budgetlint: 没有规则 {args.code}（用 budgetlint rules 查看全部规则）\n")
        return EXIT_INPUT
    show.explain(rule, sys.stdout)
    return EXIT_CLEAN


COMMANDS = {"check": cmd_check, "tables": cmd_show, "claims": cmd_show, "rules": cmd_rules,
            "explain": cmd_explain}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except InputError as error:
        sys.stderr.write(f"budgetlint: {error.message(getattr(args, 'lang', 'zh'))}\n")
        return EXIT_INPUT
    except BrokenPipeError:
        return EXIT_CLEAN
    except KeyboardInterrupt:
        sys.stderr.write("budgetlint: interrupted\n")
        return 130
