"""Published PDFs: page text and tables (pdfplumber's table finder), in reading order.

Running headers and page numbers are dropped, the lines of a paragraph are joined (also across
a page break, and in a paragraph set short of the margin, after its indented first line), a title
printed inside a table's first row is put above the table, and cells merged across columns carry
their label (so a total's label reaches the column of its figure).
Each output line remembers its page and line: "第3页 第12行".
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from .errors import InputError
from .locations import Locations
from .numbering import ITEM_START, PART, heading_goes_on, is_heading

_PAGE_NUMBER = re.compile(r"^[\s\-—–·•]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*/\s*\d{1,4})?[\s\-—–·•]*$")
_END = ("。", "；", "！", "？", "：", ":")
_UNIT_START = re.compile(r"^(?:万元|亿元|元|%|％)")
_PROSE = re.compile(r"[，,。；;]")  # a line with a clause in it, not a title


def _is_prose(line: str) -> bool:
    return "\t" not in line and not line.startswith("## ") and line[-1:].isdigit()
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


def _unpainted(shape: dict) -> bool:
    """A shape filled with white and not outlined draws nothing on the page (a word processor's
    shading behind each run of a paragraph): its edges are no ruling, and the runs inside no table."""
    if not shape.get("fill") or shape.get("stroke"):
        return False
    color = shape.get("non_stroking_color")
    values = tuple(color) if isinstance(color, (tuple, list)) else (color,)
    if not values or not all(isinstance(value, (int, float)) for value in values):
        return False
    return all(value == 0 for value in values) if len(values) == 4 else all(value == 1 for value in values)


def _page_items(page, number: int) -> list[tuple]:
    if any(_unpainted(shape) for shape in page.rects):
        page = page.filter(lambda item: not _unpainted(item))
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]
    lines = page.extract_text_lines()
    # the right margin: where most long lines end (a few lines may stick out)
    ends = sorted(line["x1"] for line in lines if len(line["text"]) >= 15) or [0]
    right = ends[int(len(ends) * 0.8) - 1 if len(ends) > 1 else 0]
    body_size = _body_size(page)
    items = []
    for index, line in enumerate(lines, start=1):
        if not _inside(line, boxes) and line["text"].strip():
            # a line that runs to the right margin was wrapped: it cannot be a whole heading
            line["full"] = line["x1"] >= right - 24
            line["size"] = max(char["size"] for char in line["chars"]) if line["chars"] else 0
            line["emphasised"] = set_apart(line, body_size, page.width)
            line["margin"] = line["top"] < page.height * 0.08 or line["bottom"] > page.height * 0.92
            items.append((line["top"], "text", _plain(line["text"].strip()), (number, index), line))
    for table in tables:
        # each cell with its box, so that a finding can say where on the page it is, and how far
        # its text is indented (an outline printed without codes shows its levels so)
        indent = _indents(page, table.bbox)
        boxes = [[cell and (number, *cell, indent(cell)) for cell in row.cells] for row in table.rows]
        items.append((table.bbox[1], "table", list(zip(table.extract(), boxes)), (number, 0), None))
    return sorted(items, key=lambda item: item[0])


def _indents(page, bbox: tuple):
    """A function giving a cell's indent: how far the first line of its text starts from the
    cell's left edge, in characters of its own type size (None for a cell without text)."""
    x0, top, x1, bottom = bbox
    chars = sorted((c for c in page.chars if not c["text"].isspace() and x0 - 1 <= c["x0"] <= x1
                    and top <= (c["top"] + c["bottom"]) / 2 <= bottom), key=lambda c: c["top"] + c["bottom"])
    middles = [(c["top"] + c["bottom"]) / 2 for c in chars]

    def indent(cell: tuple) -> float | None:
        left, upper, right, lower = cell
        inside = [c for c in chars[bisect_left(middles, upper):bisect_right(middles, lower)]
                  if left - 1 <= c["x0"] and (c["x0"] + c["x1"]) / 2 <= right]
        if not inside:
            return None
        first = min(c["top"] for c in inside)
        start = min((c for c in inside if c["top"] < first + c["size"] / 2), key=lambda c: c["x0"])
        return round((start["x0"] - left) / start["size"], 2) if start["size"] else None

    return indent


def set_apart(line: dict, body_size: float, width: float) -> bool:
    """Whether a line is set apart from the text: in larger type, or centred on a line of its own."""
    return line["size"] > body_size + 0.5 or (
        not line["full"] and abs(line["x0"] + line["x1"] - width) < width * 0.08 and line["x0"] > width * 0.2)


def _body_size(page) -> float:
    """The size of the type most of the page's characters are set in."""
    sizes = Counter(round(char["size"], 1) for char in page.chars if not char["text"].isspace())
    return sizes.most_common(1)[0][0] if sizes else 0


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


def _columns(rows: list[tuple]) -> list[tuple[float, float]]:
    """The columns' x-ranges of a table: those of its row with the most cells of their own."""
    boxes = max((boxes for _, boxes in rows), key=lambda boxes: sum(1 for box in boxes if box), default=[])
    return [(box[1], box[3]) if box else None for box in boxes]


def _overlap(box: tuple, column: tuple[float, float] | None) -> float:
    return 0.0 if column is None else max(0.0, min(box[3], column[1]) - max(box[1], column[0]))


