"""MkDocs hook: a build puts the generated downloads (a review's .bib, .ris, .nbib, .json...) into the site itself;
MkDocs is not told of them.

MkDocs keeps a File for every file of docs/ until its build ends (about 1 KB each with its cached paths and
addresses), only to copy those it does not render. A review has four downloads to two pages, so they were two
thirds of MkDocs' files and a third of what it held per review (issue 16: memory that grows with the collection).
Taken out of its list at `on_files`, each is hard-linked from docs/ into the site at `on_post_build` (copied where
links are refused): the same bytes at the same path, as a static file's address is its path. The generator
replaces a file in docs/ (a new file renamed over it) and never writes into one, so a link made by an earlier
build keeps what that build published; an unchanged download is the very file the last build published.

Under `serve`, MkDocs keeps copying them, so that its dirty rebuilds copy only what a generation wrote
(reviewsite/hooks/written.py).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
if str(PROJECT_ROOT) not in sys.path:  # MkDocs loads hooks by path, outside any package
    sys.path.insert(0, str(PROJECT_ROOT))

from reviewsite.build.writer import is_owned_name  # noqa: E402

_state: dict = {"serving": False, "taken": []}


def on_startup(command: str, dirty: bool) -> None:
    _state["serving"] = command == "serve"


def _generated_download(file, config) -> bool:
    return not file.is_documentation_page() and file.abs_src_path is not None and \
        getattr(file, "src_dir", None) == config.docs_dir and file.inclusion.is_included() and \
        is_owned_name(file.src_uri)


def on_files(files, config):
    _state["taken"] = []
    if _state["serving"]:
        return files
    taken = [file for file in files if _generated_download(file, config)]
    for file in taken:
        files.remove(file)
    _state["taken"] = [file.src_uri for file in taken]  # a static file's destination is its source's path
    return files


def link_or_copy(source: str, target: str) -> None:
    """`target` made the same file as `source`: a hard link (nothing ever writes into a built file, nor into a
    generated one), or a copy where links are refused (another file system)."""
    os.makedirs(os.path.dirname(target), exist_ok=True)
    try:
        os.link(source, target)
    except FileExistsError:  # a dirty build into a site folder an earlier build filled
        if not os.path.samefile(source, target):
            os.unlink(target)
            link_or_copy(source, target)
    except OSError:
        shutil.copy2(source, target)


def on_post_build(config) -> None:
    taken, _state["taken"] = _state["taken"], []
    for src_uri in taken:
        link_or_copy(os.path.join(config.docs_dir, src_uri), os.path.join(config.site_dir, src_uri))
