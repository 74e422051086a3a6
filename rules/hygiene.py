"""BL6xx — document hygiene: the defects a reviewer sees first (wrong years, template text left
in, broken punctuation, pages printed twice, impossible values, a final account's comparisons
that its own figures contradict)."""
from __future__ import annotations

import re
from collections import Counter

from budgetlint import classification
from budgetlint.concepts import normal
from budgetlint.findings import Related
from budgetlint.interval import Interval, total
from budgetlint.numbers import NUMBER_PATTERN, parse_number
from budgetlint.numbering import NUMERAL_OR_DIGIT
from budgetlint.registry import Hit, Words, rule
from budgetlint.rules.compliance import profile_of
from budgetlint.rules.narrative import truncated
from budgetlint.tables import MONEY_KINDS, squeeze

_NUM = rf"(?<![\d.,])(?:{NUMBER_PATTERN})"
# full-width figures made half-width; punctuation (，；％ …) stays as printed, one character for one
_DIGITS = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
_YEAR = r"(20\d{2})\s*年\s*度?"
# "2026年度福州市商务局部门预算": the year the title gives and what the document is
_TITLE_YEAR = re.compile(r"(20\d{2})年度?[^\d]{0,20}?(预算|决算)")
# the document naming itself or its parts: "2023年度部门决算情况说明", "2026年部门预算表"
_SELF = re.compile(rf"{_YEAR}\s*(?:市级|区级|县级)?\s*(?:部门|单位)\s*(?:综合)?\s*(预算|决算)")
_SELF_EXEMPT_BEFORE = re.compile(r"(?:比|较|与|对比|同)\s*$")
_SELF_EXEMPT_AFTER = re.compile(r"^\s*(?:数|相比|执行|调整)")
# a comparison with another year: "比2025年预算增加", "与2025年相比"
_COMPARED = re.compile(rf"(?:比|较)\s*{_YEAR}|与\s*{_YEAR}(?=[^，。；]{{0,15}}?(?:相比|持平|相同|一致|对比))")
_AS_OF = re.compile(rf"截\s*[至止]\s*{_YEAR}\s*\d{{1,2}}\s*月")
# a heading's own period: "三、2023年度收入支出决算总体情况说明"
_HEADING_YEAR = re.compile(rf"{_YEAR}(?:(?!执行|结转|调整)[^\d，。；]){{0,24}}?(预算|决算)")
_STAGE_AFTER = re.compile(r"^\s*(?:年初|调整)?\s*(预算|决算)")


def _year_kind(doc) -> tuple[int | None, str | None]:
    """The document's year and kind (预算 | 决算) from its title; no year when the parts of the
    document that name themselves mostly give another one (then the title is in doubt)."""
    def build(doc):
        match = _TITLE_YEAR.search(squeeze(doc.title))
        if not match:
            return None, None
        year, kind = int(match.group(1)), match.group(2)
        profile = profile_of(doc)
        if profile:
            kind = "决算" if "决算" in profile.kind else "预算"
        named = [int(m.group(1)) for _, m in _matches(doc, _SELF) if m.group(2) == kind]
        if named and named.count(year) * 2 < len(named):
            return None, kind
        return year, kind
    return doc.derive("hygiene:year", build)


def _texts(doc):
    """The headings, paragraphs and list items (text, not table rows), with full-width figures
    made half-width (offsets are kept: the translation is one character for one)."""
    def build(doc):
        return [(block, block.text.translate(_DIGITS)) for block in doc.blocks if block.kind != "row"]
    return doc.derive("hygiene:texts", build)


def _matches(doc, pattern: re.Pattern):
    for block, text in _texts(doc):
        for match in pattern.finditer(text):
            yield block, match


def _hit(block, match, values: dict, group: int = 0, **extra) -> Hit:
    return Hit(block.content.span(match.start(group), match.end(group)), values, **extra)


