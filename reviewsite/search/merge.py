"""One Pagefind bundle from several, so that a shard's pages can be indexed in bounded batches.

Pagefind holds every distinct word of the pages it is given in memory, about 1 KB each (measured with Pagefind
1.5.2: 50,000 distinct words on one page 51 MB, 1,000 distinct words 15 MB), and a review's reference list brings
hundreds of words no other review has (authors' names). So one Pagefind run over a shard grew with the shard: 110 MB
for the 130 pages of a shard at 1000 reviews, 1 GB at 10,000. Indexing a shard in batches of a bounded number of
pages and merging the batches' bundles here keeps Pagefind's memory bounded whatever the number of reviews, while the
reader still fetches one bundle per shard: the merged bundle is what one Pagefind run writes for the batches' pages
(the same words, postings, page metadata and fragments), with the pages numbered batch after batch.

The merge streams: the batches' word lists are sorted, so it reads one index chunk per batch at a time.

Pagefind's files, as 1.5.2 writes them: gzip of b"pagefind_dcd" + CBOR (definite lengths, shortest integers).
- `pagefind.<lang>_<10 hex>.pf_meta`: [version, [[fragment, word count] per page], [[from, to, chunk] per chunk],
  filters, sorts, meta fields]; the name is the SHA-1 of its CBOR.
- `index/<lang>_<7 hex>.pf_index`: [[[word, pages, [[spelling, pages] per other spelling]] per word]], the words
  sorted; pages are [[page, locations, meta locations] per page], each page number the difference from the one
  before (the first from 0); meta locations name each metadata field as -(its place in meta fields + 1), followed
  by the word's places in it.
- `fragment/*.pf_fragment`: one per page, independent of the others (copied).
- `pagefind-entry.json`: the version, and per language its meta's name and page count.
"""

from __future__ import annotations

import gzip
import hashlib
import heapq
import itertools
import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"


# The Pagefind releases whose files this merge was written against and tested on (tests/test_search_merge.py
# compares with their own one-run output). Another release may keep the layout but change what a field means, so
# its bundles are not merged: the shard is indexed in one run instead (index.py).
KNOWN_VERSIONS = frozenset({"1.5.2"})


class NotMergeable(Exception):
    """The bundles hold something this merge does not know how to combine (filters, sorts, several languages)."""


# CBOR, the subset Pagefind writes: integers, text, byte strings, arrays, maps.
def _decode(data: bytes, at: int = 0):
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if info < 24:
        value = info
    elif info <= 27:
        size = 1 << (info - 24)
        value = int.from_bytes(data[at:at + size], "big")
        at += size
    else:
        raise NotMergeable(f"unexpected CBOR item {head:#x}")
    if major == 0:
        return value, at
    if major == 1:
        return -1 - value, at
    if major == 2:
        return bytes(data[at:at + value]), at + value
    if major == 3:
        return data[at:at + value].decode("utf-8"), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    raise NotMergeable(f"unexpected CBOR item {head:#x}")


def _head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | info]) + value.to_bytes(size, "big")
    raise ValueError(value)


def _encode(value, out: bytearray) -> None:
    if isinstance(value, int):
        out += _head(0, value) if value >= 0 else _head(1, -1 - value)
    elif isinstance(value, str):
        encoded = value.encode("utf-8")
        out += _head(3, len(encoded)) + encoded
    elif isinstance(value, bytes):
        out += _head(2, len(value)) + value
    elif isinstance(value, list):
        out += _head(4, len(value))
        for item in value:
            _encode(item, out)
    else:
        raise TypeError(type(value))


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise NotMergeable(f"{path} is not a Pagefind file")
    return _decode(data, len(SIGNATURE))[0]


def _write(folder: Path, prefix: str, body: bytes, hex_digits: int, suffix: str, taken: set[str]) -> str:
    """Write CBOR as Pagefind does, named by its SHA-1 (longer if the short name is taken)."""
    digest = hashlib.sha1(body).hexdigest()
    length = hex_digits
    while f"{prefix}{digest[:length]}" in taken and length < len(digest):
        length += 1
    name = f"{prefix}{digest[:length]}"
    taken.add(name)
    # mtime 0: the same bundle gives the same bytes
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(SIGNATURE + bytes(body), compresslevel=6, mtime=0))
    return name


