"""What a finished stage freed is handed back before the next stage (reviewsite/build/memory.py)."""

from __future__ import annotations

import sys

import pytest

from reviewsite.build import memory, pipeline
from reviewsite.build.pipeline import generate


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_the_c_heap_is_trimmed_on_linux():
    assert memory.give_back() is True


def test_a_one_off_generation_gives_back_what_it_freed_and_serve_keeps_it(project, monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(pipeline, "give_back", lambda: calls.append("given back"))
    generate(project)
    assert calls == ["given back"]
    (project.docs_dir / "reviews").rename(project.root / "elsewhere")  # so the next generation is not skipped
    generate(project, remember=True)  # `serve`: what it freed it takes again at the next save
    assert calls == ["given back"]


def test_a_reviews_entry_holds_its_references_years_and_numbers_packed(project):
    """Every review's entry is held at once (the collection's pages): its references' years were a string each
    (3.7 KB of each entry), their numbers a tuple of ints, their identifiers a string (2.6 KB)."""
    import pickle

    from reviewsite.load.records import load_collection
    from reviewsite.model.from_records import build_review
    from reviewsite.site.collection import _packed_years, _unpacked_years, _year, work_keys

    [records] = load_collection(project.records_dir, project.root).reviews
    review = build_review(records)
    entry = pipeline.summarise(review)
    assert entry.reference_years == tuple(_year(reference) for reference in review.references)
    for years in ([None], ["2001", None, "1999"], []):  # a reference without a year stays one
        assert _unpacked_years(_packed_years(years)) == tuple(years)
    assert entry.reference_count == len(review.references)
    cited = [(number, keys) for number, reference in enumerate(review.references, 1)
             if (keys := work_keys(reference))]
    assert list(entry.cited) == cited and len(entry.cited) == sum(len(keys) for _, keys in cited)
    held = [value for value in vars(entry).values() if isinstance(value, (tuple, str))]
    held += [value for value in vars(entry.cited).values() if isinstance(value, (tuple, str))]
    assert all(len(value) < 100 for value in held if isinstance(value, tuple))
    assert not any(isinstance(value, str) and len(value) > 500 for value in held)
    read_back = pickle.loads(pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
    assert read_back == entry


def test_the_site_stamp_digests_a_tree_without_a_list_of_its_files(tmp_path):
    """`build` digests docs/ before MkDocs runs and keeps running through Pagefind: a list of every file's stats
    (and its JSON) grew its process by 2.5 KB per review, which the allocator kept."""
    import tracemalloc

    from reviewsite.build.incremental import SiteStamp

    docs = tmp_path / "docs"
    for folder in range(40):
        (docs / f"reviews/r{folder:03d}").mkdir(parents=True)
        for number in range(100):
            (docs / f"reviews/r{folder:03d}/page-{number:03d}.md").write_bytes(b"")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    stamp = SiteStamp(tmp_path, docs, tmp_path / "mkdocs.yml", tmp_path / "site")
    stamp.inputs()  # the code's and packages' signatures are computed once
    tracemalloc.start()
    try:
        first = stamp.inputs()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 500_000, f"{peak} bytes for 4000 files"  # a list of their stats: 2.3 MB
    (docs / "reviews/r007/page-050.md").write_bytes(b"changed")
    assert stamp.inputs() != first  # still sees one file's change
