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
from .limits import Limits, add_options, from_args, out_of_memory

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
    add_options(parser)
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
    add_options(text)
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
    parser.add_argument("--verbose", action="store_true", help="say which profile each file was held to, and why")


def _sources(arguments: list[str]) -> list[tuple[str, object]]:
    """(name, path | stdin bytes | InputError) for every input, in a stable order."""
    from .reader import folder_documents

    found: list[tuple[str, object]] = []
    for argument in arguments:
        if argument == "-":
            found.append(("<stdin>", sys.stdin.buffer.read()))
        elif Path(argument).is_dir():
            files = folder_documents(argument)
            if not files:
                found.append((argument, InputError(argument, "目录中没有 .md、.txt、.docx 或 .pdf 文件",
                                                   "no .md, .txt, .docx or .pdf files in this folder")))
            found.extend(files)
        else:
            found.append((argument, Path(argument)))
    return found


def _read(name: str, source, limits: Limits) -> tuple[str, str, object]:
    from .reader import read_source

    if isinstance(source, InputError):
        raise source
    try:
        return read_source(name, source, limits)
    except InputError:
        raise
    except Exception as error:  # a bug reading this file (a .docx or .pdf of a shape not foreseen)
        raise internal_error(name, error) from None


def read_or_error(name: str, source, limits: Limits):
    """`_read`, with its error returned (a top-level function, so a worker process can run it)."""
    try:
        return _read(name, source, limits)
    except InputError as error:
        return error


def lint_source(name: str, source, config, keep: str = "lines", limits: Limits = Limits()):
    """Read, analyse and lint one input (a top-level function, so worker processes can run it).

    `keep` says what the report needs besides the findings: "document", "lines" or nothing.
    """
    from .engine import cycle_collection_paused
    from .reporters import FileResult

    try:
        text, encoding, locations = _read(name, source, limits)
    except InputError as error:
        return FileResult(name, error=error)
    with cycle_collection_paused():  # returns before the collector runs again: the document is gone
        try:
            return _analysed(name, text, encoding, locations, config, keep)
        except MemoryError:
            return FileResult(name, error=out_of_memory(name, limits))
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
                      document=document if keep == "document" else None, notes=document.notes)


PROGRESS_AFTER = 2.0  # seconds: a run that takes longer shows a progress line on a terminal


def _terminal() -> bool:
    return sys.stderr.isatty()


def _together(reads, config):
    """The files read (name, (text, encoding, locations) | InputError) as one engine.Together,
    and a FileResult for each unreadable one."""
    from .engine import Together
    from .reporters import FileResult

    parts = [(name, *read) for name, read in reads if not isinstance(read, InputError)]
    failed = [FileResult(name, error=read) for name, read in reads if isinstance(read, InputError)]
    if not parts:
        return None, failed
    try:
        return Together(parts, config), failed
    except MemoryError:
        raise
    except Exception as error:  # a bug: said in one line for the first file, never a traceback
        return None, failed + [FileResult(parts[0][0], error=internal_error(parts[0][0], error))]


def lint_together(name: str, members, config, keep: str = "lines", limits: Limits = Limits()):
    """Read, analyse and lint the files of one disclosure as one (a top-level function, so a
    worker process can run it): a FileResult for each file, each finding in the file it points into."""
    from .engine import analyse
    from .reporters import FileResult

    reads = [(member, read_or_error(member, source, limits)) for member, source in members]
    try:
        together, failed = _together(reads, config)
        results = {result.path: result for result in failed}
        for path, findings in (together.findings(config) if together else {}).items():
            lines = together.file_lines(path)
            document = analyse("\n".join(lines) + "\n", path, config=config) if keep == "document" else None
            results[path] = FileResult(path, findings, lines if keep else [], document=document,
                                       notes=together.document.notes)
    except MemoryError:
        return [FileResult(member, error=out_of_memory(name, limits)) for member, _ in members]
    return [results[member] for member, _ in members if member in results]


def lint_unit(name: str, members, config, keep: str, limits: Limits):
    """The FileResults of one file (lint_source) or of the files of one disclosure (lint_together)."""
    if len(members) == 1:
        return [lint_source(name, members[0][1], config, keep, limits)]
    return lint_together(name, members, config, keep, limits)


def _units(sources, config, together: bool) -> list[list[int]]:
    """The sources (by index) as they are linted: each alone, except the files of one disclosure
    (all of them with --together, a `together` group of the configuration) linted as one where
    the first of them comes."""
    if together:
        return [list(range(len(sources)))] if sources else []
    group_of = {path: number for number, group in enumerate(config.together) for path in group}
    units: list[list[int]] = []
    groups: dict[int, list[int]] = {}
    for index, (_, source) in enumerate(sources):
        number = group_of.get(source.resolve()) if group_of and isinstance(source, Path) else None
        if number is None:
            units.append([index])
        elif number in groups:
            groups[number].append(index)
        else:
            groups[number] = [index]
            units.append(groups[number])
    return units


