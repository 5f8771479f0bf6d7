"""The `import` and `new` commands: parsing their arguments and printing their reports."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from ..build.pipeline import Project
from .run import ImportOptions, ImportReport, import_export, import_parsed
from .scaffold import TEMPLATES, add_summary, scaffold_review


def add_parsers(commands) -> None:
    """Register `import` and `new` on the command line's subparsers."""
    parser = commands.add_parser(
        "import", help="merge a PubMed (MEDLINE), RIS, BibTeX or CSL-JSON export, or a record fetched by PMID or DOI, "
             "into a review's records",
        description="Read an export (or fetch the review's record with --pmid/--doi) and merge it into "
                    "records/ID/. One record is the review itself (article.yaml, "
                    "abstract.yaml, erratum.yaml); several records, or --references, are works it cites "
                    "(references.yaml). Values already in the records are kept: a difference is reported, not "
                    "overwritten, unless --overwrite. Nothing is written unless the result passes `check`.")
    parser.add_argument("file", type=Path, nargs="?",
                        help="the export file (.nbib/.txt, .ris, .bib, .json); or fetch with --pmid / --doi")
    parser.add_argument("--review", required=True, metavar="ID", help="the review's folder name under records/")
    _add_fetch_options(parser, "instead of a file, ")
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
                    "Required values are empty until filled in, so `check` lists what is left to do. With --pmid or "
                    "--doi the review's record is fetched first and merged into the new files. With --summary, "
                    "summary.yaml too (or only it, for a review that exists).")
    new_parser.add_argument("review_id", metavar="ID", help="the review's id: lowercase letters, digits, hyphens")
    new_parser.add_argument("--summary", action="store_true",
                            help="also start summary.yaml, the maintainers' own summary (every value empty); for a "
                                 "review that exists already, add only that file")
    _add_fetch_options(new_parser, "then ")


def _add_fetch_options(parser: argparse.ArgumentParser, lead: str) -> None:
    fetch = parser.add_mutually_exclusive_group()
    fetch.add_argument("--pmid", metavar="N",
                       help=lead + "fetch the review's record from PubMed (E-utilities efetch) and merge it; its "
                                   "source is the URL read and the date")
    fetch.add_argument("--doi", metavar="D",
                       help=lead + "fetch the review's record from Crossref (REST API /works/D) and merge it; its "
                                   "source is the URL read and the date")
    parser.add_argument("--refresh", action="store_true",
                        help="with --pmid/--doi: fetch again even when .cache/http/ holds the answer")


def command_import(project: Project, args: argparse.Namespace) -> int:
    options = ImportOptions(references=args.references, source_url=args.source_url,
                            source_name=args.source_name, source_id=args.source_id, accessed=args.accessed,
                            overwrite=args.overwrite, format=args.format, dry_run=args.dry_run)
    fetching = bool(args.pmid or args.doi)
    if fetching == (args.file is not None):
        print("build_site.py import: error: give an export FILE, or --pmid N, or --doi D (exactly one)",
              file=sys.stderr)
        return 2
    if fetching:
        if args.references or args.format or args.source_url or args.accessed:
            print("build_site.py import: error: --pmid/--doi fetch the review's own record, and name its source "
                  "themselves: leave out --references, --format, --source-url and --accessed", file=sys.stderr)
            return 2
        report = import_fetched(project, args.review, options, pmid=args.pmid, doi=args.doi, refresh=args.refresh)
    else:
        report = import_export(args.file.resolve(), project.root, args.review, options)
    print(format_report(report, args.dry_run))
    return 0


def import_fetched(project: Project, review_id: str, options: ImportOptions, *, pmid: str | None = None,
                   doi: str | None = None, refresh: bool = False) -> ImportReport:
    """Fetch the review's record (PubMed by PMID, Crossref by DOI) and merge it like an export file. Every
    failure (fetch, parse, different DOI, merge) raises before any record is written."""
    from ..sources.fetch import fetch_record, make_client

    fetched = fetch_record(make_client(project.root), pmid=pmid, doi=doi,
                           expected_doi=_review_doi(project, review_id), refresh=refresh)
    options.fetched_source = dict(fetched.source, **{k: v for k, v in (("id", options.source_id),
                                                                        ("name", options.source_name)) if v})
    options.references = False
    return import_parsed(fetched.parsed, fetched.name, project.root, review_id, options, fetched.origin)


def _review_doi(project: Project, review_id: str) -> str | None:
    """The DOI article.yaml already records, if it can be read (else the merge reports the problem)."""
    from ..load.reader import read_record_file

    path = project.records_dir / review_id / "article.yaml"
    if not path.is_file():
        return None
    record, problems = read_record_file(path, str(path))
    doi = record.data.get("doi") if isinstance(record.data, dict) else None
    return str(doi) if doi else None


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
    folder = project.records_dir / args.review_id
    if args.summary and folder.is_dir() and not (args.pmid or args.doi):
        add_summary(project.records_dir, args.review_id)
        print(f"records/{args.review_id}/summary.yaml written. Fill in every \"\", then run `build_site.py check`.")
        return 0
    if args.pmid or args.doi:
        status = _new_fetched(project, args)
        if args.summary:
            add_summary(project.records_dir, args.review_id)
            print(f"records/{args.review_id}/summary.yaml written.")
        return status
    written = scaffold_review(project.records_dir, args.review_id)
    if args.summary:
        written.append(add_summary(project.records_dir, args.review_id))
    names = ", ".join(p.name for p in written)
    print(f"records/{args.review_id}/: {names} written. Fill in every \"\" (or import an export: "
          f"`build_site.py import FILE --review {args.review_id}`), then run `build_site.py check`.",
          file=sys.stdout)
    return 0


def _new_fetched(project: Project, args: argparse.Namespace) -> int:
    """`new ID --pmid N`: fetch first (a failure leaves nothing behind), scaffold, merge; undo on any failure."""
    from ..sources.fetch import fetch_record, make_client

    fetched = fetch_record(make_client(project.root), pmid=args.pmid, doi=args.doi, refresh=args.refresh)
    folder = project.records_dir / args.review_id
    scaffold_review(project.records_dir, args.review_id)
    try:
        options = ImportOptions(references=False, fetched_source=fetched.source)
        report = import_parsed(fetched.parsed, fetched.name, project.root, args.review_id, options, fetched.origin)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    work = fetched.parsed.works[0]
    # The templates a fetched record has nothing for: a review without errata or abstract has no such file.
    # (The import removes the templates it did not fill; this says so in the fetched source's words.)
    for name, empty in (("erratum.yaml", not work.errata), ("abstract.yaml", not work.abstract)):
        if empty and (folder / name).is_file() and \
                (folder / name).read_text(encoding="utf-8") == TEMPLATES[name].replace("{id}", args.review_id):
            (folder / name).unlink()
        if empty and not (folder / name).exists():
            report.notes.append(f"records/{args.review_id}/{name} removed: {fetched.name} has none")
    report.notes = [n for n in report.notes if not any(f"{name}: removed the empty template" in n or
                                                       f"{name} is still the empty template" in n
                                                       for name in ("erratum.yaml", "abstract.yaml"))]
    print(format_report(report))
    print(f"records/{args.review_id}/ started from {fetched.name}, as a draft. Add the cited works with `import "
          f"FILE --review {args.review_id} --references`, run `build_site.py check`, then remove `draft: \"true\"`.")
    return 0
