"""The incremental build: a page renders again when one of its declared inputs changes, and only then."""

from __future__ import annotations

import dataclasses
import os

from test_collection import collection_project, write_review  # noqa: F401 (a fixture)

from reviewsite.build import pipeline
from reviewsite.build.incremental import Incremental
from reviewsite.build.pipeline import generate
from reviewsite.load.records import load_collection, load_review
from reviewsite.model import Name, Work
from reviewsite.site import render
from reviewsite.site.render import PageInputs


def _rendered(project, monkeypatch) -> list[str]:
    """Generate; the ids of the reviews whose pages were rendered (not taken from the cache)."""
    seen: list[str] = []
    original = render.render_review

    def spy(env, inputs):
        seen.append(inputs.review.id)
        return original(env, inputs)

    monkeypatch.setattr(render, "render_review", spy)
    generate(project)
    return sorted(seen)


def test_an_edited_record_renders_that_review_only(collection_project, monkeypatch):  # noqa: F811
    assert _rendered(collection_project, monkeypatch) == ["example-a", "example-b", "example-c", "ferrari-lacraz-2011"]
    article = collection_project.records_dir / "example-c" / "article.yaml"
    article.write_text(article.read_text().replace("Example review C", "Example review C, edited"))
    assert _rendered(collection_project, monkeypatch) == ["example-c"]


def test_what_another_review_adds_is_an_input_too(collection_project, monkeypatch):  # noqa: F811
    _rendered(collection_project, monkeypatch)
    # example-c now cites example-a's only-a work: example-a's "also cited by" changes, example-b's does not.
    write_review(collection_project.records_dir, "example-c", title="Example review C", year="2001",
                 refs=[{"doi": "10.1234/example.only-c", "pmid": "12345", "year": "2000"},
                       {"doi": "10.1234/example.only-a"}])
    assert _rendered(collection_project, monkeypatch) == ["example-a", "example-c"]


def test_each_declared_input_invalidates_the_pages(collection_project, monkeypatch):  # noqa: F811
    """Change any one field of PageInputs (every field of the model included) and the pages render again."""
    project = collection_project
    incremental = Incremental(project.root, project.records_dir, project.templates_dir)
    records = load_collection(project.records_dir, project.root, incremental.load_review(load_review))
    from reviewsite.model.from_records import build_review

    review = build_review(next(r for r in records.reviews if r.id == "example-a"))
    calls: list[PageInputs] = []
    cached = incremental.render_review(lambda inputs: calls.append(inputs) or {"page": inputs.review.id})
    base = PageInputs(review, ())
    cached(base)
    cached(base)
    assert len(calls) == 1  # the same inputs: from the cache
    article = review.article
    changed_articles = {
        field.name: dataclasses.replace(article, **{field.name: _other(getattr(article, field.name))})
        for field in dataclasses.fields(Work) if field.name != "id"
    }
    for name, other in changed_articles.items():
        before = len(calls)
        cached(PageInputs(dataclasses.replace(review, article=other), ()))
        assert len(calls) == before + 1, f"a change of article.{name} did not render the page again"
    before = len(calls)
    cached(PageInputs(review, ((1, "another review"),)))
    assert len(calls) == before + 1, "a change of also_cited_by did not render the page again"


