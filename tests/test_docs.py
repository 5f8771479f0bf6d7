"""Documentation tested like code: every command is in the README, and the quick start is what CI runs."""

from __future__ import annotations

import argparse
import re

from conftest import ROOT
from reviewsite.cli import make_parser

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    parser = make_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(action.choices)


def test_every_command_is_in_the_readme():
    for command in _commands():
        assert f"| `{command}` |" in README, f"README's command table lacks `{command}`"


def test_quick_start_is_two_commands():
    block = re.search(r"## Quick start.*?```sh\n(.*?)```", README, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["python3 build_site.py serve", "python3 build_site.py test"]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^python3 build_site.py test\b", ci, re.M)
