"""axe-core on every page, in both colour schemes and at both sizes: zero violations, no rule disabled."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from .conftest import NODE_MODULES, VIEWPORTS, new_context, require_node_module

AXE = NODE_MODULES / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
SCHEMES = {"light": "default", "dark": "slate"}  # system preference -> Material's scheme
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


# Material fades colours when it applies the scheme after load; contrast measured mid-fade is noise.
SETTLED = """() => !document.body.hasAttribute('data-md-color-switching')
    && document.getAnimations().every(a => !(a instanceof CSSTransition) || a.playState !== 'running')"""


def run_axe(page) -> list[dict]:
    # Every caller (here and in test_reader.py) skips with the same reason when axe-core is not installed.
    axe = require_node_module(AXE)
    page.wait_for_function(SETTLED)
    page.add_script_tag(path=str(axe))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return result["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {json.dumps(node['target'])}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def axe_path():
    return require_node_module(AXE)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_no_axe_violations(served_site, browser, axe_path, viewport, scheme) -> None:
    context = new_context(browser, VIEWPORTS[viewport])
    page = context.new_page()
    page.emulate_media(color_scheme=scheme)  # Material follows the system scheme until the reader chooses
    found = {}
    for path in served_site.pages:
        page.goto(served_site.url(path), wait_until="networkidle")
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])
        violations = run_axe(page)
        if violations:
            found[path or "home"] = describe(violations)
    context.close()
    assert not found, "\n".join(f"--- {path}\n{text}" for path, text in found.items())


def test_axe_finds_a_violation(served_site, browser, axe_path) -> None:
    # The check must be able to fail: an image without a text alternative is one.
    context = new_context(browser, VIEWPORTS["desktop"])
    page = context.new_page()
    page.goto(served_site.url(""), wait_until="networkidle")
    page.evaluate("document.querySelector('article').insertAdjacentHTML('beforeend', '<img src=\"x.png\">')")
    ids = [v["id"] for v in run_axe(page)]
    context.close()
    assert "image-alt" in ids


def test_run_axe_without_axe_core_skips_outside_ci_and_fails_in_ci(monkeypatch, tmp_path) -> None:
    # test_reader.py calls run_axe without the axe_path fixture: a clone without `npm ci` must skip there too.
    import sys

    module = sys.modules[run_axe.__module__]
    monkeypatch.setattr(module, "AXE", tmp_path / "node_modules" / "axe-core" / "axe.min.js")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="axe.min.js is missing: run `npm ci`"):
        run_axe(page=None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="may not be skipped"):
        run_axe(page=None)
