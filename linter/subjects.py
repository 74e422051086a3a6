"""Subjects: what a claim's subject names — a classification path, a lexicon alias, a table row's
name, a project — resolved to a concept (fn:2010301, agg:基本支出, project:…)."""
from __future__ import annotations

import re

from .classification import path_code
from .concepts import lexicon, normal, resolve_name
from .numbering import LIST_MARK as _LIST_MARK
from .document import Document
from .tables import code_system

_LABEL_FILLER = re.compile(r"\s*(?:预算数|预算金额|金额|数)?\s*(?:为|是)$")
_PATH_LEVEL = re.compile(r"（(类|款|项)）")
_PATH_QUOTED = re.compile(r"“([^”]+)”\s*科目")
# "行政运行（2010301）", "工资福利支出（301）", "机关工资福利支出（501）": the code says what it is
_CODE = re.compile(r"[（(]\s*(\d{3}|\d{5}|\d{7})\s*[）)]\s*$")
# "2011301-行政运行", "2080505 机关事业单位基本养老保险缴费支出": the code before the name
_LEADING_CODE = re.compile(r"^\s*(\d{3}|\d{5}|\d{7})\s*[-－—–]?\s*(?=[\u4e00-\u9fff])")
_SYSTEMS = {"2": "fn", "3": "econ", "5": "econ"}  # function; 部门 and 政府 economic classification
# "“三公”经费财政拨款支出预算", "一般公共预算财政拨款支出预算", "“三公”经费预算": the fund, side and
# stage words at the end are not the subject; a name that ends in them names a total only when
# nothing before them names something more specific.
_TAIL = re.compile(r"(?:财政拨款|拨款|安排)*(?:支出|收入)?(?:预算|决算)?数?(?:为|是)?$")
# 收、支预算总计 | 收入总计、支出总计 | 财政拨款收入总计、支出总计: one name for both sides
_PAIR = re.compile(r"收入?((?:预算)?(?:总计|合计|总额)?)、支出?")
_TOTALS = {"agg:支出总计", "agg:收入总计", "agg:财政拨款"}
# words that only lead into the lines listed after them: 包括一般公共服务支出 A，按经济分类划分为基本支出 B
_LEAD = re.compile(r"^(?:主要)?包括|^按(?:支出)?(?:功能|经济)分类(?:支出)?(?:划分)?为")
_PROJECT_BUDGET = re.compile(r"预算安排规模|项目预算|年度预算总额")  # a project's own total


def path_names(subject: str) -> list[str]:
    """'一般公共服务支出（类）…（款）行政运行（项）' or '“A-B-C”科目' → ['…', '…', '行政运行']."""
    quoted = _PATH_QUOTED.search(subject)
    if quoted:
        return [normal(part) for part in re.split(r"[-－—]", quoted.group(1)) if part.strip()]
    squeezed = normal(subject)  # "（ 款 ）" spaced out by the PDF's justification
    if _PATH_LEVEL.search(squeezed):
        parts = _PATH_LEVEL.split(squeezed)
        # the path may stand in quotes of its own: “A（类）B（款）C（项）”
        names = [normal(parts[i]).strip("“”") for i in range(0, len(parts) - 1, 2)]
        return [name for name in names if name]
    return []


def label(subject: str, concept: str | None) -> str:
    """A short name for messages: '事业运行（2010350）' rather than the whole path."""
    names = path_names(subject)
    if names and concept and concept.startswith("fn:"):
        return f"{names[-1]}（{concept[3:]}）"
    return _LABEL_FILLER.sub("", _LIST_MARK.sub("", subject)) or subject


def _name_index(document: Document) -> tuple[dict[str, set[str]], dict[str, str | None]]:
    """Function-class names printed in the tables → their codes, and each code's parent code."""
    index: dict[str, set[str]] = {}
    parents: dict[str, str | None] = {}
    for table in document.tables:
        for item in table.items():
            if item.code and code_system(item.code) == "fn":
                index.setdefault(normal(item.name), set()).add(item.code)
                if len(item.code) == 3 and item.key.endswith("支出"):  # 教育（类）支出: the class without 支出
                    index.setdefault(normal(item.name).removesuffix("支出"), set()).add(item.code)
                parents[item.code] = item.parent.code if item.parent else None
    return index, parents


_COVERS = re.compile(r"涉及|该项目|本项目|此项目|^项目(?!支出)")


def covers(subject: str) -> bool:
    """"（共）涉及一般公共预算拨款 X 万元", "该项目年初预算数": what something else (a project, an
    evaluation) involves, reckoned its own way, not the fund's or the document's figure."""
    return bool(_COVERS.search(subject))


def make_resolver(document: Document, extra: str | None):
    """`resolve(subject, project)` → a concept, or None when the subject names none for sure."""
    index, parents = _name_index(document)
    aliases = lexicon(extra)

    def by_path(names: list[str]) -> str | None:
        matching = set()
        for code in index.get(names[-1], set()):
            node = code
            for name in reversed(names[:-1]):
                node = parents.get(node)
                if node is None or node not in index.get(name, set()):
                    break
            else:
                matching.add(code)
        if len(matching) == 1:
            return f"fn:{matching.pop()}"
        # tables that print names without codes: the path the official lists spell
        return f"fn:{code}" if not matching and (code := path_code(names)) else None

    def resolve(subject: str, project: str | None) -> str | None:
        subject = _LIST_MARK.sub("", subject)
        if covers(subject):
            return None  # "涉及一般公共预算拨款 94823.35 万元": what something else covers, not the whole
        names = path_names(subject)
        if names:
            return by_path(names)
        if (code := _CODE.search(subject) or _LEADING_CODE.match(subject)) and (
                system := _SYSTEMS.get(code.group(1)[0])):
            return f"{system}:{code.group(1)}"
        key = _LEAD.sub("", _PAIR.sub("收支", normal(subject)))
        if key in aliases:
            return aliases[key]
        if key in index and len(index[key]) == 1:
            return f"fn:{next(iter(index[key]))}"
        if project and _PROJECT_BUDGET.search(key):
            return f"project:{project}"
        concept = resolve_name(key, extra)
        if (concept is None or concept in _TOTALS) and (head := _TAIL.sub("", key)) and head != key:
            specific = resolve_name(head, extra)
            return specific if specific is not None and specific not in _TOTALS else concept
        return concept

    return resolve
