"""BL4xx — compliance and completeness: tables, sections, contents, codes, numbering, assets."""
from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate
from importlib import resources

from budgetlint import classification
from budgetlint.concepts import normal
from budgetlint.contents import body_sections, table_of_contents
from budgetlint.facts import TABLE_SCOPES
from budgetlint.findings import Related
from budgetlint.registry import Hit, rule
from budgetlint.tables import code_system, squeeze

_NUMBERED = re.compile(r"^(\d{1,2})\s*([.、．])(?!\d)\s*(.*)$")
_LABEL = re.compile(r"^([^：:，。]{2,12}[：:])")
_SECTION = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")


def _contents(doc):
    return doc.derive("contents", table_of_contents)


@lru_cache(maxsize=1)
def profiles() -> dict:
    text = resources.files("budgetlint.rules").joinpath("data/profiles.toml").read_text("utf-8")
    return tomllib.loads(text)


def profile_of(doc) -> str | None:
    """单位预算 / 部门预算 / 部门决算: from the configuration, else from the title."""
    chosen = doc.config.option("profile")
    if chosen:
        return chosen if chosen in profiles()["profiles"] else None
    title = squeeze(doc.title)
    for name, profile in profiles()["profiles"].items():
        if any(word in title for word in profile["title_words"]):
            return name
    return None


def _title_span(doc):
    first = next((b for b in doc.blocks), None)
    return first.span if first else None


@rule("BL401", "required-table-missing", severity="error", messages={
    "default": ("{profile}应公开{table}，文件中没有这张表（目录中也未列出）",
                "a {profile} must publish the {table}; the document has none (nor does its contents list it)"),
})
def required_tables(doc):
    """缺少必须公开的表 — a table the profile requires is neither in the body nor in the 目录.

    Profiles (单位预算, 部门预算, 部门决算) and their tables are data in
    `rules/data/profiles.toml`; the profile comes from the title or the `profile` option. Tables
    are matched by meaning ("2025年部门财务收支预算总表" is a 收支总表). A table the 目录 lists
    but the body lacks is reported by BL402 instead.

    Why: 《地方预决算公开操作规程》 fixes what must be published; a missing table is a breach.

    Fails:
        某单位2024年单位预算公开

        ## 单位收支总体情况表
        项目	预算数
        收入总计	1.00
    Passes:
        某单位2024年部门决算公开说明
    """
    name = profile_of(doc)
    span = _title_span(doc)
    if name is None or span is None:
        return
    present = {table.kind for table in doc.tables}
    listed = {entry.kind for entry in _contents(doc)[0] if entry.is_table}
    labels = profiles()["tables"]
    if not present & set(TABLE_SCOPES):
        return  # no tables at all: a narrative-only file (the tables are published separately)
    for kind in profiles()["profiles"][name]["tables"]:
        if kind not in present and kind not in listed:
            yield Hit(span, {"profile": name, "table": labels.get(kind, kind)})


