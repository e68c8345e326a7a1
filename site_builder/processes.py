"""Worker processes, started one way: a pool whose workers are given their input as one explicit
payload, and that never forks a process running other threads.

Forking copies only the thread that forks: a lock another thread holds at that moment (the
allocator's, logging's, SQLite's...) stays locked forever in the child, which may then hang
(Python 3.12 warns of it). A process with one thread (a command-line build) forks: each worker
inherits the payload, nothing is copied. A process with more (the dev server, with its web
server, search indexer and cache writer) starts its workers from a fork server, a separate
process that has one thread, and sends them the payload, pickled once.

Sending costs: at 10,000 pages the payload (the site, mostly) is over 13 MiB, which every worker
unpickles. So the dev server keeps its workers from one build to the next (``Kept``), and they
keep the site while it is the same: after a template edit only the rest (the templates, the
keys) is sent.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import multiprocessing
import multiprocessing.pool
import signal
import threading
from multiprocessing.reduction import ForkingPickler
from types import MappingProxyType
from typing import Any, Callable, Iterable, Iterator


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
    _quiet()
    initializer(ForkingPickler.loads(payload) if pickled else payload)


def _quiet() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it ends the pool


# --- workers kept from one build to the next ---------------------------------------------------

class _KeepingPickler(_Pickler):
    """Pickles a payload with the object ``kept`` left out, named by ``token``: the worker it is
    sent to has it already (``_kept``)."""

    def __init__(self, file: io.BytesIO, kept: object, token: str):
        super().__init__(file)
        self.kept, self.token = kept, token

    def reducer_override(self, obj: object) -> Any:
        return (_kept, (self.token,)) if obj is self.kept else NotImplemented


class Kept:
    """Worker processes that a long-running process with threads (the dev server) keeps from one
    ``imap`` to the next, started from a fork server. ``kept``, an object inside the payload that
    is most of it (the site), is sent to each worker when it starts, and the workers are started
    again only when its pickle changed; the rest of the payload goes with each item. Same bytes,
    same object: a worker never keeps a stale one."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self._pool: multiprocessing.pool.Pool | None = None
        self._calls = 0
        self._token = ""
        self.sent = 0  # how many times ``kept`` was sent to new workers (it changed)

    def imap(self, initializer: Callable[[Any], None], payload: Any, kept: object, func: Callable[[Any], Any],
             items: Iterable[Any]) -> Iterator[Any]:
        """``func(item)`` for each item, in any order, in workers that have called
        ``initializer(payload)`` first."""
        data = bytes(_Pickler.dumps(kept))
        token = hashlib.sha256(data).hexdigest()[:32]
        if self._pool is None or token != self._token:
            self.close()
            method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
            context = multiprocessing.get_context(method)
            if method == "forkserver":
                context.set_forkserver_preload([initializer.__module__, func.__module__])
            self._pool = context.Pool(self.jobs, initializer=_keep, initargs=(data, token))
            self._token = token
            self.sent += 1
        buf = io.BytesIO()
        _KeepingPickler(buf, kept, token).dump(payload)
        self._calls += 1
        rest = buf.getvalue()
        return self._pool.imap_unordered(_kept_task, [(self._calls, rest, initializer, func, item) for item in items])

    def close(self) -> None:
        """Stop the workers."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
        self._token = ""


# In a kept worker: the object it keeps, by token, and the call whose payload it has.
_seen: dict[str, Any] = {"token": None, "kept": None, "call": None}


def _keep(data: bytes, token: str) -> None:
    """A kept worker starts: it takes the kept object, which stays as long as it does. The cycle
    collector is off while it is unpickled (its passes found nothing, and were half of it), and
    it is frozen: no later pass looks at it again."""
    _quiet()
    gc.disable()
    _seen["kept"], _seen["token"] = ForkingPickler.loads(data), token
    gc.freeze()


def _kept(token: str) -> object:
    """The kept object, where a payload names it."""
    if _seen["token"] != token:
        raise RuntimeError("a kept worker was sent a payload for another object")  # Kept restarts them first
    return _seen["kept"]


def _kept_task(task: tuple[int, bytes, Callable[[Any], None], Callable[[Any], Any], Any]) -> Any:
    call, rest, initializer, func, item = task
    if _seen["call"] != call:
        # A build makes many objects and few cycles: as in the build's own process, the cycle
        # collector waits until the next build begins here, and frees the last one's in one pass
        # (the kept object is frozen: the pass does not look at it).
        initializer(ForkingPickler.loads(rest))
        gc.collect()
        _seen["call"] = call
    return func(item)
