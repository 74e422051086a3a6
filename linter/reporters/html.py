"""The annotated HTML report: the document itself, every finding marked where it is.

One self-contained file (no network): the document's headings, paragraphs and tables, each
finding highlighted at its span and coloured by severity; clicking a finding shows the other
side of a contradiction; a side list filters by severity and rule family. Every piece of
document text is escaped, and a Content-Security-Policy with a nonce lets only the report's
own script run.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from html import escape

from ..registry import FAMILIES
from . import FileResult, summary

RANK = {"error": 0, "warning": 1, "info": 2}
WORDS = {
    "zh": {"title": "budgetlint 检查报告", "error": "错误", "warning": "警告", "info": "提示",
           "files": "文件", "findings": "问题列表", "expected": "应为", "actual": "实为",
           "unplaced": "（位置不在正文中）", "unreadable": "无法读取", "none": "没有发现问题",
           "index": "文件", "clean": "无问题",
           "families": {"document": "文档", "table": "表格计算", "narrative": "文字数字", "justification": "理由",
                        "compliance": "合规完整", "performance": "绩效目标", "other": "其他"}},
    "en": {"title": "budgetlint report", "error": "error", "warning": "warning", "info": "info",
           "files": "files", "findings": "Findings", "expected": "expected", "actual": "actual",
           "unplaced": "(not placed in the text)", "unreadable": "unreadable", "none": "no findings",
           "index": "Files", "clean": "clean",
           "families": {name: name for name in list(FAMILIES.values()) + ["other"]}},
}

STYLE = """
:root{--error:#c62828;--warning:#ef6c00;--info:#1565c0;--bg:#fafafa}
*{box-sizing:border-box}body{margin:0;font:15px/1.7 "Noto Sans CJK SC","Microsoft YaHei",sans-serif;
color:#222;background:var(--bg)}header{padding:12px 20px;background:#263238;color:#fff}
header h1{font-size:18px;margin:0 0 6px}header .counts span{margin-right:14px}
.layout{display:flex;align-items:flex-start}main{flex:1;min-width:0;padding:16px 28px}
aside{width:360px;position:sticky;top:0;max-height:100vh;overflow:auto;border-left:1px solid #ddd;
background:#fff;padding:12px}aside h2{font-size:15px;margin:4px 0}aside ul{list-style:none;padding:0;margin:0}
aside li{padding:6px 8px;border-left:4px solid #ccc;margin:4px 0;cursor:pointer;font-size:13px;background:#f7f7f7}
aside li.active{background:#fff3c4}aside li.hidden{display:none}aside li .code{font-weight:bold}
li.sev-error{border-color:var(--error)}li.sev-warning{border-color:var(--warning)}li.sev-info{border-color:var(--info)}
.filters label{display:inline-block;margin:0 8px 4px 0;font-size:13px}
section.doc{background:#fff;padding:16px 24px;margin-bottom:24px;box-shadow:0 1px 3px #0002}
section.doc>h2.path{font-size:14px;color:#555;font-family:monospace}
table.doc-table{border-collapse:collapse;margin:8px 0;font-size:13px}
table.doc-table td{border:1px solid #ccc;padding:2px 6px;vertical-align:top}
mark.hl{background:none;border-bottom:3px solid;cursor:pointer;padding:0 1px}
mark.sev-error{border-color:var(--error);background:#ffebee}mark.sev-warning{border-color:var(--warning);background:#fff3e0}
mark.sev-info{border-color:var(--info);background:#e3f2fd}
mark.rel{background:#ede7f6;border-bottom:2px dashed #5e35b1;cursor:pointer}
mark.active{outline:3px solid #fdd835}mark.counterpart{outline:3px solid #5e35b1;background:#d1c4e9}
mark.muted{background:none;border-color:transparent}
.detail{color:#555}svg text{font-size:11px;fill:#fff}
nav.index{background:#fff;padding:8px 28px;border-bottom:1px solid #ddd;font-size:13px}
nav.index table{border-collapse:collapse}nav.index td{padding:2px 10px 2px 0}nav.index td.n{text-align:right}
nav.index a{font-family:monospace}
.note{font-size:13px;margin:2px 0 8px 1.5em;padding:2px 8px;border-left:4px solid #ccc;background:#f7f7f7;
cursor:pointer}.note.sev-error{border-color:var(--error)}.note.sev-warning{border-color:var(--warning)}
.note.sev-info{border-color:var(--info)}.note.active{background:#fff3c4}.note.hidden{display:none}
tr.note-row td{border:none;padding:0}aside li.file{border:none;background:none;cursor:default;padding:0}aside h3{font-size:13px;font-family:monospace;margin:10px 0 2px;word-break:break-all}
@media (max-width:900px){.layout{flex-direction:column}aside{width:auto;position:static;max-height:none;
border-left:none;border-top:1px solid #ddd}main{padding:8px 10px}section.doc{padding:8px 10px;overflow-x:auto}}
@media print{.filters{display:none}header{background:none;color:#000}.layout{display:block}
aside{width:auto;position:static;max-height:none;overflow:visible;border:none;padding:0}
aside li,.note{break-inside:avoid}
mark.hl,.note,aside li{-webkit-print-color-adjust:exact;print-color-adjust:exact}section.doc{box-shadow:none}}
"""

SCRIPT = """
(function(){
function marks(attr,id){return Array.prototype.filter.call(document.querySelectorAll('mark['+attr+']'),
  function(m){return m.getAttribute(attr).split(' ').indexOf(id)>=0;});}
function select(id,fromList){
  document.querySelectorAll('.active,.counterpart').forEach(function(e){e.classList.remove('active','counterpart');});
  var own=marks('data-f',id),other=marks('data-r',id);
  own.forEach(function(m){m.classList.add('active');});
  other.forEach(function(m){m.classList.add('counterpart');});
  var item=document.getElementById('item-'+id);if(item){item.classList.add('active');
    if(!fromList){item.scrollIntoView({block:'nearest'});}}
  var note=document.getElementById('note-'+id);if(note){note.classList.add('active');}
  var target=fromList?(own[0]||other[0]):(other[0]||own[0]);
  if(target){target.scrollIntoView({block:'center'});}
}
document.querySelectorAll('mark[data-f],mark[data-r]').forEach(function(m){
  m.addEventListener('click',function(){var ids=(m.getAttribute('data-f')||m.getAttribute('data-r')).split(' ');
    select(ids[0],false);});});
document.querySelectorAll('aside li[data-f],.note[data-f]').forEach(function(li){
  li.addEventListener('click',function(e){if(e.target.tagName!=='A'){select(li.getAttribute('data-f'),true);}});});
function filter(){
  var off={};document.querySelectorAll('.filters input').forEach(function(c){if(!c.checked){off[c.value]=1;}});
  document.querySelectorAll('aside li[data-f]').forEach(function(li){
    var hide=off[li.getAttribute('data-severity')]||off[li.getAttribute('data-family')];
    li.classList.toggle('hidden',!!hide);
    var note=document.getElementById('note-'+li.getAttribute('data-f'));if(note){note.classList.toggle('hidden',!!hide);}
    marks('data-f',li.getAttribute('data-f')).forEach(function(m){m.classList.toggle('muted',!!hide);});});
}
document.querySelectorAll('.filters input').forEach(function(c){c.addEventListener('change',filter);});
})();
"""


class _Marks:
    """Every highlighted range of one file: findings and the places they point to."""

    def __init__(self, result: FileResult, first_id: int, elsewhere: list[tuple] = ()):
        """`elsewhere`: (span, id, severity) of places in this file that findings of another
        file of a --together set point to."""
        self.by_line: dict[int, list[tuple]] = {}
        self.ids = {}
        for number, finding in enumerate(result.findings):
            fid = f"f{first_id + number}"
            self.ids[id(finding)] = fid
            self._add(finding.span, "f", fid, finding.severity)
            for related in finding.related:
                if related.path is None:
                    self._add(related.span, "r", fid, finding.severity)
        for span, fid, severity in elsewhere:
            self._add(span, "r", fid, severity)

    def _add(self, span, kind, fid, severity):
        self.by_line.setdefault(span.line, []).append((span, kind, fid, severity))

    def within(self, content) -> list[tuple[int, int, str, str, str]]:
        found = []
        lines = {line for _, line, _ in content.anchors}
        for line in sorted(lines):
            for span, kind, fid, severity in self.by_line.get(line, ()):
                start = content.index_of(span.line, span.column)
                if start is None:
                    continue
                end = content.index_of(span.end_line, span.end_column - 1)
                found.append((start, (end + 1) if end is not None and end >= start else len(content.text),
                              kind, fid, severity))
        return found

    def placed(self, content) -> set[str]:
        return {fid for _, _, kind, fid, _ in self.within(content) if kind == "f"}


def _marked(content, marks: _Marks, placed: set[str]) -> str:
    """The escaped text of a block or cell with <mark>s over every range that covers it."""
    ranges = marks.within(content)
    text = content.text
    if not ranges:
        return escape(text)
    cuts = sorted({0, len(text), *(r[0] for r in ranges), *(r[1] for r in ranges)})
    out = []
    for start, end in zip(cuts, cuts[1:]):
        if start >= end:
            continue
        covering = [r for r in ranges if r[0] <= start and end <= r[1]]
        piece = escape(text[start:end])
        if not covering:
            out.append(piece)
            continue
        own = [r for r in covering if r[2] == "f"]
        related = [r for r in covering if r[2] == "r"]
        attributes = []
        if own:
            worst = min(own, key=lambda r: RANK[r[4]])[4]
            ids = " ".join(dict.fromkeys(r[3] for r in own))
            placed.update(r[3] for r in own)
            attributes.append(f'class="hl sev-{worst}" data-f="{ids}"')
        else:
            attributes.append('class="rel"')
        if related:
            attributes.append(f'data-r="{" ".join(dict.fromkeys(r[3] for r in related))}"')
        out.append(f"<mark {' '.join(attributes)}>{piece}</mark>")
    return "".join(out)


def _message(finding, words: dict, lang: str) -> str:
    """Code, severity, message and the expected and actual figures, as HTML."""
    detail = ""
    if finding.expected is not None or finding.actual is not None:
        detail = (f'<div class="detail">{words["expected"]} {escape(finding.expected or "—")}；'
                  f'{words["actual"]} {escape(finding.actual or "—")}</div>')
    return (f'<span class="code">{finding.rule}</span> {escape(words[finding.severity])} '
            f'{escape(finding.message(lang))}{detail}')


def _document(result: FileResult, marks: _Marks, placed: set[str], prefix: str, notes: dict[str, str]) -> str:
    """The document's blocks, each finding's message (`notes` by id) just below its highlight."""
    parts, rows = [], []

    def flush_rows():
        if rows:
            parts.append('<table class="doc-table">' + "".join(rows) + "</table>")
            rows.clear()

    def marked(content) -> tuple[str, list[str]]:
        before = set(placed)
        body = _marked(content, marks, placed)
        return body, [notes[fid] for fid in notes if fid in placed and fid not in before]

    for block in result.document.blocks:
        line = block.span.line
        anchor = f'id="{prefix}-L{line}" data-line="{line}"'
        if block.kind == "row":
            cells, below = [], []
            for cell in block.cells:
                body, new = marked(cell)
                cells.append(f"<td>{body}</td>")
                below += new
            rows.append(f'<tr {anchor}>{"".join(cells)}</tr>')
            rows += [f'<tr class="note-row"><td colspan="{len(cells)}">{note}</td></tr>' for note in below]
            continue
        flush_rows()
        body, below = marked(block.content)
        if block.kind == "heading":
            level = min(max(block.level, 1) + 1, 6)
            parts.append(f'<h{level} {anchor}>{body}</h{level}>')
        elif block.kind == "item":
            parts.append(f'<ul><li {anchor}>{body}</li></ul>')
        else:
            parts.append(f'<p {anchor}>{body}</p>')
        parts += below
    flush_rows()
    return "\n".join(parts)


def _index(results: list[FileResult], words: dict) -> str:
    """One line per file: a link to it and its counts by severity."""
    rows = []
    for number, result in enumerate(results, start=1):
        if result.error or result.document is None:
            counts = f'<td colspan="3">{escape(words["unreadable"])}</td>'
        else:
            tally = Counter(f.severity for f in result.findings)
            counts = "".join(f'<td class="n">{tally[s]} {escape(words[s])}</td>' for s in ("error", "warning", "info"))
        rows.append(f'<tr><td><a href="#d{number}">{escape(result.path)}</a></td>{counts}</tr>')
    return f'<nav class="index"><table>{"".join(rows)}</table></nav>'


def _chart(results: list[FileResult], words: dict) -> str:
    counts = Counter(FAMILIES.get(f.rule[2], "other") for r in results for f in r.findings)
    if not counts:
        return ""
    width, bar = 300, 16
    biggest = max(counts.values())
    rows = []
    for index, (family, count) in enumerate(counts.most_common()):
        length = max(24, int(width * count / biggest))
        label = escape(f"{words['families'].get(family, family)} {count}")
        rows.append(f'<rect x="0" y="{index * (bar + 4)}" width="{length}" height="{bar}" fill="#546e7a"/>'
                    f'<text x="4" y="{index * (bar + 4) + 12}">{label}</text>')
    height = len(rows) * (bar + 4)
    return f'<svg role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}">{"".join(rows)}</svg>'


def render(results: list[FileResult], lang: str, stream) -> None:
    words = WORDS[lang]
    counts = summary(results)
    documents, items, next_id = [], [], 0
    elsewhere: dict[str, list[tuple]] = {}  # path -> places findings of other files point to
    number = 0
    for result in results:
        for finding in result.findings:
            for related in finding.related:
                if related.path is not None:
                    elsewhere.setdefault(related.path, []).append((related.span, f"f{number}", finding.severity))
            number += 1
    for number, result in enumerate(results, start=1):
        prefix = f"d{number}"
        heading = f'<section class="doc" id="{prefix}"><h2 class="path">{escape(result.path)}</h2>'
        if result.error or result.document is None:
            message = result.error.message(lang) if result.error else words["unreadable"]
            documents.append(f"{heading}<p>{escape(message)}</p></section>")
            continue
        marks = _Marks(result, next_id, elsewhere.get(result.path, []))
        notes = {marks.ids[id(f)]: f'<div class="note sev-{f.severity}" id="note-{marks.ids[id(f)]}" '
                                   f'data-f="{marks.ids[id(f)]}">{_message(f, words, lang)}</div>'
                 for f in result.findings}
        placed: set[str] = set()
        documents.append(f"{heading}{_document(result, marks, placed, prefix, notes)}</section>")
        if result.findings:
            items.append(f'<li class="file"><h3><a href="#{prefix}">{escape(result.path)}</a></h3></li>')
        for finding in result.findings:
            fid = marks.ids[id(finding)]
            family = FAMILIES.get(finding.rule[2], "other")
            where = f" {finding.location}" if finding.location else ""
            where += "" if fid in placed else f' {words["unplaced"]}'
            items.append(
                f'<li id="item-{fid}" data-f="{fid}" data-severity="{finding.severity}" data-family="{family}" '
                f'data-line="{finding.span.line}" data-column="{finding.span.column}" class="sev-{finding.severity}">'
                f'<a href="#{prefix}-L{finding.span.line}">{finding.span.line}:{finding.span.column}</a>'
                f'{escape(where)}<br>{_message(finding, words, lang)}</li>')
        next_id += len(result.findings)
    families = sorted({FAMILIES.get(f.rule[2], "other") for r in results for f in r.findings})
    filters = "".join(f'<label><input type="checkbox" value="{s}" checked> {escape(words[s])}</label>'
                      for s in ("error", "warning", "info"))
    filters += "<br>" + "".join(f'<label><input type="checkbox" value="{f}" checked> '
                                f'{escape(words["families"].get(f, f))}</label>' for f in families)
    listing = "".join(items) or f"<li>{escape(words['none'])}</li>"
    body = (f'<header><h1>{escape(words["title"])}</h1><div class="counts">'
            f'<span>{counts["files"]} {escape(words["files"])}</span>'
            f'<span>{counts["errors"]} {escape(words["error"])}</span>'
            f'<span>{counts["warnings"]} {escape(words["warning"])}</span>'
            f'<span>{counts["info"]} {escape(words["info"])}</span></div>{_chart(results, words)}</header>'
            f'{_index(results, words)}'
            f'<div class="layout"><main>{"".join(documents)}</main>'
            f'<aside><h2>{escape(words["findings"])}</h2><div class="filters">{filters}</div>'
            f'<ul>{listing}</ul></aside></div>')
    nonce = hashlib.sha256(body.encode("utf-8")).hexdigest()[:24]
    policy = (f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
              f"script-src 'nonce-{nonce}'")
    stream.write(f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
                 f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
                 f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                 f'<title>{escape(words["title"])}</title><style>{STYLE}</style></head><body>{body}'
                 f'<script nonce="{nonce}">{SCRIPT}</script>'
                 f'<script type="application/json" id="summary">{json.dumps(counts)}</script></body></html>\n')
