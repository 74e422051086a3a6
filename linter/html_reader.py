"""Published web pages (.html, .htm): the article's paragraphs and tables in reading order,
one line per block, like a Word draft ("第12段", "表格3 第5行 第2列").

A saved page holds the site around the article: menus, link lists, footers, scripts. The
article is the smallest element that holds nearly all of the page's text that is not link
text; inside it, blocks made of links to other pages (breadcrumbs, share bars) are left out.

Some sites publish a PDF converted to HTML: pages of absolutely placed lines of text, with table
rules drawn as thin boxes. Those pages are read like a PDF (pdf_reader.assemble): lines by
position, tables from the rules' grid, located as "第3页 第12行" in the order of the pages.
"""
from __future__ import annotations

import codecs
import re
from collections import Counter
from pathlib import Path

from .docx_reader import outline_heading
from .errors import InputError
from .locations import Locations

_CHARSET = re.compile(rb"<meta[^>]{0,300}?charset\s*=\s*[\"']?\s*([-\w:.]+)", re.IGNORECASE)
# browsers read a page labelled gb2312 or gbk as GBK; GB18030 is its superset
_GB = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936"}
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SKIP = {"script", "style", "noscript", "template", "head", "title", "iframe", "svg", "math", "select",
         "option", "button", "input", "textarea", "nav", "header", "footer", "aside", "object", "embed",
         "canvas", "map", "audio", "video"}
_BLOCK = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "section", "article",
          "main", "center", "address", "figure", "figcaption", "form", "hr", "body", "html", "caption",
          "fieldset", "details", "summary", "tr", "td", "th", "tbody", "thead", "tfoot"}
_TABLE_PARTS = {"table", "thead", "tbody", "tfoot", "tr", "td", "th"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_PLACE = re.compile(r"(?:^|;)\s*(left|top|width|height|font-size)\s*:\s*(-?\d+(?:\.\d+)?)(?:px|pt)?\s*(?=;|$)",
                    re.IGNORECASE)
_BORDER = re.compile(r"border-(top|bottom|left|right)\s*:\s*\d", re.IGNORECASE)
_WIDE = re.compile(r"[\u2e80-\ufaff\uff00-\uffef]")
ARTICLE_SHARE = 0.85  # the article holds at least this share of the page's own (non-link) text


def decode_page(data: bytes, name: str) -> str:
    """The page's text: its byte order mark, else its <meta charset>, else UTF-8 or GB18030."""
    from .reader import decode

    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data, name)[0]
    declared = _CHARSET.search(data[:4096])
    if declared:
        label = declared.group(1).decode("ascii", "replace").lower()
        try:
            encoding = "gb18030" if label in _GB else codecs.lookup(label).name
        except LookupError:
            encoding = None
        if encoding and not encoding.startswith("utf-16"):  # a page in UTF-16 starts with a BOM
            return data.decode(encoding, errors="replace")  # as a browser shows it: bad bytes as �
    return decode(data, name)[0]


def _shown(element) -> bool:
    return (isinstance(element.tag, str) and element.tag.lower() not in _SKIP
            and element.get("hidden") is None and not _HIDDEN.search(element.get("style") or ""))


def _own_text(element, sizes: dict) -> int:
    """Characters of text shown in `element` outside links, recorded for every element."""
    size = 0
    if _shown(element) and element.tag.lower() != "a":
        size = len("".join((element.text or "").split()))
        for child in element:
            size += _own_text(child, sizes) + len("".join((child.tail or "").split()))
    sizes[element] = size
    return size


def _article(root):
    """The smallest element holding nearly all of the page's own text."""
    sizes: dict = {}
    total = _own_text(root, sizes)
    article = root
    while True:  # never into a table of figures: a short paragraph above it belongs to it
        inner = next((child for child in article if sizes.get(child, 0) >= total * ARTICLE_SHARE
                      and not _in_figures(child)), None)
        if inner is None:
            return article
        article = inner


