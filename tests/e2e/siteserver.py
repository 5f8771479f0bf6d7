"""Build the site for a GitHub Pages project subpath and serve it on 127.0.0.1 as GitHub Pages would.

Shared by the browser tests (tests/e2e) and benchmarks/lighthouse.py.
"""

from __future__ import annotations

import functools
import http.server
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO_NAME = "review-summaries"


class _SubpathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under /<repo>/ only; elsewhere 404, and the site's 404.html for missing pages."""

    prefix = f"/{REPO_NAME}/"

    def log_message(self, format, *args):  # noqa: A002 - keep pytest's output clean
        pass

    def translate_path(self, path: str) -> str:
        # Called by send_head; only sees paths already checked by do_GET/do_HEAD.
        rest = unquote(urlsplit(path).path)[len(self.prefix):]
        return str(Path(self.directory, *[p for p in rest.split("/") if p not in ("", ".", "..")]))

    def _route(self) -> bool:
        path = urlsplit(self.path).path
        if path == self.prefix[:-1]:
            self.send_response(301)
            self.send_header("Location", self.prefix)
            self.end_headers()
            return False
        if not path.startswith(self.prefix):
            self.send_error(404, "Outside the site's subpath")
            return False
        target = Path(self.translate_path(self.path))
        if not (target.is_file() or (target.is_dir() and (target / "index.html").is_file())):
            body = (Path(self.directory) / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command == "GET":
                self.wfile.write(body)
            return False
        return True

    def do_GET(self) -> None:
        if self._route():
            super().do_GET()

    def do_HEAD(self) -> None:
        if self._route():
            super().do_HEAD()


def start_server(directory: Path | None = None) -> tuple[http.server.ThreadingHTTPServer, str]:
    """A server on a free port of 127.0.0.1; its directory may be set later (server.directory)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SubpathHandler)
    server.daemon_threads = True
    base_url = f"http://127.0.0.1:{server.server_address[1]}/{REPO_NAME}/"

    def set_directory(path: Path) -> None:
        server.RequestHandlerClass = functools.partial(_SubpathHandler, directory=str(path))  # type: ignore[assignment]

    server.set_directory = set_directory  # type: ignore[attr-defined]
    if directory is not None:
        set_directory(directory)
    return server, base_url


def build_for(base_url: str, destination: Path) -> Path:
    """Build the real records into destination/project/site with site_url set to base_url."""
    from reviewsite.cli import main
    from tests.conftest import copy_project

    project = copy_project(destination / "project")
    saved = os.environ.get("SITE_URL")
    os.environ["SITE_URL"] = base_url
    try:
        assert main(["build"], root=project.root) == 0, "the site did not build"
    finally:
        if saved is None:
            os.environ.pop("SITE_URL", None)
        else:
            os.environ["SITE_URL"] = saved
    return project.site_dir
