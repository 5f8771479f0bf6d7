"""`serve` carries the collection's work from one generation to the next (reviewsite/build/carried.py): after any
sequence of saves, the pages it leaves in docs/ are those a cold generation of the same records writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_collection import collection_project, write_review  # noqa: F401 (a fixture)

from reviewsite.build import carried
from reviewsite.build.pipeline import Project, generate

SHARED = "10.1234/example.shared"


def _docs(docs_dir: Path) -> dict[str, bytes]:
    return {path.relative_to(docs_dir).as_posix(): path.read_bytes() for path in sorted(docs_dir.rglob("*"))
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(docs_dir).parts)}


def _cold(project: Project, where: Path) -> dict[str, bytes]:
    """docs/ as a fresh process would generate it from the same records (no cache, nothing carried)."""
    shutil.rmtree(where, ignore_errors=True)
    shutil.copytree(project.root, where, ignore=shutil.ignore_patterns(".cache", "docs", "site"))
    shutil.copytree(project.docs_dir, where / "docs",
                    ignore=lambda folder, names: [n for n in names if Path(folder, n) in _generated(project)])
    generate(Project(where), drafts=True)
    return _docs(where / "docs")


def _generated(project: Project) -> set[Path]:
    docs = project.docs_dir
    return {docs / "reviews", docs / "index.md", docs / "about.md"}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def larger_collection(collection_project):  # noqa: F811
    """Seven more reviews citing the shared DOI, so its "also cited by" lines give a count (past MAX_ALSO_CITED)."""
    for letter in "defghij":
        write_review(collection_project.records_dir, f"example-{letter}", title=f"Example review {letter.upper()}",
                     year="2005", keywords=["Bone"], refs=[{"doi": SHARED, "year": "1999"},
                                                           {"doi": f"10.1234/only.{letter}"}])
    for letter in "xy":  # they cite nothing the others do
        write_review(collection_project.records_dir, f"example-{letter}", title=f"Example review {letter.upper()}",
                     year="2006", refs=[{"doi": f"10.1234/only.{letter}"}])
    return collection_project


def _saves(project: Project):
    records = project.records_dir
    yield "nothing", lambda: None
    abstract = records / "ferrari-lacraz-2011" / "abstract.yaml"
    yield "abstract only", lambda: _edit(abstract, 'text: "', 'text: "Edited. ')
    yield "title", lambda: _edit(records / "example-a" / "article.yaml", "Example review A", "A retitled review")
    yield "keyword", lambda: _edit(records / "example-b" / "article.yaml", '"bone"', '"Cartilage"')
    yield "a reference's citation only", lambda: _edit(records / "example-a" / "references.yaml",
                                                        "Example cited work 1", "Example cited work one")
    yield "a reference's DOI", lambda: _edit(records / "example-b" / "references.yaml", SHARED, "10.1234/other")
    yield "the DOI back", lambda: _edit(records / "example-b" / "references.yaml", "10.1234/other", SHARED)
    yield "an author (the link others show)", lambda: _edit(records / "example-e" / "article.yaml",
                                                            '"ExampleE"', '"Aardvark"')
    yield "a work newly shared", lambda: _edit(records / "example-c" / "references.yaml", "10.1234/example.only-c",
                                               "10.1234/only.d")
    yield "a work no longer shared", lambda: _edit(records / "example-c" / "references.yaml", "10.1234/only.d",
                                                   "10.1234/example.only-c")  # d's line must lose c
    yield "shared again", lambda: _edit(records / "example-c" / "references.yaml", "10.1234/example.only-c",
                                        "10.1234/only.d")
    # Two works whose anchors slug alike: one newly shared by x and y takes the anchor the shared DOI had, which
    # every page citing that DOI links to, though none of them changed nor cites what x and y cite.
    yield "a work's anchor moved", lambda: (
        _edit(records / "example-x" / "references.yaml", "10.1234/only.x", "10.1234/example-shared"),
        _edit(records / "example-y" / "references.yaml", "10.1234/only.y", "10.1234/example-shared"))
    yield "a review added", lambda: write_review(records, "example-k", title="Example review K", year="2010",
                                                 refs=[{"doi": SHARED}, {"pmid": "12345"}])
    yield "a review removed", lambda: shutil.rmtree(records / "example-d")
    yield "a year", lambda: _edit(records / "example-h" / "article.yaml", 'published: "2005"', 'published: "2011"')


def test_after_each_save_the_pages_are_those_of_a_cold_generation(larger_collection, tmp_path):
    project = larger_collection
    generate(project, drafts=True)  # as `build_site.py serve` does before it serves
    for what, save in _saves(project):
        save()
        generate(project, drafts=True, remember=True)
        assert _docs(project.docs_dir) == _cold(project, tmp_path / "cold"), f"after a save of {what}"


def test_a_save_that_changes_no_entry_carries_the_collection_pages(collection_project, monkeypatch):  # noqa: F811
    from reviewsite.site import render

    generate(collection_project, drafts=True, remember=True)
    rendered = []
    original = render.render_collection_pages
    monkeypatch.setattr(render, "render_collection_pages", lambda *a: rendered.append(1) or original(*a))
    _edit(collection_project.records_dir / "ferrari-lacraz-2011" / "abstract.yaml", 'text: "', 'text: "Edited. ')
    generate(collection_project, drafts=True, remember=True)
    assert rendered == []
    _edit(collection_project.records_dir / "example-a" / "article.yaml", "Example review A", "A retitled review")
    generate(collection_project, drafts=True, remember=True)
    assert rendered == [1]


def test_a_save_looks_again_only_at_the_reviews_sharing_a_work_with_it(larger_collection, monkeypatch):
    from reviewsite.site.collection import Collection

    generate(larger_collection, drafts=True, remember=True)
    asked: list[str] = []
    original = Collection.also_cited_by
    monkeypatch.setattr(Collection, "also_cited_by", lambda self, view: asked.append(view.id) or original(self, view))
    records = larger_collection.records_dir
    _edit(records / "example-a" / "article.yaml", "Example review A", "A retitled review")
    generate(larger_collection, drafts=True, remember=True)
    assert asked == []  # neither its link nor its works changed
    _edit(records / "example-c" / "references.yaml", "10.1234/example.only-c", "10.1234/only.d")
    generate(larger_collection, drafts=True, remember=True)
    # c now shares d's work, and a and b share PMID 12345 with c; the other reviews cite none of their works.
    assert sorted(asked) == ["example-a", "example-b", "example-c", "example-d"]


def test_nothing_is_carried_into_a_one_off_build(collection_project):  # noqa: F811
    generate(collection_project)
    assert carried.carried(str((collection_project.root / ".cache").resolve())) is None


def test_serve_s_first_generation_prepares_what_its_first_save_renders_with(collection_project, monkeypatch):  # noqa: F811
    from reviewsite.site import render

    prepared = []
    original = render.prepare
    monkeypatch.setattr(render, "prepare", lambda env: prepared.append(env) or original(env))
    generate(collection_project, drafts=True)  # as `build_site.py serve` does before it serves: every page written
    assert prepared == []
    generate(collection_project, drafts=True, remember=True)  # the hook's first build: no page to render
    assert prepared == [render.make_environment(collection_project.templates_dir)]
    generate(collection_project, drafts=True, remember=True)
    assert len(prepared) == 1
