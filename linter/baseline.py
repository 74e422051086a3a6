"""Baselines: the findings a document was published with, so that only new ones count."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from .errors import InputError, cannot_read, not_a_file
from .fingerprints import fingerprints
from .output import write_atomic

VERSION = 1


def write(path: Path, results) -> None:
    data = {"version": VERSION, "tool": "budgetlint",
            "files": {r.path: sorted(fingerprints(r.findings, r.lines)) for r in results if not r.error}}
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def read(path: Path) -> dict[str, Counter]:
    try:
        data = json.loads(Path(path).read_text("utf-8"))
        files = data["files"]
        return {name: Counter(prints) for name, prints in files.items()}
    except FileNotFoundError:
        raise InputError(str(path), "基线文件不存在", "no such baseline file") from None
    except IsADirectoryError:
        raise not_a_file(str(path)) from None
    except OSError as error:
        raise cannot_read(str(path), error) from None
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise InputError(str(path), "不是 budgetlint 基线文件", "not a budgetlint baseline file") from None


def apply(known: dict[str, Counter], results) -> None:
    """Drop from each result the findings its baseline already records."""
    for result in results:
        left = Counter(known.get(result.path, Counter()))
        kept = []
        for finding, fingerprint in zip(result.findings, fingerprints(result.findings, result.lines)):
            if left[fingerprint] > 0:
                left[fingerprint] -= 1
            else:
                kept.append(finding)
        result.findings = kept
