"""MkDocs hook: generated content MkDocs would only copy through is not parsed again on the way.

Two costs dominated MkDocs' time on generated pages (benchmarks/RESULTS.md):

- Raw HTML blocks. The pages put all record text in raw HTML blocks (see render.py), which
  Python-Markdown copies to the output unchanged after running them through two HTML parsers.
  Here each self-contained raw HTML block is swapped for a one-word placeholder before Markdown
  runs and put back in its place after; the ids it holds still count for MkDocs' anchor checks.
- Large front-matter values written as JSON (e.g. `head_meta`), which MkDocs reads with PyYAML's
  pure-Python loader. A line whose value is a long JSON list or object of strings is read with
  `json` instead and handed to the page's metadata under its key, in its place, when the theme renders
  the page.

The HTML is byte-for-byte what MkDocs makes without this hook (tests/test_passthrough.py builds
both ways and compares), and the Markdown files stay complete pages any MkDocs-like engine builds.
"""

from __future__ import annotations

import json
import pickle
import re
import sys
import zlib
from pathlib import Path

from mkdocs.structure.toc import TableOfContents

PROJECT_ROOT = Path(__file__).resolve().parents[2]
if str(PROJECT_ROOT) not in sys.path:  # MkDocs loads hooks by path, outside any package
    sys.path.insert(0, str(PROJECT_ROOT))

from reviewsite.build.writer import is_owned_name  # noqa: E402
from reviewsite.hooks.spill import SET_ASIDE as _set_aside  # noqa: E402

# Block-level tags the generator starts raw blocks with (all in Python-Markdown's block list).
_BLOCK_TAGS = ("div", "p", "ol", "ul", "table", "nav", "aside", "header", "section", "figure", "details", "dl")
_OPEN = re.compile(r"<(" + "|".join(_BLOCK_TAGS) + r")(?=[\s>])")
_TOKEN = "reviewsitepassthrough"
_PICKLE = pickle.HIGHEST_PROTOCOL
_stash: dict[int, list[str]] = {}  # id(page) -> the blocks taken out of its Markdown


def _self_contained(block: str, tag: str) -> bool:
    """One element that opens on the first line and closes at the very end, with no Markdown switch."""
    if not block.rstrip().endswith(f"</{tag}>") or "markdown=" in block or "<!--" in block:
        return False
    opened = len(re.findall(rf"<{tag}(?=[\s>])", block))
    return opened == block.count(f"</{tag}>")


def split_blocks(markdown: str) -> tuple[str, list[str]]:
    """The Markdown with each self-contained raw HTML block replaced by a placeholder line, and the blocks."""
    if _TOKEN in markdown:
        return markdown, []
    chunks = markdown.split("\n\n")
    blocks: list[str] = []
    last = max((i for i, chunk in enumerate(chunks) if chunk.strip()), default=0)
    for index, chunk in enumerate(chunks):
        block = chunk.strip("\n")
        match = _OPEN.match(block)
        # A chunk with a whitespace-only line is left to Markdown, which counts that line as blank.
        if index > last or not match or re.search(r"\n[ \t]+\n", block):
            continue
        if _self_contained(block, match.group(1)):
            lead, tail = len(chunk) - len(chunk.lstrip("\n")), len(chunk.rstrip("\n"))
            chunks[index] = chunk[:lead] + f"{_TOKEN}{len(blocks)}x" + chunk[tail:]
            # Python-Markdown keeps one newline after a raw block that more text follows, none after the last.
            blocks.append(block + ("\n" if index < last else ""))
    return "\n\n".join(chunks), blocks


def join_blocks(html: str, blocks: list[str]) -> str:
    """Put each block back where Markdown left its placeholder paragraph."""
    for number, block in enumerate(blocks):
        placeholder = f"<p>{_TOKEN}{number}x</p>"
        if placeholder not in html:  # pragma: no cover - Markdown moved it: better fail than lose text
            raise RuntimeError(f"passthrough placeholder {number} is missing from the page HTML")
        html = html.replace(placeholder, block, 1)
    return html


