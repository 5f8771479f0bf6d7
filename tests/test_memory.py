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
