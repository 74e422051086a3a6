"""PDF pages read by PDFium (pypdfium2), in the shapes pdfplumber's table finder and line grouping take.

pdfplumber reads a page with pdfminer, in pure Python: 10–60 ms a page, nearly all of a lint.
PDFium reads the same characters and paths in about a millisecond. Each page here is a
pdfplumber `Page` whose objects (characters, lines, rectangles, curves) come from PDFium, so
`find_tables` and `extract_text_lines` run unchanged and tables keep their cells.

What this relies on in pdfplumber (0.11.x, tested with 0.11.10; pinned in pyproject.toml): a
`Page` whose `_objects` are set is never parsed by pdfminer; `find_tables` and
`extract_text_lines` read only `chars`, `edges` (made from the `line`, `rect` and `curve`
objects), `bbox`, `width` and `height`; objects are dicts with pdfminer's coordinates as
pdfplumber turns them (x from the left, top and bottom from the top of the page, as displayed).

A character's box is built from its baseline and font size (bottom = baseline + 0.2 × size,
top = bottom − size), not from the font's declared descent: some producers (ONLYOFFICE among
them) declare metrics in the wrong units, and boxes built from them put Latin digits a line
below the Chinese text on the same baseline.

PDFium's text page leaves out text objects without width. That is right for blanks, but a CJK
font that is neither embedded nor installed has no outlines, so a cell holding one character
("类", "款") in it has no width either: such a page is read by pdfminer instead.
"""
from __future__ import annotations

import ctypes
import math
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import pdfplumber.page
import pypdfium2
import pypdfium2.raw as pdfium

_DESCENT = 0.2  # of the font size: where a box's bottom lies below the baseline
# Coordinates are rounded to 0.001 pt: PDFium computes in 32-bit floats, and its 754.2600097
# against pdfminer's 754.26 would tip comparisons made at an exact edge (a line that reaches
# the right margin) the other way.
_PLACES = 3
_GENERATED = {0x20, 0x0D, 0x0A}  # PDFium adds these between words and lines; only they can be made up


def _fast(function, result, *arguments):
    """`function` called with plain integers (addresses) instead of typed pointers: the
    per-character calls run a few thousand times a page, and ctypes' conversions of typed
    pointers cost more than PDFium's work."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(result, *arguments)(address)


_P, _I = ctypes.c_void_p, ctypes.c_int
_unicode = _fast(pdfium.FPDFText_GetUnicode, ctypes.c_uint, _P, _I)
_generated = _fast(pdfium.FPDFText_IsGenerated, _I, _P, _I)
_text_object = _fast(pdfium.FPDFText_GetTextObject, _P, _P, _I)
_origin = _fast(pdfium.FPDFText_GetCharOrigin, _I, _P, _I, _P, _P)
_loose_box = _fast(pdfium.FPDFText_GetLooseCharBox, _I, _P, _I, _P)
_char_matrix = _fast(pdfium.FPDFText_GetMatrix, _I, _P, _I, _P)
_font_size = _fast(pdfium.FPDFText_GetFontSize, ctypes.c_double, _P, _I)
_text_font = _fast(pdfium.FPDFTextObj_GetFont, _P, _P)
_count_objects = _fast(pdfium.FPDFPage_CountObjects, _I, _P)
_get_object = _fast(pdfium.FPDFPage_GetObject, _P, _P, _I)
_count_form_objects = _fast(pdfium.FPDFFormObj_CountObjects, _I, _P)
_get_form_object = _fast(pdfium.FPDFFormObj_GetObject, _P, _P, ctypes.c_ulong)
_object_type = _fast(pdfium.FPDFPageObj_GetType, _I, _P)
_object_matrix = _fast(pdfium.FPDFPageObj_GetMatrix, _I, _P, _P)
_draw_mode = _fast(pdfium.FPDFPath_GetDrawMode, _I, _P, _P, _P)
_fill_color = _fast(pdfium.FPDFPageObj_GetFillColor, _I, _P, _P, _P, _P, _P)
_count_segments = _fast(pdfium.FPDFPath_CountSegments, _I, _P)
_segment = _fast(pdfium.FPDFPath_GetPathSegment, _P, _P, _I)
_segment_point = _fast(pdfium.FPDFPathSegment_GetPoint, _I, _P, _P, _P)
_segment_type = _fast(pdfium.FPDFPathSegment_GetType, _I, _P)
_segment_close = _fast(pdfium.FPDFPathSegment_GetClose, _I, _P)


def _address(pointer) -> int:
    return ctypes.cast(pointer, ctypes.c_void_p).value


def _multiply(m, n):
    """The affine map m followed by n (PDF's row-vector convention, as pdfminer's mult_matrix)."""
    a, b, c, d, e, f = m
    a1, b1, c1, d1, e1, f1 = n
    return (a * a1 + b * c1, a * b1 + b * d1, c * a1 + d * c1, c * b1 + d * d1,
            e * a1 + f * c1 + e1, e * b1 + f * d1 + f1)


def _geometry(page) -> tuple[tuple, tuple]:
    """pdfplumber's page box, and the map from PDF user space to its coordinates (x from the
    left, y from the top of the page as displayed): pdfminer's rotation matrix
    (PDFPageInterpreter.process_page), then pdfplumber's flip (Page.process_object)."""
    x0, y0, x1, y1 = page.get_mediabox()
    x0, x1 = sorted((x0, x1))
    y0, y1 = sorted((y0, y1))
    rotation = page.get_rotation()
    rotate = {90: (0, -1, 1, 0, -y0, x1), 180: (-1, 0, 0, -1, x1, y1),
              270: (0, 1, -1, 0, y1, -x0)}.get(rotation, (1, 0, 0, 1, -x0, -y0))
    left, low, right, high = (y0, x0, y1, x1) if rotation in (90, 270) else (x0, y0, x1, y1)
    height = high - low
    top = height - high
    bbox = (left, top, right, height - low)
    return bbox, _multiply(rotate, (1, 0, 0, -1, left, height + top))


