"""The Retraction Watch CSV: downloaded once, indexed by DOI (any case) and PMID."""

from __future__ import annotations

import pytest
from test_sources_fakes import FakeResponse, FakeTransport, ok

from reviewsite.sources.corrections import Correction
from reviewsite.sources.errors import MalformedResponse
from reviewsite.sources.http import Contact, PoliteClient
from reviewsite.sources.retractions import CSV_URL, load_retraction_watch


def load(tmp_path=None, *answers):
    made = PoliteClient(tmp_path, contact=Contact(), transport=FakeTransport(*answers), sleep=lambda s: None,
                        today=lambda: "2026-07-01")
    return load_retraction_watch(made), made


def test_one_download_answers_lookups_by_doi_and_pmid(tmp_path):
    database, made = load(tmp_path, ok("constructed-retraction-watch.csv"))
    by_doi = database.lookup(doi="10.5555/constructed.PAPER.1")
    assert [(e.record_id, e.nature, e.date) for e in by_doi] == [
        ("900001", "Retraction", "2022-03-15"), ("900003", "Correction", "2023-09-10")]
    assert by_doi[0].correction() == Correction("retraction", None, None, "10.5555/constructed.notice.1",
                                                "2022-03-15", "retraction-watch", "Retraction")
    by_pmid = database.lookup(pmid="99999992")
    assert [(e.record_id, e.paper_doi, e.notice_pmid) for e in by_pmid] == [("900002", None, "99999994")]
    assert by_pmid[0].correction().kind == "expression-of-concern"
    assert database.lookup(doi="10.5555/constructed.paper.1", pmid="99999991") == by_doi
    assert database.lookup(doi="10.1586/17474124.2013.816114") == []
    assert made.requests_made == 1
    again, rerun = load(tmp_path)  # the cached download: no request at all
    assert rerun.requests_made == 0 and len(again.entries) == 3 and again.fetched == "2026-07-01"
    assert again.url == CSV_URL


def test_a_file_without_the_expected_columns_is_refused():
    with pytest.raises(MalformedResponse) as caught:
        load(None, FakeResponse(200, b"doi,title\n10.5555/x,y\n"))
    assert str(caught.value) == (f"{CSV_URL}: not the Retraction Watch CSV: no column Record ID, RetractionNature, "
                                 "RetractionDate, RetractionDOI, RetractionPubMedID, OriginalPaperDOI, "
                                 "OriginalPaperPubMedID")