@rule("BL601", "wrong-year", severity="warning", messages={
    "default": ("{year} 年{kind}中出现“{text}”，年份应为 {expected}",
                "'{text}' in a {year} {kind}: the year should be {expected}"),
    "compared": ("{year} 年{kind}与“{text}”比较，比较的年份不应{relation}本年",
                 "a {year} {kind} compares with '{text}': the year compared with cannot be {relation} its own"),
    "as_of": ("{year} 年{kind}中的日期“{text}”{relation}文件年度",
              "the date '{text}' in a {year} {kind} is {relation} the document's year"),
})
def wrong_year(doc):
    """年份错误 — a year that does not fit the document's own year and kind.

    The year and kind (预算 or 决算) come from the title. Checked: the document naming itself
    ("2023年度部门决算情况说明" in a 2024 final account), comparisons with the budget year itself
    or a later one ("比2026年预算增加" in a 2026 budget), the period a heading names ("2023年度
    收入支出决算总体情况说明"), and 截至 dates after a budget's year or before a final account's.

    Why: a wrong year is the mark of last year's text copied without review.

    Fails:
        某局2024年度部门决算

        ## 第三部分 2023年度部门决算情况说明
    Passes:
        某局2024年度部门决算

        ## 第三部分 2024年度部门决算情况说明
    """
    year, kind = _year_kind(doc)
    if year is None:
        return
    base = {"year": year, "kind": Words(kind, "final account" if kind == "决算" else "budget")}
    title_end = next((b.index for b in doc.blocks if b.kind == "heading"), 0)
    reported = set()
    headings = ((block, match) for block, match in _matches(doc, _HEADING_YEAR) if block.kind == "heading")
    for block, match in [*_matches(doc, _SELF), *headings]:
        named = int(match.group(1))
        text = match.string
        if (match.group(2) != kind or named == year or block.index < title_end
                or (block.index, match.start()) in reported
                or _SELF_EXEMPT_BEFORE.search(text[max(0, match.start() - 3):match.start()])
                or _SELF_EXEMPT_AFTER.match(text[match.end():])):
            continue
        reported.add((block.index, match.start()))
        yield _hit(block, match, {**base, "text": match.group(0), "expected": year})
    for block, match in _matches(doc, _COMPARED):
        named = int(match.group(1) or match.group(2))
        stage = _STAGE_AFTER.match(match.string[match.end():])
        # a final account compares its 决算 with the same year's (年初) budget, and with nothing
        # else of its own year
        later = named > year or (named == year and (kind == "预算" or not stage or stage.group(1) == "决算"))
        if later:
            yield _hit(block, match, {**base, "text": match.group(0).lstrip("比较与 "),
                                      "relation": Words("晚于", "later than") if named > year
                                      else Words("等于", "the same as")},
                       variant="compared")
    for block, match in _matches(doc, _AS_OF):
        named = int(match.group(1))
        if (kind == "预算" and named > year) or (kind == "决算" and named < year):
            yield _hit(block, match, {**base, "text": match.group(0),
                                      "relation": Words("晚于", "after") if named > year
                                      else Words("早于", "before")}, variant="as_of")


_RELATION_EN = {"大于": "above", "小于": "below", "等于": "equal to"}
_UP, _DOWN = r"(?:增加|增长|上升|提高)", r"(?:减少|下降|降低)"
_RESIDUE = (
    # "…区XX局", "××单位": a placeholder next to a Chinese word
    ("placeholder", re.compile(r"(?<![A-Za-z0-9/._-])(?:[XＸ]{2,}|[xｘ]{2,}|×{2,})(?![A-Za-z0-9/._-])"
                               r"(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])(?:[XＸ]{2,}|[xｘ]{2,}|×{2,})"
                               r"(?![A-Za-z0-9/._-])")),
    # "增加（减少）", "下降（增长）": both directions, one to be deleted (a template that prints
    # "增加（减少）0万元" for a line without change says nothing wrong: it is let be)
    ("alternatives", re.compile(rf"(?:{_UP}[（(]{_DOWN}[）)]|{_DOWN}[（(]{_UP}[）)])"
                                r"(?!\s*0(?:\.0+)?\s*(?:万元|亿元|元|[%％]))")),
    # "占 ％", "减少 万元": the figure was never filled in
    ("blank", re.compile(r"(?<![\d.])(?:占\s*|(?:增加|减少|增长|下降|增幅|降幅|共计|合计|为)\s+)(?:万元|亿元|[%％])"
                         r"(?=[，。；、,;）)\s]|$)")),
    # "（按“部门预算公开 06 表…”中实际发生经济分类支出事项填写）"
    ("instruction", re.compile(r"[（(][^（）()]{0,80}?(?:填写|填列|填报|请填|此处填)[^（）()]{0,20}[）)]")),
)
# A text layer whose figures were moved away from their words ("减少 万元 … 41,772.73 , 42,846.68 ,")
# has blanks that the printed page does not: its blanks and bare figures are not judged.
_STRAY_FIGURE = re.compile(r"\d\s[,;](?:\s|$)")