def _language(bundle: Path) -> tuple[str, dict, list]:
    entry = json.loads((bundle / ENTRY).read_text(encoding="utf-8"))
    if entry.get("version") not in KNOWN_VERSIONS:
        raise NotMergeable(f"{bundle} was written by Pagefind {entry.get('version')}, whose files this merge "
                           "does not know")
    if len(entry["languages"]) != 1:
        raise NotMergeable(f"{bundle} has {len(entry['languages'])} languages")
    [(language, described)] = entry["languages"].items()
    meta = _read(bundle / f"pagefind.{described['hash']}.pf_meta")
    if len(meta) != 6 or meta[3] or meta[4]:
        raise NotMergeable(f"{bundle}'s metadata has filters, sorts or an unknown shape")
    return language, entry, meta


# Bytes each CBOR integer takes by its first byte (0: not an integer): locations are copied, not decoded.
_INTEGER_SIZE = bytes(0 if head >> 5 > 1 or head & 31 > 27 else 1 + {24: 1, 25: 2, 26: 4, 27: 8}.get(head & 31, 0)
                      for head in range(256))


def _length(data: bytes, at: int, major: int) -> tuple[int, int]:
    """The length of the array (major 4) or text (3) starting at `at`, and where its content starts."""
    if data[at] >> 5 != major:
        raise NotMergeable(f"unexpected CBOR item {data[at]:#x}")
    info = data[at] & 31
    if info < 24:
        return info, at + 1
    size = 1 << (info - 24)
    return int.from_bytes(data[at + 1:at + 1 + size], "big"), at + 1 + size


def _expect(data: bytes, at: int, head: int) -> int:
    if data[at] != head:
        raise NotMergeable(f"unexpected CBOR item {data[at]:#x}")
    return at + 1


def _integers_end(data: bytes, at: int) -> int:
    """Where the array of integers at `at` ends."""
    count, at = _length(data, at, 4)
    for _ in range(count):
        step = _INTEGER_SIZE[data[at]]
        if not step:
            raise NotMergeable(f"unexpected CBOR item {data[at]:#x}")
        at += step
    return at


def _pages(data: bytes, at: int, offset: int, fields: list[int] | None = None) -> tuple[list, int]:
    """A word's pages: (page number + offset, its locations as CBOR, Pagefind's count of them). `fields`, when
    given, is the merged bundle's number of each of this bundle's metadata fields: the meta locations name their
    field by its number, as -(number + 1) before the field's positions."""
    count, at = _length(data, at, 4)
    pages, number = [], 0
    for _ in range(count):
        at = _expect(data, at, 0x83)
        delta, at = _decode(data, at)
        start = at
        locations, _ = _length(data, at, 4)
        at = _integers_end(data, at)
        meta_start = at
        meta_locations, _ = _length(data, at, 4)
        at = _integers_end(data, at)
        number += delta
        if fields is None:
            encoded = data[start:at]
        else:
            marked, _ = _decode(data, meta_start)
            renumbered = bytearray(data[start:meta_start])
            _encode([-fields[-1 - place] - 1 if place < 0 else place for place in marked], renumbered)
            encoded = bytes(renumbered)
        pages.append((number + offset, encoded, locations + meta_locations + 1))
    return pages, at


def _encode_pages(pages: list) -> bytes:
    out, previous = bytearray(_head(4, len(pages))), 0
    for number, locations, _ in pages:
        out += b"\x83" + _head(0, number - previous) + locations
        previous = number
    return bytes(out)


def _words(bundle: Path, meta: list, offset: int, fields: list[int] | None) -> Iterator[tuple[str, list, list]]:
    """A bundle's words in order: (word, its pages, [(other spelling, its pages)]), page numbers + offset, metadata
    fields renumbered by `fields` (see _pages)."""
    for _, _, chunk in meta[2]:
        data = gzip.decompress((bundle / "index" / f"{chunk}.pf_index").read_bytes())
        if not data.startswith(SIGNATURE):
            raise NotMergeable(f"{bundle / chunk} is not a Pagefind index chunk")
        at = _expect(data, len(SIGNATURE), 0x81)
        count, at = _length(data, at, 4)
        for _ in range(count):
            at = _expect(data, at, 0x83)
            word, at = _decode(data, at)
            pages, at = _pages(data, at, offset, fields)
            spellings, at = _length(data, at, 4)
            variants = []
            for _ in range(spellings):
                at = _expect(data, at, 0x82)
                spelling, at = _decode(data, at)
                found, at = _pages(data, at, offset, fields)
                variants.append((spelling, found))
            yield word, pages, variants


def _prefixes(before: str, after: str) -> tuple[str, str]:
    """The shortest prefixes that still tell two neighbouring chunks' boundary words apart (as Pagefind names
    its chunks' ranges in the metadata)."""
    common = 0
    for a, b in zip(after, before, strict=False):
        if a != b:
            break
        common += 1
    return before[:common + 1], after[:common + 1]


