"""`tables`, `claims`, `rules` and `explain`: what budgetlint read and what it checks."""
from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from ..document import Span
from ..registry import Rule, all_rules
from .text import plain_text, terminal

UNLIMITED = 100_000  # characters: a table is as wide as its content, never squeezed to fit


def _console(stream) -> Console:
    """On a terminal, its width; piped or into a file, as wide as the content: no column cut."""
    tty = getattr(stream, "isatty", lambda: False)()
    return terminal(stream, soft_wrap=False, width=None if tty else UNLIMITED)


def _json(payload, stream) -> None:
    stream.write(json.dumps({"version": 1, **payload}, ensure_ascii=False, indent=2) + "\n")


def table_dict(table, place=None) -> dict:
    where = _place(place, Span(table.line, 1, table.end_line, 1))
    return {"number": table.number, "title": table.title, "kind": table.kind, "unit": table.unit,
            "columns": [column.label for column in table.columns],
            "rows": [[cell.text for cell in row] for row in table.rows],
            **({"path": where["path"]} if "path" in where else {}), "line": where["line"],
            "end_line": where["end_line"],
            **({"note": table.note} if table.note else {})}


def tables(documents, fmt: str, stream, place=None) -> None:
    """The tables of each document; `place` maps positions of documents read together to their files."""
    if fmt == "json":
        _json({"files": [{"path": d.path, "tables": [table_dict(t, place) for t in d.tables]}
                         for d in documents]}, stream)
        return
    console = _console(stream)
    for document in documents:
        for table in document.tables:
            where = table_dict(table, place)
            title = plain_text(f"{where.get('path', document.path)}:{where['line']}  {table.number or ''} "
                               f"{table.title}  [{table.kind}] 单位：{table.unit or '?'}  {len(table.rows)} 行")
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


def _place(place, span) -> dict:
    """line, column, end_line, end_column (and path, for files checked together)."""
    path, span = place(span) if place else (None, span)
    return {**({"path": path} if path else {}), "line": span.line, "column": span.column,
            "end_line": span.end_line, "end_column": span.end_column}


def claim_dict(claim, document=None, place=None) -> dict:
    """A claim's fields and position; with its document, the table figure its amount is
    compared with (`table`: the figure, where it is printed, whether the two agree)."""
    from ..facts import table_figure

    data = {key: value for key in CLAIM_FIELDS if (value := claim.field(key)) not in (None, "")}
    data.update(_place(place, claim.span))
    compared = table_figure(document, claim) if document is not None else None
    if compared:
        fact, agrees = compared
        data["table"] = {"value": fact.printed, "where": f"{fact.where} {fact.label}".strip(),
                         **_place(place, fact.source), "agrees": agrees}
    return data


def _identity(identity: dict) -> str:
    """scope/stage, then the other figures' years: 'fiscal/决算 (budgeted: current 年初预算)'."""
    others = ", ".join(f"{key}: {value}" for key, value in identity.items() if key not in {"scope", "stage", "period"})
    return f"{identity['scope']}/{identity['stage']}" + (f" ({others})" if others else "")


def _short(text: str, console: Console, limit: int = 24) -> str:
    """A long text cut to fit a terminal; whole when piped."""
    return text if console.width >= UNLIMITED or len(text) <= limit else text[:limit - 1] + "…"


def _table_cell(data: dict) -> Text:
    table = data.get("table")
    if not table:
        return Text("")
    where = f"{table['path']}:" if "path" in table and table["path"] != data.get("path") else ""
    sign = Text("=") if table["agrees"] else Text("≠", style="red")
    return Text.assemble(sign, plain_text(f" {table['value']} {where}{table['line']}"))


def claims(documents, fmt: str, stream, place=None) -> None:
    """The claims of each document; `place` maps positions of documents read together to their files."""
    from ..claims import coverage

    if fmt == "json":
        files = []
        for document in documents:
            parsed, total, unparsed = coverage(document)
            files.append({"path": document.path,
                          "claims": [claim_dict(c, document, place) for c in document.claims],
                          "coverage": {"parsed": parsed, "total": total},
                          "unparsed": [{key: value for key, value in _place(place, s.content.span()).items()
                                        if key in ("path", "line")} | {"text": s.text} for s in unparsed]})
        _json({"files": files}, stream)
        return
    console = _console(stream)
    for document in documents:
        view = RichTable(title=plain_text(document.path), title_justify="left")
        for name in ("位置", "主语", "概念", "口径/阶段", "金额", "增减", "增幅", "占比", "原因", "表中"):
            view.add_column(name)
        for claim in document.claims:
            data = claim_dict(claim, document, place)
            view.add_row(plain_text(f"{data['path'] + ':' if 'path' in data else ''}{data['line']}:{data['column']}"),
                         plain_text(data.get("subject", "")),
                         plain_text(data["concept"]) if "concept" in data else Text("未识别", style="dim"),
                         plain_text(_identity(data["identity"])),
                         plain_text(f"{data.get('amount', data.get('count', ''))}{data.get('unit', '')}"),
                         plain_text(data.get("change", "")), f"{data['rate']}%" if "rate" in data else "",
                         f"{data['share']}%" if "share" in data else "",
                         plain_text(_short(data.get("reason") or "", console)), _table_cell(data))
        console.print(view)
        parsed, total, unparsed = coverage(document)
        share = f"{parsed * 100 / total:.1f}%" if total else "—"
        console.print(f"覆盖率 coverage: {parsed}/{total} 个数字句已解析 ({share})", highlight=False)
        for sentence in unparsed:
            where = _place(place, sentence.content.span())
            console.print(Text("  未解析", style="yellow"),
                          plain_text(f"{where.get('path', '') and where['path'] + ':'}{where['line']}: "
                                     f"{_short(sentence.text, console, 80)}"))


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
    _console(stream).print(view)


def explain(rule: Rule, stream) -> None:
    stream.write(f"{rule.code} {rule.name} ({rule.family}, {rule.severity})\n\n{rule.doc}\n")
    if rule.options:
        from ..config import option_line

        stream.write("\nOptions ([tool.budgetlint] or budgetlint.toml):\n")
        stream.writelines(f"    {option_line(option)}\n" for option in rule.options)
