"""Machine-readable metadata of a review page, from the model.

- Highwire Press `citation_*` tags, as Google Scholar's inclusion guidelines describe them;
- Dublin Core (`DC.*`, `DCTERMS.*`) and Open Graph (`og:*`, `article:*`) tags;
- one schema.org `ScholarlyArticle` JSON-LD object, without the references (below, `json_ld`);

Values that depend on where the site is served (the page's own URL) are added by
`overrides/main.html` from MkDocs' `site_url`; everything else is computed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import identifiers as ids
from ..model import Name, PartialDate, Person, Review, Summary, Work

MetaTag = tuple[str, str, str]  # (attribute: "name" or "property", its value, content)


@dataclass(frozen=True)
class PageMetadata:
    tags: tuple[MetaTag, ...]
    json_ld: dict[str, Any]


def scholar_date(date: PartialDate) -> str:
    """Google Scholar: "full dates in the 2010/5/12 format if available; or a year alone otherwise"."""
    return date.slashed if date.day else f"{date.year:04d}"


def _adder(tags: list[MetaTag]):
    """`add(name, value)`: a `<meta name=…>` tag, only when there is a value."""
    def add(name: str, value: str | None) -> None:
        if value:
            tags.append(("name", name, value))
    return add


def highwire_tags(work: Work) -> list[MetaTag]:
    tags: list[MetaTag] = []
    add = _adder(tags)

    add("citation_title", work.title)
    for name in work.authors:
        add("citation_author", name.inverted)
    if work.issued:
        # Google Scholar's inclusion guidelines: "Provide full dates in the "2010/5/12" format if available;
        # or a year alone otherwise" (scholar.google.com/intl/en/scholar/inclusion.html). A month alone is
        # neither, so citation_publication_date keeps the year, and citation_date carries the month
        # (2011/02), which Zotero's Embedded Metadata.js reads after it and keeps whole.
        add("citation_publication_date", scholar_date(work.issued))
        if work.issued.month and not work.issued.day:
            add("citation_date", work.issued.slashed)
    if work.epub:
        add("citation_online_date", scholar_date(work.epub))
    add("citation_journal_title", work.journal.name)
    add("citation_journal_abbrev", work.journal.abbreviation)
    for issn in work.journal.issns:
        add("citation_issn", issn.value)
    add("citation_volume", work.volume)
    add("citation_issue", work.issue)
    if work.page_range:
        add("citation_firstpage", work.page_range[0])
        add("citation_lastpage", work.page_range[1])
    add("citation_doi", work.doi)
    add("citation_pmid", work.pmid)
    add("citation_language", work.language)
    for keyword in work.keywords:
        add("citation_keywords", keyword)
    # The whole abstract: without it reference managers fall back to the 200-character meta description.
    add("citation_abstract", " ".join(work.abstract_text.split()) if work.abstract_text else None)
    return tags


def dublin_core_tags(work: Work, nlm_citation: str) -> list[MetaTag]:
    tags: list[MetaTag] = []
    add = _adder(tags)

    add("DC.title", work.title)
    for name in work.authors:
        add("DC.creator", name.inverted)
    add("DC.date", work.issued.iso if work.issued else None)
    add("DC.type", "Text")
    if work.doi:
        add("DC.identifier", ids.doi_url(work.doi))
    if work.pmid:
        add("DC.identifier", f"info:pmid/{work.pmid}")
    add("DC.language", work.language)
    for keyword in work.keywords:
        add("DC.subject", keyword)
    add("DC.rights", work.copyright)
    add("DCTERMS.isPartOf", work.journal.name)
    add("DCTERMS.bibliographicCitation", nlm_citation)
    return tags


def open_graph_tags(work: Work, description: str) -> list[MetaTag]:
    tags: list[MetaTag] = [("property", "og:type", "article"), ("property", "og:title", str(work.title)),
                           ("property", "og:description", description)]
    if work.issued:
        tags.append(("property", "article:published_time", work.issued.iso))
    tags += [("property", "article:tag", keyword) for keyword in work.keywords]
    return tags


def _person(name: Name, affiliations: list[str] = ()) -> dict[str, Any]:
    if name.literal is not None:
        return {"@type": "Organization", "name": name.literal}
    person: dict[str, Any] = {"@type": "Person", "name": name.display, "familyName": name.family}
    if name.given:
        person["givenName"] = name.given  # initials alone are not a given name
    if affiliations:
        person["affiliation"] = [{"@type": "Organization", "name": a} for a in affiliations]
    return person


def _periodical(work: Work) -> dict[str, Any]:
    journal = work.journal
    periodical: dict[str, Any] = {"@type": "Periodical", "name": journal.name}
    if journal.abbreviation and journal.abbreviation != journal.name:
        periodical["alternateName"] = journal.abbreviation
    if journal.issns:
        periodical["issn"] = [issn.value for issn in journal.issns]
    part: dict[str, Any] = periodical
    if work.volume:
        part = {"@type": "PublicationVolume", "volumeNumber": work.volume, "isPartOf": part}
    if work.issue:
        part = {"@type": "PublicationIssue", "issueNumber": work.issue, "isPartOf": part}
    return part


def _identifiers(work: Work) -> list[dict[str, str]]:
    return [{"@type": "PropertyValue", "propertyID": key, "value": value}
            for key, value in (("DOI", work.doi), ("PMID", work.pmid), ("PMCID", work.pmcid)) if value]


def _work(work: Work, authors: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "ScholarlyArticle"}
    if work.title:
        data["name"] = work.title
        data["headline"] = work.title
    if authors:
        data["author"] = authors
    if work.issued:
        data["datePublished"] = work.issued.iso
    if work.journal.name:
        data["isPartOf"] = _periodical(work)
    if work.page_range:
        data["pageStart"] = work.page_range[0]
        if work.page_range[1]:
            data["pageEnd"] = work.page_range[1]
    if _identifiers(work):
        data["identifier"] = _identifiers(work)
    if work.doi:
        data["sameAs"] = ids.doi_url(work.doi)
    return data


def _corrections(work: Work) -> list[dict[str, Any]]:
    """schema.org `correction`: each notice as the records know it (`Retraction in: ...`), most grave first,
    no title that no source gives."""
    notes = []
    for notice in work.corrections:
        note: dict[str, Any] = {"@type": "CorrectionComment",
                                "text": notice.sentence if notice.citation or notice.kind != "erratum" else
                                "An erratum has been published; its citation is not recorded."}
        if notice.doi:
            note["url"] = ids.doi_url(notice.doi)
        elif notice.pmid:
            note["url"] = ids.pubmed_url(notice.pmid)
        notes.append(note)
    return notes


def _status(work: Work, data: dict[str, Any]) -> None:
    """schema.org `creativeWorkStatus`: "Retracted" for a retracted work, with its notices as `correction`."""
    if work.retracted:
        data["creativeWorkStatus"] = "Retracted"
    if work.corrections:
        data["correction"] = _corrections(work)


def _summary_person(person: Person) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Person", "name": person.name}
    if person.orcid:
        data["sameAs"] = ids.orcid_url(person.orcid)
    return data


def _summary_properties(summary: Summary) -> dict[str, Any]:
    """The page's own authorship: the maintainers who wrote and reviewed its summary, and when."""
    data: dict[str, Any] = {"author": [_summary_person(p) for p in summary.written_by],
                            "dateCreated": summary.written.iso}
    if summary.reviewed:
        data["lastReviewed"] = summary.reviewed.iso
    if summary.reviewed_by:
        data["reviewedBy"] = [_summary_person(p) for p in summary.reviewed_by]
    return data


