"""The command line: a thin layer over the library. The only place that prints or exits."""

from __future__ import annotations

import argparse
import errno
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .build.apart import can_fork, run_apart
from .build.incremental import SiteStamp
from .build.pipeline import (
    APART_FROM,
    GENERATED,
    PREVIOUS_SITE,
    GenerateResult,
    Project,
    check,
    generate,
)
from .errors import Problem, RecordsInvalid, SiteError
from .importers.commands import add_parsers as add_import_parsers
from .importers.commands import command_import, command_new

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _print_problems(problems: list[Problem]) -> None:
    for problem in sorted(problems):
        print(problem.format(), file=sys.stderr)


def command_check(project: Project, args: argparse.Namespace) -> int:
    count, problems = check(project)
    strict = getattr(args, "strict", False)
    drafted = [p for p in problems if p.draft]
    problems = [p for p in problems if not p.draft]
    _print_problems(problems)
    draft_errors = [p for p in drafted if p.severity == "error"]
    if drafted:
        print(f"{chr(10) if problems else ''}Drafts (left out of `build`; their problems "
              + ("fail `check --strict`" if strict else "do not fail `check` unless --strict") + "):",
              file=sys.stderr)
        _print_problems(drafted)
    errors = [p for p in problems if p.severity == "error"] + (draft_errors if strict else [])
    if errors:
        print(f"\n{len(errors)} error(s) found; the site was not changed.", file=sys.stderr)
        return EXIT_INVALID
    print(f"{count} review(s) checked: all records are valid"
          + (f" ({len(problems)} warning(s))" if problems else "")
          + (f"; {len(draft_errors)} error(s) in drafts, which `build` leaves out" if draft_errors else "") + ".")
    return EXIT_OK


def _generate(project: Project, drafts: bool = False) -> GenerateResult:
    result = generate(project, drafts=drafts)
    _print_problems(result.warnings)
    if result.drafts and not drafts:
        print(f"Left out {len(result.drafts)} draft(s): {', '.join(result.drafts)} (`serve` shows them; remove "
              "`draft: \"true\"` from article.yaml to publish).")
    print(f"{result.pages} page(s) for {result.reviews} review(s): {len(result.report.written)} written, "
          f"{result.report.unchanged} unchanged, {len(result.report.removed)} removed.")
    return result


def command_generate(project: Project, args: argparse.Namespace) -> int:
    _generate(project)
    return EXIT_OK


def _configure_mkdocs_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False


def _unsafe_site_dir(site_dir: Path, project: Project) -> str | None:
    """Why `site_dir` must not be replaced by a build, or None when it may."""
    if site_dir == project.root or site_dir in project.root.parents:
        return "that would replace the project itself; choose a new folder such as site/"
    if site_dir == project.docs_dir or project.docs_dir in site_dir.parents:
        return "it lies inside docs/, where MkDocs reads the pages; choose a folder outside docs/"
    if not site_dir.parent.is_dir():
        return f"its parent folder {site_dir.parent} does not exist"
    if site_dir.exists() and not (site_dir.is_dir() and (not any(site_dir.iterdir()) or
                                                          (site_dir / "index.html").is_file())):
        return "it exists and holds something other than a built site; choose an empty or new folder"
    return None


_REMOVE_FOLDER = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"


