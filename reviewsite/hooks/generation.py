"""MkDocs hook: plain `mkdocs build` and `mkdocs serve` regenerate the pages first.

It calls the same pipeline as build_site.py. During `serve`, an invalid record does not
stop the server: the last good pages stay, the error is logged and shown on every page
until the record is fixed. A review marked draft is shown by `serve` only; its problems appear on
its own page, never in that banner. Each rebuild of `serve` logs one line: what changed, how long
it took and any problems.
"""

from __future__ import annotations

import contextlib
import gc
import html
import logging
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from stat import S_ISDIR

from jinja2 import FileSystemBytecodeCache
from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.structure.toc import AnchorLink, TableOfContents

PROJECT_ROOT = Path(__file__).resolve().parents[2]
if str(PROJECT_ROOT) not in sys.path:  # MkDocs loads hooks by path, outside any package
    sys.path.insert(0, str(PROJECT_ROOT))

from reviewsite.build.incremental import CACHE_FOLDER  # noqa: E402
from reviewsite.build.pipeline import GENERATED, Project, generate  # noqa: E402
from reviewsite.build.writer import write_if_changed  # noqa: E402
from reviewsite.errors import RecordsInvalid, SiteError  # noqa: E402
from reviewsite.hooks.passthrough import release_content, unpack_content  # noqa: E402
from reviewsite.hooks.quiet import install as install_quiet_filters  # noqa: E402
from reviewsite.hooks.theme_files import copied as theme_copied  # noqa: E402
from reviewsite.hooks.theme_files import copy_once as copy_theme_once  # noqa: E402
from reviewsite.hooks.theme_files import list_once as list_theme_once  # noqa: E402
from reviewsite.hooks.watcher import install as install_watcher  # noqa: E402
from reviewsite.hooks.written import built as site_built  # noqa: E402
from reviewsite.hooks.written import note_written, skip_unwritten  # noqa: E402
from reviewsite.site.head import robots_txt  # noqa: E402
from reviewsite.site.sitemap import keep_sitemap_valid  # noqa: E402

log = logging.getLogger("mkdocs.hooks.reviewsite")
_state = {"command": "build", "error": "", "error_on_pages": "", "started": 0.0, "summary": "", "warnings": "",
          "watcher": None}
_inputs: dict[str, tuple[int, int]] = {}  # the last build's input files (records, templates, docs) and stats


def on_startup(command: str, dirty: bool) -> None:
    _state["command"] = command
    _state["watcher"] = None
    _inputs.clear()  # a process may serve more than one project (tests)
    if command == "serve":
        install_quiet_filters()  # the dirty-build warning and the not-in-nav list of generated pages
        log.setLevel(logging.INFO)  # the one line per rebuild shows even when MkDocs says only warnings


def on_serve(server, config, builder):
    # A saved file rebuilds at once, and the watcher names it (`_changes`); the generated pages never rebuild.
    _state["watcher"] = install_watcher(server, config)
    # What the first build left (every review read and remembered, MkDocs' pages) is kept for the whole session:
    # frozen, Python's collector no longer scans it through, which took 0.15 s of every rebuild at 1000 reviews.
    gc.collect()
    gc.freeze()
    return server


def on_shutdown() -> None:
    gc.unfreeze()  # what `serve` kept may be collected again (a process that goes on, such as the tests)


def on_config(config):
    _state["started"] = time.perf_counter()
    if _state["command"] == "serve":
        list_theme_once(config)  # the installed theme's thousands of files, listed at the first build only
    return config


_INPUT_FOLDERS = ("records", "templates", "overrides", "docs")


def _is_input(relative: str) -> bool:
    """Whether a path (POSIX, under the project root) is one a rebuild reads that a maintainer edits: records,
    templates, overrides, mkdocs.yml, hand-written docs; not hidden, not a generated page."""
    parts = relative.split("/")
    if relative == "mkdocs.yml":
        return True
    if parts[0] not in _INPUT_FOLDERS or any(part.startswith(".") for part in parts):
        return False
    return not (parts[0] == "docs" and len(parts) > 1 and _generated("/".join(parts[1:])))


