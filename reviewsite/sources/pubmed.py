"""PubMed records by PMID, through E-utilities efetch (db=pubmed, retmode=xml), read into `ImportedWork`.

Follows NLM's PubMed DTD (https://dtd.nlm.nih.gov/ncbi/pubmed/out/): MedlineCitation/Article holds the
citation, CommentsCorrectionsList the links to notices (ErratumIn, RetractionIn, ExpressionOfConcernIn,
UpdateIn point to notices about this work; ErratumFor, RetractionOf, ... mark this record as a notice),
PubmedData/ArticleIdList the identifiers and PubmedData/ReferenceList the cited works.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .. import identifiers as ids
from ..importers.model import ImportedAuthor, ImportedErratum, ImportedMesh, ImportedWork
from ..importers.values import checked, language_code, partial_date
from .corrections import ERRATUM, EXPRESSION_OF_CONCERN, RETRACTION, UPDATE, Correction
from .errors import MalformedResponse, UnknownIdentifier, check_same_work
from .http import Fetched, PoliteClient
from .xml import parse_xml, text_of

EFETCH = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/efetch.fcgi"

# Links from this record to a notice about it, by urgency kind.
_NOTICES_ABOUT_IT = {"RetractionIn": RETRACTION, "ExpressionOfConcernIn": EXPRESSION_OF_CONCERN,
                     "ErratumIn": ERRATUM, "UpdateIn": UPDATE}
# Links that make this record itself a notice about another work.
_IS_NOTICE_FOR = {"RetractionOf": RETRACTION, "ExpressionOfConcernFor": EXPRESSION_OF_CONCERN,
                  "ErratumFor": ERRATUM, "UpdateOf": UPDATE}
# PubMed writes MARC/ISO 639-2 bibliographic codes; the records use ISO 639-1 where one exists.
_LANGUAGE = {"eng": "en", "fre": "fr", "ger": "de", "spa": "es", "ita": "it", "por": "pt", "dut": "nl",
             "rus": "ru", "jpn": "ja", "chi": "zh", "kor": "ko", "pol": "pl", "swe": "sv", "dan": "da",
             "nor": "no", "fin": "fi", "cze": "cs", "hun": "hu", "tur": "tr", "gre": "el", "heb": "he",
             "ara": "ar"}
_DOI_IN_TEXT = re.compile(r"\bdoi:\s*(10\.\S+?)\.?(?:\s|$)")


@dataclass(frozen=True)
class PubmedReference:
    """One entry of the record's ReferenceList, as PubMed gives it."""

    citation: str | None
    pmid: str | None = None
    doi: str | None = None
    pmcid: str | None = None


@dataclass
class PubmedRecord:
    """A parsed PubmedArticle: the work, its notices, and which version of the record was read."""

    work: ImportedWork
    url: str
    fetched: str | None = None  # the date the record was read
    corrections: list[Correction] = field(default_factory=list)  # notices about this work, in record order
    notice_for: list[Correction] = field(default_factory=list)  # works this record is a notice about
    retracted: bool = False  # PublicationType "Retracted Publication" or a RetractionIn link
    references: list[PubmedReference] = field(default_factory=list)
    date_revised: str | None = None  # MedlineCitation/DateRevised: the version of the record
    date_completed: str | None = None


def efetch_params(pmid: str) -> dict[str, str]:
    return {"db": "pubmed", "id": pmid, "retmode": "xml"}


def fetch_pubmed(pmid: str, client: PoliteClient, *, expected_doi: str | None = None,
                 refresh: bool = False) -> PubmedRecord:
    """The PubMed record of `pmid`. Raises UnknownIdentifier when PubMed has none, DifferentWork when
    `expected_doi` is given and the record names another DOI, and the fetch errors of `PoliteClient`."""
    answer = client.get(EFETCH, efetch_params(pmid), what=("PMID", pmid), refresh=refresh)
    try:
        record = parse_pubmed(answer, pmid)
    except (MalformedResponse, UnknownIdentifier):
        client.forget(answer.url)  # ask again next time rather than replay an unreadable answer
        raise
    check_same_work(expected_doi, record.work.doi, answer.url, f"the PubMed record for PMID {pmid}")
    return record


def parse_pubmed(answer: Fetched, pmid: str | None = None) -> PubmedRecord:
    """The PubmedArticle for `pmid` in an efetch answer (the first one when `pmid` is None)."""
    root = parse_xml(answer.body, answer.url)
    if root.tag != "PubmedArticleSet":
        raise MalformedResponse(answer.url, f"expected a PubmedArticleSet, got <{root.tag}>")
    for article in root.findall("PubmedArticle"):
        if pmid is None or article.findtext("MedlineCitation/PMID", "").strip() == pmid:
            return _record(article, answer)
    raise UnknownIdentifier(answer.url, "PMID", pmid or "(any)")


def _record(article: etree._Element, answer: Fetched) -> PubmedRecord:
    citation = article.find("MedlineCitation")
    work = _work(citation, article.find("PubmedData"))
    record = PubmedRecord(work, answer.url, answer.fetched,
                          date_revised=_date(citation.find("DateRevised")),
                          date_completed=_date(citation.find("DateCompleted")))
    for link in citation.iterfind("CommentsCorrectionsList/CommentsCorrections"):
        ref_type = link.get("RefType", "")
        kind = _NOTICES_ABOUT_IT.get(ref_type) or _IS_NOTICE_FOR.get(ref_type)
        if not kind:
            continue
        source = text_of(link.find("RefSource"))
        notice = Correction(kind, source, text_of(link.find("PMID")), _doi_in(source), source="pubmed",
                            label=ref_type)
        (record.corrections if ref_type in _NOTICES_ABOUT_IT else record.notice_for).append(notice)
        if ref_type in _NOTICES_ABOUT_IT:  # erratum.yaml's entries, each with its kind
            work.errata.append(ImportedErratum(source or "", notice.doi, notice.pmid, kind))
    record.retracted = ("Retracted Publication" in work.publication_types
                        or any(c.kind == RETRACTION for c in record.corrections))
    for reference in article.iterfind("PubmedData/ReferenceList/Reference"):
        found = {i.get("IdType"): text_of(i) for i in reference.iterfind("ArticleIdList/ArticleId")}
        record.references.append(PubmedReference(text_of(reference.find("Citation")), found.get("pubmed"),
                                                 found.get("doi"), found.get("pmc")))
    return record


