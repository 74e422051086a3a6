"""Word drafts (.docx): paragraphs and tables in document order, one line per block."""
from __future__ import annotations

import re
from pathlib import Path

from .errors import InputError
from .limits import MB, Limits, over_limit
from .locations import Locations
from .numbering import OUTLINE as _OUTLINE

_HEADING_STYLE = re.compile(r"(?:Heading|标题)\s*(\d)", re.IGNORECASE)


def _heading_level(paragraph, text: str) -> int:
    style = paragraph.style.name if paragraph.style is not None else ""
    match = _HEADING_STYLE.search(style or "")
    if match:
        return int(match.group(1))
    return 2 if outline_heading(text) else 0


def outline_heading(text: str) -> bool:
    """A short paragraph numbered like the outline (第一部分, 一、, （一）) that ends no sentence."""
    return bool(_OUTLINE.match(text)) and len(text) <= 60 and not text.endswith(("。", "；"))


def _row_cells(row) -> list[str]:
    """Cell texts of a row, one per column of the layout grid: a cell merged across columns is
    given once and its other columns blank, and so is a cell merged down from the row above
    (w:vMerge) and a column the row starts after (w:gridBefore). Read from the row's XML:
    python-docx refuses a merge that continues in a table's first row, which some editors write."""
    from docx.table import _Cell

    tr = row._tr
    texts = [""] * tr.grid_before
    for tc in tr.tc_lst:
        text = "" if tc.vMerge == "continue" else " ".join(_Cell(tc, row).text.split())
        texts += [text] + [""] * (tc.grid_span - 1)
    return texts


def _unpacked(path: Path) -> int:
    """Bytes the .docx's parts take once unpacked, as its directory declares them (zipfile
    stops a part at its declared size, so a part cannot unpack to more)."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return sum(info.file_size for info in archive.infolist())


def read_docx(path: Path, limits: Limits = Limits()) -> tuple[str, Locations]:
    import docx  # a dependency, imported here to keep it off the start-up of text-only runs
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    damaged = InputError(str(path), "无法读取 Word 文件：文件已损坏或不是 .docx 格式（.doc 文件请先另存为 .docx）",
                         "cannot read the Word file: it is damaged or not a .docx (save a .doc as .docx first)")
    try:
        unpacked = _unpacked(path)
        if limits.max_unpacked and unpacked > limits.max_unpacked * MB:
            raise over_limit(str(path), "max_unpacked", unpacked // MB, limits.max_unpacked)
        document = docx.Document(str(path))
    except (InputError, MemoryError):
        raise
    except Exception:  # python-docx raises many kinds for a damaged file
        raise damaged from None
    if not hasattr(document.element, "body"):  # the main part is some other XML than a w:document
        raise damaged
    lines: list[str] = []
    locations = Locations()
    paragraphs = tables = 0
    body = document.element.body
    for child in body.iterchildren() if body is not None else ():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            text = " ".join(paragraph.text.replace("\t", " ").split())
            if not text:
                continue
            paragraphs += 1
            level = _heading_level(paragraph, text)
            prefix = "#" * level + " " if level else ""
            lines.append(prefix + text)
            locations.add([(1, f"第{paragraphs}段", False)])
        elif tag == "tbl":
            tables += 1
            table = Table(child, document)
            for number, row in enumerate(table.rows, start=1):
                lines.append("\t".join(_row_cells(row)))
                locations.add([(1, f"表格{tables} 第{number}行", True)])
    if not lines:
        raise InputError(str(path), "Word 文件中没有文字", "the Word file has no text")
    return "\n".join(lines) + "\n", locations