def _input_files(root: Path, paths: Iterable[str] = (*_INPUT_FOLDERS, "mkdocs.yml")) -> dict[str, tuple[int, int]]:
    """Size and mtime of every input file (`_is_input`) that is, or is under, one of `paths` (POSIX, under root)."""
    found: dict[str, tuple[int, int]] = {}
    for start in paths:
        if not _is_input(start):
            continue
        try:
            stat = os.stat(root / start)
        except OSError:
            continue  # removed
        if not S_ISDIR(stat.st_mode):
            found[start] = (stat.st_size, stat.st_mtime_ns)
            continue
        for folder, subfolders, files in os.walk(root / start):
            relative = Path(folder).relative_to(root).as_posix()
            # The generated pages are outputs, not inputs: their folder is not walked.
            subfolders[:] = [d for d in subfolders if _is_input(f"{relative}/{d}/page.md")]
            for name in files:
                if not _is_input(path := f"{relative}/{name}"):
                    continue
                try:
                    stat = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                found[path] = (stat.st_size, stat.st_mtime_ns)
    return found


def _changes(root: Path, reported: set[str] | None = None) -> str:
    """`records/x/article.yaml changed`, `2 files changed`, or "" on the first build. With `reported` (the paths,
    POSIX under root, the watcher saw change since the last build), only those are looked at, not every input."""
    global _inputs
    if reported is None or not _inputs:
        before, now = _inputs, _input_files(root)
        _inputs = now
        if not before:
            return ""
    else:
        under = tuple(f"{path}/" for path in reported)
        before = {path: stat for path, stat in _inputs.items() if path in reported or path.startswith(under)}
        now = _input_files(root, reported)
        for path in before.keys() - now.keys():
            del _inputs[path]
        _inputs.update(now)
    changed = sorted({path for path in now.keys() | before.keys() if now.get(path) != before.get(path)})
    if not changed:
        return "no input changed"
    verbs = ["added" if p not in before else "removed" if p not in now else "changed" for p in changed]
    if len(changed) <= 3:
        return ", ".join(f"{p} {v}" for p, v in zip(changed, verbs, strict=True)) if len(set(verbs)) > 1 else \
            ", ".join(changed) + f" {verbs[0]}"
    return f"{len(changed)} files changed ({changed[0]}, …)"


def _reported(config) -> set[str] | None:
    """The paths (POSIX, under the project's folder) the watcher saw change since the last build; None before it
    watches."""
    if _state["watcher"] is None:
        return None
    # As MkDocs names the watched folders: under the configuration's folder, symbolic links not resolved.
    root = os.path.dirname(os.path.abspath(config.config_file_path))
    relative = (Path(os.path.relpath(path, root)).as_posix() for path in _state["watcher"].take_reported())
    return {path for path in relative if not path.startswith("../")}


def _remove_from_site(config, removed: list[str]) -> None:
    """Remove from the served site what MkDocs made of the generated files just removed from docs/ (a review
    removed): `serve`'s dirty builds write what changed and never remove what was built before."""
    site_dir = Path(config.site_dir)
    folders = set()
    for name in removed:
        output = Path(File(name, config.docs_dir, config.site_dir, config.use_directory_urls).abs_dest_path)
        output.unlink(missing_ok=True)
        folders.update(parent for parent in output.parents if site_dir in parent.parents)
    for folder in sorted(folders, key=lambda path: len(path.parts), reverse=True):
        with contextlib.suppress(OSError):  # not empty: other pages are in it
            folder.rmdir()


