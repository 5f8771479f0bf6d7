"""PubMed efetch records read into ImportedWork, their notices, and each failure as one line naming the URL."""

from __future__ import annotations

import pytest
from test_sources_fakes import FakeResponse, FakeTransport, fixture, ok

from reviewsite.importers.model import ImportedErratum, ImportedMesh
from reviewsite.sources.corrections import Correction, corrections_of
from reviewsite.sources.errors import DifferentWork, MalformedResponse, UnknownIdentifier
from reviewsite.sources.http import Contact, Fetched, PoliteClient
from reviewsite.sources.pubmed import PubmedReference, fetch_pubmed, parse_pubmed

URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/efetch.fcgi?db=pubmed&id={}&retmode=xml"


def fetch(pmid: str, *answers, **options):
    made = PoliteClient(None, contact=Contact(), transport=FakeTransport(*answers), sleep=lambda s: None,
                        today=lambda: "2026-07-01")
    return fetch_pubmed(pmid, made, **options)


def test_an_article_with_an_erratum():
    record = fetch("23985001", ok("pubmed-efetch-23985001-erratum.xml"))
    work = record.work
    assert (work.title, work.journal_title, work.journal_abbreviation) == (
        "Diagnosis and treatment of hereditary hemochromatosis: an update.",
        "Expert review of gastroenterology & hepatology", "Expert Rev Gastroenterol Hepatol")
    assert (work.issn_print, work.issn_electronic) == (None, "1747-4132")
    assert (work.published, work.published_text, work.epub) == ("2013-08", "2013 Aug", None)
    assert (work.volume, work.issue, work.pages) == ("7", "6", "517-30")
    assert (work.doi, work.pmid, work.pmcid, work.language) == ("10.1586/17474124.2013.816114", "23985001", None, "en")
    assert work.publication_types == ["Journal Article", "Review"]
    assert [(a.name, a.family, a.given, a.initials) for a in work.authors] == [
        ("Kanwar P", "Kanwar", "Pushpjeet", "P"), ("Kowdley KV", "Kowdley", "Kris V", "KV")]
    assert work.authors[0].affiliations == [
        "Liver Center for Excellence, Digestive Disease Institute, Virginia Mason Medical Center, Seattle, WA, USA."]
    assert work.mesh_terms[0] == ImportedMesh("Biomarkers", ["blood"], False)
    assert ImportedMesh("Diagnostic Imaging", ["methods"], True) in work.mesh_terms
    assert work.errata == [ImportedErratum("Expert Rev Gastroenterol Hepatol. 2013 Nov;7(8):767")]
    assert record.corrections == [Correction("erratum", "Expert Rev Gastroenterol Hepatol. 2013 Nov;7(8):767",
                                             source="pubmed", label="ErratumIn")]
    assert not record.retracted and record.notice_for == []
    assert (record.date_revised, record.date_completed) == ("2022-04-19", "2014-03-21")
    assert (record.url, record.fetched) == (URL.format("23985001"), "2026-07-01")


def test_a_retracted_article_with_its_reference_list():
    record = fetch("27602157", ok("pubmed-retracted-27602157.xml"))
    assert record.retracted
    assert record.work.publication_types == ["Journal Article", "Retracted Publication"]
    assert record.corrections == [Correction("retraction", "Oncol Lett. 2021 Jul;22(1):545", "34093767",
                                             source="pubmed", label="RetractionIn")]
    # erratum.yaml holds every notice with its kind: the retraction goes in as `kind: retraction`
    assert record.work.errata == [ImportedErratum("Oncol Lett. 2021 Jul;22(1):545", None, "34093767", "retraction")]
    work = record.work
    assert (work.doi, work.pmcid, work.issn_print, work.epub, work.pages) == (
        "10.3892/ol.2016.4904", "PMC4998573", "1792-1074", "2016-07-22", "2163-2168")
    assert work.keywords == ["deleted in liver cancer 1", "microRNA", "non-small cell lung cancer", "proliferation"]
    assert len(record.references) == 25
    assert record.references[0] == PubmedReference("Cancer Lett. 2013 Feb 1;329(1):84-90", "23111103")
    assert record.date_revised == "2021-06-07" and record.date_completed is None


def test_the_retraction_notice_itself_is_marked_as_a_notice_not_as_retracted():
    record = fetch("34093767", ok("pubmed-notice-34093767.xml"))
    assert not record.retracted and record.corrections == []
    assert record.notice_for == [Correction("retraction", "Oncol Lett. 2016 Sep;12(3):2163-2168", "27602157",
                                           source="pubmed", label="RetractionOf")]
    assert record.work.publication_types == ["Retraction of Publication"]


def test_an_expression_of_concern_and_an_update():
    concern = fetch("32090497", ok("pubmed-concern-32090497.xml")).corrections
    update = fetch("34086515", ok("pubmed-update-34086515.xml")).corrections
    assert concern == [Correction("expression-of-concern", "Int Wound J. 2021 Jun 7;:", "34096680",
                                  source="pubmed", label="ExpressionOfConcernIn")]
    assert update == [Correction("update", "Scand J Clin Lab Invest. 2021 Jun 7;:1", "34092155",
                                 source="pubmed", label="UpdateIn")]


