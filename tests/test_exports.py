"""Downloads: each format is parsed back the way a reference manager would read it and compared with the record."""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from hypothesis import given, settings
from hypothesis import strategies as st
from test_model import real_review, synthetic_review

from reviewsite.cite import export_files
from reviewsite.cite.bibtex import write_bibtex
from reviewsite.cite.csljson import csl_json_item, write_csl_json
from reviewsite.cite.medline import line, medline_pages, write_medline
from reviewsite.cite.ris import write_ris
from reviewsite.model import INCOMPLETE_AUTHORS_NOTE

FOLDER = PurePosixPath("reviews", "ferrari-lacraz-2011")


@pytest.fixture(scope="module")
def files() -> dict[PurePosixPath, str]:
    return export_files(real_review())


def read_medline(text: str) -> list[dict[str, list[str]]]:
    """A tiny MEDLINE reader: records split by blank lines; six-space lines continue the previous value."""
    records = []
    for block in re.split(r"\n\s*\n", text.strip()):
        record: dict[str, list[str]] = {}
        last = None
        for raw in block.splitlines():
            if raw.startswith("      "):
                record[last][-1] += " " + raw.strip()
                continue
            match = re.match(r"^([A-Z]{2,4}) *- (.*)$", raw)
            assert match, f"not a MEDLINE line: {raw!r}"
            last = match[1]
            record.setdefault(last, []).append(match[2])
        records.append(record)
    return records


def test_every_file_is_written_beside_the_review_page(files):
    assert sorted(p.name for p in files) == sorted(
        [f"ferrari-lacraz-2011.{ext}" for ext in ("bib", "ris", "nbib", "json")]
        + ["ferrari-lacraz-2011-references.ris"])  # the reference list once, as RIS (issue 16)
    assert all(p.parent == FOLDER for p in files)


def test_bibtex_article(files):
    review = real_review()
    article = review.article
    library = bibtexparser.parse_string(files[FOLDER / "ferrari-lacraz-2011.bib"],
                                        append_middleware=[SeparateCoAuthors(), SplitNameParts()])
    assert not library.failed_blocks
    (entry,) = library.entries
    assert (entry.entry_type, entry.key) == ("article", "ferrari-lacraz-2011")
    (first,) = entry["author"]  # no "others": Zotero would make it an author (BibTeX.js)
    assert (first.last, first.first) == (["Ferrari-Lacraz"], ["S."])
    assert entry["note"] == INCOMPLETE_AUTHORS_NOTE
    assert entry["title"].replace("{", "").replace("}", "") == article.title
    assert entry["journal"] == article.journal.title
    assert entry["shortjournal"] == article.journal.abbreviation
    assert (entry["year"], entry["month"]) == ("2011", "feb")
    assert (entry["volume"], entry["number"], entry["pages"]) == ("22", "2", "435--446")
    assert (entry["doi"], entry["pmid"]) == (article.doi, article.pmid)
    assert entry["issn"] == "0937-941X, 1433-2965"
    assert entry["keywords"] == ", ".join(article.keywords)
    assert entry["abstract"] == article.abstract[0].text
    assert entry["language"] == "en"


def test_bibtex_references():
    # Not offered for a reference list (RIS is, once); the writer itself still writes a list whole.
    review = real_review()
    library = bibtexparser.parse_string(write_bibtex(review.references),
                                        append_middleware=[SeparateCoAuthors(), SplitNameParts()])
    assert not library.failed_blocks
    assert len(library.entries) == len(review.references)
    for entry, ref in zip(library.entries, review.references, strict=True):
        assert entry["journal"] == ref.journal.abbreviation and entry["year"] == str(ref.issued.year)
        assert entry["volume"] == ref.volume and entry["number"] == ref.issue
        assert "title" not in entry.fields_dict if ref.title is None else entry["title"].replace("{", "").replace(
            "}", "") == ref.title
        names = entry.fields_dict.get("author")
        assert (len(names.value) if names else 0) == len(ref.authors)
    lancet = library.entries[3]["author"]
    assert (lancet[1].last, lancet[1].first) == (["St", "Clair"], ["E.", "W."])
    assert lancet[-1].last == ["{ATTRACT Study Group}"]  # braced: one group, not a person


