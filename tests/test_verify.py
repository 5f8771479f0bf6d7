"""`verify`: recorded PubMed and Crossref answers, replayed offline, against small review folders in tmp.

The reviews are made the way a maintainer makes them (`new ID --pmid N` from the same recordings), then set back
to how they stood before the source changed: the erratum not yet in erratum.yaml, the retraction not yet known.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pytest
from test_sources_fakes import FakeResponse, fixture

from reviewsite.cli import main
from reviewsite.sources import fetch
from reviewsite.sources.http import Contact, PoliteClient
from reviewsite.sources.retractions import CSV_URL
from tests import sandbox

ROOT = Path(__file__).resolve().parents[1]
EFETCH = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/efetch.fcgi?db=pubmed&id={}&retmode=xml"
KANWAR_DOI = "10.1586/17474124.2013.816114"
ROUTES = {
    EFETCH.format("23985001"): "pubmed-efetch-23985001-erratum.xml",
    EFETCH.format("27602157"): "pubmed-retracted-27602157.xml",
    f"https://api.crossref.org/works/{KANWAR_DOI}": "constructed-crossref-works-10.1586-17474124.2013.816114.json",
    f"https://api.crossref.org/works?filter=updates%3A{KANWAR_DOI.replace('/', '%2F')}&rows=100":
        "constructed-crossref-updates-none.json",
    CSV_URL: "constructed-retraction-watch.csv",
}
IDENTIFICATION = {"tool", "email", "api_key", "mailto"}


class RoutingTransport:
    """The fake transport of test_sources_fakes, answering by address instead of in order."""

    def __init__(self, routes: dict[str, str]):
        self.routes, self.calls = routes, []

    def get(self, url, *, params=None, headers=None, timeout=None):
        asked = {k: v for k, v in (params or {}).items() if k not in IDENTIFICATION}
        shown = f"{url}?{urlencode(sorted(asked.items()))}" if asked else url
        self.calls.append(shown)
        if shown not in self.routes:
            raise AssertionError(f"unexpected request to {shown}")
        answer = self.routes[shown]
        return answer if isinstance(answer, FakeResponse) else FakeResponse(200, fixture(answer))


@pytest.fixture
def root(tmp_path: Path, monkeypatch) -> Path:
    project = sandbox.copy_project(ROOT, tmp_path / "project", records=False)
    (project / "records").mkdir()
    transport = RoutingTransport(ROUTES)
    monkeypatch.setattr(fetch, "client_factory", lambda project_root: PoliteClient(
        project_root / ".cache" / "http", contact=Contact(), transport=transport, sleep=lambda s: None,
        today=lambda: "2026-07-01"))
    return project


REFERENCES = """\
# yaml-language-server: $schema=../../schema/references.schema.json
complete: false
references:
  - citation: "Oncol Lett. 2016 Sep;12(3):2163-2168"   # cited by PMID: checked for retractions
    pmid: "27602157"
    sources: ["pubmed-efetch"]
