"""One polite HTTP client for every outside service: timeouts, retries, a rate limit per host, a disk cache.

What each service asks for is done here once:
- NCBI E-utilities: `tool` and `email` parameters, `api_key` when NCBI_API_KEY is set; at most 3 requests
  a second without a key and 10 with one (https://www.ncbi.nlm.nih.gov/books/NBK25497/).
- Crossref: `mailto` for the polite pool and a User-Agent naming the tool and the mailto
  (https://www.crossref.org/documentation/retrieve-metadata/rest-api/tips-for-using-the-crossref-rest-api/).
- Everyone: a timeout, retries with exponential backoff on 429 and 5xx that honour `Retry-After`.

The transport (anything with requests.Session's `get`) and `sleep` are injectable, so tests replay
recorded responses without network and without waiting.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlencode, urlsplit

import requests

from .errors import FetchTimeout, RateLimited, RequestRefused, ServerError, SourceError, UnknownIdentifier

TOOL = "reviewsite"
NCBI_HOST = "eutils.ncbi.nlm.nih.gov"
CROSSREF_HOST = "api.crossref.org"
_MAX_RETRY_AFTER = 120.0  # a longer wait than this is reported, not slept through


class Transport(Protocol):
    """What the client needs of requests.Session."""

    def get(self, url: str, *, params: Any = ..., headers: Any = ..., timeout: Any = ...) -> Any: ...


@dataclass(frozen=True)
class Contact:
    """Who is asking: from REVIEWSITE_EMAIL and NCBI_API_KEY. Either may be missing."""

    email: str | None = None
    api_key: str | None = None
    tool: str = TOOL

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Contact:
        env = os.environ if env is None else env
        return cls(email=env.get("REVIEWSITE_EMAIL") or None, api_key=env.get("NCBI_API_KEY") or None)

    @property
    def user_agent(self) -> str:
        return f"{self.tool} (mailto:{self.email})" if self.email else self.tool


@dataclass(frozen=True)
class Fetched:
    """One answer: the URL as a record cites it (no secrets), its status, body and the date it was read."""

    url: str
    status: int
    body: bytes
    fetched: str  # YYYY-MM-DD, when the service answered (for a cached answer: when it first did)
    from_cache: bool = False


def service_params(host: str, contact: Contact) -> dict[str, str]:
    """The identification parameters a service asks every request to carry."""
    if host == NCBI_HOST:
        params = {"tool": contact.tool}
        if contact.email:
            params["email"] = contact.email
        if contact.api_key:
            params["api_key"] = contact.api_key
        return params
    if host == CROSSREF_HOST and contact.email:
        return {"mailto": contact.email}
    return {}


def requests_per_second(host: str, contact: Contact) -> float:
    """NCBI: 3 a second, 10 with an API key. Crossref's polite pool allows 5 a second (its X-Rate-Limit
    headers in recorded answers say 5 per 1s). Anyone else: 1 a second."""
    if host == NCBI_HOST:
        return 10.0 if contact.api_key else 3.0
    if host == CROSSREF_HOST:
        return 5.0
    return 1.0


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """`Retry-After` as seconds: either a number of seconds or an HTTP date. None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = now or datetime.now(timezone.utc)
    return max(0.0, (when - now).total_seconds())


