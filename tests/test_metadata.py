"""Page metadata, read from the built HTML the way clients read it, compared field by field with the record.

Highwire `citation_*` tags with an HTML parser (as Google Scholar and Zotero do); JSON-LD, Open Graph and
Dublin Core with extruct.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import extruct
import pytest
from test_model import real_records as real_review
from test_model import synthetic_review

from conftest import REVIEW_ID, copy_project
from reviewsite import identifiers as ids
from reviewsite.site import head as metadata

SUBPATH_URL = "http://127.0.0.1:8765/review-summaries/"
ODD_TITLE = 'Example </script><script>alert("x")</script> & <b>bold</b> "quoted"'


class HeadReader(HTMLParser):
    """Collects <meta>, <link rel=canonical> and JSON-LD script text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: list[tuple[str, str]] = []
        self.canonical: list[str] = []
        self.json_ld: list[str] = []
        self.coins: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and "content" in a and ("name" in a or "property" in a):
            self.meta.append((a.get("name") or a.get("property"), a["content"]))
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical.append(a["href"])
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._in_ld = True
            self.json_ld.append("")
        elif tag == "span" and a.get("class") == "Z3988":
            self.coins.append(a["title"])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld[-1] += data

    def values(self, name: str) -> list[str]:
        return [content for key, content in self.meta if key == name]


def read_head(path: Path) -> HeadReader:
    reader = HeadReader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader


@pytest.fixture(scope="module")
def page(built_site: Path) -> Path:
    return built_site / "reviews" / REVIEW_ID / "index.html"


@pytest.fixture(scope="module")
def head(page: Path) -> HeadReader:
    return read_head(page)


@pytest.fixture(scope="module")
def canonical(head: HeadReader) -> str:
    (url,) = head.canonical
    assert url.endswith(f"/reviews/{REVIEW_ID}/")
    return url


@pytest.fixture(scope="module")
def extracted(page: Path, canonical: str) -> dict:
    return extruct.extract(page.read_text(encoding="utf-8"), base_url=canonical,
                           syntaxes=["json-ld", "opengraph", "dublincore"], uniform=False)


def test_highwire_tags_match_the_record(head, canonical):
    review = real_review()
    article = review.article
    first, last = ids.expand_pages(article.pages)
    expected = {
        "citation_title": [article.title],
        "citation_author": ["Ferrari-Lacraz, S"],  # only the author the sources name
        # Google Scholar: a full date "2010/5/12" if available, "or a year alone otherwise" (the record: 2011-02);
        # the month goes in citation_date, which Zotero's Embedded Metadata.js reads after it
        "citation_publication_date": ["2011"],
        "citation_date": ["2011/02"],
        "citation_online_date": ["2010/06/23"],
        "citation_journal_title": [article.journal.title],
        "citation_journal_abbrev": [article.journal.iso_abbreviation],
        "citation_issn": [article.journal.issn_print, article.journal.issn_electronic],
        "citation_volume": [article.volume],
        "citation_issue": [article.issue],
        "citation_firstpage": [first],
        "citation_lastpage": [last],  # in full: 446, not 46
        "citation_doi": [article.doi],
        "citation_pmid": [article.pmid],
        "citation_language": [article.language],
        "citation_keywords": list(article.keywords),
        "citation_abstract": [review.abstract.sections[0].text],  # whole, not the 200-character description
        "citation_abstract_html_url": [canonical],
    }
    found = {name: head.values(name) for name, _ in head.meta if name.startswith("citation_")}
    assert found == expected
    assert last == "446"


def test_description_and_canonical(head, canonical):
    (description,) = head.values("description")
    assert description.startswith("Receptor activator of nuclear factor kappa B ligand (RANKL)")
    assert canonical.startswith("http")


def test_open_graph(extracted, head, canonical):
    article = real_review().article
    (og,) = extracted["opengraph"]
    properties = og["properties"]
    single = dict(properties)
    assert single["og:type"] == "article"
    assert single["og:title"] == article.title
    assert single["og:url"] == canonical
    assert single["og:description"] == head.values("description")[0]
    assert single["article:published_time"] == article.published
    assert [v for k, v in properties if k == "article:tag"] == list(article.keywords)


