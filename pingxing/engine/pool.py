"""Where the per-file and per-notice steps run: here, in a process pool, or on Dask.

A :class:`Runner` maps a picklable function over a list (:meth:`Runner.map`) or over an
iterator drawn only as room frees up (:meth:`Runner.imap`: a producer rating shard by shard
runs beside the workers) and yields the results **in the order of the items**, whatever
order the workers finish in, so the outputs never depend on the number of workers.
``jobs=1`` runs in this process; ``jobs=N`` uses one
:class:`~concurrent.futures.ProcessPoolExecutor` of N workers for the whole run (default:
the machine's cores); ``dask="tcp://host:8786"`` sends the work to a Dask distributed
cluster (an optional extra: ``pip install -r requirements-dask.txt``; imported only then).

A progress bar (tqdm, on stderr) is shown only when the caller asks for it — the CLI does
when stderr is a terminal and ``--quiet`` is not given.
"""

from __future__ import annotations

import functools
import gc
import itertools
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pingxing.errors import UserError
from pingxing.storage import cpu_count

T = TypeVar("T")
R = TypeVar("R")

#: Items per task sent to a pool worker: fewer round trips, still a smooth progress bar.
CHUNK_TARGET = 8
#: Windows' process pool takes at most 61 workers; more than a few per core only costs memory
#: (each worker holds the schemes and templates) and start-up time
WINDOWS_POOL_LIMIT, PER_CORE = 61, 4


def max_jobs() -> int:
    """The most worker processes a run starts: four per core, at most 61 (Windows' limit)."""
    return min(PER_CORE * cpu_count(), WINDOWS_POOL_LIMIT)


@dataclass
class Runner:
    jobs: int | None = None  # None: the machine's cores
    dask: str | None = None  # scheduler address, e.g. tcp://10.0.0.5:8786
    progress: bool = False
    _client: Any = field(default=None, repr=False)
    _pool: ProcessPoolExecutor | None = field(default=None, repr=False)

    @property
    def workers(self) -> int:
        """The worker processes: ``jobs`` (default the machine's cores), at most :func:`max_jobs`."""
        return max(1, min(self.jobs or cpu_count(), max_jobs()))

    def describe(self) -> str:
        return f"dask {self.dask}" if self.dask else f"{self.workers} 个进程"

    def map(self, fn: Callable[[T], R], items: Sequence[T], label: str = "") -> Iterator[R]:
        """``fn(item)`` for each item, yielded in the items' order."""
        yield from self._counted(self._map(fn, items), len(items), label)

    def imap(self, fn: Callable[[T], R], items: Iterable[T], label: str = "", window: int = 0,
             total: int | None = None, batch: int = CHUNK_TARGET) -> Iterator[R]:
        """``fn(item)`` for each item of an iterator, yielded in its order. Items are drawn from
        the iterator only as room frees up — at most ``window`` tasks of ``batch`` items each
        handed out and not yet taken (default: 4 per worker) — so a producer that makes them
        lazily (rating shard by shard) runs beside the workers and neither side holds more
        than the window. Items go out ``batch`` at a time: each task handed to a pool costs the
        caller a wake-up of the pool's threads, a few ms on a busy machine."""
        window = window or 4 * self.workers
        if not self.dask and self.workers <= 1:
            yield from self._counted((fn(item) for item in items), total, label)
            return
        tasks = _batches(items, max(1, batch))
        each = functools.partial(_apply_each, fn)
        if self.dask:
            client = self.client()
            done = _windowed(lambda part: client.submit(each, part, pure=False), tasks, window,
                             cancel=lambda f: f.cancel())
        else:
            done = self._pool_imap(each, tasks, window)
        yield from self._counted(itertools.chain.from_iterable(done), total, label)

    def _pool_imap(self, fn: Callable[[T], R], items: Iterable[T], window: int) -> Iterator[R]:
        pool = self.pool()
        yield from _windowed(lambda item: pool.submit(fn, item), items, window, cancel=lambda f: f.cancel())

    def pool(self) -> ProcessPoolExecutor:
        """The worker processes, started on first use and kept until :meth:`close`: the files are
        read and the notices rendered by the same workers (started once, templates loaded once)."""
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers)
        return self._pool

    def _counted(self, results: Iterator[R], total: int | None, label: str) -> Iterator[R]:
        bar = _bar(total, label) if self.progress and total != 0 else None
        try:
            for result in results:
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
        yield from self._pool_map(fn, items)

    def _pool_map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        """Every item handed to the workers now, a few at a time; the results in order (those
        not yet started are cancelled if the caller stops early)."""
        chunk = max(1, min(CHUNK_TARGET, len(items) // (self.workers * 4)))
        yield from self.pool().map(fn, items, chunksize=chunk)

    def _dask_map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        """Every item submitted to the cluster now; the results in order, each let go once taken."""
        client = self.client()
        futures: list[Any] = client.map(fn, list(items), pure=False)
        try:
            for i in range(len(futures)):
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
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of up to ``size`` items; the first ones smaller (1, 1, 2, 2, 4, 4 …) so that the
    workers start at once rather than after ``size`` items are made."""
    batch: list[T] = []
    limit, made = 1, 0
    for item in items:
        batch.append(item)
        if len(batch) >= limit:
            yield batch
            batch = []
            made += 1
            if made % 2 == 0:
                limit = min(size, limit * 2)
    if batch:
        yield batch


def _apply_each(fn: Callable[[T], R], items: list[T]) -> list[R]:
    return [fn(item) for item in items]


def _windowed(submit: Callable[[Any], Any], items: Iterable[Any], window: int,
              cancel: Callable[[Any], Any]) -> Iterator[Any]:
    """Futures from ``submit`` for each item, at most ``window`` outstanding; results in order."""
    pending: deque[Any] = deque()
    try:
        for item in items:
            pending.append(submit(item))
            while len(pending) >= window or (pending and pending[0].done()):
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for f in pending:
            cancel(f)


@contextmanager
def batch_gc(threshold: int = 100_000) -> Iterator[None]:
    """Python's cyclic garbage collector, tuned for a run: millions of small objects that live
    until the end (rows, ratings, notices) and hardly any cycles. By default it looks every 700
    allocations and walks the whole heap now and then — a third of a run's CPU at 830
    branches. Inside, it looks every ``threshold`` allocations (cycles are still collected,
    memory still freed by reference counting as usual); processes forked inside inherit it."""
    before = gc.get_threshold()
    gc.set_threshold(threshold, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


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


def _bar(total: int | None, label: str) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, desc=label, file=sys.stderr, unit="份", leave=False, dynamic_ncols=True)


SERIAL = Runner(jobs=1)