def json_ld(review: Review, description: str, page_title: str) -> dict[str, Any]:
    """The page is ours, a summary: a schema.org WebPage whose `mainEntity` is the article it summarises.

    Google's structured-data guidelines ask that the markup describe the page's own content truthfully
    (developers.google.com/search/docs/appearance/structured-data/sd-policies): the page is not the 2011
    article, so it does not claim to be; the article keeps its own identifiers and `sameAs` links.
    The page's `url` is added by overrides/main.html from MkDocs' site_url. The abstract is not repeated here:
    it is on the page, and machine-readable once in `citation_abstract` (issue 16). Where maintainers wrote a
    summary, the page names them as its authors (`author`, `dateCreated`, `lastReviewed`, `reviewedBy`);
    the article's `abstract` stays the authors' abstract.
    The references are not listed as `citation`: no consumer of the page reads them there (Zotero's Embedded
    Metadata.js reads Highwire, Dublin Core, eprints and PRISM tags, no JSON-LD; Google Scholar's inclusion guidelines
    name Highwire, Eprints, BE Press and PRISM tags and read references from the text; Google Search's Article
    structured data has no `citation`), and they are machine-readable once per site, in the references download
    (RIS) that the page links: 100 DOI links were 5 KB of each review page (issue 16).
    """
    article = review.article
    affiliation_names = {a.id: a.name for a in review.affiliations}
    authors = [_person(a, [affiliation_names[x] for x in a.affiliations]) for a in article.authors]
    data: dict[str, Any] = _work(article, authors)
    same_as = [ids.doi_url(article.doi)] if article.doi else []
    if article.pmid:
        same_as.append(ids.pubmed_url(article.pmid))
    if same_as:
        data["sameAs"] = same_as
    if article.language:
        data["inLanguage"] = article.language
    if article.keywords:
        data["keywords"] = list(article.keywords)
    if article.publication_types:
        data["genre"] = list(article.publication_types)
    if article.copyright:
        data["copyrightNotice"] = article.copyright
    if review.affiliations:
        # The article's affiliations; which author has which is recorded on the author when a source says.
        data["sourceOrganization"] = [{"@type": "Organization", "name": a.name} for a in review.affiliations]
    _status(article, data)
    page: dict[str, Any] = {"@context": "https://schema.org", "@type": "WebPage", "name": page_title,
                            "description": description}
    if review.summary:  # `description` is then the summary's bottom line, where it has one (ReviewView)
        page.update(_summary_properties(review.summary))
    page["mainEntity"] = data
    return page


def review_metadata(review: Review, description: str, nlm_citation: str) -> PageMetadata:
    """Every `<head>` tag of the review page except those needing its URL, and its JSON-LD object."""
    work = review.article
    tags = highwire_tags(work) + dublin_core_tags(work, nlm_citation) + open_graph_tags(work, description)
    return PageMetadata(tuple(tags), json_ld(review, description, str(work.title)))


def robots_txt(site_url: str) -> str:
    """Allow every crawler; name the sitemap MkDocs writes at the site's root (subpath included)."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    return f"User-agent: *\nDisallow:\n\nSitemap: {base}sitemap.xml\n"
