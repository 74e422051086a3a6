"""BL4xx — compliance and completeness: tables, sections, contents, codes, numbering, assets."""
from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from budgetlint import classification
from budgetlint.concepts import normal
from budgetlint.contents import outline, same_title, table_of_contents
from budgetlint.facts import FACT_KINDS
from budgetlint.findings import Related
from budgetlint.numbering import SECTION_MARK as _SECTION
from budgetlint.numbering import NUMERALS, PART, mark
from budgetlint.package_data import package_text
from budgetlint.registry import Hit, Option, Words, rule
from budgetlint.tables import kind_of, squeeze

_NOTE = re.compile(r"^(?:注|说明)\s*\d?\s*[:：]\s*")
# the full-width full stop is the same mark as the ASCII one, set in a CJK font
_SEPARATORS = {"．": "."}
_LABEL = re.compile(r"^([^：:，。]{2,12}[：:])")


def _contents(doc):
    return doc.derive("contents", table_of_contents)


@lru_cache(maxsize=1)
def profiles() -> dict:
    text = package_text("data/profiles.toml")
    return tomllib.loads(text)


def profile_names() -> tuple[str, ...]:
    """What the `profile` option accepts: a kind of document (its baseline) or a template."""
    return (*profiles()["kinds"], *profiles()["templates"])


@dataclass(frozen=True)
class Profile:
    """What one document must publish, and why these requirements were chosen."""

    kind: str
    name: str
    tables: tuple[str, ...]
    sections: tuple[str, ...]
    reason: tuple[str, str]


_YEAR = re.compile(r"(20\d\d)\s*年")
_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
# a figure, or the statement that there is none (an empty 政府性基金 table is explained so)
_FIGURE = re.compile(r"\d[\d,，]*(?:\.\d+)?\s*(?:万元|亿元|元|%)|没有|未安排|为零|不涉及")
_AMOUNT = re.compile(r"\d[\d,，]*(?:\.\d+)?\s*(?:万元|亿元|元)")
_STATED = re.compile(r"\d\s*万元")
_CLAUSE_END = ("。", "；", "，", "：", ";", ",")
_RANKED = re.compile(rf"^(?:(第{NUMERALS}部分)|({NUMERALS}、)|([（(]{NUMERALS}[）)]))")
_STOP = re.compile(r"[：:。；]")


def _kind(title: str) -> str | None:
    """The kind whose word comes first in the title's first 60 characters (a PDF's title runs
    on into the 目录, which may name other kinds)."""
    title = title[:60]
    found = [(title.find(word), kind) for kind, data in profiles()["kinds"].items()
             for word in data["title_words"] if word in title]
    return min(found)[1] if found else None


def year_of(doc) -> int | None:
    """The year the title names (二〇二六年 too), in its first 40 characters."""
    title = squeeze(doc.title)[:40].translate(_DIGITS)
    match = _YEAR.search(title)
    return int(match.group(1)) if match else None


def _heading_like(block) -> tuple[str, int] | None:
    """The heading a block is, or starts with, and its rank: a heading, a numbered paragraph
    ("（一）收入预算：2026年…" is cut at its first stop), or a short line without a clause's
    end (PDFs print headings as paragraphs)."""
    text = squeeze(block.text)
    if block.kind == "heading":
        return text[:40], block.level
    if block.kind == "row":
        return None
    if match := _RANKED.match(text):
        rank = 1 if match.group(1) else 2 if match.group(2) else 3
        return _STOP.split(text, maxsplit=1)[0][:40], rank
    if block.kind in {"paragraph", "item"} and 2 < len(text) <= 30 and not text.endswith(_CLAUSE_END):
        return text, 2
    return None


def _is_table_title(text: str) -> bool:
    """"二、收入决算表……3" names a table, "关于收入总表的说明" an explanation."""
    text = re.sub(r"[.…·\d]+$", "", text)
    return "说明" not in text and (text.endswith("表") or re.search(r"表[\d（(]|表单位|表编制", text) is not None)


@dataclass(frozen=True)
class Headings:
    headings: tuple[str, ...]  # the headings of explanations, 目录 included (not tables, not 名词解释)
    above: dict  # block index -> the headings above it (the last three, and itself); None in 名词解释


def _headings(doc) -> "Headings":
    headings: list[str] = []
    above: dict[int, str | None] = {}
    window: list[str] = []
    glossary = None  # the rank of the 名词解释 heading while inside it: its entries look like headings
    for index, block in enumerate(doc.blocks):
        found = _heading_like(block)
        if found:
            text, rank = found
            if glossary is not None and rank <= glossary:
                glossary = None
            if "名词解释" in text:
                glossary = rank
            elif glossary is None and not _is_table_title(text):
                headings.append(text)
            window = (window + [text])[-3:]
        above[index] = None if glossary is not None else "\n".join(window)
    return Headings(tuple(headings), above)


