"""Identifier checks: syntax, check digits, dates that exist, page ranges, link schemes."""

from __future__ import annotations

import pytest

from reviewsite import identifiers as ids


@pytest.mark.parametrize("value", ["10.1007/s00198-010-1326-y", "10.1000/x", "10.1234/a(b)c;d<e>"])
def test_valid_dois(value):
    assert ids.check_doi(value) is None


@pytest.mark.parametrize(("value", "start"), [
    ("https://doi.org/10.1000/x",
     "write the bare DOI, without 'https://doi.org/' or 'doi:'; did you mean '10.1000/x'?"),
    ("doi:10.1000/x", "write the bare DOI, without 'https://doi.org/' or 'doi:'; did you mean '10.1000/x'?"),
    ("10.1000/x y", "not a DOI;"),
    ("10.10/x", "not a DOI;"),
    ("11.1000/x", "not a DOI;"),
    ("10.1000/", "not a DOI;"),
])
def test_invalid_dois(value, start):
    assert ids.check_doi(value).startswith(start)


@pytest.mark.parametrize(("value", "expected"), [
    ("20571772", None),
    ("1", None),
    ("012345", "a PMID never starts with 0; remove the leading zero(s), or check the number"),
    ("PMC123", "this is a PMCID, not a PMID; move it to `pmcid:`"),
    ("1234567890", "not a PMID; a PMID is 1 to 9 digits (e.g. 20571772)"),
    ("12a", "not a PMID; a PMID is 1 to 9 digits (e.g. 20571772)"),
])
def test_pmid(value, expected):
    assert ids.check_pmid(value) == expected


@pytest.mark.parametrize(("value", "ok"), [("PMC1234567", True), ("PMC0123", False), ("1234567", False),
                                           ("pmc123", False)])
def test_pmcid(value, ok):
    assert (ids.check_pmcid(value) is None) == ok


@pytest.mark.parametrize(("value", "ok"), [
    ("0937-941X", True), ("1433-2965", True), ("0028-0836", True), ("0378-5955", True),
    ("0937-9410", False), ("1433-2966", False), ("0937941X", False), ("0937-941x", False),
])
def test_issn_check_digit(value, ok):
    assert (ids.check_issn(value) is None) == ok


def test_issn_message_names_the_expected_check_digit():
    assert ids.check_issn("0937-9410") == "ISSN check digit is wrong (expected X); check for a typing mistake"


@pytest.mark.parametrize(("value", "ok"), [
    ("0000-0002-1825-0097", True), ("0000-0001-5109-3700", True), ("0000-0002-1694-233X", True),
    ("0000-0002-1825-0098", False), ("0000-0002-1694-2330", False), ("0000000218250097", False),
    ("https://orcid.org/0000-0002-1825-0097", False),
])
def test_orcid_checksum(value, ok):
    assert (ids.check_orcid(value) is None) == ok


@pytest.mark.parametrize(("value", "message"), [
    ("2011", None), ("2011-02", None), ("2010-06-23", None), ("2012-02-29", None), ("2000-02-29", None),
    ("2011-02-29", "this date does not exist; check the month (01-12) and the day"),
    ("1900-02-29", "this date does not exist; check the month (01-12) and the day"),
    ("2011-13", "this date does not exist; check the month (01-12) and the day"),
    ("2011-00", "this date does not exist; check the month (01-12) and the day"),
    ("2011-02-00", "this date does not exist; check the month (01-12) and the day"),
    ("2011-04-31", "this date does not exist; check the month (01-12) and the day"),
    ("2011-2", "not a date in the expected form; write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2010-06-23)"),
    ("23 June 2010", "not a date in the expected form; write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2010-06-23)"),
])
def test_dates_must_exist(value, message):
    assert ids.check_partial_date(value) == message


@pytest.mark.parametrize(("value", "expanded"), [
    ("435-46", ("435", "446")), ("435-446", ("435", "446")), ("1-10", ("1", "10")), ("99-101", ("99", "101")),
    ("1234-5", ("1234", "1235")), ("e123", ("e123", None)), ("S12-3", ("S12", "S13")), ("739", ("739", None)),
])
def test_abbreviated_page_ranges_expand_as_in_medline(value, expanded):
    assert ids.expand_pages(value) == expanded
    assert ids.check_pages(value) is None


@pytest.mark.parametrize(("value", "message"), [
    ("446-435", "the last page (435) comes before the first (446); check the range"),
    ("435-34", "the last page (434) comes before the first (435); check the range"),
    ("435--46", "not a page or page range; write pages as a number or a range (e.g. 435-46, 435-446, e1234)"),
    ("9" * 5000, "not a page or page range; write pages as a number or a range (e.g. 435-46, 435-446, e1234)"),
])
def test_bad_page_ranges(value, message):
    assert ids.check_pages(value) == message


@pytest.mark.parametrize(("value", "ok"), [
    ("https://pubmed.ncbi.nlm.nih.gov/20571772/", True), ("http://example.org", True),
    ("javascript:alert(1)", False), ("JAVASCRIPT:alert(1)", False), ("data:text/html,<script>", False),
    ("file:///etc/passwd", False), ("ftp://example.org/x", False), ("//example.org/x", False),
    ("../../etc/passwd", False), ("https://", False), ("https://exa mple.org", False), ("http://[::1", False),
    ("https://example.org/\nx", False),
])
def test_links_are_http_or_https_only(value, ok):
    assert (ids.check_url(value) is None) == ok


@pytest.mark.parametrize(("value", "ok"), [
    ("ferrari-lacraz-2011", True), ("a", True), ("Ferrari", False), ("a--b", False), ("-a", False), ("a_b", False),
    ("..", False), ("a/b", False), ("a" * 81, False), ("ünï", False), ("index.html", False),
])
def test_ids_are_safe_url_segments(value, ok):
    assert (ids.check_slug(value) is None) == ok


def test_every_message_says_what_is_wrong_and_how_to_fix_it():
    messages = [ids.check_doi("x"), ids.check_pmid("x"), ids.check_pmcid("x"), ids.check_issn("x"),
                ids.check_orcid("x"), ids.check_slug("X"), ids.check_url("x"), ids.check_partial_date("x"),
                ids.check_pages("x"), ids.check_pages("9-1"), ids.check_issn("0937-9410"),
                ids.check_orcid("0000-0002-1825-0098"), ids.check_partial_date("2011-02-30")]
    for message in messages:
        wrong, _, fix = message.partition("; ")
        assert wrong and fix, message
