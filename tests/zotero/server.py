"""Zotero's own translation-server, set up once and run for a test session, and the built site served beside it.

`../shared/zotero/translation-server.tgz` is Zotero's translation-server with the translators Zotero's browser
connector and its file import use (`../shared/zotero/README.md`). `setup.sh DIR` unpacks it and runs `npm install`;
the result is kept in `.cache/zotero-ts/` (git-ignored) and reused while the archive and the script are unchanged.
Each session starts its own server on a free port of 127.0.0.1 (NODE_CONFIG overrides the port of
`ts/config/local.json5`, so parallel sessions never collide) and stops it, by its process id, at the end.

The Zotero tests skip with one clear reason where `../shared/zotero` is missing (a clone alone, GitHub's runner
included); where it is there but node or npm is missing they skip, or fail under CI=true as the browser tests do
(`tests/e2e/conftest.py: require`).

The fixtures:
- `zotero`: a `TranslationServer`; `zotero.save_page(url)` is what the connector saves from a page (POST /web, every
  item chosen when it offers several), `zotero.import_file(data)` what Zotero imports from a file (POST /import).
- `zotero_site`: the real records built for a GitHub Pages subpath (tests/e2e/siteserver.py) and served on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.e2e.conftest import require
from tests.e2e.siteserver import build_for, start_server

SHARED_ZOTERO = ROOT.parent / "shared" / "zotero"
CACHE = ROOT / ".cache" / "zotero-ts"
READY = CACHE / "READY"  # holds the fingerprint of the archive and script the folder was set up from
SETUP_TIMEOUT = 600  # seconds; npm install takes about 10 s here
START_TIMEOUT = 120  # seconds until the server answers; "Translators initialized" after about 5 s
REQUEST_TIMEOUT = 120
UNAVAILABLE = "Zotero's translation-server is unavailable"

# The smallest file its RIS import accepts: the server is ready when this comes back as one item.
PROBE = b"TY  - JOUR\nTI  - probe\nER  - \n"


class ImportRefused(Exception):
    """The server answered an import or a save with an error (e.g. 500 "No suitable translators found")."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(f"HTTP {status}: {text}")
        self.status = status
        self.text = text


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for name in ("translation-server.tgz", "setup.sh"):
        digest.update((SHARED_ZOTERO / name).read_bytes())
    return digest.hexdigest()


def _remove(path: Path) -> None:
    def writable(function, name, _exc) -> None:  # the archive may hold read-only folders
        os.chmod(name, stat.S_IRWXU)
        function(name)

    if path.exists():
        shutil.rmtree(path, onerror=writable)