def _align(rows: list[tuple], columns: list) -> list[tuple] | None:
    """A table continued on the next page whose cells were found in other columns (a column
    empty on that page is not found at all): each cell moved to the column above it by its
    x-position. None when the cells do not stand under those columns."""
    aligned = []
    for cells, boxes in rows:
        texts, placed = [""] * len(columns), [None] * len(columns)
        for text, box in zip(cells, boxes):
            if box is None:
                continue
            best = max(range(len(columns)), key=lambda index: _overlap(box, columns[index]))
            # the same template prints a column at the same place on every page
            if _overlap(box, columns[best]) < (box[3] - box[1]) * 0.9 or (text and texts[best]):
                return None
            texts[best], placed[best] = text, box
        aligned.append((texts, placed))
    return aligned


@contextmanager
def _pdf_pages(path: Path, pdfminer: bool):
    """The pages as pdfplumber pages: read by PDFium, or (pdfminer=True, for bench/pdf.py and the
    test of what wrong font metrics did) by pdfplumber's own pdfminer path, about four times slower."""
    if pdfminer:
        import pdfplumber

        with pdfplumber.open(str(path)) as pdf:
            yield pdf.pages
    else:
        from . import pdfium_pages  # imported here to keep PDFium off the start-up of text-only runs

        with pdfium_pages.pages(path) as pages:
            yield pages


def read_pdf(path: Path, pdfminer: bool = False) -> tuple[str, Locations]:
    try:
        with _pdf_pages(path, pdfminer) as pdf_pages:
            pages, has_text = [], False
            for number, page in enumerate(pdf_pages, start=1):
                pages.append(_page_items(page, number))
                has_text = has_text or bool(page.chars)
    except MemoryError:  # not a damaged file: said as such by the caller
        raise
    except Exception:  # PDFium and pdfminer raise many kinds for a damaged file
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
    columns: list = []  # the x-ranges of the last table's columns
    open_heading = (0.0, 0)  # type size and page of a heading that may go on in the next line
    # a paragraph set short of the page's margin: where its first line starts, and whether the
    # last line stopped mid-clause (本单位固⏎定资产总量为…)
    indent, stopped_short = 0.0, False
    for items in pages:
        first_on_page = True
        for _, kind, content, (page, index), line in items:
            if kind == "table":
                open_paragraph, open_heading, stopped_short = False, (0.0, 0), False
                rows = [(row, boxes) for row, boxes in content if any(cell for cell in row)]
                if first_on_page and columns and rows and len(rows[0][0]) != len(columns):
                    rows = _align(rows, columns) or rows  # the table goes on from the page before
                first_on_page = False
                columns = _columns(rows)
                first = [cell for cell in rows[0][0] if cell] if rows else []
                if len(first) == 1 and ("\n" in first[0] or "表" in first[0]) and len(rows) > 1:
                    for text in _plain(first[0]).split("\n"):
                        lines.append(" ".join(text.split()))
                        locations.add([(1, f"第{page}页 表格标题", False)])
                    rows = rows[1:]
                for number, (row, boxes) in enumerate(rows, start=1):
                    lines.append("\t".join(_cells(row)))
                    locations.add([(1, f"第{page}页 表格第{number}行", True)], boxes)
                continue
            text = content
            if _PAGE_NUMBER.match(text) or _DIGITS.sub("#", text) in repeated:
                continue
            first_on_page, columns = False, []  # text between: the next table is another one
            label = f"第{page}页 第{index}行"
            if open_heading[1] == page and heading_goes_on(text, line["size"], open_heading[0]):
                # after "第二部分" comes the part's title; a wrapped title goes on without a space
                space = " " if PART.fullmatch(lines[-1].removeprefix("## ")) else ""
                locations.lines[-1].append((len(lines[-1]) + len(space) + 1, label, False))
                lines[-1] += space + text
                open_heading = open_heading if line["full"] else (0.0, 0)
                continue
            heading = is_heading(text, wrapped=line["full"], emphasised=line["emphasised"])
            # a part's title may follow "第二部分" on a line of its own, a long heading wraps
            open_heading = (line["size"], page) if heading and (line["full"] or PART.fullmatch(text)) else (0.0, 0)
            # a line that starts with a unit ("万元,较上年增加…") is the rest of the figure above it
            unit_goes_on = bool(_UNIT_START.match(text)) and bool(lines) and _is_prose(lines[-1])
            # the first line of a paragraph is indented (by two characters): a line that stopped
            # short goes on in one that starts left of it
            unindented = stopped_short and 0.8 <= (indent - line["x0"]) / max(line["size"], 1) <= 3
            if (open_paragraph or unit_goes_on or unindented) and not heading and not ITEM_START.match(text):
                start = len(lines[-1]) + 1
                lines[-1] += text
                locations.lines[-1].append((start, label, False))
            else:
                lines.append(("## " if heading else "") + text)
                locations.add([(1, label, False)])
                indent = line["x0"]
            # only a line that runs to the right margin was wrapped and goes on in the next one
            open_paragraph = bool(not heading and line["full"] and not text.endswith(_END))
            stopped_short = bool(not heading and not line["full"] and not text.endswith(_END)
                                 and _PROSE.search(text))
    return "\n".join(lines) + "\n", locations