def test_corrections_are_ordered_most_urgent_first():
    found = [fetch(p, ok(f)).corrections for p, f in [
        ("34086515", "pubmed-update-34086515.xml"), ("23985001", "pubmed-efetch-23985001-erratum.xml"),
        ("32090497", "pubmed-concern-32090497.xml"), ("27602157", "pubmed-retracted-27602157.xml")]]
    assert [c.label for c in corrections_of(*found)] == ["RetractionIn", "ExpressionOfConcernIn", "ErratumIn",
                                                         "UpdateIn"]
    assert len(corrections_of(found[3], found[3])) == 1  # the same notice twice is listed once


def test_a_real_efetch_answer_with_its_doctype_and_two_articles():
    record = fetch("11700088", ok("pubmed-efetch-biopython-pubmed2.xml"))
    work = record.work
    assert (work.title, work.doi, work.issn_print, work.published) == (
        "Proton MRI of (13)C distribution by J and chemical shift editing.", "10.1006/jmre.2001.2429",
        "1090-7807", "2001-11")
    assert work.copyright == "Copyright 2001 Academic Press."
    assert [a.name for a in work.authors] == ["Casieri C", "Testa C", "Carpinelli G", "Canese R", "Podo F",
                                              "De Luca F"]
    first = fetch("11748933", ok("pubmed-efetch-biopython-pubmed2.xml")).work
    assert first.authors[0].affiliations == [
        "Dipartimento di Scienze Ambientali, Università degli Studi della Tuscia, 01100 Viterbo, Italy."]
    assert first.abstract[0][1].startswith("This study subdivides the cryopreservation procedure")
    assert "(P < 0.001)" in first.abstract[0][1]  # &lt; read as text


def test_labelled_abstract_sections_collective_authors_orcid_and_medline_date():
    body = b"""<?xml version="1.0"?>
<!-- CONSTRUCTED following NLM's PubMed DTD: placeholder values, not a real record. -->
<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID Version="1">99999991</PMID>
<Article><Journal><JournalIssue><PubDate><MedlineDate>2019 Oct-Dec</MedlineDate></PubDate></JournalIssue>
<Title>Constructed Journal</Title></Journal><ArticleTitle>Constructed <i>title</i>.</ArticleTitle>
<Abstract><AbstractText Label="BACKGROUND" NlmCategory="BACKGROUND">One.</AbstractText>
<AbstractText Label="RESULTS">Two <sup>2</sup>.</AbstractText></Abstract>
<AuthorList><Author><LastName>Placeholder</LastName><ForeName>Ann</ForeName><Initials>A</Initials>
<Identifier Source="ORCID">https://orcid.org/0000-0002-1825-0097</Identifier></Author>
<Author><CollectiveName>Constructed Study Group</CollectiveName></Author></AuthorList>
<Language>ger</Language><Language>eng</Language></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"""
    work = parse_pubmed(Fetched("u", 200, body, "2026-07-01"), "99999991").work
    assert work.abstract == [("BACKGROUND", "One."), ("RESULTS", "Two 2.")]
    assert work.title == "Constructed title."
    assert (work.published, work.published_text) == ("2019", "2019 Oct-Dec")
    assert work.authors[0].orcid == "0000-0002-1825-0097"
    assert (work.authors[1].name, work.authors[1].collective) == ("Constructed Study Group",) * 2
    assert work.language == "de" and work.notes[-1] == "languages eng left out: the schema holds one language"


def test_an_unknown_pmid_gets_an_empty_set_and_one_line():
    with pytest.raises(UnknownIdentifier) as caught:
        fetch("37909814", ok("pubmed-efetch-empty-set.xml"))
    assert str(caught.value) == f"{URL.format('37909814')}: no record for PMID 37909814"


def test_a_pmid_whose_record_has_another_doi():
    with pytest.raises(DifferentWork) as caught:
        fetch("23985001", ok("pubmed-efetch-23985001-erratum.xml"), expected_doi="10.1007/s00198-010-1326-y")
    assert str(caught.value) == (f"{URL.format('23985001')}: the PubMed record for PMID 23985001 has DOI "
                                 "10.1586/17474124.2013.816114, the review has 10.1007/s00198-010-1326-y")
    same = fetch("23985001", ok("pubmed-efetch-23985001-erratum.xml"),
                 expected_doi="10.1586/17474124.2013.816114".upper())  # DOIs compare case-insensitively
    assert same.work.pmid == "23985001"


def test_malformed_xml_is_one_line_with_its_position():
    truncated = fixture("pubmed-efetch-23985001-erratum.xml")[:600]
    with pytest.raises(MalformedResponse) as caught:
        fetch("23985001", FakeResponse(200, truncated))
    message = str(caught.value)
    assert message.startswith(f"{URL.format('23985001')}: not well-formed XML (line ") and "\n" not in message


def test_an_answer_that_is_not_a_pubmed_article_set():
    with pytest.raises(MalformedResponse, match=r": expected a PubmedArticleSet, got <eFetchResult>$"):
        fetch("1", FakeResponse(200, b"<eFetchResult><ERROR>Empty id list</ERROR></eFetchResult>"))


def test_entities_are_refused_not_expanded():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><PubmedArticleSet>&b;</PubmedArticleSet>')
    with pytest.raises(MalformedResponse, match="declares its own entities; refused"):
        fetch("1", FakeResponse(200, bomb))
    external = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                b'<PubmedArticleSet>&e;</PubmedArticleSet>')
    with pytest.raises(MalformedResponse, match="refused"):
        fetch("1", FakeResponse(200, external))