def headings(doc) -> Headings:
    return doc.derive("headings", _headings)


def _shape(doc, kind: str) -> str:
    """narrative-only: it names fewer than half the baseline's tables (a narrative names one or
    two in passing); tables-only: no sentence states an amount."""
    baseline = profiles()["baseline"][kind]["tables"]
    if len(_named_kinds(doc) & set(baseline)) * 2 < len(baseline):
        return "narrative-only"
    if not any(_AMOUNT.search(s.text) for s in doc.sentences):
        return "tables-only"
    return "mixed"


def _matches(template: dict, kind: str, doc) -> list[str] | None:
    """The reasons a template fits the document, or None when one of its conditions fails."""
    reasons = []
    title = squeeze(doc.title)
    if "kinds" in template and kind not in template["kinds"]:
        return None
    if "shape" in template:
        if _shape(doc, kind) != template["shape"]:
            return None
        reasons.append({"tables-only": "只有表格", "narrative-only": "几乎没有表格"}[template["shape"]])
    if "title" in template:
        words = [w for w in template["title"] if w in title]
        if not words:
            return None
        reasons.append(f"标题含“{words[0]}”")
    if "headings" in template:
        words = [w for w in template["headings"] if any(w in h for h in headings(doc).headings)]
        if not words:
            return None
        reasons.append(f"有“{words[0]}”一节")
    return reasons


def _choose(doc) -> Profile | None:
    data = profiles()
    chosen = doc.config.option("profile") if doc.config else ""
    kind = chosen if chosen in data["kinds"] else _kind(squeeze(doc.title))
    if chosen in data["templates"]:
        kind = kind or next(iter(data["templates"][chosen].get("kinds", data["kinds"])))
    if kind is None:
        return None
    year = year_of(doc)
    for name, template in data["templates"].items():
        reasons = ["配置指定"] if name == chosen else None if chosen else _matches(template, kind, doc)
        if reasons is not None:
            break
    else:
        name, template, reasons = kind, data["baseline"][kind], []
    sections = tuple(s for s in template["sections"]
                     if year is None and s not in template.get("since", {})
                     or year is not None and year >= template.get("since", {}).get(s, 0))
    why = "，".join(reasons) if reasons else "未识别出地方模板，只按全国要求"
    why_en = "template" if reasons else "no regional template recognised: the national baseline only"
    profile = Profile(kind, name, tuple(template["tables"]), sections,
                      (f"{kind}，选用“{name}”：{why}", f"{kind}, profile '{name}': {why_en}"))
    doc.notes.append(profile.reason)
    return profile


def profile_of(doc) -> Profile | None:
    """The document's kind (单位预算 / 部门预算 / 部门决算) and the profile that fits it: from the
    configuration, else from the title, its headings and its tables."""
    return doc.derive("profile", _choose)


def _money_kinds(doc) -> set[str]:
    return {table.kind for table in doc.tables if table.kind in FACT_KINDS}


def _named_kinds(doc) -> set[str]:
    """The kinds of table the document names: its tables, its 目录, and lines that are a table's
    title (a title the table reader did not attach to its rows still names the table)."""
    named = _money_kinds(doc) | {entry.kind for entry in _contents(doc)[0] if entry.is_table}
    for block in doc.blocks:
        text = squeeze(block.text)
        if block.kind != "row" and len(text) <= 50 and "表" in text:
            named.add(kind_of(text))
    return named


# the profile BL401 and BL404 share (declared on each, once here)
PROFILE = Option("profile", "", "a kind of document (单位预算, 部门预算, 部门决算: the national baseline) or a "
                 "template of rules/data/profiles.toml (\"\" = chosen from the document)",
                 type="choice", check=lambda value: value in profile_names(),
                 accepts=("、".join(profile_names()) + " 之一", "one of " + ", ".join(profile_names())))


def _explanations_span(doc):
    """Where a missing explanation belongs: the heading of the part that explains the tables
    (…情况说明, 预算编制说明), else the document's title."""
    explaining = [b for b in doc.blocks if b.kind == "heading" and "说明" in b.text]
    # the part's heading in the body, printed after its entry in the 目录
    parts = [b for b in explaining if PART.match(b.text)]
    heading = parts[-1] if parts else explaining[0] if explaining else None
    return heading.span if heading else _title_span(doc)


def _title_span(doc):
    first = next((b for b in doc.blocks), None)
    return first.span if first else None


