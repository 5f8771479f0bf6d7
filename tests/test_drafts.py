"""Drafts: a review marked `draft: "true"` never blocks or disturbs the others.

`build` leaves drafts out (valid or not) and says so in one line; `serve` shows a valid draft's pages and an
invalid draft's problems on its own page only; `check` lists draft problems apart and fails on them only with
--strict; `new` starts a draft. The drafts are the made-up folders in tests/fixtures/drafts/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_hook import break_pmid, load_hook

from conftest import REVIEW_ID
from reviewsite.build.pipeline import generate
from reviewsite.cli import main
from reviewsite.load.records import load_collection

DRAFTS = Path(__file__).parent / "fixtures" / "drafts"
VALID, BROKEN, UNREADABLE = "example-draft-valid", "example-draft-broken", "example-draft-unreadable"


def add_drafts(project, *names: str) -> None:
    for name in names:
        shutil.copytree(DRAFTS / name, project.records_dir / name)


def test_draft_problems_are_marked_and_kept_apart(project):
    add_drafts(project, VALID, BROKEN, UNREADABLE)
    loaded = load_collection(project.records_dir, project.root)
    assert loaded.drafts == [BROKEN, UNREADABLE, VALID]
    assert loaded.errors == []  # nothing that stops a build
    assert [r.id for r in loaded.published] == [REVIEW_ID]
    assert {p.file.split("/")[1] for p in loaded.draft_problems} == {BROKEN, UNREADABLE}
    assert any("pmid" in p.field_path for p in loaded.draft_problems_of(BROKEN))
    # An article.yaml YAML cannot read is still known as a draft, from its `draft: "true"` line.
    assert loaded.draft_problems_of(UNREADABLE)


def test_check_lists_draft_problems_apart_and_passes_unless_strict(project, capsys):
    add_drafts(project, VALID, BROKEN)
    assert main(["check"], root=project.root) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("Drafts (left out of `build`; their problems do not fail `check` unless --strict):")
    assert f"records/{BROKEN}/article.yaml:7:7: error: pmid: a PMID never starts with 0" in captured.err
    assert "error(s) in drafts, which `build` leaves out" in captured.out
    assert main(["check", "--strict"], root=project.root) == 1
    assert "2 error(s) found" in capsys.readouterr().err


def test_check_still_fails_on_a_published_review_and_keeps_the_drafts_apart(project, capsys):
    add_drafts(project, BROKEN)
    break_pmid(project)
    assert main(["check"], root=project.root) == 1
    err = capsys.readouterr().err
    published, _, drafts = err.partition("Drafts (")
    assert f"records/{REVIEW_ID}/article.yaml" in published and BROKEN not in published
    assert f"records/{BROKEN}/article.yaml" in drafts
    assert "\n1 error(s) found" in err  # only the published review's error counts


def test_build_leaves_drafts_out_and_says_so_in_one_line(project, capsys):
    add_drafts(project, VALID, BROKEN, UNREADABLE)
    assert main(["build"], root=project.root) == 0
    out = capsys.readouterr().out
    assert [line for line in out.splitlines() if "draft" in line and not line.startswith("Site built")] == [
        f"Left out 3 draft(s): {BROKEN}, {UNREADABLE}, {VALID} (`serve` shows them; remove `draft: \"true\"` "
        "from article.yaml to publish)."]
    for name in (VALID, BROKEN, UNREADABLE):
        assert not (project.site_dir / "reviews" / name).exists()
        assert not (project.docs_dir / "reviews" / name).exists()
    for listing in ("index.html", "reviews/all/index.html"):
        text = (project.site_dir / listing).read_text(encoding="utf-8")
        assert "Example draft" not in text and "review-draft" not in text
    assert (project.site_dir / "reviews" / REVIEW_ID / "index.html").is_file()


def test_serve_shows_a_valid_draft_and_an_invalid_drafts_problems_on_its_own_page_only(project):
    add_drafts(project, VALID, BROKEN)
    result = generate(project, drafts=True)
    docs = project.docs_dir
    valid = (docs / "reviews" / VALID / "index.md").read_text(encoding="utf-8")
    assert "Example draft: a review still being filled in" in valid
    assert 'class="admonition note review-draft"' in valid
    placeholder = (docs / "reviews" / BROKEN / "index.md").read_text(encoding="utf-8")
    assert "This draft cannot be shown yet" in placeholder
    assert "error: pmid: a PMID never starts with 0" in placeholder
    assert "error: title: empty text" in placeholder
    home = (docs / "index.md").read_text(encoding="utf-8")
    assert f'<a href="reviews/{BROKEN}/">{BROKEN}</a>' in home and "review-draft-flag" in home
    assert "review-draft-flag" in (docs / "reviews" / "all.md").read_text(encoding="utf-8")
    for page in docs.rglob("*.md"):
        if BROKEN not in page.parts:
            assert "PMID never starts with 0" not in page.read_text(encoding="utf-8"), page
    assert result.drafts == [BROKEN, VALID]
    # A build afterwards drops the draft pages again (the manifest knows which mode wrote the pages).
    generate(project)
    assert not (docs / "reviews" / VALID).exists() and not (docs / "reviews" / BROKEN).exists()


def test_in_serve_a_drafts_problems_never_reach_the_banner(project):
    from mkdocs.config import load_config

    hook = load_hook()
    config = load_config(str(project.config_file))
    hook.on_startup(command="serve", dirty=False)
    add_drafts(project, BROKEN)
    hook.on_pre_build(config)
    assert hook._state["error"] == ""
    assert 'role="alert"' not in hook.on_post_page("<header></header><main></main>", page=None, config=config)
    assert "problems in draft(s) example-draft-broken" in hook._state["summary"]
    # A published review's error still raises the banner, with its own problem and not the draft's.
    break_pmid(project)
    hook.on_pre_build(config)
    banner = hook.on_post_page("<header></header><main></main>", page=None, config=config)
    assert 'role="alert"' in banner and f"records/{REVIEW_ID}/article.yaml" in banner
    assert BROKEN not in banner


def test_a_draft_that_repeats_a_published_doi_is_the_drafts_problem(project, capsys):
    add_drafts(project, VALID)
    article = project.records_dir / VALID / "article.yaml"
    article.write_text(article.read_text(encoding="utf-8") + 'doi: "10.1007/s00198-010-1326-y"\n',
                       encoding="utf-8")
    loaded = load_collection(project.records_dir, project.root)
    assert loaded.errors == []
    assert [p.file for p in loaded.draft_problems] == [f"records/{VALID}/article.yaml"]
    assert main(["build"], root=project.root) == 0


@pytest.mark.parametrize("strict", [False, True])
def test_new_starts_a_draft_that_blocks_nothing(project, capsys, strict):
    assert main(["new", "example-new-draft"], root=project.root) == 0
    article = (project.records_dir / "example-new-draft" / "article.yaml").read_text(encoding="utf-8")
    draft_line = next(line for line in article.splitlines() if line.startswith("draft:"))
    assert draft_line.startswith('draft: "true"') and "remove this line when the review is done" in draft_line
    capsys.readouterr()
    assert main(["check", *(["--strict"] if strict else [])], root=project.root) == (1 if strict else 0)
    assert "records/example-new-draft/article.yaml" in capsys.readouterr().err
    if not strict:
        assert main(["build"], root=project.root) == 0
        assert "Left out 1 draft(s): example-new-draft" in capsys.readouterr().out
