"""`serve`'s file watcher (reviewsite/hooks/watcher.py) and what the hooks do with what it reports: a saved record
starts a rebuild, the generator's own pages in docs/ never do, "what changed" looks only at the reported paths, and a
review removed while serving leaves docs/ and the served site."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from test_hook import load_hook
from watchdog.events import FileSystemEventHandler

from conftest import REVIEW_ID, ROOT, copy_project
from reviewsite.hooks.watcher import Watcher, install

OTHER_REVIEW = "chatterjee-2017"


class Recorder(FileSystemEventHandler):
    """Stands for MkDocs' handler: notes every path it is told of."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.told = threading.Condition()

    def on_any_event(self, event) -> None:
        with self.told:
            self.paths.append(os.fsdecode(event.src_path))
            self.told.notify_all()

    def wait_for(self, path: Path, seconds: float = 20.0) -> None:
        """Until `path` is reported; a generous deadline, only so that a broken watcher fails instead of hanging."""
        with self.told:
            if not self.told.wait_for(lambda: str(path) in self.paths, timeout=seconds):
                raise AssertionError(f"{path} was never reported; reported: {self.paths}")


def unavailable():
    """An observer factory for a system without inotify (or over its limit of watched folders)."""

    class NoInotify:
        def schedule(self, *args, **kwargs):
            raise OSError(28, "inotify watch limit reached")

        def stop(self):
            pass

    return NoInotify()


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for folder in ("records/review-a", "docs/reviews/review-a", "docs/stylesheets", "templates"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "records/review-a/article.yaml").write_text("title: A\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def watching(tree: Path):
    """A started Watcher over records/, docs/ and mkdocs.yml, with the Recorder MkDocs' handler would be."""
    started: list[Watcher] = []

    def start(make_observer=None, polling_interval: float = 0.1) -> tuple[Watcher, Recorder]:
        options = {"make_observer": make_observer} if make_observer else {}
        watcher = Watcher(tree / "docs", polling_interval=polling_interval, **options)
        recorder = Recorder()
        for path, recursive in ((tree / "records", True), (tree / "docs", True), (tree / "mkdocs.yml", False)):
            watcher.schedule(recorder, str(path), recursive=recursive)
        watcher.start()
        started.append(watcher)
        return watcher, recorder

    yield start
    for watcher in started:
        watcher.stop()
        watcher.join()


def test_a_saved_record_is_reported_by_its_path(tree, watching):
    watcher, recorder = watching()
    article = tree / "records/review-a/article.yaml"
    article.write_text("title: A, edited\n", encoding="utf-8")
    recorder.wait_for(article)
    assert not watcher.polling
    assert str(article) in watcher.take_reported()
    assert watcher.take_reported() == set()  # taken once


def test_a_record_saved_by_renaming_a_temporary_file_over_it_is_reported(tree, watching):
    watcher, recorder = watching()
    article = tree / "records/review-a/article.yaml"
    temporary = article.with_name(".article.yaml.tmp")
    temporary.write_text("title: A, edited\n", encoding="utf-8")
    os.replace(temporary, article)
    recorder.wait_for(article)
    assert str(temporary) not in recorder.paths  # hidden: an editor's or the generator's own temporary file


def test_the_generators_own_pages_in_docs_are_not_reported_a_hand_written_file_is(tree, watching):
    watcher, recorder = watching()
    (tree / "docs/reviews/review-a/index.md").write_text("# A\n", encoding="utf-8")
    (tree / "docs/index.md").write_text("# Home\n", encoding="utf-8")
    (tree / "docs/.generating").mkdir()
    (tree / "docs/.generating/index.md").write_text("# staged\n", encoding="utf-8")
    shutil.rmtree(tree / "docs/reviews/review-a")
    hand_written = tree / "docs/stylesheets/extra.css"
    hand_written.write_text("body {}\n", encoding="utf-8")
    recorder.wait_for(hand_written)  # after the writes above: the system reports them in order
    assert set(recorder.paths) == {str(hand_written)}  # created, then written and closed
    assert watcher.take_reported() == {str(hand_written)}


def test_mkdocs_yml_is_reported_and_nothing_else_beside_it(tree, watching):
    watcher, recorder = watching()
    (tree / "build.log").write_text("x\n", encoding="utf-8")
    (tree / "mkdocs.yml").write_text("site_name: y\n", encoding="utf-8")
    recorder.wait_for(tree / "mkdocs.yml")
    assert set(recorder.paths) == {str(tree / "mkdocs.yml")}


def test_a_review_folder_moved_away_is_reported(tree, watching, tmp_path_factory):
    watcher, recorder = watching()
    folder = tree / "records/review-a"
    shutil.move(folder, tmp_path_factory.mktemp("elsewhere") / "review-a")
    recorder.wait_for(folder)  # one event for the folder, which MkDocs' own handler would drop


def test_without_inotify_the_watcher_polls(tree, watching):
    watcher, recorder = watching(make_observer=unavailable)
    assert watcher.polling
    article = tree / "records/review-a/article.yaml"
    time.sleep(0.3)  # a polling observer sees a change only against its first listing
    article.write_text("title: A, edited and longer\n", encoding="utf-8")
    recorder.wait_for(article)
    (tree / "docs/index.md").write_text("# Home\n", encoding="utf-8")
    hand_written = tree / "docs/stylesheets/extra.css"
    hand_written.write_text("body {}\n", encoding="utf-8")
    recorder.wait_for(hand_written)
    assert str(tree / "docs/index.md") not in recorder.paths


def test_install_moves_mkdocs_watched_paths_to_the_watcher_and_a_save_asks_for_a_rebuild(tree):
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer

    (tree / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    config = load_config(str(tree / "mkdocs.yml"))
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tree / "site"))
    server.watch(config.docs_dir)  # as mkdocs/commands/serve.py does before the `serve` event
    server.watch(config.config_file_path)
    watcher = install(server, config)
    server.watch(str(tree / "records"))  # config.watch, after the event
    assert server.observer is watcher
    server.observer.start()
    try:
        article = tree / "records/review-a/article.yaml"
        article.write_text("title: A, edited\n", encoding="utf-8")
        deadline = time.monotonic() + 20
        while not server._want_rebuild and time.monotonic() < deadline:  # MkDocs' own flag
            time.sleep(0.01)
        assert server._want_rebuild
        assert watcher.take_reported() == {str(article)}
    finally:
        server.observer.stop()
        server.observer.join()


