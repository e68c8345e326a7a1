"""Worker processes, started one way: a pool whose workers are given their input as one explicit
payload, and that never forks a process running other threads.

Forking copies only the thread that forks: a lock another thread holds at that moment (the
allocator's, logging's, SQLite's...) stays locked forever in the child, which may then hang
(Python 3.12 warns of it). A process with one thread (a command-line build) forks: each worker
inherits the payload, nothing is copied. A process with more (the dev server, with its web
server, search indexer and cache writer) starts its workers from a fork server, a separate
process that has one thread, and sends them the payload, pickled once.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.pool
import signal
import threading
from multiprocessing.reduction import ForkingPickler
from types import MappingProxyType
from typing import Any, Callable, Iterator


def threads() -> int:
    """How many threads this process runs, as the kernel counts them (a C library's too)."""
    try:
        with open("/proc/self/stat", "rb") as f:
            return int(f.read().rpartition(b")")[2].split()[17])  # field 20, num_threads
    except (OSError, ValueError, IndexError):
        return threading.active_count()


def start_method() -> str:
    """'fork' where that is safe (one thread) and possible; else a fork server, else a new interpreter."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threads() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _mapping_proxy(items: dict) -> MappingProxyType:
    return MappingProxyType(items)


class _Pickler(ForkingPickler):
    """multiprocessing's pickler, plus read-only mappings (a Config's ``extra``). It only ever
    writes to a worker this process starts; nothing site_builder reads from disk is unpickled."""
    _extra_reducers = {**ForkingPickler._extra_reducers,  # type: ignore[attr-defined]
                       MappingProxyType: lambda m: (_mapping_proxy, (dict(m),))}


@contextlib.contextmanager
def pool(jobs: int, initializer: Callable[[Any], None], payload: Any) -> Iterator[multiprocessing.pool.Pool]:
    """``jobs`` worker processes, each of which calls ``initializer(payload)`` once when it starts;
    closed when the block ends (stopped at once if it fails), and waited for."""
    procs = _pool(jobs, initializer, payload)
    try:
        yield procs
        procs.close()
    except BaseException:
        procs.terminate()
        raise
    finally:
        procs.join()


def _pool(jobs: int, initializer: Callable[[Any], None], payload: Any) -> multiprocessing.pool.Pool:
    method = start_method()
    context = multiprocessing.get_context(method)
    if method == "fork":
        return context.Pool(jobs, initializer=_start, initargs=(initializer, payload, False))
    if method == "forkserver":
        # the fork server imports the initializer's module (and what it imports) once, for every worker
        context.set_forkserver_preload([initializer.__module__])
    data = bytes(_Pickler.dumps(payload))  # once, not once per worker
    return context.Pool(jobs, initializer=_start, initargs=(initializer, data, True))


def _start(initializer: Callable[[Any], None], payload: Any, pickled: bool) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it ends the pool
    initializer(ForkingPickler.loads(payload) if pickled else payload)