def _doi_in(text: str | None) -> str | None:
    match = _DOI_IN_TEXT.search(text or "")
    return match.group(1) if match else None


def _date(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    date = partial_date(element.findtext("Year"), element.findtext("Month"), element.findtext("Day"))
    return date[0] if date else None


def _work(citation: etree._Element, pubmed_data: etree._Element | None) -> ImportedWork:
    article = citation.find("Article")
    work = ImportedWork(line=0)
    notes = work.notes
    work.pmid = checked(text_of(citation.find("PMID")), ids.check_pmid, "PMID", notes)
    work.title = text_of(article.find("ArticleTitle"))
    journal = article.find("Journal")
    work.journal_title = text_of(journal.find("Title"))
    work.journal_abbreviation = text_of(journal.find("ISOAbbreviation")) or text_of(
        citation.find("MedlineJournalInfo/MedlineTA"))
    for issn in journal.iterfind("ISSN"):
        attribute = {"Print": "issn_print", "Electronic": "issn_electronic"}.get(issn.get("IssnType", ""))
        if attribute:
            setattr(work, attribute, checked(text_of(issn), ids.check_issn, "ISSN", notes))
    issue = journal.find("JournalIssue")
    work.volume = text_of(issue.find("Volume"))
    work.issue = text_of(issue.find("Issue"))
    _published(issue.find("PubDate"), work)
    for date in article.iterfind("ArticleDate"):
        if date.get("DateType") == "Electronic":
            work.epub = _date(date)
    work.pages = checked(text_of(article.find("Pagination/MedlinePgn")), ids.check_pages, "pages", notes)
    dois = [text_of(e) for e in article.iterfind("ELocationID") if e.get("EIdType") == "doi"]
    found = {i.get("IdType"): text_of(i) for i in
             (pubmed_data.iterfind("ArticleIdList/ArticleId") if pubmed_data is not None else [])}
    work.doi = checked(dois[0] if dois else found.get("doi"), ids.check_doi, "DOI", notes)
    work.pmcid = checked(found.get("pmc"), ids.check_pmcid, "PMCID", notes)
    work.publication_types = [t for t in (text_of(e) for e in article.iterfind("PublicationTypeList/*")) if t]
    languages = [t for t in (text_of(e) for e in article.iterfind("Language")) if t]
    if languages:
        work.language = language_code(_LANGUAGE.get(languages[0], languages[0]), notes)
        if len(languages) > 1:
            notes.append(f"languages {', '.join(languages[1:])} left out: the schema holds one language")
    work.authors = [_author(a, notes) for a in article.iterfind("AuthorList/Author")]
    work.keywords = [k for k in (text_of(e) for e in citation.iterfind("KeywordList/Keyword")) if k]
    for heading in citation.iterfind("MeshHeadingList/MeshHeading"):
        descriptor = heading.find("DescriptorName")
        qualifiers = heading.findall("QualifierName")
        major = any(e.get("MajorTopicYN") == "Y" for e in [descriptor, *qualifiers])
        work.mesh_terms.append(ImportedMesh(text_of(descriptor) or "", [text_of(q) or "" for q in qualifiers],
                                            major))
    for section in article.iterfind("Abstract/AbstractText"):
        text = text_of(section)
        if text:
            work.abstract.append((section.get("Label") or None, text))
    work.copyright = text_of(article.find("Abstract/CopyrightInformation"))
    return work


def _published(pub_date: etree._Element | None, work: ImportedWork) -> None:
    if pub_date is None:
        return
    medline_date = text_of(pub_date.find("MedlineDate"))
    if medline_date:  # '2019 Oct-Dec': the year, and PubMed's own text for the citation
        year = re.match(r"\d{4}", medline_date)
        work.published = year.group(0) if year else None
        work.published_text = medline_date
        work.notes.append(f"publication date '{medline_date}' recorded as the year {work.published} "
                          "(the schema has no ranges or seasons)")
        return
    date = partial_date(pub_date.findtext("Year"), pub_date.findtext("Month"), pub_date.findtext("Day"))
    if date:
        work.published, work.published_text = date


def _author(element: etree._Element, notes: list[str]) -> ImportedAuthor:
    collective = text_of(element.find("CollectiveName"))
    if collective:
        author = ImportedAuthor(name=collective, collective=collective)
    else:
        family = text_of(element.find("LastName")) or ""
        initials = text_of(element.find("Initials"))
        # `name` as MEDLINE's AU line writes it ('Kowdley KV'), which reference lists use.
        author = ImportedAuthor(name=f"{family} {initials}" if initials else family, family=family,
                                given=text_of(element.find("ForeName")), initials=initials)
    for identifier in element.iterfind("Identifier"):
        match = re.search(r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])", text_of(identifier) or "")
        if identifier.get("Source") == "ORCID" and match:
            author.orcid = checked("-".join(match.groups()), ids.check_orcid, "ORCID", notes)
    for affiliation in element.iterfind("AffiliationInfo/Affiliation"):
        text = text_of(affiliation)
        if text and text not in author.affiliations:
            author.affiliations.append(text)
    return author