@rule("BL401", "required-table-missing", severity="error", messages={
    "default": ("{profile}应公开{table}，文件中没有这张表（目录中也未列出）",
                "a {profile} must publish the {table}; the document has none (nor does its contents list it)"),
}, options=(PROFILE,))
def required_tables(doc):
    """缺少必须公开的表 — a table the document's profile requires is not named anywhere in it.

    Profiles are data in `rules/data/profiles.toml`: a national baseline per kind of document
    (部门预算, 单位预算, 部门决算: the eight tables of 财预〔2016〕143号) and regional templates
    chosen by the title, the headings and the tables (`budgetlint check --verbose` says which).
    A table counts as present when the body, the 目录 or a title line names it ("2025年部门财务
    收支预算总表" is a 收支总表); one the 目录 lists but the body lacks is BL402's.

    Why: 《地方预决算公开操作规程》 fixes what must be published; a missing table is a breach.

    Fails:
        某单位2024年单位预算公开

        一、收支总表
        二、收入总表
        三、支出总表
        四、财政拨款收支总表
        五、一般公共预算支出表
        六、一般公共预算基本支出表
        七、政府性基金预算支出表
    Passes:
        某单位2024年单位预算公开

        一、收支总表
        二、收入总表
        三、支出总表
        四、财政拨款收支总表
        五、一般公共预算支出表
        六、一般公共预算基本支出表
        七、政府性基金预算支出表
        八、“三公”经费支出表
    """
    profile = profile_of(doc)
    span = _title_span(doc)
    if profile is None or span is None:
        return
    named = _named_kinds(doc)
    labels = profiles()["tables"]
    for kind in profile.tables:
        if kind not in named:
            yield Hit(span, {"profile": profile.kind, "table": labels.get(kind, kind)})


@rule("BL402", "contents-mismatch", severity="error", messages={
    "default": ("目录列出“{text}”，正文中没有对应的{what}",
                "the contents list '{text}', but the body has no such {what}"),
    "reverse": ("正文有“{text}”，目录中没有列出",
                "the body has '{text}', which the contents do not list"),
    "kind": ("目录中的“{text}”与正文{number}“{title}”不是同一张表",
             "the contents entry '{text}' and the body's {number} '{title}' are different tables"),
    "order": ("目录与正文的表格次序不同：目录中的“{text}”，正文{number}为“{title}”（共 {count} 张表次序不同）",
              "the contents order the tables otherwise than the body: the entry '{text}', the body's "
              "{number} '{title}' ({count} tables out of order)"),
})
def contents_mismatch(doc):
    """目录与正文不一致 — a table or section the 目录 lists that the body lacks, or the reverse.

    An entry is found by its title without the year, the unit's name and 部门/单位/年度 (either
    title may hold the other: the body's may add "（详见表1）"), a table also by its kind or its
    number (目录 “七、…表” ↔ 表7), a section also by its place (第三部分 › 二、 › （四）). A group
    entry ("五、部门预算表") covers all tables; the body's headings under a title the contents
    list are its sub-headings; a file of tables only is not asked for the sections, nor a file
    without tables for the tables. Tables the contents order otherwise than the body are one
    finding.

    Why: a table promised in the contents and missing from the body is usually a table that
    was left out when the document was assembled.

    Fails:
        # 目录
        ## 第二部分 公开表
        - 一、单位收支总体情况表
        - 二、单位收入总体情况表
        # 第二部分 公开表
        表 1
        ## 单位收支总体情况表
        项目	预算数
        收入总计	1.00
    Passes:
        # 目录
        ## 第二部分 公开表
        - 一、单位收支总体情况表
        # 第二部分 公开表
        表 1
        ## 单位收支总体情况表
        项目	预算数
        收入总计	1.00
    """
    shape = doc.derive("outline", outline)
    if not shape.entries:
        return
    tables = [t for t in doc.tables if t.kind != "other" or t.number]
    if shape.form != "narrative" and tables:  # a file without tables publishes them elsewhere
        yield from _table_entries(shape, tables)
    if shape.form != "tables":  # an attachment of tables: its contents' sections are elsewhere
        yield from _section_entries(shape)


