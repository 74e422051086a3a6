"""Read a text or markdown disclosure into blocks that keep their exact positions."""
from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path

from .document import Block, Document, Located, Sentence
from .errors import InputError, cannot_read, empty_file, no_such_file, not_a_file, not_regular
from .limits import Limits, out_of_memory, over_limit
from .locations import Locations
from .numbering import ITEM_START as _LIST_START
from .numbering import MARKDOWN_ITEM as _NUMBERED_ITEM
from .numbering import rank

# Formatting markup that PDF/Word converters leave in the text. Other tags (<script>, <img …>)
# are not formatting: they stay as text, so reports show them as text and never run them.
_MARKUP = re.compile(r"</?(?:b|strong|i|em|u|p|br|span|font|div|sup|sub|center)(?:\s[^<>\n]{0,300})?/?>"
                     r"|<!--[^\n]{0,300}?-->|\*\*", re.IGNORECASE)
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+")
_BULLET = re.compile(r"^\s{0,3}[-*+]\s+")
_SUPPRESS = re.compile(r"<!--\s*budgetlint:\s*(disable|disable-next-line)\s*=\s*([A-Za-z0-9_,\s-]+?)\s*-->")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_PIPE = re.compile(r"(?<!\\)\|")
_LABEL = re.compile(r"^[^，。；：]{1,15}[：:]")
_SENTENCE_END = re.compile(r"[。！？!?]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# characters no document uses (control, private use, rare scripts) and, beyond Latin-1, those
# whose low byte is zero: BOM-less UTF-16 read in the wrong byte order is nearly all of them
# (Chinese becomes rare scripts, ASCII becomes U+xx00)
_UNUSUAL = re.compile("[^\t\n\r\x20-\x7e\xa0-\xff\u2000-\u206f\u2460-\u27bf\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]|["
                      + "".join(chr(high << 8) for high in range(1, 256)) + "]")
_GLYPH = re.compile(r"\(cid:\d+\)")

TEXT_SUFFIXES = {".md", ".txt", ".markdown"}
PAGE_SUFFIXES = {".html", ".htm"}
DOCUMENT_SUFFIXES = TEXT_SUFFIXES | PAGE_SUFFIXES | {".docx", ".pdf"}


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Text and encoding of a file's bytes: UTF-8 (BOM or not), UTF-16 (BOM or not), GB18030.
    A file with nothing but white space (or a BOM) is empty."""
    text, encoding = _decoded(data, name)
    if not text.strip():
        raise empty_file(name)
    return text, encoding


def _decoded(data: bytes, name: str) -> tuple[str, str]:
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise InputError(name, f"无法按 {encoding} 解码（第 {exc.start} 字节）",
                                 f"cannot decode as {encoding} (byte {exc.start})") from None
    if b"\x00" in data:
        if found := _utf16(data):
            return found
        raise InputError(name, "不是文本文件（含二进制内容）", "not a text file (binary content)")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise InputError(name, "无法识别文本编码（既不是 UTF-8 也不是 GB18030/GBK）",
                     "cannot decode the text (neither UTF-8 nor GB18030/GBK)")


def _utf16(data: bytes) -> tuple[str, str] | None:
    """Text and byte order of UTF-16 without a BOM: the order in which (nearly) every character
    of the start is one a document uses. (Zero bytes alone do not tell: Chinese characters have
    none, and 一 has one on the other side.)"""
    best = None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        sample = text[:65536]
        share = 1 - len(_UNUSUAL.findall(sample)) / max(1, len(sample))
        if share >= 0.9 and (best is None or share > best[0]):
            best = share, text, encoding
    return best[1:] if best else None


def _text_fits(name: str, size: int, limits: Limits) -> None:
    """Refuse, before reading it, a text of `size` bytes that must hold too many characters."""
    if limits.max_chars and size > 4 * limits.max_chars:  # 4 bytes hold any character
        raise over_limit(name, "max_chars", None, limits.max_chars)


def _chars_fit(name: str, text: str, limits: Limits) -> None:
    if limits.max_chars and len(text) > limits.max_chars:
        raise over_limit(name, "max_chars", len(text), limits.max_chars)


def read_file(path: Path, limits: Limits = Limits()) -> tuple[str, str]:
    name = str(path)
    regular_file(path)
    _text_fits(name, path.stat().st_size, limits)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise cannot_read(name, exc) from None
    return decode(data, name)


def regular_file(path: Path) -> None:
    """Raise the error of a path that is not a regular file (missing, a folder, a FIFO …)."""
    name = str(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise no_such_file(name) from None
    except OSError as exc:
        raise cannot_read(name, exc) from None
    if stat.S_ISDIR(mode):
        raise not_a_file(name)
    if not stat.S_ISREG(mode):
        raise not_regular(name)


def _kind(path: Path) -> str:
    """"docx", "pdf", "html" or "text": by the suffix, else by the first bytes (a PDF saved without
    its suffix is still a PDF)."""
    suffix = path.suffix.lower()
    if suffix in {".docx", ".pdf"}:
        return suffix[1:]
    if suffix in PAGE_SUFFIXES:
        return "html"
    try:
        with open(path, "rb") as file:
            head = file.read(5)
    except OSError as exc:
        raise cannot_read(str(path), exc) from None
    return "pdf" if head == b"%PDF-" else "docx" if head.startswith(b"PK\x03\x04") else "text"


def load(path: Path, limits: Limits = Limits()) -> tuple[str, str, Locations | None]:
    """Text, encoding and (for .docx, .pdf and web pages) the origin of each line of any supported file."""
    regular_file(path)
    kind = _kind(path)
    if kind == "text":
        text, encoding = read_file(path, limits)
        locations = None
    else:
        if path.stat().st_size == 0:
            raise empty_file(str(path))
        encoding = kind
        if kind == "docx":
            from .docx_reader import read_docx

            text, locations = read_docx(path, limits)
        elif kind == "html":
            from .html_reader import read_html

            _text_fits(str(path), path.stat().st_size, limits)
            text, locations = read_html(path)
        else:
            from .pdf_check import check_pdf
            from .pdf_reader import read_pdf

            check_pdf(path, limits)
            text, locations = read_pdf(path)
            unmapped(text, str(path))
    _chars_fit(str(path), text, limits)
    return text, encoding, locations


def read_source(name: str, source: Path | bytes, limits: Limits = Limits()) -> tuple[str, str, Locations | None]:
    """`load` for a path, `decode` for the bytes of standard input, under the same limits."""
    try:
        if isinstance(source, bytes):
            _text_fits(name, len(source), limits)
            text, encoding = decode(source, name)
            _chars_fit(name, text, limits)
            return text, encoding, None
        return load(source, limits)
    except MemoryError:
        raise out_of_memory(name, limits) from None


def unmapped(text: str, name: str) -> None:
    """Refuse PDF text that is mostly glyph numbers, "(cid:123)": its fonts carry no map to
    Unicode, so there is nothing to check (and passing it as clean would be a lie)."""
    glyphs = sum(len(match) for match in _GLYPH.findall(text))
    if glyphs and glyphs * 2 > len(text) - text.count("\n") - text.count(" "):
        raise InputError(name, "PDF 的字体没有 Unicode 映射，文字无法读出（只有 (cid:…) 字形编号）",
                         "the PDF's fonts have no Unicode map: its text cannot be read (only (cid:…) glyph numbers)")


def split_lines(text: str) -> list[str]:
    return _LINE_BREAK.split(text) if "\r" in text else text.split("\n")


def clean(raw: str, line: int, start: int = 0) -> Located:
    """`raw` without inline markup (HTML tags, ** bold) and the white space around it, each
    character keeping its position (`start`: the column before raw's first character)."""
    if "<" not in raw and "*" not in raw:
        text = raw.strip()
        return Located.run(text, line, start + 1 + len(raw) - len(raw.lstrip()))
    pieces: list[str] = []
    anchors: list[tuple[int, int, int]] = []
    length, cursor = 0, 0
    for match in [*_MARKUP.finditer(raw), None]:
        stop = match.start() if match else len(raw)
        if stop > cursor:
            anchors.append((length, line, start + cursor + 1))
            pieces.append(raw[cursor:stop])
            length += stop - cursor
        if match:
            cursor = match.end()
    return Located("".join(pieces), tuple(anchors)).strip()


def row_cells(raw: str, line: int, make, empty):
    """Each tab-separated cell of a table line, built by `make(text, line, column, content)`:
    its text, the column of its first character, and the Located text when markup had to be
    cleaned out of it (else None). A cell without text is `empty` (a third of all cells)."""
    cells, column, markup = [], 1, "<" in raw or "*" in raw
    append = cells.append
    for part in raw.split("\t"):
        if markup and ("<" in part or "*" in part):
            content = clean(part, line, column - 1)
            append(make(content.text, line, column, content) if content.text else empty)
        elif text := part.strip():
            append(make(text, line, column + len(part) - len(part.lstrip()), None))
        else:
            append(empty)
        column += len(part) + 1
    return cells


def _continues(previous: Block, block: Block) -> bool:
    """Whether `block` is the rest of `previous`, cut in two by a page break."""
    if previous.kind != "paragraph" or block.kind != "paragraph":
        return False
    before, after = previous.text.rstrip(), block.text.lstrip()
    if not before or not after or _LIST_START.match(after) or _LABEL.match(after):
        return False
    if before[-1] in "，、":
        return True
    return bool(_HAN.match(before[-1]) and _HAN.match(after[0]) and len(before) >= 20
                and not _LABEL.match(before))


def pipe_rows(lines: list[str]) -> dict[int, str]:
    """The rows of markdown pipe tables (a header row, a |---| rule, rows with pipes), by line
    number, each as a tab-separated row of the same length: its cells keep their columns."""
    rows: dict[int, str] = {}
    for index, line in enumerate(lines):
        if "|" not in line or "-" not in line or not index or "|" not in lines[index - 1] \
                or index + 1 in rows or not _PIPE_RULE.match(line):
            continue
        start = index - 1
        end = index + 1
        while end < len(lines) and "|" in lines[end] and lines[end].strip():
            end += 1
        for number in range(start, end):
            raw = lines[number]
            first, last = len(raw) - len(raw.lstrip()), len(raw.rstrip()) - 1
            rows[number + 1] = _PIPE.sub(
                lambda m: " " if m.start() in (first, last) else "\t", raw)
    return rows


def parse_blocks(lines: list[str]) -> tuple[list[Block], dict[int, set[str]]]:
    """Blocks of the document and the rule codes suppressed per line."""
    blocks: list[Block] = []
    suppressions: dict[int, set[str]] = {}
    blank_before = False
    piped = pipe_rows(lines)
    for number, raw in enumerate(lines, start=1):
        stripped = piped.get(number, raw)
        if "budgetlint" in raw:
            for match in _SUPPRESS.finditer(raw):
                target = number if match.group(1) == "disable" else number + 1
                codes = {code.strip().upper() for code in match.group(2).split(",") if code.strip()}
                suppressions.setdefault(target, set()).update(codes)
            stripped = _SUPPRESS.sub("", stripped)
        if not stripped.strip():
            blank_before = True
            continue
        lead = stripped.lstrip()[0]  # it tells which of the patterns below can match
        if "\t" in stripped:
            block = Block("row", raw=stripped, line=number)
        elif lead == "#" and (heading := _HEADING.match(stripped)):
            content = clean(stripped[heading.end():], number, heading.end())
            block = Block("heading", content, level=rank(content.text))
        elif lead in "-*+" and (bullet := _BULLET.match(stripped)):
            block = Block("item", clean(stripped[bullet.end():], number, bullet.end()))
        elif lead.isdigit() and _NUMBERED_ITEM.match(stripped):  # "1. …": the number stays, lists are checked by it
            block = Block("item", clean(stripped, number))
        else:
            block = Block("paragraph", clean(stripped, number))
        if block.kind != "row" and not block.text:
            blank_before = True
            continue
        if blocks and blank_before and _continues(blocks[-1], block):
            blocks[-1].content = blocks[-1].content + block.content
        else:
            block.index = len(blocks)
            blocks.append(block)
        blank_before = False
    return blocks, suppressions


def sentences(blocks: list[Block]) -> list[Sentence]:
    """Sentences of paragraphs and items, each with the headings it stands under."""
    result: list[Sentence] = []
    section: tuple[tuple[int, str], ...] = ()  # one tuple per run of blocks under the same headings
    for block in blocks:
        if block.kind == "heading":
            section = (*((level, text) for level, text in section if level < block.level),
                       (block.level, block.text))
            continue
        if block.kind == "row":
            continue
        text, start = block.text, 0
        ends = [match.end() for match in _SENTENCE_END.finditer(text)]
        for end in ends + [len(text)]:
            piece = text[start:end]
            stripped = piece.strip()
            if stripped:
                first = start + len(piece) - len(piece.lstrip())
                result.append(Sentence(block.content.slice(first, first + len(stripped)), block, section))
            start = end
    return result


def read_text(text: str, path: str = "<string>", encoding: str = "utf-8",
              locations: Locations | None = None) -> Document:
    lines = split_lines(text)
    blocks, suppressions = parse_blocks(lines)
    document = Document(path=path, lines=lines, blocks=blocks, encoding=encoding,
                        suppressions=suppressions, locations=locations)
    document.sentences = sentences(blocks)
    return document


def folder_documents(folder: str) -> list[tuple[str, Path | InputError]]:
    """The documents (*.md, *.txt, *.docx, *.pdf, *.html) below a folder, in order, and an error for
    each folder below it that cannot be read.

    README files and hidden files and folders (.git …) are not documents. Nothing outside the
    folder is read: links to folders are not entered, links to files outside it are skipped.
    """
    root = Path(folder)
    inside = root.resolve()
    found: list[tuple[str, Path | InputError]] = []

    def unreadable(error: OSError) -> None:
        found.append((str(error.filename), cannot_read(str(error.filename), error)))

    for directory, folders, files in os.walk(root, onerror=unreadable):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in files:
            path = Path(directory, name)
            if (path.suffix.lower() in DOCUMENT_SUFFIXES and not name.startswith(".")
                    and not name.upper().startswith("README") and path.is_file()
                    and (not path.is_symlink() or path.resolve().is_relative_to(inside))):
                found.append((str(path), path))
    return sorted(found, key=lambda item: Path(item[0]))
