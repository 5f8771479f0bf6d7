"""One Jinja environment per templates folder: templates compile once per process, and an edited template is
rendered as edited at the next build (as `serve` needs)."""

from __future__ import annotations

import os

from test_collection import _reviews, collection_project  # noqa: F401 (a fixture)

from reviewsite.site.render import make_environment, render_site


def test_templates_compile_once_and_an_edit_is_seen(collection_project):  # noqa: F811
    templates = collection_project.templates_dir
    reviews = _reviews(collection_project)
    env = make_environment(templates)
    render_site(reviews, templates)
    compiled = env.get_template("about.md.j2")
    render_site(reviews, templates)
    assert make_environment(templates) is env and env.get_template("about.md.j2") is compiled
    about = templates / "about.md.j2"
    about.write_text(about.read_text(encoding="utf-8") + "\nEdited about page.\n", encoding="utf-8")
    stat = about.stat()
    os.utime(about, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a later edit, whatever the clock
    pages = render_site(reviews, templates)
    assert "Edited about page." in pages[next(p for p in pages if p.as_posix() == "about.md")]