def _discard_replaced_sites(site_dir: Path) -> None:
    """Remove the site folders earlier builds replaced (`.site-old-*`), in a process of their own that the build
    does not wait for: nothing reads them once the new site is in place, and unlinking the 14,000 files of a
    1000-review site took seconds. One left behind by an interrupted removal goes with the next build's."""
    for folder in site_dir.parent.glob(f".{site_dir.name}-old*"):
        try:
            subprocess.Popen([sys.executable, "-I", "-S", "-c", _REMOVE_FOLDER, str(folder)],
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
        except OSError:  # no process to spare: remove it here
            shutil.rmtree(folder, ignore_errors=True)


def command_build(project: Project, args: argparse.Namespace) -> int:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    started = time.perf_counter()
    site_dir = Path(args.site_dir).resolve() if args.site_dir else project.site_dir
    unsafe = _unsafe_site_dir(site_dir, project)
    if unsafe:  # the swap below replaces site_dir whole: never let it be something else
        print(f"build_site.py: error: --site-dir {args.site_dir}: {unsafe}", file=sys.stderr)
        return EXIT_USAGE
    if args.shard or args.merge:
        return _command_build_sharded(project, args, site_dir)
    generated = _generate(project)
    # Whether or not the generation had work to do, the stamp compares docs/ itself (every file's stats).
    stamp = SiteStamp(project.root, project.docs_dir, project.config_file, site_dir)
    inputs = stamp.inputs()
    if stamp.matches(inputs):
        print(f"Nothing MkDocs reads has changed and {site_dir} is as the last build left it: MkDocs not run "
              f"({time.perf_counter() - started:.2f} s).")
        return EXIT_OK
    stamp.forget()  # from here until the build succeeds, the site folder is not known to match anything
    _configure_mkdocs_logging(args.verbose)
    # Build beside the old site and swap at the end: a failed build leaves the last good site whole.
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=site_dir.parent))
    try:
        config = load_config(config_file=str(project.config_file), strict=True, site_dir=str(staging))
        config[GENERATED] = True  # one generation per build: the hook reuses the one just made
        config[PREVIOUS_SITE] = str(site_dir)  # unchanged generated pages come from it (reviewsite/hooks/reuse.py)
        if generated.reviews >= APART_FROM and can_fork():  # the generation's count: records/ not scanned again
            _build_apart_then_index(config)
        else:
            build(config)
    except MkDocsException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"MkDocs build failed: {exc}\nThe previous site in {site_dir.name}/ is unchanged.", file=sys.stderr)
        return EXIT_INVALID
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if site_dir.exists():
        site_dir.rename(site_dir.with_name(f".{site_dir.name}-old-{os.getpid()}-{time.time_ns()}"))
    staging.rename(site_dir)
    stamp.record(inputs)
    _discard_replaced_sites(site_dir)
    print(f"Site built into {site_dir} in {time.perf_counter() - started:.2f} s.")
    return EXIT_OK


def _build_apart_then_index(config) -> None:
    """MkDocs' build in a forked child, then the search index from this process once the child has ended.

    MkDocs holds what it knows of every page until its build ends (a File and a Page each, their anchors and links:
    15-20 KB a review), and Pagefind ran beside it from the last hook; a many-review build then peaked at both at
    once (issue 16). In a child, MkDocs' memory goes back to the system when it exits, and Pagefind runs beside this
    small process instead. Same site, same errors: a failure in either raises the MkDocsException the one-process
    build raises. In the child, the review pages are built a batch of reviews at a time, each batch in a child of
    its own (reviewsite/hooks/batches.py), so that MkDocs' process does not grow with the collection either."""
    from .hooks.batches import build_in_batches
    from .hooks.search import detach_search_index

    index = detach_search_index(config)
    run_apart(lambda: build_in_batches(config), "MkDocs' process", "rs-mkdocs")
    index()


def _command_build_sharded(project: Project, args: argparse.Namespace, site_dir: Path) -> int:
    """`build --shard K/N` and `build --merge DIR…`: one cold build split across jobs (build/shards.py)."""
    from .build import shards

    _configure_mkdocs_logging(args.verbose)
    started = time.perf_counter()
    if args.merge:
        report = shards.merge_shards(project, [Path(folder).resolve() for folder in args.merge], site_dir)
        _print_problems(report.generated.warnings)
        SiteStamp(project.root, project.docs_dir, project.config_file, site_dir).forget()
        print(f"Site built into {site_dir} from {report.shards} shard(s) ({report.pages_from_shards} page(s) "
              f"built by them) in {time.perf_counter() - started:.2f} s.")
        return EXIT_OK
    try:
        spec = shards.ShardSpec.parse(args.shard)
    except ValueError as exc:
        print(f"build_site.py: error: --shard {exc}", file=sys.stderr)
        return EXIT_USAGE
    out_dir = Path(args.shard_dir or f"shard-{spec.number}-of-{spec.count}").resolve()
    report = shards.build_shard(project, spec, out_dir)
    _print_problems(report.generated.warnings)
    print(f"Shard {spec}: {report.reviews} of {report.generated.reviews} review(s) rendered and built into "
          f"{out_dir} in {time.perf_counter() - started:.2f} s; merge the shards with `build --merge`.")
    return EXIT_OK