def _table_entries(shape, tables):
    """The contents' tables against the body's, by title, kind and number, and the reverse."""
    numbered = {int(t.number[1:]): t for t in tables if t.number}
    entries = [e for e in shape.entries if e.is_table]
    moved = []  # entries whose table the body prints under another number: one cause
    for entry in entries:
        if entry.is_group:
            continue
        table = numbered.get(entry.number)
        if _other_table(entry, table, entries, tables):
            moved.append((entry, table))
        elif (table is not None and table.kind not in ("other", entry.kind) and entry.kind != "other"
              and not shape.has_title(entry) and not any(t.kind == entry.kind for t in tables)):
            yield Hit(entry.span, {"text": entry.text, "number": table.number, "title": table.title},
                      variant="kind", related=(Related(table.title_span or entry.span, table.title),))
        elif not (shape.has_title(entry) or entry.kind == "other" or table is not None
                  or any(t.kind == entry.kind for t in tables)):
            yield Hit(entry.span, {"text": entry.text, "what": Words("表格", "table")})
    if moved:
        (entry, table), others = moved[0], moved[1:]
        yield Hit(entry.span, {"text": entry.text, "number": table.number, "title": table.title,
                               "count": len(moved)}, variant="order",
                  related=(Related(table.title_span or entry.span, table.title),
                           *(Related(e.span, e.text) for e, _ in others)))
    if entries and not any(e.is_group for e in entries):
        yield from _unlisted_tables(shape, entries, numbered)


def _section_entries(shape):
    """The contents' sections against the body's headings, and the body's unlisted sections
    (of a rank the contents list in that part, not under a title the contents list)."""
    sections = [e for e in shape.entries if not e.is_table]
    places = {s.place for s in shape.sections}
    for entry in sections:
        if not shape.has_title(entry) and entry.place not in places:
            yield Hit(entry.span, {"text": entry.text, "what": Words("章节", "section")})
    listed = {(e.part, e.rank) for e in sections}
    for section in shape.sections:
        if (section.part, section.rank) in listed and section.rank == 2 and section.heading \
                and not section.nested and not any(
                (e.part, e.number) == (section.part, section.number) or same_title(e.key, section.key)
                for e in shape.entries):
            yield Hit(section.span, {"text": section.text}, variant="reverse")


def _other_table(entry, table, entries, tables) -> bool:
    """Whether the body's table of the entry's number is another table, and the entry's own
    table stands under another number (the contents and the body order them differently).
    Only kinds that one entry and one table each have are compared."""
    if table is None or "other" in (entry.kind, table.kind) or entry.kind == table.kind:
        return False
    own = [t for t in tables if t.kind == entry.kind]
    return (len(own) == 1 and own[0].number is not None
            and sum(e.kind == entry.kind for e in entries) == 1
            and sum(t.kind == table.kind for t in tables) == 1)


def _unlisted_tables(shape, entries, numbered):
    """Tables of the body the contents do not list, by number, kind or title."""
    for number, table in sorted(numbered.items()):
        key = shape.key(table.title)
        if table.kind == "other" or any(
                e.number == number or e.kind == table.kind or same_title(e.key, key) for e in entries):
            continue
        yield Hit(table.title_span or entries[0].span, {"text": f"{table.number} {table.title}"},
                  variant="reverse")


@rule("BL403", "empty-table-without-note", severity="warning", messages={
    "default": ("{table}为空表，但没有说明为何为空",
                "{table} is empty but does not say why"),
})
def empty_table_note(doc):
    """空表未说明原因 — an empty table without the note that says why it is empty.

    Why: the rules require an empty 政府性基金 or 国有资本经营 table to say why it is empty
    ("本单位没有使用政府性基金预算安排的支出"); a bare empty table looks like a mistake.

    Fails:
        ## 政府性基金预算支出情况表
        科目	合计
        ※	1
    Passes:
        ## 政府性基金预算支出情况表
        科目	合计
        ※	1

        备注：没有使用政府性基金预算安排的支出，政府性基金预算支出情况表为空表。
    """
    for table in doc.tables:
        if table.kind in FACT_KINDS and table.empty and not table.note and not _absence_stated(doc, table):
            yield Hit(table.title_span or doc.blocks[0].span, {"table": table.name})


# what an empty table of each kind is about, as a sentence that says there is none names it
_EMPTY_SUBJECTS = {"gov_fund": "政府性基金", "soe_capital": "国有资本经营", "three_public": "三公",
                   "carryover": "结转", "project_expenditure": "项目"}


def _absence_stated(doc, table) -> bool:
    """"2025 年本单位无政府性基金安排的支出": the document says anywhere (a later paragraph, a list
    of its tables) that there is nothing of the kind the empty table holds."""
    word = _EMPTY_SUBJECTS.get(table.kind) or \
        next((w for w in _EMPTY_SUBJECTS.values() if w in squeeze(table.title)), None)
    if word is None:
        return False
    pattern = re.compile(rf"(?:无|没有|未安排|不涉及)[^。；]{{0,20}}{word}|{word}[^。；]{{0,20}}(?:为空|无数据|为零|为0)")
    return any(pattern.search(squeeze(block.text)) for block in doc.blocks)


