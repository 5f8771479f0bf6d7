"""The harness itself: the skip rule, and the server and the site answering."""

from __future__ import annotations

import pytest

from . import server as harness
from .conftest import REVIEW_PAGE


def test_missing_shared_zotero_skips_outside_ci(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(harness, "SHARED_ZOTERO", tmp_path / "no-such-folder")
    with pytest.raises(pytest.skip.Exception, match="is missing"):
        harness.ensure_setup()


def test_missing_shared_zotero_skips_in_ci_too(monkeypatch, tmp_path) -> None:
    # GitHub's runner has CI=true and a clone alone: ../shared is ours, not something .ci/run can install.
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(harness, "SHARED_ZOTERO", tmp_path / "no-such-folder")
    with pytest.raises(pytest.skip.Exception, match="is missing"):
        harness.ensure_setup()


def test_missing_node_fails_in_ci(monkeypatch) -> None:
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(harness.shutil, "which", lambda name: None)
    if not (harness.SHARED_ZOTERO / "setup.sh").is_file():
        pytest.skip("../shared/zotero is missing: the node check comes after it")
    with pytest.raises(pytest.fail.Exception, match="may not be skipped"):
        harness.ensure_setup()


def test_missing_node_skips_outside_ci(monkeypatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(harness.shutil, "which", lambda name: None)
    if not (harness.SHARED_ZOTERO / "setup.sh").is_file():
        pytest.skip("../shared/zotero is missing: the node check comes after it")
    with pytest.raises(pytest.skip.Exception, match="node is not installed"):
        harness.ensure_setup()


def test_the_server_imports_a_file(zotero) -> None:
    items = zotero.import_file(harness.PROBE)
    assert [(i["itemType"], i["title"]) for i in items] == [("journalArticle", "probe")]


def test_a_file_nothing_reads_is_refused(zotero) -> None:
    with pytest.raises(harness.ImportRefused, match="No suitable translators"):
        zotero.import_file(b"not a bibliography\n")


def test_the_site_is_served_under_its_subpath(zotero_site) -> None:
    assert b"<html" in zotero_site.download(REVIEW_PAGE)
