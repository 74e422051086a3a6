"""Published PDFs: page text and tables (pdfplumber's table finder), in reading order.

Running headers and page numbers are dropped, the lines of a paragraph are joined (also across
a page break), a title printed inside a table's first row is put above the table, and cells
merged across columns carry their label (so a total's label reaches the column of its figure).
Each output line remembers its page and line: "第3页 第12行".
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

from .errors import InputError
from .locations import Locations

_PAGE_NUMBER = re.compile(r"^[\s\-—–·•]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*/\s*\d{1,4})?[\s\-—–·•]*$")
_OUTLINE = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
_ITEM = re.compile(r"^(?:\d{1,2}[.、．](?!\d)|[（(]\d{1,2}[）)]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+部分)")
_END = ("。", "；", "！", "？", "：", ":")
_DIGITS = re.compile(r"\d+")
# PDF fonts often map CJK characters to Kangxi radicals or compatibility ideographs (⼀ for 一,
# ⽀ for 支): NFKC folds these to the ordinary characters, and nothing else is touched.
_RADICALS = re.compile(r"[\u2e80-\u2fdf\uf900-\ufaff]")


def _plain(text: str) -> str:
    return _RADICALS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def _inside(line: dict, boxes: list[tuple]) -> bool:
    middle = (line["top"] + line["bottom"]) / 2
    return any(x0 - 2 <= line["x0"] <= x1 + 2 and top - 2 <= middle <= bottom + 2
               for x0, top, x1, bottom in boxes)


def _cells(row: list) -> list[str]:
    """Cell texts; in a row of figures, a label merged across columns is repeated in them, so
    "当年支出小计" reaches the column its figure stands in. (Header rows are left alone: there a
    gap may be a cell merged down from the row above.)"""
    fill = any(cell and any(ch.isdigit() for ch in cell) for cell in row)
    cells, previous = [], ""
    for cell in row:
        if cell is None:
            cells.append(previous if fill and previous and not any(c.isdigit() for c in previous) else "")
            continue
        text = _plain("".join(cell.split("\n")).strip())
        text = " ".join(text.split())
        cells.append(text)
        previous = text
    return cells


def _page_items(page, number: int) -> list[tuple]:
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]
    lines = page.extract_text_lines()
    # the right margin: where most long lines end (a few lines may stick out)
    ends = sorted(line["x1"] for line in lines if len(line["text"]) >= 15) or [0]
    right = ends[int(len(ends) * 0.8) - 1 if len(ends) > 1 else 0]
    items = []
    for index, line in enumerate(lines, start=1):
        if not _inside(line, boxes) and line["text"].strip():
            # a line that runs to the right margin was wrapped: it cannot be a whole heading
            line["full"] = line["x1"] >= right - 24
            line["margin"] = line["top"] < page.height * 0.08 or line["bottom"] > page.height * 0.92
            items.append((line["top"], "text", _plain(line["text"].strip()), (number, index), line))
    for table in tables:
        items.append((table.bbox[1], "table", table.extract(), (number, 0), None))
    return sorted(items, key=lambda item: item[0])


def _repeated(pages: list[list[tuple]]) -> set[str]:
    """Texts (digits masked) that open or close most pages: running headers and footers."""
    if len(pages) < 3:
        return set()
    seen: Counter[str] = Counter()
    for items in pages:
        texts = [i for i in items if i[1] == "text" and i[4]["margin"]]
        for item in set(_DIGITS.sub("#", i[2]) for i in texts[:2] + texts[-2:]):
            seen[item] += 1
    return {text for text, count in seen.items() if count >= max(3, len(pages) // 2)}


def read_pdf(path: Path) -> tuple[str, Locations]:
    import pdfplumber  # a dependency, imported here to keep it off the start-up of text-only runs

    try:
        with pdfplumber.open(str(path)) as pdf:
            pages = [_page_items(page, number) for number, page in enumerate(pdf.pages, start=1)]
            has_text = any(page.chars for page in pdf.pages)
    except Exception:  # pdfminer raises many kinds for a damaged file
        raise InputError(str(path), "无法读取 PDF：文件已损坏或不是 PDF 格式",
                         "cannot read the PDF: the file is damaged or not a PDF") from None
    if not has_text:
        raise InputError(str(path), "PDF 没有文字层（扫描件），budgetlint 不做文字识别（OCR）",
                         "the PDF has no text layer (a scan); budgetlint does no OCR")
    return assemble(pages)


def assemble(pages: list[list[tuple]]) -> tuple[str, Locations]:
    """The text of laid-out pages, from each page's items (top, "text" | "table", text | rows,
    (page, line), line box with "full" and "margin") in reading order."""
    repeated = _repeated(pages)
    lines: list[str] = []
    locations = Locations()
    open_paragraph = False
    for items in pages:
        for _, kind, content, (page, index), line in items:
            if kind == "table":
                open_paragraph = False
                rows = [row for row in content if any(cell for cell in row)]
                first = [cell for cell in rows[0] if cell] if rows else []
                if len(first) == 1 and ("\n" in first[0] or "表" in first[0]) and len(rows) > 1:
                    for text in _plain(first[0]).split("\n"):
                        lines.append(" ".join(text.split()))
                        locations.add([(1, f"第{page}页 表格标题", False)])
                    rows = rows[1:]
                for number, row in enumerate(rows, start=1):
                    lines.append("\t".join(_cells(row)))
                    locations.add([(1, f"第{page}页 表格第{number}行", True)])
                continue
            text = content
            if _PAGE_NUMBER.match(text) or _DIGITS.sub("#", text) in repeated:
                continue
            label = f"第{page}页 第{index}行"
            heading = (_OUTLINE.match(text) and not text.endswith(_END)
                       and (len(text) <= 16 or (len(text) <= 40 and not line["full"])))
            if open_paragraph and not heading and not _ITEM.match(text):
                start = len(lines[-1]) + 1
                lines[-1] += text
                locations.lines[-1].append((start, label, False))
            else:
                lines.append(("## " if heading else "") + text)
                locations.add([(1, label, False)])
            # only a line that runs to the right margin was wrapped and goes on in the next one
            open_paragraph = bool(not heading and line["full"] and not text.endswith(_END))
    return "\n".join(lines) + "\n", locations
