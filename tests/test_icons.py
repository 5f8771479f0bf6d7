"""Material's icons drawn from one file, assets/icons.svg, instead of inline on every page (issue 16).

overrides/.icons/ replaces Material's icon files of the same name: each is an `<svg>` that uses a symbol of
overrides/assets/icons.svg, whose path is Material's own, so the header looks and works as before (screenshots
compared, desktop and phone, light and dark) with about 2 KB less per page; the menu and back-to-top icons
another 0.3 KB (branch frame). The search dialog, built by overrides/javascripts/search.js, draws its icons from it too.
"""

from __future__ import annotations

import re
from pathlib import Path

import material

from conftest import REVIEW_ID, ROOT

MATERIAL_ICONS = Path(material.__file__).parent / "templates" / ".icons"
OVERRIDES = ROOT / "overrides" / ".icons"
SPRITE = ROOT / "overrides" / "assets" / "icons.svg"
SVG = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" viewBox="([^"]+)">(.*)</svg>\s*', re.S)


def overridden() -> list[str]:
    return sorted(str(p.relative_to(OVERRIDES).with_suffix("")) for p in OVERRIDES.rglob("*.svg"))


def test_each_overridden_icon_is_material_s_own_drawn_from_the_sprite():
    sprite = SPRITE.read_text(encoding="utf-8")
    symbols = dict(re.findall(r'<symbol id="([^"]+)" (viewBox="[^"]+">.*?)</symbol>', sprite, re.S))
    assert overridden() and set(symbols) == {name.replace("/", "-") for name in overridden()}
    for name in overridden():
        viewbox, drawing = SVG.fullmatch((MATERIAL_ICONS / f"{name}.svg").read_text(encoding="utf-8")).groups()
        ident = name.replace("/", "-")
        assert symbols[ident] == f'viewBox="{viewbox}">{drawing}', name  # Material's path, unchanged
        override = (OVERRIDES / f"{name}.svg").read_text(encoding="utf-8")
        use = f'<use xlink:href="{{{{ \'assets/icons.svg\' | url }}}}#{ident}"/>'
        assert f'<svg viewBox="{viewbox}">{use}</svg>' in override


def test_built_pages_use_the_sprite_and_it_is_published(built_site):
    page = (built_site / "reviews" / REVIEW_ID / "references" / "index.html").read_text(encoding="utf-8")
    assert (built_site / "assets" / "icons.svg").read_text(encoding="utf-8") == SPRITE.read_text(encoding="utf-8")
    used = re.findall(r'<use xlink:href="../../../assets/icons.svg#([^"]+)"/>', page)
    assert {"material-library", "material-magnify", "material-menu", "material-arrow-up"} <= set(used)
    # The colour scheme toggle's icons come with the toggle, from assets/javascripts/palette.js.
    toggle = (built_site / "assets" / "javascripts" / "palette.js").read_text(encoding="utf-8")
    assert set(re.findall(r'xlink:href=\\"../../assets/icons.svg#([^"\\]+)\\"', toggle)) == {
        "material-weather-night", "material-weather-sunny"}
    for name in overridden():
        drawn = MATERIAL_ICONS.joinpath(f"{name}.svg").read_text(encoding="utf-8")
        assert SVG.fullmatch(drawn).group(2) not in page, name  # the path is in the sprite alone
    assert "<path" not in page  # no icon of the frame is drawn inline


def test_the_search_dialog_s_icons_are_in_the_sprite():
    # overrides/javascripts/search.js draws the dialog's back arrow and clear button from the sprite.
    script = (ROOT / "overrides" / "javascripts" / "search.js").read_text(encoding="utf-8")
    used = set(re.findall(r'icon\("([^"]+)"\)', script))
    assert used >= {"material-arrow-left", "material-close"}
    assert used <= {name.replace("/", "-") for name in overridden()}
