"""`--format markdown`: a pull-request comment."""
from __future__ import annotations

from . import FileResult, summary

ICON = {"error": "🔴", "warning": "🟠", "info": "🔵"}
WORDS = {"zh": ("budgetlint 检查结果", "文件", "错误", "警告", "提示", "位置", "规则", "说明", "无法读取", "没有发现问题"),
         "en": ("budgetlint report", "files", "errors", "warnings", "info", "where", "rule", "message",
                "unreadable", "no findings")}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


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
