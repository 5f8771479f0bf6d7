"""Browser tests skip on a machine without Chromium, but never in CI (CI=true), where skipping would hide them."""

from __future__ import annotations

import pytest

from .conftest import require


def test_a_missing_tool_skips_outside_ci(monkeypatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        require(False, "no chromium")


def test_a_missing_tool_fails_in_ci(monkeypatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="may not be skipped"):
        require(False, "no chromium")


def test_a_present_tool_runs(monkeypatch) -> None:
    monkeypatch.setenv("CI", "true")
    require(True, "chromium")
