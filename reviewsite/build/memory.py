"""Memory a finished stage freed, given back to the system before the next stage starts.

Python returns its own small-object arenas when they empty, but glibc keeps what `malloc` freed (large strings and
bytes: pages, pickles) for reuse in the process. A build's stages peak one after another (the generation, MkDocs'
pages, Pagefind in a child process), so what one freed would otherwise count again while the next runs.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import sys


@functools.cache
def libc():
    """Linux's C library, loaded once (for `malloc_trim`, and `prctl` in apart.py), or None on another system."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def _trim():
    """glibc's `malloc_trim`, or None (another C library, another system)."""
    return getattr(libc(), "malloc_trim", None)


def give_back() -> bool:
    """Free what only cycles still hold, and hand the C heap's free pages back to the system; True when the C
    library can (glibc), False where this does nothing more than a collection."""
    gc.collect()
    trim = _trim()
    if trim is None:
        return False
    trim(0)
    return True
