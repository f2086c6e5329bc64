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

import gc
import multiprocessing
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

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
        yield from self._counted(self._map(fn, items), len(items), label)

    def start(self, fn: Callable[[T], R], items: Sequence[T], label: str = "") -> Iterator[R]:
        """:meth:`map`, with the work handed out now (the workers start while the caller does
        something else) and the results taken later from the iterator, in the items' order.
        With one worker nothing starts early: each item is done as the iterator asks for it."""
        if self.dask:
            results = self._dask_submit(fn, items)  # client.map: everything submitted now
        elif min(self.workers, len(items)) > 1:
            results = self._pool_map(fn, items)  # submitted and forked here, in the caller's thread
        else:
            results = (fn(item) for item in items)
        return self._counted(results, len(items), label)

    def _counted(self, results: Iterator[R], total: int, label: str) -> Iterator[R]:
        bar = _bar(total, label) if self.progress and total else None
        try:
            for result in results:
                if bar is not None:
                    bar.update(1)
                yield result
        finally:
            if bar is not None:
                bar.close()

    def submit(self, fn: Callable[[T], R], item: T) -> Pending[R]:
        """``fn(item)`` started now, beside whatever runs next — in a process of its own, or as a
        Dask task — for one long job that should not wait for the per-item work (公示汇编);
        :meth:`Pending.result` waits for it. With one worker it runs when asked for."""
        if self.dask:
            return Pending(self.client().submit(fn, item, pure=False))
        if self.workers <= 1:
            return Pending(None, call=(fn, item))
        pool = ProcessPoolExecutor(max_workers=1)
        return Pending(pool.submit(fn, item), pool=pool)

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
        """Every item submitted to a new process pool now; an iterator over the results."""
        workers = min(self.workers, len(items))
        chunk = max(1, min(CHUNK_TARGET, len(items) // (workers * 4)))
        pool = ProcessPoolExecutor(max_workers=workers)
        try:
            results = pool.map(fn, items, chunksize=chunk)
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise

        def taken() -> Iterator[R]:
            with pool:
                yield from results

        return taken()

    def _dask_map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        yield from self._dask_submit(fn, items)

    def _dask_submit(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        """Every item submitted to the cluster now; an iterator over the results."""
        client = self.client()
        futures: list[Any] = client.map(fn, list(items), pure=False)

        def taken() -> Iterator[R]:
            try:
                for i in range(len(futures)):  # in order; each result is let go once taken
                    yield futures[i].result()
                    futures[i] = None
            finally:
                client.cancel([f for f in futures if f is not None])

        return taken()

    def client(self) -> Any:
        """The Dask client, connected on first use."""
        if self._client is None:
            self._client = connect(self.dask or "")
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


class Pending(Generic[R]):
    """The result of :meth:`Runner.submit`, when it is ready."""

    def __init__(self, future: Any, pool: ProcessPoolExecutor | None = None,
                 call: tuple[Callable[[Any], R], Any] | None = None) -> None:
        self._future, self._pool, self._call = future, pool, call

    def result(self) -> R:
        try:
            if self._call is not None:
                fn, item = self._call
                return fn(item)
            return self._future.result()  # type: ignore[no-any-return]
        finally:
            self.close()

    def close(self) -> None:
        """Let the job go (cancelled if it has not finished) and its process with it."""
        done = self._future is None or self._future.done()
        if not done:
            self._future.cancel()
        if self._pool is not None:
            self._pool.shutdown(wait=done, cancel_futures=True)  # a finished job's process is reaped
            self._pool = None
        self._future = self._call = None


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


def aside(fn: Callable[..., R], *args: Any, fork: bool = True) -> Pending[R]:
    """``fn(*args)`` in a forked child process, beside this one — nothing is pickled on the way
    in (the child has this process's memory) and only the result comes back. For work of the
    main process that can run while the workers do theirs (the results tables while the
    notices render). Call it before this process starts threads (a fork copies only the
    calling thread). Without ``fork`` (or where the system has none: Windows) it runs in
    :meth:`Pending.result`, here."""
    if not fork or "fork" not in multiprocessing.get_all_start_methods():
        return Pending(None, call=(lambda a: fn(*a), args))
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=_aside, args=(writer, fn, args), daemon=True)
    child.start()
    writer.close()
    return Pending(_Child(child, reader))


def _aside(writer: Any, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        outcome: tuple[bool, Any] = (True, fn(*args))
    except BaseException as e:  # noqa: BLE001 — sent back and raised in the parent
        outcome = (False, e)
    try:
        writer.send(outcome)
    except Exception as e:  # an exception that cannot be pickled
        writer.send((False, RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]} ({e})")))


class _Child:
    """A forked child's answer, as a future."""

    def __init__(self, process: Any, reader: Any) -> None:
        self.process, self.reader = process, reader

    def done(self) -> bool:
        return not self.process.is_alive()

    def cancel(self) -> bool:
        self.process.terminate()
        self.process.join()
        return True

    def result(self) -> Any:
        try:
            ok, value = self.reader.recv()
        except EOFError:
            self.process.join()
            raise RuntimeError(f"the helper process stopped (exit code {self.process.exitcode})") from None
        self.process.join()
        if not ok:
            raise value
        return value


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