@rule("BL404", "required-section-missing", severity="warning", messages={
    "default": ("缺少“{section}”的说明", "the explanation of '{section}' is missing"),
    "three_public": ("“三公”经费有增减，但没有说明增减原因", "the \"three public\" costs changed with no reason given"),
}, options=(PROFILE,))
def required_sections(doc):
    """缺少必要的情况说明 — an explanation the document's profile requires (收入, 支出, "三公" …) is absent.

    The profile (see BL401) lists the sections; `rules/data/profiles.toml` says how each is
    found: a heading, in the body or the 目录, that names it, or a sentence that states its
    figures (or that there are none) under a heading that covers it (Shanghai states 收入 and
    支出 in one “预算编制说明”). A document whose headings cannot be read is not judged. The "三公"
    explanation must also give reasons when the "三公" costs changed.

    Why: the disclosure rules require each of these explanations, nil ones included.

    Fails:
        2024年部门预算公开

        ## 部门收支总体情况表
        项目	预算数
        收入总计	534.68
        ## 部门收入总体情况表
        ## 部门支出总体情况表
        ## 财政拨款收支总体情况表

        # 第三部分 情况说明

        ## 一、收支预算情况的总体说明

        收支总预算 534.68 万元。
    Passes:
        2024年部门预算公开

        ## 部门收支总体情况表
        项目	预算数
        收入总计	534.68
        ## 部门收入总体情况表
        ## 部门支出总体情况表
        ## 财政拨款收支总体情况表

        # 第三部分 情况说明

        ## 一、收支预算情况的总体说明
        ## 二、收入预算情况说明
        ## 三、支出预算情况说明
        ## 四、财政拨款收支预算情况说明
        ## 五、一般公共预算当年拨款情况说明
        ## 六、一般公共预算基本支出情况说明
        ## 七、“三公”经费预算情况说明
        ## 八、政府性基金预算情况说明

        本部门没有政府性基金预算安排的支出。
    """
    profile = profile_of(doc)
    if profile is None or not any(b.kind == "heading" or _SECTION.match(b.text) for b in doc.blocks) \
            or _figures_lost(doc):
        return
    for section in profile.sections:
        if not section_present(doc, section):
            yield Hit(_explanations_span(doc), {"section": section})
    changes = [c for c in doc.claims if c.concept and c.concept.startswith(("agg:三公", "agg:因公", "agg:公务"))
               and c.change is not None and c.change.value != 0]
    # the reason may come in the items below the total ("1.因公出国（境）费用：…减少的主要原因是…")
    above = {headings(doc).above.get(c.sentence.block.index) for c in changes}
    passages = doc.derive("passages", _passages)
    if changes and not any(c.reason for c in doc.claims if headings(doc).above.get(c.sentence.block.index) in above) \
            and not any("原因" in passages.get(window, "") for window in above):
        yield Hit(changes[0].span, {}, variant="three_public")


def _figures_lost(doc) -> bool:
    """Whether the text layer lost its digits ("收入预算万元"): then no sentence can be seen to
    state a figure, and no section can be judged missing."""
    units = sum(s.text.count("万元") for s in doc.sentences)
    stated = sum(len(_STATED.findall(s.text)) for s in doc.sentences)
    return units >= 3 and stated * 2 < units


def _passages(doc) -> dict[str, str]:
    """The explanations' text, squeezed and joined per heading window (a PDF breaks a sentence
    over lines and pages: "一般公" / "共预算拨款 68632.12 万元"); 名词解释 left out."""
    known = headings(doc)
    passages: dict[str, list[str]] = {}
    for sentence in doc.sentences:
        above = known.above.get(sentence.block.index)
        if above is not None:
            passages.setdefault(above, []).append(squeeze(sentence.text))
    return {above: "".join(texts) for above, texts in passages.items()}


@lru_cache(maxsize=64)
def _stating(word: str) -> re.Pattern:
    """The word with a figure after it, or with the statement that there is none."""
    return re.compile(f"{re.escape(word)}.{{0,60}}?(?:{_FIGURE.pattern})|(?:没有|未安排|无).{{0,20}}{re.escape(word)}")


def section_present(doc, section: str) -> bool:
    """Whether a heading names the section, or its figures are stated under a heading that
    covers it."""
    words = profiles()["sections"][section]
    known = headings(doc)
    if any(word in heading for heading in known.headings for word in words["headings"]):
        return True
    covering = (*words["headings"], *words["covered_by"])
    return any(any(word in above for word in covering) and any(_stating(word).search(text) for word in words["figures"])
               for above, text in doc.derive("passages", _passages).items())


def _coded_items(doc):
    """(table, item, system) for the classification codes of the money tables; a table whose
    code column also holds codes of no classification's length (201001, 99) numbers units or
    lost digits, and none of its codes is taken for a classification code."""
    for table in doc.tables:
        if table.kind not in FACT_KINDS:
            continue
        items = [item for item in table.items() if item.code]
        if all(classification.system_of(item.code) for item in items):
            yield from ((table, item, classification.system_of(item.code)) for item in items)


