"""A cold build split across machines: N shard jobs render disjoint sets of reviews, one job merges them.

Rendering (citeproc, the exports) and MkDocs' work on the review pages grow with the number of reviews; at
10,000 reviews one 2-core machine needed 7.7 minutes and 1.06 GB, linearly more as the collection grows
(benchmarks/RESULTS.md). So:

- `build --shard K/N --shard-dir OUT`: load and validate every record and build every model (a review's pages
  depend on the whole collection: "also cited by", the home page), but render the pages of only the reviews
  `shard_of` gives to shard K, run MkDocs over them (without Pagefind) and write into OUT: those reviews' files
  from docs/, the HTML MkDocs made of their pages, and `shard.json` (what MkDocs needs of each page to reuse
  it: title, anchors, links; and a digest of every input, so a merge refuses shards of other records or code).
- `build --merge OUT1 OUT2 …`: checks that the shards are one complete set made from the same inputs as its own
  checkout, puts their files into docs/, renders only the collection's own pages (home, about, by year…),
  and runs one strict MkDocs build in which every shard-built page is taken as made (the reuse hook,
  reviewsite/hooks/reuse.py, hard-links it from the shards' HTML instead of converting and rendering it), then
  Pagefind over the whole site. A page whose record does not match is simply rendered: slower, never different.

The generated pages link to each other in raw HTML only, which MkDocs neither resolves nor rewrites, so a
page's HTML made in a shard (which holds only its own reviews' files) is the one a one-job build makes.
tests/test_shards.py builds both ways and compares every file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

from .. import history
from ..errors import SiteError
from ..hooks.page_record import read_all, record_path, write_pages
from ..search.shards import review_hash
from .incremental import code_signature, tree_signature
from .pipeline import GENERATED, PREVIOUS_SITE, GenerateResult, Project, generate
from .writer import KEEP, is_owned, write_atomically

SHARD_FILE = "shard.json"
_FORMAT = 1
_PACKAGES = ("mkdocs", "mkdocs-material", "mkdocs-material-extensions", "pymdown-extensions", "markdown",
             "jinja2", "markupsafe", "pyyaml", "pagefind", "pagefind-bin", "babel", "pygments")
_ENV_REFERENCE = re.compile(r"!ENV\s*\[?\s*([A-Za-z_][A-Za-z0-9_]*)")


def shard_of(review_id: str, count: int) -> int:
    """The shard (0 … count-1) a review belongs to: a stable hash of its id, so adding or removing a review
    moves no other. The same hash as the search index's shards (reviewsite/search/shards.py)."""
    return review_hash(review_id) % count


@dataclass(frozen=True)
class ShardSpec:
    number: int  # 1 … count, as people and CI matrices count
    count: int

    @classmethod
    def parse(cls, text: str) -> ShardSpec:
        """`K/N`, e.g. `2/4`; raises ValueError with the reason."""
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
        if not match:
            raise ValueError(f"'{text}' is not K/N (e.g. 2/4)")
        number, count = int(match.group(1)), int(match.group(2))
        if not 1 <= number <= count:
            raise ValueError(f"'{text}': K must be between 1 and N")
        return cls(number, count)

    def holds(self, review_id: str) -> bool:
        return shard_of(review_id, self.count) == self.number - 1

    def __str__(self) -> str:
        return f"{self.number}/{self.count}"


@dataclass(frozen=True)
class Share:
    """What one job of a sharded build gives `generate` for each review's pages: rendered (`renders`), or
    `others(review_id)`: nothing (a shard) or KEEP for files already put into docs/ (the merge)."""

    label: str  # kept in the generation's manifest, so a later plain build does not take these pages as whole
    renders: Callable[[str], bool]
    others: Callable[[str], dict]


def build_signature(project: Project) -> str:
    """A digest of everything a page depends on, by content (so equal on every fresh checkout of one commit):
    records, templates, overrides, hand-written docs, mkdocs.yml and the environment values it names, the code,
    the packages, and the commit the change logs are read at."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{_FORMAT} {code_signature()} {history.state(project.root)}\n".encode())
    for name in _PACKAGES:
        try:
            digest.update(f"{name}={metadata.version(name)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none;".encode())
    for folder in (project.records_dir, project.templates_dir, project.root / "overrides"):
        digest.update(f"{folder.name}:{tree_signature(folder) if folder.is_dir() else '-'}\n".encode())
    for path in sorted(project.docs_dir.rglob("*")):  # the hand-written files (styles, scripts)
        relative = PurePosixPath(path.relative_to(project.docs_dir).as_posix())
        if path.is_file() and not is_owned(relative) and not relative.parts[0].startswith("."):
            digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes())
    config = project.config_file.read_bytes()
    digest.update(config)
    for name in sorted(set(_ENV_REFERENCE.findall(config.decode("utf-8", "replace")))):
        digest.update(f"\n{name}={os.environ.get(name)!r}".encode())
    return digest.hexdigest()


# -- MkDocs, once per job


def _place(source: Path, target: Path) -> None:
    """Put `source`'s bytes at `target`: a hard link where the file system allows (nothing writes into these
    files in place), else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _load_config(project: Project, site_dir: Path):
    from mkdocs.config import load_config

    return load_config(config_file=str(project.config_file), strict=True, site_dir=str(site_dir))


