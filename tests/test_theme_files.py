"""`serve` lists the installed theme's files once per process (reviewsite/hooks/theme_files.py)."""

from __future__ import annotations

import jinja2
from mkdocs.config import load_config

from reviewsite.hooks import theme_files


def _listing(project, once: bool) -> list[str]:
    config = load_config(config_file=str(project.config_file))
    if once:
        theme_files.list_once(config)
    return config.theme.get_env().list_templates()


def test_the_listing_is_jinja_s_own_and_sees_a_file_added_to_the_overrides(project, monkeypatch):
    monkeypatch.setattr(theme_files, "_LISTED", {})
    assert _listing(project, once=True) == _listing(project, once=False)
    (project.root / "overrides" / "added.css").write_text("/* new */\n", encoding="utf-8")
    listed = _listing(project, once=True)
    assert "added.css" in listed
    assert listed == _listing(project, once=False)


def test_the_installed_theme_is_listed_once(project, monkeypatch):
    monkeypatch.setattr(theme_files, "_LISTED", {})
    walked: list[str] = []
    original = jinja2.FileSystemLoader.list_templates
    monkeypatch.setattr(jinja2.FileSystemLoader, "list_templates",
                        lambda self: walked.extend(self.searchpath) or original(self))
    _listing(project, once=True)
    first = list(walked)
    walked.clear()
    _listing(project, once=True)
    assert any("material" in folder for folder in first)
    assert walked == [folder for folder in first if str(project.root) in folder]  # only the project's own again