class PdfiumPage(pdfplumber.page.Page):
    """A pdfplumber page whose objects were read by PDFium (pdfminer never sees the page)."""

    def __init__(self, number: int, bbox: tuple, doctop: float, objects: dict[str, list[dict]]):
        self.pdf = None
        self.root_page = self
        self.page_obj = None
        self.page_number = number
        self.initial_doctop = doctop
        self.rotation = 0  # the objects are already in the page's displayed orientation
        self.mediabox = self.cropbox = self.bbox = bbox
        self._objects = objects
        self.get_textmap = lru_cache()(self._get_textmap)


def _chars(text_page, number: int, doctop: float, to_page: tuple, kept: dict) -> list[dict]:
    """The page's characters; `kept` gets each text object PDFium read, with its first index."""
    handle = _address(text_page.raw)
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    box, matrix = pdfium.FS_RECTF(), pdfium.FS_MATRIX()
    at_x, at_y = ctypes.addressof(origin_x), ctypes.addressof(origin_y)
    at_box, at_matrix = ctypes.addressof(box), ctypes.addressof(matrix)
    pa, pb, pc, pd, pe, pf = to_page
    chars, fonts, last = [], {}, object()  # a text object may be NULL (None)
    for index in range(pdfium.FPDFText_CountChars(text_page.raw)):
        code = _unicode(handle, index)
        if code in _GENERATED and _generated(handle, index):
            continue
        text_object = _text_object(handle, index)
        if text_object != last:
            last = text_object
            kept.setdefault(text_object, index)
            _char_matrix(handle, index, at_matrix)
            m = _multiply((matrix.a, matrix.b, matrix.c, matrix.d, 0, 0), (pa, -pb, pc, -pd, 0, 0))
            upright = m[0] * m[3] > 0 and m[1] * m[2] <= 0  # pdfminer's LTChar.upright
            size = round(_font_size(handle, index) * math.hypot(m[2], m[3]), _PLACES)
            font = _text_font(text_object)
            fontname = fonts.get(font) or fonts.setdefault(font, _font_name(font))
        _origin(handle, index, at_x, at_y)
        _loose_box(handle, index, at_box)
        ox, oy = origin_x.value, origin_y.value
        corners = [(round(pa * x + pc * y + pe, _PLACES), round(pb * x + pd * y + pf, _PLACES))
                   for x, y in ((box.left, box.bottom), (box.right, box.top))]
        x0, x1 = sorted((corners[0][0], corners[1][0]))
        if upright:
            bottom = round(pb * ox + pd * oy + pf + _DESCENT * size, _PLACES)
            top = bottom - size
        else:  # turned text: the box PDFium gives
            top, bottom = sorted((corners[0][1], corners[1][1]))
        chars.append({"object_type": "char", "page_number": number, "text": chr(code), "fontname": fontname,
                      "size": size, "upright": upright, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
                      "doctop": doctop + top, "width": x1 - x0, "height": bottom - top})
    return chars


