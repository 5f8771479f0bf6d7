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


def test_after_a_build_into_the_same_site_folder_the_installed_theme_is_not_compared_again(project, tmp_path):
    from mkdocs.structure.files import File, Files

    config = load_config(config_file=str(project.config_file), site_dir=str(tmp_path / "site"))
    installed = next(folder for folder in config.theme.dirs if "material" in folder)
    own = str(project.root / "overrides")

    def files() -> Files:
        return Files([File("assets/images/favicon.png", installed, config.site_dir, True),
                      File("main.html", own, config.site_dir, True)])

    before = files()
    theme_files.copy_once(before, config)
    assert [f.is_modified() for f in before] == [True, True]  # nothing copied yet: both are copied
    theme_files.copied(config)
    after = files()
    theme_files.copy_once(after, config)
    assert [f.is_modified() for f in after] == [False, True]  # the project's own theme folder is still compared
    other = load_config(config_file=str(project.config_file), site_dir=str(tmp_path / "elsewhere"))
    elsewhere = files()
    theme_files.copy_once(elsewhere, other)
    assert [f.is_modified() for f in elsewhere] == [True, True]
