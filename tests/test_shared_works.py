"""The collection's shared works (`Collection.citing`): exact, and found without holding every identifier."""

from __future__ import annotations

import tracemalloc
from types import SimpleNamespace

from reviewsite.site.collection import CitedWorks, Collection


def _collection(reviews: dict[str, list[str]]) -> Collection:
    collection = Collection([])
    collection.views = [SimpleNamespace(id=review_id, cited=CitedWorks.of(
        (number, (work,), f"citation {work}") for number, work in enumerate(works, 1)))
        for review_id, works in reviews.items()]
    return collection


def _citing_by_dict(reviews: dict[str, list[str]]) -> dict[str, list[str]]:
    citing: dict[str, list[str]] = {}
    for review_id, works in reviews.items():
        for work in works:
            ids = citing.setdefault(work, [])
            if review_id not in ids:
                ids.append(review_id)
    return {work: ids for work, ids in citing.items() if len(ids) > 1}


def test_the_shared_works_are_those_cited_by_more_than_one_review_in_order():
    reviews = {"a": ["doi:1", "doi:2", "doi:2", "pmid:3"], "b": ["doi:4", "doi:2"], "c": ["pmid:3", "doi:5", "doi:2"],
               "d": ["doi:6"], "e": []}
    assert _collection(reviews).citing == {"doi:2": ["a", "b", "c"], "pmid:3": ["a", "c"]}


def test_many_reviews_shared_works_are_found_exactly_without_a_dict_of_every_identifier():
    """One pass kept each identifier in a dict while the reviews were read: 12 KB per review at its peak."""
    reviews = {f"review-{r:03}": [f"doi:10.1/{r}.{n}" for n in range(100)] + [f"pmid:{r % 7}", f"doi:shared.{r % 50}"]
               for r in range(300)}
    collection = _collection(reviews)
    tracemalloc.start()
    try:
        citing = collection.citing
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert citing == _citing_by_dict(reviews) and len(citing) == 57
    assert peak < 600_000  # 30,600 identifiers: a dict of them all is about 2.5 MB