def _scrambled(doc) -> bool:
    return doc.derive("hygiene:scrambled", lambda doc: sum(
        len(_STRAY_FIGURE.findall(text)) for _, text in _texts(doc)) >= 3)


@rule("BL602", "template-residue", severity="warning", messages={
    "placeholder": ("模板占位符未替换：“{text}”", "a template placeholder was left in: '{text}'"),
    "alternatives": ("模板的两可写法未删改：“{text}”，应只保留实际的增减方向",
                     "the template's either-way wording was left in: '{text}'; keep the actual direction"),
    "blank": ("模板空格未填写：“{text}”前没有数字", "a template blank was not filled in: no figure before '{text}'"),
    "instruction": ("模板的填写说明未删除：“{text}”", "the template's filling instruction was left in: '{text}'"),
    "default": ("模板文字残留：“{text}”", "template text left in: '{text}'"),
})
def template_residue(doc):
    """模板文字残留 — placeholders (XX局), either-way wording (增加（减少））, blanks never filled
    in (占 ％, 减少 万元) and filling instructions ("（按…填写）") left in the published text.

    Only text is read, not table headers (where "增加（减少）" is a column's name). A text layer
    whose figures were moved away from their words (a scrambled PDF) is not judged for blanks.

    Why: template text shows the document was not finished; a blank hides a figure the reader
    needs.

    Fails:
        “三公”经费预算 6.40 万元，比上年增加（减少）0.50 万元。
    Passes:
        “三公”经费预算 6.40 万元，比上年增加 0.50 万元。
    """
    for variant, pattern in _RESIDUE:
        for block, match in _matches(doc, pattern):
            if variant == "blank" and _scrambled(doc):
                continue
            yield _hit(block, match, {"text": match.group(0).strip()}, variant=variant)
    placeholder = _RESIDUE[0][1]  # a name in a table ("部门名称：XX局") is a placeholder too
    for table in doc.tables:
        for cell in (cell for row in table.header + table.rows for cell in row if cell.number is None):
            for match in placeholder.finditer(cell.text):
                yield Hit(cell.content.span(match.start(), match.end()), {"text": match.group(0)},
                          variant="placeholder")


# "增长 13.95。", "减少 9.52，": a rate or an amount without its % or 万元. The mark must follow the
# figure at once: a space between is where a glyph stood that the text layer lost (a % the page
# prints).
_NO_UNIT = re.compile(rf"(?:增长|下降|增幅|降幅|减幅|上升|降低|增加|减少)(?:了|为)?\s*({_NUM})(?=[。，；,;](?!\d))")
_DOUBLED = re.compile(r"([。，；、])\1|[，；、][。，；]|。[，；、]")
_REASON_WORDS = r"(?:原因(?:主要)?(?:是|为|系|在于)|主要是由于|主要由于|主要是因为|主要因为)"
_EMPTY_REASON = re.compile(rf"{_REASON_WORDS}\s*[:：]?\s*[。；;]")
_REASON_AT_END = re.compile(rf"{_REASON_WORDS}\s*[:：]?$")


@rule("BL603", "broken-text", severity="warning", messages={
    "doubled": ("标点重复：“{text}”", "doubled punctuation: '{text}'"),
    "no_unit": ("“{text}”中的 {figure} 没有单位（% 或 万元）", "'{text}': {figure} has no unit (% or 万元)"),
    "empty_reason": ("“{text}”后没有写出原因", "'{text}' is followed by no reason"),
    "cut_off": ("句子未写完：“{text}”之后即是下一节", "a sentence cut off: '{text}' is followed by the next section"),
    "default": ("文字残缺：“{text}”", "broken text: '{text}'"),
})
def broken_text(doc):
    """文字残缺 — doubled punctuation (。。), a change or rate printed without its unit
    ("增长 13.95。"), a reason announced and never given ("主要原因是。"), a sentence cut off
    at a comma where the next section begins.

    Why: each is a sign of an edit left half done; a rate without % leaves the reader guessing
    what the figure means.

    Fails:
        基本支出 394.08 万元，比上年减少 12.95，主要原因是人员减少。
    Passes:
        基本支出 394.08 万元，比上年减少 12.95%，主要原因是人员减少。
    """
    for block, match in _matches(doc, _DOUBLED):
        yield _hit(block, match, {"text": match.string[max(0, match.start() - 8):match.end()]}, variant="doubled")
    for block, match in ([] if _scrambled(doc) else _matches(doc, _NO_UNIT)):
        yield _hit(block, match, {"text": match.group(0).strip(), "figure": match.group(1)}, group=1,
                   variant="no_unit")
    for block, match in _matches(doc, _EMPTY_REASON):
        yield _hit(block, match, {"text": match.string[max(0, match.start() - 6):match.end()]},
                   variant="empty_reason")
    yield from _cut_off(doc)


