"""Read a text or markdown disclosure into blocks that keep their exact positions."""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from .document import Block, Document, Located, Sentence
from .errors import InputError, cannot_read, empty_file, not_a_file
from .locations import Locations

# Formatting markup that PDF/Word converters leave in the text. Other tags (<script>, <img …>)
# are not formatting: they stay as text, so reports show them as text and never run them.
_MARKUP = re.compile(r"</?(?:b|strong|i|em|u|p|br|span|font|div|sup|sub|center)(?:\s[^<>\n]{0,300})?/?>"
                     r"|<!--[^\n]{0,300}?-->|\*\*", re.IGNORECASE)
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+")
_BULLET = re.compile(r"^\s{0,3}[-*+]\s+")
_NUMBERED_ITEM = re.compile(r"^\s{0,3}\d{1,3}[.)](?!\d)\s+")
_SUPPRESS = re.compile(r"<!--\s*budgetlint:\s*(disable|disable-next-line)\s*=\s*([A-Za-z0-9_,\s-]+?)\s*-->")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_PIPE = re.compile(r"(?<!\\)\|")
_LIST_START = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[）)]|\d{1,3}[.、．](?!\d)|[一二三四五六七八九十]+、)")
_LABEL = re.compile(r"^[^，。；：]{1,15}[：:]")
_SENTENCE_END = re.compile(r"[。！？!?]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_RANKS = (
    (re.compile(r"^第[一二三四五六七八九十]+部分"), 1),
    (re.compile(r"^[一二三四五六七八九十]+、"), 2),
    (re.compile(r"^[（(][一二三四五六七八九十]+[）)]"), 3),
    (re.compile(r"^\d{1,2}\s*[.、．](?!\d)"), 4),
)
UNRANKED = 9

TEXT_SUFFIXES = {".md", ".txt", ".markdown"}
PAGE_SUFFIXES = {".html", ".htm"}
DOCUMENT_SUFFIXES = TEXT_SUFFIXES | PAGE_SUFFIXES | {".docx", ".pdf"}


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Text and encoding of a file's bytes: UTF-8 (BOM or not), UTF-16 (BOM), GB18030."""
    if not data.strip():
        raise empty_file(name)
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise InputError(name, f"无法按 {encoding} 解码（第 {exc.start} 字节）",
                                 f"cannot decode as {encoding} (byte {exc.start})") from None
    if b"\x00" in data:
        even, odd = data[0::2].count(0), data[1::2].count(0)
        if max(even, odd) > len(data) // 4 and min(even, odd) < len(data) // 50 + 1:
            encoding = "utf-16-be" if even > odd else "utf-16-le"
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                pass
        raise InputError(name, "不是文本文件（含二进制内容）", "not a text file (binary content)")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise InputError(name, "无法识别文本编码（既不是 UTF-8 也不是 GB18030/GBK）",
                     "cannot decode the text (neither UTF-8 nor GB18030/GBK)")


def read_file(path: Path) -> tuple[str, str]:
    name = str(path)
    if not path.exists():
        raise InputError(name, "文件不存在", "no such file")
    if path.is_dir():
        raise not_a_file(name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise cannot_read(name, exc) from None
    return decode(data, name)


def load(path: Path) -> tuple[str, str, Locations | None]:
    """Text, encoding and (for .docx, .pdf and web pages) the origin of each line of any supported file."""
    suffix = path.suffix.lower()
    if suffix in {".docx", ".pdf"} | PAGE_SUFFIXES:
        if not path.is_file():
            read_file(path)  # raises the missing-file or folder error
        if path.stat().st_size == 0:
            raise empty_file(str(path))
        if suffix == ".docx":
            from .docx_reader import read_docx

            text, locations = read_docx(path)
        elif suffix in PAGE_SUFFIXES:
            from .html_reader import read_html

            text, locations = read_html(path)
        else:
            from .pdf_reader import read_pdf

            text, locations = read_pdf(path)
        return text, suffix[1:], locations
    return (*read_file(path), None)


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


def rank(heading: str) -> int:
    """Outline rank of a heading from its numbering (第一部分 > 一、 > （一） > 1.).

    Markdown levels in converted documents do not follow the outline, so the numbering does.
    """
    for pattern, value in _RANKS:
        if pattern.match(heading):
            return value
    return UNRANKED


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


def collect_paths(arguments: list[str]) -> list[Path | str]:
    """Files named, and the documents (*.md, *.txt, *.docx, *.pdf, *.html) below folders, in order.

    In folders, README files and hidden folders (.git …) are not documents and are skipped.
    """
    found: list[Path | str] = []
    for argument in arguments:
        if argument == "-":
            found.append("-")
            continue
        path = Path(argument)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*")
                                if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES
                                and not p.name.upper().startswith("README")
                                and not any(part.startswith(".") for part in p.relative_to(path).parts)))
        else:
            found.append(path)
    return found
