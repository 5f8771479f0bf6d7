"""A shard indexed in batches (reviewsite/search/merge.py): the merged bundle holds what one Pagefind run over the
same pages writes, as a reader's search uses it: the same pages (fragment, word count), the same words with the same
locations on the same pages, the same other spellings, the same index chunks."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from reviewsite.search import index as search_index
from reviewsite.search.index import BUNDLE, SHARD_LIST, Cancelled, ShardedIndex, pagefind_command, pagefind_environment
from reviewsite.search.merge import NotMergeable, _decode, merge_bundles


def _run(command, environment, folder):
    done = subprocess.run(command, env=environment, cwd=folder, capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def _cbor(path: Path):
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(b"pagefind_dcd")
    return _decode(data, len(b"pagefind_dcd"))[0]


def _by_url(pages: list, urls: list[str]) -> dict[str, list]:
    """A word's pages, delta-numbered as Pagefind writes them, as {url: [locations, meta locations]}."""
    found, number = {}, 0
    for page in pages:
        number += page[0]
        assert urls[number] not in found
        found[urls[number]] = page[1:]
    return found


def _reader_view(bundle: Path) -> dict:
    """What a search reads from a bundle, with pages named by their URL instead of their number."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    [(language, described)] = entry["languages"].items()
    meta = _cbor(bundle / f"pagefind.{described['hash']}.pf_meta")
    fragments = {path.name: gzip.decompress(path.read_bytes()) for path in (bundle / "fragment").iterdir()}
    urls = [json.loads(fragments[f"{fragment}.pf_fragment"][len(b"pagefind_dcd"):])["url"]
            for fragment, _ in meta[1]]
    words = {}
    for _, _, chunk in meta[2]:
        for word, pages, variants in _cbor(bundle / "index" / f"{chunk}.pf_index")[0]:
            words[word] = (_by_url(pages, urls), {spelling: _by_url(found, urls) for spelling, found in variants})
    return {"entry": {**entry, "languages": {language: {**described, "hash": None}}},
            "version and meta fields": (meta[0], meta[3:]),
            "pages": {url: tuple(page) for url, page in zip(urls, meta[1], strict=True)},
            "fragments": fragments, "words": words, "chunks": [chunk[:2] for chunk in meta[2]],
            "files": sorted(path.name for path in bundle.iterdir() if not path.name.endswith(".pf_meta"))}


def _pages_per_run(monkeypatch) -> list[int]:
    """How many pages each Pagefind run of the next updates is given."""
    counts: list[int] = []

    def counting(command, environment, folder):
        counts.append(len(list(Path(command[command.index("--site") + 1]).rglob("index.html"))))
        return _run(command, environment, folder)

    return counts, counting


@pytest.fixture
def sites(built_site, tmp_path) -> tuple[Path, Path]:
    copies = (tmp_path / "whole", tmp_path / "batched")
    for copy in copies:
        shutil.copytree(built_site, copy)
    return copies


@pytest.fixture
def site_copy(built_site, tmp_path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    return copy


def _bundles(site: Path) -> dict[str, Path]:
    published = site / BUNDLE
    shards = json.loads((published / SHARD_LIST).read_text(encoding="utf-8"))["shards"]
    return {"home": published, **{shard: published / shard for shard in shards}}


@pytest.mark.parametrize("bytes_per_run", [search_index.BYTES_PER_RUN, 1], ids=["two pages a run", "one page a run"])
def test_a_shard_indexed_in_batches_holds_what_one_run_writes(sites, tmp_path, monkeypatch, bytes_per_run):
    # One page a run: each run has only the metadata fields of its own page (a references page has result_title).
    whole, batched = sites
    ShardedIndex(tmp_path / "cache-whole").update(whole, _run)
    monkeypatch.setattr(search_index, "PAGES_PER_RUN", 2)
    monkeypatch.setattr(search_index, "BYTES_PER_RUN", bytes_per_run)
    counts, counting = _pages_per_run(monkeypatch)
    ShardedIndex(tmp_path / "cache-batched").update(batched, counting)
    assert max(counts) == (2 if bytes_per_run > 1 else 1), "no shard was indexed in batches"
    assert len(counts) > len(_bundles(batched)), "no shard was indexed in batches"
    home_pages = len(list((whole / BUNDLE / "fragment").iterdir()))
    assert home_pages >= 5  # home, about and the collection's pages: three batches or more
    for name, bundle in _bundles(whole).items():
        expected, merged = _reader_view(bundle), _reader_view(_bundles(batched)[name])
        for part in expected:
            assert merged[part] == expected[part], f"bundle {name}: {part} differ"
    # Deterministic: indexed again from nothing, the same bytes.
    first = {path: path.read_bytes() for path in sorted((batched / BUNDLE).rglob("*")) if path.is_file()}
    shutil.rmtree(batched / BUNDLE)
    ShardedIndex(tmp_path / "cache-again").update(batched, _run)
    assert {path: path.read_bytes() for path in sorted((batched / BUNDLE).rglob("*")) if path.is_file()} == first


def _pagefind(pages: dict[str, str], folder: Path) -> Path:
    """A bundle of these pages ({path: article}), written by one Pagefind run."""
    site = folder / "site"
    for path, article in pages.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(f'<!doctype html><html lang="en"><head><title>{path}</title></head><body>'
                                 f'<article class="md-content__inner">{article}</article></body></html>',
                                 encoding="utf-8")
    code, output = _run(pagefind_command(site, folder / "bundle"), pagefind_environment(), folder)
    assert code == 0, output
    return folder / "bundle"


def test_words_with_other_spellings_merge_across_batches(tmp_path):
    # Pagefind files "Müller" under "muller" with its spelling and that spelling's pages: they are renumbered too.
    pages = {"a/index.html": "<h1>Café Müller</h1><p>Müller and Muller, naïve café, Ångström alone</p>",
             "b/index.html": "<p>Müller again, cafe, words of b only</p>",
             "c/index.html": "<p>naïve Müller café Muller, c</p>"}
    whole = _pagefind(pages, tmp_path / "whole")
    parts = [_pagefind({path: article}, tmp_path / path.split("/")[0]) for path, article in pages.items()]
    merge_bundles(parts, tmp_path / "merged", int(search_index.CHUNK_SIZE))
    expected, merged = _reader_view(whole), _reader_view(tmp_path / "merged")
    assert expected["words"]["muller"][1]["müller"]  # the case this test is for
    assert len(expected["pages"]) == 3
    for part in expected:
        assert merged[part] == expected[part], f"{part} differ"


def test_batches_whose_pages_have_other_metadata_fields_merge(tmp_path):
    # A collection page has only a title; a references page also has result_title (erratum.md.j2 has the same).
    # Pagefind numbers the fields in its sorted list of those its pages have, so a batch of collection pages alone
    # numbers "title" 0 where the others number it 1: the merge renumbers the meta locations.
    reference = ('<p class="review-back"><a href="../" data-pagefind-meta="result_title[data-search-title]" '
                 'data-search-title="References: Denosumab and immunity">back</a></p>')
    pages = {"all/index.html": "<h1>All reviews</h1><p>Denosumab and immunity, osteoclast</p>",
             "by-keyword/index.html": "<h1>By keyword</h1><p>immunity osteoclast</p>",
             "r/index.html": "<h1>Denosumab and immunity</h1><p>RANKL osteoclast</p>",
             "r/references/index.html": f"{reference}<h1>References</h1><p>osteoclast immunity</p>",
             "s/index.html": '<h1 data-pagefind-meta="zeta">Zeta field</h1><p>immunity words</p>'}
    whole = _pagefind(pages, tmp_path / "whole")
    groups = [["all/index.html", "by-keyword/index.html"], ["r/index.html", "r/references/index.html"],
              ["s/index.html"]]
    parts = [_pagefind({path: pages[path] for path in group}, tmp_path / f"part{n}") for n, group in enumerate(groups)]
    fields = [_cbor(next(part.glob("*.pf_meta")))[5] for part in parts]
    assert fields == [["title"], ["result_title", "title"], ["title", "zeta"]]  # the case this test is for
    merge_bundles(parts, tmp_path / "merged", int(search_index.CHUNK_SIZE))
    expected, merged = _reader_view(whole), _reader_view(tmp_path / "merged")
    assert expected["version and meta fields"][1][2] == ["result_title", "title", "zeta"]
    for part in expected:
        assert merged[part] == expected[part], f"{part} differ"


def test_bundles_of_a_pagefind_release_the_merge_does_not_know_are_not_merged(tmp_path):
    pages = {"a/index.html": "<p>alpha</p>", "b/index.html": "<p>beta</p>"}
    parts = [_pagefind({path: article}, tmp_path / path.split("/")[0]) for path, article in pages.items()]
    merge_bundles(parts, tmp_path / "merged", int(search_index.CHUNK_SIZE))  # the installed release is known
    for part in parts:  # both from one newer release, as after an upgrade
        entry_file = part / "pagefind-entry.json"
        entry = json.loads(entry_file.read_text(encoding="utf-8"))
        entry_file.write_text(json.dumps({**entry, "version": "1.6.0"}), encoding="utf-8")
    with pytest.raises(NotMergeable, match="1.6.0"):
        merge_bundles(parts, tmp_path / "merged-again", int(search_index.CHUNK_SIZE))


def test_many_chunks_merge_at_the_same_boundaries(tmp_path):
    # Small chunks, so the merged words are cut into chunks, and named in the metadata, where Pagefind cuts them.
    # Words of a title count twice (their places in the text and in the title): the cuts must count them so too.
    pages = {f"{n}/index.html": "<h1>" + " ".join(f"w{n * 7 + k}x" for k in range(800)) + "</h1><p>"
             + " ".join(f"w{n * 7 + k}x common" for k in range(2000)) + "</p>" for n in range(4)}
    whole = _pagefind(pages, tmp_path / "whole")
    parts = [_pagefind(dict(list(pages.items())[n:n + 2]), tmp_path / f"part{n}") for n in (0, 2)]
    merge_bundles(parts, tmp_path / "merged", int(search_index.CHUNK_SIZE))
    expected, merged = _reader_view(whole), _reader_view(tmp_path / "merged")
    assert len(expected["chunks"]) > 3
    for part in expected:
        assert merged[part] == expected[part], f"{part} differ"


def test_other_spellings_do_not_count_towards_a_chunks_size(tmp_path):
    # Pagefind cuts chunks by the places of a word's own pages only: 8,000 pages of accented spellings, one chunk.
    pages = {f"{n}/index.html": "<p>" + " ".join(f"wé{n * 7 + k}x café{k % 50}" for k in range(2000)) + "</p>"
             for n in range(4)}
    whole = _pagefind(pages, tmp_path / "whole")
    parts = [_pagefind(dict(list(pages.items())[n:n + 2]), tmp_path / f"part{n}") for n in (0, 2)]
    merge_bundles(parts, tmp_path / "merged", int(search_index.CHUNK_SIZE))
    expected, merged = _reader_view(whole), _reader_view(tmp_path / "merged")
    assert sum(len(found) for _, spellings in expected["words"].values() for found in spellings.values()) >= 8000
    for part in expected:
        assert merged[part] == expected[part], f"{part} differ"


def test_a_shard_that_cannot_be_merged_is_indexed_in_one_run(sites, tmp_path, monkeypatch):
    whole, batched = sites
    ShardedIndex(tmp_path / "cache-whole").update(whole, _run)
    monkeypatch.setattr(search_index, "PAGES_PER_RUN", 2)

    def refuse(*args):
        raise NotMergeable("filters")

    monkeypatch.setattr(search_index, "merge_bundles", refuse)
    counts, counting = _pages_per_run(monkeypatch)
    ShardedIndex(tmp_path / "cache-batched").update(batched, counting)
    assert max(counts) > 2  # the shards with more pages than a batch were indexed again, whole
    for name, bundle in _bundles(whole).items():
        assert _reader_view(_bundles(batched)[name]) == _reader_view(bundle)


def test_a_rebuild_need_not_wait_for_a_merge(site_copy, tmp_path, monkeypatch):
    # serve: a rebuild cancels the indexing under way; the merge, pure Python, stops at its next chunk.
    monkeypatch.setattr(search_index, "PAGES_PER_RUN", 2)
    cancelled, original = [], search_index.merge_bundles

    def cancel_then_merge(*args):
        cancelled.append(True)
        return original(*args)

    monkeypatch.setattr(search_index, "merge_bundles", cancel_then_merge)
    published = {path: path.read_bytes() for path in (site_copy / BUNDLE).rglob("*") if path.is_file()}
    index = ShardedIndex(tmp_path / "cache")
    with pytest.raises(Cancelled):
        index.update(site_copy, _run, cancelled=lambda: bool(cancelled))
    assert cancelled == [True]  # the first merge stopped: no other was started
    assert list(index.folder.glob("*/pagefind-entry.json")) == []  # the first shard, 00, has 5 pages or more
    assert {path: path.read_bytes() for path in (site_copy / BUNDLE).rglob("*") if path.is_file()} == published
