"""The command line: the only place that talks to the terminal and chooses exit codes.

Exit codes: 0 no error or warning (or none of the severity --fail-on names), 1 findings, 2 usage
or input error. `report` exits 0 once the report is written, unless --fail-on is given.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import InputError, internal_error
from .findings import SEVERITIES

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
    parser.add_argument("--together", action="store_true",
                        help="the files are one disclosure (e.g. narrative and tables apart): check them as one")


def build_parser() -> argparse.ArgumentParser:
    from .reporters import FORMATS

    parser = _Parser(prog="budgetlint", description="预决算公开文件检查工具 — lint budget disclosures")
    parser.add_argument("--version", action="version", version=f"budgetlint {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check = commands.add_parser("check", help="lint documents")
    _common(check, FORMATS)
    _linting(check)
    report = commands.add_parser("report", help="write the annotated HTML report")
    _common(report, ("html",))
    _linting(report)
    report.add_argument("-o", "--output", type=Path, default=Path("budgetlint-report.html"),
                        help="the report file (default budgetlint-report.html)")
    tables = commands.add_parser("tables", help="show the tables as budgetlint reads them")
    _common(tables, ("text", "json"))
    claims = commands.add_parser("claims", help="show the claims read from the sentences")
    _common(claims, ("text", "json"))
    text = commands.add_parser("text", help="print the text as budgetlint reads it, with line numbers")
    text.add_argument("paths", nargs="+", help="files (.md, .txt, .docx, .pdf) or - for standard input")
    text.add_argument("--lang", choices=("zh", "en"), default="zh")
    rules = commands.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    explain = commands.add_parser("explain", help="explain one rule")
    explain.add_argument("code", help="rule code (BL203) or name (growth-rate-mismatch)")
    return parser


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _linting(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--select", help="only these rule codes or prefixes (BL1,BL203)")
    parser.add_argument("--ignore", help="skip these rule codes or prefixes")
    parser.add_argument("--baseline", type=Path, help="report only findings this baseline does not record")
    parser.add_argument("--write-baseline", type=Path, metavar="FILE",
                        help="record the current findings as the baseline")
    parser.add_argument("--jobs", type=_jobs, default=1, help="lint files in N processes")
    parser.add_argument("--fail-on", choices=SEVERITIES,
                        help="exit 1 when a finding of this severity or a graver one is found "
                             "(check: warning; report: never, it was asked for the report)")
    parser.add_argument("--exit-zero", action="store_true",
                        help="exit 0 whatever is found (2 still says a file could not be read)")


def _sources(arguments: list[str]) -> list[tuple[str, object]]:
    """(name, path | stdin bytes | InputError) for every input, in a stable order."""
    from .reader import collect_paths

    found: list[tuple[str, object]] = []
    for argument in arguments:
        if argument == "-":
            found.append(("<stdin>", sys.stdin.buffer.read()))
        elif Path(argument).is_dir():
            files = collect_paths([argument])
            if not files:
                found.append((argument, InputError(argument, "目录中没有 .md、.txt、.docx 或 .pdf 文件",
                                                   "no .md, .txt, .docx or .pdf files in this folder")))
            found.extend((str(file), file) for file in files)
        else:
            found.append((argument, Path(argument)))
    return found


def _read(name: str, source) -> tuple[str, str, object]:
    from .reader import decode, load

    if isinstance(source, InputError):
        raise source
    try:
        if isinstance(source, bytes):
            return (*decode(source, name), None)
        return load(source)
    except InputError:
        raise
    except Exception as error:  # a bug reading this file (a .docx or .pdf of a shape not foreseen)
        raise internal_error(name, error) from None


def lint_source(name: str, source, config, keep: str = "lines"):
    """Read, analyse and lint one input (a top-level function, so worker processes can run it).

    `keep` says what the report needs besides the findings: "document", "lines" or nothing.
    """
    from .engine import cycle_collection_paused
    from .reporters import FileResult

    try:
        text, encoding, locations = _read(name, source)
    except InputError as error:
        return FileResult(name, error=error)
    with cycle_collection_paused():  # returns before the collector runs again: the document is gone
        try:
            return _analysed(name, text, encoding, locations, config, keep)
        except Exception as error:  # a bug on this file: it is reported, the others still run
            return FileResult(name, error=internal_error(name, error))


def _analysed(name: str, text: str, encoding: str, locations, config, keep: str):
    from .engine import analyse, run_rules
    from .reporters import FileResult

    document = analyse(text, name, encoding, config, locations)
    findings = run_rules(document, config)
    if keep != "document":
        document.close()
    return FileResult(name, findings, document.lines if keep else [],
                      document=document if keep == "document" else None)


PROGRESS_AFTER = 2.0  # seconds: a run that takes longer shows a progress line on a terminal


def _terminal() -> bool:
    return sys.stderr.isatty()


def _lint_all(sources, config, jobs: int, keep: str):
    """Lint every source, in parallel when asked, yielding each result in input order as soon
    as it is done; past PROGRESS_AFTER seconds a terminal gets a progress line on stderr."""
    import time

    if jobs > 1 and len(sources) > 1:
        from concurrent.futures import ProcessPoolExecutor

        # files go to the workers in chunks (less pickling back and forth); map keeps order
        chunk = max(1, min(16, len(sources) // (jobs * 4)))
        pool = ProcessPoolExecutor(max_workers=jobs)
        done = pool.map(lint_source, *zip(*sources), [config] * len(sources), [keep] * len(sources),
                        chunksize=chunk)
    else:
        pool = None
        done = (lint_source(name, source, config, keep) for name, source in sources)
    start, progress, task = time.monotonic(), None, None
    try:
        for count, result in enumerate(done, start=1):
            if progress is not None:
                progress.update(task, completed=count, description=result.path)
            elif count < len(sources) and _terminal() and time.monotonic() - start > PROGRESS_AFTER:
                from rich.console import Console
                from rich.progress import Progress

                # findings printed meanwhile go above the line (redirect_stdout)
                progress = Progress(console=Console(stderr=True), transient=True, redirect_stdout=True)
                progress.start()
                task = progress.add_task(result.path, total=len(sources), completed=count)
            yield result
    finally:
        if progress is not None:
            progress.stop()
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _together(sources, config):
    """The readable sources as one engine.Together, and a FileResult for each unreadable one."""
    from .engine import Together
    from .reporters import FileResult

    parts, failed = [], []
    for name, source in sources:
        try:
            parts.append((name, *_read(name, source)))
        except InputError as error:
            failed.append(FileResult(name, error=error))
    if not parts:
        return None, failed
    try:
        return Together(parts, config), failed
    except Exception as error:  # a bug: said in one line for the first file, never a traceback
        return None, failed + [FileResult(parts[0][0], error=internal_error(parts[0][0], error))]


def _lint_together(sources, config, keep: str):
    """Findings of files that make one disclosure, each finding in the file it points into."""
    from .engine import analyse
    from .reporters import FileResult

    together, failed = _together(sources, config)
    if together is None:
        return failed
    found = together.findings(config)
    results = {result.path: result for result in failed}
    for path, findings in found.items():
        lines = together.file_lines(path)
        document = analyse("\n".join(lines) + "\n", path, config=config) if keep == "document" else None
        results[path] = FileResult(path, findings, lines if keep else [], document=document)
    return [results[name] for name, _ in sources if name in results]


def _lint_grouped(sources, config, keep: str):
    """Each source alone, except the files a `together` group of the configuration names: those
    are linted as one when the first of them comes. Results in input order."""
    group_of = {path: number for number, group in enumerate(config.together) for path in group}

    def group(source):
        return group_of.get(source.resolve()) if isinstance(source, Path) else None

    done = {}
    for name, source in sources:
        number = group(source)
        if number is None:
            yield lint_source(name, source, config, keep)
            continue
        if name not in done:
            members = [(other, path) for other, path in sources if group(path) == number]
            done.update((result.path, result) for result in _lint_together(members, config, keep))
        yield done.pop(name)


def _config(args, checking: bool = False):
    """The configuration, with --select and --ignore over it; when checking, each rule it names
    must exist (a misspelt code would silently turn every check off)."""
    from .config import Config, load

    first = next((Path(p) for p in args.paths if p != "-"), None)
    config = load(first, args.config)
    given = Config()
    for key in ("select", "ignore"):
        value = getattr(args, key, None)
        if value:
            setattr(given, key, [part.strip() for part in value.split(",") if part.strip()])
            setattr(config, key, getattr(given, key))
    if checking:
        from .registry import all_rules

        for source, settings in (("--select/--ignore", given), (config.source, config)):
            if unknown := settings.unknown_rules(all_rules()):
                names = "、".join(unknown)
                raise InputError(source, f"没有规则 {names}（用 budgetlint rules 查看全部规则）",
                                 f"no rule {', '.join(unknown)} (budgetlint rules lists them)")
    return config


def _report_errors(results, lang: str) -> bool:
    failed = False
    for result in results:
        if result.error:
            sys.stderr.write(f"budgetlint: {result.error.message(lang)}\n")
            failed = True
    return failed


def _exit_code(results, lang: str, fail_on: str | None) -> int:
    """2 for an unreadable input, else 1 when a finding at least as grave as `fail_on` was found."""
    if _report_errors(results, lang):
        return EXIT_INPUT
    if fail_on is None:
        return EXIT_CLEAN
    failing = SEVERITIES[:SEVERITIES.index(fail_on) + 1]
    serious = any(f.severity in failing for r in results for f in r.findings)
    return EXIT_FINDINGS if serious else EXIT_CLEAN


def _fail_on(args, default: str | None) -> str | None:
    return None if args.exit_zero else (args.fail_on or default)


def _lint(args, fmt: str):
    """The result of each input, one by one in input order, the baseline applied."""
    from . import baseline
    from .reporters import NEEDS_DOCUMENT, NEEDS_LINES

    config = _config(args, checking=True)
    known = baseline.read(args.baseline) if args.baseline else None
    keep = "document" if fmt in NEEDS_DOCUMENT else (
        "lines" if fmt in NEEDS_LINES or args.baseline or args.write_baseline else "")
    if args.together:
        results = _lint_together(_sources(args.paths), config, keep)
    elif config.together:
        results = _lint_grouped(_sources(args.paths), config, keep)
    else:
        results = _lint_all(_sources(args.paths), config, args.jobs, keep)
    if args.write_baseline:
        results = list(results)
        baseline.write(args.write_baseline, results)
    for result in results:  # one by one, so a streamed report shows each file when it is done
        if known is not None:
            baseline.apply(known, [result])
        yield result


def cmd_check(args) -> int:
    from .reporters import STREAMED, render, render_end, render_file

    if args.format in STREAMED:
        results = []
        for result in _lint(args, args.format):
            render_file(args.format, result, args.lang, sys.stdout)  # sys.stdout: under a progress line, its proxy
            results.append(result)
        render_end(args.format, results, args.lang, sys.stdout)
    else:
        results = list(_lint(args, args.format))
        render(args.format, results, args.lang, sys.stdout)
    return _exit_code(results, args.lang, _fail_on(args, "warning"))


def cmd_report(args) -> int:
    import io

    from .output import write_atomic
    from .reporters import render

    results = list(_lint(args, "html"))
    buffer = io.StringIO()
    render("html", results, args.lang, buffer)
    write_atomic(args.output, buffer.getvalue())
    count = sum(len(r.findings) for r in results)
    sys.stdout.write(f"{args.output}: {count} {'处问题' if args.lang == 'zh' else 'findings'}\n")
    return _exit_code(results, args.lang, _fail_on(args, None))


def cmd_show(args) -> int:
    """`tables` and `claims`: what budgetlint read, before any rule."""
    from .engine import analyse
    from .reporters import FileResult, show

    config = _config(args)
    documents, results, place = [], [], None
    if args.together:
        together, results = _together(_sources(args.paths), config)
        documents, place = ([together.document], together.place) if together else ([], None)
    for name, source in [] if args.together else _sources(args.paths):
        try:
            text, encoding, locations = _read(name, source)
        except InputError as error:
            results.append(FileResult(name, error=error))
            continue
        try:
            documents.append(analyse(text, name, encoding, config, locations))
        except Exception as error:  # a bug on this file: it is reported, the others still shown
            results.append(FileResult(name, error=internal_error(name, error)))
    if args.command == "tables":
        show.tables(documents, args.format, sys.stdout, place)
    else:
        show.claims(documents, args.format, sys.stdout, place)
    return EXIT_INPUT if _report_errors(results, args.lang) else EXIT_CLEAN


def cmd_text(args) -> int:
    """The text findings refer to: line numbers, and for .docx/.pdf where each line came from."""
    failed = False
    for name, source in _sources(args.paths):
        try:
            text, _, locations = _read(name, source)
        except InputError as error:
            sys.stderr.write(f"budgetlint: {error.message(args.lang)}\n")
            failed = True
            continue
        sys.stdout.write(f"==> {name} <==\n")
        for number, line in enumerate(text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"), 1):
            origin = locations.lines[number][0][1] if locations and number < len(locations.lines) \
                and locations.lines[number] else ""
            sys.stdout.write(f"{number:>6}  {origin + '  ' if origin else ''}{line}\n")
    return EXIT_INPUT if failed else EXIT_CLEAN


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


COMMANDS = {"check": cmd_check, "report": cmd_report, "tables": cmd_show, "claims": cmd_show,
            "text": cmd_text, "rules": cmd_rules, "explain": cmd_explain}


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
