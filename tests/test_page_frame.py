"""What Material's frame carries on every page, cut to what is read (issue 16, overrides/ and search.js)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import material
import yaml

from conftest import REVIEW_ID, ROOT

SEARCH_JS = ROOT / "docs" / "javascripts" / "search.js"


class _Loader(yaml.SafeLoader):
    """mkdocs.yml's own tags (!ENV) read as nothing."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def page_config(html: str) -> dict:
    return json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', html, re.S).group(1))


def test_the_page_config_carries_only_what_material_and_search_js_read(built_site):
    html = (built_site / "reviews" / REVIEW_ID / "index.html").read_text(encoding="utf-8")
    config = page_config(html)
    assert set(config) == {"base", "features", "translations"}
    settings = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    assert config["base"] == "../.." and config["features"] == settings["theme"]["features"]
    read = set(re.findall(r'\bt\("([^"]+)"', SEARCH_JS.read_text(encoding="utf-8")))
    assert set(config["translations"]) == read
    assert config["translations"]["search.result.other"] == "# matching documents"  # the language's words


def test_mkdocs_yml_sets_nothing_the_cut_page_config_would_drop():
    # overrides/main.html's config block leaves out Material's annotate, tags and version: fine while unset.
    settings = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
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


MATERIAL_SCRIPTS = Path(material.__file__).parent / "templates" / "partials" / "javascripts"
PALETTE_JS = ROOT / "overrides" / "assets" / "javascripts" / "palette.js"


def inline_script(partial: str) -> str:
    line = (MATERIAL_SCRIPTS / partial).read_text(encoding="utf-8").splitlines()[3]
    return re.fullmatch(r"<script>(.*)</script>", line).group(1)


def test_palette_js_is_material_s_two_inline_scripts_with_the_scope_from_its_own_address():
    code = [line for line in PALETTE_JS.read_text(encoding="utf-8").splitlines() if not line.startswith((" ", "/*"))]
    scope = 'new URL("{{ config.extra.scope | d(base_url) }}",location)'
    assert code == [inline_script("base.html").replace(scope, 'new URL("../..",document.currentScript.src)') + ";",
                    inline_script("palette.html")]


def test_pages_load_palette_js_in_the_header_and_nothing_reads_md_storage_before_it(built_site):
    settings_palette = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)["theme"]["palette"]
    assert settings_palette  # Material's header includes the palette partial, which loads the file, only then
    assert (built_site / "assets" / "javascripts" / "palette.js").read_bytes() == PALETTE_JS.read_bytes()
    for page in ("index.html", "references/index.html"):
        html = (built_site / "reviews" / REVIEW_ID / page).read_text(encoding="utf-8")
        at = re.search(r'<script src="(\.\./)+assets/javascripts/palette\.js"></script>', html).start()
        assert html.index('data-md-component="palette"') < at < html.index('class="md-container"'), page
        assert "__md_" not in html, page  # Material's inline helpers and palette script are gone


def test_material_s_content_tab_script_is_left_out_without_content_tabs(built_site):
    html = (built_site / "reviews" / REVIEW_ID / "index.html").read_text(encoding="utf-8")
    assert "__tabbed_" not in html and "<article" in html
