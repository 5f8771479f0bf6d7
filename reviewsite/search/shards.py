"""Which search bundle ("shard") holds which page: a review's pages by a stable hash of its id; the site's own pages
(home, about, the collection's pages) with the reviews of shard 0, in the bundle served as site/pagefind/ itself.

The index is split so that an edit re-indexes only the bundles holding changed pages; a shard larger than one
Pagefind run may hold is indexed in batches merged into its one bundle (index.py, merge.py). The count is fixed, not
a function of the number of reviews, so a review never moves: a reader's first query fetches an entry, a metadata
file and about one index chunk per bundle, so more bundles cost every reader bytes and requests, and fewer cost
every edit time (an edit re-indexes 1/SHARD_COUNT of the reviews). Measured at 300 reviews (search bytes of a first
query, gzipped; one index: 108 KB): 8 shards 116-135 KB, 16 shards 128-147 KB, 32 shards 151-160 KB (with
index/CHUNK_SIZE). At 1000 reviews, 16 shards: 142-182 KB (one index: 116-122 KB), and an edit re-indexes in about
1.5 s what took 25 s, Pagefind at 123 MB instead of 1.6 GB.

Why the site's own pages share shard 0 instead of a bundle of their own: Pagefind ranks within each bundle, against
that bundle's average page length. Alone, the five long list pages (the home page names every review) were their
own average and outranked every review for a common word, and their large fragments slowed the first results
(N=1000, "synthetic": 0.8 s more). Among 60-odd reviews they rank as in one whole index. The cost: an edit that
changes a list page (a title, a year) re-indexes shard 0 as well as the edited review's shard.
"""

from __future__ import annotations

import hashlib

from .. import identifiers as ids

SHARD_COUNT = 16
SITE_PAGES_SHARD = 0  # the shard that also holds every page outside a review's folder
# The collection's own pages under reviews/: not a review's folder.
COLLECTION_PAGES = frozenset(ids.COLLECTION_PAGES)


def review_hash(review_id: str) -> int:
    """A review's place in every split of the collection, by its id alone: the same on every machine and in every
    run, whatever the other reviews are. The search bundles and a sharded build's jobs both take it modulo their
    count, so a build split into a divisor of SHARD_COUNT jobs gives each job whole search shards."""
    return int.from_bytes(hashlib.blake2b(review_id.encode("utf-8"), digest_size=8).digest(), "big")


def shard_of(review_id: str) -> int:
    """The search shard (0 to SHARD_COUNT - 1) of a review."""
    return review_hash(review_id) % SHARD_COUNT


def shard_name(shard: int) -> str:
    """The folder of a review shard's bundle under site/pagefind/."""
    return f"{shard:02d}"


HOME = shard_name(SITE_PAGES_SHARD)  # the bundle served as site/pagefind/, with Pagefind's script and wasm


def bundle_of_page(page: str) -> str:
    """The bundle of a page, by its path in the site (`reviews/<id>/references/index.html`): its review's shard,
    or HOME for a page outside any review's folder."""
    parts = page.split("/")
    if len(parts) >= 3 and parts[0] == "reviews" and parts[1] not in COLLECTION_PAGES:
        return shard_name(shard_of(parts[1]))
    return HOME
