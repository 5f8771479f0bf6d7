"""A rebuild with nothing changed does no work; any change to an input or an output means a full generation."""

from __future__ import annotations

import os

import pytest

from conftest import REVIEW_ID
from reviewsite.build import pipeline as generate_module
from reviewsite.build.pipeline import generate


@pytest.fixture
def generated(project):
    generate(project)
    return project


def _forbid_rendering(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("rendered although nothing changed")
    monkeypatch.setattr(generate_module, "render_pages", fail)


def test_nothing_changed_means_nothing_rendered(generated, monkeypatch):
    _forbid_rendering(monkeypatch)
    result = generate(generated)
    assert result.report.written == [] and result.reviews == 1 and result.report.unchanged == result.pages > 0


def _renders_again(project, monkeypatch) -> bool:
    calls = []
    original = generate_module.render_pages
    monkeypatch.setattr(generate_module, "render_pages", lambda *a, **k: calls.append(1) or original(*a, **k))
    generate(project)
    return bool(calls)


def test_an_edited_record_is_generated_again(generated, monkeypatch):
    abstract = generated.records_dir / REVIEW_ID / "abstract.yaml"
    abstract.write_text(abstract.read_text(encoding="utf-8").replace("scrutinized.", "scrutinised."),
                        encoding="utf-8")
    assert _renders_again(generated, monkeypatch)
    page = (generated.docs_dir / "reviews" / REVIEW_ID / "index.md").read_text(encoding="utf-8")
    assert "carefully scrutinised." in page


def test_an_edited_template_is_generated_again(generated, monkeypatch):
    template = generated.templates_dir / "about.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert _renders_again(generated, monkeypatch)


def test_a_deleted_or_hand_edited_page_is_restored(generated, monkeypatch):
    page = generated.docs_dir / "reviews" / REVIEW_ID / "references.md"
    original = page.read_bytes()
    page.write_bytes(original + b"hand edit\n")
    assert _renders_again(generated, monkeypatch)
    assert page.read_bytes() == original
    page.unlink()
    generate(generated)
    assert page.read_bytes() == original


def test_a_stray_file_in_the_generated_folder_is_removed(generated):
    stray = generated.docs_dir / "reviews" / "stray.md"
    stray.write_text("x", encoding="utf-8")
    generate(generated)
    assert not stray.exists()


def test_a_touched_record_without_changes_rewrites_no_page(generated):
    article = generated.records_dir / REVIEW_ID / "article.yaml"
    os.utime(article)
    result = generate(generated)
    assert result.report.written == []