def _cut_off(doc):
    """Paragraphs that end at a comma, or at "主要原因是：", with a heading (or nothing) after
    them: a PDF's page break is already joined by the reader, so nothing of the sentence can
    follow."""
    blocks = doc.blocks
    for block in blocks:
        text = block.text.rstrip()
        if block.kind not in ("paragraph", "item"):
            continue
        reason = _REASON_AT_END.search(text)
        if not (reason or text.endswith(("，", "、"))):
            continue
        following = blocks[block.index + 1] if block.index + 1 < len(blocks) else None
        if following is None or following.kind == "heading":
            yield Hit(block.content.span(len(text) - 1, len(text)), {"text": text[-12:]},
                      variant="empty_reason" if reason else "cut_off")


_PAGE_LINE = re.compile(r"第\d+页 (第\d+行)")


def _same_place(doc, original, copy) -> bool:
    """Whether a copy starts where its original does on its page (a page printed twice does;
    a PDF text layer that carries a page's text again above the next page, off the paper, does
    not). Inputs without pages always do."""
    if doc.locations is None:
        return True
    places = [_PAGE_LINE.search(doc.locations.describe(block.span, doc.lines) or "") for block in (original, copy)]
    return not all(places) or places[0].group(1) == places[1].group(1)


RUNNING = 3  # a text printed this often is a running header, not a page printed twice


@rule("BL604", "repeated-text", severity="warning", messages={
    "default": ("从此处起的 {count} 段文字（{chars} 字）与第 {other_line} 行起的内容完全重复，疑为页面重复印制",
                "the {count} paragraphs ({chars} characters) from here repeat those from line {other_line} "
                "word for word: a page printed twice?"),
})
def repeated_text(doc):
    """整段重复 — a run of paragraphs printed twice, word for word (a page printed twice).

    Only a run of at least three paragraphs and 150 characters counts: two sections that
    legitimately restate one figure share a sentence or two, not a page. In a PDF the copy must
    start on the same line of its page as the original.

    Why: a repeated page makes the document look unchecked and may hide the page that should
    have been there.

    Fails:
        支出预算 534.68 万元，其中基本支出 394.08 万元，项目支出 140.60 万元，比上年预算增加 53.79 万元。

        基本支出主要用于在职人员工资福利、社会保障缴费和日常公用经费，保障机构正常运转和各项工作顺利开展。

        项目支出主要用于信访业务工作、信息化系统运行维护、档案数字化以及办公场所物业管理等各项支出。

        支出预算 534.68 万元，其中基本支出 394.08 万元，项目支出 140.60 万元，比上年预算增加 53.79 万元。

        基本支出主要用于在职人员工资福利、社会保障缴费和日常公用经费，保障机构正常运转和各项工作顺利开展。

        项目支出主要用于信访业务工作、信息化系统运行维护、档案数字化以及办公场所物业管理等各项支出。
    Passes:
        支出预算 534.68 万元，其中基本支出 394.08 万元，项目支出 140.60 万元，比上年预算增加 53.79 万元。

        基本支出主要用于在职人员工资福利、社会保障缴费和日常公用经费，保障机构正常运转和各项工作顺利开展。

        项目支出主要用于信访业务工作、信息化系统运行维护、档案数字化以及办公场所物业管理等各项支出。
    """
    blocks = [block for block, _ in _texts(doc)]
    texts = [squeeze(block.text) for block in blocks]
    # a title every page repeats (a table continued page after page) is a running header: the
    # pages under it differ
    seen = Counter(texts)
    blocks = [block for block, text in zip(blocks, texts) if seen[text] < RUNNING]
    texts = [text for text in texts if seen[text] < RUNNING]
    first: dict[str, int] = {}
    index = 0
    while index < len(texts):
        earlier = first.get(texts[index])
        length = 0
        if earlier is not None:
            while (index + length < len(texts) and earlier + length < index
                   and texts[earlier + length] == texts[index + length]):
                length += 1
        chars = sum(len(text) for text in texts[index:index + length])
        if length >= 3 and chars >= 150 and _same_place(doc, blocks[earlier], blocks[index]):
            yield Hit(blocks[index].span, {"count": length, "chars": chars,
                                           "other_line": blocks[earlier].span.line},
                      related=(Related(blocks[earlier].span, "首次出现", "first printed"),))
            index += length
            continue
        first.setdefault(texts[index], index)
        index += 1


