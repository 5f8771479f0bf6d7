"""The citation model: CSL-JSON items hold exactly what the records hold, nothing more."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewsite.cite import csl
from reviewsite.load.records import Review, load_collection
from reviewsite.load.schema import ArticleRecord, ReferencesRecord

ROOT = Path(__file__).resolve().parents[1]


def real_review() -> Review:
    result = load_collection(ROOT / "records", ROOT)
    assert not result.errors, [p.format() for p in result.errors]
    return next(r for r in result.reviews if r.id == "ferrari-lacraz-2011")


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
    return Review(id="example-2020", folder="records/example-2020", article=ArticleRecord.model_validate(data),
                  abstract=None, errata=(), references=refs, files=("records/example-2020/article.yaml",))


def test_article_item_holds_the_record_values():
    review = real_review()
    article = review.article
    item = csl.article_item(review)
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
        "abstract": review.abstract.sections[0].text,
        "keyword": "Denosumab, Immunity, Inflammation, OPG, Osteoporosis, RANKL",
        "genre": "Review",
        "note": csl.INCOMPLETE_AUTHORS_NOTE,
    }


def test_no_empty_or_invented_fields():
    item = csl.article_item(synthetic_review())
    assert "note" not in item  # a complete author list needs no note
    assert "PMID" not in item and "available-date" not in item and "ISSN" not in item
    assert item["issued"] == {"date-parts": [[2020, 3, 15]]}
    assert item["page"] == "100-109"


def test_reference_items_follow_the_records():
    review = real_review()
    items = csl.reference_items(review)
    assert [i["id"] for i in items] == [f"ferrari-lacraz-2011-ref-{n}" for n in range(1, 6)]
    first = items[0]
    assert first == {"id": "ferrari-lacraz-2011-ref-1", "type": "article-journal", "container-title": "Immunol Lett",
                     "container-title-short": "Immunol Lett", "issued": {"date-parts": [[2007]]}, "volume": "110",
                     "issue": "1", "page": "54-64", "citation-label": "1"}
    lancet = items[3]
    assert lancet["author"][:2] == [{"family": "Maini", "given": "R"}, {"family": "St Clair", "given": "EW"}]
    assert lancet["author"][-1] == {"literal": "ATTRACT Study Group"}
    assert len(lancet["author"]) == len(review.reference_list[3].authors) + 1
    nature = items[2]
    assert nature["author"][0] == {"family": "Kong", "given": "Young-Yun"}
    assert nature["author"][2] == {"family": "Sarosi", "given": "Iidiko"}  # [sic], as the source writes it
    assert nature["page"] == "304-309"
    for item, ref in zip(items, review.reference_list, strict=True):
        assert "DOI" not in item and "PMID" not in item  # no source gives them
        assert ("title" in item) == (ref.title is not None)


@pytest.mark.parametrize(("text", "name"), [
    ("Maini R", {"family": "Maini", "given": "R"}),
    ("St Clair EW", {"family": "St Clair", "given": "EW"}),
    ("Gomez-Reino JJ", {"family": "Gomez-Reino", "given": "JJ"}),
    ("Young-Yun Kong", {"family": "Kong", "given": "Young-Yun"}),
    ("Earl R. Bogoch", {"family": "Bogoch", "given": "Earl R."}),
    ("Gwyneth Van", {"family": "Van", "given": "Gwyneth"}),
    ("Aristotle", {"family": "Aristotle"}),
])
def test_parse_reference_name(text, name):
    assert csl.parse_reference_name(text) == name


def test_name_helpers():
    assert csl.dotted_initials("EW") == "E. W."
    assert csl.dotted_initials("Earl R.") == "Earl R."
    assert csl.initials_of("Young-Yun") == "YY"
    assert csl.initials_of("Earl R.") == "ER"
    assert csl.initials_of("EW") == "EW"
    assert csl.display_name({"family": "Ferrari-Lacraz", "given": "S"}) == "S Ferrari-Lacraz"
    assert csl.full_page_range("435-46") == "435-446"
    assert csl.full_page_range("e1234") == "e1234"