def test_dublin_core(extracted):
    article = real_review().article
    (dc,) = extracted["dublincore"]
    elements = [(e["name"], e["content"]) for e in dc["elements"] if e["name"].startswith("DC.")]
    assert ("DC.title", article.title) in elements
    assert [v for k, v in elements if k == "DC.creator"] == ["Ferrari-Lacraz, S"]
    assert ("DC.date", article.published) in elements
    assert [v for k, v in elements if k == "DC.identifier"] == [ids.doi_url(article.doi), f"info:pmid/{article.pmid}"]
    assert ("DC.language", "en") in elements
    assert [v for k, v in elements if k == "DC.subject"] == list(article.keywords)
    assert ("DC.rights", article.copyright) in elements
    terms = {t["name"]: t["content"] for t in dc["terms"]}
    assert terms["DCTERMS.isPartOf"] == article.journal.title
    assert terms["DCTERMS.bibliographicCitation"].startswith("Ferrari-Lacraz S, et al. Do RANKL inhibitors")


def test_the_page_is_a_web_page_about_the_article(extracted, canonical, head):
    review = real_review()
    article = review.article
    assert len(head.json_ld) == 1
    (page,) = extracted["json-ld"]
    # The page is our summary, not the 2011 article: a WebPage whose main entity is the article.
    assert page["@context"] == "https://schema.org" and page["@type"] == "WebPage"
    assert page["url"] == canonical and page["name"] == article.title
    assert page["description"] == head.values("description")[0]
    data = page["mainEntity"]
    assert data["@type"] == "ScholarlyArticle" and "url" not in data
    assert data["name"] == data["headline"] == article.title
    # one author, as recorded: initials are not a given name, and no affiliation is attributed to her
    assert data["author"] == [{"@type": "Person", "name": "S Ferrari-Lacraz", "familyName": "Ferrari-Lacraz"}]
    assert data["sourceOrganization"] == [{"@type": "Organization", "name": article.affiliations[0].name}]
    assert data["datePublished"] == article.published
    assert data["isPartOf"] == {
        "@type": "PublicationIssue", "issueNumber": "2",
        "isPartOf": {"@type": "PublicationVolume", "volumeNumber": "22",
                     "isPartOf": {"@type": "Periodical", "name": "Osteoporosis International",
                                  "alternateName": "Osteoporos Int", "issn": ["0937-941X", "1433-2965"]}}}
    assert (data["pageStart"], data["pageEnd"]) == ("435", "446")
    assert data["identifier"] == [{"@type": "PropertyValue", "propertyID": "DOI", "value": article.doi},
                                  {"@type": "PropertyValue", "propertyID": "PMID", "value": article.pmid}]
    assert data["sameAs"] == ["https://doi.org/10.1007/s00198-010-1326-y", "https://pubmed.ncbi.nlm.nih.gov/20571772/"]
    assert "abstract" not in data  # once per page, in citation_abstract (issue 16)
    assert data["inLanguage"] == "en" and data["keywords"] == list(article.keywords)
    assert data["genre"] == ["Review"] and data["copyrightNotice"] == article.copyright
    # The erratum as the records know it: its citation, and no title no source gives.
    assert data["correction"] == [{"@type": "CorrectionComment",
                                   "text": "Erratum in: Osteoporos Int. 2011 Feb;22(2):739"}]
    assert "publisher" not in data  # no source in the record names one


def test_json_ld_lists_no_references_and_the_page_links_their_download(extracted, page):
    """The cited works are machine-readable once per site, in the references download the page links; JSON-LD's
    `citation`, which no consumer of the page reads, no longer repeats them (issue 16: 5 KB a page at 100)."""
    assert "citation" not in extracted["json-ld"][0]["mainEntity"]
    assert f'href="{REVIEW_ID}-references.ris" download' in page.read_text(encoding="utf-8")


def test_json_ld_of_a_review_citing_identified_works_lists_none():
    review = synthetic_review(references=[
        {"citation": "J Ex. 2010;1:1-2", "title": "With a DOI", "doi": "10.1234/cited.1", "pmid": "99999991",
         "authors": ["Example A"], "sources": ["made-up"]},
        {"citation": "J Ex. 2012;3:5-6", "title": "With neither", "journal": "J Ex", "year": "2012",
         "sources": ["made-up"]}])
    data = metadata.json_ld(review, "description", "title")
    assert "citation" not in data["mainEntity"] and "10.1234/cited.1" not in json.dumps(data)


