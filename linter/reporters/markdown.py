"""`--format markdown`: a pull-request comment."""
from __future__ import annotations

import re

from . import FileResult, summary

ICON = {"error": "🔴", "warning": "🟠", "info": "🔵"}
WORDS = {"zh": ("budgetlint 检查结果", "文件", "错误", "警告", "提示", "位置", "规则", "说明", "无法读取", "没有发现问题"),
         "en": ("budgetlint report", "files", "errors", "warnings", "info", "where", "rule", "message",
                "unreadable", "no findings")}


# What a comment would read as markup from the document's text: HTML, links and images,
# emphasis, code, @mentions (which notify people) and bare URLs (which GitHub links by itself)
_MARKUP = re.compile(r"[\\`*_\[\]()|~!#<>&@:]|(?i:www)\.")
_ENTITY = {"<": "&lt;", ">": "&gt;", "&": "&amp;", "@": "@&#8203;", ":": "&#58;"}


def _escaped(match: re.Match) -> str:
    found = match.group()
    if found in _ENTITY:
        return _ENTITY[found]
    return found[:-1] + "&#46;" if len(found) > 1 else "\\" + found  # www. → www&#46;


def _cell(text: str) -> str:
    """Text shown as itself in a table cell or a heading, on one line."""
    return _MARKUP.sub(_escaped, " ".join(text.split()))


def render(results: list[FileResult], lang: str, stream) -> None:
    title, files, errors, warnings, info, where, rule, message, unreadable, clean = WORDS[lang]
    counts = summary(results)
    lines = [f"### {title}", "",
             f"{counts['files']} {files} · {ICON['error']} {counts['errors']} {errors} · "
             f"{ICON['warning']} {counts['warnings']} {warnings} · {ICON['info']} {counts['info']} {info}", ""]
    for result in results:
        if result.error:
            lines += [f"**{_cell(result.path)}**: {unreadable} — {_cell(result.error.message(lang))}", ""]
            continue
        if not result.findings:
            continue
        lines += [f"<details open><summary><b>{_cell(result.path)}</b> ({len(result.findings)})</summary>", "",
                  f"| | {where} | {rule} | {message} |", "|---|---|---|---|"]
        for finding in result.findings:
            place = f" {_cell(finding.location)}" if finding.location else ""
            lines.append(f"| {ICON[finding.severity]} | `{finding.span.line}:{finding.span.column}`{place} | "
                         f"`{finding.rule}` {finding.name} | {_cell(finding.message(lang))} |")
        lines += ["", "</details>", ""]
    if not any(r.findings or r.error for r in results):
        lines.append(f"✅ {clean}")
    stream.write("\n".join(lines) + "\n")
