"""The pipeline: read → tables and claims → facts → rules → findings."""
from __future__ import annotations

import gc
from contextlib import contextmanager
from pathlib import Path

from .config import Config
from .document import Document, Span
from .errors import describe
from .facts import FactStore, class_codes, table_facts
from .findings import Finding, Related
from .footing import assess_tables
from .reader import load, read_text
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
    from .claims import claim_facts, extract_claims

    config = config or Config()
    with cycle_collection_paused():
        document = read_text(text, path, encoding, locations)
        document.config = config
        document.tables = assess_tables(extract_tables(document), config)
        document.claims = extract_claims(document, config)
        store = FactStore()
        final_account = "决算" in "".join(document.title.split())
        classes = class_codes(document.tables)
        for table in document.tables:
            for fact in table_facts(table, final_account, classes):
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