def _in_figures(element) -> bool:
    """Whether an element is a table of figures or a part of one."""
    if element.tag not in _TABLE_PARTS:
        return False
    table = element if element.tag == "table" else next(element.iterancestors("table"), None)
    return table is not None and not _layout(table)


def _title_before(article):
    """The nearest heading before the article, outside it (the page's title is often there)."""
    for ancestor in [article, *article.iterancestors()]:
        for sibling in ancestor.itersiblings(preceding=True):
            if not _shown(sibling):
                continue
            headings = [h for h in sibling.iter("h1", "h2", "h3") if _words(h)]  # itself too
            if headings:
                return headings[-1]
    return None


def _words(element) -> str:
    """The text shown in an element, its white space collapsed."""
    parts: list[str] = []

    def walk(node):
        if _shown(node):
            parts.append(node.text or "")
            for child in node:
                walk(child)
                parts.append(child.tail or "")

    walk(element)
    return " ".join("".join(parts).split())


def _navigation(element) -> bool:
    """Two or more links to other pages and little else: a breadcrumb, a menu, a share bar."""
    links = [a for a in element.iter("a") if not (a.get("href") or "").startswith("#")]
    if len(links) < 2:
        return False
    linked = sum(len(_words(a)) for a in links)
    return linked * 2 >= len(_words(element))


def _layout(table) -> bool:
    """A table that lays out the page (it holds tables, or is one cell) rather than figures."""
    cells = table.xpath("./tr/td|./tr/th|./*/tr/td|./*/tr/th")
    return len(cells) <= 1 or any(cell.find(".//table") is not None for cell in cells)


def _span(cell, name: str, limit: int) -> int:
    try:
        return min(max(int(cell.get(name, "1")), 1), limit)
    except ValueError:
        return 1


def table_rows(table) -> list[list[str]]:
    """Cell texts of each row, one per column of the grid: a cell spanning columns is given
    once and its other columns blank, and so are the places a cell above spans down into."""
    rows: list[list[str]] = []
    below: dict[int, int] = {}  # column -> rows a cell from above still covers
    for tr in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        texts: list[str] = []

        def covered():
            while below.get(len(texts), 0) > 0:
                below[len(texts)] -= 1
                texts.append("")

        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            covered()
            across, down = _span(cell, "colspan", 1000), _span(cell, "rowspan", 10000)
            if down > 1:
                for column in range(len(texts), len(texts) + across):
                    below[column] = down - 1
            texts += [_words(cell)] + [""] * (across - 1)
        last = max((column for column, left in below.items() if left > 0), default=-1)
        while len(texts) <= last:  # the row ends before columns a cell above still covers
            if below.get(len(texts), 0) > 0:
                covered()
            else:
                texts.append("")
        rows.append(texts)
    return rows


def _measures(element) -> dict[str, float]:
    """left, top, width, height and font-size given in an element's inline style."""
    if not isinstance(element.tag, str):
        return {}
    return {key.lower(): float(value) for key, value in _PLACE.findall(element.get("style") or "")}


def _place(element) -> dict[str, float] | None:
    """The measures of an element placed by position (left and top), else None."""
    values = _measures(element)
    return values if "left" in values and "top" in values else None


def _laid_out(element) -> bool:
    """A page of a PDF converted to HTML: most of its children are placed by position."""
    placed = sum(1 for child in element if _place(child))
    return placed >= 3 and placed * 2 > len(element)


def _edges(place: dict[str, float], style: str) -> list[dict]:
    """The table rules a thin bordered box draws, as pdfplumber edges."""
    left, top = place["left"], place["top"]
    right, bottom = left + place.get("width", 0), top + place.get("height", 0)
    edges = []
    for side in _BORDER.findall(style):
        side = side.lower()
        if side in ("top", "bottom") and right > left:
            y = top if side == "top" else bottom
            edges.append({"orientation": "h", "x0": left, "x1": right, "top": y, "bottom": y,
                          "width": right - left, "height": 0})
        elif side in ("left", "right") and bottom > top:
            x = left if side == "left" else right
            edges.append({"orientation": "v", "x0": x, "x1": x, "top": top, "bottom": bottom,
                          "width": 0, "height": bottom - top})
    return edges