"""


def make_kanwar(root: Path) -> Path:
    """The review of PMID 23985001 as it stood before PubMed linked its erratum."""
    assert main(["new", "kanwar-2013", "--pmid", "23985001"], root=root) == 0
    folder = root / "records" / "kanwar-2013"
    (folder / "erratum.yaml").unlink()
    (folder / "references.yaml").write_text(REFERENCES)
    return folder


def make_retracted(root: Path) -> Path:
    """The review of PMID 27602157 as it stood before its retraction (no DOI recorded yet)."""
    assert main(["new", "chen-2016", "--pmid", "27602157"], root=root) == 0
    folder = root / "records" / "chen-2016"
    path = folder / "article.yaml"
    text = path.read_text()
    lines = [line for line in text.splitlines(keepends=True)
             if "Retracted Publication" not in line and not line.startswith("doi:")]
    path.write_text("".join(lines))
    (folder / "references.yaml").unlink(missing_ok=True)  # `new` + import removes the empty template itself
    (folder / "erratum.yaml").unlink()  # `new --pmid` records the retraction now: set back to before it
    return folder


def test_verify_reports_the_new_erratum_first_and_exits_1(root, capsys):
    make_kanwar(root)
    assert main(["check"], root=root) == 0
    capsys.readouterr()
    assert main(["verify"], root=root) == 1
    out = capsys.readouterr().out
    findings = [line for line in out.splitlines() if line.startswith("- ")]
    assert findings[0] == ("- records/kanwar-2013/erratum.yaml: NEW ERRATUM (PubMed ErratumIn: Expert Rev "
                           "Gastroenterol Hepatol. 2013 Nov;7(8):767); not in erratum.yaml")
    assert findings[1].startswith("- records/kanwar-2013/references.yaml:4: CITED WORK RETRACTED: reference 1 "
                                  "(Oncol Lett. 2016 Sep;12(3):2163-2168; PMID 27602157): PubMed RetractionIn: "
                                  "Oncol Lett. 2021 Jul;22(1):545, PMID 34093767")
    assert len(findings) == 2  # the fields agree with PubMed and Crossref (pages 517-30 = 517-530)
    assert f"read: PubMed PMID 23985001 ({EFETCH.format('23985001')}, read 2026-07-01)" in out
    assert not (root / "records" / "kanwar-2013" / "erratum.yaml").exists()  # verify alone writes nothing


def test_verify_write_adds_the_erratum_and_check_still_passes(root, capsys):
    folder = make_kanwar(root)
    article_before = (folder / "article.yaml").read_text()
    capsys.readouterr()
    assert main(["verify", "kanwar-2013", "--write"], root=root) == 1
    out = capsys.readouterr().out
    assert "erratum.yaml: errata: + Expert Rev Gastroenterol Hepatol. 2013 Nov;7(8):767" in out
    erratum = (folder / "erratum.yaml").read_text()
    assert 'citation: "Expert Rev Gastroenterol Hepatol. 2013 Nov;7(8):767"' in erratum
    assert 'sources: ["pubmed-efetch"]' in erratum
    # Same values, same date read; only the source of the cited work's retraction is new.
    article_after = (folder / "article.yaml").read_text()
    assert article_after.startswith(article_before)
    assert article_after[len(article_before):] == (
        '  - id: "pubmed-efetch-27602157"\n'
        '    name: "PubMed record PMID 27602157 (E-utilities efetch, XML)"\n'
        f'    url: "{EFETCH.format("27602157")}"\n'
        '    accessed: "2026-07-01"\n'
        '    used_for: "notices (retraction, expression of concern) about a cited work"\n')
    references = (folder / "references.yaml").read_text()
    assert ('    notices:\n'
            '      - kind: "retraction"\n'
            '        citation: "Oncol Lett. 2021 Jul;22(1):545"\n'
            '        pmid: "34093767"\n'
            '        sources: ["pubmed-efetch-27602157"]\n'
            '    sources: ["pubmed-efetch"]\n') in references
    assert "references.yaml: reference 1: notices: + retraction: PubMed RetractionIn" in out
    assert "not written" not in out
    assert main(["check"], root=root) == 0
    capsys.readouterr()
    # Verified again: the erratum and the cited work's retraction are held now and not reported again.
    assert main(["verify", "kanwar-2013"], root=root) == 0
    out = capsys.readouterr().out
    assert "NEW ERRATUM" not in out and "CITED WORK RETRACTED" not in out


def test_a_new_retraction_comes_before_anything_else(root, capsys):
    folder = make_retracted(root)
    capsys.readouterr()
    assert main(["verify", "chen-2016", "--no-retraction-watch"], root=root) == 1
    findings = [line for line in capsys.readouterr().out.splitlines() if line.startswith("- ")]
    assert findings[0] == ("- records/chen-2016/erratum.yaml: NEW RETRACTION (PubMed RetractionIn: Oncol Lett. "
                           "2021 Jul;22(1):545, PMID 34093767); not in erratum.yaml")
    line = next(n for n, text in enumerate((folder / "article.yaml").read_text().splitlines(), 1)
                if text.startswith("publication_types:"))
    assert f"- records/chen-2016/article.yaml:{line}: publication_types: PubMed adds Retracted Publication" \
        in findings
    assert "- records/chen-2016/article.yaml: doi: the record has none; PubMed has '10.3892/ol.2016.4904'" in findings


def test_a_field_that_differs_is_named_with_its_file_and_line(root, capsys):
    folder = make_kanwar(root)
    path = folder / "article.yaml"
    text = path.read_text().replace('volume: "7"', 'volume: "8"')
    path.write_text(text)
    line = text.splitlines().index('volume: "8"') + 1
    capsys.readouterr()
    assert main(["verify", "kanwar-2013"], root=root) == 1
    out = capsys.readouterr().out
    assert f"- records/kanwar-2013/article.yaml:{line}: volume: the record has '8'; PubMed has '7'" in out
    assert f"- records/kanwar-2013/article.yaml:{line}: volume: the record has '8'; Crossref has '7'" in out
    assert out.index("NEW ERRATUM") < out.index("CITED WORK") < out.index("volume:")


def test_nothing_changed_exits_0(root, capsys):
    folder = make_kanwar(root)
    (folder / "references.yaml").unlink()
    assert main(["verify", "--write"], root=root) == 1
    capsys.readouterr()
    assert main(["verify"], root=root) == 0
    assert "1 review(s) verified: nothing changed." in capsys.readouterr().out


def test_a_failed_fetch_is_one_line_and_verify_goes_on(root, capsys, monkeypatch):
    make_kanwar(root)
    (root / "records" / "kanwar-2013" / "references.yaml").unlink()
    routes = {**ROUTES, f"https://api.crossref.org/works/{KANWAR_DOI}": FakeResponse(500)}
    monkeypatch.setattr(fetch, "client_factory", lambda project_root: PoliteClient(
        None, contact=Contact(), transport=RoutingTransport(routes), sleep=lambda s: None, retries=1))
    capsys.readouterr()
    assert main(["verify"], root=root) == 1
    out = capsys.readouterr().out
    assert (f"- records/kanwar-2013/article.yaml: not checked: https://api.crossref.org/works/{KANWAR_DOI}: "
            "server error (HTTP 500) after 2 attempts; try again later") in out
    assert out.index("NEW ERRATUM") < out.index("not checked")  # PubMed was still checked, and first


def test_unknown_review(root, capsys):
    assert main(["verify", "nope"], root=root) == 2
    assert "no review nope under records/" in capsys.readouterr().out


def test_a_summary_written_before_the_source_changed_is_named(root, capsys):
    folder = make_kanwar(root)
    # A made-up summary written against the PubMed record as read on 2020-01-01; the recorded efetch answer
    # says PubMed revised the record on 2022-04-19 (DateRevised in pubmed-efetch-23985001-erratum.xml).
    (folder / "summary.yaml").write_text(
        'bottom_line: "Example bottom line, for this test only."\n'
        'written_by: [{name: "Ann Example"}]\nwritten: "2020-01-02"\ncompeting_interests: "none declared"\n'
        'source_version: {source: "pubmed-efetch", date: "2020-01-01"}\n')
    assert main(["verify", "kanwar-2013", "--no-retraction-watch"], root=root) == 1
    out = capsys.readouterr().out
    assert ("- records/kanwar-2013/summary.yaml:5: the source changed after this summary was written: PubMed last "
            "revised its record on 2022-04-19; the summary was written against 2020-01-01") in out
    (folder / "summary.yaml").write_text((folder / "summary.yaml").read_text().replace("2020-01-01", "2022-05-01"))
    main(["verify", "kanwar-2013", "--no-retraction-watch"], root=root)
    assert "summary was written against" not in capsys.readouterr().out