_OTHER_BASE = re.compile(r"预算|上年|计划|年初|同期")


def _shares_of_one_whole(doc):
    """Claims of one sentence under the same whole (the 其中 they are listed under, or none
    named), each with a share of it (not of a base it names). A whole broken down twice (by
    function, then by economic class) is two sentences, so two groups."""
    groups: dict[tuple, list] = {}
    for claim in doc.claims:
        if claim.share is not None and not claim.share_base:
            groups.setdefault((id(claim.parent), id(claim.sentence)), []).append(claim)
    return [group for group in groups.values() if len(group) >= 2]


@rule("BL605", "impossible-value", severity="warning", messages={
    "share": ("“{subject}”占比 {actual} 超过 100%", "'{subject}': a share of {actual} is over 100%"),
    "decline": ("“{subject}”下降 {actual}，降幅不可能超过 100%", "'{subject}' falls by {actual}: a fall cannot exceed 100%"),
    "shares": ("“{subject}”下所列 {count} 项的占比合计 {actual}，远超 100%",
               "the {count} parts listed under '{subject}' have shares adding up to {actual}, far over 100%"),
    "sentence_shares": ("同一句所列 {count} 项的占比合计 {actual}，远超 100%",
                        "the {count} shares of one sentence add up to {actual}, far over 100%"),
    "default": ("“{subject}”数值不可能：{actual}", "'{subject}': impossible value {actual}"),
})
def impossible_value(doc):
    """不可能的数值 — a share over 100%, a fall of more than 100%, or the shares of the parts
    of one whole that add up to far more than 100% (more than one point over, which no
    rounding explains).

    Why: such a figure cannot be true whatever the tables say; a reader stops trusting the rest.

    Fails:
        支出预算 534.68 万元，其中：基本支出 394.08 万元，占 73.70%；项目支出 140.60 万元，占 73.70%。
    Passes:
        支出预算 534.68 万元，其中：基本支出 394.08 万元，占 73.70%；项目支出 140.60 万元，占 26.30%。
    """
    for claim in doc.claims:
        if claim.share is not None and claim.share.value > 100 and not (
                claim.share_base and _OTHER_BASE.search(claim.share_base)):
            yield Hit(claim.span_of(claim.share_at), {"subject": claim.label, "actual": f"{claim.share}%"},
                      variant="share", actual=f"{claim.share}%", concept=claim.concept)
        if claim.rate is not None and not claim.points and claim.rate.value < -100:
            yield Hit(claim.span_of(claim.rate_at), {"subject": claim.label, "actual": f"{-claim.rate.value}%"},
                      variant="decline", actual=f"{-claim.rate.value}%", concept=claim.concept)
    for group in _shares_of_one_whole(doc):
        summed = total(part.share.interval for part in group)
        if summed.lo > 101:
            parent = group[0].parent
            yield Hit(group[-1].span_of(group[-1].share_at),
                      {"subject": parent.label if parent else "", "count": len(group),
                       "actual": summed.format(2, "%")},
                      variant="shares" if parent else "sentence_shares", actual=summed.format(2, "%"), concept=parent.concept if parent else None,
                      related=tuple(Related(p.span_of(p.share_at), p.label, p.label) for p in group[:-1]))


_EMPTY_NOTE = re.compile(r"(?:本|此|该)表(?:为空表?|无数据|无内容)|(?:故|因此|所以)(?:本|此|该)?表?为空表|公开空表")