@rule("BL405", "code-name-mismatch", severity="warning", messages={
    "default": ("科目 {code} 在{table}中名为“{name}”，{year}官方名称为“{official}”",
                "code {code} is named '{name}' in {table}; the official name{year} is '{official}'"),
    "elsewhere": ("科目 {code} 在{table}中名为“{name}”，而“{name}”是科目 {other} 的名称",
                  "code {code} is named '{name}' in {table}, but '{name}' is the name of {other}"),
    "twice": ("科目 {code} 在{table}中名为“{name}”，在{other_table}中名为“{other_name}”",
              "code {code} is '{name}' in {table} but '{other_name}' in {other_table}"),
    "many": ("{table}中有 {count} 个科目的编码与名称不符（如科目 {code} 名为“{name}”），编码与名称可能错行",
             "{count} codes of {table} carry names that are not theirs (code {code} is named '{name}'): "
             "codes and names may be out of line"),
    "misprint": ("{table}“{name}”行的类编码印作“{printed}”，该行在“{parent_name}”（{parent}）之下，编码应为 {code}",
                 "{table}: the class of line '{name}' is printed '{printed}'; it stands under "
                 "'{parent_name}' ({parent}), so its code is {code}"),
})
def code_name(doc):
    """科目编码与名称不符 — a classification code printed with a name that is not its own.

    Checked against the official lists in `rules/data/`, by edition: a document is held to the
    names of its year's epoch (the 2018 reform of the economic classification splits them; see
    classification-README.md and editions/). A name is wrong only when that epoch's name for the
    code is known and differs (a name cut short by its column is not), or when one code has two
    names in one document. A code the lists do not know is no finding (`--verbose` counts them);
    an empty name cell is a reading problem, not a naming one. Each wrong name is reported once,
    at its first cell, with its other cells as related. A 类 cell that is no class ("7 | 11 | 02"
    under 210 11) was read as the class of the lines around it: the misprint is reported once,
    with the other tables that repeat it as related.

    Why: a code with a wrong name makes a reader, or a consolidating system, book the money
    to the wrong line.

    Fails:
        2024年部门预算

        ## 一般公共预算支出情况表
        类	款	项	科目名称	合计
        201			一般公共预算支出	393.25
    Passes:
        2024年部门预算

        ## 一般公共预算支出情况表
        类	款	项	科目名称	合计
        201			一般公共服务支出	393.25
    """
    year = year_of(doc)
    seen: dict[tuple, list] = {}
    for table, item, system in _coded_items(doc):
        if normal(item.name):
            seen.setdefault((system, item.code, normal(item.name)), []).append((table, item))
    names_by_code: dict[tuple, list] = {}
    for (system, code, _), places in seen.items():
        names_by_code.setdefault((system, code), []).append(places)
    unknown = set()
    wrong: dict[str, list[Hit]] = {}  # by table: many in one table are one cause
    for (system, code, _), places in seen.items():
        table, item = places[0]
        related = tuple(Related(i.label.span, t.name) for t, i in places[1:])
        values = {"code": code, "name": item.name, "table": table.name}
        names = classification.official(system, code, year)
        if names and not classification.accepts(system, code, item.name, year):
            owners = classification.owners(system, item.name, year) - {code}
            if len(owners) == 1:
                hit = Hit(item.span, {**values, "other": owners.pop()}, variant="elsewhere", related=related)
            else:
                hit = Hit(item.span, {**values, "official": "”或“".join(names),
                                      "year": Words(f"{year}年", f" in {year}") if year else ""},
                          related=related, expected=names[0], actual=item.name)
            wrong.setdefault(table.name, []).append(hit)
            continue
        if not names and not classification.accepts(system, code, item.name, year):
            unknown.add(code)
        others = [p for p in names_by_code[(system, code)] if p is not places
                  and not classification.same_name(p[0][1].name, item.name)]
        if not names and others and places is names_by_code[(system, code)][-1]:
            other_table, other_item = others[0][0]
            yield Hit(item.span, {**values, "other_table": other_table.name, "other_name": other_item.name},
                      variant="twice", related=(Related(other_item.span, other_table.name),) + related)
    yield from _misprints(doc)
    for table_name, hits in wrong.items():
        if len(hits) < MISALIGNED:
            yield from hits
            continue
        first = min(hits, key=lambda h: (h.span.line, h.span.column))
        yield Hit(first.span, {"table": table_name, "count": len(hits), "code": first.values["code"],
                               "name": first.values["name"]}, variant="many",
                  related=tuple(Related(h.span, h.values["code"]) for h in hits if h is not first))
    if unknown:
        listed = "、".join(sorted(unknown)[:10]) + ("…" if len(unknown) > 10 else "")
        doc.notes.append((f"BL405：{len(unknown)} 个科目编码不在参考科目表中，未核对名称：{listed}",
                          f"BL405: codes not in the reference lists, their names unchecked ({len(unknown)}): {listed}"))


