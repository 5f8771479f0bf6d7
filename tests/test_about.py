"""The About page: it lists each review's sources for a small collection, and past the home page's bound it
points to the review pages (each lists its own sources) instead of growing with the collection."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from reviewsite.model import PartialDate
from reviewsite.site.collection import Collection
from reviewsite.site.home import RECENT_ON_HOME
from reviewsite.site.render import make_environment, render_collection_pages
from tests.test_collection import _views, collection_project  # noqa: F401 - a fixture
from tests.test_home import _entry


def _about(project, count: int) -> str:
    model = Collection(_views(project)).views[0]
    many = [_entry(model, f"r-{i:03d}", f"Review {i}", PartialDate(2000 + i)) for i in range(count)]
    collection = Collection(many)
    pages = render_collection_pages(make_environment(project.templates_dir), collection.views, collection, {})
    return pages[PurePosixPath("about.md")]


def test_a_small_collection_has_every_reviews_sources_on_the_about_page(collection_project):  # noqa: F811
    about = _about(collection_project, RECENT_ON_HOME)
    sections = re.findall(r'<h3 id="sources-([^"]+)"><a href="\.\./reviews/\1/">', about)
    assert sections == [f"r-{i:03d}" for i in range(RECENT_ON_HOME)]
    model = Collection(_views(collection_project)).views[0]
    for source in model.sources:  # each review here has the model's sources
        assert about.count(f'<li><a href="{source.url}">') == RECENT_ON_HOME
    assert "reviews/all/" not in about


def test_past_the_bound_the_about_page_stays_the_same_size(collection_project):  # noqa: F811
    larger = _about(collection_project, RECENT_ON_HOME + 1)
    assert "sources-r-" not in larger and 'class="review-sources"' not in larger
    assert f'<a href="../reviews/all/">{RECENT_ON_HOME + 1} reviews</a>' in larger
    assert "Each review's page lists its sources under **Sources**" in larger
    much_larger = _about(collection_project, RECENT_ON_HOME + 30)
    assert len(much_larger) == len(larger)  # only the count differs, by no character