def test_ris_article(files):
    review = real_review()
    article = review.article
    (record,) = rispy.loads(files[FOLDER / "ferrari-lacraz-2011.ris"], mapping={**rispy.TAG_KEY_MAPPING, "M2": "extra"})
    assert record == {
        "type_of_reference": "JOUR",
        "title": article.title,
        "authors": ["Ferrari-Lacraz, S."],
        "year": "2011",
        "date": "2011/02//",
        "secondary_title": "Osteoporosis International",
        "alternate_title1": "Osteoporos Int",
        "volume": "22",
        "number": "2",
        "start_page": "435",
        "end_page": "446",
        "doi": article.doi,  # and no UR of its address: Zotero links the DOI itself (ris.py)
        "issn": "0937-941X, 1433-2965",
        "extra": "PMID: 20571772",
        "language": "en",
        "abstract": article.abstract[0].text,
        "keywords": list(article.keywords),
        "notes": [INCOMPLETE_AUTHORS_NOTE],
    }
    assert files[FOLDER / "ferrari-lacraz-2011.ris"].startswith("TY  - JOUR\n")  # no "1." line before it


def test_ris_says_each_fact_once():
    """No DA for a year alone (PY says it) and no UR for a DOI's address (DO says it): issue 16, reasons in ris.py.
    A month or day still goes to DA, the one tag that holds it."""
    review = synthetic_review(references=[
        {"citation": "J Ex. 2010;1:1-2", "title": "A year", "year": "2010", "doi": "10.1234/cited.1",
         "journal": "J Ex", "sources": ["made-up"]},
        {"citation": "J Ex. 2011 May 3;2:3-4", "title": "A day", "published": "2011-05-03", "journal": "J Ex",
         "sources": ["made-up"]}])
    text = write_ris(review.references)
    year, day = rispy.loads(text)
    assert (year["year"], "date" in year, year["doi"], "urls" in year) == ("2010", False, "10.1234/cited.1", False)
    assert (day["year"], day["date"]) == ("2011", "2011/05/03/")
    assert "UR  - " not in text and text.count("DA  - ") == 1


def test_ris_references(files):
    review = real_review()
    records = rispy.loads(files[FOLDER / "ferrari-lacraz-2011-references.ris"])
    assert len(records) == 5
    for record, ref in zip(records, review.references, strict=True):
        assert record["secondary_title"] == ref.journal.abbreviation and record["year"] == str(ref.issued.year)
        assert record.get("title") == ref.title
        assert len(record.get("authors", [])) == len(ref.authors)
    assert records[2]["authors"][0] == "Kong, Young-Yun"
    assert (records[2]["start_page"], records[2]["end_page"]) == ("304", "309")


def test_medline_article(files):
    review = real_review()
    article = review.article
    (record,) = read_medline(files[FOLDER / "ferrari-lacraz-2011.nbib"])
    assert record == {
        "PMID": ["20571772"],
        "IS": ["0937-941X (Print)", "1433-2965 (Electronic)"],
        "VI": ["22"], "IP": ["2"], "DP": ["2011 Feb"],
        "TI": [article.title],
        "PG": ["435-46"],
        "LID": ["10.1007/s00198-010-1326-y [doi]"],
        "AB": [article.abstract[0].text],
        "FAU": ["Ferrari-Lacraz, S"], "AU": ["Ferrari-Lacraz S"],
        "LA": ["eng"], "PT": ["Review"], "DEP": ["20100623"],
        "TA": ["Osteoporos Int"], "JT": ["Osteoporosis International"],
        "EIN": ["Osteoporos Int. 2011 Feb;22(2):739"],
        "OTO": ["NOTNLM"], "OT": list(article.keywords),
        "AID": ["10.1007/s00198-010-1326-y [doi]"],
        "SO": ["Osteoporos Int. 2011 Feb;22(2):435-46. doi: 10.1007/s00198-010-1326-y. Epub 2010 Jun 23."],
    }
    # the SO line is PubMed's own citation line, as the seed copy of the PubMed page shows it
    assert record["SO"][0].startswith(article.journal.abbreviation + ". 2011 Feb;22(2):435-46.")


def test_medline_lines_keep_the_format(files):
    for path, text in files.items():
        if path.suffix == ".nbib":
            for raw in text.splitlines():
                assert len(raw) <= 80
                assert raw == "" or raw.startswith("      ") or re.match(r"^[A-Z]{2,4} *- ", raw)
                assert raw[4:6] == "- " or not raw.strip() or raw.startswith("      ")


