"""Where a line of the text budgetlint read came from, for inputs that are not text files.

A .docx becomes one line per paragraph or table row ("第12段", "表3 第5行 第2列"); a PDF one
line per paragraph (joined from the lines of the page) or table row ("第3页 第12行").
Findings keep `line`/`column` in that text (`budgetlint text PATH` prints it) and carry the
location as the reader of the original would say it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .document import Span


@dataclass
class Locations:
    # per line of the text (1-based, index 0 unused): segments (start column, label, cells?)
    # where `label` is "第12段" / "第3页 第12行" and `cells` says the line is a table row.
    lines: list[list[tuple[int, str, bool]]] = field(default_factory=lambda: [[]])
    # per table row of a PDF: each cell's (page, x0, top, x1, bottom), None for a merged cell
    boxes: dict[int, list] = field(default_factory=dict)

    def add(self, segments: list[tuple[int, str, bool]], boxes: list | None = None) -> None:
        self.lines.append(segments)
        if boxes is not None:
            self.boxes[len(self.lines) - 1] = boxes

    def box(self, line: int, index: int) -> tuple | None:
        """The page and box of the `index`-th cell of a table row (PDF input only)."""
        boxes = self.boxes.get(line)
        return boxes[index] if boxes and index < len(boxes) else None

    def describe(self, span: Span, text_lines: list[str]) -> str | None:
        if not 0 < span.line < len(self.lines) or not self.lines[span.line]:
            return None
        segments = self.lines[span.line]
        start, label, row = segments[0]
        for candidate in segments:
            if candidate[0] <= span.column:
                start, label, row = candidate
        if row and span.line <= len(text_lines):
            column = text_lines[span.line - 1][:span.column - 1].count("\t") + 1
            return f"{label} 第{column}列"
        return label