# MkDocs' own front-matter pattern (mkdocs/utils/meta.py), and one top-level `key: value` line.
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_KEY_LINE = re.compile(r"^([A-Za-z0-9_-]+):[ \t]*(.*)$", re.MULTILINE)
_JSON_MIN = 200  # shorter values cost PyYAML little


def _no_number(text: str):
    raise ValueError("numbers read differently in YAML 1.1 and JSON (1e3)")


def split_front_matter(source: str) -> tuple[str, list[str], dict[str, str]]:
    """The source without its long JSON front-matter lines, the front matter's keys in order, and those lines'
    values as JSON text, each checked to read as YAML would read it (`read_json_value`)."""
    match = _FRONT_MATTER.match(source)
    if not match:
        return source, [], {}
    order: list[str] = []
    taken: dict[str, str] = {}

    def take(line: re.Match) -> str:
        key, value = line.group(1), line.group(2)
        order.append(key)
        # YAML also breaks lines at \r, NEL and U+2028/9, which JSON keeps inside strings.
        if len(value) < _JSON_MIN or value[0] not in "[{" or any(c in value for c in "\r\x85\u2028\u2029"):
            return line.group(0)
        try:
            read_json_value(value)
        except ValueError:
            return line.group(0)
        taken[key] = value
        return ""

    front = _KEY_LINE.sub(take, match.group(1))
    if not taken:
        return source, order, {}
    return source[: match.start(1)] + front + source[match.end(1):], order, taken


def read_json_value(text: str):
    """A front-matter value taken as JSON: only strings, lists, objects, booleans and null, where YAML 1.1 and
    JSON agree. Raises ValueError for anything else."""
    return json.loads(text, parse_int=_no_number, parse_float=_no_number, parse_constant=_no_number)


# The values taken out of the front matter (a review page's head metadata and JSON-LD: 15 KB of JSON, 40 KB once
# read) are only for the theme's <head>: between MkDocs' two passes their text is set aside compressed (`_set_aside`),
# and they join the page's metadata, in their places, just before the theme renders it (`unpack_content`).
PACKED_META = "reviewsite_packed_meta"
UNPACKED_META = "reviewsite_unpacked_meta"  # the keys `unpack_meta` put into the page's metadata


def pack_meta(page, order: list[str], taken: dict[str, str]) -> None:
    """Set `taken` (key -> JSON text, from `split_front_matter`) and the front matter's key `order` aside, compressed,
    until `unpack_meta`."""
    setattr(page, PACKED_META, _set_aside.put(zlib.compress(pickle.dumps((order, taken), _PICKLE), 1)))


def unpack_meta(page) -> None:
    """Put the values `pack_meta` kept into the page's metadata, read, in their front-matter order (once)."""
    packed = page.__dict__.pop(PACKED_META, None)
    if packed is None:
        return
    order, texts = pickle.loads(zlib.decompress(_set_aside.take(packed)))
    taken = {key: read_json_value(text) for key, text in texts.items()}
    meta = {key: taken[key] if key in taken else page.meta[key] for key in order if key in taken or key in page.meta}
    meta.update((k, v) for k, v in page.meta.items() if k not in meta)
    page.meta = meta
    setattr(page, UNPACKED_META, tuple(taken))


def on_page_read_source(page, config) -> str | None:
    source = page.file.content_string
    text, order, taken = split_front_matter(source)
    if taken:
        pack_meta(page, order, taken)
    return text


def on_page_markdown(markdown: str, page, config, files) -> str:
    text, blocks = split_blocks(markdown)
    if blocks:
        _stash[id(page)] = blocks
    return text


_ID = re.compile(r"""\sid=["']([^"']*)["']""")
# Each distinct set of a page's anchor ids, once: MkDocs keeps every page's set until the build ends (for its anchor
# checks, which only look ids up), and pages of one kind have the same ids (`ref-1`...`ref-100`, the headings):
# a set of its own per page held 11 MB at 1000 reviews.
_anchor_sets: dict[frozenset[str], frozenset[str]] = {}


