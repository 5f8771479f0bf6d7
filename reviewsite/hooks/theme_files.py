"""`serve`: the installed theme's files listed once per process, and copied once into its site folder.

MkDocs lists every file of the theme's folders at each build to copy its static files (`add_files_from_theme`):
Material's 4,000 files, 0.05 to 0.1 s of every rebuild at 1000 reviews. A folder inside the installed packages
does not change while the server runs, so its listing is kept; a theme folder of the project (overrides/, which
a maintainer edits while serving) is listed afresh each time. The list is Jinja's own: each folder's
`FileSystemLoader.list_templates`, merged and sorted as it merges them.

Each dirty rebuild then compared the times of every theme file with its copy in the site folder (two stats each,
about 3,000 files). Once a build into a site folder has succeeded, the installed theme's files are there, and
nothing else writes them: the next builds into the same folder skip the comparison for them.
"""

from __future__ import annotations

import os
from typing import Any

from jinja2 import FileSystemLoader

from reviewsite.hooks.written import unmodified

_LISTED: dict[tuple[str, bool], list[str]] = {}  # (theme folder outside the project, follow links) -> its files
_COPIED: set[str] = set()  # the site folders into which a build of this process has copied the installed theme


def _inside(folder: str, root: str) -> bool:
    return os.path.commonpath([os.path.realpath(folder), root]) == root


def _project_root(config: Any) -> str:
    return os.path.realpath(os.path.dirname(os.path.abspath(config.config_file_path)))


def copy_once(files: Any, config: Any) -> None:
    """At `on_files`: after a build into the same site folder, the installed theme's files are not compared with
    their copies again (the project's own theme folder, overrides/, still is)."""
    if os.path.abspath(config.site_dir) not in _COPIED:
        return
    root = _project_root(config)
    installed = {folder for folder in config.theme.dirs if not _inside(folder, root)}
    for file in files:
        if getattr(file, "src_dir", None) in installed and not file.is_documentation_page():
            file.is_modified = unmodified


def copied(config: Any) -> None:
    """At `on_post_build`: this build has copied the theme's files into the site folder."""
    _COPIED.add(os.path.abspath(config.site_dir))


def list_once(config: Any) -> None:
    """Make this build's theme list the folders outside the project from what this process listed before."""
    theme = config.theme
    root = _project_root(config)
    make_env = theme.get_env

    def get_env() -> Any:
        env = make_env()
        loader = env.loader
        if type(loader) is not FileSystemLoader:  # not MkDocs' own loader: leave it alone
            return env

        def list_templates() -> list[str]:
            found: set[str] = set()
            for folder in loader.searchpath:
                single = FileSystemLoader(folder, followlinks=loader.followlinks)
                if _inside(folder, root):
                    found.update(single.list_templates())
                    continue
                key = (folder, loader.followlinks)
                if key not in _LISTED:
                    _LISTED[key] = single.list_templates()
                found.update(_LISTED[key])
            return sorted(found)

        loader.list_templates = list_templates
        return env

    theme.get_env = get_env