def command_serve(project: Project, args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    try:
        generate(project, drafts=True)  # the hook's first build reports what it finds, once
    except SiteError:
        # Still serve: the hook reports the problem in the terminal and on the page (once, so not here)
        # and rebuilds when the record is fixed.
        pass
    # MkDocs' progress lines only with --verbose: the hook logs one line per rebuild (what changed, how long,
    # any problems), and two messages about the generated pages are filtered out (hooks/quiet.py).
    _configure_mkdocs_logging(verbose=args.verbose)
    print(f"Serving on http://{args.host}:{args.port}/ (Ctrl+C to stop). Edit records/ and the page reloads.")
    try:
        # Dirty rebuilds redo only the pages whose Markdown changed: an edit shows in about 1 s instead
        # of 5 at 100 reviews (benchmarks/RESULTS.md); --clean trades that for a complete search index.
        serve(config_file=str(project.config_file), dev_addr=f"{args.host}:{args.port}", livereload=True,
              build_type=None if args.clean else "dirty", strict=False, open_in_browser=args.open)
    except MkDocsException as exc:  # e.g. a mistake in mkdocs.yml
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        print(f"error: port {args.port} is already in use; stop the other server or pass --port {args.port + 1}",
              file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def command_schema(project: Project, args: argparse.Namespace) -> int:
    from .load.schema_files import write_schema_files

    written = write_schema_files(project.root / "schema")
    print(f"schema/: {len(written)} file(s) updated" + (": " + ", ".join(written) if written else "."))
    return EXIT_OK


def command_test(project: Project, args: argparse.Namespace) -> int:
    import pytest

    os.chdir(project.root)
    code = pytest.main(list(args.pytest_args))
    return int(code)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # exit 2 with the usage, as for every wrong command line
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="build_site.py",
        description="Validate the review records in records/, generate their pages into docs/ and build or "
                    "serve the site with MkDocs.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show MkDocs' progress messages")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True
    check_parser = commands.add_parser(
        "check", help="validate every record and list all problems (exit 1 if any)",
        description="Validate every record file and print every problem with its file, line, field and a fix. "
                    "Writes nothing. The problems of reviews marked draft are listed apart and do not fail "
                    "the check unless --strict.")
    check_parser.add_argument("--strict", action="store_true",
                              help="fail (exit 1) on the problems of drafts too")
    commands.add_parser("generate", help="validate, then write the Markdown pages into docs/",
                        description="Validate the records and (re)write the generated pages in docs/. Files "
                                    "whose content is unchanged are not rewritten.")
    build_parser = commands.add_parser(
        "build", help="generate, then build the site with MkDocs (strict) into site/",
        description="Generate the pages, then run a strict MkDocs build. The new site replaces site/ only when "
                    "the whole build succeeds.")
    build_parser.add_argument("--site-dir", help="build into this folder instead of site/")
    sharding = build_parser.add_mutually_exclusive_group()
    sharding.add_argument("--shard", metavar="K/N", help="render and build only shard K of N's reviews (every record "
                          "is still validated) into --shard-dir, for `--merge` (a CI matrix job)")
    sharding.add_argument("--merge", nargs="+", metavar="DIR", help="build the whole site from the folders of "
                          "shards 1/N … N/N, taking their pages as built, then index it for search")
    build_parser.add_argument("--shard-dir", help="where --shard writes (default: shard-K-of-N)")
    serve_parser = commands.add_parser(
        "serve", help="generate and serve a live preview that rebuilds when a record or template changes",
        description="Serve the site on 127.0.0.1 with live reload. Saving a record regenerates its pages; an "
                    "invalid record is reported in the terminal and on the page, and the last good pages stay.")
    serve_parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve_parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve_parser.add_argument("--open", action="store_true", help="open the site in a browser")
    serve_parser.add_argument("--clean", action="store_true",
                              help="rebuild every page on each change (slower; the preview's search then "
                                   "indexes every page, not only those rebuilt since the server started)")
    commands.add_parser("schema", help="write the JSON Schema files in schema/ from the declared schema",
                        description="Regenerate schema/*.schema.json, which editors use to complete and check "
                                    "records while you type.")
    test_parser = commands.add_parser("test", help="run the test suite (pytest); extra arguments go to pytest",
                                      description="Run pytest on tests/. Arguments after `test` are passed on.")
    test_parser.add_argument("pytest_args", nargs=argparse.REMAINDER, help="arguments for pytest")
    add_import_parsers(commands)
    from .sources.commands import add_parsers as add_sources_parsers
    add_sources_parsers(commands)
    return parser


COMMANDS = {"check": command_check, "generate": command_generate, "build": command_build,
            "serve": command_serve, "schema": command_schema, "test": command_test,
            "import": command_import, "new": command_new, "verify": lambda project, args: args.run(project, args)}


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    parser = make_parser()
    # Options after `test` belong to pytest (`test -k pages -x`), so they are not parsed here.
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "test":
        parser.error("unrecognized arguments: " + " ".join(extra))
    if args.command == "test":
        args.pytest_args = [*extra, *args.pytest_args]
    project = Project((root or Path.cwd()).resolve())
    try:
        return COMMANDS[args.command](project, args)
    except RecordsInvalid as exc:
        print(exc.format(), file=sys.stderr)
        kept = ": docs/ and site/ still hold the last good build" if args.command in ("build", "generate") else ""
        print(f"\n{exc}; nothing was written{kept}.", file=sys.stderr)
        return EXIT_INVALID
    except SiteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130
