"""Write a document's golden file from budgetlint's findings and a reviewer's verdicts.

    python corpus/golden.py DOCUMENT VERDICTS.tsv [--source TEXT]
    python corpus/golden.py --refresh DOCUMENT... [--verdicts FILE]...   # after a change
    python corpus/golden.py --table corpus/real [--readme README.md]     # the precision table

--refresh rewrites a document's golden from budgetlint's findings now, carrying each verdict over
from the golden it has (and from any --verdicts file: a TSV as above, or another golden, e.g. a
branch's); it lists the findings that disappeared (a real defect lost is recall lost) and stops,
writing nothing, when a finding has no verdict yet.

VERDICTS.tsv has one line per finding, judged on the page: document, rule, line, column,
verdict (true | false | unsure), why, message. Every finding of the document must have a
verdict (matched by rule, line and column, else by rule and message); the golden is not
written otherwise. The golden keeps the false alarms too, marked as such, so that the corpus
test pins what budgetlint says and the README's precision table counts what a reviewer found.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from budgetlint.engine import lint_path

VERDICTS = {"true", "false", "unsure"}


def _verdicts(path: Path, document: str) -> list[dict]:
    if path.suffix == ".json":
        data = json.loads(path.read_text("utf-8"))
        return [dict(entry, message=entry.get("message", "")) for entry in data["findings"]
                if Path(data["document"]).stem == document]
    with path.open(encoding="utf-8", newline="") as stream:
        rows = [row for row in csv.reader(stream, delimiter="\t") if row and row[0] == document]
    return [{"rule": r[1], "line": int(r[2]), "column": int(r[3]), "verdict": r[4].strip().lower(),
             "why": r[5].strip(), "message": r[6] if len(r) > 6 else ""} for r in rows]


def _match(finding, verdicts: list[dict]) -> dict | None:
    for verdict in verdicts:
        if (verdict["rule"], verdict["line"], verdict["column"]) == (finding.rule, finding.line, finding.column):
            return verdict
    for verdict in verdicts:
        if verdict["rule"] == finding.rule and verdict["message"] and finding.message_zh.startswith(verdict["message"][:60]):
            return verdict
    for verdict in verdicts:
        if (verdict["rule"], verdict.get("location")) == (finding.rule, finding.location) and all(
                verdict.get(key) == getattr(finding, key) for key in ("expected", "actual") if key in verdict):
            return verdict
    return None


def golden(document: Path, verdicts: list[dict], source: str) -> dict:
    findings, missing = [], []
    for finding in sorted(lint_path(document), key=lambda f: (f.line, f.column, f.rule)):
        verdict = _match(finding, verdicts)
        if verdict is None or verdict["verdict"] not in VERDICTS or not verdict["why"]:
            missing.append(f"{finding.rule} {finding.line}:{finding.column} {finding.message_zh[:80]}")
            continue
        entry = {"rule": finding.rule, "line": finding.line, "column": finding.column,
                 "severity": finding.severity, "location": finding.location,
                 "message": finding.message_zh, "verdict": verdict["verdict"], "why": verdict["why"]}
        entry.update({key: getattr(finding, key) for key in ("expected", "actual") if getattr(finding, key)})
        findings.append(entry)
    if missing:
        raise SystemExit(f"{document.name}: {len(missing)} findings without a verdict:\n  " + "\n  ".join(missing))
    return {"document": document.name, "source": source,
            "review": "Every finding judged on the page (rendered page or its text layer); verdict true = a "
                      "real defect of the document, false = a false alarm budgetlint still raises.",
            "findings": findings}


def refresh(document: Path, extra: list[Path]) -> tuple[dict, list[dict]]:
    """The document's golden written anew from today's findings with the verdicts it had, and the
    judged findings that are gone."""
    out = document.with_suffix(".expected.json")
    sources = ([out] if out.exists() else []) + extra
    verdicts = [verdict for source in sources for verdict in _verdicts(source, document.stem)]
    old = json.loads(out.read_text("utf-8")) if out.exists() else {"source": ""}
    data = golden(document, verdicts, old["source"])
    kept = {(entry["rule"], entry["location"], entry.get("message", "")) for entry in data["findings"]}
    gone = [entry for entry in (_verdicts(out, document.stem) if out.exists() else [])
            if (entry["rule"], entry["location"], entry["message"]) not in kept
            and not any((e["rule"], e["line"], e["column"]) == (entry["rule"], entry["line"], entry["column"])
                        for e in data["findings"])]
    return data, gone


def _write(document: Path, data: dict) -> None:
    out = document.with_suffix(".expected.json")
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(f"{out}: {len(data['findings'])} findings", file=sys.stderr)


def _write_readme(readme: Path, table: str) -> None:
    marker = "<!-- precision: python corpus/golden.py --table corpus/real -->\n"
    text = readme.read_text("utf-8")
    start = text.index(marker) + len(marker)
    end = text.index("\n\n", start)
    readme.write_text(text[:start] + table + text[end:], "utf-8")


def precision_table(folder: Path) -> str:
    """Per rule, the reviewed findings of the goldens in `folder`: real defects, false alarms,
    unsure, as a markdown table (the README's)."""
    counts: dict[str, dict[str, int]] = {}
    by_severity: dict[str, dict[str, int]] = {}
    documents = sorted(folder.glob("*.expected.json"))
    for path in documents:
        for entry in json.loads(path.read_text("utf-8"))["findings"]:
            for key, table in ((entry["rule"], counts), ("info" if entry["severity"] == "info" else "accusing", by_severity)):
                table.setdefault(key, {verdict: 0 for verdict in VERDICTS})[entry["verdict"]] += 1
    lines = ["| rule | real defects | false alarms | unsure |", "|---|---|---|---|"]
    for rule, row in sorted(counts.items()):
        lines.append(f"| {rule} | {row['true']} | {row['false']} | {row['unsure']} |")
    for key, label in (("accusing", "errors and warnings"), ("info", "info notes")):
        row = by_severity.get(key, {verdict: 0 for verdict in VERDICTS})
        lines.append(f"| {label}, {len(documents)} documents | {row['true']} | {row['false']} | {row['unsure']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("document", type=Path, nargs="+")
    parser.add_argument("--source", default="")
    parser.add_argument("--table", action="store_true", help="print the precision table of a folder's goldens")
    parser.add_argument("--readme", type=Path, help="with --table: write the table into this README")
    parser.add_argument("--refresh", action="store_true", help="rewrite goldens, verdicts carried over")
    parser.add_argument("--verdicts", type=Path, action="append", default=[],
                        help="with --refresh: more verdicts (TSV or a golden)")
    args = parser.parse_args()
    if args.table:
        table = precision_table(args.document[0])
        _write_readme(args.readme, table) if args.readme else print(table)
        return
    if args.refresh:
        failed = []
        for document in args.document:
            try:
                data, gone = refresh(document, args.verdicts)
            except SystemExit as missing:
                failed.append(str(missing))
                continue
            for entry in gone:
                print(f"{document.name}: gone: {entry['verdict']} {entry['rule']} {entry['location']} "
                      f"{entry['why'][:70]}", file=sys.stderr)
            _write(document, data)
        if failed:
            raise SystemExit("\n".join(failed))
        return
    if len(args.document) != 2:
        parser.error("give the document and its verdicts file (or --refresh)")
    document, verdicts = args.document
    _write(document, golden(document, _verdicts(verdicts, document.stem), args.source))


if __name__ == "__main__":
    main()
