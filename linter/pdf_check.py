"""What a PDF is before it is read: locked by a password, or larger than the limits allow.

Called once, before the PDF reader builds anything per character (pdfplumber takes about 2 KB a
character), so that a file of a million pages or characters, or a stream that inflates a
thousandfold, is refused in a moment instead of filling memory; and a file whose objects refer
to each other in a circle is called damaged instead of hanging. Streams are first inflated piece
by piece and only counted; images are left out (they are never read).
"""
from __future__ import annotations

import logging
import re
import zlib
from pathlib import Path

from .errors import InputError
from .limits import MB, Limits, over_limit

_PIECE = 1 << 20
_BARE_REFERENCE = re.compile(rb"\s*\d+\s+\d+\s+obj\s*(\d+)\s+\d+\s+R\s*endobj")
_STRING = re.compile(rb"\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>(?!>)")  # (literal) and <hex> strings
# pdfminer logs what it finds odd in a file ("Could not get FontBBox …"): not the reader's business
logging.getLogger("pdfminer").addHandler(logging.NullHandler())
logging.getLogger("pdfminer").propagate = False


def encrypted(path: str) -> InputError:
    return InputError(path, "PDF 已加密，需要密码才能打开；请提供未加密的文件",
                      "the PDF is encrypted (it needs a password to open); give an unencrypted copy")


def check_pdf(path: Path, limits: Limits) -> None:
    """Raise an InputError when the PDF needs a password, refers in circles, or goes past a
    limit; a file that cannot be parsed at all is left to the reader, which says it is damaged."""
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser

    with open(path, "rb") as file:
        try:
            document = PDFDocument(PDFParser(file))
        except (PDFPasswordIncorrect, PDFEncryptionError):
            raise encrypted(str(path)) from None
        except MemoryError:
            raise
        except Exception:  # damaged: the reader says so in its own words
            return
        if cycle := _circle(document, file):
            raise InputError(str(path), f"无法读取 PDF：对象互相引用成环（{cycle}），文件已损坏",
                             f"cannot read the PDF: its objects refer to each other in a circle ({cycle}); it is damaged")
        if limits.max_unpacked:
            _unpacked(document, path, limits.max_unpacked * MB)
        _pages(document, path, limits)


def _circle(document, file) -> str:
    """A circle of objects that are nothing but a reference to the next ("7 → 8 → 7"), which
    pdfminer would follow for ever; "" when there is none. Only objects stored at an offset of
    the file are looked at (a reference alone is a few bytes there)."""
    points: dict[int, int] = {}
    for xref in document.xrefs:
        for objid in xref.get_objids():
            try:
                stream_id, position, _ = xref.get_pos(objid)
            except KeyError:
                continue
            if stream_id is None:
                file.seek(position)
                if match := _BARE_REFERENCE.match(file.read(80)):
                    points[objid] = int(match.group(1))
    cleared: set[int] = set()
    for start in points:
        path, at = [], start
        while at in points and at not in cleared:
            if at in path:
                circle = path[path.index(at):] + [at]
                return " → ".join(map(str, circle))
            path.append(at)
            at = points[at]
        cleared.update(path)
    return ""


def _pages(document, path: Path, limits: Limits) -> None:
    """Count the pages and the bytes of text their content streams draw (an upper bound on
    their characters: a character takes one or two bytes), stopping past either limit."""
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import PDFStream, resolve1

    pages = glyphs = 0
    for pages, page in enumerate(PDFPage.create_pages(document), start=1):
        if limits.max_pages and pages > limits.max_pages:
            raise over_limit(str(path), "max_pages", f"{pages}+", limits.max_pages)
        if not limits.max_glyphs:
            continue
        for stream in page.contents:
            stream = resolve1(stream)
            if isinstance(stream, PDFStream):
                glyphs += sum(len(string) - 2 for string in _STRING.findall(stream.get_data()))
        if glyphs > limits.max_glyphs:
            raise over_limit(str(path), "max_glyphs", f"{glyphs}+", limits.max_glyphs)


def _unpacked(document, path: Path, limit: int) -> None:
    from pdfminer.pdftypes import PDFStream, resolve1
    from pdfminer.psparser import LIT

    image, total = LIT("Image"), 0
    for xref in document.xrefs:
        for objid in xref.get_objids():
            try:
                if xref.get_pos(objid)[0] is not None:  # inside an object stream: never a stream itself
                    continue
                stream = document.getobj(objid)
            except MemoryError:
                raise
            except Exception:  # an object the reader will skip or call damaged
                continue
            if not isinstance(stream, PDFStream) or resolve1(stream.get("Subtype")) is image:
                continue
            total += _size(stream, limit - total)
            if total > limit:
                raise over_limit(str(path), "max_unpacked", f"{total // MB}+", limit // MB)


def _size(stream, room: int) -> int:
    """Bytes of the stream once inflated, counted up to just past `room`."""
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE

    data = stream.rawdata if stream.rawdata is not None else stream.data or b""
    if stream.rawdata is not None and stream.decipher:
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    filters = stream.get_filters()
    if not filters or filters[0][0] not in LITERALS_FLATE_DECODE:
        return len(data)
    inflater = zlib.decompressobj()
    try:
        size = len(inflater.decompress(data, _PIECE))
        while inflater.unconsumed_tail and size <= room:
            size += len(inflater.decompress(inflater.unconsumed_tail, _PIECE))
    except zlib.error:  # a broken stream: the reader skips what it cannot inflate
        return len(data)
    return size
