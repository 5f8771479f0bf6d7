"""The MkDocs hook and `serve`: a bad record is a clean message (never a traceback) in plain `mkdocs build`,
and a running server keeps the last good site, shows the error on the page and recovers by itself."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import REVIEW_ID, ROOT
from reviewsite.cli import main

PYTHON = sys.executable


def break_pmid(project, value: str = '"020571772"') -> Path:
    article = project.records_dir / REVIEW_ID / "article.yaml"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace('pmid: "20571772"', f"pmid: {value}"), encoding="utf-8")
    return article


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_plain_mkdocs_build_reports_a_bad_record_cleanly(project):
    assert main(["build"], root=project.root) == 0
    before = snapshot(project.site_dir), snapshot(project.docs_dir)
    break_pmid(project)
    run = subprocess.run([PYTHON, "-m", "mkdocs", "build", "--strict"], cwd=project.root, capture_output=True,
                         text=True, timeout=120, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert run.returncode == 1
    assert "Traceback" not in run.stderr + run.stdout
    assert f"records/{REVIEW_ID}/article.yaml:" in run.stderr
    assert "error: pmid: a PMID never starts with 0" in run.stderr
    assert "    fix: remove the leading zero(s), or check the number" in run.stderr
    assert (snapshot(project.site_dir), snapshot(project.docs_dir)) == before


@pytest.mark.parametrize("command", ["check", "generate", "build"])
def test_no_traceback_for_a_broken_yaml_file_from_any_command(project, capsys, command):
    (project.records_dir / REVIEW_ID / "erratum.yaml").write_bytes(b'errata:\n  - citation: "x\n\xff')
    assert main([command], root=project.root) == 1
    err = capsys.readouterr().err
    assert f"records/{REVIEW_ID}/erratum.yaml:3:1: error: invalid UTF-8 (byte 0xff)" in err
    assert "Traceback" not in err


def load_hook():
    hook = ROOT / "reviewsite" / "hooks" / "generation.py"
    spec = importlib.util.spec_from_file_location("reviewsite_hook_under_test", hook)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_in_serve_the_hook_keeps_the_pages_and_shows_the_error_escaped(project):
    from mkdocs.config import load_config

    hook = load_hook()
    config = load_config(str(project.config_file))
    hook.on_startup(command="serve", dirty=False)
    hook.on_pre_build(config)
    assert hook._state["error"] == ""
    page = project.docs_dir / "reviews" / REVIEW_ID / "index.md"
    before = page.read_bytes()
    break_pmid(project, '"<script>alert(1)</script>"')
    hook.on_pre_build(config)  # no exception: the server goes on
    assert page.read_bytes() == before
    html = hook.on_post_page("<html><header>top</header><main>page</main></html>", page=None, config=config)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.index('role="alert"') > html.index("</header>")
    assert f"records/{REVIEW_ID}/article.yaml:" in html
    break_pmid(project, '"20571772"')
    article = project.records_dir / REVIEW_ID / "article.yaml"
    article.write_text(article.read_text(encoding="utf-8").replace('"<script>alert(1)</script>"', '"20571772"'),
                       encoding="utf-8")
    hook.on_pre_build(config)
    assert hook._state["error"] == ""
    assert "role=\"alert\"" not in hook.on_post_page("<header></header>", page=None, config=config)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a local test server
        return response.read().decode("utf-8")


def wait_for(condition, seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = condition()
        except OSError:
            value = None
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError("timed out")


def test_serve_keeps_the_last_good_site_shows_the_error_and_recovers(project, tmp_path):
    for name in ("build_site.py", "pyproject.toml", "requirements.lock"):
        (project.root / name).write_bytes((ROOT / name).read_bytes())
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([PYTHON, "build_site.py", "serve", "--port", str(port)], cwd=project.root,
                              stdout=log, stderr=subprocess.STDOUT,
                              env={**os.environ, "REVIEWSITE_NO_VENV": "1", "NO_MKDOCS_2_WARNING": "1"})
    url = f"http://127.0.0.1:{port}/reviews/{REVIEW_ID}/"
    try:
        good = wait_for(lambda: fetch(url))
        assert 'role="alert"' not in good
        article = break_pmid(project)
        broken = wait_for(lambda: (page := fetch(url)) and 'role="alert"' in page and page)
        assert "error: pmid: a PMID never starts with 0" in broken
        assert "Do RANKL inhibitors (denosumab) affect inflammation and immunity?" in broken  # the last good page
        article.write_text(article.read_text(encoding="utf-8").replace('"020571772"', '"20571772"'),
                           encoding="utf-8")
        fixed = wait_for(lambda: (page := fetch(url)) and 'role="alert"' not in page and page)
        assert "PubMed 20571772" in fixed
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
    output = (tmp_path / "serve.log").read_text()
    assert "Still serving the last good pages" in output
    assert "Traceback" not in output
    # One line per rebuild: what changed, how long it took, any problems; none of MkDocs' noise.
    lines = [line for line in output.splitlines() if " built in " in line or " rebuilt in " in line]
    assert lines[0].startswith("INFO") and " built in " in lines[0] and "1 review(s)" in lines[0]
    assert f"records/{REVIEW_ID}/article.yaml changed" in lines[1] and "1 problem(s) in the records" in lines[1]
    assert lines[1].startswith("ERROR")
    assert f"records/{REVIEW_ID}/article.yaml changed" in lines[-1] and lines[-1].startswith("INFO")
    assert "dirty" not in output
    assert "not included in the" not in output
    assert "Building documentation" not in output and "Reloading" not in output


def test_serve_with_a_broken_mkdocs_yml_is_a_clean_error(project, capsys):
    project.config_file.write_text("site_name: [\n", encoding="utf-8")
    assert main(["serve", "--port", str(free_port())], root=project.root) == 1
    err = capsys.readouterr().err
    assert "error: MkDocs encountered an error parsing the configuration file" in err
    assert "Traceback" not in err


def test_serve_on_a_port_in_use_says_so(project, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)], root=project.root) == 2
    assert f"error: port {port} is already in use" in capsys.readouterr().err
