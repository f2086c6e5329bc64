"""Bytes kept on disk for the length of a run, so that memory does not grow with the input.

A run of a province reads 100,000 workbooks: the validated forms wait on disk (one
:class:`Spool` per run) until their shard is rated, and the history rows wait on disk until
the period's folder is published. A :class:`Spool` is a temporary file that is gone when it
is closed (or when the process ends): nothing is left behind, whatever happens.
"""

from __future__ import annotations

import pickle
import tempfile
import threading
from collections.abc import Iterator
from typing import Any


class Spool:
    """Append blobs, read them back by the ``(offset, length)`` :meth:`put` returned."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="pingxing-spool-")
        self._end = 0
        self._lock = threading.Lock()

    def put(self, blob: bytes) -> tuple[int, int]:
        with self._lock:
            self._file.seek(self._end)
            self._file.write(blob)
            ref = (self._end, len(blob))
            self._end += len(blob)
            return ref

    def get(self, ref: tuple[int, int]) -> bytes:
        offset, length = ref
        with self._lock:
            self._file.seek(offset)
            return self._file.read(length)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Batches:
    """Lists of objects appended batch by batch and read back in order, one batch in memory at a time."""

    def __init__(self) -> None:
        self._spool = Spool()
        self._refs: list[tuple[int, int]] = []
        self.count = 0

    def add(self, items: list[Any]) -> None:
        if items:
            self._refs.append(self._spool.put(pickle.dumps(items, pickle.HIGHEST_PROTOCOL)))
            self.count += len(items)

    def __iter__(self) -> Iterator[Any]:
        for ref in self._refs:
            yield from pickle.loads(self._spool.get(ref))

    def close(self) -> None:
        self._spool.close()