def _other(value):
    """A different value of the same kind."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, str):
        return value + " (changed)"
    if isinstance(value, tuple):
        return (*value, Name(family="Changed")) if not value or isinstance(value[0], Name) else value[:-1]
    if value is None:
        return "changed"
    if dataclasses.is_dataclass(value):
        first = dataclasses.fields(value)[0]
        return dataclasses.replace(value, **{first.name: _other(getattr(value, first.name))})
    if isinstance(value, int):
        return value + 1
    raise AssertionError(f"no other value for {value!r}")


def test_an_unchanged_folder_is_not_parsed_again(collection_project, monkeypatch):  # noqa: F811
    project = collection_project
    generate(project)
    assert list((project.root / ".cache" / "records").glob("*.pickle"))
    parsed: list[str] = []
    original = pipeline.load_review
    monkeypatch.setattr(pipeline, "load_review", lambda folder, root: parsed.append(folder.name) or
                        original(folder, root))
    article = project.records_dir / "example-a" / "article.yaml"
    article.write_text(article.read_text().replace("Example review A", "Example review A, edited"))
    generate(project)
    assert parsed == ["example-a"]


def test_a_torn_cache_is_only_a_cold_one(collection_project):  # noqa: F811
    project = collection_project
    generate(project)
    for name in ("records.pickle", "pages.pickle"):
        store = project.root / ".cache" / name
        store.write_bytes(b"not a pickle")
        os.utime(store, ns=(1, 1))
    (project.root / ".cache" / "generated.json").unlink()
    result = generate(project)
    assert result.reviews == 4


def test_a_changed_template_renders_every_page_again(collection_project):  # noqa: F811
    project = collection_project
    generate(project)
    template = project.templates_dir / "references.md.j2"
    template.write_text(template.read_text(encoding="utf-8").replace("# References", "# Cited works"),
                        encoding="utf-8")
    generate(project)
    assert "# Cited works" in (project.docs_dir / "reviews" / "example-a" / "references.md").read_text()


def test_check_writes_nothing(project):
    from reviewsite.build.pipeline import check

    check(project)
    assert not (project.root / ".cache").exists()


def test_a_build_generates_once(project, monkeypatch, tmp_path):
    """`build_site.py build` generates; the MkDocs hook of the same build reuses that generation."""
    from reviewsite.build.incremental import Incremental as Tracked
    from reviewsite.cli import main

    starts: list[int] = []
    original = Tracked.inputs_signature
    monkeypatch.setattr(Tracked, "inputs_signature",
                        lambda self, *outside: starts.append(1) or original(self, *outside))
    assert main(["build", "--site-dir", str(tmp_path / "site")], root=project.root) == 0
    assert len(starts) == 1


def _build_runs_mkdocs(project, site, monkeypatch) -> bool:
    """Run `build_site.py build`; whether it ran MkDocs."""
    import mkdocs.commands.build as mkdocs_build

    from reviewsite.cli import main

    runs: list[int] = []
    original = mkdocs_build.build
    monkeypatch.setattr(mkdocs_build, "build", lambda config, **kw: runs.append(1) or original(config, **kw))
    assert main(["build", "--site-dir", str(site)], root=project.root) == 0
    monkeypatch.setattr(mkdocs_build, "build", original)
    return bool(runs)


def test_a_build_with_nothing_changed_skips_mkdocs(project, monkeypatch, tmp_path, capsys):
    site = tmp_path / "site"
    assert _build_runs_mkdocs(project, site, monkeypatch)
    built = sorted(p.relative_to(site) for p in site.rglob("*"))
    capsys.readouterr()
    assert not _build_runs_mkdocs(project, site, monkeypatch)
    assert "MkDocs not run" in capsys.readouterr().out
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == built


def test_what_mkdocs_reads_or_wrote_makes_it_run_again(project, monkeypatch, tmp_path):
    site = tmp_path / "site"
    assert _build_runs_mkdocs(project, site, monkeypatch)
    stylesheet = next((project.docs_dir / "stylesheets").glob("*.css"))
    stylesheet.write_text(stylesheet.read_text(encoding="utf-8") + "\n/* edited */\n", encoding="utf-8")
    assert _build_runs_mkdocs(project, site, monkeypatch)
    assert "/* edited */" in (site / "stylesheets" / stylesheet.name).read_text(encoding="utf-8")
    assert not _build_runs_mkdocs(project, site, monkeypatch)
    # A file missing from the built site: the site is not intact, so it is built again.
    page = next(site.glob("reviews/*/index.html"))
    page.unlink()
    assert _build_runs_mkdocs(project, site, monkeypatch)
    assert page.is_file()
    # A file changed in the site, an edited override, mkdocs.yml or the environment value it names.
    page.write_text(page.read_text(encoding="utf-8") + " ", encoding="utf-8")
    assert _build_runs_mkdocs(project, site, monkeypatch)
    override = next((project.root / "overrides").rglob("*.html"))
    override.write_text(override.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert _build_runs_mkdocs(project, site, monkeypatch)
    monkeypatch.setenv("REPO_URL", "https://example.org/repo")
    assert _build_runs_mkdocs(project, site, monkeypatch)
    assert not _build_runs_mkdocs(project, site, monkeypatch)


def test_an_edited_record_runs_mkdocs(project, monkeypatch, tmp_path):
    site = tmp_path / "site"
    assert _build_runs_mkdocs(project, site, monkeypatch)
    article = next(project.records_dir.glob("*/article.yaml"))
    article.write_text(article.read_text(encoding="utf-8").replace("title: ", "title: Edited ", 1), encoding="utf-8")
    assert _build_runs_mkdocs(project, site, monkeypatch)


def test_unchanged_pages_are_kept_unread_and_a_lost_file_comes_back_from_the_cache(collection_project, monkeypatch):  # noqa: F811
    project = collection_project
    generate(project)
    page = project.docs_dir / "reviews" / "example-b" / "index.md"
    text = page.read_bytes()
    article = project.records_dir / "example-a" / "article.yaml"
    article.write_text(article.read_text().replace("Example review A", "Example review A, edited"))
    from reviewsite.build import writer

    read: list[str] = []
    original = writer._changed
    monkeypatch.setattr(writer, "_changed", lambda target, data: read.append(str(target)) or original(target, data))
    assert _rendered(project, monkeypatch) == ["example-a"]
    assert not [name for name in read if "example-b" in name]  # example-b's files: KEEP, never compared
    page.unlink()
    article.write_text(article.read_text().replace("edited", "edited again"))
    assert _rendered(project, monkeypatch) == ["example-a"]  # example-b's text came from .cache/, not rendered
    assert page.read_bytes() == text


def test_after_an_edit_only_that_review_s_records_and_model_are_read(collection_project, monkeypatch):  # noqa: F811
    from reviewsite.build import incremental

    generate(collection_project)
    read: list[str] = []
    original_model, original_full = incremental.StoredModel.__call__, incremental.StoredRecords.full
    monkeypatch.setattr(incremental.StoredModel, "__call__", lambda it: read.append(it.name) or original_model(it))
    monkeypatch.setattr(incremental.StoredRecords, "full", lambda self: read.append(self.id) or original_full(self))
    article = collection_project.records_dir / "example-b" / "article.yaml"
    article.write_text(article.read_text().replace("Example review B", "Example review B, edited"))
    generate(collection_project)
    assert set(read) == {"example-b"}  # the others' entries and digests came from the cache
    assert "Example review B, edited" in (collection_project.docs_dir / "index.md").read_text()


def test_serve_reads_again_only_the_folders_whose_files_changed(collection_project, monkeypatch):  # noqa: F811
    from reviewsite.build import incremental

    generate(collection_project)  # as `build_site.py serve` does before it serves
    generate(collection_project, remember=True)  # the hook's first build reads every review although none changed
    read: list[str] = []
    original = incremental.folder_signature
    monkeypatch.setattr(incremental, "folder_signature", lambda folder: read.append(folder.name) or original(folder))
    generate(collection_project, remember=True)
    assert read == []
    article = collection_project.records_dir / "example-a" / "article.yaml"
    article.write_text(article.read_text().replace("Example review A", "Example review A, edited"))
    generate(collection_project, remember=True)
    assert read == ["example-a"]
    assert "Example review A, edited" in (collection_project.docs_dir / "index.md").read_text()


def test_a_generation_leaves_nothing_for_the_cyclic_collector(collection_project):  # noqa: F811
    """What a generation read is freed when it returns: the collector is off while it runs, so a cycle through
    the caches would keep every review's records (and the stores' bytes) until the next full collection."""
    import gc

    from reviewsite.build.incremental import StoredRecords

    generate(collection_project)
    title = collection_project.records_dir / "example-c" / "article.yaml"
    title.write_text(title.read_text().replace("Example review C", "Example review C, edited"))
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        generate(collection_project)  # after an edit: the other reviews' records come as StoredRecords
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        left = [type(o).__name__ for o in gc.garbage if isinstance(o, StoredRecords)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()
    assert left == []


def test_serve_takes_the_manifest_it_wrote_from_memory_and_another_s_from_the_file(collection_project):  # noqa: F811
    from reviewsite.build.writer import write_atomically

    generate(collection_project, remember=True)
    incremental = Incremental(collection_project.root, collection_project.records_dir,
                              collection_project.templates_dir, remember=True)
    manifest = incremental.read_manifest()
    assert manifest is not None and incremental.read_manifest() is manifest  # not parsed again
    path = collection_project.root / ".cache" / "generated.json"
    write_atomically(path, path.read_text(encoding="utf-8").replace(manifest.inputs, "written by another build"))
    assert incremental.read_manifest().inputs == "written by another build"