def _figure(table):
    """The first figure other than zero in a table's rows, with the row's label (the column
    numbers that templates print as a row, 栏次 1 2 3, are not figures); None when it has none."""
    for row in table.rows:
        cells = [cell for cell in row if cell.number is not None]
        if [cell.number.value for cell in cells] == list(range(1, len(cells) + 1)):
            continue
        for cell in cells:
            if cell.number.value != 0:
                label = next((c.text for c in row if c.number is None and not c.blank), "")
                return label, cell
    return None


@rule("BL606", "empty-note-with-figures", severity="warning", messages={
    "default": ("{table}附注称“{text}”，但表中有数据（如“{item}” {figure}）",
                "{table} carries the note '{text}', yet it has figures (e.g. '{item}' {figure})"),
})
def empty_note_with_figures(doc):
    """空表说明与表不符 — a note says the table is empty ("本表为空表", "故本表无数据") while
    the table above it prints figures.

    Why: either the note was copied from another table or year, or the figures were; the
    reader cannot tell which to believe.

    Fails:
        ## 政府性基金预算支出情况表
        科目编码	科目名称	合计
        2120801	征地和拆迁补偿支出	12.00

        注：本单位没有政府性基金预算支出，故本表为空表。
    Passes:
        ## 政府性基金预算支出情况表
        科目编码	科目名称	合计

        注：本单位没有政府性基金预算支出，故本表为空表。
    """
    blocks = doc.blocks
    last_row = {block.line: block.index for block in blocks if block.kind == "row"}
    for table in doc.tables:
        if table.kind not in MONEY_KINDS or not (figure := _figure(table)):
            continue
        end = last_row.get(table.end_line)
        after = blocks[end + 1] if end is not None and end + 1 < len(blocks) else None
        if after is None or after.kind == "row" or not _EMPTY_NOTE.search(squeeze(after.text)):
            continue
        label, cell = figure
        yield Hit(after.span, {"table": table.name, "text": after.text.strip()[:40], "item": label,
                               "figure": cell.text}, related=(Related(cell.span, table.name),))


# "年初预算为 5717.32 万元，支出决算为 5757.63 万元，完成年初预算的 100.71%。决算数大于预算数…"
# (also "支出预算为 76.43万元，2024 年度支出决算为 46.21 万元")
_BUDGET_ACTUAL = re.compile(rf"(?<![执行调整])预算(?:数)?(?:为|是)?\s*({_NUM})\s*(万元|亿元|元)\s*[，,]\s*(?:20\d\d\s*年度?)?\s*"
                            rf"(?:(?:支出)?决算|执行)(?:数)?(?:为|是)?\s*({_NUM})\s*(万元|亿元|元)")
_COMPLETION = re.compile(rf"\s*[，,]\s*(?:完成|为)(?:年初)?预算(?:数)?的\s*({_NUM})\s*[%％]")
_COMPARISON = re.compile(r"决算(?:数)?(大于|高于|小于|低于|等于|持平)(?:于)?(?:年初)?预算")
_RELATION = {"大于": "大于", "高于": "大于", "小于": "小于", "低于": "小于", "等于": "等于", "持平": "等于"}


def _final_statements(doc):
    """(block, figures match, completion match or None, comparison (block, match) or None) for
    each "年初预算 A，决算 B" of the text. The comparison is looked for up to the next such pair,
    or at the start of the next paragraph (a PDF may break the line there)."""
    texts = _texts(doc)
    for position, (block, text) in enumerate(texts):
        pairs = list(_BUDGET_ACTUAL.finditer(text))
        for number, match in enumerate(pairs):
            completion = _COMPLETION.match(text, match.end())
            stop = pairs[number + 1].start() if number + 1 < len(pairs) else len(text)
            compared = _COMPARISON.search(text, match.end(), stop)
            where = (block, compared) if compared else None
            if not compared and number + 1 == len(pairs) and position + 1 < len(texts):
                following, next_text = texts[position + 1]
                if _COMPARISON.match(next_text.lstrip()) and not _BUDGET_ACTUAL.search(next_text):
                    shift = len(next_text) - len(next_text.lstrip())
                    where = (following, _COMPARISON.match(next_text, shift))
            yield block, match, completion, where


def _money(figure: str, unit: str) -> Interval:
    return parse_number(figure).in_wan(unit)