@rule("BL402", "contents-mismatch", severity="error", messages={
    "default": ("目录列出“{text}”，正文中没有对应的{what}",
                "the contents list '{text}', but the body has no such {what_en}"),
    "reverse": ("正文有“{text}”，目录中没有列出",
                "the body has '{text}', which the contents do not list"),
    "kind": ("目录中的“{text}”与正文{number}“{title}”不是同一张表",
             "the contents entry '{text}' and the body's {number} '{title}' are different tables"),
})
def contents_mismatch(doc):
    """目录与正文不一致 — a table or section the 目录 lists that the body lacks, or the reverse.

    Tables are matched by number (目录 “七、…表” ↔ 表7) and by kind; sections by part (第三部分)
    and number (十、).

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
    entries, body_start = _contents(doc)
    if not entries:
        return
    numbered = {int(t.number[1:]): t for t in doc.tables if t.number}
    has_tables = any(t.kind in TABLE_SCOPES for t in doc.tables)
    for entry in entries:
        if not entry.is_table or not has_tables:  # no tables: they are published in another file
            continue
        table = numbered.get(entry.number) if numbered else None
        if table is None and not any(t.kind == entry.kind for t in doc.tables if not t.number):
            yield Hit(entry.span, {"text": entry.text, "what": "表格", "what_en": "table"})
        elif table is not None and entry.kind != table.kind and entry.kind != "other":
            yield Hit(entry.span, {"text": entry.text, "number": table.number, "title": table.title},
                      variant="kind", related=(Related(table.title_span or entry.span, table.title),))
    listed_tables = {entry.number for entry in entries if entry.is_table}
    if listed_tables and has_tables:
        for number, table in sorted(numbered.items()):
            if number not in listed_tables:
                yield Hit(table.title_span or entry.span, {"text": f"{table.number} {table.title}"},
                          variant="reverse")
    sections = body_sections(doc, body_start)
    # a body that does not repeat the contents' 第X部分 headings is matched by number alone
    unparted = bool(sections) and all(s.part is None for s in sections)
    key = (lambda e: e.number) if unparted else (lambda e: (e.part, e.number))
    listed = {key(e) for e in entries}  # a heading "四、预算公开表" may be listed as a table
    present = {key(s) for s in sections}
    for entry in entries:
        if not entry.is_table and key(entry) not in present:
            yield Hit(entry.span, {"text": entry.text, "what": "章节", "what_en": "section"})
    parts_listed = {e.part for e in entries if not e.is_table}
    for section in sections:
        if (unparted or section.part in parts_listed) and key(section) not in listed:
            yield Hit(section.span, {"text": section.text}, variant="reverse")


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
        if table.kind in TABLE_SCOPES and table.empty and not table.note:
            yield Hit(table.title_span or doc.blocks[0].span, {"table": table.name})


@rule("BL404", "required-section-missing", severity="warning", messages={
    "default": ("缺少“{section}”的说明", "the explanation of '{section}' is missing"),
    "three_public": ("“三公”经费有增减，但没有说明增减原因", "the \"three public\" costs changed with no reason given"),
})
def required_sections(doc):
    """缺少必要的情况说明 — a required explanation (收入, 支出, "三公", 政府采购, 绩效 …) is absent.

    The list is `[sections]` of `rules/data/profiles.toml` (plus the profile's `extra_sections`):
    each explanation is found when a heading contains one of its words. The "三公" explanation must also give reasons when the
    "三公" costs changed.

    Why: the disclosure notices require each of these explanations, nil ones included.

    Fails:
        2024年单位预算公开

        ## 单位收支总体情况表
        项目	预算数
        收入总计	534.68

        # 第三部分 情况说明

        ## 一、收支预算情况的总体说明

        收支总预算 534.68 万元。
    Passes:
        2024年单位预算公开

        ## 单位收支总体情况表
        项目	预算数
        收入总计	534.68

        # 第三部分 情况说明

        ## 一、收支预算情况的总体说明
        ## 二、收入预算情况说明
        ## 三、支出预算情况说明
        ## 四、财政拨款收支预算情况说明
        ## 五、一般公共预算当年拨款情况说明
        ## 六、一般公共预算基本支出情况说明
        ## 七、一般公共预算项目支出情况说明
        ## 八、政府性基金预算拨款情况说明
        ## 九、国有资本经营预算拨款情况说明
        ## 十、“三公”经费预算情况说明
        ## 十一、机关运行经费情况
        ## 十二、政府采购情况
        ## 十三、国有资产占用使用情况
        ## 十四、预算绩效情况
    """
    name = profile_of(doc)
    if name is None or not any(t.kind in TABLE_SCOPES for t in doc.tables):
        return
    _, body_start = _contents(doc)
    # headings, and numbered paragraphs (a PDF prints a long heading over two lines)
    headings = [squeeze(b.text)[:60] for b in doc.blocks[body_start:]
                if b.kind == "heading" or (b.kind == "paragraph" and _SECTION.match(b.text))]
    required = dict(profiles()["sections"])
    for extra in profiles()["profiles"][name].get("extra_sections", []):
        required[extra] = profiles()["extra_sections"][extra]
    headings = "\n".join(headings)  # no word spans two headings
    for section, words in required.items():
        if not any(word in headings for word in words):
            yield Hit(_title_span(doc), {"section": section})
    changes = [c for c in doc.claims if c.concept and c.concept.startswith(("agg:三公", "agg:因公", "agg:公务"))
               and c.change is not None and c.change.value != 0]
    sentences = {id(c.sentence) for c in changes}
    if changes and not any(c.reason for c in doc.claims if id(c.sentence) in sentences):
        yield Hit(changes[0].span, {}, variant="three_public")


def _coded_items(doc):
    for table in doc.tables:
        if table.kind not in TABLE_SCOPES:
            continue
        for item in table.items():
            if item.code:
                yield table, item


@rule("BL405", "code-name-mismatch", severity="warning", messages={
    "default": ("科目 {code} 在{table}中名为“{name}”，官方名称为“{official}”",
                "code {code} is named '{name}' in {table}; the official name is '{official}'"),
    "elsewhere": ("科目 {code} 在{table}中名为“{name}”，而“{name}”是科目 {other} 的名称",
                  "code {code} is named '{name}' in {table}, but '{name}' is the name of {other}"),
    "twice": ("科目 {code} 在{table}中名为“{name}”，在{other_table}中名为“{other_name}”",
              "code {code} is '{name}' in {table} but '{other_name}' in {other_table}"),
    "unknown": ("科目 {code}“{name}”不在参考科目表中（参考表不完整，请人工核对）",
                "code {code} '{name}' is not in the reference lists (they are partial: check by hand)"),
})
def code_name(doc):
    """科目编码与名称不符 — a classification code printed with a name that is not its own.

    Checked against the official lists in `rules/data/` (partial, with editions and sources:
    see classification-README.md). A code the lists do not have is reported as unknown at info
    level, never as wrong; for such codes two different names in two tables are still reported.
    Each wrong name is reported once, at its first cell, with its other cells as related.

    Why: a code with a wrong name makes a reader, or a consolidating system, book the money
    to the wrong line.

    Fails:
        ## 一般公共预算支出情况表
        类	款	项	科目名称	合计
        201			一般公共预算支出	393.25
    Passes:
        ## 一般公共预算支出情况表
        类	款	项	科目名称	合计
        201			一般公共服务支出	393.25
    """
    seen: dict[tuple, list] = {}
    for table, item in _coded_items(doc):
        seen.setdefault((code_system(item.code), item.code, normal(item.name)), []).append((table, item))
    names_by_code: dict[tuple, list] = {}
    for (system, code, name), places in seen.items():
        names_by_code.setdefault((system, code), []).append(places)
    for (system, code, name), places in seen.items():
        table, item = places[0]
        known = classification.known(system, code)
        if known and classification.accepts(system, code, item.name):
            continue
        related = tuple(Related(i.label.span, t.name) for t, i in places[1:])
        values = {"code": code, "name": item.name, "table": table.name}
        if known:
            owners = classification.codes_by_name(system).get(normal(item.name), set()) - {code}
            if len(owners) == 1:
                yield Hit(item.span, {**values, "other": owners.pop()}, variant="elsewhere", related=related)
            else:
                yield Hit(item.span, {**values, "official": "”或“".join(classification.names(system, code))},
                          related=related, expected=classification.names(system, code)[0], actual=item.name)
            continue
        others = [p for p in names_by_code[(system, code)] if p is not places]
        if others and places is names_by_code[(system, code)][-1]:
            other_table, other_item = others[0][0]
            yield Hit(item.span, {**values, "other_table": other_table.name, "other_name": other_item.name},
                      variant="twice", related=(Related(other_item.span, other_table.name),) + related)
        elif not others and any(not cell.blank for _, i in places for cell in i.values.values()):
            yield Hit(item.span, {**values, "severity": "info"}, variant="unknown", related=related)


def _present_classes(doc) -> set[str]:
    return {fact.concept[3:6] for fact in doc.facts if fact.origin == "table"
            and fact.concept.startswith("fn:") and not fact.value.is_zero}


def _class_names(doc) -> dict[str, str]:
    names = classification.class_names()
    for table, item in _coded_items(doc):
        if code_system(item.code) == "fn" and len(item.code) == 3:
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
        if table.kind not in TABLE_SCOPES:
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
        match = _NUMBERED.match(block.text)
        if match:
            number = int(match.group(1))
            if number == 1 or not current:
                current, labels = [], set()
                lists.append(current)
            current.append((block, number, match.group(2), match.group(3)))
            if label := _LABEL.match(match.group(3)):
                labels.add(label.group(1))
        elif current and (label := _LABEL.match(block.text)) and label.group(1) in labels:
            current.append((block, None, "", block.text))
    for items in lists:
        numbered = [item for item in items if item[1] is not None]
        if len(numbered) < 2:
            continue
        separators = [item[2] for item in numbered]
        usual = max(separators, key=separators.count)  # on a tie, the one the list starts with
        previous = 0
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
    def budgeted(concept):
        return any(not f.value.is_zero for f in doc.facts.find(concept))


    held = [c for c in doc.claims if c.concept == "asset:一般公务用车" and c.count and c.count.value > 0] or \
        [c for c in doc.claims if c.concept == "asset:车辆" and c.count and c.count.value > 0]
    if held and not budgeted("agg:公务用车运行费"):
        claim = held[0]
        related = tuple(Related(f.source, f.where or f.label) for f in doc.facts.find("agg:公务用车运行费"))
        value = f"（价值 {claim.amount}{claim.unit}）" if claim.amount else ""
        yield Hit(claim.span, {"vehicle": claim.label, "count": claim.count, "value": value}, related=related)
    for claim in doc.claims:
        if claim.count and claim.count.value > 0 and "购置" in claim.subject and "车" in claim.subject \
                and not budgeted("agg:公务用车购置费"):
            yield Hit(claim.span, {"count": claim.count}, variant="purchase")
