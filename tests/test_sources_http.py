"""The polite client: identification, rate limit, retries with backoff and Retry-After, cache, one-line errors."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import requests
from test_sources_fakes import TIMEOUT, FakeResponse, FakeTransport, ok

from reviewsite.errors import SiteError
from reviewsite.sources.errors import FetchTimeout, RateLimited, RequestRefused, ServerError, UnknownIdentifier
from reviewsite.sources.http import Contact, PoliteClient, retry_after_seconds

EFETCH = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/efetch.fcgi"
WORK = "https://api.crossref.org/works/10.1371/journal.pone.0033693"
PARAMS = {"db": "pubmed", "id": "23985001", "retmode": "xml"}
SHOWN = f"{EFETCH}?db=pubmed&id=23985001&retmode=xml"


class Clock:
    """A clock that only moves when the client sleeps."""

    def __init__(self):
        self.now, self.sleeps = 1000.0, []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


def client(transport, tmp_path=None, *, email="maintainer@example.org", api_key=None, **options):
    clock = Clock()
    made = PoliteClient(tmp_path, contact=Contact(email=email, api_key=api_key), transport=transport,
                        sleep=clock.sleep, clock=lambda: clock.now, today=lambda: "2026-07-01", **options)
    return made, clock


def test_ncbi_requests_carry_tool_email_and_key_but_the_cited_url_does_not():
    transport = FakeTransport(ok("pubmed-efetch-23985001-erratum.xml"))
    made, _ = client(transport, api_key="SECRET")
    answer = made.get(EFETCH, PARAMS)
    call = transport.calls[0]
    assert call["params"] == {**PARAMS, "tool": "reviewsite", "email": "maintainer@example.org", "api_key": "SECRET"}
    assert call["headers"]["User-Agent"] == "reviewsite (mailto:maintainer@example.org)"
    assert call["timeout"] == 30.0
    assert answer.url == SHOWN
    assert (answer.status, answer.fetched, answer.from_cache) == (200, "2026-07-01", False)


def test_crossref_requests_carry_mailto_for_the_polite_pool():
    transport = FakeTransport(ok("crossref-works-10.1371-journal.pone.0033693.json"))
    made, _ = client(transport)
    made.get(WORK)
    assert transport.calls[0]["params"] == {"mailto": "maintainer@example.org"}


def test_contact_comes_from_the_environment():
    contact = Contact.from_env({"REVIEWSITE_EMAIL": "a@b.org", "NCBI_API_KEY": "k"})
    assert (contact.email, contact.api_key, contact.user_agent) == ("a@b.org", "k", "reviewsite (mailto:a@b.org)")
    assert Contact.from_env({}).user_agent == "reviewsite"


@pytest.mark.parametrize(("api_key", "gap"), [(None, 1 / 3), ("k", 1 / 10)])
def test_ncbi_rate_limit_is_three_a_second_or_ten_with_a_key(api_key, gap):
    body = ok("pubmed-efetch-23985001-erratum.xml")
    transport = FakeTransport(body, body, body)
    made, clock = client(transport, api_key=api_key)
    for pmid in ("1", "2", "3"):
        made.get(EFETCH, {"id": pmid})
    assert clock.sleeps == [round(gap, 6), round(gap, 6)]


def test_a_rerun_is_answered_from_the_cache_without_a_request(tmp_path):
    transport = FakeTransport(ok("pubmed-efetch-23985001-erratum.xml"))
    first, _ = client(transport, tmp_path)
    fetched = first.get(EFETCH, PARAMS)
    again, _ = client(FakeTransport(), tmp_path)
    cached = again.get(EFETCH, PARAMS)
    assert again.requests_made == 0
    assert (cached.body, cached.fetched, cached.url, cached.from_cache) == (fetched.body, "2026-07-01", SHOWN, True)
    assert "SECRET" not in "".join(p.read_text(errors="ignore") for p in tmp_path.iterdir())
    assert "maintainer@example.org" not in "".join(p.read_text(errors="ignore") for p in tmp_path.glob("*.json"))


def test_refresh_bypasses_the_cache(tmp_path):
    client(FakeTransport(ok("pubmed-efetch-23985001-erratum.xml")), tmp_path)[0].get(EFETCH, PARAMS)
    transport = FakeTransport(ok("pubmed-efetch-biopython-pubmed2.xml"))
    made, _ = client(transport, tmp_path)
    assert b"11748933" in made.get(EFETCH, PARAMS, refresh=True).body
    assert made.requests_made == 1


def test_429_waits_as_long_as_retry_after_asks_then_succeeds():
    transport = FakeTransport(FakeResponse(429, b"", {"Retry-After": "7"}), ok("pubmed-efetch-23985001-erratum.xml"))
    made, clock = client(transport)
    assert made.get(EFETCH, PARAMS).status == 200
    assert clock.sleeps == [7.0]  # Retry-After (7 s) beats the first backoff (1 s); the rate gap has passed


def test_500_backs_off_exponentially_then_succeeds():
    transport = FakeTransport(FakeResponse(500), FakeResponse(502), FakeResponse(503),
                              ok("pubmed-efetch-23985001-erratum.xml"))
    made, clock = client(transport)
    made.get(EFETCH, PARAMS)
    assert clock.sleeps == [1.0, 2.0, 4.0]


def test_timeout_after_every_retry_is_one_line_naming_the_url():
    made, clock = client(FakeTransport(*[TIMEOUT] * 3), retries=2, timeout=5)
    with pytest.raises(FetchTimeout) as caught:
        made.get(EFETCH, PARAMS)
    assert str(caught.value) == f"{SHOWN}: no answer within 5 s (3 attempts); try again later"
    assert isinstance(caught.value, SiteError) and clock.sleeps == [1.0, 2.0]


def test_429_after_every_retry_reports_the_retry_after_it_gave():
    made, _ = client(FakeTransport(*[FakeResponse(429, b"", {"Retry-After": "3"})] * 3), retries=2)
    with pytest.raises(RateLimited) as caught:
        made.get(EFETCH, PARAMS)
    assert str(caught.value) == f"{SHOWN}: rate-limited (HTTP 429) after 3 attempts; it asks to wait 3 s"
    assert caught.value.retry_after == 3.0


def test_a_retry_after_too_long_to_wait_is_reported_at_once():
    transport = FakeTransport(FakeResponse(429, b"", {"Retry-After": "3600"}))
    made, clock = client(transport)
    with pytest.raises(RateLimited, match="it asks to wait 3600 s") as caught:
        made.get(EFETCH, PARAMS)
    assert caught.value.attempts == 1 and clock.sleeps == []


def test_500_after_every_retry_is_a_server_error():
    made, _ = client(FakeTransport(*[FakeResponse(500)] * 2), retries=1)
    with pytest.raises(ServerError) as caught:
        made.get(EFETCH, PARAMS)
    assert str(caught.value) == f"{SHOWN}: server error (HTTP 500) after 2 attempts; try again later"


def test_404_of_an_identifier_is_unknown_identifier_with_crossrefs_real_404_body():
    made, _ = client(FakeTransport(FakeResponse(404, b"Resource not found.")))
    url = "https://api.crossref.org/works/10.1371/notarealdoi"
    with pytest.raises(UnknownIdentifier) as caught:
        made.get(url, what=("DOI", "10.1371/notarealdoi"))
    assert str(caught.value) == f"{url}: no record for DOI 10.1371/notarealdoi"


def test_other_4xx_is_refused_without_retry():
    transport = FakeTransport(FakeResponse(400))
    made, _ = client(transport)
    with pytest.raises(RequestRefused, match=r"request refused \(HTTP 400\)$"):
        made.get(EFETCH, PARAMS)
    assert made.requests_made == 1


def test_connection_errors_are_retried_then_reported():
    made, _ = client(FakeTransport(requests.ConnectionError("x"), requests.ConnectionError("x")), retries=1)
    with pytest.raises(SiteError, match=r"cannot connect \(ConnectionError\)$"):
        made.get(EFETCH, PARAMS)


def test_retry_after_as_an_http_date():
    now = datetime(2026, 6, 16, 13, 35, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("Tue, 16 Jun 2026 13:35:12 GMT", now) == 12.0
    assert retry_after_seconds("soon", now) is None and retry_after_seconds(None) is None
