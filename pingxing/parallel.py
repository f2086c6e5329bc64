"""Where the per-file and per-notice steps run: here, in a process pool, or on Dask.

A :class:`Runner` maps a picklable function over a list and yields the results **in the
order of the list**, whatever order the workers finish in, so the outputs never depend on
the number of workers. ``jobs=1`` runs in this process; ``jobs=N`` uses a
:class:`~concurrent.futures.ProcessPoolExecutor` with N workers (default: the machine's
cores); ``dask="tcp://host:8786"`` sends the work to a Dask distributed cluster (an
optional extra: ``pip install -r requirements-dask.txt``; imported only then).

A progress bar (tqdm, on stderr) is shown only when the caller asks for it — the CLI does
when stderr is a terminal and ``--quiet`` is not given.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .errors import UserError
from .storage import cpu_count

T = TypeVar("T")
R = TypeVar("R")

#: Items per task sent to a pool worker: fewer round trips, still a smooth progress bar.
CHUNK_TARGET = 8


@dataclass
class Runner:
    jobs: int | None = None  # None: the machine's cores
    dask: str | None = None  # scheduler address, e.g. tcp://10.0.0.5:8786
    progress: bool = False
    _client: Any = field(default=None, repr=False)

    @property
    def workers(self) -> int:
        return max(1, self.jobs or cpu_count())

    def describe(self) -> str:
        return f"dask {self.dask}" if self.dask else f"{self.workers} 个进程"

    def map(self, fn: Callable[[T], R], items: Sequence[T], label: str = "") -> Iterator[R]:
        """``fn(item)`` for each item, yielded in the items' order."""
        bar = _bar(len(items), label) if self.progress and items else None
        try:
            for result in self._map(fn, items):
                if bar is not None:
                    bar.update(1)
                yield result
        finally:
            if bar is not None:
                bar.close()

    def _map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        if self.dask:
            yield from self._dask_map(fn, items)
            return
        workers = min(self.workers, len(items))
        if workers <= 1:
            for item in items:
                yield fn(item)
            return
        chunk = max(1, min(CHUNK_TARGET, len(items) // (workers * 4)))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            yield from pool.map(fn, items, chunksize=chunk)

    def _dask_map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        client = self.client()
        futures: list[Any] = client.map(fn, list(items), pure=False)
        try:
            for i in range(len(futures)):  # in order; each result is let go once taken
                yield futures[i].result()
                futures[i] = None
        finally:
            client.cancel([f for f in futures if f is not None])

    def client(self) -> Any:
        """The Dask client, connected on first use."""
        if self._client is None:
            self._client = connect(self.dask or "")
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def connect(address: str) -> Any:
    try:
        from distributed import Client
    except ImportError:
        raise UserError("--dask 需要可选组件 Dask：请先运行 pip install -r requirements-dask.txt") from None
    try:
        return Client(address, timeout="20s", set_as_default=False)
    except (OSError, TimeoutError) as e:
        raise UserError(f"{address}: 连接不上 Dask 调度器（{type(e).__name__}），请检查地址和端口，"
                        "或先启动 dask scheduler") from None


def _bar(total: int, label: str) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, desc=label, file=sys.stderr, unit="份", leave=False, dynamic_ncols=True)


SERIAL = Runner(jobs=1)
