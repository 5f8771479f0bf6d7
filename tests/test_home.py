"""The home page's list of reviews: bounded, newest publication first, with a link to the table of all of them.

The reviews are the synthetic ones of tests/test_collection.py, copied under other ids, titles and dates.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import PurePosixPath

from reviewsite.model import PartialDate
from reviewsite.site.collection import Collection
from reviewsite.site.home import RECENT_ON_HOME, home_list, newest_first
from reviewsite.site.render import make_environment, render_collection_pages
from tests.test_collection import _views, collection_project  # noqa: F401 - a fixture


def _entry(model, review_id: str, title: str, issued: PartialDate | None):
    return dataclasses.replace(model, id=review_id, title=title, page_url=f"reviews/{review_id}/", issued=issued)


def test_newest_publication_comes_first_and_ties_are_settled_by_title_then_id(collection_project):  # noqa: F811
    model = Collection(_views(collection_project)).views[0]
    entries = [
        _entry(model, "z-undated", "Alpha", None),
        _entry(model, "year-only", "Beta", PartialDate(2020)),
        _entry(model, "june-day", "Gamma", PartialDate(2020, 6, 3)),
        _entry(model, "june", "Delta", PartialDate(2020, 6)),
        _entry(model, "older", "Epsilon", PartialDate(2019, 12, 31)),
        _entry(model, "tie-b", "same title", PartialDate(2018)),
        _entry(model, "tie-a", "Same title", PartialDate(2018)),
        _entry(model, "title-first", "Another title", PartialDate(2018)),
    ]
    shown = home_list(reversed(entries), limit=len(entries)).reviews
    assert [e.id for e in shown] == ["june-day", "june", "year-only", "older", "title-first", "tie-a", "tie-b",
                                     "z-undated"]
    assert sorted(entries, key=newest_first) == list(shown)


def test_the_list_is_bounded_and_says_how_many_there_are_in_all(collection_project):  # noqa: F811
    model = Collection(_views(collection_project)).views[0]
    many = [_entry(model, f"r-{i:03d}", f"Review {i}", PartialDate(1990 + i % 30, 1 + i % 12)) for i in range(45)]
    home = home_list(many)
    assert len(home.reviews) == RECENT_ON_HOME == 20
    assert home.total == 45 and home.all_label == "All 45 reviews"
    assert home.heading == "Most recent reviews" and "20 most recently published of 45 reviews" in home.lead
    assert all(newest_first(shown) <= newest_first(other) for shown in home.reviews
               for other in many if other not in home.reviews)
    # At or under the bound, every review is listed, in the same order.
    few = home_list(many[:RECENT_ON_HOME])
    assert len(few.reviews) == RECENT_ON_HOME and few.heading == "Reviews"
    assert few.lead == "The 20 reviews of this site, newest first."
    assert home_list(many[:1]).lead == "The one review of this site so far."
    assert home_list(many[:1]).all_label == "All reviews"
    empty = home_list([])
    assert empty.reviews == () and empty.lead == "No review is published here yet."


def test_the_home_page_stays_short_and_the_all_page_lists_every_review(collection_project):  # noqa: F811
    model = Collection(_views(collection_project)).views[0]
    many = [_entry(model, f"r-{i:03d}", f"Review {i}", PartialDate(2000 + i)) for i in range(RECENT_ON_HOME + 5)]
    collection = Collection(many)
    pages = render_collection_pages(make_environment(collection_project.templates_dir), collection.views,
                                    collection, {})
    home = pages[PurePosixPath("index.md")]
    listed = re.findall(r'<li><a href="reviews/([^"]+)/">', home)
    assert listed == [f"r-{i:03d}" for i in range(RECENT_ON_HOME + 4, 4, -1)]  # the 20 newest, newest first
    assert '<a href="reviews/all/">All 25 reviews</a>' in home
    everything = pages[PurePosixPath("reviews/all.md")]
    assert re.findall(r'<tr><td><a href="\.\./([^"]+)/">', everything) == [e.id for e in many]

