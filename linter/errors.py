"""The one exception type for bad input: the CLI turns it into exit 2 and one clear line."""
from __future__ import annotations


class InputError(Exception):
    """A file or argument budgetlint cannot read, with its reason in Chinese and English."""

    def __init__(self, path: str, zh: str, en: str):
        super().__init__(f"{path}: {en}")
        self.path, self.zh, self.en = path, zh, en

    def __reduce__(self):  # rebuilt whole in the parent when a worker of --jobs reports it
        return InputError, (self.path, self.zh, self.en)

    def message(self, lang: str = "zh") -> str:
        return f"{self.path}: {self.zh if lang == 'zh' else self.en}"


def describe(error: Exception, limit: int = 200) -> str:
    """An exception in one line of at most `limit` characters, for a message that asks for a
    bug report (some exceptions carry a whole input, or several lines, in their text)."""
    text = " ".join(f"{type(error).__name__}: {error}".split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def internal_error(path: str, error: Exception) -> InputError:
    """budgetlint failed on a file (a bug of ours): said in one line like unreadable input, with
    what a bug report needs, never as a traceback; the other files are still checked."""
    detail = describe(error)
    return InputError(path, f"budgetlint 内部出错，未能检查此文件（{detail}），请报告此问题",
                      f"budgetlint failed on this file ({detail}); please report it")


def not_a_file(path: str) -> InputError:
    return InputError(path, "是目录，不是文件", "is a directory")


def empty_file(path: str) -> InputError:
    return InputError(path, "文件为空", "the file is empty")


def cannot_read(path: str, error: OSError) -> InputError:
    return InputError(path, f"无法读取：{error.strerror}", f"cannot read: {error.strerror}")


def not_regular(path: str) -> InputError:
    """A FIFO, socket or device: reading it could wait for ever."""
    return InputError(path, "不是普通文件（管道、设备等）", "not a regular file (a pipe, socket or device)")


def no_such_file(path: str) -> InputError:
    return InputError(path, "文件不存在", "no such file")