def test_references_page_offers_its_download_and_no_second_copy(built_site):
    """The reference list is machine-readable once: the RIS download the page links, not COinS spans beside each
    reference as well (issue 16; what Zotero reads from the download: tests/zotero/test_references.py)."""
    page = built_site / "reviews" / REVIEW_ID / "references" / "index.html"
    reader = read_head(page)
    assert reader.coins == []
    text = page.read_text(encoding="utf-8")
    link = f'href="../{REVIEW_ID}-references.ris" download type="application/x-research-info-systems"'
    assert link in text
    assert (built_site / "reviews" / REVIEW_ID / f"{REVIEW_ID}-references.ris").is_file()


def test_cite_section_on_the_page(page):
    text = page.read_text(encoding="utf-8")
    for key in ("nlm", "ama", "apa", "mla", "vancouver"):
        assert f'<p class="cite-text" id="cite-{key}">' in text  # its Copy button is added by cite.js (e2e)
    assert '<h2 id="cite">Cite<a class="headerlink"' in text  # the heading alone, the styles below it
    assert text.count('<div class="cite-style">') == 5
    assert "PMID: 20571772.</p>" in text
    assert "ferrari-lacraz-2011-references.nbib" not in text  # not offered: no reference has a PMID
    for name in ("ferrari-lacraz-2011.bib", "ferrari-lacraz-2011-references.ris"):
        assert f'href="{name}" download' in text
        assert (page.parent / name).is_file()  # MkDocs copied the download beside the page
    assert "javascripts/cite.js" in text


def test_robots_txt_text():
    assert metadata.robots_txt(SUBPATH_URL) == f"User-agent: *\nDisallow:\n\nSitemap: {SUBPATH_URL}sitemap.xml\n"
    assert metadata.robots_txt("https://example.org/site") == (
        "User-agent: *\nDisallow:\n\nSitemap: https://example.org/site/sitemap.xml\n")


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory) -> Path:
    """The project built for a site under a subpath, with a made-up title full of markup in a copy of the record."""
    from reviewsite.cli import main

    project = copy_project(tmp_path_factory.mktemp("subpath") / "project")
    record = project.records_dir / REVIEW_ID / "article.yaml"
    text = record.read_text(encoding="utf-8")
    text = re.sub(r'^title: ".*"$', "title: " + json.dumps(ODD_TITLE), text, count=1, flags=re.M)
    record.write_text(text, encoding="utf-8")
    abstract = project.records_dir / REVIEW_ID / "abstract.yaml"
    abstract.write_text(abstract.read_text(encoding="utf-8").replace(
        '"Receptor activator', '"\\"><b>x</b> Receptor activator', 1), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITE_URL", SUBPATH_URL)
        assert main(["build"], root=project.root) == 0
    return project.site_dir


def test_subpath_robots_sitemap_and_urls(subpath_site):
    assert (subpath_site / "robots.txt").read_text() == metadata.robots_txt(SUBPATH_URL)
    sitemap = (subpath_site / "sitemap.xml").read_text()
    locations = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert locations and all(loc.startswith(SUBPATH_URL) for loc in locations)
    assert f"{SUBPATH_URL}reviews/{REVIEW_ID}/" in locations
    head = read_head(subpath_site / "reviews" / REVIEW_ID / "index.html")
    page_url = f"{SUBPATH_URL}reviews/{REVIEW_ID}/"
    assert head.canonical == [page_url]
    assert head.values("og:url") == [page_url] == head.values("citation_abstract_html_url")
    assert json.loads(head.json_ld[0])["url"] == page_url


def test_markup_in_record_text_stays_text(subpath_site):
    page = subpath_site / "reviews" / REVIEW_ID / "index.html"
    html = page.read_text(encoding="utf-8")
    head = read_head(page)
    assert head.values("citation_title") == [ODD_TITLE] == head.values("og:title")
    (script,) = head.json_ld
    assert "<" not in script and ">" not in script  # escaped as \u003c, so no record can end the script
    assert json.loads(script)["name"] == ODD_TITLE
    assert '<script>alert("x")' not in html and "<b>x</b>" not in html
    assert head.values("description")[0].startswith('"><b>x</b> Receptor activator')
    assert head.values("og:description") == head.values("description")
    title = re.search(r"<title>(.*?)</title>", html.split("</head>")[0], flags=re.S).group(1)
    assert title.startswith("Example &lt;/script&gt;&lt;script&gt;alert(&#34;x&#34;)")