def run_mkdocs(project: Project, site_dir: Path, previous_site: Path, config_ready: Callable | None = None,
               search: bool = True) -> None:
    """A strict MkDocs build of docs/ into `site_dir`, replacing it only when the whole build succeeds.
    Generated pages recorded in .cache/mkdocs-pages.sqlite are taken from `previous_site` when unchanged.
    Raises SiteError when MkDocs fails (the old `site_dir` is then untouched)."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    from ..hooks.search import detach_search_index

    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-", dir=site_dir.parent))
    try:
        config = _load_config(project, staging)
        config[GENERATED] = True
        config[PREVIOUS_SITE] = str(previous_site)
        if not search:  # a shard's site is only material for the merge: Pagefind runs once, over the merged site
            detach_search_index(config)
        if config_ready is not None:
            config_ready(config)
        build(config)
    except MkDocsException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise SiteError(f"MkDocs build failed: {exc}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = site_dir.with_name(f".{site_dir.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)


def _reuse_format() -> int:
    from reviewsite.hooks import reuse
    return reuse._FORMAT


# -- a shard


@dataclass
class ShardReport:
    spec: ShardSpec
    generated: GenerateResult
    reviews: int  # of them, this shard's
    files: int  # put into the shard folder (docs and HTML)


def _review_folder(relative: PurePosixPath) -> str | None:
    """The review a generated file belongs to (`reviews/<id>/…`), or None for the collection's own pages."""
    parts = relative.parts
    return parts[1] if len(parts) >= 3 and parts[0] == "reviews" else None


def build_shard(project: Project, spec: ShardSpec, out_dir: Path) -> ShardReport:
    """Render and build shard `spec`'s reviews into `out_dir` (replaced whole). Raises RecordsInvalid before
    writing anything if a record is wrong, SiteError if MkDocs fails."""
    from mkdocs.structure.files import File

    signature = build_signature(project)
    generated = generate(project, share=Share(f"shard {spec}", spec.holds, lambda review_id: {}))
    mine = {relative for relative in (PurePosixPath(p.relative_to(project.docs_dir).as_posix())
                                      for p in (project.docs_dir / "reviews").rglob("*") if p.is_file())
            if (review := _review_folder(relative)) is not None and spec.holds(review)}
    work = Path(tempfile.mkdtemp(prefix=".shard-", dir=project.root))
    try:
        site = work / "site"
        run_mkdocs(project, site, work / "no-previous-site", search=False)  # records every page it renders
        wanted = {relative.as_posix() for relative in mine if relative.suffix == ".md"}
        stored = {uri: entry for uri, entry in read_all(record_path(project.root), _reuse_format()) if uri in wanted}
        staged = work / "out"
        pages = {}
        for relative in sorted(mine):
            _place(project.docs_dir / relative, staged / "docs" / relative)
            entry = stored.get(relative.as_posix())
            if relative.suffix == ".md" and entry is not None:
                dest = File(relative.as_posix(), str(project.docs_dir), str(site), True).dest_uri
                _place(site / dest, staged / "site" / dest)
                pages[relative.as_posix()] = {"dest": dest, "title": entry["title"], "anchors": entry["anchors"],
                                              "links": entry["links"]}
        reviews = sorted({_review_folder(relative) for relative in mine})
        write_atomically(staged / SHARD_FILE, json.dumps(
            {"format": _FORMAT, "shard": spec.number, "of": spec.count, "signature": signature,
             "reviews": reviews, "files": sorted(r.as_posix() for r in mine), "pages": pages},
            indent=1, sort_keys=True))
        shutil.rmtree(out_dir, ignore_errors=True)
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staged.rename(out_dir)
        return ShardReport(spec, generated, len(reviews), len(mine) + len(pages))
    finally:
        shutil.rmtree(work, ignore_errors=True)


