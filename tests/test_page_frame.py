"""What Material's frame carries on every page, cut to what is read (issue 16, overrides/ and search.js)."""

from __future__ import annotations

import json
import re

import yaml

from conftest import REVIEW_ID, ROOT

SEARCH_JS = ROOT / "docs" / "javascripts" / "search.js"


def page_config(html: str) -> dict:
    return json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', html, re.S).group(1))


def test_the_page_config_carries_only_what_material_and_search_js_read(built_site):
    html = (built_site / "reviews" / REVIEW_ID / "index.html").read_text(encoding="utf-8")
    config = page_config(html)
    assert set(config) == {"base", "features", "translations"}
    assert config["base"] == "../.." and "navigation.instant" in config["features"]
    read = set(re.findall(r'\bt\("([^"]+)"', SEARCH_JS.read_text(encoding="utf-8")))
    assert set(config["translations"]) == read
    assert config["translations"]["search.result.other"] == "# matching documents"  # the language's words


def test_mkdocs_yml_sets_nothing_the_cut_page_config_would_drop():
    # overrides/main.html's config block leaves out Material's annotate, tags and version: fine while unset.
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    settings = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    assert not {"annotate", "tags", "version"} & set(settings.get("extra") or {})


def test_pages_carry_the_search_button_and_search_js_builds_the_dialog(built_site):
    for page in ("index.html", "references/index.html"):
        html = (built_site / "reviews" / REVIEW_ID / page).read_text(encoding="utf-8")
        assert re.search(r'<label class="md-header__button md-icon" for="__search">\s*<svg', html), page
        assert "md-search" not in html and "data-reviewsite-search" not in html, page
    script = SEARCH_JS.read_text(encoding="utf-8")
    for built in ('class="md-search" data-reviewsite-search="dialog" role="dialog" aria-label="',
                  'role="status" data-reviewsite-search="meta"', 'data-reviewsite-search="results"'):
        assert built in script
