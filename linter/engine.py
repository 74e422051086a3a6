"""The pipeline: read → tables and claims → facts → rules → findings."""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from .config import Config
from .document import Document, Span
from .errors import describe
from .facts import FactStore, class_codes, own_year, table_facts
from .findings import Finding, Related
from .footing import assess_tables, withheld_everywhere
from .locations import Locations
from .reader import load, read_text, sentences
from .registry import all_rules
from .tables import extract_tables


@contextmanager
def cycle_collection_paused():
    """Analysis makes tens of thousands of short-lived objects and few reference cycles: the
    cycle collector would walk them many times per document (a fifth of the run time). Pausing
    it around the whole lint lets most of them go by reference counting before it runs again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def analyse(text: str, path: str = "<string>", encoding: str = "utf-8",
            config: Config | None = None, locations=None) -> Document:
    """Everything budgetlint knows about a document, before any rule runs."""
    with cycle_collection_paused():
        return _complete(read_text(text, path, encoding, locations), config or Config())


def _complete(document: Document, config: Config) -> Document:
    """Tables, claims and facts of a document read into blocks and sentences (callers pause
    the cycle collector around it)."""
    from .claims import claim_facts, extract_claims

    document.config = config
    withheld = withheld_everywhere(block.text for block in document.blocks if block.kind != "row")
    document.tables = assess_tables(extract_tables(document), config, withheld)
    document.claims = extract_claims(document, config)
    store = FactStore()
    final_account = "决算" in "".join(document.title.split())
    classes = class_codes(document.tables)
    for table in document.tables:
        for fact in table_facts(table, final_account, classes, own_year(document.title)):
            store.add(fact)
    for fact in claim_facts(document.claims):
        store.add(fact)
    document.facts = store
    return document


def _suppressed(code: str, disabled) -> bool:
    return any(entry == "ALL" or code.startswith(entry) for entry in disabled)


def _crash(rule, error: Exception, path: str) -> Finding:
    detail = describe(error)
    return Finding(rule="BL000", name="rule-crashed", severity="error",
                   message_zh=f"规则 {rule.code}（{rule.name}）内部出错，未能完成检查：{detail}。请报告此问题。",
                   message_en=f"rule {rule.code} ({rule.name}) failed and did not finish: {detail}. Please report it.",
                   span=Span(1, 1, 1, 1), path=path)


def run_rules(document: Document, config: Config | None = None) -> list[Finding]:
    config = config or Config()
    with cycle_collection_paused():
        return _findings(document, config)


def _findings(document: Document, config: Config) -> list[Finding]:
    findings: set[Finding] = set()
    for rule in all_rules():
        override = config.severity.get(rule.code)
        if override == "off" or not config.enabled(rule.code, rule.name):
            continue
        try:
            hits = list(rule.check(document))
        except Exception as error:  # one broken rule (ours or a plugin's) must not stop the run
            findings.add(_crash(rule, error, document.path))
            continue
        for hit in hits:
            if _suppressed(rule.code, document.suppressions.get(hit.span.line, ())):
                continue
            severity = override or hit.severity or rule.severity
            if severity == "off":
                continue
            findings.add(Finding(
                rule=rule.code, name=rule.name, severity=severity,
                message_zh=rule.message(hit, "zh"), message_en=rule.message(hit, "en"),
                span=hit.span, path=document.path, expected=hit.expected, actual=hit.actual,
                related=tuple(r if isinstance(r, Related) else Related(r) for r in hit.related),
                concept=hit.concept,
                location=document.locations.describe(hit.span, document.lines) if document.locations else None))
    return sorted(findings, key=Finding.sort_key)


def lint_text(text: str, path: str = "<string>", config: Config | None = None) -> list[Finding]:
    """Findings for a document given as text."""
    return _lint(text, path, "utf-8", config or Config(), None)


def lint_path(path: str | Path, config: Config | None = None) -> list[Finding]:
    """Findings for one file (.md, .txt, .docx, .pdf); raises InputError when it cannot be read."""
    text, encoding, locations = load(Path(path))
    return _lint(text, str(path), encoding, config or Config(), locations)


def _lint(text: str, path: str, encoding: str, config: Config, locations) -> list[Finding]:
    """Findings of a document nobody keeps: it is closed, so it is freed as soon as it is done."""
    with cycle_collection_paused():
        document = analyse(text, path, encoding, config, locations)
        findings = run_rules(document, config)
        document.close()
        del document  # freed now, while the collector is paused (else it would walk it all)
    return findings


class Together:
    """Files that publish one disclosure (a narrative and its tables as two PDFs, 附件1 and
    附件2) read as one document, under a heading of each file's name that starts its outline
    afresh (no section, paragraph or table runs on from the file before); `place` maps a
    position of the whole back to its file."""

    def __init__(self, parts: list[tuple[str, str, str, Locations | None]], config: Config):
        self.lines: list[str] = []
        self.starts: list[tuple[int, str, int]] = []  # (first line in the whole, path, line count)
        origins = Locations()
        for path, text, _, locations in parts:
            own = text[:-1].split("\n") if text.endswith("\n") else text.split("\n")
            self.lines.append("# " + path)
            origins.add([])
            self.starts.append((len(self.lines) + 1, path, len(own)))
            self.lines += own
            origins.lines += (locations.lines[1:] if locations else [])[:len(own)]
            origins.lines += [[] for _ in range(len(self.lines) + 1 - len(origins.lines))]
        with cycle_collection_paused():
            document = read_text("\n".join(self.lines) + "\n", " + ".join(p[0] for p in parts),
                                 parts[0][2], origins)
            names = {start - 1 for start, _, _ in self.starts}
            for block in document.blocks:
                if block.kind == "heading" and block.span.line in names:
                    block.level = 0  # above every heading of the file's outline
            document.sentences = sentences(document.blocks)
            self.document = _complete(document, config)

    def place(self, span: Span) -> tuple[str, Span]:
        first, path, count = next((s for s in reversed(self.starts) if s[0] <= span.line), self.starts[0])
        shift = first - 1
        return path, Span(max(span.line - shift, 1), span.column,
                          min(max(span.end_line - shift, 1), count), span.end_column)

    def file_lines(self, path: str) -> list[str]:
        first, _, count = next(s for s in self.starts if s[1] == path)
        return self.lines[first - 1:first - 1 + count]

    def findings(self, config: Config) -> dict[str, list[Finding]]:
        """The findings of each file, in the order the files were given."""
        results: dict[str, list[Finding]] = {path: [] for _, path, _ in self.starts}
        for finding in run_rules(self.document, config):
            path, span = self.place(finding.span)
            related = []
            for item in finding.related:
                other, where = self.place(item.span)
                related.append(replace(item, span=where, path=other if other != path else None))
            results[path].append(replace(finding, path=path, span=span, related=tuple(related)))
        return {path: sorted(found, key=Finding.sort_key) for path, found in results.items()}