def on_pre_build(config) -> None:
    if config.get(GENERATED):  # `build_site.py build` generated the pages a moment ago
        return
    serving = _state["command"] == "serve"
    project = Project(Path(config.config_file_path).resolve().parent)
    changed = _changes(project.root, _reported(config)) if serving else ""
    try:
        # `serve` shows drafts, and keeps what it read for the next rebuild (only changed folders are read again).
        result = generate(project, drafts=serving, repo_url=config.get("repo_url"), remember=serving)
    except SiteError as exc:  # a mistake in the input: a clean message, never a traceback
        message = f"{exc}; the pages were not changed.\n{exc.format()}" if isinstance(exc, RecordsInvalid) \
            else f"{exc}; the pages were not changed."
        if serving:
            _state["error"] = message
            _state["warnings"] = ""
            log.error(message)
            _state["first"] = False
            _state["summary"] = ((changed + ": ") if changed else "") + \
                f"{exc} (above, and on every page). Still serving the last good pages; fix the record and " \
                "save to rebuild"
            return
        raise PluginError(message) from None
    _state["error"] = ""
    if serving:
        note_written(config, result.report.written)
        _remove_from_site(config, result.report.removed)
    warnings = "\n".join(w.format() for w in result.warnings)
    if not serving:
        if warnings:
            log.info(warnings)
        if result.drafts:
            log.info(f"left out {len(result.drafts)} draft(s): {', '.join(result.drafts)}")
        if result.report.written or result.report.removed:
            log.info(f"regenerated {len(result.report.written)} page(s), removed {len(result.report.removed)}")
        return
    if warnings and warnings != _state["warnings"]:  # a warning is shown when it appears, not on every rebuild
        log.warning(warnings)
    _state["warnings"] = warnings
    _state["first"] = not changed
    if changed:
        written = len(result.report.written) + len(result.report.removed)
        parts = [changed, f"{len(result.report.written)} page(s) written" +
                 (f", {len(result.report.removed)} removed" if result.report.removed else "")
                 if written else "pages unchanged"]
    else:
        parts = [f"{result.reviews} review(s), {result.pages} page(s)"]
    if result.warnings:
        parts.append(f"{len(result.warnings)} warning(s)")
    shown_with_problems = sorted({p.file.split("/")[1] for p in result.draft_problems if p.severity == "error"
                                  and p.file.count("/") >= 2})
    if shown_with_problems:
        parts.append("problems in draft(s) " + ", ".join(f"{d} (see /reviews/{d}/)" for d in shown_with_problems))
    _state["summary"] = "; ".join(parts)


def on_env(env, config, files):
    # The theme's templates compiled once, not at every build and every `serve` rebuild (0.4 s at 300 reviews);
    # Jinja keys each entry on the template's source, so an edited override compiles again.
    folder = Path(config.config_file_path).resolve().parent / CACHE_FOLDER / "jinja-theme"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return env  # a read-only project still builds
    env.bytecode_cache = FileSystemBytecodeCache(os.fspath(folder))
    return env


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
    if _state["command"] == "serve":
        skip_unwritten(files, config)  # a generated file is rebuilt when a generation wrote it, not compared
        copy_theme_once(files, config)  # the installed theme's files, copied by the first build, not compared again
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
    from reviewsite.build.writer import is_owned_name

    return is_owned_name(src_uri)


def on_page_context(context, page, config, nav):
    unpack_content(page)  # the first hook to run for the page in MkDocs' second pass (see passthrough.py)
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
    release_content(page)  # written now; its HTML need not stay until the build ends
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
    keep_sitemap_valid(Path(config.site_dir), config.site_url)  # one file lists at most 50,000 pages
    if _state["command"] == "serve":
        theme_copied(config)
        site_built(config)
    if _state["command"] == "serve" and _state["summary"]:
        took = time.perf_counter() - _state["started"] if _state["started"] else 0.0
        line = f"{'built' if _state.get('first') else 'rebuilt'} in {took:.1f} s: {_state['summary']}"
        (log.error if _state["error"] else log.info)(line)
        _state["summary"] = ""
