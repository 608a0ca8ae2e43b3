"""Worker processes for the CLI: results in input order, bounded read-ahead, and a dead worker is an error
for the input it held, never a hang.

``multiprocessing.Pool.imap`` reads its whole input ahead (a JSONL stream larger than memory would be
held in memory) and waits forever for a task whose worker was killed (by the OOM killer, say).
:class:`Workers` submits at most ``window`` chunks at a time to a :class:`~concurrent.futures.
ProcessPoolExecutor`, which notices a dead worker (``BrokenProcessPool``). The pool is then started
again, the chunk at the head is re-run alone, item by item, so that only an item that kills its worker
again is given up (as :class:`WorkerDied`); the other chunks in flight are submitted again.

Workers die with the main process (``PR_SET_PDEATHSIG`` on Linux): a killed ``cleannews`` leaves no
orphans behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class WorkerDied(Exception):
    """The worker process cleaning this item died (killed, or out of memory) even when run again alone."""


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the process that started it dies (no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1


def _worker_init(initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    _die_with_parent()
    if initializer is not None:
        initializer(*initargs)


def _run_chunk(func: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [func(x) for x in chunk]


class Workers:
    """``map`` over *n* processes (in this process when *n* <= 1), keeping order and at most *window*
    chunks in flight (default: 4 per process)."""

    def __init__(
        self,
        n: int,
        initializer: Callable[..., None] | None = None,
        initargs: tuple[Any, ...] = (),
        window: int | None = None,
    ) -> None:
        self.n = n
        self.window = window or 4 * n
        self._init = (initializer, initargs)
        self._pool: ProcessPoolExecutor | None = None
        self.restarts = 0

    def map(self, func: Callable[[T], R], items: Iterable[T], chunksize: int = 1) -> Iterator[R | WorkerDied]:
        """``func(item)`` for each item, in order; :class:`WorkerDied` in place of a result whose worker died."""
        if self.n <= 1:
            initializer, initargs = self._init
            if initializer is not None:
                initializer(*initargs)
            yield from map(func, items)
            return
        it = iter(items)
        inflight: deque[tuple[list[T], Future[list[R]]]] = deque()
        while True:
            while len(inflight) < self.window:
                chunk = list(islice(it, chunksize))
                if not chunk:
                    break
                inflight.append((chunk, self._try_submit(func, chunk)))
            if not inflight:
                return
            chunk, fut = inflight.popleft()
            try:
                results: list[R | WorkerDied] = list(fut.result())
            except BrokenProcessPool:
                self._restart()
                results = list(self._isolated(func, chunk))
                for i, (c, _) in enumerate(inflight):  # their futures broke with the pool: submit them again
                    inflight[i] = (c, self._try_submit(func, c))
            yield from results

    def _isolated(self, func: Callable[[T], R], chunk: list[T]) -> Iterator[R | WorkerDied]:
        for item in chunk:
            try:
                yield self._submit(func, [item]).result()[0]
            except BrokenProcessPool:
                self._restart()
                yield WorkerDied("a worker process died while cleaning it (killed, or out of memory)")

    def _try_submit(self, func: Callable[[T], R], chunk: list[T]) -> Future[list[R]]:
        """Submit; a pool found broken here gives a failed future, dealt with when its turn comes."""
        try:
            return self._submit(func, chunk)
        except BrokenProcessPool as exc:
            failed: Future[list[R]] = Future()
            failed.set_exception(exc)
            return failed

    def _submit(self, func: Callable[[T], R], chunk: list[T]) -> Future[list[R]]:
        if self._pool is None:
            ctx = multiprocessing.get_context("spawn" if sys.platform == "win32" else "fork")
            self._pool = ProcessPoolExecutor(self.n, mp_context=ctx, initializer=_worker_init, initargs=self._init)
        return self._pool.submit(_run_chunk, func, chunk)

    def _restart(self) -> None:
        self.restarts += 1
        self.close(interrupted=True)

    def close(self, interrupted: bool = False) -> None:
        """Stop the processes: let them finish (default) or kill them now (*interrupted*)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if interrupted:
            procs = list(getattr(pool, "_processes", {}).values())  # no public way to kill an executor's workers
            pool.shutdown(wait=False, cancel_futures=True)
            for p in procs:
                with contextlib.suppress(Exception):
                    p.kill()
            for p in procs:
                with contextlib.suppress(Exception):
                    p.join(5)
        else:
            pool.shutdown(wait=True)