# -- the merge


@dataclass
class MergeReport:
    shards: int
    generated: GenerateResult
    pages_from_shards: int  # pages offered for reuse (the reuse hook logs how many it took)


def read_shards(folders: Iterable[Path], signature: str) -> list[tuple[Path, dict]]:
    """Each shard folder with its record, checked: readable, one complete set 1…N, made from the same inputs.
    Raises SiteError naming what is wrong."""
    shards = []
    for folder in folders:
        try:
            data = json.loads((folder / SHARD_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SiteError(f"{folder}: not a shard folder ({SHARD_FILE} unreadable: {exc})") from None
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            raise SiteError(f"{folder}: {SHARD_FILE} was written by another version of build_site.py")
        if data["signature"] != signature:
            raise SiteError(f"{folder}: shard {data['shard']}/{data['of']} was built from other records, code, "
                            "configuration or environment than this checkout; build it again here")
        shards.append((folder, data))
    if not shards:
        raise SiteError("no shard folders given")
    count = shards[0][1]["of"]
    numbers = sorted(data["shard"] for _, data in shards)
    if any(data["of"] != count for _, data in shards) or numbers != list(range(1, count + 1)):
        given = ", ".join(f"{data['shard']}/{data['of']}" for _, data in shards)
        raise SiteError(f"the shards given are {given}: a merge needs each of 1/{count} … {count}/{count} once")
    return shards


def merge_shards(project: Project, folders: Iterable[Path], site_dir: Path) -> MergeReport:
    """Build the whole site into `site_dir` from shard folders (see the module's docstring). Raises SiteError
    (or RecordsInvalid) before `site_dir` is touched when anything is wrong."""
    shards = read_shards(folders, build_signature(project))
    files_of: dict[str, list[PurePosixPath]] = {}
    for folder, data in shards:
        for name in data["files"]:
            relative = PurePosixPath(name)
            review = _review_folder(relative)
            if review is None or review not in data["reviews"] or ".." in relative.parts:
                raise SiteError(f"{folder}: {SHARD_FILE} lists {name}, not a file of its reviews")
            files_of.setdefault(review, []).append(relative)
            target = project.docs_dir / relative
            target.unlink(missing_ok=True)
            _place(folder / "docs" / relative, target)

    def placed(review_id: str) -> dict:
        if review_id not in files_of:
            raise SiteError(f"review {review_id} is in none of the shards; build them again from this checkout")
        return {relative: KEEP for relative in files_of[review_id]}

    label = "merge " + hashlib.blake2b(json.dumps(sorted(files_of.items()), default=str).encode(),
                                       digest_size=8).hexdigest()
    generated = generate(project, share=Share(label, lambda review_id: False, placed))
    # The shards' HTML in one folder: the "previous site" the reuse hook takes unchanged pages from.
    previous = Path(tempfile.mkdtemp(prefix=".shards-site-", dir=site_dir.parent))
    try:
        entries = {}
        for folder, data in shards:
            for src_uri, page in data["pages"].items():
                _place(folder / "site" / page["dest"], previous / page["dest"])
                entries[src_uri] = page

        def offer_pages(config) -> None:
            _write_reuse_record(project, config, previous, entries)

        run_mkdocs(project, site_dir, previous, config_ready=offer_pages)
    finally:
        shutil.rmtree(previous, ignore_errors=True)
    return MergeReport(len(shards), generated, len(entries))


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


def _write_reuse_record(project: Project, config, previous: Path, entries: dict[str, dict]) -> None:
    """The reuse hook's record, as if the shards' pages had been built here last time: keyed by the signature
    this build's files and nav will have, with the stats of the merged docs/ files and the shards' HTML."""
    from mkdocs.structure.files import get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation

    from reviewsite.hooks.reuse import site_signature

    files = get_files(config)
    files.add_files_from_theme(config.theme.get_env(), config)
    set_exclusions(files, config)
    signature = site_signature(config, files, get_navigation(files, config))
    pages = {}
    for src_uri, page in entries.items():
        source, output = _stat(project.docs_dir / src_uri), _stat(previous / page["dest"])
        if source is not None and output is not None:
            pages[src_uri] = {"source": source, "title": page["title"], "anchors": page["anchors"],
                              "links": page["links"], "output": output}
    record = record_path(project.root)
    record.unlink(missing_ok=True)  # only the shards' pages: what an earlier build here recorded is not in `previous`
    write_pages(record, _reuse_format(), signature, "merge", pages.items())
