"""`import --pmid/--doi` and `new ID --pmid/--doi`: a fetched record goes through the same merge path as an export
(comments kept, conflicts reported, --dry-run, --overwrite); every failure is one line, exit 1, no record changed.
Recorded responses only (tests/fixtures/sources/ORIGINS.md), through the fake transport."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_sources_fakes import TIMEOUT, FakeResponse, FakeTransport, fixture, ok

from reviewsite.cli import main
from reviewsite.sources import fetch
from reviewsite.sources.http import Contact, PoliteClient
from tests import sandbox

ROOT = Path(__file__).resolve().parents[1]
EFETCH = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/efetch.fcgi?db=pubmed&id={}&retmode=xml"
PLOS = "10.1371/journal.pone.0033693"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return sandbox.copy_project(ROOT, tmp_path / "project")


def serve(monkeypatch, *answers) -> FakeTransport:
    """Every client the commands make answers with `answers`, in order (one retry, no waiting)."""
    transport = FakeTransport(*answers)
    monkeypatch.setattr(fetch, "client_factory", lambda project_root: PoliteClient(
        project_root / ".cache" / "http", contact=Contact(), transport=transport, sleep=lambda s: None,
        today=lambda: "2026-07-01", retries=1))
    return transport


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_new_with_a_pmid_scaffolds_and_merges_the_fetched_record(root, monkeypatch, capsys):
    serve(monkeypatch, ok("pubmed-efetch-23985001-erratum.xml"))
    assert main(["new", "kanwar-2013", "--pmid", "23985001"], root=root) == 0
    folder = root / "records" / "kanwar-2013"
    article = (folder / "article.yaml").read_text()
    assert 'title: "Diagnosis and treatment of hereditary hemochromatosis: an update."' in article
    assert 'doi: "10.1586/17474124.2013.816114"' in article
    # The source is the URL read and the date it was read.
    assert f'url: "{EFETCH.format("23985001")}"' in article and 'accessed: "2026-07-01"' in article
    assert "  - id: \"pubmed-efetch\"" in article
    erratum = (folder / "erratum.yaml").read_text()
    assert 'citation: "Expert Rev Gastroenterol Hepatol. 2013 Nov;7(8):767"' in erratum
    assert 'sources: ["pubmed-efetch"]' in erratum
    assert "Phlebotomy remains the mainstay" in (folder / "abstract.yaml").read_text()
    out = capsys.readouterr().out
    assert "erratum.yaml: errata: + Expert Rev Gastroenterol Hepatol. 2013 Nov;7(8):767" in out
    assert "records/kanwar-2013/ started from PubMed PMID 23985001" in out


def test_new_with_a_doi_fetches_crossref(root, monkeypatch, capsys):
    transport = serve(monkeypatch, ok("crossref-works-10.1371-journal.pone.0033693.json"))
    assert main(["new", "plos-2012", "--doi", f"https://doi.org/{PLOS}"], root=root) == 0
    assert transport.calls[0]["url"] == f"https://api.crossref.org/works/{PLOS}"
    article = (root / "records" / "plos-2012" / "article.yaml").read_text()
    assert f'doi: "{PLOS}"' in article and 'id: "crossref-works"' in article
    assert f'url: "https://api.crossref.org/works/{PLOS}"' in article
    assert not (root / "records" / "plos-2012" / "abstract.yaml").exists()  # Crossref gave no abstract here
    assert "abstract.yaml removed: Crossref DOI" in capsys.readouterr().out


def _kanwar(root, monkeypatch) -> Path:
    serve(monkeypatch, ok("pubmed-efetch-23985001-erratum.xml"))
    assert main(["new", "kanwar-2013", "--pmid", "23985001"], root=root) == 0
    return root / "records" / "kanwar-2013"


def test_import_by_pmid_keeps_comments_reports_conflicts_and_uses_the_cache(root, monkeypatch, capsys):
    folder = _kanwar(root, monkeypatch)
    path = folder / "article.yaml"
    text = path.read_text().replace('volume: "7"', 'volume: "8"  # my note: checked on the printed issue')
    path.write_text(text)
    capsys.readouterr()
    transport = serve(monkeypatch)  # no request may be made: the first fetch is in .cache/http
    assert main(["import", "--pmid", "23985001", "--review", "kanwar-2013", "--dry-run"], root=root) == 0
    out = capsys.readouterr().out
    assert "article.yaml: volume: the record has '8', the file '7'; kept the record's" in out
    assert "dry run: nothing was written." in out
    assert path.read_text() == text and transport.calls == []
    assert main(["import", "--pmid", "23985001", "--review", "kanwar-2013"], root=root) == 0
    assert path.read_text() == text  # a conflict alone changes nothing
    assert main(["import", "--pmid", "23985001", "--review", "kanwar-2013", "--overwrite"], root=root) == 0
    assert "article.yaml: volume: 8 -> 7" in capsys.readouterr().out
    assert 'volume: "7"  # my note: checked on the printed issue' in path.read_text()


def test_a_refreshed_fetch_moves_the_sources_accessed_date(root, monkeypatch, capsys):
    folder = _kanwar(root, monkeypatch)
    transport = FakeTransport(ok("pubmed-efetch-23985001-erratum.xml"))
    monkeypatch.setattr(fetch, "client_factory", lambda r: PoliteClient(
        r / ".cache" / "http", contact=Contact(), transport=transport, sleep=lambda s: None,
        today=lambda: "2026-08-02"))
    assert main(["import", "--pmid", "23985001", "--review", "kanwar-2013", "--refresh"], root=root) == 0
    assert len(transport.calls) == 1
    assert "sources[0].accessed: 2026-07-01 -> 2026-08-02 (read again)" in capsys.readouterr().out
    assert 'accessed: "2026-08-02"' in (folder / "article.yaml").read_text()


def test_import_needs_a_file_or_an_identifier(root, capsys):
    assert main(["import", "--review", "ferrari-lacraz-2011"], root=root) == 2
    assert "give an export FILE, or --pmid N, or --doi D" in capsys.readouterr().err


FAILURES = {
    "timeout": ([TIMEOUT, TIMEOUT], "no answer within 30 s (2 attempts)"),
    "429": ([FakeResponse(429, headers={"Retry-After": "1"})] * 2, "rate-limited (HTTP 429) after 2 attempts; "
                                                                     "it asks to wait 1 s"),
    "500": ([FakeResponse(500)] * 2, "server error (HTTP 500) after 2 attempts"),
    "malformed": ([FakeResponse(200, b"<PubmedArticleSet><PubmedArticle>")], "not well-formed XML"),
    "unknown": ([ok("pubmed-efetch-empty-set.xml")], "no record for PMID 23985001"),
}


@pytest.mark.parametrize("case", list(FAILURES))
def test_each_failure_of_import_by_pmid_is_one_line_and_changes_nothing(root, monkeypatch, capsys, case):
    answers, message = FAILURES[case]
    serve(monkeypatch, *answers)
    before = snapshot(root / "records")
    assert main(["import", "--pmid", "23985001", "--review", "ferrari-lacraz-2011"], root=root) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err, err
    assert EFETCH.format("23985001") in err
    assert snapshot(root / "records") == before


@pytest.mark.parametrize("case", list(FAILURES))
def test_each_failure_of_new_by_pmid_leaves_no_folder(root, monkeypatch, capsys, case):
    answers, message = FAILURES[case]
    serve(monkeypatch, *answers)
    assert main(["new", "kanwar-2013", "--pmid", "23985001"], root=root) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert not (root / "records" / "kanwar-2013").exists()


def test_a_pmid_whose_record_has_another_doi_than_the_review(root, monkeypatch, capsys):
    serve(monkeypatch, ok("pubmed-efetch-23985001-erratum.xml"))
    before = snapshot(root / "records")
    assert main(["import", "--pmid", "23985001", "--review", "ferrari-lacraz-2011"], root=root) == 1
    err = capsys.readouterr().err
    assert err == (f"error: {EFETCH.format('23985001')}: the PubMed record for PMID 23985001 has DOI "
                   "10.1586/17474124.2013.816114, the review has 10.1007/s00198-010-1326-y\n")
    assert snapshot(root / "records") == before


def test_doi_failures_unknown_malformed_and_different(root, monkeypatch, capsys):
    before = snapshot(root / "records")
    serve(monkeypatch, FakeResponse(404, fixture("crossref-works-404-body.txt")))
    assert main(["import", "--doi", "10.1371/notarealdoi", "--review", "ferrari-lacraz-2011"], root=root) == 1
    assert capsys.readouterr().err == ("error: https://api.crossref.org/works/10.1371/notarealdoi: no record for "
                                       "DOI 10.1371/notarealdoi\n")
    serve(monkeypatch, FakeResponse(200, b'{"status": "ok", "message-type": "work", "message": '))
    assert main(["import", "--doi", PLOS, "--review", "ferrari-lacraz-2011"], root=root) == 1
    assert "not valid JSON at line 1" in capsys.readouterr().err
    serve(monkeypatch, ok("crossref-works-10.1371-journal.pone.0033693.json"))
    assert main(["import", "--doi", PLOS, "--review", "ferrari-lacraz-2011"], root=root) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"has DOI {PLOS}, the review has 10.1007/s00198-010-1326-y" in err
    assert snapshot(root / "records") == before


def test_a_malformed_identifier_is_refused_before_any_request(root, monkeypatch, capsys):
    transport = serve(monkeypatch)
    assert main(["import", "--pmid", "12ab", "--review", "ferrari-lacraz-2011"], root=root) == 1
    assert capsys.readouterr().err.startswith("error: PMID '12ab': ") and transport.calls == []