class Reported:
    """Stands for the watcher: the paths it reports to the generation hook."""

    def __init__(self) -> None:
        self.paths: set[str] = set()

    def take_reported(self) -> set[str]:
        reported, self.paths = self.paths, set()
        return reported


def test_what_changed_names_only_the_reported_files(project):
    from mkdocs.config import load_config

    hook = load_hook()
    config = load_config(str(project.config_file), strict=False)
    hook.on_startup(command="serve", dirty=True)
    hook.on_pre_build(config)  # the first build: every input is listed once
    watcher = Reported()
    hook._state["watcher"] = watcher
    folder = project.records_dir / REVIEW_ID
    article, abstract = folder / "article.yaml", folder / "abstract.yaml"
    article.write_text(article.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    abstract.write_text(abstract.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    watcher.paths = {str(article)}
    hook.on_pre_build(config)
    assert hook._state["summary"].startswith(f"records/{REVIEW_ID}/article.yaml changed; ")
    assert "abstract" not in hook._state["summary"]
    # A folder reported as a whole (removed): every file that was in it.
    moved = shutil.move(folder, project.root / "aside")
    watcher.paths = {str(folder)}
    hook.on_pre_build(config)
    assert hook._state["summary"].startswith(f"{len(list(Path(moved).iterdir()))} files changed (records/{REVIEW_ID}/")
    watcher.paths = set()
    hook.on_pre_build(config)
    assert hook._state["summary"].startswith("no input changed")


def test_a_review_removed_while_serving_leaves_docs_and_the_served_site(tmp_path):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project = copy_project(tmp_path / "project")
    served = tmp_path / "served"

    def rebuild():  # as `mkdocs serve` does for each change (build_site.py serve: dirty builds, not strict)
        config = load_config(str(project.config_file), site_dir=str(served), strict=False)
        build(config, serve_url="http://127.0.0.1:8000/", dirty=True)
        return config

    config = load_config(str(project.config_file), site_dir=str(served), strict=False)
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        rebuild()
        assert (served / "reviews" / OTHER_REVIEW / "erratum" / "index.html").is_file()
        assert (served / "reviews" / OTHER_REVIEW / f"{OTHER_REVIEW}.bib").is_file()
        shutil.rmtree(project.records_dir / OTHER_REVIEW)
        rebuild()
    finally:
        config.plugins.on_shutdown()
    assert not (project.docs_dir / "reviews" / OTHER_REVIEW).exists()
    assert not (served / "reviews" / OTHER_REVIEW).exists()
    assert (served / "reviews" / REVIEW_ID / "index.html").is_file()
    assert OTHER_REVIEW not in (served / "index.html").read_text(encoding="utf-8")


def test_the_search_hook_stops_pagefind_before_the_pages_are_generated():
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    order = [handler.__module__ for handler in config.plugins.events["pre_build"]]
    assert order.index("reviewsite/hooks/search.py") < order.index("reviewsite/hooks/generation.py")
