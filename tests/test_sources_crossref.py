"""Crossref works read into ImportedWork with their deposited references and update notices."""

from __future__ import annotations

import pytest
from test_sources_fakes import FakeResponse, FakeTransport, fixture, ok

from reviewsite.sources.corrections import Correction, corrections_of
from reviewsite.sources.crossref import CrossrefReference, fetch_crossref, fetch_update_notices
from reviewsite.sources.errors import DifferentWork, MalformedResponse, UnknownIdentifier
from reviewsite.sources.http import Contact, PoliteClient

DOI = "10.1371/journal.pone.0033693"
URL = f"https://api.crossref.org/works/{DOI}"


def client(*answers) -> PoliteClient:
    return PoliteClient(None, contact=Contact(email="maintainer@example.org"), transport=FakeTransport(*answers),
                        sleep=lambda s: None, today=lambda: "2026-07-01")


def test_a_work_with_a_reference_list_and_a_correction():
    record = fetch_crossref(DOI, client(ok("crossref-works-10.1371-journal.pone.0033693.json")))
    work = record.work
    assert work.title == ("Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation of Microglia in "
                          "the Basal Ganglia of Mice")
    assert (work.journal_title, work.journal_abbreviation, work.issn_print, work.issn_electronic) == (
        "PLoS ONE", "PLoS ONE", None, "1932-6203")
    assert (work.published, work.published_text, work.epub) == ("2012-03-21", "2012 Mar 21", "2012-03-21")
    assert (work.volume, work.issue, work.pages, work.doi, work.language) == ("7", "3", "e33693", DOI, "en")
    assert [a.name for a in work.authors] == ["Sadasivan, Shankar", "Pond, Brooks B.", "Pani, Amar K.",
                                              "Qu, Chunxu", "Jiao, Yun", "Smeyne, Richard J."]
    assert len(record.references) == 70
    assert record.references[0] == CrossrefReference(
        "ref1", "10.1038/sj.npp.1301164", None, "Stimulants: Therapeutic actions in ADHD.", "Neuropsychopharmacology",
        "AF Arnsten", "2006", "31", "2376")
    assert record.references[4] == CrossrefReference(  # deposited without DOI, journal or volume
        "ref5", None, None, "Monitoring the Future national survey results on drug use, 1975\u20132010.", None,
        "LD Johnston", "2011", None, "1")
    assert record.corrections == [Correction("erratum", None, None,
                                             "10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda", "2012-05-08",
                                             "crossref", "correction")]
    assert record.updates == [] and record.relations == {}
    assert (record.deposited, record.url, record.fetched) == ("2025-03-23", URL, "2026-07-01")


def test_update_notices_found_with_the_updates_filter():
    made = client(ok("constructed-crossref-updates-filter.json"))
    notices = fetch_update_notices(DOI, made)
    assert made.transport.calls[0]["params"] == {"filter": f"updates:{DOI}", "rows": "100",
                                                 "mailto": "maintainer@example.org"}
    assert notices == [Correction("erratum", None, None, "10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda",
                                  "2012-05-08", "crossref", "correction")]
    retraction = Correction("retraction", None, None, "10.5555/x", None, "crossref", "retraction")
    assert corrections_of(notices, [retraction])[0] is retraction


def test_an_unknown_doi_is_crossrefs_real_404():
    bad = "10.1371/notarealdoi"
    with pytest.raises(UnknownIdentifier) as caught:
        fetch_crossref(bad, client(FakeResponse(404, fixture("crossref-works-404-body.txt"))))
    assert str(caught.value) == f"https://api.crossref.org/works/{bad}: no record for DOI {bad}"


def test_an_answer_for_another_doi_is_a_different_work():
    with pytest.raises(DifferentWork, match=r"the Crossref work for DOI 10\.1371/journal\.pone\.0000001 has DOI "
                                            r"10\.1371/journal\.pone\.0033693, the review has"):
        fetch_crossref("10.1371/journal.pone.0000001", client(ok("crossref-works-10.1371-journal.pone.0033693.json")))


def test_malformed_json_is_one_line():
    truncated = fixture("crossref-works-10.1371-journal.pone.0033693.json")[:500]
    with pytest.raises(MalformedResponse) as caught:
        fetch_crossref(DOI, client(FakeResponse(200, truncated)))
    assert str(caught.value) == f"{URL}: not valid JSON at line 1"


def test_json_that_is_not_a_work():
    with pytest.raises(MalformedResponse, match=r": expected a Crossref 'work' message, got 'work-list'$"):
        fetch_crossref(DOI, client(ok("constructed-crossref-updates-filter.json")))