def ensure_setup() -> Path:
    """The unpacked server (`.cache/zotero-ts/ts`), set up once; skipped or failed with the reason when impossible."""
    if not ((SHARED_ZOTERO / "setup.sh").is_file() and (SHARED_ZOTERO / "translation-server.tgz").is_file()):
        # Not a tool the repository can install: only our own CI has ../shared beside the clone. GitHub's
        # runner (CI=true, a clone alone) skips these tests with this reason rather than failing on it.
        pytest.skip(f"{UNAVAILABLE}: {SHARED_ZOTERO} is missing (it comes with ../shared)")
    require(shutil.which("node") is not None, f"{UNAVAILABLE}: node is not installed (apt-get install nodejs)")
    fingerprint = _fingerprint()
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    with open(CACHE.parent / "zotero-ts.lock", "w") as lock:  # parallel sessions set up one at a time
        fcntl.flock(lock, fcntl.LOCK_EX)
        if READY.is_file() and READY.read_text().strip() == fingerprint and (CACHE / "ts" / "node_modules").is_dir():
            return CACHE / "ts"
        require(shutil.which("npm") is not None, f"{UNAVAILABLE}: npm is not installed (apt-get install npm)")
        partial = CACHE.parent / f"zotero-ts.partial-{os.getpid()}"
        _remove(partial)
        try:
            done = subprocess.run(["bash", str(SHARED_ZOTERO / "setup.sh"), str(partial)], capture_output=True,
                                  text=True, timeout=SETUP_TIMEOUT)
        except subprocess.TimeoutExpired:
            done = None
        if done is None or done.returncode != 0:
            _remove(partial)
            output = "timed out" if done is None else (done.stdout + done.stderr).strip()[-2000:]
            require(False, f"{UNAVAILABLE}: {SHARED_ZOTERO / 'setup.sh'} failed (it needs the npm registry):\n{output}")
        _remove(CACHE)
        partial.rename(CACHE)
        READY.write_text(fingerprint + "\n")
        return CACHE / "ts"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _post(url: str, data: bytes, content_type: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers={"Content-Type": content_type}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@dataclass
class TranslationServer:
    base_url: str  # http://127.0.0.1:PORT
    log: Path

    def save_page(self, url: str) -> list[dict]:
        """The items Zotero's connector saves from the page at url; when it offers a choice, all are chosen."""
        status, body = _post(f"{self.base_url}/web", url.encode(), "text/plain")
        if status == 300:  # {"url", "session", "items": {id: title}}: posting it back chooses every item listed
            status, body = _post(f"{self.base_url}/web", body, "application/json")
        if status != 200:
            raise ImportRefused(status, body.decode(errors="replace"))
        return json.loads(body)

    def offered(self, url: str) -> list[str]:
        """The titles the connector offers on a page with several items (one title when it saves one item)."""
        status, body = _post(f"{self.base_url}/web", url.encode(), "text/plain")
        if status == 300:
            return list(json.loads(body)["items"].values())
        if status != 200:
            raise ImportRefused(status, body.decode(errors="replace"))
        return [item.get("title", "") for item in json.loads(body)]

    def import_file(self, data: bytes) -> list[dict]:
        """The items (and child notes) Zotero imports from a BibTeX, RIS, MEDLINE or CSL-JSON file."""
        status, body = _post(f"{self.base_url}/import", data, "text/plain")
        if status != 200:
            raise ImportRefused(status, body.decode(errors="replace"))
        return json.loads(body)


def _wait_until_ready(process: subprocess.Popen, server: TranslationServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        with contextlib.suppress(OSError, ImportRefused, ValueError):
            if server.import_file(PROBE):
                return
        time.sleep(0.5)
    tail = server.log.read_text(errors="replace")[-3000:] if server.log.exists() else ""
    # Set up but not answering is a real failure everywhere, not a missing tool.
    pytest.fail(f"{UNAVAILABLE}: it did not answer on {server.base_url} within {START_TIMEOUT} s:\n{tail}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)  # its own process group, started below: only what we started
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def zotero(tmp_path_factory) -> Iterator[TranslationServer]:
    """Zotero's translation-server on a free port of 127.0.0.1 for this session."""
    directory = ensure_setup()
    port = _free_port()
    log = tmp_path_factory.mktemp("zotero-ts") / "server.log"
    env = dict(os.environ, NODE_CONFIG=json.dumps({"host": "127.0.0.1", "port": port}))
    with open(log, "wb") as out:
        process = subprocess.Popen(["node", "src/server.js"], cwd=directory, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    server = TranslationServer(f"http://127.0.0.1:{port}", log)
    try:
        _wait_until_ready(process, server)
        yield server
    finally:
        _stop(process)


@dataclass
class ZoteroSite:
    directory: Path  # the built site
    base_url: str  # ends with "/"

    def url(self, page: str) -> str:
        return self.base_url + page

    def download(self, path: str) -> bytes:
        """A file as a reader downloads it from the served site (path relative to the site's root)."""
        with urllib.request.urlopen(self.url(path), timeout=30) as response:
            return response.read()


@pytest.fixture(scope="session")
def zotero_site(tmp_path_factory) -> Iterator[ZoteroSite]:
    """The real records built once for a GitHub Pages subpath and served on 127.0.0.1, as for the browser tests."""
    server, base_url = start_server()
    directory = build_for(base_url, tmp_path_factory.mktemp("zotero-site"))
    server.set_directory(directory)  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ZoteroSite(directory, base_url)
    finally:
        server.shutdown()
        server.server_close()