@rule("BL607", "final-vs-budget", severity="error", messages={
    "completion": ("支出 {actual_amount} ÷ 预算 {budget} = {expected}，文中写完成预算的 {actual}",
                   "spending {actual_amount} over the budget {budget} is {expected}, but the text says {actual}"),
    "truncated": ("支出 {actual_amount} ÷ 预算 {budget} = {expected}，文中写 {actual}：末位是截去而非四舍五入",
                  "spending {actual_amount} over the budget {budget} is {expected}; the text's {actual} "
                  "cut the last digit off instead of rounding it"),
    "zero_base": ("预算为 0，“完成预算的 {actual}”无从计算",
                  "the budget is 0, so 'completed {actual} of the budget' means nothing"),
    "comparison": ("年初预算 {budget}、决算 {actual_amount}，文中却写“决算数{word}预算数”（应为{expected}）",
                   "initial budget {budget}, final {actual_amount}, yet the text says the final is "
                   "'{word}' the budget (it is {expected})"),
    "default": ("决算与年初预算的比较与数字不符", "the comparison of final and budget does not fit the figures"),
})
def final_vs_budget(doc):
    """决算与年初预算的比较错误 — "完成年初预算的 X%" and "决算数大于/小于/等于预算数" checked
    against the 预算 and 决算 (or 执行数) figures the same sentence gives, each figure an interval.

    A completion rate cut off at its last digit instead of rounded is reported apart, as info.

    Why: a final account explains each line by comparing it with its budget; a comparison its
    own figures contradict ("1511.89 决算数大于 1560.05") misleads on the one point it explains.

    Fails:
        行政运行（项）。年初预算为 1560.05 万元，支出决算为 1511.89 万元，完成年初预算的 96.91%。决算数大于预算数的主要原因是追加了预算。
    Passes:
        行政运行（项）。年初预算为 1560.05 万元，支出决算为 1511.89 万元，完成年初预算的 96.91%。决算数小于预算数的主要原因是厉行节约。
    """
    for block, match, completion, compared in _final_statements(doc):
        budget, actual = _money(match.group(1), match.group(2)), _money(match.group(3), match.group(4))
        values = {"budget": f"{match.group(1)}{match.group(2)}", "actual_amount": f"{match.group(3)}{match.group(4)}"}
        if completion:
            stated = parse_number(completion.group(1))
            computed = actual * Interval.exact(100) / budget if not budget.is_zero else None
            if budget.is_zero and not (actual.is_zero and stated.value == 0):  # 0 of 0 said as 0%: harmless
                yield _hit(block, completion, {**values, "actual": f"{stated}%"}, group=1, variant="zero_base",
                           actual=f"{stated}%")
            elif computed is not None and not computed.meets(stated.interval):
                cut = truncated(computed, stated.value, stated.places)
                found = {**values, "actual": f"{stated}%", "expected": computed.format(2, "%")}
                yield _hit(block, completion, found, group=1, severity="info" if cut else None,
                           variant="truncated" if cut else "completion", expected=found["expected"],
                           actual=found["actual"])
        if compared:
            where, word = compared
            relation = _RELATION[word.group(1)]
            if budget.nominal == actual.nominal or budget.meets(actual) and relation == "等于":
                truth = "等于"
            else:
                truth = "大于" if actual.nominal > budget.nominal else "小于"
            if relation != truth:
                yield _hit(where, word, {**values, "word": word.group(1),
                                         "expected": Words(truth, _RELATION_EN[truth])},
                           variant="comparison", expected=truth, actual=word.group(1),
                           related=(Related(block.content.span(match.start(), match.end()), "年初预算与决算数"),))


# "一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）"
_CLASS_PATH = re.compile(r"([\u4e00-\u9fff、]{2,24}?)\s*（类）\s*(.{2,30}?)\s*（款）")
_LIST_MARK = re.compile(rf"^{NUMERAL_OR_DIGIT}+[、.．]")


def _fn_names(doc) -> dict[str, dict[str, tuple]]:
    """Function-class names the tables print: 款 name → its 类 code, and 类 code → (name, item)."""
    by_kuan: dict[str, set[str]] = {}
    classes: dict[str, tuple] = {}
    for table in doc.tables:
        if table.kind not in MONEY_KINDS:
            continue
        for item in table.items():
            if not item.code or item.code.startswith("3"):
                continue
            if len(item.code) == 5:
                by_kuan.setdefault(normal(item.name), set()).add(item.code[:3])
            elif len(item.code) == 3:
                classes.setdefault(item.code, (item.name, item))
    return {"kuan": by_kuan, "class": classes}


