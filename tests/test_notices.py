"""Notices shown (issue 15, "Show it"): a retracted review, an expression of concern, a retracted cited work,
"Checked against ..." and the change log from git. Made-up records in tests/fixtures/notices/."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from reviewsite import history
from reviewsite.build.incremental import Incremental
from reviewsite.build.pipeline import check, generate
from reviewsite.cli import main

NOTICES = Path(__file__).parent / "fixtures" / "notices"


@pytest.fixture
def noticed(project):
    for name in ("example-retracted", "example-concern"):
        shutil.copytree(NOTICES / name, project.records_dir / name)
    return project


def _page(project, *parts: str) -> str:
    return project.docs_dir.joinpath("reviews", *parts).read_text(encoding="utf-8")


def _front_matter(page: str) -> dict:
    return yaml.safe_load(page.split("---")[1])


def test_the_fixtures_pass_check(noticed):
    assert [p.format() for p in check(noticed)[1] if p.severity == "error"] == []


def test_a_retraction_raises_a_red_banner_above_the_erratum(noticed):
    generate(noticed, repo_url=None)
    page = _page(noticed, "example-retracted", "index.md")
    retraction = page.index('<aside class="admonition danger review-retraction"')
    erratum = page.index('<aside class="admonition warning review-erratum"')
    assert retraction < erratum  # never less visible than an erratum: first, and red
    banner = page[retraction:page.index("</aside>", retraction)]
    assert "This article has been retracted" in banner
    assert '<a href="erratum/">J Ex. 2021 Jul;22(1):545</a>' in banner
    assert 'data-pagefind-meta="status:Retracted"' in banner  # search results say so
    assert "Expression of concern" not in page
    notices = _page(noticed, "example-retracted", "erratum.md")
    assert notices.index("Retraction: J Ex. 2021 Jul;22(1):545") < notices.index("J Ex. 2017 Jan;13(1):5")
    assert _front_matter(notices)["title"] == "Notices: Example review of made-up treatments"


def test_an_expression_of_concern_has_its_own_amber_banner(noticed):
    generate(noticed, repo_url=None)
    page = _page(noticed, "example-concern", "index.md")
    assert '<aside class="admonition review-concern" aria-label="Expression of concern" ' \
           'data-pagefind-meta="status:Expression of concern">' in page
    assert "review-retraction" not in page and "review-erratum" not in page


def test_the_home_list_and_the_table_of_all_reviews_flag_them(noticed):
    generate(noticed, repo_url=None)
    for listing in ("index.md", "reviews/all.md"):
        lines = (noticed.docs_dir / listing).read_text(encoding="utf-8").splitlines()
        retracted = next(line for line in lines if "Example review of made-up treatments" in line)
        assert retracted.index("review-retracted-flag\">Retracted</span>") < retracted.index("review-erratum-flag")
        concern = next(line for line in lines if "under an expression of concern" in line)
        assert 'review-concern-flag">Expression of concern</span>' in concern
        shipped = next(line for line in lines if "denosumab" in line)
        assert "review-retracted-flag" not in shipped and "review-concern-flag" not in shipped


def test_a_retracted_cited_work_is_flagged_and_counted(noticed):
    generate(noticed, repo_url=None)
    page = _page(noticed, "example-retracted", "index.md")
    assert '1 cited work has been retracted: <a href="references/#ref-2">reference 2</a>.' in page
    references = _page(noticed, "example-retracted", "references.md")
    item = references[references.index('<li id="ref-2"'):references.index("</li>", references.index('id="ref-2"'))]
    assert 'class="reference-retracted"' in item and 'review-retracted-flag">Retracted</span>' in item
    assert ('Retraction: <a href="https://pubmed.ncbi.nlm.nih.gov/99999996/">J Ex. 2019 Mar;10(3):300</a>'
            in item)
    first = references[references.index('<li id="ref-1"'):references.index('<li id="ref-2"')]
    assert "Retracted" not in first
    shipped = _page(noticed, "ferrari-lacraz-2011", "index.md")
    assert "cited work" not in shipped


def test_checked_against_says_only_the_services_checked(noticed):
    generate(noticed, repo_url=None)
    assert "<p class=\"review-checked\">Checked against PubMed and Crossref on 2026-07-01.</p>" in \
        _page(noticed, "example-retracted", "index.md")
    assert "Checked against PubMed on 2026-06-30 and Crossref on 2026-07-01." in \
        _page(noticed, "example-concern", "index.md")
    assert "Checked against" not in _page(noticed, "ferrari-lacraz-2011", "index.md")  # never checked


def test_every_export_notes_the_retraction(noticed):
    generate(noticed, repo_url=None)
    folder = noticed.docs_dir / "reviews" / "example-retracted"
    said = "RETRACTED. Retraction in: J Ex. 2021 Jul;22(1):545. PMID: 99999992"
    ris = (folder / "example-retracted.ris").read_text()
    assert f"N1  - {said}" in ris
    bib = (folder / "example-retracted.bib").read_text()
    assert f"note = {{{said}}}" in bib
    nbib = (folder / "example-retracted.nbib").read_text()
    assert "RIN - J Ex. 2021 Jul;22(1):545. PMID: 99999992" in nbib
    assert nbib.index("RIN - ") < nbib.index("EIN - J Ex. 2017 Jan;13(1):5. PMID: 99999993")
    item = json.loads((folder / "example-retracted.json").read_text())[0]
    assert item["note"].splitlines()[0] == said and item["status"] == "retracted"
    # The cited work's retraction travels with the references' downloads too.
    cited = (folder / "example-retracted-references.ris").read_text().split("ER  - ")
    assert "N1  - RETRACTED. Retraction in: J Ex. 2019 Mar;10(3):300" in cited[1]
    assert "RETRACTED" not in cited[0]
    assert "RETRACTED" not in (noticed.docs_dir / "reviews" / "ferrari-lacraz-2011" /
                               "ferrari-lacraz-2011.ris").read_text()


def test_the_json_ld_says_retracted(noticed):
    generate(noticed, repo_url=None)
    data = _front_matter(_page(noticed, "example-retracted", "index.md"))["json_ld"]
    article = data["mainEntity"]
    assert article["creativeWorkStatus"] == "Retracted"
    assert article["correction"][0] == {"@type": "CorrectionComment",
                                        "text": "Retraction in: J Ex. 2021 Jul;22(1):545. PMID: 99999992",
                                        "url": "https://doi.org/10.1234/example.retraction-notice"}
    assert "citation" not in article  # a cited work's retraction is in the references download (test above)
    concern = _front_matter(_page(noticed, "example-concern", "index.md"))["json_ld"]["mainEntity"]
    assert "creativeWorkStatus" not in concern
    assert concern["correction"][0]["text"] == "Expression of concern in: J Ex. 2020 Feb;11(2):200"


# -- the change log --------------------------------------------------------------------------------------

def _git(root: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "Example", "GIT_AUTHOR_EMAIL": "example@example.org", "GIT_COMMITTER_NAME": "Example",
           "GIT_COMMITTER_EMAIL": "example@example.org", "GIT_AUTHOR_DATE": "2026-07-01T12:00:00Z",
           "GIT_COMMITTER_DATE": "2026-07-01T12:00:00Z", "PATH": "/usr/bin:/bin", "HOME": str(root)}
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True,
                          env=env).stdout


@pytest.fixture
def repository(noticed):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = noticed.root
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "records")
    _git(root, "commit", "-q", "-m", "Add the reviews")
    (root / "records" / "example-concern" / "erratum.yaml").write_text(
        (NOTICES / "example-concern" / "erratum.yaml").read_text().replace("Feb", "Mar"))
    _git(root, "add", "records")
    _git(root, "commit", "-q", "-m", "Correct the <expression> of concern's date")
    return noticed


def test_the_change_log_lists_each_commit_of_the_review_with_a_link(repository):
    generate(repository, repo_url="https://github.com/example/reviews/")
    page = _page(repository, "example-concern", "index.md")
    commits = _git(repository.root, "log", "--format=%H").split()
    log = page[page.index("## Change log"):]
    assert f'<li><time datetime="2026-07-01">2026-07-01</time>: Correct the &lt;expression&gt; of concern&#39;s ' \
           f'date (<a href="https://github.com/example/reviews/commit/{commits[0]}">commit {commits[0][:7]}</a>)' \
           '</li>' in log
    assert log.index(commits[0][:7]) < log.index(commits[1][:7])  # newest first
    retracted = _page(repository, "example-retracted", "index.md")
    assert commits[1][:7] in retracted and commits[0][:7] not in retracted  # only its own records' commits


def test_without_a_repository_url_the_log_has_no_links(repository):
    generate(repository, repo_url=None)
    log = _page(repository, "example-concern", "index.md").split("## Change log")[1]
    assert "<a href" not in log and "(commit " in log


def test_a_new_commit_renders_the_log_again_and_only_then(repository, monkeypatch):
    generate(repository, repo_url=None)
    calls = []
    original = history.record_history
    monkeypatch.setattr(history, "record_history", lambda root: calls.append(1) or original(root))
    assert generate(repository, repo_url=None).report.written == []  # the same git state: skipped
    assert calls == []
    (repository.root / "notes.txt").write_text("not a record\n")
    _git(repository.root, "add", "notes.txt")
    _git(repository.root, "commit", "-q", "-m", "Not about the records")
    first = _page(repository, "example-concern", "index.md")
    generate(repository, repo_url=None)
    assert calls == [1]  # once per build, for every review
    assert _page(repository, "example-concern", "index.md") == first  # same log: same page


def test_the_log_is_deterministic(repository):
    assert history.record_history(repository.root) == history.record_history(repository.root)
    generate(repository, repo_url=None)
    before = _page(repository, "example-retracted", "index.md")
    shutil.rmtree(repository.root / ".cache")
    generate(repository, repo_url=None)
    assert _page(repository, "example-retracted", "index.md") == before


def test_no_git_history_means_no_change_log(noticed):
    assert history.state(noticed.root) == ""  # tmp_path is no repository
    generate(noticed, repo_url="https://github.com/example/reviews")
    assert "Change log" not in _page(noticed, "example-retracted", "index.md")


def test_a_shallow_clone_has_no_change_log(repository, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repository.root}", str(clone)], check=True)
    assert history.state(clone) == "" and history.record_history(clone) == {}


def test_no_git_installed_means_no_change_log(noticed, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    assert history.state(noticed.root) == "" and history.record_history(noticed.root) == {}


def test_the_log_is_a_page_input(repository):
    """The page cache keys on PageInputs: a change log that changes must render the page again."""
    from reviewsite.site.render import PageInputs

    changes = history.record_history(repository.root)["example-concern"]
    assert "changes" in PageInputs.__dataclass_fields__ and "repo_url" in PageInputs.__dataclass_fields__
    inc = Incremental(repository.root, repository.records_dir, repository.root / "templates")
    assert inc.inputs_signature("a") != inc.inputs_signature("b")
    assert len(changes) == 2


# -- verify --write, then the page ------------------------------------------------------------------------

def test_verify_write_stores_a_retraction_and_the_page_shows_it(tmp_path, monkeypatch, capsys):
    import test_verify

    root = tmp_path / "verify"
    project = test_verify.sandbox.copy_project(test_verify.ROOT, root, records=False)
    (project / "records").mkdir()
    from test_sources_fakes import FakeResponse, fixture

    # Once --write has recorded PubMed's DOI, verify asks Crossref too: its real 404 (no deposit recorded).
    transport = test_verify.RoutingTransport({
        **test_verify.ROUTES, "https://api.crossref.org/works/10.3892/ol.2016.4904":
        FakeResponse(404, fixture("crossref-works-404-body.txt")),
        "https://api.crossref.org/works?filter=updates%3A10.3892%2Fol.2016.4904&rows=100":
        FakeResponse(200, fixture("constructed-crossref-updates-none.json"))})
    monkeypatch.setattr(test_verify.fetch, "client_factory", lambda project_root: test_verify.PoliteClient(
        project_root / ".cache" / "http", contact=test_verify.Contact(), transport=transport, sleep=lambda s: None,
        today=lambda: "2026-07-01"))
    folder = test_verify.make_retracted(project)
    capsys.readouterr()
    assert main(["verify", "chen-2016", "--no-retraction-watch", "--write"], root=project) == 1
    out = capsys.readouterr().out
    assert "erratum.yaml: errata: + retraction: Oncol Lett. 2021 Jul;22(1):545" in out
    assert "not written" not in out
    erratum = (folder / "erratum.yaml").read_text()
    assert ('  - kind: "retraction"\n    citation: "Oncol Lett. 2021 Jul;22(1):545"\n    pmid: "34093767"\n'
            '    sources: ["pubmed-efetch"]\n') in erratum
    assert main(["check"], root=project) == 0
    capsys.readouterr()
    main(["verify", "chen-2016", "--no-retraction-watch"], root=project)
    out = capsys.readouterr().out
    assert "NEW RETRACTION" not in out and "RetractionIn" not in out  # held now: not reported again
    article = folder / "article.yaml"  # `new` scaffolds a draft, which `generate` leaves out: finish it
    article.write_text("".join(line for line in article.read_text().splitlines(keepends=True)
                               if not line.startswith("draft:")))
    assert main(["generate"], root=project) == 0
    page = (project / "docs" / "reviews" / "chen-2016" / "index.md").read_text()
    assert '<aside class="admonition danger review-retraction"' in page
    assert "Checked against PubMed on 2026-07-01." in page


def test_an_unknown_kind_is_refused_with_a_suggestion(noticed):
    path = noticed.records_dir / "example-concern" / "erratum.yaml"
    path.write_text(path.read_text().replace("expression-of-concern", "concern"))
    problems = [p.format() for p in check(noticed)[1] if p.severity == "error"]
    assert len(problems) == 1 and "erratum.yaml:2:11" in problems[0]
    assert "did you mean 'expression-of-concern'?" in problems[0]
