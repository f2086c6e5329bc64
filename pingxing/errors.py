"""Exceptions that stop a run because the user must fix something first (exit code 2).

Problems inside returned workbooks are *not* exceptions: they are collected as
:class:`pingxing.problems.Problem` records and the run goes on.
"""

from __future__ import annotations


class UserError(Exception):
    """A mistake the user can fix (bad scheme file, missing roster column, no input).

    The message is one line naming the file and saying what to do.
    """


class SchemeError(UserError):
    """A scheme file that does not validate; ``str()`` is ``file: key.path: message``."""

    def __init__(self, file: str, path: str, message: str) -> None:
        self.file, self.path, self.message = file, path, message
        where = f"{path}: " if path else ""
        super().__init__(f"{file}: {where}{message}")
