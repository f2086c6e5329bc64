"""One family of exceptions, for what stops a run.

Problems inside returned workbooks are *not* exceptions: they are collected as
:class:`pingxing.problems.Problem` records and the run goes on. What stops a run is either

* a :class:`UserError` — a mistake the clerk can fix (a scheme file, a template, a roster, the
  settings, the command line, the campaign record, a folder that is read-only or full). Its
  message is one line per mistake, naming the file (and the key, row or field) and what to do;
  the command line prints it and exits 2. Subclasses say whose file it is; or
* a :class:`ToolError` — the tool's own failure (exit 1): the only one that asks for the input
  folder to be sent to the maintainers.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class PingxingError(Exception):
    """Anything the tool raises on purpose."""


class UserError(PingxingError):
    """A mistake the user can fix. ``str()`` is one line per mistake: file, where, what to do."""

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:  # raised on a worker, re-raised here
        return type(self), self.args


class SchemeError(UserError):
    """A scheme file that does not validate: every mistake of the file, one line each
    (``file: key.path: message``)."""

    def __init__(self, file: str, path: str = "", message: str = "",
                 more: list[tuple[str, str]] | None = None) -> None:
        self.file = file
        self.mistakes = [(path, message), *(more or [])]
        self.path, self.message = self.mistakes[0]
        super().__init__("\n".join(f"{file}: {p}: {m}" if p else f"{file}: {m}" for p, m in self.mistakes))

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return SchemeError, (self.file, self.path, self.message, self.mistakes[1:])


class TemplateError(UserError):
    """A clerk's template (``templates/notice.docx``, ``notice.html``, ``report.html`` …) that
    cannot be used: a field the notices do not have, a syntax error, a forbidden operation."""


class InputError(UserError):
    """A roster, a settings workbook, an input folder or an option of the command that is wrong."""


class RecordError(UserError):
    """The campaign record (the SQLite file) cannot be used: damaged, locked, from a newer tool."""


class FileSystemError(UserError):
    """An OS fault the user must fix: disk full, a read-only folder, a file another program holds,
    a path that is a file where a folder is wanted."""


class ToolError(PingxingError):
    """The tool's own failure."""


def os_fault(e: OSError, path: str | Path | None = None) -> FileSystemError:
    """One line for an OS error: which path, what happened, what to do."""
    where = str(path or e.filename or "")
    prefix = f"{where}: " if where else ""
    code = e.errno
    winerror = getattr(e, "winerror", None)
    if code == errno.ENOSPC or code == getattr(errno, "EDQUOT", -1):
        what = "磁盘空间不足，无法写入；请清理磁盘或用 --output 换一个有空间的位置后重新运行"
    elif code == errno.EROFS:
        what = "所在位置是只读的，无法写入；请用 --output 换一个可以写入的文件夹"
    elif winerror in (32, 33) or code in (errno.EBUSY, getattr(errno, "ETXTBSY", -1)):
        what = "文件正被其他程序占用（可能在 Excel 或 Word 中打开着）；请关闭该文件后重新运行"
    elif code in (errno.EACCES, errno.EPERM):
        what = "没有权限读写；请检查该文件或文件夹的权限（或是否在其他程序中打开着），或换一个位置"
    elif code in (errno.ENOTDIR, errno.EEXIST):
        what = "这里需要一个文件夹，但该路径（或其上一级）是一个文件；请换一个路径"
    elif code == errno.EISDIR:
        what = "这里需要一个文件，但该路径是一个文件夹；请换一个路径"
    elif code == errno.ENOENT:
        what = "找不到该文件或文件夹；请检查路径"
    elif code == errno.ENAMETOOLONG:
        what = "路径太长；请把文件夹放到更短的路径下"
    else:
        what = f"读写失败（{e.strerror or type(e).__name__}）；请检查该位置后重新运行"
    return FileSystemError(prefix + what)


def record_fault(e: sqlite3.Error, path: Path) -> RecordError:
    """One line for an SQLite error on the campaign record."""
    text = str(e).lower()
    if "locked" in text or "busy" in text:
        return RecordError(f"{path}: 记录文件正被另一个程序或另一次运行占用；请等它结束（或关闭打开它的程序）后重新运行")
    if "readonly" in text or "read-only" in text:
        return RecordError(f"{path}: 记录文件或其所在文件夹是只读的；请检查权限，或用 --history 指定一个可写的位置")
    if "unable to open" in text and path.is_dir():
        return RecordError(f"{path}: 这是一个文件夹，不是记录文件；请用 --history 指定记录文件（如 评星记录.sqlite）")
    if "unable to open" in text:
        return RecordError(f"{path}: 无法打开记录文件（文件夹不存在或没有权限）；请检查路径，或用 --history 指定另一个位置")
    if "disk" in text and "full" in text:
        return RecordError(f"{path}: 磁盘空间不足，记录文件无法写入；请清理磁盘后重新运行")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return RecordError(f"{path}: 不是有效的记录文件（可能已损坏）；请用备份替换，或用 --history 指定另一个文件")
    return RecordError(f"{path}: 记录文件读写失败（{e}）；请检查该文件后重新运行")


@contextmanager
def user_faults() -> Iterator[None]:
    """OS errors inside the block become one-line :class:`FileSystemError`."""
    try:
        yield
    except PingxingError:
        raise
    except OSError as e:
        raise os_fault(e) from None
