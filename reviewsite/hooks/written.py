"""`serve`: a generated page or download is known changed when a generation wrote it, without comparing times.

A dirty rebuild asks of every file whether its copy in the site folder is older than it (two stats per file, and
twice per page: about 16,000 stats per rebuild at 1000 reviews). The generator's files in docs/ change only when a
generation writes them (a file changed by hand is written back by the next generation, which then names it), so
once a build into a site folder has succeeded, a generated file is modified only if a generation has written it
since the last successful build into that folder. Hand-written pages, the theme and everything else are still
compared as MkDocs compares them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from reviewsite.build.writer import is_owned_name

_BUILT: set[str] = set()  # site folders into which a build of this process has succeeded
_WRITTEN: dict[str, set[str]] = {}  # site folder -> generated files (POSIX, under docs/) written since that build


def _site(config: Any) -> str:
    return os.path.abspath(config.site_dir)


def unmodified() -> bool:
    """A MkDocs File's `is_modified`, for a file a dirty rebuild leaves as it was built."""
    return False


def note_written(config: Any, names: Iterable[str]) -> None:
    """At `on_pre_build`: the generated files this generation wrote."""
    _WRITTEN.setdefault(_site(config), set()).update(names)


def skip_unwritten(files: Any, config: Any) -> None:
    """At `on_files`: every generated file not written since the last successful build is left as it was built."""
    site = _site(config)
    if site not in _BUILT:
        return
    written = _WRITTEN.get(site, set())
    for file in files:
        if file.abs_src_path is not None and getattr(file, "src_dir", None) == config.docs_dir \
                and file.src_uri not in written and is_owned_name(file.src_uri):
            file.is_modified = unmodified


def built(config: Any) -> None:
    """At `on_post_build`: the site folder holds every file as the generations so far wrote it."""
    site = _site(config)
    _BUILT.add(site)
    _WRITTEN.pop(site, None)
