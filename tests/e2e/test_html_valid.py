"""Every built page passes the Nu HTML checker (npm vnu-jar, run with Java), but for a short allow-list."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import NODE_MODULES, require, require_node_module

VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"


@dataclass(frozen=True)
class Allowed:
    message_start: str
    extract_contains: str  # the markup the error is about, so the same message elsewhere still fails
    why: str


# Errors that Material's templates cause and that no theme override can reach. Keep this list short:
# every entry must still match, and anything not matched fails the test.
ALLOWED = [
    Allowed(
        message_start="Attribute “autocomplete” is only allowed when the input type is",
        extract_contains='class="md-toggle"',
        why="Material's base.html writes autocomplete=\"off\" on its drawer and search toggle checkboxes "
            "(it stops Firefox restoring an open drawer on Back). They sit in <body> outside every block "
            "and partial, so only a copy of all of base.html could change them.",
    ),
]


def _allowed(message: dict) -> Allowed | None:
    for entry in ALLOWED:
        if message["message"].startswith(entry.message_start) and entry.extract_contains in message.get(
                "extract", ""):
            return entry
    return None


def run_vnu(target: Path) -> list[dict]:
    """The checker's errors (not warnings) for every HTML file under target."""
    java = shutil.which("java")
    require(java is not None, "java is not installed (apt-get install default-jre-headless)")
    require_node_module(VNU)
    result = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--skip-non-html", str(target)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr[-2000:]  # 1 means "errors found"
    messages = json.loads(result.stderr)["messages"]
    assert not [m for m in messages if m["type"] == "non-document-error"], messages
    return [m for m in messages if m["type"] == "error"]


def test_every_page_is_valid_html(served_site) -> None:
    errors = run_vnu(served_site.directory)
    unexpected = [m for m in errors if _allowed(m) is None]
    used = {_allowed(m) for m in errors} - {None}
    stale = [entry.message_start for entry in ALLOWED if entry not in used]
    lines = [f"{m['url'].split('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}\n    {m.get('extract', '')!r}"
             for m in unexpected]
    assert not unexpected, f"{len(unexpected)} HTML error(s):\n" + "\n".join(lines)
    assert not stale, f"allow-list entries that no longer match anything (remove them): {stale}"


def test_the_checker_finds_an_error(tmp_path) -> None:
    page = tmp_path / "broken.html"
    page.write_text('<!doctype html><html lang="en"><title>x</title><p id="a"></p><p id="a"></p>', encoding="utf-8")
    messages = [m["message"] for m in run_vnu(tmp_path)]
    assert any("Duplicate ID" in m for m in messages), messages


@pytest.mark.parametrize("entry", ALLOWED, ids=lambda e: e.message_start[:30])
def test_allow_list_entries_say_why(entry) -> None:
    assert len(entry.why) > 40 and entry.extract_contains
