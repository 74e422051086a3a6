"""The terminal report: location, code, severity, message, and the source line marked."""
from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from ..findings import Finding
from . import FileResult, summary

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
LABEL = {"zh": {"error": "错误", "warning": "警告", "info": "提示"},
         "en": {"error": "error", "warning": "warning", "info": "info"}}
WINDOW = 36  # characters of context kept on each side of the span in long lines
# control characters of the document (an escape sequence could clear or retitle the reviewer's
# terminal) are shown as one replacement character each, so the carets still line up
_CONTROL = dict.fromkeys([*range(0x20), *range(0x7f, 0xa0)], "\ufffd")


def _plain(text: str) -> str:
    """Text of the document or its findings, safe to print to a terminal and to rich."""
    return escape(text.translate(_CONTROL))


def plain_text(text: str) -> Text:
    """Text of the document as a rich Text: never read as markup or emoji codes."""
    return Text(text.translate(_CONTROL))


def terminal(stream, soft_wrap: bool, width: int | None = None) -> Console:
    """The console reports print to: emoji codes off (in "doc.md:100:21", ":100:" is a line
    number, not 💯), so that only our own markup is ever interpreted; `width` None is the terminal's."""
    return Console(file=stream, soft_wrap=soft_wrap, emoji=False, width=width)


def excerpt(line: str, start: int, end: int) -> tuple[str, str]:
    """The source line (shortened around the span) and a caret line under the span.

    Carets are measured in terminal cells, so a Chinese character gets two.
    """
    start = max(0, min(start, len(line)))
    end = max(start + 1, min(end, len(line), start + 2 * WINDOW)) if line else start
    left = max(0, start - WINDOW)
    right = min(len(line), end + WINDOW)
    prefix = "…" if left else ""
    shown = prefix + line[left:right] + ("…" if right < len(line) else "")
    pad = cell_len(prefix + line[left:start])
    return shown, " " * pad + "^" * max(1, cell_len(line[start:end]))


def _finding(console: Console, finding: Finding, lines: list[str], lang: str) -> None:
    span = finding.span
    label = LABEL[lang][finding.severity]
    where = f" ({_plain(finding.location)})" if finding.location else ""
    console.print(f"[bold]{_plain(finding.path)}:{span.line}:{span.column}[/]{where}: "
                  f"[{STYLE[finding.severity]}]{finding.rule} {label}[/] "
                  f"{_plain(finding.message(lang))} [dim]({finding.name})[/]", highlight=False)
    if 0 < span.line <= len(lines):
        source = lines[span.line - 1].replace("\t", " ")
        end = span.end_column - 1 if span.end_line == span.line else len(source)
        shown, carets = excerpt(source, span.column - 1, end)
        gutter = f"{span.line:>5} | "
        console.print(f"[dim]{gutter}[/]{_plain(shown)}", highlight=False)
        console.print(f"[dim]{' ' * (len(gutter) - 2)}| [/][{STYLE[finding.severity]}]{carets}[/]",
                      highlight=False)
    for related in finding.related[:6]:
        note = f" {related.note(lang)}" if related.note(lang) else ""
        word = "对照" if lang == "zh" else "see"
        where = _plain(related.path) + ":" if related.path else ""
        console.print(f"[dim]      {word} {where}{related.span.line}:{related.span.column}{_plain(note)}[/]",
                      highlight=False)
    if len(finding.related) > 6:
        more = len(finding.related) - 6
        console.print(f"[dim]      … {more} {'处' if lang == 'zh' else 'more'}[/]", highlight=False)


def render(results: list[FileResult], lang: str, stream) -> None:
    for result in results:
        render_file(result, lang, stream)
    render_end(results, lang, stream)


def render_file(result: FileResult, lang: str, stream) -> None:
    console = terminal(stream, soft_wrap=True)
    for finding in result.findings:
        _finding(console, finding, result.lines, lang)


def render_end(results: list[FileResult], lang: str, stream) -> None:
    console = terminal(stream, soft_wrap=True)
    counts = summary(results)
    if lang == "zh":
        text = (f"共 {counts['files']} 个文件：{counts['errors']} 个错误，{counts['warnings']} 个警告，"
                f"{counts['info']} 条提示")
    else:
        text = (f"{counts['files']} file(s): {counts['errors']} error(s), {counts['warnings']} "
                f"warning(s), {counts['info']} info")
    style = "bold red" if counts["errors"] else ("yellow" if counts["warnings"] else "green")
    console.print(f"[{style}]{text}[/]", highlight=False)
