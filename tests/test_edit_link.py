"""Edit at the source: the edit button opens the YAML record, and `serve` shows a new review without a restart."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from reviewsite.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "import"
REPO = "https://github.com/example/reviews"
BUILD = "import sys; from reviewsite.cli import main; sys.exit(main(['build']))"


def _env(project_root: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REPO_URL", "EDIT_URI")}
    return {**env, "PYTHONPATH": str(project_root), "REVIEWSITE_NO_VENV": "1", **extra}


def _edit_links(html: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r'<a href="([^"]+)"[^>]*class="md-content__button md-icon"', html)]


@pytest.fixture(scope="module")
def site_with_edit_links(tmp_path_factory) -> Path:
    """The real records built in a subprocess, as the deploy workflow builds them (REPO_URL and EDIT_URI set)."""
    from conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("edit") / "project")
    env = _env(project.root, REPO_URL=REPO, EDIT_URI="edit/main/")
    run = subprocess.run([sys.executable, "-c", BUILD], cwd=project.root, env=env, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    return project.site_dir


FOLDER = f"{REPO}/edit/main/records/ferrari-lacraz-2011"


@pytest.mark.parametrize(("page", "record"), [
    ("reviews/ferrari-lacraz-2011/index.html", f"{FOLDER}/article.yaml"),
    ("reviews/ferrari-lacraz-2011/references/index.html", f"{FOLDER}/references.yaml"),
    ("reviews/ferrari-lacraz-2011/erratum/index.html", f"{FOLDER}/erratum.yaml"),
])
def test_the_edit_link_opens_the_record_the_page_came_from(site_with_edit_links, page, record):
    assert _edit_links((site_with_edit_links / page).read_text(encoding="utf-8")) == [record]


@pytest.mark.parametrize("page", ["index.html", "about/index.html"])
def test_pages_made_from_every_record_have_no_edit_link(site_with_edit_links, page):
    # An edit of the generated Markdown would be lost at the next build.
    html = (site_with_edit_links / page).read_text(encoding="utf-8")
    assert _edit_links(html) == [] and "edit/main/docs/" not in html


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = _get(url)
        if page is not None and text in page:
            return True
        time.sleep(0.3)
    return False


def test_serve_lists_a_new_review_folder_without_a_restart(project):
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", "import sys; from reviewsite.cli import main; "
         f"sys.exit(main(['serve', '--port', '{port}']))"],
        cwd=project.root, env=_env(project.root), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        home = f"http://127.0.0.1:{port}/"
        if not _wait_for(home, "ferrari-lacraz-2011", 60):
            server.kill()
            pytest.fail("serve did not start: " + (server.communicate(timeout=10)[1] or "")[-2000:])
        assert "Example review of widget therapy" not in (_get(home) or "")
        assert main(["import", str(FIXTURES / "review-article.nbib"), "--review", "example-widget-2020"],
                    root=project.root) == 0
        assert _wait_for(home, "Example review of widget therapy", 60), "the new review never appeared"
        assert _wait_for(home + "reviews/example-widget-2020/", "Example review of widget therapy", 10)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
