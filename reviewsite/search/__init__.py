"""The site search index: Pagefind bundles, one per shard of pages, kept in `.cache/search/` and re-indexed only
when their pages change (`index.py`); which page goes to which shard (`shards.py`)."""
