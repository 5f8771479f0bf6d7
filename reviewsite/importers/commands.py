"""The `import` and `new` commands: parsing their arguments and printing their reports."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..build.pipeline import Project
from .run import ImportOptions, ImportReport, import_export
from .scaffold import scaffold_review


def add_parsers(commands) -> None:
    """Register `import` and `new` on the command line's subparsers."""
    parser = commands.add_parser(
        "import", help="merge a PubMed (MEDLINE), RIS, BibTeX or CSL-JSON export into a review's records",
        description="Read an export and merge it into records/ID/. One record is the review itself (article.yaml, "
                    "abstract.yaml, erratum.yaml); several records, or --references, are works it cites "
                    "(references.yaml). Values already in the records are kept: a difference is reported, not "
                    "overwritten, unless --overwrite. Nothing is written unless the result passes `check`.")
    parser.add_argument("file", type=Path, help="the export file (.nbib/.txt, .ris, .bib, .json)")
    parser.add_argument("--review", required=True, metavar="ID", help="the review's folder name under records/")
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument("--references", dest="references", action="store_true", default=None,
                      help="the file lists works the review cites (the default when it holds several records)")
    kind.add_argument("--article", dest="references", action="store_false",
                      help="the file is the review's own record (the default for a single record)")
    parser.add_argument("--format", choices=("medline", "ris", "bibtex", "csl-json"),
                        help="the export's format (detected from its content when left out)")
    parser.add_argument("--source-url", help="where the export came from (derived from the PMID for PubMed "
                                             "MEDLINE exports)")
    parser.add_argument("--source-name", help="what the source is, e.g. 'Publisher's article page'")
    parser.add_argument("--source-id", help="the id for the source in article.yaml (derived when left out)")
    parser.add_argument("--accessed", metavar="YYYY-MM-DD", help="when the source was read")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace record values that differ from the file (default: keep and report them)")
    parser.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    new_parser = commands.add_parser(
        "new", help="start a review: records/ID/ with every record file, each field explained",
        description="Create records/ID/ with article.yaml, abstract.yaml, erratum.yaml and references.yaml. "
                    "Required values are empty until filled in, so `check` lists what is left to do.")
    new_parser.add_argument("review_id", metavar="ID", help="the review's id: lowercase letters, digits, hyphens")


def command_import(project: Project, args: argparse.Namespace) -> int:
    options = ImportOptions(references=args.references, source_url=args.source_url,
                            source_name=args.source_name, source_id=args.source_id, accessed=args.accessed,
                            overwrite=args.overwrite, format=args.format, dry_run=args.dry_run)
    report = import_export(args.file.resolve(), project.root, args.review, options)
    print(format_report(report, args.dry_run))
    return 0


def format_report(report: ImportReport, dry_run: bool = False) -> str:
    lines = [f"{report.records} {report.format} record(s) read as the review's "
             + ("cited works" if report.kind == "references" else "own record")
             + (f"; source '{report.source_id}'" if report.source_id else "") + "."]
    for title, items in (("added", report.added), ("updated", report.updated), ("conflicts (kept the record's "
                         "value)", report.conflicts), ("skipped", report.skipped), ("notes", report.notes)):
        if items:
            lines.append(f"{title}:")
            lines.extend(f"  {item}" for item in items)
    if report.unchanged:
        lines.append(f"unchanged: {report.unchanged} value(s) already as in the file")
    if dry_run:
        lines.append("dry run: nothing was written.")
    elif report.written:
        lines.append("written: " + ", ".join(report.written))
    else:
        lines.append("nothing to write: the records already hold everything in the file.")
    return "\n".join(lines)


def command_new(project: Project, args: argparse.Namespace) -> int:
    written = scaffold_review(project.records_dir, args.review_id)
    names = ", ".join(p.name for p in written)
    print(f"records/{args.review_id}/: {names} written. Fill in every \"\" (or import an export: "
          f"`build_site.py import FILE --review {args.review_id}`), then run `build_site.py check`.",
          file=sys.stdout)
    return 0