def test_medline_references():
    # Not offered for the real review (no reference has a PMID); the writer itself still writes PubMed's lines.
    records = read_medline(write_medline(real_review().references))
    assert [r["SO"][0] for r in records] == [
        "Immunol Lett. 2007 May 15;110(1):54-64.", "Cell Immunol. 2002 Oct;219(2):82-91.",
        "Nature. 1999 Nov 18;402(6759):304-9.", "Lancet. 1999 Dec 4;354(9194):1932-9.",
        "Arthritis Rheum. 2003 Aug;48(8):2122-7."]
    assert records[2]["AU"][13] == "Bogoch ER" and records[2]["FAU"][13] == "Bogoch, Earl R"
    assert records[3]["CN"] == ["ATTRACT Study Group"] and records[3]["AU"][1] == "St Clair EW"
    assert all("PMID" not in r and "JT" not in r for r in records)  # none known; TA is all the source gives


def test_csl_json(files):
    review = real_review()
    assert json.loads(files[FOLDER / "ferrari-lacraz-2011.json"]) == [csl_json_item(review.article)]
    assert json.loads(write_csl_json(review.references)) == [csl_json_item(work) for work in review.references]


def test_medline_helpers():
    assert medline_pages("435-446") == "435-46"
    assert medline_pages("1932-1939") == "1932-9"
    assert medline_pages("99-101") == "99-101"
    assert medline_pages("e123") == "e123"
    assert line("TI", "short") == "TI  - short"


def test_a_complete_author_list_has_no_others():
    assert "others" not in write_bibtex([synthetic_review().article])


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="^",
                                       whitelist_characters="\n\t"),
                min_size=1, max_size=60).map(str.strip).filter(bool)


@pytest.mark.parametrize("title", ["Bone -- and --- joints", "!`Hola! ?`Qué?", "``quoted'' text", "it's ''"])
def test_latex_ligatures_in_a_title_stay_as_written(title):
    # LaTeX reads "--" as an en dash, "!`" and "?`" as ¡ and ¿, "``" and "''" as curly quotes (found by the
    # property test below: the title "!`" came back as "¡").
    library = bibtexparser.parse_string(write_bibtex([synthetic_review(title=title).article]),
                                        append_middleware=[LatexDecodingMiddleware()])
    assert re.sub(r"(?<!\\)[{}]", "", library.entries[0]["title"]) == title


@settings(max_examples=60, deadline=None)
@given(title=_text)
def test_any_title_survives_bibtex_ris_and_medline(title):
    item = synthetic_review(title=title).article
    expected = " ".join(item.title.split())  # line breaks in a record's text are not kept by these formats
    library = bibtexparser.parse_string(write_bibtex([item]), append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks
    decoded = library.entries[0]["title"]
    assert " ".join(re.sub(r"(?<!\\)[{}]", "", decoded).split()) == expected.replace("{", "").replace("}", "") \
        or " ".join(decoded.split()) == expected
    assert rispy.loads(write_ris([item]))[0]["title"] == expected
    assert read_medline(write_medline([item]))[0]["TI"] == [expected]


# The three defects the one-model redesign fixed (issue 12); each failed on the old dict-joining exporters.

def test_an_electronic_only_issn_is_written_as_electronic():
    review = synthetic_review(journal={"title": "Journal of Examples", "iso_abbreviation": "J Ex",
                                       "issn_electronic": "1433-2965"})
    (record,) = read_medline(write_medline([review.article]))
    assert record["IS"] == ["1433-2965 (Electronic)"]  # was "1433-2965 (Print)"


def test_a_keyword_with_a_comma_stays_one_keyword():
    review = synthetic_review(keywords=["Bone, cortical", "Osteoporosis"])
    assert rispy.loads(write_ris([review.article]))[0]["keywords"] == ["Bone, cortical", "Osteoporosis"]
    assert read_medline(write_medline([review.article]))[0]["OT"] == ["Bone, cortical", "Osteoporosis"]


def test_a_reference_without_a_year_has_one_period():
    review = synthetic_review(references=[{"citation": "Immunol Lett", "journal": "Immunol Lett",
                                           "sources": ["made-up"]}])
    (record,) = read_medline(write_medline(review.references))
    assert record["SO"] == ["Immunol Lett."]  # was "Immunol Lett.."


def test_two_hyphens_stay_two_hyphens_in_bibtex():
    # hypothesis found it: LaTeX (and bibtexparser's decoder) read "--" as an en dash.
    library = bibtexparser.parse_string(write_bibtex([synthetic_review(title="A -- B --- C").article]),
                                        append_middleware=[LatexDecodingMiddleware()])
    assert re.sub(r"(?<!\\)[{}]", "", library.entries[0]["title"]) == "A -- B --- C"
