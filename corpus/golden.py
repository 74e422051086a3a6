"""Write a document's golden file from budgetlint's findings and a reviewer's verdicts.

    python corpus/golden.py DOCUMENT VERDICTS.tsv [--source TEXT]
    python corpus/golden.py --table corpus/real     # the README's precision table

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
                 "verdict": verdict["verdict"], "why": verdict["why"]}
        entry.update({key: getattr(finding, key) for key in ("expected", "actual") if getattr(finding, key)})
        findings.append(entry)
    if missing:
        raise SystemExit(f"{document.name}: {len(missing)} findings without a verdict:\n  " + "\n  ".join(missing))
    return {"document": document.name, "source": source,
            "review": "Every finding judged on the page (rendered page or its text layer); verdict true = a "
                      "real defect of the document, false = a false alarm budgetlint still raises.",
            "findings": findings}


def precision_table(folder: Path) -> str:
    """Per rule, the reviewed findings of the goldens in `folder`: real defects, false alarms,
    unsure, as a markdown table (the README's)."""
    counts: dict[str, dict[str, int]] = {}
    documents = sorted(folder.glob("*.expected.json"))
    for path in documents:
        for entry in json.loads(path.read_text("utf-8"))["findings"]:
            row = counts.setdefault(entry["rule"], {verdict: 0 for verdict in ("true", "false", "unsure")})
            row[entry["verdict"]] += 1
    lines = ["| rule | real defects | false alarms | unsure |", "|---|---|---|---|"]
    for rule, row in sorted(counts.items()):
        lines.append(f"| {rule} | {row['true']} | {row['false']} | {row['unsure']} |")
    total = {verdict: sum(row[verdict] for row in counts.values()) for verdict in ("true", "false", "unsure")}
    lines.append(f"| all ({len(documents)} documents) | {total['true']} | {total['false']} | {total['unsure']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("document", type=Path)
    parser.add_argument("verdicts", type=Path, nargs="?")
    parser.add_argument("--source", default="")
    parser.add_argument("--table", action="store_true", help="print the precision table of a folder's goldens")
    args = parser.parse_args()
    if args.table:
        print(precision_table(args.document))
        return
    if args.verdicts is None:
        parser.error("the verdicts file is needed to write a golden")
    data = golden(args.document, _verdicts(args.verdicts, args.document.stem), args.source)
    out = args.document.with_suffix(".expected.json")
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(f"{out}: {len(data['findings'])} findings", file=sys.stderr)


if __name__ == "__main__":
    main()
