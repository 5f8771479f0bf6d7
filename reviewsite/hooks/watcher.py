"""`serve`'s file watcher: a maintainer's saved file starts a rebuild at once; the generator's own pages do not.

MkDocs' server watches with a polling observer (every 0.5 s it lists and stats every file under docs/, records/
and templates/, thousands at 1000 reviews) and rebuilds on any change, the pages the generator has just written
into docs/ included, so every saved record cost a second rebuild. `Watcher` takes that observer's place: it is
told of changes by the operating system (inotify on Linux, through watchdog, which MkDocs already uses) and passes
on only the changes a maintainer made, naming the paths, which the generation hook reads to say what changed.
Where the system's notifications are unavailable (no inotify, or its limit on watched folders reached) it polls.
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
import warnings
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from watchdog.events import FileModifiedEvent, FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from reviewsite.build.writer import is_owned

log = logging.getLogger("mkdocs.hooks.reviewsite")

# Seconds MkDocs waits for the changes to stop before it rebuilds (its own default is 0.1 s). The watcher passes on
# finished writes only, and an editor's save is over within milliseconds.
QUIET_PERIOD = 0.02
POLLING_INTERVAL = 0.5  # seconds, as MkDocs' own observer

# Not a change by themselves: a file opened or read, a write still under way (its close follows), a folder's listing
# or a file's attributes (touch, chmod).
_NOT_CHANGES = {"opened", "closed_no_write", "attrib"}

# watchdog's inotify observer warns when a folder moved out of the tree comes back under a watched folder; the
# folder is watched again all the same.
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"watchdog\.observers\.inotify")


class Watcher:
    """The observer of MkDocs' LiveReloadServer, with watchdog's observer interface (schedule, unschedule, start,
    stop, join). A handler scheduled on a folder or a file is called with one FileModifiedEvent per path a
    maintainer changed: a file saved, created, moved or removed, or a folder removed or moved; never for a file the
    generator owns in `docs_dir` (reviewsite/build/writer.py), nor for a hidden file (an editor's swap file, the
    generator's staging folder)."""

    def __init__(self, docs_dir: str | os.PathLike, make_observer: Callable[[], BaseObserver] = Observer,
                 polling_interval: float = POLLING_INTERVAL) -> None:
        self._docs_dir = os.path.abspath(docs_dir)
        self._make_observer = make_observer
        self._polling_interval = polling_interval
        self._observer: BaseObserver | None = None
        self._keys = itertools.count(1)
        self._watches: dict[int, tuple[FileSystemEventHandler, str, bool]] = {}
        self._observed: dict[int, object] = {}  # a watch's key -> the observer's own watch, once started
        self._lock = threading.Lock()
        self._reported: set[str] = set()
        self.polling = False

    # --- watchdog's observer interface, as MkDocs' server calls it ---------------------------------------------

    def schedule(self, handler: FileSystemEventHandler, path: str, recursive: bool = False) -> int:
        key = next(self._keys)
        self._watches[key] = (handler, os.path.abspath(path), recursive)
        if self._observer is not None:
            self._observed[key] = self._schedule(self._observer, key)
        return key

    def unschedule(self, key: int) -> None:
        self._watches.pop(key)
        observed = self._observed.pop(key, None)
        if observed is not None and self._observer is not None:
            self._observer.unschedule(observed)

    def start(self) -> None:
        try:
            self._start(self._make_observer())
        except OSError as error:  # no inotify here, or the limit on watched folders reached
            log.warning(f"Watching for changes by listing the files every {self._polling_interval} s "
                        f"(the system cannot report them: {error})")
            self.polling = True
            self._start(PollingObserver(timeout=self._polling_interval))

    def stop(self) -> None:
        if self._observer is not None:
            self._observer.stop()

    def join(self, timeout: float | None = None) -> None:
        if self._observer is not None and self._observer.is_alive():
            self._observer.join(timeout)

    # --- what the generation hook asks -------------------------------------------------------------------------

    def take_reported(self) -> set[str]:
        """The absolute paths reported since the last call."""
        with self._lock:
            reported, self._reported = self._reported, set()
        return reported

    # --- inside --------------------------------------------------------------------------------------------------

    def _start(self, observer: BaseObserver) -> None:
        self._observed = {}
        try:
            for key in self._watches:
                self._observed[key] = self._schedule(observer, key)
            observer.start()
        except OSError:
            observer.stop()
            self._observed = {}
            raise
        self._observer = observer

    def _schedule(self, observer: BaseObserver, key: int) -> object:
        handler, path, recursive = self._watches[key]
        if os.path.isdir(path):
            return observer.schedule(_Reporter(self, handler, path, None), path, recursive=recursive)
        # A file is watched through its folder: an editor that saves by renaming replaces the file itself.
        folder, name = os.path.split(path)
        return observer.schedule(_Reporter(self, handler, folder, name), folder, recursive=False)

    def _is_change(self, event: FileSystemEvent) -> bool:
        if event.event_type in _NOT_CHANGES:
            return False
        if event.event_type == "created" and event.is_directory:
            return False  # an empty folder changes no page; what is put into it is reported file by file
        # A folder's "modified" is a change in its listing, reported for the files themselves; a file's "modified"
        # is one write of several, reported when the file is closed, except by the polling observer, which sees
        # no closing.
        return event.event_type != "modified" or (self.polling and not event.is_directory)

    def _is_reported(self, path: str, root: str) -> bool:
        relative = os.path.relpath(path, root)
        if relative == os.curdir or relative.startswith(os.pardir):
            return False
        if any(part.startswith(".") for part in Path(relative).parts):
            return False
        inside_docs = os.path.relpath(path, self._docs_dir)
        return inside_docs.startswith(os.pardir) or not is_owned(PurePosixPath(Path(inside_docs).as_posix()))

    def _report(self, path: str) -> None:
        with self._lock:
            self._reported.add(path)


class _Reporter(FileSystemEventHandler):
    """Passes a watch's events to MkDocs' handler as one "modified" event per changed path: its handler drops
    folder events, and a review folder removed or moved away arrives as one."""

    def __init__(self, watcher: Watcher, handler: FileSystemEventHandler, root: str, only: str | None) -> None:
        self._watcher = watcher
        self._handler = handler
        self._root = root
        self._only = only  # the one file watched in `root`, when a file is watched

    def dispatch(self, event: FileSystemEvent) -> None:
        if not self._watcher._is_change(event):
            return
        for path in (event.src_path, event.dest_path):
            path = os.fsdecode(path)
            if not path or (self._only is not None and os.path.basename(path) != self._only):
                continue
            if self._watcher._is_reported(path, self._root):
                self._watcher._report(path)
                self._handler.dispatch(FileModifiedEvent(path))


def install(server, config) -> Watcher:
    """Make `server` (MkDocs' LiveReloadServer, at the `on_serve` event) watch with a Watcher, and return it."""
    watcher = Watcher(config.docs_dir)
    # MkDocs watched docs/ and mkdocs.yml (the theme too with --watch-theme) before this event; they move over.
    moved = []
    for path in filter(None, (config.docs_dir, config.config_file_path, *config.theme.dirs)):
        try:
            server.unwatch(path)
        except KeyError:  # not watched
            continue
        moved.append(path)
    # The server has no other way to be given an observer; it only calls watchdog's observer methods on it.
    server.observer = watcher
    server.build_delay = QUIET_PERIOD
    for path in moved:
        server.watch(path)
    return watcher
