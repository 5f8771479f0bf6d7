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


def test_a_reviews_entry_holds_each_distinct_year_of_its_references_once(project):
    """Every review's entry is held at once (the collection's pages); its references' years were a string each."""
    import pickle

    from reviewsite.load.records import load_collection
    from reviewsite.model.from_records import build_review

    [records] = load_collection(project.records_dir, project.root).reviews
    entry = pipeline.summarise(build_review(records))
    years = [year for year in entry.reference_years if year is not None]
    assert len(years) > len(set(years))  # the review cites several works of one year
    assert len({id(year) for year in years}) == len(set(years))
    read_back = pickle.loads(pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
    assert read_back == entry
    assert len({id(year) for year in read_back.reference_years if year is not None}) == len(set(years))
