"""`serve` rebuilds a generated file when a generation wrote it, without comparing times (hooks/written.py)."""

from __future__ import annotations

from types import SimpleNamespace

from mkdocs.structure.files import File

from reviewsite.hooks import written


def _files(config) -> list[File]:
    return [File(name, config.docs_dir, config.site_dir, True)
            for name in ("reviews/a/index.md", "reviews/b/index.md", "reviews/b/citation.bib", "guide.md")]


def _modified(config) -> dict[str, bool]:
    files = _files(config)
    written.skip_unwritten(files, config)
    return {file.src_uri: file.is_modified() for file in files}


def test_after_a_build_only_what_a_generation_wrote_since_is_rebuilt(tmp_path):
    config = SimpleNamespace(docs_dir=str(tmp_path / "docs"), site_dir=str(tmp_path / "site"))
    everything = dict.fromkeys(("reviews/a/index.md", "reviews/b/index.md", "reviews/b/citation.bib", "guide.md"),
                               True)  # nothing in the site folder yet: MkDocs' own comparison says all
    written.note_written(config, ["reviews/a/index.md"])
    assert _modified(config) == everything  # no build into this site folder yet
    written.built(config)
    written.note_written(config, ["reviews/b/citation.bib"])
    assert _modified(config) == {"reviews/a/index.md": False, "reviews/b/index.md": False,
                                 "reviews/b/citation.bib": True, "guide.md": True}  # a hand-written page: compared
    written.note_written(config, ["reviews/a/index.md"])  # a build that failed keeps what is still to be rebuilt
    assert _modified(config)["reviews/b/citation.bib"] is True
    written.built(config)
    assert set(_modified(config).values()) == {False, True} and _modified(config)["guide.md"] is True
    assert not any(v for k, v in _modified(config).items() if k != "guide.md")
    other = SimpleNamespace(docs_dir=config.docs_dir, site_dir=str(tmp_path / "other-site"))
    assert _modified(other) == everything


def test_the_generator_s_files_are_those_the_writer_owns():
    from pathlib import PurePosixPath

    from reviewsite.build.writer import OWNED_FILES, OWNED_FOLDERS, is_owned_name

    def is_owned(relative: PurePosixPath) -> bool:  # the writer's rule, by path parts
        return relative in OWNED_FILES or any(relative.parts[:len(folder.parts)] == folder.parts
                                              and len(relative.parts) > len(folder.parts) for folder in OWNED_FOLDERS)

    for name in ("index.md", "about.md", "reviews/a/index.md", "reviews/by-year.md", "guide.md", "reviews.md",
                 "assets/index.md", "reviewsx/a.md", "reviews"):
        assert is_owned_name(name) == is_owned(PurePosixPath(name)), name
