"""MkDocs hook: plain `mkdocs build` and `mkdocs serve` regenerate the pages first.

It calls the same pipeline as build_site.py. During `serve`, an invalid record does not
stop the server: the last good pages stay, the error is logged and shown on every page
until the record is fixed.
"""

from __future__ import annotations

import html
import logging
import sys
from pathlib import Path

from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.structure.toc import AnchorLink, TableOfContents

PROJECT_ROOT = Path(__file__).resolve().parents[2]
if str(PROJECT_ROOT) not in sys.path:  # MkDocs loads hooks by path, outside any package
    sys.path.insert(0, str(PROJECT_ROOT))

from reviewsite.build.pipeline import GENERATED, Project, generate  # noqa: E402
from reviewsite.build.writer import write_if_changed  # noqa: E402
from reviewsite.errors import RecordsInvalid, SiteError  # noqa: E402
from reviewsite.site.head import robots_txt  # noqa: E402

log = logging.getLogger("mkdocs.hooks.reviewsite")
_state = {"command": "build", "error": "", "error_on_pages": ""}


def on_startup(command: str, dirty: bool) -> None:
    _state["command"] = command


def on_pre_build(config) -> None:
    if config.get(GENERATED):  # `build_site.py build` generated the pages a moment ago
        return
    project = Project(Path(config.config_file_path).resolve().parent)
    try:
        result = generate(project, config.get("repo_url"))
    except SiteError as exc:  # a mistake in the input: a clean message, never a traceback
        message = f"{exc}; the pages were not changed.\n{exc.format()}" if isinstance(exc, RecordsInvalid) \
            else f"{exc}; the pages were not changed."
        if _state["command"] == "serve":
            _state["error"] = message
            log.error(message + "\nStill serving the last good pages; fix the record and save to rebuild.")
            return
        raise PluginError(message) from None
    _state["error"] = ""
    for warning in result.warnings:
        log.info(warning.format())
    if result.report.written or result.report.removed:
        log.info(f"regenerated {len(result.report.written)} page(s), removed {len(result.report.removed)}")


def on_page_markdown(markdown: str, page, config, files) -> str:
    # Material prints page.meta.title and .description into <title>, <meta name="description"> and the
    # header without escaping (MkDocs' theme environment does not autoescape). Front matter is plain
    # text, so it is escaped here, once; Markup keeps `| e` in a template from escaping it twice.
    for key in ("title", "description"):
        value = page.meta.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            page.meta[key] = Markup.escape(value)
    return markdown


def on_files(files, config):
    # `serve` rebuilds only changed pages (dirty builds); when the error banner appears or goes, every page
    # must be rebuilt to show or drop it, though no Markdown changed.
    if _state["error"] != _state["error_on_pages"]:
        for file in files.documentation_pages():
            file.is_modified = lambda: True
        _state["error_on_pages"] = _state["error"]
    return files


def _title_heads_toc(page) -> None:
    # Material's "Skip to content" link and its table of contents start from page.toc. A review's title
    # is a raw-HTML <h1 id="title"> that Markdown never sees, so it heads page.toc here with the page's
    # headings under it (Material's toc then lists just those, as on any page with a Markdown <h1>).
    # Done at page-context time: the raw blocks are back in page.content only after every content hook.
    if '<h1 id="title"' in (page.content or "") and page.toc.items and page.toc.items[0].level != 1:
        title = AnchorLink(str(page.title), "title", 1)  # page.title is escaped already (on_page_markdown)
        title.children = list(page.toc.items)
        page.toc = TableOfContents([title])


def _generated(src_uri: str) -> bool:
    from pathlib import PurePosixPath

    from reviewsite.build.writer import is_owned

    return is_owned(PurePosixPath(src_uri))


def on_page_context(context, page, config, nav):
    _title_heads_toc(page)
    # Material's edit button opens the YAML record a generated page came from, not the Markdown.
    record = page.meta.get("record")
    if record and config.repo_url and config.edit_uri:
        page.edit_url = config.repo_url.rstrip("/") + "/" + config.edit_uri.strip("/") + "/" + record
    elif _generated(page.file.src_uri):
        # A generated page with no single record (home, about): an edit of its Markdown would be lost.
        page.edit_url = None
    return context


def on_post_page(output: str, page, config) -> str:
    if not _state["error"]:
        return output
    banner = ('<div role="alert" style="position:sticky;top:0;z-index:10;background:#b00020;color:#fff;'
              'padding:1em;white-space:pre-wrap;font:14px monospace">'
              f"{html.escape(_state['error'])}</div>")
    # Right under Material's top bar, where the reader looks first.
    return output.replace("</header>", "</header>" + banner, 1)


def on_post_build(config) -> None:
    # MkDocs writes sitemap.xml from site_url; robots.txt names it, subpath included.
    if config.site_url:
        write_if_changed(Path(config.site_dir) / "robots.txt", robots_txt(config.site_url))
