"""The change log of each review's records, read from git at build time.

One `git log` over all of `records/` per build (never one per review), and only when the pages are generated;
`state` is the cheap question the build's shortcut asks first (which commit, and is the clone shallow?).
No git, no repository, or a shallow clone (whose history would be a misleading single commit): no change log.
The same git state always gives the same log, so the generated pages stay the same.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

_TIMEOUT = 60


@dataclass(frozen=True, slots=True)
class Change:
    """One commit that touched a review's records."""

    commit: str  # the full hash
    date: str  # the author date, YYYY-MM-DD
    subject: str  # the commit message's first line

    @property
    def short(self) -> str:
        return self.commit[:7]


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, encoding="utf-8",
                              errors="replace", timeout=_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return None  # no git installed, or it hung
    return done.stdout if done.returncode == 0 else None


def state(root: Path) -> str:
    """`<HEAD commit> <shallow?>`, or "" with no usable history: what the change logs depend on."""
    out = _git(root, "rev-parse", "--is-shallow-repository", "HEAD")
    if not out:
        return ""
    shallow, _, head = out.strip().partition("\n")
    return "" if shallow.strip() != "false" else head.strip()


def record_history(root: Path, records: str = "records") -> dict[str, tuple[Change, ...]]:
    """Each review id -> the commits that touched its folder, newest first; {} without a full history."""
    if not state(root):
        return {}
    out = _git(root, "log", "--relative", "--no-renames", "--name-only", "--format=%x1e%H%x1f%as%x1f%s",
               "--", records)
    if not out:
        return {}
    history: dict[str, list[Change]] = {}
    prefix = records.rstrip("/") + "/"
    for block in out.split("\x1e")[1:]:
        header, _, names = block.partition("\n")
        commit, date, subject = (header.split("\x1f") + ["", "", ""])[:3]
        change = Change(commit, date, subject.strip())
        reviews = sorted({name[len(prefix):].split("/", 1)[0] for name in names.splitlines()
                          if name.startswith(prefix) and "/" in name[len(prefix):]})
        for review in reviews:
            history.setdefault(review, []).append(change)
    return {review: tuple(changes) for review, changes in history.items()}


def commit_url(repo_url: str | None, commit: str) -> str | None:
    """The commit's page on the repository (GitHub's and GitLab's form), or None without a repository URL."""
    if not repo_url:
        return None
    return f"{repo_url.rstrip('/')}/commit/{commit}"
