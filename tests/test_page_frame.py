"""What Material's frame carries on every page, cut to what is read (issue 16, overrides/ and search.js)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
import material
import yaml

from conftest import REVIEW_ID, ROOT

SEARCH_JS = ROOT / "overrides" / "javascripts" / "search.js"  # rendered into <site>/javascripts/search.js


class _Loader(yaml.SafeLoader):
    """mkdocs.yml's own tags (!ENV) read as nothing."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def page_config(html: str) -> dict:
    return json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', html, re.S).group(1))


def test_the_page_config_carries_only_what_material_and_search_js_read(built_site):
    html = (built_site / "reviews" / REVIEW_ID / "index.html").read_text(encoding="utf-8")
    config = page_config(html)
    assert set(config) == {"base", "features"}
    settings = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    assert config["base"] == "../.." and config["features"] == settings["theme"]["features"]


def test_search_js_comes_with_its_words_in_the_site_s_language(built_site):
    # Not in every page's __config: the build writes them into the script, each word search.js looks up.
    script = (built_site / "javascripts" / "search.js").read_text(encoding="utf-8")
    words = json.loads(re.search(r"^  var translations = (\{.*\});$", script, re.M).group(1))
    assert set(words) == set(re.findall(r'\bt\("([^"]+)"', SEARCH_JS.read_text(encoding="utf-8")))
    english = (Path(material.__file__).parent / "templates" / "partials" / "languages" / "en.html").read_text(
        encoding="utf-8")
    for key, word in words.items():
        assert f'"{key}": "{word}"' in english, key  # Material's words for the site's language (en)
    assert words["search.result.other"] == "# matching documents"


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


MATERIAL_PARTIALS = Path(material.__file__).parent / "templates" / "partials"
MATERIAL_SCRIPTS = MATERIAL_PARTIALS / "javascripts"
PALETTE_JS = ROOT / "overrides" / "assets" / "javascripts" / "palette.js"
PALETTE_FORM = ROOT / "overrides" / "partials" / "palette-form.html"


def inline_script(partial: str) -> str:
    line = (MATERIAL_SCRIPTS / partial).read_text(encoding="utf-8").splitlines()[3]
    return re.fullmatch(r"<script>(.*)</script>", line).group(1)


def built_palette_js(site: Path) -> list[str]:
    """The lines of code (not the comment) of palette.js as the build renders it."""
    text = (site / "assets" / "javascripts" / "palette.js").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if not line.startswith((" ", "/*"))]


def settings_palette() -> list[dict]:
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)["theme"]["palette"]


def test_palette_js_is_material_s_two_inline_scripts_with_the_scope_from_its_own_address(built_site):
    helpers, toggle, palette = built_palette_js(built_site)
    scope = 'new URL("{{ config.extra.scope | d(base_url) }}",location)'
    assert helpers == inline_script("base.html").replace(scope, 'new URL("../..",document.currentScript.src)') + ";"
    assert palette == inline_script("palette.html")
    assert toggle.startswith("(function(){") and "document.currentScript.before(" in toggle


def test_the_toggle_s_markup_is_material_s_own_partial():
    ours = PALETTE_FORM.read_text(encoding="utf-8")
    material_s = (MATERIAL_PARTIALS / "palette.html").read_text(encoding="utf-8")
    assert ours.split("-#}\n", 1)[1] == material_s.split("-#}\n", 1)[1]


def test_palette_js_carries_the_toggle_of_mkdocs_yml_s_palette(built_site):
    # The markup Material's header wrote into every page, from mkdocs.yml: an input per scheme, with a button
    # (label) to the next scheme; its icon's address relative to palette.js, which resolves it.
    toggle = built_palette_js(built_site)[1]
    markup = json.loads(re.search(r'toggle\.innerHTML=("(?:[^"\\]|\\.)*");', toggle).group(1))
    form = lxml.html.fragment_fromstring(markup)
    assert form.tag == "form" and form.get("data-md-component") == "palette"
    inputs, labels = form.findall("input"), form.findall("label")
    palette = settings_palette()
    assert len(inputs) == len(labels) == len(palette) == 2
    for index, (option, element, label) in enumerate(zip(palette, inputs, labels, strict=True)):
        assert {name: element.get(f"data-md-color-{name}") for name in ("media", "scheme", "primary", "accent")} \
            == {name: option[name] for name in ("media", "scheme", "primary", "accent")}
        assert element.get("type") == "radio" and element.get("id") == f"__palette_{index}"
        assert element.get("aria-label") == label.get("title") == option["toggle"]["name"]
        assert label.get("for") == f"__palette_{(index + 1) % len(palette)}" and label.get("hidden") is not None
        icon = option["toggle"]["icon"].replace("/", "-")
        address = urljoin("https://example.org/assets/javascripts/palette.js", label.find("svg/use").get("xlink:href"))
        assert address == f"https://example.org/assets/icons.svg#{icon}"


def test_pages_load_palette_js_in_the_header_and_carry_no_toggle(built_site):
    assert settings_palette()  # Material's header includes the palette partials, which load the file, only then
    for page in ("index.html", "references/index.html"):
        html = (built_site / "reviews" / REVIEW_ID / page).read_text(encoding="utf-8")
        at = re.search(r'<script src="(\.\./)+assets/javascripts/palette\.js"></script>', html).start()
        assert html.index('class="md-header__title"') < at < html.index('for="__search"'), page
        assert "__md_" not in html, page  # Material's inline helpers and palette script are gone
        assert "__palette" not in html and 'data-md-component="palette"' not in html, page  # so is the toggle


def test_material_s_content_tab_script_is_left_out_without_content_tabs(built_site):
    html = (built_site / "reviews" / REVIEW_ID / "index.html").read_text(encoding="utf-8")
    assert "__tabbed_" not in html and "<article" in html


def test_the_scripts_rendered_at_build_are_published_with_no_template_syntax_left(built_site):
    # mkdocs.yml's theme.static_templates: MkDocs renders them instead of copying the theme's file.
    for script in ("assets/javascripts/palette.js", "javascripts/search.js"):
        text = (built_site / script).read_text(encoding="utf-8")
        assert not re.search(r"\{[{%#]", text), script