def _font_name(font: int | None) -> str:
    if not font:
        return ""
    font = ctypes.cast(font, pdfium.FPDF_FONT)
    size = pdfium.FPDFFont_GetBaseFontName(font, None, 0)
    buffer = ctypes.create_string_buffer(size)
    pdfium.FPDFFont_GetBaseFontName(font, buffer, size)
    return buffer.value.decode("utf-8", "replace")


def _paths(container: int, count, get, matrix: tuple, found: list, texts: list) -> None:
    """Every filled or stroked path's subpaths, as lists of (operator, end point) in page
    coordinates, also those inside form XObjects; `texts` gets the text objects."""
    own, fill, stroke = pdfium.FS_MATRIX(), ctypes.c_int(), ctypes.c_int()
    x, y = ctypes.c_float(), ctypes.c_float()
    rgba = [ctypes.c_uint() for _ in range(4)]
    at_rgba = [ctypes.addressof(value) for value in rgba]
    at_own, at_fill, at_stroke = ctypes.addressof(own), ctypes.addressof(fill), ctypes.addressof(stroke)
    at_x, at_y = ctypes.addressof(x), ctypes.addressof(y)
    for index in range(count(container)):
        item = get(container, index)
        kind = _object_type(item)
        if kind == pdfium.FPDF_PAGEOBJ_TEXT:
            texts.append(item)
        if kind not in (pdfium.FPDF_PAGEOBJ_PATH, pdfium.FPDF_PAGEOBJ_FORM):
            continue
        _object_matrix(item, at_own)
        placed = _multiply((own.a, own.b, own.c, own.d, own.e, own.f), matrix)
        if kind == pdfium.FPDF_PAGEOBJ_FORM:
            _paths(item, _count_form_objects, _get_form_object, placed, found, texts)
            continue
        _draw_mode(item, at_fill, at_stroke)
        if not (fill.value or stroke.value):
            continue
        _fill_color(item, *at_rgba)
        # as pdfplumber's objects say how a shape is painted (a white box behind a run of text
        # draws no line a reader sees)
        paint = {"fill": bool(fill.value), "stroke": bool(stroke.value),
                 "non_stroking_color": tuple(value.value / 255 for value in rgba[:3])}
        a, b, c, d, e, f = placed
        operations, curve_points, start = [], 0, None
        for number in range(_count_segments(item)):
            segment = _segment(item, number)
            _segment_point(segment, at_x, at_y)
            px, py = x.value, y.value
            point = (round(a * px + c * py + e, _PLACES), round(b * px + d * py + f, _PLACES))
            kind = _segment_type(segment)
            if kind == pdfium.FPDF_SEGMENT_MOVETO:
                operations.append(("m", point))
                start = point
            elif kind == pdfium.FPDF_SEGMENT_LINETO:
                operations.append(("l", point))
            else:  # a Bézier curve is three segments: two control points and its end
                curve_points += 1
                if curve_points % 3:
                    continue
                operations.append(("c", point))
            if _segment_close(segment) and start:
                operations.append(("h", start))
        subpath: list = []
        for operation in operations + [("m", None)]:
            if operation[0] == "m":
                if len(subpath) > 1:
                    found.append((subpath, paint))
                subpath = []
            subpath.append(operation)