def shared_anchor_set(ids) -> frozenset[str]:
    """`ids` as a frozenset, the very one every page with the same ids holds (in this build)."""
    found = frozenset(ids)
    return _anchor_sets.setdefault(found, found)


def on_pre_build(config) -> None:
    _anchor_sets.clear()
    _set_aside.close()  # a failed build's, if it left one


def on_post_build(config) -> None:
    _set_aside.close()


def on_build_error(error) -> None:
    _set_aside.close()


def on_page_content(html: str, page, config, files) -> str:
    blocks = _stash.pop(id(page), None)
    if blocks:
        # MkDocs collects a page's ids from raw HTML for its anchor checks; these blocks skipped that.
        page.present_anchor_ids = shared_anchor_set(
            {*(page.present_anchor_ids or ()), *(i for b in blocks for i in _ID.findall(b))})
        html = join_blocks(html, blocks)
    return pack_content(page, html)


# MkDocs converts every page before it renders any into the theme, so a build holds every page's Markdown and
# HTML at once (about 250 MB at 1000 reviews). Between the two passes a generated page's HTML, table of contents
# and metadata are set aside compressed, in a temporary file (spill.py: in memory they were still 12 MB at 1000
# reviews, growing with them), and its Markdown (which nothing reads after conversion) is let go; they come back
# just before the theme renders the page (the first `on_page_context`, reviewsite/hooks/generation.py) and the
# HTML is let go once the page is written (`release_content`). The HTML written is the same.
PACKED = "reviewsite_packed_content"
# What MkDocs reads of a page's metadata between the passes: its title (`page.title`, the navigation, the reuse
# record), and the template `_build_page` chooses before the first `on_page_context`.
_KEPT_META = ("title", "template")


def pack_content(page, html: str) -> str:
    """`""` in place of a generated page's `html`, which is set aside compressed, with the page's table of contents
    and the metadata MkDocs does not read before, until `unpack_content`."""
    if not is_owned_name(page.file.src_uri):
        return html
    aside = {key: value for key, value in page.meta.items() if key not in _KEPT_META}
    setattr(page, PACKED, _set_aside.put(zlib.compress(pickle.dumps((html, page.toc, list(page.meta), aside),
                                                                    _PICKLE), 1)))
    page.markdown = ""
    page.toc = TableOfContents([])
    page.meta = {key: value for key, value in page.meta.items() if key in _KEPT_META}
    return ""


def unpack_content(page) -> None:
    """Put back what `pack_content` and `pack_meta` set aside (once; a page not packed is left as it is)."""
    packed = page.__dict__.pop(PACKED, None)
    if packed is not None:
        html, toc, order, aside = pickle.loads(zlib.decompress(_set_aside.take(packed)))
        merged = {**page.meta, **aside}
        meta = {key: merged[key] for key in order if key in merged}  # in its order, as before the first pass
        meta.update((key, value) for key, value in page.meta.items() if key not in meta)
        page.meta, page.toc, page.content = meta, toc, html
    unpack_meta(page)


def release_content(page) -> None:
    """After a generated page is written: its HTML is not read again (the sitemap and other pages read only
    titles and addresses), nor are the metadata `unpack_meta` read for its <head>."""
    if page is None:
        return
    for key in page.__dict__.pop(UNPACKED_META, ()):
        page.meta.pop(key, None)
    if is_owned_name(page.file.src_uri):
        page.content = None
        # Its table of contents is read only by the theme, for this page; of its metadata only the title is read
        # again (MkDocs' `page.title`, the reuse record), not its description nor where its record is.
        page.toc = TableOfContents([])
        page.meta = {key: value for key, value in page.meta.items() if key == "title"}


def on_page_context(context, page, config, nav):
    unpack_content(page)  # already done by the generation hook when it runs first; here for a config without it
    return context
