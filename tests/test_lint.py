"""The code passes ruff (settings in pyproject.toml), as part of the README's test command and so of CI.

Nothing else ran it: an unused import sat in benchmarks/tree_memory.py for a session before anyone noticed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ["reviewsite", "tests", "benchmarks", "build_site.py"]


def _ruff() -> list[str]:
    beside = Path(sys.executable).with_name("ruff")  # requirements.lock installs it into the same environment
    if beside.exists():
        return [str(beside)]
    found = shutil.which("ruff")
    if found is None:
        pytest.skip("ruff is not installed: it comes with requirements.lock (python3 build_site.py test)")
    return [found]


def test_ruff_finds_nothing() -> None:
    result = subprocess.run([*_ruff(), "check", "--no-cache", *CHECKED], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