def _shapes(subpaths: list, number: int, doctop: float, page_bottom: float) -> dict[str, list[dict]]:
    """pdfminer's sorting of painted subpaths into lines, rectangles and curves
    (PDFLayoutAnalyzer.paint_path), as pdfplumber's objects."""
    objects: dict[str, list[dict]] = {"line": [], "rect": [], "curve": []}
    for subpath, paint in subpaths:
        shape = "".join(o for o, _ in subpath)
        points = [p for _, p in subpath]
        if len(shape) > 3 and shape[-2:] == "lh" and points[-2] == points[0]:
            shape = shape[:-2] + "h"
            points.pop(-2)
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        if shape in ("ml", "mlh"):
            kind, xs, ys = "line", xs[:2], ys[:2]
        elif shape in ("mlllh", "mllll") and points[0] == points[4] and (
                (xs[0] == xs[1] and ys[1] == ys[2] and xs[2] == xs[3] and ys[3] == ys[0])
                or (ys[0] == ys[1] and xs[1] == xs[2] and ys[2] == ys[3] and xs[3] == xs[0])):
            kind, xs, ys = "rect", [xs[0], xs[2]], [ys[0], ys[2]]
        else:
            kind = "curve"
        x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
        shape_object = {"object_type": kind, "page_number": number, "x0": x0, "x1": x1, "top": top,
                        "bottom": bottom, "doctop": doctop + top, "width": x1 - x0, "height": bottom - top,
                        **paint}
        if kind == "rect":
            shape_object.update(y0=page_bottom - bottom, y1=page_bottom - top)  # rect_to_edges reads them
        if kind == "curve":
            shape_object["pts"] = points
        objects[kind].append(shape_object)
    return objects


def _lost_text(text_page, texts: list, kept: dict, glyphless: set) -> bool:
    """Whether PDFium's text page left out a text object that holds text. It leaves out
    objects without width: blanks, rightly, but also text in a font it has no outlines for (a
    CJK font neither embedded nor installed), whose characters then have empty glyph boxes.
    `glyphless` remembers such fonts across the document's pages."""
    dropped = {font for font in map(_text_font, (t for t in texts if t not in kept))
               if font and not pdfium.FPDFFont_GetIsEmbedded(ctypes.cast(font, pdfium.FPDF_FONT))}
    if not dropped - glyphless:
        return bool(dropped)
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    handle = _address(text_page.raw)
    for text_object, index in kept.items():
        font = _text_font(text_object)
        if font in dropped and not chr(_unicode(handle, index)).isspace():
            pdfium.FPDFText_GetCharBox(text_page.raw, index, left, right, bottom, top)
            if right.value - left.value < 0.01 or top.value - bottom.value < 0.01:
                glyphless.add(font)
    return bool(dropped & glyphless)


def read_page(page, number: int, doctop: float, glyphless: set) -> PdfiumPage | None:
    """The page, or None where PDFium's text page lost text (see _lost_text)."""
    bbox, to_page = _geometry(page)
    subpaths: list = []
    texts: list = []
    _paths(_address(page.raw), _count_objects, _get_object, to_page, subpaths, texts)
    text_page = page.get_textpage()
    kept: dict = {}
    try:
        chars = _chars(text_page, number, doctop, to_page, kept)
        if len(kept) < len(texts) and _lost_text(text_page, texts, kept, glyphless):
            return None
    finally:
        text_page.close()
    objects = _shapes(subpaths, number, doctop, bbox[3])
    objects["char"] = chars
    return PdfiumPage(number, bbox, doctop, objects)


@contextmanager
def pages(path: Path) -> Iterator[Iterator[pdfplumber.page.Page]]:
    """The document's pages, read one at a time (raises pypdfium2.PdfiumError when the file is
    damaged, encrypted or not a PDF). A page whose text PDFium lost is read by pdfminer."""
    document = pypdfium2.PdfDocument(str(path))
    fallback = []

    def each() -> Iterator[pdfplumber.page.Page]:
        doctop, glyphless = 0.0, set()
        for index in range(len(document)):
            page = document[index]
            read = read_page(page, index + 1, doctop, glyphless)
            page.close()
            if read is None:
                if not fallback:
                    fallback.append(pdfplumber.open(str(path)))
                read = fallback[0].pages[index]
            doctop += read.height
            yield read

    try:
        yield each()
    finally:
        document.close()
        for pdf in fallback:
            pdf.close()
