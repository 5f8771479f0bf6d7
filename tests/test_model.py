"""The model: built once from the records, holding exactly what they hold; its CSL-JSON view adds nothing."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from reviewsite.cite.csljson import csl_json_item
from reviewsite.load.records import ReviewRecords, load_collection
from reviewsite.load.schema import ArticleRecord, ReferencesRecord
from reviewsite.model import INCOMPLETE_AUTHORS_NOTE, Name, Review, Work
from reviewsite.model.from_records import build_review, reference_name

ROOT = Path(__file__).resolve().parents[1]


def real_records() -> ReviewRecords:
    """The shipped review's validated records, to check outputs against."""
    result = load_collection(ROOT / "records", ROOT)
    assert not result.errors, [p.format() for p in result.errors]
    return next(r for r in result.reviews if r.id == "ferrari-lacraz-2011")


def real_review() -> Review:
    return build_review(real_records())


def synthetic_review(authors: list[dict] | None = None, complete: bool = True, title: str = "Example A",
                     references: list[dict] | None = None, **article: object) -> Review:
    """A clearly made-up review (doi 10.1234/example) for behaviour the real record cannot show."""
    data = {
        "title": title,
        "journal": {"title": "Journal of Examples", "iso_abbreviation": "J Ex"},
        "published": "2020-03-15", "volume": "7", "issue": "1", "pages": "100-9",
        "doi": "10.1234/example", "publication_types": ["Review"],
        "authors": authors or [{"family": "Example", "initials": "A"}],
        "authors_complete": "true" if complete else "false",
        "sources": [{"id": "made-up", "name": "Made-up source", "url": "https://example.org/"}],
    }
    data.update(article)
    refs = ReferencesRecord.model_validate({"complete": "true", "references": references or []})
    return build_review(ReviewRecords(
        id="example-2020", folder="records/example-2020", article=ArticleRecord.model_validate(data),
        abstract=None, errata=(), references=refs, files=("records/example-2020/article.yaml",)))


def test_article_item_holds_the_record_values():
    review = real_review()
    article = review.article
    item = csl_json_item(review.article)
    assert item == {
        "id": "ferrari-lacraz-2011",
        "type": "article-journal",
        "title": article.title,
        "author": [{"family": "Ferrari-Lacraz", "given": "S"}],
        "container-title": "Osteoporosis International",
        "container-title-short": "Osteoporos Int",
        "ISSN": "0937-941X, 1433-2965",
        "issued": {"date-parts": [[2011, 2]]},
        "available-date": {"date-parts": [[2010, 6, 23]]},
        "volume": "22",
        "issue": "2",
        "page": "435-446",
        "DOI": "10.1007/s00198-010-1326-y",
        "PMID": "20571772",
        "language": "en",
        "abstract": article.abstract[0].text,
        "keyword": "Denosumab; Immunity; Inflammation; OPG; Osteoporosis; RANKL",
        "journalAbbreviation": "Osteoporos Int",  # the name Zotero's CSL JSON import reads
        "note": f"PMID: 20571772\n{INCOMPLETE_AUTHORS_NOTE}",  # Zotero's Extra form; no "genre" ("[Review]")
    }


def test_no_empty_or_invented_fields():
    item = csl_json_item(synthetic_review().article)
    assert "note" not in item  # a complete author list needs no note
    assert "PMID" not in item and "available-date" not in item and "ISSN" not in item
    assert item["issued"] == {"date-parts": [[2020, 3, 15]]}
    assert item["page"] == "100-109"


def test_reference_items_follow_the_records():
    review = real_review()
    items = [csl_json_item(work) for work in review.references]
    assert [i["id"] for i in items] == [f"ferrari-lacraz-2011-ref-{n}" for n in range(1, 6)]
    first = items[0]
    assert first == {"id": "ferrari-lacraz-2011-ref-1", "type": "article-journal", "container-title": "Immunol Lett",
                     "container-title-short": "Immunol Lett", "journalAbbreviation": "Immunol Lett",
                     "issued": {"date-parts": [[2007, 5, 15]]}, "volume": "110",
                     "issue": "1", "page": "54-64", "citation-label": "1"}
    lancet = items[3]
    assert lancet["author"][:2] == [{"family": "Maini", "given": "R"}, {"family": "St Clair", "given": "EW"}]
    assert lancet["author"][-1] == {"literal": "ATTRACT Study Group"}
    assert len(lancet["author"]) == 12  # the 11 people the source names, then the group
    nature = items[2]
    assert nature["author"][0] == {"family": "Kong", "given": "Young-Yun"}
    assert nature["author"][2] == {"family": "Sarosi", "given": "Iidiko"}  # [sic], as the source writes it
    assert nature["page"] == "304-309"
    for item, ref in zip(items, review.references, strict=True):
        assert "DOI" not in item and "PMID" not in item  # no source gives them
        assert ("title" in item) == (ref.title is not None)


@pytest.mark.parametrize(("text", "name"), [
    ("Maini R", Name(family="Maini", initials="R")),
    ("St Clair EW", Name(family="St Clair", initials="EW")),
    ("Gomez-Reino JJ", Name(family="Gomez-Reino", initials="JJ")),
    ("Young-Yun Kong", Name(family="Kong", given="Young-Yun")),
    ("Earl R. Bogoch", Name(family="Bogoch", given="Earl R.")),
    ("Gwyneth Van", Name(family="Van", given="Gwyneth")),
    ("Aristotle", Name(family="Aristotle")),
])
def test_reference_name(text, name):
    assert reference_name(text) == dataclasses.replace(name, written=text)


def test_name_helpers():
    assert Name(family="St Clair", initials="EW").dotted_initials == "E. W."
    assert Name(family="Bogoch", given="Earl R.").dotted_initials == "Earl R."
    assert Name(family="Kong", given="Young-Yun").initials_only == "YY"
    assert Name(family="Bogoch", given="Earl R.").initials_only == "ER"
    assert Name(family="St Clair", initials="EW").initials_only == "EW"
    assert Name(family="Ferrari-Lacraz", initials="S").display == "S Ferrari-Lacraz"
    assert Name(family="Ferrari-Lacraz", initials="S").inverted == "Ferrari-Lacraz, S"
    assert Work(id="x", pages="435-46").full_pages == "435-446"
    assert Work(id="x", pages="e1234").full_pages == "e1234"


def test_the_model_is_built_once_and_keeps_lists_as_lists():
    review = real_review()
    assert isinstance(review, Review)
    assert [(i.value, i.kind) for i in review.article.journal.issns] == [("0937-941X", "print"),
                                                                          ("1433-2965", "electronic")]
    assert review.article.keywords == ("Denosumab", "Immunity", "Inflammation", "OPG", "Osteoporosis", "RANKL")
    assert review.article.issued.pubmed == "2011 Feb" and review.article.epub.iso == "2010-06-23"
    assert [c.citation for c in review.article.corrections] == ["Osteoporos Int. 2011 Feb;22(2):739"]
    assert [w.number for w in review.references] == [1, 2, 3, 4, 5]