def merge_bundles(bundles: list[Path], output: Path, chunk_size: int,
                  check: Callable[[], None] = lambda: None) -> None:
    """Write into `output` (a new folder) the bundle one Pagefind run writes for the pages of `bundles` together,
    their pages numbered in the order of `bundles`. Raises NotMergeable, or what `check` raises (it is called
    between two chunks: a rebuild in `serve` need not wait for the merge); `output` is then incomplete."""
    parts = [_language(bundle) for bundle in bundles]
    language, entry, first_meta = parts[0]
    for other_language, other_entry, other_meta in parts[1:]:
        if (other_language, other_entry["version"], other_meta[0]) != (language, entry["version"], first_meta[0]):
            raise NotMergeable("the bundles differ in language or version")
    # The metadata fields whose words are indexed (a page's title, a references page's result_title): Pagefind
    # lists those its pages have, sorted, and the index names them by their place in that list. A batch whose
    # pages lack one (a collection page has no result_title) numbers the others differently, so its meta
    # locations are renumbered into the merged list.
    for _, _, meta in parts:
        if meta[5] != sorted(set(meta[5])):
            raise NotMergeable("a batch's metadata fields are not listed in order")
    fields = sorted({name for _, _, meta in parts for name in meta[5]})
    # None where a batch's numbers are already the merged ones (its fields begin the merged list, or it has none):
    # its locations are copied as they are.
    renumbering = [None if meta[5] == fields[:len(meta[5])] else [fields.index(name) for name in meta[5]]
                   for _, _, meta in parts]
    (output / "index").mkdir(parents=True)
    (output / "fragment").mkdir()
    for name in os.listdir(bundles[0]):  # Pagefind's script, worker and wasm: the same in every bundle
        if (bundles[0] / name).is_file() and name != ENTRY and not name.endswith(".pf_meta"):
            shutil.copy2(bundles[0] / name, output / name)
    pages: list[list] = []
    streams = []
    for place, (bundle, (_, _, meta), renumbered) in enumerate(zip(bundles, parts, renumbering, strict=True)):
        streams.append(((word, place, postings, variants)
                        for word, postings, variants in _words(bundle, meta, len(pages), renumbered)))
        pages += meta[1]
        for fragment, _ in meta[1]:
            target = output / "fragment" / f"{fragment}.pf_fragment"
            if target.exists():  # Pagefind lengthens a name two pages share; this merge would have to as well
                raise NotMergeable(f"two batches have a fragment named {fragment}")
            shutil.copy2(bundle / "fragment" / f"{fragment}.pf_fragment", target)
    chunks: list[list] = []
    taken: set[str] = set()
    current: list = []
    size = 0
    merged = heapq.merge(*streams, key=lambda item: (item[0].encode("utf-8"), item[1]))

    def close() -> None:
        nonlocal current, size
        check()
        body = b"\x81" + _head(4, len(current)) + b"".join(encoded for _, encoded in current)
        name = _write(output / "index", f"{language}_", body, 7, ".pf_index", taken)
        chunks.append([current[0][0], current[-1][0], name])
        current, size = [], 0

    pending = None  # [word, pages, {spelling: pages}] of the word being gathered from the batches
    for word, _, postings, variants in itertools.chain(merged, [(None, None, None, None)]):
        if pending is not None and word == pending[0]:
            pending[1].extend(postings)
            for spelling, found in variants:  # first seen first, as Pagefind meets them page after page
                pending[2].setdefault(spelling, []).extend(found)
            continue
        if pending is not None:
            encoded = bytearray(b"\x83")
            _encode(pending[0], encoded)
            encoded += _encode_pages(pending[1]) + _head(4, len(pending[2]))
            for spelling, found in pending[2].items():
                encoded += b"\x82"
                _encode(spelling, encoded)
                encoded += _encode_pages(found)
            current.append((pending[0], bytes(encoded)))
            size += sum(page[2] for page in pending[1])  # as Pagefind counts: locations + 1 per page
            if size >= chunk_size:
                close()
        pending = None if word is None else [word, list(postings), dict(variants)]
    if current:
        close()
    for before, after in zip(chunks, chunks[1:], strict=False):
        shorter_to, after[0] = _prefixes(before[1], after[0])
        if shorter_to >= before[0]:  # as Pagefind: a range never ends before it starts
            before[1] = shorter_to
    meta = [first_meta[0], pages, chunks, [], [], fields]
    body = bytearray()
    _encode(meta, body)
    meta_name = _write(output, f"pagefind.{language}_", bytes(body), len(language) + 8, ".pf_meta", set())
    entry = {**entry, "languages": {language: {**entry["languages"][language],
                                                "hash": meta_name.removeprefix("pagefind."),
                                                "page_count": len(pages)}}}
    (output / ENTRY).write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
