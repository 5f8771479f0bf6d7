"""Shared by the test_sources_* modules (no tests here): a fake transport serving recorded bodies, and simulating
timeouts, 429 and 500."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import requests

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@dataclass
class FakeResponse:
    status_code: int
    content: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class FakeTransport:
    """Answers each GET with the next scripted item (a FakeResponse, or an exception to raise)."""

    def __init__(self, *script: FakeResponse | Exception):
        self.script = list(script)
        self.calls: list[dict] = []

    def get(self, url, *, params=None, headers=None, timeout=None):
        self.calls.append({"url": url, "params": dict(params or {}), "headers": dict(headers or {}),
                           "timeout": timeout})
        if not self.script:
            raise AssertionError(f"unexpected request to {url}")
        item = self.script.pop(0)
        if isinstance(item, Exception):
            raise item
        return item


def ok(name: str) -> FakeResponse:
    return FakeResponse(200, fixture(name))


TIMEOUT = requests.Timeout("read timed out")
