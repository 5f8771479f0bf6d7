"""The `verify` command: its arguments and its report (Markdown-friendly, so a workflow can post it as an issue)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ..build.pipeline import Project
from ..errors import SiteError
from ..importers.commands import format_report
from ..importers.run import ImportOptions, import_parsed

if TYPE_CHECKING:  # the HTTP client and parsers load only when `verify` runs, not for every command's start-up
    from .retractions import RetractionWatch
    from .verify import ReviewCheck

EXIT_OK, EXIT_CHANGED, EXIT_USAGE = 0, 1, 2


def add_parsers(commands) -> None:
    """Register `verify` on the command line's subparsers (its handler travels in `args.run`)."""
    parser = commands.add_parser(
        "verify", help="fetch each review's PubMed record and Crossref work again and report what changed "
                       "(exit 1 if anything did)",
        description="For each review with a PMID and/or DOI, fetch its PubMed record and Crossref work again "
                    "(never from the cache) and report, most urgent first: correction notices (retraction, "
                    "expression of concern, erratum, update) that erratum.yaml does not hold; cited works that "
                    "were retracted (PubMed, Crossref, Retraction Watch); then every field that differs, with its "
                    "file and line. Exit status 1 when anything is reported. Writes nothing unless --write.")
    parser.add_argument("review_ids", nargs="*", metavar="ID", help="reviews to verify (default: every review)")
    parser.add_argument("--write", action="store_true",
                        help="merge the fetched records into the records (new notices and values; differing "
                             "values are reported as conflicts, as `import` does)")
    parser.add_argument("--overwrite", action="store_true",
                        help="with --write: replace record values that differ from the fetched record")
    parser.add_argument("--no-retraction-watch", action="store_true",
                        help="skip the Retraction Watch database (one CSV download per run)")
    parser.set_defaults(run=command_verify)


def command_verify(project: Project, args: argparse.Namespace) -> int:
    from .errors import SourceError
    from .fetch import make_client
    from .retractions import load_retraction_watch
    from .verify import verify_review

    records = project.records_dir
    folders = sorted(p for p in records.iterdir() if p.is_dir() and not p.name.startswith(".")) \
        if records.is_dir() else []
    if args.review_ids:
        known = {p.name: p for p in folders}
        missing = [i for i in args.review_ids if i not in known]
        if missing:
            print(f"build_site.py verify: error: no review {', '.join(missing)} under records/")
            return EXIT_USAGE
        folders = [known[i] for i in args.review_ids]
    client = make_client(project.root)
    watch: RetractionWatch | None = None
    failures: list[str] = []
    if not args.no_retraction_watch:
        try:
            watch = load_retraction_watch(client, refresh=True)
        except SourceError as exc:
            failures.append(f"Retraction Watch not checked: {exc}")
    changed = 0
    for line in failures:
        print(f"- {line}")
    for folder in folders:
        check = verify_review(folder, project.root, client, watch)
        changed += check.changed
        print("\n".join(_section(check)))
        if args.write and check.changed:
            print("\n".join(_write(project, check, args.overwrite)))
    print(f"\n{len(folders)} review(s) verified: "
          + (f"{changed} with something to report." if changed else "nothing changed.")
          + (" (Retraction Watch was not checked.)" if failures else ""))
    return EXIT_CHANGED if changed or failures else EXIT_OK


def _section(check: ReviewCheck) -> list[str]:
    lines = [f"\n## {check.review_id}"]
    lines += [f"read: {r}" for r in check.read]
    findings = check.ordered()
    lines += [f"- {f.format()}" for f in findings]
    if not findings:
        lines.append("no change: the records hold everything checked." if check.read
                     else "not checked: the review has no PMID or DOI.")
    return lines


def _write(project: Project, check: ReviewCheck, overwrite: bool) -> list[str]:
    lines = []
    for fetched in check.to_write():
        options = ImportOptions(references=False, overwrite=overwrite, fetched_source=fetched.source)
        try:
            report = import_parsed(fetched.parsed, fetched.name, project.root, check.review_id, options,
                                   fetched.origin)
        except SiteError as exc:
            lines.append(f"write {fetched.name}: not written: {str(exc).splitlines()[0]}")
            continue
        lines.append(f"write {fetched.name}:")
        lines += ["  " + line for line in format_report(report).splitlines()[1:]]
    from .verify import store_notices

    lines += store_notices(project.root, check)
    return lines
