"""Machine-readable metadata of a review page, from the CSL-JSON model.

- Highwire Press `citation_*` tags, as Google Scholar's inclusion guidelines describe them;
- Dublin Core (`DC.*`, `DCTERMS.*`) and Open Graph (`og:*`, `article:*`) tags;
- one schema.org `ScholarlyArticle` JSON-LD object, with the references as `citation`;
- COinS (OpenURL ContextObjects in spans) for each reference, for reference managers.

Values that depend on where the site is served (the page's own URL) are added by
`overrides/main.html` from MkDocs' `site_url`; everything else is computed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from ..cite import csl
from .. import identifiers as ids
from ..cite.styles import STYLES, format_citation
from ..load.records import Review

MetaTag = tuple[str, str, str]  # (attribute: "name" or "property", its value, content)


@dataclass(frozen=True)
class PageMetadata:
    tags: tuple[MetaTag, ...]
    json_ld: dict[str, Any]


def _parts(item: csl.CslItem, variable: str) -> list[int]:
    return (item.get(variable) or {}).get("date-parts", [[]])[0]


def _iso_date(parts: list[int]) -> str:
    return "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(parts))


def scholar_date(parts: list[int]) -> str:
    """Google Scholar: "full dates in the 2010/5/12 format if available; or a year alone otherwise"."""
    if len(parts) == 3:
        return f"{parts[0]:04d}/{parts[1]:02d}/{parts[2]:02d}"
    return f"{parts[0]:04d}"


def family_given(name: dict[str, str]) -> str:
    """`Ferrari-Lacraz, S`: Highwire's and Dublin Core's "Family, Given" (a group keeps its name)."""
    if "literal" in name:
        return name["literal"]
    return f"{name['family']}, {name['given']}" if name.get("given") else name["family"]


def _pages(item: csl.CslItem) -> tuple[str | None, str | None]:
    if not item.get("page"):
        return None, None
    first, _, last = item["page"].partition("-")  # csl holds the range in full: 435-446
    return first, last or None


def highwire_tags(review: Review, item: csl.CslItem) -> list[MetaTag]:
    article = review.article
    tags: list[MetaTag] = []

    def add(name: str, value: str | None) -> None:
        if value:
            tags.append(("name", name, value))

    add("citation_title", item["title"])
    for name in item.get("author", []):
        add("citation_author", family_given(name))
    add("citation_publication_date", scholar_date(_parts(item, "issued")))
    if _parts(item, "available-date"):
        add("citation_online_date", scholar_date(_parts(item, "available-date")))
    add("citation_journal_title", item.get("container-title"))
    add("citation_journal_abbrev", item.get("container-title-short"))
    for issn in (article.journal.issn_print, article.journal.issn_electronic):
        add("citation_issn", issn)
    add("citation_volume", item.get("volume"))
    add("citation_issue", item.get("issue"))
    first, last = _pages(item)
    add("citation_firstpage", first)
    add("citation_lastpage", last)
    add("citation_doi", item.get("DOI"))
    add("citation_pmid", item.get("PMID"))
    add("citation_language", item.get("language"))
    for keyword in article.keywords:
        add("citation_keywords", keyword)
    return tags


def dublin_core_tags(review: Review, item: csl.CslItem, nlm_citation: str) -> list[MetaTag]:
    tags: list[MetaTag] = []

    def add(name: str, value: str | None) -> None:
        if value:
            tags.append(("name", name, value))

    add("DC.title", item["title"])
    for name in item.get("author", []):
        add("DC.creator", family_given(name))
    add("DC.date", _iso_date(_parts(item, "issued")))
    add("DC.type", "Text")
    if item.get("DOI"):
        add("DC.identifier", ids.doi_url(item["DOI"]))
    if item.get("PMID"):
        add("DC.identifier", f"info:pmid/{item['PMID']}")
    add("DC.language", item.get("language"))
    for keyword in review.article.keywords:
        add("DC.subject", keyword)
    add("DC.rights", review.article.copyright)
    add("DCTERMS.isPartOf", item.get("container-title"))
    add("DCTERMS.bibliographicCitation", nlm_citation)
    return tags


def open_graph_tags(review: Review, item: csl.CslItem, description: str) -> list[MetaTag]:
    tags: list[MetaTag] = [("property", "og:type", "article"), ("property", "og:title", item["title"]),
                           ("property", "og:description", description)]
    tags.append(("property", "article:published_time", _iso_date(_parts(item, "issued"))))
    tags += [("property", "article:tag", keyword) for keyword in review.article.keywords]
    return tags


def _person(name: dict[str, str], affiliations: list[str] = ()) -> dict[str, Any]:
    if "literal" in name:
        return {"@type": "Organization", "name": name["literal"]}
    person: dict[str, Any] = {"@type": "Person", "name": csl.display_name(name), "familyName": name["family"]}
    if name.get("given") and not csl.is_initials(name["given"]):
        person["givenName"] = name["given"]  # initials alone are not a given name
    if affiliations:
        person["affiliation"] = [{"@type": "Organization", "name": a} for a in affiliations]
    return person


def _periodical(item: csl.CslItem, issns: list[str]) -> dict[str, Any]:
    periodical: dict[str, Any] = {"@type": "Periodical", "name": item.get("container-title")}
    if item.get("container-title-short") and item["container-title-short"] != item.get("container-title"):
        periodical["alternateName"] = item["container-title-short"]
    if issns:
        periodical["issn"] = issns
    part: dict[str, Any] = periodical
    if item.get("volume"):
        part = {"@type": "PublicationVolume", "volumeNumber": item["volume"], "isPartOf": part}
    if item.get("issue"):
        part = {"@type": "PublicationIssue", "issueNumber": item["issue"], "isPartOf": part}
    return part


def _identifiers(item: csl.CslItem) -> list[dict[str, str]]:
    return [{"@type": "PropertyValue", "propertyID": key, "value": item[key]}
            for key in ("DOI", "PMID", "PMCID") if item.get(key)]


def _work(item: csl.CslItem, authors: list[dict[str, Any]], issns: list[str]) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "ScholarlyArticle"}
    if item.get("title"):
        work["name"] = item["title"]
        work["headline"] = item["title"]
    if authors:
        work["author"] = authors
    if _parts(item, "issued"):
        work["datePublished"] = _iso_date(_parts(item, "issued"))
    if item.get("container-title"):
        work["isPartOf"] = _periodical(item, issns)
    first, last = _pages(item)
    if first:
        work["pageStart"] = first
    if last:
        work["pageEnd"] = last
    if _identifiers(item):
        work["identifier"] = _identifiers(item)
    if item.get("DOI"):
        work["sameAs"] = ids.doi_url(item["DOI"])
    return work


def json_ld(review: Review, item: csl.CslItem, description: str) -> dict[str, Any]:
    """schema.org ScholarlyArticle for the review; `url` is added by the page template."""
    article = review.article
    affiliation_names = {a.id: a.name for a in article.affiliations}
    authors = [_person(csl.author_name(a), [affiliation_names[x] for x in a.affiliations])
               for a in article.authors]
    issns = [i for i in (article.journal.issn_print, article.journal.issn_electronic) if i]
    data: dict[str, Any] = {"@context": "https://schema.org", **_work(item, authors, issns)}
    data["description"] = description
    if item.get("abstract"):
        data["abstract"] = item["abstract"]
    if item.get("language"):
        data["inLanguage"] = item["language"]
    if article.keywords:
        data["keywords"] = list(article.keywords)
    if article.publication_types:
        data["genre"] = list(article.publication_types)
    if article.copyright:
        data["copyrightNotice"] = article.copyright
    if article.affiliations:
        # The article's affiliations; which author has which is recorded on the author when a source says.
        data["sourceOrganization"] = [{"@type": "Organization", "name": a.name} for a in article.affiliations]
    references = csl.reference_items(review)
    if references:
        data["citation"] = [_work(ref, [_person(n) for n in ref.get("author", [])], []) for ref in references]
    return data


def review_metadata(review: Review, description: str, nlm_citation: str | None = None) -> PageMetadata:
    """Every `<head>` tag of the review page except those needing its URL, and its JSON-LD object."""
    item = csl.article_item(review)
    nlm = nlm_citation or format_citation(STYLES[0], item, csl.authors_complete(review)).text
    tags = highwire_tags(review, item) + dublin_core_tags(review, item, nlm) + open_graph_tags(review, item,
                                                                                              description)
    return PageMetadata(tuple(tags), json_ld(review, item, description))


def coins(item: csl.CslItem) -> str:
    """An OpenURL 1.0 ContextObject (KEV, journal format) for a COinS span's title attribute."""
    pairs = [("ctx_ver", "Z39.88-2004"), ("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"),
             ("rft.genre", "article")]
    if item.get("title"):
        pairs.append(("rft.atitle", item["title"]))
    if item.get("container-title"):
        pairs.append(("rft.jtitle", item["container-title"]))
    if item.get("container-title-short"):
        pairs.append(("rft.stitle", item["container-title-short"]))
    if _parts(item, "issued"):
        pairs.append(("rft.date", _iso_date(_parts(item, "issued"))))
    for key, variable in (("rft.volume", "volume"), ("rft.issue", "issue")):
        if item.get(variable):
            pairs.append((key, item[variable]))
    first, last = _pages(item)
    if first:
        pairs.append(("rft.spage", first))
    if last:
        pairs.append(("rft.epage", last))
    names = item.get("author", [])
    people = [n for n in names if "literal" not in n]
    if people:
        pairs.append(("rft.aulast", people[0]["family"]))
        if people[0].get("given"):
            pairs.append(("rft.aufirst", people[0]["given"]))
    for name in names:
        pairs.append(("rft.aucorp", name["literal"]) if "literal" in name else ("rft.au", csl.display_name(name)))
    if item.get("ISSN"):
        pairs.append(("rft.issn", item["ISSN"].split(",")[0].strip()))
    if item.get("DOI"):
        pairs.append(("rft_id", f"info:doi/{item['DOI']}"))
    if item.get("PMID"):
        pairs.append(("rft_id", f"info:pmid/{item['PMID']}"))
    return urlencode(pairs, quote_via=quote, safe="")


def reference_coins(review: Review) -> dict[int, str]:
    """Each reference's COinS, by its number in the list."""
    return {n: coins(item) for n, item in enumerate(csl.reference_items(review), 1)}


def robots_txt(site_url: str) -> str:
    """Allow every crawler; name the sitemap MkDocs writes at the site's root (subpath included)."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    return f"User-agent: *\nDisallow:\n\nSitemap: {base}sitemap.xml\n"