def _grid_tables(edges: list[dict], boxes: list[dict], number: int) -> list[tuple[float, list[tuple]]]:
    """(top, rows) of each table the rules draw, each row its cells filled with the text boxes
    inside them (a cell merged away is None, as pdfplumber's extract() gives it) and the cells'
    boxes, as pdf_reader gives them (page, x0, top, x1, bottom, indent). Boxes used are marked."""
    from pdfplumber.table import (Table, cells_to_tables, edges_to_intersections,
                                  intersections_to_cells, merge_edges)

    edges = merge_edges(edges, 3, 3, 3, 3)
    tables = []
    for cells in cells_to_tables(intersections_to_cells(edges_to_intersections(edges, 3, 3))):
        texts: dict[tuple, list[dict]] = {}
        for box in boxes:
            x, y = box["x0"] + 0.5, (box["top"] + box["bottom"]) / 2
            cell = next((c for c in cells if c[0] <= x < c[2] and c[1] <= y < c[3]), None)
            if cell is not None:
                texts.setdefault(cell, []).append(box)
                box["table"] = True
        table = Table(None, cells)
        rows = [[None if cell is None else "\n".join(
                    part["text"] for part in sorted(texts.get(cell, ()), key=lambda p: (p["top"], p["x0"])))
                 for cell in row.cells] for row in table.rows]
        places = [[cell and (number, *cell, _indent(cell, texts.get(cell))) for cell in row.cells]
                  for row in table.rows]
        tables.append((table.bbox[1], list(zip(rows, places))))
    return tables


def _indent(cell: tuple, parts: list[dict] | None) -> float | None:
    """How far the cell's first line of text starts from its left edge, in characters."""
    if not parts:
        return None
    first = min(parts, key=lambda part: (part["top"], part["x0"]))
    return round((first["x0"] - cell[0]) / first["size"], 2) if first["size"] else None


def _width(text: str, size: float) -> float:
    """How wide a line of text is printed: CJK characters a full em, others about half."""
    wide = len(_WIDE.findall(text))
    return (wide + (len(text) - wide) * 0.55) * size


def _page_items(page, number: int) -> list[tuple]:
    """A laid-out page's text lines and tables as pdf_reader.assemble takes them."""
    from .pdf_reader import set_apart

    boxes, edges = [], []
    for child in page:
        place = _place(child)
        if place is None:
            continue
        text = _words(child)
        if text:
            size = place.get("font-size", 10.0)
            boxes.append({"text": text, "top": place["top"], "bottom": place["top"] + size,
                          "x0": place["left"], "x1": place["left"] + _width(text, size), "size": size})
        else:
            edges += _edges(place, child.get("style") or "")
    tables = _grid_tables(edges, boxes, number) if edges else []
    lines: list[dict] = []
    for box in sorted((b for b in boxes if not b.get("table")), key=lambda b: (b["top"], b["x0"])):
        line = lines[-1] if lines else None
        if line and abs(box["top"] - line["top"]) < box["size"] / 3:  # the same line of print
            gap = " " if box["x0"] - line["x1"] > box["size"] / 2 else ""
            line.update(text=line["text"] + gap + box["text"], x1=max(line["x1"], box["x1"]))
        else:
            lines.append(dict(box))
    size = _measures(page)
    height = size.get("height") or max((line["bottom"] for line in lines), default=0)
    ends = sorted(line["x1"] for line in lines if len(line["text"]) >= 15)
    left = min((line["x0"] for line in lines), default=0)
    width = size.get("width") or max((line["x1"] for line in lines), default=0) + left
    if len(ends) >= 3:  # the right margin: where most long lines end (a few may stick out)
        right = ends[int(len(ends) * 0.8) - 1]
    else:  # too few long lines to tell (a page of tables): as wide a margin as the left one
        right = width - left
    sizes = Counter()
    for box in boxes:
        sizes[box["size"]] += len(box["text"])
    body_size = sizes.most_common(1)[0][0] if sizes else 0
    items = [(top, "table", rows, (number, 0), None) for top, rows in tables]
    for index, line in enumerate(lines, start=1):
        # widths are estimated (justified print stretches a line): within three characters
        line["full"] = line["x1"] >= right - 3 * line["size"]
        line["emphasised"] = set_apart(line, body_size, width)
        line["margin"] = line["top"] < height * 0.08 or line["bottom"] > height * 0.92
        items.append((line["top"], "text", line["text"], (number, index), line))
    return sorted(items, key=lambda item: item[0])


