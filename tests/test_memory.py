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