MISALIGNED = 3  # so many wrong names in one table: its codes and names are out of line, one cause


def _misprints(doc):
    """Each misprinted 类 cell once, at its first place (tables restating the lines repeat it)."""
    places: dict[tuple, list] = {}
    for table in doc.tables:
        for item in table.items():
            if item.misprint is not None and item.parent is not None:
                places.setdefault((item.misprint.text.strip(), item.code), []).append((table, item))
    for (printed, code), found in places.items():
        table, item = found[0]
        yield Hit(item.misprint.span, {"table": table.name, "name": item.name, "printed": printed,
                                       "parent": item.parent.code, "parent_name": item.parent.name, "code": code},
                  variant="misprint", expected=code[:3], actual=printed,
                  related=tuple(Related(i.misprint.span, t.name) for t, i in found[1:]))


def _present_classes(doc) -> set[str]:
    return {fact.concept[3:6] for fact in doc.facts if fact.origin == "table"
            and fact.concept.startswith("fn:") and not fact.value.is_zero}


FUNCTION_CLASSES = ("201", "234")  # the range of 支出功能分类 类 codes (2024 edition)


def _class_names(doc) -> dict[str, str]:
    names = classification.class_names()
    for table, item, system in _coded_items(doc):
        # a unit's own number (242 西安市人力资源和社会保障局) is no class: classes are 201…234
        if system == "fn" and len(item.code) == 3 and FUNCTION_CLASSES[0] <= item.code <= FUNCTION_CLASSES[1]:
            names.setdefault(normal(item.name), item.code)
    return {name: code for name, code in names.items() if len(name) >= 4}


def _texts(doc) -> list[tuple[str, object]]:
    """Sentences of the body, and the text cells of tables that are not money tables: (text,
    the object that places it, Sentence or Cell)."""
    _, body_start = _contents(doc)
    glossary: dict[int, bool] = {}  # sections under 名词解释, by identity (sentences share them)
    texts = []
    for sentence in doc.sentences:
        section = sentence.section
        if (skip := glossary.get(id(section))) is None:
            skip = glossary[id(section)] = any("名词解释" in text for _, text in section)
        if not skip and sentence.block.index >= body_start:
            texts.append((sentence.text, sentence))
    for table in doc.tables:
        if table.kind not in FACT_KINDS:
            texts.extend((cell.text, cell) for row in table.header + table.rows for cell in row
                         if len(cell.text) > 4 and cell.number is None)
    return texts


@lru_cache(maxsize=16)
def _class_pattern(names: tuple[str, ...]) -> re.Pattern:
    """The class names (one followed by 情况表/预算/表 names a table or a budget, not spending)."""
    return re.compile("(" + "|".join(map(re.escape, names)) + ")(?!情况|表|预算|拨款)")


@rule("BL406", "class-not-in-tables", severity="warning", messages={
    "default": ("文中提到“{name}”（{code}），但各表中没有这一类支出",
                "the text names '{name}' ({code}), but no table has any spending of that class"),
})
def class_not_in_tables(doc):
    """文字提到表中没有的支出功能分类 — e.g. a performance target funded by 城乡社区支出 when no
    table has class 212.

    Why: the text describes money the tables do not show; one of them is wrong, or the text
    was copied from another unit's document.

    Fails:
        ## 单位支出总体情况表
        类	款	项	科目名称	合计
        201			一般公共服务支出	393.25

        以一般公共服务支出、城乡社区支出开展各项工作。
    Passes:
        ## 单位支出总体情况表
        类	款	项	科目名称	合计
        201			一般公共服务支出	393.25

        以一般公共服务支出开展各项工作。
    """
    present = _present_classes(doc)
    if not present:
        return
    names = _class_names(doc)
    pattern = _class_pattern(tuple(sorted(names, key=len, reverse=True)))
    texts = _texts(doc)
    # one search over all the texts, a line each (no name spans a line break)
    starts = list(accumulate((len(text) + 1 for text, _ in texts), initial=0))
    for match in pattern.finditer("\n".join(text for text, _ in texts)):
        code = names[match.group(1)]
        if code not in present:
            index = bisect_right(starts, match.start()) - 1
            start = match.start() - starts[index]
            yield Hit(texts[index][1].content.span(start, start + len(match.group(1))),
                      {"name": match.group(1), "code": code})


