#!/usr/bin/env python3
"""Build the review summary site: `python3 build_site.py --help`.

Runs with any Python 3.10+: on first use it creates `.venv/` and installs the locked
dependencies (requirements.lock) into it, then runs itself there. Set
REVIEWSITE_NO_VENV=1 to use the current interpreter as it is.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".installed-lock.sha256"


def _venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _lock_digest() -> str:
    digest = hashlib.sha256(LOCK.read_bytes())
    digest.update((ROOT / "pyproject.toml").read_bytes())
    return digest.hexdigest()


def ensure_environment() -> None:
    """Re-run this script inside the project's virtual environment, creating or updating it first."""
    if os.environ.get("REVIEWSITE_NO_VENV") == "1" or Path(sys.prefix).resolve() == VENV.resolve():
        return
    wanted = _lock_digest()
    if not (_venv_python().exists() and STAMP.exists() and STAMP.read_text().strip() == wanted):
        print(f"Setting up {VENV.name}/ with the locked dependencies (first run only)...", file=sys.stderr)
        venv.EnvBuilder(with_pip=True, clear=not STAMP.exists()).create(VENV)
        pip = [str(_venv_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, "-r", str(LOCK)], check=True)
        STAMP.write_text(wanted + "\n")
    os.execv(str(_venv_python()), [str(_venv_python()), str(Path(__file__).resolve()), *sys.argv[1:]])


if __name__ == "__main__":
    ensure_environment()
    sys.path.insert(0, str(ROOT))
    from reviewsite.cli import main

    sys.exit(main(root=ROOT))