class PoliteClient:
    """GET with identification, a per-host rate limit, retries and an on-disk cache of 200 answers.

    `get` returns a `Fetched` or raises one of the `SourceError` kinds; it never prints. With a cache
    folder, an answer already there is returned without any request (unless `refresh=True`).
    """

    def __init__(self, cache_dir: Path | None = None, *, contact: Contact | None = None,
                 transport: Transport | None = None, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic, today: Callable[[], str] | None = None,
                 timeout: float = 30.0, retries: int = 4, backoff: float = 1.0):
        self.cache_dir = cache_dir
        self.contact = contact or Contact.from_env()
        self.transport: Transport = transport or requests.Session()
        self.sleep, self.clock, self.timeout, self.retries, self.backoff = sleep, clock, timeout, retries, backoff
        self.today = today or (lambda: datetime.now(timezone.utc).date().isoformat())
        self._last_request: dict[str, float] = {}
        self.requests_made = 0

    def get(self, url: str, params: Mapping[str, str] | None = None, *, what: tuple[str, str] | None = None,
            refresh: bool = False) -> Fetched:
        """Fetch `url` with `params`. `what` = (kind, identifier) turns a 404 into UnknownIdentifier."""
        host = urlsplit(url).hostname or ""
        # The URL a record cites and the cache key: the caller's parameters only, without who asked
        # (email, API key), which must not end up in a record or a cache file.
        shown = f"{url}?{urlencode(sorted((params or {}).items()))}" if params else url
        query = dict(params or {})
        query.update(service_params(host, self.contact))
        if not refresh:
            cached = self._read_cache(shown)
            if cached:
                return cached
        response = self._get_with_retries(url, query, shown, host)
        status = response.status_code
        if status == 404:
            if what:
                raise UnknownIdentifier(shown, *what)
            raise RequestRefused(shown, status)
        if status != 200:
            raise RequestRefused(shown, status)
        answer = Fetched(shown, status, bytes(response.content), self.today())
        self._write_cache(answer)
        return answer

    def forget(self, shown: str) -> None:
        """Drop the cached answer for `shown` (a Fetched.url): an answer that could not be read is not kept."""
        path = self._cache_path(shown)
        if path is not None:
            for suffix in (".json", ".body"):  # metadata first: without it the body is never used
                path.with_suffix(suffix).unlink(missing_ok=True)

    def _get_with_retries(self, url: str, query: dict[str, str], shown: str, host: str) -> Any:
        headers = {"User-Agent": self.contact.user_agent}
        attempts = self.retries + 1
        for attempt in range(1, attempts + 1):
            self._wait_for_turn(host)
            delay = self.backoff * 2 ** (attempt - 1)
            try:
                self.requests_made += 1
                response = self.transport.get(url, params=query, headers=headers, timeout=self.timeout)
            except requests.Timeout:
                if attempt == attempts:
                    raise FetchTimeout(shown, self.timeout, attempts) from None
                self.sleep(delay)
                continue
            except requests.RequestException as exc:
                if attempt == attempts:
                    raise SourceError(shown, f"cannot connect ({type(exc).__name__})") from None
                self.sleep(delay)
                continue
            status = response.status_code
            if status != 429 and status < 500:
                return response
            asked = retry_after_seconds(response.headers.get("Retry-After"))
            if attempt == attempts or (asked is not None and asked > _MAX_RETRY_AFTER):
                if status == 429:
                    raise RateLimited(shown, asked, attempt)
                raise ServerError(shown, status, attempt)
            self.sleep(max(delay, asked or 0.0))
        raise AssertionError("unreachable")  # the loop returns or raises

    def _wait_for_turn(self, host: str) -> None:
        interval = 1.0 / requests_per_second(host, self.contact)
        last = self._last_request.get(host)
        if last is not None:
            wait = last + interval - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last_request[host] = self.clock()

    def _cache_path(self, shown: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / hashlib.sha256(shown.encode()).hexdigest()[:32]

    def _read_cache(self, shown: str) -> Fetched | None:
        path = self._cache_path(shown)
        if path is None or not path.with_suffix(".json").is_file() or not path.with_suffix(".body").is_file():
            return None
        try:
            meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
            body = path.with_suffix(".body").read_bytes()
        except (OSError, ValueError):
            return None  # a damaged entry is fetched again
        if meta.get("url") != shown or hashlib.sha256(body).hexdigest() != meta.get("sha256"):
            return None
        return Fetched(shown, int(meta["status"]), body, str(meta["fetched"]), from_cache=True)

    def _write_cache(self, answer: Fetched) -> None:
        path = self._cache_path(answer.url)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = {"url": answer.url, "status": answer.status, "fetched": answer.fetched,
                "sha256": hashlib.sha256(answer.body).hexdigest()}
        # Body first, then the metadata that vouches for it: a run stopped halfway leaves no valid entry.
        for suffix, data in ((".body", answer.body), (".json", json.dumps(meta, indent=1).encode())):
            temporary = path.with_suffix(suffix + ".tmp")
            temporary.write_bytes(data)
            os.replace(temporary, path.with_suffix(suffix))
