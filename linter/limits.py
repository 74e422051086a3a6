"""How far one input may go: time, pages, size once unpacked, characters, memory.

Each limit is declared once here, with its default and the option that raises it, so the
command line, the error that names it and the README say the same thing. The defaults are
generous: well above the largest published document seen (171 pages, 14 MB of unpacked PDF
streams, 224,000 bytes of page text, 62 s), far below what a crafted file would take. `0`
turns a limit off.
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass, fields

from .errors import InputError

MB = 1 << 20


@dataclass(frozen=True)
class Limits:
    timeout: float = 300.0  # seconds to read and lint one file
    max_pages: int = 2000  # pages of a PDF
    max_unpacked: int = 256  # MB: a .docx's parts, a PDF's streams (images aside), once decompressed
    max_glyphs: int = 500_000  # bytes of text a PDF's pages draw (the largest published one: 224,000)
    max_chars: int = 5_000_000  # characters of text read from one file
    max_memory: int = 1024  # MB a worker may allocate (0: no limit)


# (option, what it limits in Chinese and in English, unit in Chinese and English)
OPTIONS = {
    "timeout": ("--timeout", "处理时间", "time", "秒", "s"),
    "max_pages": ("--max-pages", "PDF 页数", "PDF pages", "页", "pages"),
    "max_unpacked": ("--max-unpacked", "解压后大小", "size once unpacked", "MB", "MB"),
    "max_glyphs": ("--max-glyphs", "PDF 页面文字量", "text a PDF's pages draw", "字节", "bytes"),
    "max_chars": ("--max-chars", "文字字数", "characters of text", "字", "characters"),
    "max_memory": ("--max-memory", "内存", "memory", "MB", "MB"),
}


def over_limit(path: str, limit: str, found, allowed) -> InputError:
    """A file past one of the limits: what it reached, the limit, and the option that raises it."""
    option, zh, en, zh_unit, en_unit = OPTIONS[limit]
    found_zh = f"{found}{zh_unit}，" if found is not None else ""
    found_en = f"{found} {en_unit}, " if found is not None else ""
    return InputError(path, f"超出{zh}上限（{found_zh}上限 {allowed}{zh_unit}；可用 {option} 放宽）",
                      f"past the limit on {en} ({found_en}limit {allowed} {en_unit}; {option} raises it)")


def out_of_memory(path: str, limits: Limits) -> InputError:
    """Memory ran out on this file (said as such, not as a damaged file)."""
    return over_limit(path, "max_memory", None, limits.max_memory)


def _positive(kind):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError("must be a number") from None
        if value < 0 or value != value:
            raise argparse.ArgumentTypeError("must be 0 or more")
        return value
    return parse


def add_options(parser: argparse.ArgumentParser) -> None:
    defaults = Limits()
    helps = {"timeout": "seconds to read and lint one file (default %(default)s)",
             "max_pages": "most pages a PDF may have (default %(default)s)",
             "max_unpacked": "most MB a .docx or PDF may unpack to (default %(default)s)",
             "max_glyphs": "most bytes of text a PDF's pages may draw, about one or two a character "
                           "(default %(default)s)",
             "max_chars": "most characters of text one file may hold (default %(default)s)",
             "max_memory": "most MB of memory reading and linting one file may take; 0 for no limit "
                           "(default %(default)s)"}
    for field in fields(Limits):
        parser.add_argument(OPTIONS[field.name][0], dest=field.name, default=getattr(defaults, field.name),
                            type=_positive(float if field.name == "timeout" else int), help=helps[field.name])


def from_args(args) -> Limits:
    return Limits(**{field.name: getattr(args, field.name, getattr(Limits, field.name))
                     for field in fields(Limits)})