@rule("BL608", "class-name-differs", severity="warning", messages={
    "default": ("文中类级科目写作“{name}”，而表中该款（{kuan}）所属的 {code} 类名为“{table_name}”",
                "the text names the class '{name}', but the tables name class {code} of '{kuan}' '{table_name}'"),
})
def class_name_differs(doc):
    """文字中的类名与表不符 — "医疗卫生与计划生育支出（类）行政事业单位医疗（款）…" where the
    tables print that 款 under 210 卫生健康支出.

    The 款 named in the text finds its class code in the tables; the text's class name must end
    with the tables' name for that code (or an official name of it).

    Why: an outdated or wrong class name in the text points the reader at a class the tables
    do not have.

    Fails:
        ## 一般公共预算支出情况表
        科目编码	科目名称	合计
        210	卫生健康支出	62.29
        21011	行政事业单位医疗	62.29

        医疗卫生与计划生育支出（类）行政事业单位医疗（款）行政单位医疗（项）62.29 万元。
    Passes:
        ## 一般公共预算支出情况表
        科目编码	科目名称	合计
        210	卫生健康支出	62.29
        21011	行政事业单位医疗	62.29

        卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）62.29 万元。
    """
    names = doc.derive("hygiene:fn-names", _fn_names)
    for block, match in _matches(doc, _CLASS_PATH):
        name = _LIST_MARK.sub("", match.group(1))
        codes = names["kuan"].get(normal(match.group(2)), set())
        if not name.endswith("支出") or len(codes) != 1:
            continue
        code = next(iter(codes))
        if code not in names["class"]:
            continue
        table_name, item = names["class"][code]
        # words before the name ("实际应使用卫生健康支出（类）") are the sentence's, not the name's
        if any(normal(name).endswith(normal(known)) for known in [table_name, *classification.official("fn", code, None)]):
            continue
        yield Hit(block.content.span(match.start(1) + len(match.group(1)) - len(name), match.end(1)),
                  {"name": name, "kuan": match.group(2), "code": code, "table_name": table_name},
                  expected=table_name, actual=name, related=(Related(item.span, table_name),))


@rule("BL609", "empty-table-stated-figures", severity="error", messages={
    "default": ("文中“{subject}”为 {actual}，而{table}中没有任何数字",
                "the text gives '{subject}' as {actual}, yet {table} has no figure at all"),
})
def empty_table_stated_figures(doc):
    """表空而文有数 — the "三公" table is left blank (or all zeros) while the text states a
    "三公" amount other than zero.

    Why: the table and the text cannot both be right; a blank table is usually last year's
    empty table kept, or this year's figures never entered.

    Fails:
        ## 财政拨款“三公”经费支出表
        合计	因公出国（境）费	公务接待费
        栏次	1	2

        2025年“三公”经费预算数为 0.95 万元，与上年预算持平。
    Passes:
        ## 财政拨款“三公”经费支出表
        合计	因公出国（境）费	公务接待费
        0.95	0.00	0.95

        2025年“三公”经费预算数为 0.95 万元，与上年预算持平。
    """
    tables = [table for table in doc.tables if table.kind == "three_public"]
    if not tables or any(_figure(table) for table in tables):
        return
    related = tuple(Related(t.title_span, t.name) for t in tables if t.title_span)
    for claim in doc.claims:
        if claim.concept == "agg:三公经费" and claim.amount_value is not None and not claim.amount_value.is_zero:
            yield Hit(claim.span_of(claim.amount_at),
                      {"subject": claim.label, "actual": f"{claim.amount}{claim.unit}", "table": tables[0].name},
                      actual=f"{claim.amount}{claim.unit}", expected="0", concept=claim.concept, related=related)
    # a final account's "“三公”经费…年初预算为 A，支出决算为 B" (read by this module's own scanner)
    for block, match, _, _ in _final_statements(doc):
        if "三公" not in match.string[max(0, match.start() - 30):match.start()]:
            continue
        for figure, unit in ((match.group(1), match.group(2)), (match.group(3), match.group(4))):
            if not _money(figure, unit).is_zero:
                yield _hit(block, match, {"subject": "“三公”经费", "actual": f"{figure}{unit}",
                                          "table": tables[0].name},
                           actual=f"{figure}{unit}", expected="0", related=related)
                break
