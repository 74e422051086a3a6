"""`tables`, `claims`, `rules` and `explain`: what budgetlint read and what it checks."""
from __future__ import annotations

import json

from rich.table import Table as RichTable
from rich.text import Text

from ..registry import Rule, all_rules
from .text import plain_text, terminal


def _json(payload, stream) -> None:
    stream.write(json.dumps({"version": 1, **payload}, ensure_ascii=False, indent=2) + "\n")


def table_dict(table) -> dict:
    return {"number": table.number, "title": table.title, "kind": table.kind, "unit": table.unit,
            "columns": [column.label for column in table.columns],
            "rows": [[cell.text for cell in row] for row in table.rows],
            "line": table.line, "end_line": table.end_line,
            **({"note": table.note} if table.note else {})}


def tables(documents, fmt: str, stream) -> None:
    if fmt == "json":
        _json({"files": [{"path": d.path, "tables": [table_dict(t) for t in d.tables]}
                         for d in documents]}, stream)
        return
    console = terminal(stream, soft_wrap=False)
    for document in documents:
        for table in document.tables:
            title = plain_text(f"{document.path}:{table.line}  {table.number or ''} {table.title}  "
                               f"[{table.kind}] 单位：{table.unit or '?'}  {len(table.rows)} 行")
            view = RichTable(title=title, title_justify="left", show_lines=False)
            for column in table.columns:
                view.add_column(plain_text(column.label or f"列{column.index + 1}"),
                                justify="right" if column.role == "number" else "left")
            for row in table.rows:
                view.add_row(*[plain_text(cell.text) for cell in row])
            console.print(view)
            if table.note:
                console.print(plain_text(f"  {table.note}"))


CLAIM_FIELDS = ("subject", "concept", "identity", "amount", "unit", "compared", "budgeted", "completion",
                "change", "rate", "share", "count", "reason", "purpose")


def claim_dict(claim) -> dict:
    data = {key: value for key in CLAIM_FIELDS if (value := claim.field(key)) not in (None, "")}
    span = claim.span
    data.update(line=span.line, column=span.column, end_line=span.end_line,
                end_column=span.end_column)
    return data


def _identity(identity: dict) -> str:
    """scope/stage, then the other figures' years: 'fiscal/决算 (budgeted: current 年初预算)'."""
    others = ", ".join(f"{key}: {value}" for key, value in identity.items() if key not in {"scope", "stage", "period"})
    return f"{identity['scope']}/{identity['stage']}" + (f" ({others})" if others else "")


def claims(documents, fmt: str, stream) -> None:
    from ..claims import coverage

    if fmt == "json":
        files = []
        for document in documents:
            parsed, total, unparsed = coverage(document)
            files.append({"path": document.path, "claims": [claim_dict(c) for c in document.claims],
                          "coverage": {"parsed": parsed, "total": total},
                          "unparsed": [{"line": s.content.span().line, "text": s.text} for s in unparsed]})
        _json({"files": files}, stream)
        return
    console = terminal(stream, soft_wrap=False)
    for document in documents:
        view = RichTable(title=plain_text(document.path), title_justify="left")
        for name in ("位置", "主语", "概念", "口径/阶段", "金额", "增减", "增幅", "占比", "原因"):
            view.add_column(name)
        for claim in document.claims:
            data = claim_dict(claim)
            view.add_row(f"{data['line']}:{data['column']}", plain_text(data.get("subject", "")),
                         plain_text(data["concept"]) if "concept" in data else Text("未识别", style="dim"),
                         plain_text(_identity(data["identity"])),
                         plain_text(f"{data.get('amount', data.get('count', ''))}{data.get('unit', '')}"),
                         plain_text(data.get("change", "")), f"{data['rate']}%" if "rate" in data else "",
                         f"{data['share']}%" if "share" in data else "",
                         plain_text((data.get("reason") or "")[:24]))
        console.print(view)
        parsed, total, unparsed = coverage(document)
        share = f"{parsed * 100 / total:.1f}%" if total else "—"
        console.print(f"覆盖率 coverage: {parsed}/{total} 个数字句已解析 ({share})", highlight=False)
        for sentence in unparsed:
            console.print(Text("  未解析", style="yellow"),
                          plain_text(f"{sentence.content.span().line}: {sentence.text[:80]}"))


def rules(fmt: str, stream) -> None:
    registered = all_rules()
    if fmt == "json":
        _json({"rules": [{"code": r.code, "name": r.name, "family": r.family, "severity": r.severity,
                          "summary": r.summary} for r in registered]}, stream)
        return
    view = RichTable(title="budgetlint rules")
    for name in ("code", "name", "family", "severity", "summary"):
        view.add_column(name)
    for rule in registered:
        view.add_row(*map(plain_text, (rule.code, rule.name, rule.family, rule.severity, rule.summary)))
    terminal(stream, soft_wrap=False).print(view)


def explain(rule: Rule, stream) -> None:
    stream.write(f"{rule.code} {rule.name} ({rule.family}, {rule.severity})\n\n{rule.doc}\n")
    if rule.options:
        from ..config import option_line

        stream.write("\nOptions ([tool.budgetlint] or budgetlint.toml):\n")
        stream.writelines(f"    {option_line(option)}\n" for option in rule.options)
