"""Files budgetlint writes (reports, baselines): written whole or not at all."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import InputError, not_a_file


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename it over `path` in one step, so an
    interrupted run leaves the previous file intact and never a half-written one."""
    path = Path(path)
    if path.is_dir():
        raise not_a_file(str(path))
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise _cannot_write(path, error) from None
    try:
        # mkstemp creates the file private (0600); give it the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~umask
        os.chmod(temporary, mode)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _cannot_write(path, error) from None
        raise


def _cannot_write(path: Path, error: OSError) -> InputError:
    return InputError(str(path), f"无法写入：{error.strerror}", f"cannot write: {error.strerror}")


def refuse_input(path: Path, sources) -> None:
    """Refuse to write to one of the inputs (the same file, also through a link or by another
    name): budgetlint never writes to what it reads."""
    try:
        target = os.stat(path)
    except OSError:  # nothing there yet: not an input
        return
    for _, source in sources:
        try:
            if isinstance(source, Path) and os.path.samestat(os.stat(source), target):
                raise InputError(str(path), f"是输入文件 {source}，budgetlint 不改写输入；请换一个输出文件",
                                 f"is the input {source}; budgetlint never writes to its inputs (choose another file)")
        except OSError:
            continue
