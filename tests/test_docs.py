"""Documentation tested like code: every command is in the README, and the quick start is what CI runs."""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import shlex

from conftest import ROOT
from reviewsite.cli import make_parser

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


def _commands() -> list[str]:
    return sorted(_subparsers(make_parser()).choices)


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


# --- every `build_site.py ...` command line the README and the scaffold's comments show is one the parser takes

SCAFFOLD = ROOT / "reviewsite" / "importers" / "scaffold.py"
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.S | re.M)
INLINE = re.compile(r"`([^`\n]+(?:\n[^`\n]+)*)`")  # a code span may wrap onto the next line
SHELL_ENDS = {"&&", "||", ";", "|"}


def _text_commands(text: str) -> list[str]:
    """Every command line naming build_site.py: each line of a fenced block, and each inline code span."""
    found = []
    for block in FENCE.findall(text):
        found += [line for line in block.splitlines() if "build_site.py" in line]
    for span in INLINE.findall(FENCE.sub("", text)):
        if "build_site.py" in span and len(span.split()) > 1:  # `build_site.py` alone names the file
            found.append(" ".join(span.split()))
    return found


def _flag_fragments(text: str) -> list[str]:
    """Inline code that is only options (`--dry-run`, `--source-url URL --source-name NAME`)."""
    return [" ".join(span.split()) for span in INLINE.findall(FENCE.sub("", text)) if span.startswith("-")]


def _argv(line: str) -> list[str]:
    words = shlex.split(line, comments=True)
    start = next(i for i, word in enumerate(words) if word.endswith("build_site.py"))
    argv = []
    for word in words[start + 1:]:
        if word in SHELL_ENDS:
            break
        argv.append(word)
    return argv


def _problem(argv: list[str]) -> str | None:
    """None if the CLI's parser accepts argv exactly as `build_site.py` would; else what it printed."""
    parser = make_parser()
    for each in [parser, *_subparsers(parser).choices.values()]:
        each.allow_abbrev = False  # the docs spell every option out: `--ref` is not `--references`
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args, extra = parser.parse_known_args(argv)  # as cli.main does: only `test` passes extras on
            if extra and args.command != "test":
                parser.error("unrecognized arguments: " + " ".join(extra))
    except SystemExit as exit:
        return None if exit.code == 0 else (err.getvalue().strip() or f"exit {exit.code}")
    return None


def _expand(argv: list[str]) -> list[list[str]]:
    """`COMMAND` in the README stands for each command."""
    if "COMMAND" not in argv:
        return [argv]
    return [[command if word == "COMMAND" else word for word in argv] for command in _commands()]


def _readme_commands() -> list[str]:
    return _text_commands(README)


def _scaffold_commands() -> list[str]:
    # The scaffold's comments name the new review's id as {id}.
    return [line.replace("{id}", "my-review-2024") for line in _text_commands(SCAFFOLD.read_text(encoding="utf-8"))]


def _rejected(lines: list[str]) -> list[str]:
    return [f"{line!r}: {problem}" for line in lines for argv in _expand(_argv(line))
            if (problem := _problem(argv)) is not None]


def test_the_readme_shows_commands():
    # The extraction must find what it checks: the quick start, the table's examples and the import lines.
    argvs = [_argv(line) for line in _readme_commands()]
    assert ["serve"] in argvs and ["test"] in argvs and ["test", "-k", "pages"] in argvs
    assert ["import", "cited.nbib", "--review", "my-review-2024", "--references"] in argvs


def test_every_readme_command_line_is_accepted_by_the_parser():
    assert not _rejected(_readme_commands())


def test_every_scaffold_comment_command_is_accepted_by_the_parser():
    lines = _scaffold_commands()
    assert any("--references" in line for line in lines), lines
    assert not _rejected(lines)


def _unknown_fragments(text: str) -> list[str]:
    # `--overwrite`, `--source-url URL --source-name NAME`: options of some command, with their values.
    return [fragment for fragment in _flag_fragments(text)
            if not any(_problem([command, *shlex.split(fragment), *_REQUIRED.get(command, [])]) is None
                       for command in _commands() if command != "test")]  # `test` passes anything to pytest


def test_every_option_the_readme_names_alone_belongs_to_a_command():
    assert _flag_fragments(README), "the README names no option alone: is the extraction broken?"
    assert not _unknown_fragments(README)


_REQUIRED = {"import": ["--review", "x"]}  # what a command needs besides the fragment under test


def test_an_unknown_flag_is_caught():
    # The check must be able to fail: a misspelt or removed flag in the README is reported.
    bad = README.replace("--review my-review-2024 --references", "--review my-review-2024 --refs")
    assert any("--refs" in problem for problem in _rejected(_text_commands(bad)))
    assert _problem(["serve", "--no-such-flag"]) is not None
    assert _problem(["import", "x.nbib", "--review", "x", "--references", "--article"]) is not None
    assert _problem(["import", "x.nbib", "--review", "x", "--ref"]) is not None  # abbreviations are not docs
    assert _problem(["test", "-k", "pages"]) is None  # options after `test` go to pytest
    assert _unknown_fragments("(`--no-such-flag`) and `--dry-run`") == ["--no-such-flag"]
