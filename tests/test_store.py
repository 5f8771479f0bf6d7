"""The caches' one-file stores (reviewsite/build/incremental.py `_Store`): SQLite, one row per entry, a value read
when asked for, a save writing what changed."""

from __future__ import annotations

import os
import sqlite3
import tracemalloc

import pytest

from reviewsite.build.incremental import StoredRecords, _head_of, _Store
from reviewsite.build.pipeline import generate
from reviewsite.load.records import load_review


def _statements(store: _Store) -> list[str]:
    """Every SQL statement `store` runs from now on."""
    run: list[str] = []
    store._connection().set_trace_callback(run.append)
    return run


def _filled(path, count: int = 3, size: int = 10) -> None:
    store = _Store(path, "code")
    for index in range(count):
        store.put(f"review-{index}", f"key {index}", ("digest", "x" * size, index))
    store.save()


def test_a_value_comes_back_for_its_key_only_and_as_a_copy(tmp_path):
    store = _Store(tmp_path / "store.sqlite", "code")
    entry = ("digest", {"title": "A review", "cited": ["doi:10.1/x"] * 3})
    store.put("review-a", "key", entry)
    fetched = store.fetch("review-a", "key", lambda: pytest.fail("stored in this run: not made again"))
    assert fetched == entry and fetched is not entry
    assert store.get("review-a", "other key") is None and store.get("review-b", "key") is None
    store.save()
    assert _Store(tmp_path / "store.sqlite", "code").get("review-a", "key") == entry
    assert _Store(tmp_path / "store.sqlite", "other code").get("review-a", "key") is None  # foreign: cold


def test_saving_after_one_change_writes_that_row_and_deletes_the_unused_ones(tmp_path):
    path = tmp_path / "store.sqlite"
    _filled(path, count=4)
    store = _Store(path, "code")
    run = _statements(store)
    for index in (0, 1):
        assert store.get(f"review-{index}", f"key {index}") is not None
        store.keep(f"review-{index}")
    store.fetch("review-2", "key 2, edited", lambda: ("digest", "edited", 2))
    store.save()  # review-3 was not used in this run
    writes = [s for s in run if s.split()[0] in ("INSERT", "DELETE", "UPDATE", "CREATE", "DROP")]
    assert [w.split()[0] for w in writes] == ["INSERT", "DELETE"]
    again = _Store(path, "code")
    assert again.names() == ["review-0", "review-1", "review-2"]
    assert again.get("review-2", "key 2, edited") == ("digest", "edited", 2)


def test_a_run_that_changes_nothing_leaves_the_file_as_it_was(tmp_path):
    path = tmp_path / "store.sqlite"
    _filled(path)
    os.utime(path, ns=(1, 1))
    store = _Store(path, "code")
    for index in range(3):
        store.fetch(f"review-{index}", f"key {index}", lambda: pytest.fail("stored: not made again"))
    store.save()
    assert path.stat().st_mtime_ns == 1


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 100, b"SQLite format 3\0" + b"\xff" * 200])
def test_a_torn_or_foreign_file_is_only_a_cold_store(tmp_path, content):
    path = tmp_path / "store.sqlite"
    path.write_bytes(content)
    store = _Store(path, "code")
    assert store.get("review-a", "key") is None and store.names() == []
    store.put("review-a", "key", "value")
    store.save()
    assert _Store(path, "code").get("review-a", "key") == "value"


def test_a_store_that_cannot_be_written_is_only_no_cache(tmp_path):
    blocked = tmp_path / "a file"
    blocked.write_text("")
    store = _Store(blocked / "store.sqlite", "code")  # its folder is a file
    assert store.fetch("review-a", "key", lambda: "made") == "made"
    store.save()


def test_an_uncommitted_run_leaves_the_last_saved_entries(tmp_path):
    """A generation that fails half way never saves: what it stored is rolled back, not half written."""
    path = tmp_path / "store.sqlite"
    _filled(path)
    store = _Store(path, "code")
    store.put("review-0", "key 0, edited", "half way")
    del store
    again = _Store(path, "code")
    assert again.get("review-0", "key 0") == ("digest", "x" * 10, 0)
    assert again.get("review-0", "key 0, edited") is None


def test_a_store_holds_no_bytes_of_the_entries_not_asked_for(tmp_path):
    """The pickled store was read whole and kept as bytes for the build's life (6 KB of every review's entry)."""
    path = tmp_path / "store.sqlite"
    _filled(path, count=200, size=20_000)  # 4 MB of values
    store = _Store(path, "code")
    tracemalloc.start()
    try:
        assert store.get("review-7", "key 7")[2] == 7
        store.keep("review-8")
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert held < 500_000
    sqlite3.connect(path).close()


def test_a_stored_head_holds_the_articles_identifiers_not_its_record(project):
    """Every review's head is held at once after an edit: the whole article record was 9 KB of each."""
    records, _ = load_review(project.records_dir / "ferrari-lacraz-2011", project.root)
    head = _head_of(records)
    assert head["article"] == {"doi": records.article.doi, "pmid": records.article.pmid}
    stored = StoredRecords(head, lambda: records)
    assert stored.article.doi == records.article.doi and stored.article.pmid == records.article.pmid
    assert stored.article.title == records.article.title  # anything else: read from the full records


def test_a_generation_with_nothing_changed_writes_no_store(project):
    generate(project)
    (project.root / ".cache" / "generated.json").unlink()  # past the manifest, into the stores
    stores = sorted((project.root / ".cache").rglob("*.sqlite"))
    assert [p.name for p in stores] == ["heads.sqlite", "index.sqlite", "summaries.sqlite"]
    for path in stores:
        os.utime(path, ns=(1, 1))
    generate(project)
    assert [path.stat().st_mtime_ns for path in stores] == [1, 1, 1]
