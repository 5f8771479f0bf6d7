"""Failures of a fetch, one class per kind, each a one-line message naming the URL.

All derive from `SourceError`, itself a `reviewsite.errors.SiteError`, so the command line prints them
as one line like any other input failure, and a bug in this code still shows a traceback.
"""

from __future__ import annotations

from ..errors import SiteError


class SourceError(SiteError):
    """A fetch or a parse of an outside record failed; `url` names what was asked for."""

    def __init__(self, url: str, message: str):
        self.url = url
        super().__init__(f"{url}: {message}")


class FetchTimeout(SourceError):
    """The service did not answer in time, after every retry."""

    def __init__(self, url: str, seconds: float, attempts: int):
        self.seconds, self.attempts = seconds, attempts
        super().__init__(url, f"no answer within {seconds:g} s ({attempts} attempts); try again later")


class RateLimited(SourceError):
    """The service kept answering 429 Too Many Requests; `retry_after` is the wait it last asked for."""

    def __init__(self, url: str, retry_after: float | None, attempts: int):
        self.retry_after, self.attempts = retry_after, attempts
        wait = f"; it asks to wait {retry_after:g} s" if retry_after is not None else ""
        super().__init__(url, f"rate-limited (HTTP 429) after {attempts} attempts{wait}")


class ServerError(SourceError):
    """The service kept failing with a 5xx status."""

    def __init__(self, url: str, status: int, attempts: int):
        self.status, self.attempts = status, attempts
        super().__init__(url, f"server error (HTTP {status}) after {attempts} attempts; try again later")


class RequestRefused(SourceError):
    """A 4xx answer other than 404 and 429: the request itself is wrong (or the key is refused)."""

    def __init__(self, url: str, status: int):
        self.status = status
        super().__init__(url, f"request refused (HTTP {status})")


class MalformedResponse(SourceError):
    """The body is not the XML or JSON the service documents."""


class UnknownIdentifier(SourceError):
    """The service knows no record for this PMID or DOI."""

    def __init__(self, url: str, kind: str, identifier: str):
        self.kind, self.identifier = kind, identifier
        super().__init__(url, f"no record for {kind} {identifier}")


class DifferentWork(SourceError):
    """The fetched record names another DOI than the review does: probably the wrong identifier."""

    def __init__(self, url: str, what: str, fetched_doi: str, expected_doi: str):
        self.fetched_doi, self.expected_doi = fetched_doi, expected_doi
        super().__init__(url, f"{what} has DOI {fetched_doi}, the review has {expected_doi}")


def check_same_work(expected_doi: str | None, fetched_doi: str | None, url: str, what: str) -> None:
    """Raise DifferentWork when both DOIs are known and differ (DOIs compare case-insensitively)."""
    if expected_doi and fetched_doi and expected_doi.strip().lower() != fetched_doi.strip().lower():
        raise DifferentWork(url, what, fetched_doi, expected_doi)