@rule("BL407", "list-numbering", severity="info", messages={
    "default": ("编号不连续：{previous} 之后是 {number}", "numbering jumps from {previous} to {number}"),
    "separator": ("编号分隔符不一致：此处用“{used}”，其余用“{usual}”",
                  "mixed numbering: '{used}' here, '{usual}' elsewhere"),
    "missing": ("“{label}”这一项缺少编号（应为 {number}）", "this '{label}' item has no number (expected {number})"),
})
def list_numbering(doc):
    """编号缺失或不一致 — a numbered list with a missing number, a gap, or mixed separators.

    Why: a missing number often marks an item pasted in later, and readers cite items by number.

    Fails:
        1.项目名称：甲

        2、项目名称：乙

        项目名称：丙
    Passes:
        1.项目名称：甲

        2.项目名称：乙

        3.项目名称：丙
    """
    lists: list[list] = []
    current: list = []
    labels: set[str] = set()  # the labels (项目名称：) of the current list's items
    for block in doc.blocks:
        if block.kind == "heading" and block.level <= 3:  # a list does not run across sections
            current, labels = [], set()
            continue
        if block.kind == "row":
            continue
        found = mark(block.text)
        note = _NOTE.match(block.text)
        if note:  # "注：1.…" starts a list of its own
            found = mark(block.text[note.end():])
        if found and found.rank == 4:
            if found.number == 1 or not current or note:
                current, labels = [], set()
                lists.append(current)
            current.append((block, found.number, _SEPARATORS.get(found.separator, found.separator), found.rest))
            if label := _LABEL.match(found.rest):
                labels.add(label.group(1))
        elif current and (label := _LABEL.match(block.text)) and label.group(1) in labels:
            current.append((block, None, "", block.text))
    for items in lists:
        numbered = [item for item in items if item[1] is not None]
        if len(numbered) < 2:
            continue
        separators = [item[2] for item in numbered]
        usual = max(separators, key=separators.count)  # on a tie, the one the list starts with
        previous = numbered[0][1] - 1  # a list may go on from one under the heading before
        for block, number, separator, text in items:
            if number is None:
                yield Hit(block.span, {"label": _LABEL.match(text).group(1).rstrip("：:"), "number": previous + 1},
                          variant="missing")
                previous += 1
                continue
            if number != previous + 1:
                yield Hit(block.span, {"previous": previous, "number": number})
            if separator != usual:
                yield Hit(block.span, {"used": separator, "usual": usual}, variant="separator")
            previous = number


@rule("BL408", "vehicles-without-running-cost", severity="warning", messages={
    "default": ("占用{vehicle} {count} 辆{value}，但未安排公务用车运行费",
                "{count} {vehicle} are held{value}, but no vehicle running cost is budgeted"),
    "purchase": ("安排购置车辆 {count} 辆，但公务用车购置费为零",
                 "{count} vehicles are to be bought, but the vehicle purchase budget is zero"),
})
def vehicles(doc):
    """有车无运行费、购车无购置费 — vehicles held with no 公务用车运行费, or bought with no 购置费.

    Why: official vehicles cost fuel, insurance and repairs every year; a budget without
    running costs understates the "三公" costs (or the vehicles were disposed of and the assets
    section is out of date).

    Fails:
        车辆 3 辆，价值 90.00 万元；其中：一般公务用车 3 辆，价值 90.00 万元。

        公务用车运行费 0.00 万元。
    Passes:
        车辆 3 辆，价值 90.00 万元；其中：一般公务用车 3 辆，价值 90.00 万元。

        公务用车运行费 2.50 万元。
    """
    def unbudgeted(concept):
        """Said to be zero somewhere (a 0.00 cell or "0 万元"), and nowhere more: a cost the
        reading did not find is no evidence that it is nil."""
        found = doc.facts.find(concept)
        return bool(found) and all(f.value.is_zero for f in found)


    held = [c for c in doc.claims if c.concept == "asset:一般公务用车" and c.count and c.count.value > 0] or \
        [c for c in doc.claims if c.concept == "asset:车辆" and c.count and c.count.value > 0]
    if held and unbudgeted("agg:公务用车运行费"):
        claim = held[0]
        related = tuple(Related(f.source, f.where or f.label) for f in doc.facts.find("agg:公务用车运行费"))
        value = f"（价值 {claim.amount}{claim.unit}）" if claim.amount else ""
        yield Hit(claim.span, {"vehicle": claim.label, "count": claim.count, "value": value}, related=related)
    for claim in doc.claims:
        if claim.count and claim.count.value > 0 and "购置" in claim.subject and "车" in claim.subject \
                and unbudgeted("agg:公务用车购置费"):
            yield Hit(claim.span, {"count": claim.count}, variant="purchase")
            break  # the same plan told again is the same finding
