"""The pipeline: load -> validate -> model -> render -> write. One implementation for the CLI and the hook."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem
from ..load.records import load_collection, load_review, require_valid
from ..model.from_records import build_review
from ..site.render import render_site
from .incremental import Incremental, Manifest, outputs_stats
from .writer import WriteReport, owned_files, recover, write_pages


# Set in a MkDocs config by a caller that has just generated the pages, so the hook does not again.
GENERATED = "reviewsite_generated"
# Set by `build_site.py build` to the site folder the build will replace (reviewsite/hooks/reuse.py reads it).
PREVIOUS_SITE = "reviewsite_previous_site"


@dataclass(frozen=True)
class Project:
    """Where a project's parts live; every path derives from the root."""

    root: Path

    @property
    def records_dir(self) -> Path:
        return self.root / "records"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    @property
    def config_file(self) -> Path:
        return self.root / "mkdocs.yml"


@dataclass
class GenerateResult:
    reviews: int
    pages: int
    report: WriteReport
    warnings: list[Problem]


def check(project: Project) -> tuple[int, list[Problem]]:
    """Validate every record; returns the number of valid reviews and all problems. Reads only, caches nothing."""
    result = load_collection(project.records_dir, project.root)
    return len(result.reviews), result.problems


def generate(project: Project) -> GenerateResult:
    """Regenerate the Markdown pages. Raises RecordsInvalid, before writing anything, if any record is wrong."""
    recover(project.docs_dir)  # first finish a generation that was interrupted, so no mix of pages stays
    incremental = Incremental(project.root, project.records_dir, project.templates_dir)
    inputs = incremental.inputs_signature()
    previous = incremental.read_manifest()
    if previous is not None and previous.inputs == inputs and \
            outputs_stats(project.docs_dir, owned_files(project.docs_dir)) == previous.files:
        # Same inputs, and every generated file is still the one written last time: nothing to do.
        return GenerateResult(previous.reviews, len(previous.files), WriteReport(unchanged=len(previous.files)),
                              list(previous.warnings))
    loaded = load_collection(project.records_dir, project.root, incremental.load_review(load_review))
    build = incremental.build_review(build_review)
    reviews = [build(records) for records in require_valid(loaded)]
    pages = render_site(reviews, project.templates_dir, incremental.render_review)
    report = write_pages(project.docs_dir, pages)
    incremental.save()
    written = outputs_stats(project.docs_dir, owned_files(project.docs_dir))
    incremental.write_manifest(Manifest(inputs, written, len(reviews), tuple(loaded.warnings)))
    return GenerateResult(len(reviews), len(pages), report, loaded.warnings)