class _Writer:
    """Lines of the text and where each came from."""

    def __init__(self):
        self.lines: list[str] = []
        self.locations = Locations()
        self.pending: list[str] = []
        self.paragraphs = self.tables = self.pages = 0

    def flush(self, level: int = 0) -> None:
        text = " ".join("".join(self.pending).split())
        self.pending = []
        if text:
            level = level or (2 if outline_heading(text) else 0)
            self.paragraphs += 1
            self.lines.append("#" * level + " " + text if level else text)
            self.locations.add([(1, f"第{self.paragraphs}段", False)])

    def table(self, rows: list[list[str]]) -> None:
        self.tables += 1
        for number, row in enumerate(rows, start=1):
            if any(row):
                self.lines.append("\t".join(row))
                self.locations.add([(1, f"表格{self.tables} 第{number}行", True)])

    def laid_out(self, pages: list) -> None:
        """Consecutive pages of a converted PDF, read as a PDF is."""
        from .pdf_reader import assemble

        items = []
        for page in pages:
            self.pages += 1
            items.append(_page_items(page, self.pages))
        text, locations = assemble(items)
        self.lines += text.split("\n")[:-1]
        self.locations.lines += locations.lines[1:]

    def walk(self, element) -> None:
        if not _shown(element):
            return
        tag = element.tag.lower()
        if tag in _HEADINGS:
            self.flush()
            self.pending.append(_words(element))
            self.flush(_HEADINGS[tag])
            return
        if tag == "br":
            self.flush()
            return
        if tag == "table" and not _layout(element):
            self.flush()
            for caption in element.iter("caption"):
                self.pending.append(_words(caption))
                self.flush()
            self.table(table_rows(element))
            return
        block = tag in _BLOCK or tag == "table"
        if block:
            self.flush()
            if tag != "body" and _navigation(element):
                return
        self.pending.append(element.text or "")
        pages: list = []
        for child in element:
            if _laid_out(child):
                pages.append(child)
                continue
            if pages:
                self.flush()
                self.laid_out(pages)
                pages = []
            self.walk(child)
            self.pending.append(child.tail or "")
        if pages:
            self.flush()
            self.laid_out(pages)
        if block:
            self.flush()


def read_html(path: Path) -> tuple[str, Locations]:
    import lxml.html  # a dependency (of python-docx), imported here to keep it off text-only runs

    text = decode_page(path.read_bytes(), str(path))
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"),
                                             parser=lxml.html.HTMLParser(encoding="utf-8"))
    except Exception:  # lxml raises ParserError for a page with no elements at all
        root = None
    writer = _Writer()
    if root is not None:
        body = root.find("body")
        article = _article(body if body is not None else root)
        title = _title_before(article)
        if title is not None:
            writer.pending.append(_words(title))
            writer.flush(_HEADINGS[title.tag])
        writer.walk(article)
        writer.flush()
    if not writer.lines:
        raise InputError(str(path), "网页中没有文字", "the web page has no text")
    return "\n".join(writer.lines) + "\n", writer.locations
