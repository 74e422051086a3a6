"""What a PDF is before it is read: locked by a password, or larger than the limits allow.

Called once, before the PDF reader builds anything per character, so that a file of a million
pages or a stream that inflates a thousandfold is refused in a moment instead of filling memory.
Streams are inflated piece by piece and only counted; images are left out (they are never read).
"""
from __future__ import annotations

import logging
import zlib
from pathlib import Path

from .errors import InputError
from .limits import MB, Limits, over_limit

_PIECE = 1 << 20
# pdfminer logs what it finds odd in a file ("Could not get FontBBox …"): not the reader's business
logging.getLogger("pdfminer").addHandler(logging.NullHandler())
logging.getLogger("pdfminer").propagate = False


def encrypted(path: str) -> InputError:
    return InputError(path, "PDF 已加密，需要密码才能打开；请提供未加密的文件",
                      "the PDF is encrypted (it needs a password to open); give an unencrypted copy")


def check_pdf(path: Path, limits: Limits) -> None:
    """Raise an InputError when the PDF needs a password or goes past a limit; a file that
    cannot be parsed at all is left to the reader, which says it is damaged."""
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfpage import PDFPage
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
        if limits.max_pages:
            pages = 0
            for pages, _ in enumerate(PDFPage.create_pages(document), start=1):
                if pages > limits.max_pages:
                    raise over_limit(str(path), "max_pages", f"{pages}+", limits.max_pages)
        if limits.max_unpacked:
            _unpacked(document, path, limits.max_unpacked * MB)


def _unpacked(document, path: Path, limit: int) -> None:
    from pdfminer.pdftypes import PDFStream, resolve1
    from pdfminer.psparser import LIT

    image, total = LIT("Image"), 0
    for xref in document.xrefs:
        for objid in xref.get_objids():
            try:
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
