"""Bytes one build sets aside for later in the same build, kept in an unnamed temporary file instead of memory.

MkDocs converts every page before it renders any (two passes), so what a generated page carries from the first pass
to the second (its HTML and its head's metadata, compressed; reviewsite/hooks/passthrough.py) was held for every page
at once: about 9 KB a review at the end of the first pass, growing with the collection (issue 16). Set aside here,
each costs its page two integers. The file has no name (it is gone when closed, or when the process ends).
"""

from __future__ import annotations

import os
import tempfile


class Spill:
    """An append-only temporary file: `put` some bytes, `take` them back by where they were put."""

    def __init__(self) -> None:
        self._file = None

    def put(self, data: bytes) -> tuple[int, int]:
        """Where `data` is kept: its offset and length."""
        if self._file is None:
            self._file = tempfile.TemporaryFile()
        self._file.seek(0, os.SEEK_END)
        offset = self._file.tell()
        self._file.write(data)
        return offset, len(data)

    def take(self, where: tuple[int, int]) -> bytes:
        """The bytes `put` kept at `where`."""
        offset, length = where
        if self._file is None:
            raise RuntimeError("nothing was set aside in this build")
        self._file.seek(offset)
        data = self._file.read(length)
        if len(data) != length:  # pragma: no cover - the file was cut short under us: fail, never lose text
            raise RuntimeError(f"set-aside bytes at {offset} are {len(data)} long, not {length}")
        return data

    def close(self) -> None:
        """Let the file go (its bytes with it); the next `put` starts a new one."""
        if self._file is not None:
            self._file.close()
            self._file = None


# The build's one spill. It lives here, not in the hook that fills it: MkDocs loads a hook's file as a module of
# its own, apart from the package module other hooks import (generation.py reads the pages back through
# reviewsite.hooks.passthrough), and state kept in either would be two states.
SET_ASIDE = Spill()
