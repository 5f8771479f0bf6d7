"""A one-off build's generation, then its MkDocs build, each in a forked child process, so that each stage starts on
a heap the one before never used, and Pagefind runs beside a small process (reviewsite/cli.py).

A generation peaks at ~60 KB per review in its process (every review's collection entry, the caches' stores, the
pages' inputs) and frees it at the end; Python keeps most of what it freed for reuse (its arenas empty only when
every object in them is gone), so MkDocs' build, and then Pagefind beside it, ran on top of it (146 MB at 2000
reviews before MkDocs read a page). In a child, all of it goes back to the system when the child exits. Only the
result comes back (a few counts and the problems found), pickled through a pipe; so does a failure: a record
mistake as the same error, a bug as its exception with the child's traceback attached.
"""

from __future__ import annotations

import copyreg
import io
import os
import pickle
import sys
import threading
import traceback
from collections.abc import Callable
from typing import TypeVar

from ..errors import RecordsInvalid
from .memory import libc

T = TypeVar("T")


def name_this_process(name: str) -> None:
    """Call this process `name` where `ps`, `top` and benchmarks/tree_memory.py look (Linux's /proc/PID/comm, at
    most 15 bytes): forked stages otherwise all show as the build's command line. Does nothing elsewhere."""
    prctl = getattr(libc(), "prctl", None)
    if prctl is not None:
        prctl(15, name.encode("ascii")[:15], 0, 0, 0)  # PR_SET_NAME


def can_fork() -> bool:
    """Forking is safe in a one-threaded process on Linux (macOS' system libraries break after fork)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def _remade_invalid(kind: type, problems: list, message: str) -> RecordsInvalid:
    error = kind.__new__(kind)
    RecordsInvalid.__init__(error, problems)
    error.args = (message,)
    return error


def _pickled(outcome: tuple) -> bytes:
    stream = io.BytesIO()
    pickler = pickle.Pickler(stream, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = copyreg.dispatch_table.copy()
    error = outcome[1] if outcome[0] == "error" else None
    if isinstance(error, RecordsInvalid):  # its constructor takes the problems, not the message
        pickler.dispatch_table[type(error)] = lambda e: (_remade_invalid, (type(e), e.problems, str(e)))
    pickler.dump(outcome)
    return stream.getvalue()


def run_apart(work: Callable[[], T], process: str = "the generation's process", short_name: str = "rs-generation") -> T:
    """`work()` in a forked child: its result, or its exception raised here. `process` names the child in
    errors, `short_name` in the system's process list."""
    for stream in (sys.stdout, sys.stderr):  # what is buffered now would be written twice
        stream.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 0
        try:
            os.close(read_end)
            name_this_process(short_name)
            try:
                outcome: tuple = ("result", work())
            except BaseException as error:  # handed to the parent, whatever it is
                outcome = ("error", error, traceback.format_exc())
            try:
                data = _pickled(outcome)
            except Exception:  # an exception that does not pickle: its text, as a bug's
                data = _pickled(("error", RuntimeError(repr(outcome[1])), outcome[2] if len(outcome) > 2 else ""))
            with os.fdopen(write_end, "wb") as stream:
                stream.write(data)
            for stream in (sys.stdout, sys.stderr):
                stream.flush()
        except BaseException:
            code = 1
        finally:
            os._exit(code)  # no atexit handlers, no buffers of the parent's flushed again
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as stream:
            data = stream.read()
    finally:
        _, status = os.waitpid(pid, 0)
    if not data:
        raise RuntimeError(f"{process} ended without a result (wait status {status})")
    outcome = pickle.loads(data)
    if outcome[0] == "result":
        return outcome[1]
    error, child_traceback = outcome[1], outcome[2]
    if not isinstance(error, (RecordsInvalid, KeyboardInterrupt)) and child_traceback:
        error.add_note(f"In {process}:\n{child_traceback}")
    raise error
