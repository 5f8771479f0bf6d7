"""The generated downloads go into the site without MkDocs holding a File for each (reviewsite/hooks/downloads.py):
the same bytes at the same paths, the generated file itself, and under `serve` MkDocs still copies them."""

from __future__ import annotations

import os

from mkdocs.structure.files import File, Files

from conftest import REVIEW_ID
from reviewsite.cli import main
from reviewsite.hooks import downloads


def test_a_build_links_the_downloads_mkdocs_was_not_given(project, monkeypatch):
    given: list[str] = []
    original = Files.copy_static_files

    def spy(self, *args, **kwargs):  # what MkDocs holds when it copies what it does not render
        given.extend(file.src_uri for file in self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Files, "copy_static_files", spy)
    assert main(["build"], root=project.root) == 0
    folder = f"reviews/{REVIEW_ID}"
    made = sorted(p.name for p in (project.docs_dir / folder).iterdir() if p.suffix != ".md")
    assert {".bib", ".ris", ".json", ".nbib"} <= {os.path.splitext(name)[1] for name in made}
    assert given and not [uri for uri in given if uri.startswith(folder + "/") and not uri.endswith(".md")]
    for name in made:
        source, published = project.docs_dir / folder / name, project.site_dir / folder / name
        assert published.read_bytes() == source.read_bytes()
        assert published.stat().st_ino == source.stat().st_ino  # linked: the generated file itself
    assert (project.site_dir / "assets" / "javascripts" / "palette.js").is_file()  # what is not generated: MkDocs'


def test_under_serve_mkdocs_keeps_copying_them(tmp_path):
    config = type("Config", (), {"docs_dir": str(tmp_path / "docs"), "site_dir": str(tmp_path / "site")})()
    download = File(f"reviews/{REVIEW_ID}/{REVIEW_ID}.bib", config.docs_dir, config.site_dir, True)
    page = File(f"reviews/{REVIEW_ID}/index.md", config.docs_dir, config.site_dir, True)
    try:
        downloads.on_startup(command="serve", dirty=True)
        assert list(downloads.on_files(Files([download, page]), config)) == [download, page]
        downloads.on_startup(command="build", dirty=False)
        assert list(downloads.on_files(Files([download, page]), config)) == [page]
    finally:
        downloads.on_startup(command="build", dirty=False)
        downloads.on_files(Files([]), config)  # nothing left taken for a later build in this process
