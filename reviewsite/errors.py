"""Problems found in records, kept apart from bugs in our own code.

A `Problem` is one mistake a maintainer can fix: where it is (file, line,
column, field path), what is wrong and how to fix it. `RecordsInvalid` carries
every problem of a run; the command line is the one place that prints it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one record file, with its position (1-based) when known."""

    file: str
    line: int = 0
    column: int = 0
    field_path: str = ""
    message: str = ""
    hint: str = ""
    severity: str = field(default="error", compare=False)
    source_line: str = field(default="", compare=False)
    draft: bool = field(default=False, compare=False)  # in a review marked `draft: "true"`: never blocks others

    def format(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}:{self.column or 1}"
        head = f"{where}: {self.severity}: "
        if self.field_path:
            head += f"{self.field_path}: "
        text = head + self.message
        if self.hint:
            text += f"\n    fix: {self.hint}"
        if self.source_line:
            line, caret = _window(self.source_line, self.column)
            text += f"\n    | {line}"
            if self.column:
                text += "\n    | " + " " * caret + "^"
        return text


def _window(line: str, column: int, width: int = 100) -> tuple[str, int]:
    """The part of a long line around `column`, and where the caret goes in it (0-based)."""
    line = line.expandtabs(1)  # a tab would shift the caret by a varying amount
    start = max(0, column - 1 - width // 2) if len(line) > width else 0
    shown = line[start : start + width]
    prefix = "…" if start else ""
    suffix = "…" if start + width < len(line) else ""
    return prefix + shown + suffix, column - 1 - start + len(prefix)


class SiteError(Exception):
    """Base of every failure caused by input rather than by a bug in this code."""


class RecordsInvalid(SiteError):
    """One or more records are wrong; `problems` lists all of them in file and line order."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        errors = sum(1 for p in self.problems if p.severity == "error")
        super().__init__(f"{errors} problem(s) in the records")

    def format(self) -> str:
        return "\n".join(p.format() for p in self.problems)


class UnsafeOutputPath(SiteError):
    """A generated page would land outside the generator's own folder."""


def relative_name(path: Path, root: Path) -> str:
    """A path as the maintainer knows it: relative to the project when it lies inside."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