def _lint_all(sources, units, config, jobs: int, keep: str, limits: Limits):
    """Lint every unit of sources in worker processes (in parallel when asked), yielding each
    file's result in input order as soon as it is done; a unit stopped at the time limit, or
    whose worker died, is an unreadable input for each of its files. Past PROGRESS_AFTER seconds
    a terminal gets a progress line on stderr."""
    import time

    from rich.markup import escape

    from .reporters import FileResult
    from .workers import run

    tasks = [(sources[unit[0]][0], [sources[index] for index in unit], config, keep, limits) for unit in units]
    done: dict[int, object] = {}
    following, start, progress, progress_task = 0, time.monotonic(), None, None
    try:
        for unit, results in zip(units, run(lint_unit, tasks, limits, jobs)):
            if isinstance(results, InputError):
                results = [FileResult(sources[index][0], error=InputError(sources[index][0], results.zh, results.en))
                           for index in unit]
            by_name = {result.path: result for result in results}
            done.update((index, by_name.get(sources[index][0])) for index in unit)
            while following in done:
                result = done.pop(following)
                following += 1
                if result is None:  # a file of a set that failed as a whole, said for its first file
                    continue
                if progress is not None:
                    progress.update(progress_task, completed=following, description=escape(result.path))
                elif following < len(sources) and _terminal() and time.monotonic() - start > PROGRESS_AFTER:
                    progress, progress_task = _progress(result.path, following, len(sources))
                yield result
    finally:
        if progress is not None:
            progress.stop()


def _progress(path: str, count: int, total: int):
    """A progress line on stderr; findings printed meanwhile on the same terminal go above it
    (redirect_stdout), those piped go straight to the pipe (a proxy would print them to stderr)."""
    from rich.markup import escape
    from rich.progress import Progress

    from .reporters.text import terminal

    progress = Progress(console=terminal(sys.stderr, soft_wrap=False), transient=True,
                        redirect_stdout=sys.stdout.isatty())
    progress.start()
    return progress, progress.add_task(escape(path), total=total, completed=count)


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
    from .output import refuse_input
    from .reporters import NEEDS_DOCUMENT, NEEDS_LINES

    config = _config(args, checking=True)
    known = baseline.read(args.baseline) if args.baseline else None
    keep = "document" if fmt in NEEDS_DOCUMENT else (
        "lines" if fmt in NEEDS_LINES or args.baseline or args.write_baseline else "")
    sources = _sources(args.paths)
    for output in (args.write_baseline, getattr(args, "output", None)):
        if output:
            refuse_input(output, sources)
    results = _lint_all(sources, _units(sources, config, args.together), config, args.jobs, keep, from_args(args))
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
            _notes(result, args)
            results.append(result)
        render_end(args.format, results, args.lang, sys.stdout)
    else:
        results = list(_lint(args, args.format))
        render(args.format, results, args.lang, sys.stdout)
        for result in results:
            _notes(result, args)
    return _exit_code(results, args.lang, _fail_on(args, "warning"))


def _notes(result, args) -> None:
    """With --verbose, which profile the file was held to, and why (on stderr)."""
    if args.verbose:
        for zh, en in result.notes:
            sys.stderr.write(f"budgetlint: {result.path}: {zh if args.lang == 'zh' else en}\n")


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


def _read_all(args):
    """(name, (text, encoding, locations) | InputError) for every input, each read in a worker."""
    from .workers import run

    limits = from_args(args)
    sources = _sources(args.paths)
    tasks = [(name, source, limits) for name, source in sources]
    return zip((name for name, _ in sources), run(read_or_error, tasks, limits))


def cmd_show(args) -> int:
    """`tables` and `claims`: what budgetlint read, before any rule."""
    from .engine import analyse
    from .reporters import FileResult, show

    config = _config(args)
    documents, results, place = [], [], None
    reads = _read_all(args)
    if args.together:  # read in workers under the limits, analysed as one
        together, results = _together(list(reads), config)
        if together:
            documents, place = [together.document], together.place
        reads = []
    for name, read in reads:
        if isinstance(read, InputError):
            results.append(FileResult(name, error=read))
            continue
        text, encoding, locations = read
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
    for name, read in _read_all(args):
        if isinstance(read, InputError):
            sys.stderr.write(f"budgetlint: {read.message(args.lang)}\n")
            failed = True
            continue
        text, _, locations = read
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
