"""Load every review folder under `records/`, validate it into the model, and check across records.

Two phases, as in pelican: every file is read and validated first and every problem
collected; only a collection with no error is handed on to rendering.
"""

from __future__ import annotations

import difflib
import gc
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .. import identifiers as ids
from ..errors import Problem, RecordsInvalid, relative_name
from ..parallel import Pooled, map_cached
from ..sentences import split_sentences
from .reader import FieldPath, RecordFile, format_path, read_record_file
from .schema import (
    RECORD_FILES,
    AbstractRecord,
    ArticleRecord,
    Erratum,
    ErratumRecord,
    Record,
    Reference,
    ReferencesRecord,
    SummaryRecord,
    model_in,
)


@dataclass(frozen=True)
class ReviewRecords:
    """One review: its validated records and the files they came from."""

    id: str
    folder: str  # relative to the project, e.g. records/ferrari-lacraz-2011
    article: ArticleRecord
    abstract: AbstractRecord | None
    errata: tuple[Erratum, ...]
    references: ReferencesRecord | None
    files: tuple[str, ...]  # the record files, relative to the project
    summary: SummaryRecord | None = None
    # Where article.yaml's doi and pmid stand, for checks across reviews.
    positions: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False)
    source_lines: dict[str, str] = field(default_factory=dict, compare=False)
    draft: bool = False  # article.yaml says `draft: "true"`


    @property
    def reference_list(self) -> tuple[Reference, ...]:
        return tuple(self.references.references) if self.references else ()


@dataclass
class LoadResult:
    """Every valid review (drafts included) and every problem. A draft's problems are marked `draft` and kept
    apart: `errors` and `warnings` are those of the other reviews, which alone can stop a build."""

    reviews: list[ReviewRecords] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)  # the ids of the reviews marked draft, valid or not

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error" and not p.draft]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning" and not p.draft]

    @property
    def draft_problems(self) -> list[Problem]:
        return [p for p in self.problems if p.draft]

    @property
    def published(self) -> list[ReviewRecords]:
        """The valid reviews that are not drafts: what `build` publishes."""
        return [r for r in self.reviews if not r.draft]

    def draft_problems_of(self, review_id: str) -> list[Problem]:
        folder = f"/{review_id}/"
        return [p for p in self.draft_problems if folder in f"/{p.file}/"]


LoadedReview = tuple["ReviewRecords | None", list[Problem]]
ReviewLoader = Callable[[Path, Path], LoadedReview]


def load_collection(records_dir: Path, project_root: Path, load: ReviewLoader | None = None) -> LoadResult:
    """Read and validate every review under `records_dir` (each folder with `load`, `load_review` unless
    given). Never raises for record mistakes."""
    load = load or load_review
    result = LoadResult()
    if not records_dir.is_dir():
        result.problems.append(Problem(relative_name(records_dir, project_root), message="records folder not found",
                                       hint="create it, with one folder per review"))
        return result
    # The cyclic collector rescans every loaded object as the collection grows (PERFORMANCE.md).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        folders = sorted(p for p in records_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
        for folder, (review, problems) in zip(folders, _load_each(folders, project_root, load), strict=True):
            result.problems.extend(problems)
            if review is not None:
                result.reviews.append(review)
            if (review.draft if review is not None else any(p.draft for p in problems)):
                result.drafts.append(folder.name)
    finally:
        if was_enabled:
            gc.enable()
    # Published reviews first: a clash between a draft and a published review is reported on the draft.
    drafts = {r.folder for r in result.reviews if r.draft}
    ordered = [r for r in result.reviews if not r.draft] + [r for r in result.reviews if r.draft]
    result.problems.extend(replace(p, draft=True) if p.file.rpartition("/")[0] in drafts else p
                           for p in check_collection(ordered))
    for stray in sorted(p for p in records_dir.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml")):
        result.problems.append(Problem(relative_name(stray, project_root), 1, 1, "",
                                       "record files belong in a review's own folder",
                                       f"move it to records/<review-id>/{stray.name}"))
    return result


def _load_each(folders: list[Path], project_root: Path, load: ReviewLoader) -> Iterator[LoadedReview]:
    """`load(folder, project_root)` for each folder, in order; the reading itself (`load_review`, which `load`
    calls where its cache lacks a folder) on several cores when enough folders need it (a cold build)."""
    global _read
    pooled = Pooled(_read_review)
    _read = pooled
    try:
        yield from map_cached(folders, lambda folder: load(folder, project_root), pooled, project_root)
    finally:
        _read = _read_review


_DRAFT_LINE = re.compile(r"""^draft:[ \t]*(["']?)true\1[ \t]*(#.*)?$""", re.MULTILINE)


def _is_draft(record_file: RecordFile | None) -> bool:
    """`draft: "true"` in article.yaml, read even when the file is otherwise invalid (then from its text)."""
    if record_file is None:
        return False
    if isinstance(record_file.data, dict):
        return record_file.data.get("draft") in ("true", True)
    return bool(_DRAFT_LINE.search("\n".join(record_file.lines)))


def load_review(folder: Path, project_root: Path) -> LoadedReview:
    """Validate one review folder; the review is None when any of its files has an error. The problems of a
    review marked draft are marked `draft`."""
    return _read(folder, project_root)


def _read_review(folder: Path, project_root: Path) -> LoadedReview:
    review, problems = _load_review(folder, project_root)
    if (review is not None and review.draft) or (review is None and _is_draft(_article_file(folder))):
        problems = [replace(p, draft=True) for p in problems]
    return review, problems


def _article_file(folder: Path) -> RecordFile | None:
    path = folder / "article.yaml"
    if folder.is_symlink() or path.is_symlink() or not path.is_file():
        return None
    return read_record_file(path, path.name)[0]


def _load_review(folder: Path, project_root: Path) -> tuple[ReviewRecords | None, list[Problem]]:
    # Named as found, not resolved: a link's target is not shown, let alone read.
    folder_name = f"{relative_name(folder.parent, project_root)}/{folder.name}"
    problems: list[Problem] = []
    if folder.is_symlink():
        return None, [Problem(folder_name, message="a review folder must be a real folder, not a link",
                              hint="move the review's files into records/ instead of linking to them")]
    if folder.name in ids.COLLECTION_PAGES:
        problems.append(Problem(folder_name, message=f"review folder name '{folder.name}' is taken: reviews/"
                                f"{folder.name}/ is one of the collection's own pages",
                                hint=ids.check_review_id(folder.name).partition("; ")[2]))
    elif slug_message := ids.check_slug(folder.name):
        problems.append(Problem(folder_name, message=f"review folder name '{folder.name}' cannot be used in a web "
                                "address", hint=slug_message.partition("; ")[2]))
    known = set(RECORD_FILES)
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.name not in known and not path.name.startswith("."):
            close = difflib.get_close_matches(path.name, known, n=1, cutoff=0.8)
            problems.append(Problem(f"{folder_name}/{path.name}", 1, 1, "",
                                    f"unexpected file '{path.name}' in a review folder",
                                    f"did you mean '{close[0]}'?" if close else
                                    "a review folder holds only " + ", ".join(sorted(known))))
    models: dict[str, BaseModel | None] = {}
    files: dict[str, RecordFile] = {}
    for name, (model, required) in RECORD_FILES.items():
        path = folder / name
        if path.is_symlink():
            # A link could show any file on the machine (~/.ssh/..., /etc/passwd) in a public CI log.
            problems.append(Problem(f"{folder_name}/{name}", message="a record file must be a real file, not a link",
                                    hint="replace the link with a copy of the record"))
            models[name] = None
            continue
        if not path.is_file():
            if required:
                problems.append(Problem(f"{folder_name}/{name}", message="required file is missing",
                                        hint=f"create {name}: copy one from another review folder and "
                                             "replace its values"))
            models[name] = None
            continue
        record_file, read_problems = read_record_file(path, f"{folder_name}/{name}")
        problems.extend(read_problems)
        files[name] = record_file
        models[name] = None if read_problems else validate(record_file, model, problems)
    # Cross-file checks run on whichever files are valid, so one run reports every mistake.
    problems.extend(check_review(models, files))
    if any(p.severity == "error" for p in problems):
        return None, problems
    article = models["article.yaml"]
    assert isinstance(article, ArticleRecord)
    errata_record = models["erratum.yaml"]
    review = ReviewRecords(
        id=folder.name, folder=folder_name, article=article,
        abstract=models["abstract.yaml"],  # type: ignore[arg-type]
        errata=tuple(errata_record.errata) if isinstance(errata_record, ErratumRecord) else (),
        references=models["references.yaml"],  # type: ignore[arg-type]
        summary=models["summary.yaml"],  # type: ignore[arg-type]
        files=tuple(f.name for f in files.values()),
        positions={k: files["article.yaml"].position((k,)) for k in ("doi", "pmid")},
        source_lines={k: files["article.yaml"].source_line(files["article.yaml"].position((k,))[0])
                      for k in ("doi", "pmid")},
        draft=article.draft,
    )
    return review, problems


def validate(record_file: RecordFile, model: type[Record], problems: list[Problem]) -> Record | None:
    try:
        return model.model_validate(record_file.data)
    except ValidationError as exc:
        found = [describe_error(record_file, model, error) for error in exc.errors()]
        problems.extend(_without_echoes(found))
        return None


def _without_echoes(found: list[Problem]) -> list[Problem]:
    """Drop "required field 'title' is missing" when the same place has "unknown field 'titel'" with
    a did-you-mean for it: one mistake, one message."""
    suggested = {(p.field_path.rpartition(".")[0], p.hint) for p in found if p.message.startswith("unknown field")}
    kept = []
    for problem in found:
        name = problem.message.removeprefix("required field '").partition("'")[0]
        if problem.message.startswith("required field") and \
                (problem.field_path, f"did you mean '{name}'?") in suggested:
            continue
        kept.append(problem)
    return kept


def _field_names(model: type[BaseModel], loc: FieldPath) -> list[str]:
    """The fields a model allows at `loc` (for 'did you mean'), following nested models and lists."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return []
        annotation = info.annotation
        current = model_in(annotation)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}))


_KIND = {dict: "a mapping of keys", list: "a list", str: "text"}


def describe_error(record_file: RecordFile, model: type[Record], error: dict) -> Problem:
    """Turn one pydantic error into a message for the maintainer, placed at its line."""
    loc: FieldPath = tuple(part for part in error["loc"] if isinstance(part, (int, str)))
    # pydantic adds validator names to the loc of some unions; keep only parts present in the data
    loc = _data_path(record_file.data, loc)
    kind = error["type"]
    value = error.get("input")
    got = _KIND.get(type(value), "nothing" if value is None else type(value).__name__)
    if value == "":
        got = "an empty value"
    if kind == "missing":
        parent, name = loc[:-1], loc[-1]
        if not parent:  # the top-level mapping starts at its first key, which is not where anything is wrong
            return Problem(record_file.name, 1, 1, "", f"required field '{name}' is missing",
                           f"add a line `{name}: ...` at the top level (not indented)")
        where = f"under `{format_path(parent)}`" if isinstance(parent[-1], str) else f"to {format_path(parent)}"
        return record_file.problem(parent, f"required field '{name}' is missing", f"add `{name}: ...` {where}",
                                   key=True)
    if kind == "extra_forbidden":
        name = str(loc[-1])
        allowed = _field_names(model, loc[:-1])
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else "allowed here: " + ", ".join(allowed)
        return record_file.problem(loc, f"unknown field '{name}'", hint, key=True)
    if kind in ("string_type",):
        return record_file.problem(loc, f"expected text, got {got}", "write a single value on this line")
    if kind in ("list_type",):
        return record_file.problem(loc, f"expected a list, got {got}", "write one `- item` per line")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return record_file.problem(loc, f"expected a mapping of keys, got {got}", "write `key: value` lines")
    if kind in ("literal_error", "enum"):  # a closed set of values: suggest the nearest
        expected = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
        close = [e for e in expected if e.lower() == str(value).lower()] or \
            difflib.get_close_matches(str(value), expected, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'?" if close else "write one of: " + ", ".join(expected)
        return record_file.problem(loc, f"'{value}' is not one of the allowed values", hint)
    if kind == "too_short":
        return record_file.problem(loc, "needs at least one entry", "add an entry, or remove the field if optional")
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    # Our checks write "what is wrong; how to fix it" (see identifiers.py).
    message, _, hint = message.partition("; ")
    return record_file.problem(loc, message, hint)


def _data_path(data: Any, loc: FieldPath) -> FieldPath:
    path: list[str | int] = []
    current = data
    for part in loc:
        if isinstance(current, dict) and isinstance(part, str) and part in current:
            current = current[part]
            path.append(part)
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
            path.append(part)
        elif isinstance(current, dict) and isinstance(part, str):
            path.append(part)  # a missing or unknown key: keep its name for the message
            current = None
        else:
            continue
    return tuple(path)


def check_review(models: dict[str, BaseModel | None], files: dict[str, RecordFile]) -> list[Problem]:
    """Checks across the files of one review: ids that must exist, values that must not repeat.

    `models` holds each file's validated record, or None when it is missing or invalid; the
    checks that need an invalid file are skipped, the others still run.
    """
    problems: list[Problem] = []
    article = models.get("article.yaml")
    source_ids: list[str] | None = None
    if isinstance(article, ArticleRecord):
        article_file = files["article.yaml"]
        source_ids = [s.id for s in article.sources]
        problems += _duplicates(article_file, ("sources",), source_ids, "source id")
        problems += _check_affiliations(article, article_file)

    def check_sources(record_file: RecordFile, path: FieldPath, names: list[str]) -> None:
        if source_ids is None:
            return
        for index, name in enumerate(names):
            if name not in source_ids:
                problems.append(record_file.problem((*path, index), f"no source has the id '{name}'",
                                                    _suggest(name, source_ids, "article.yaml sources")))

    abstract = models.get("abstract.yaml")
    if isinstance(abstract, AbstractRecord):
        check_sources(files["abstract.yaml"], ("sources",), abstract.sources)
    errata = models.get("erratum.yaml")
    if isinstance(errata, ErratumRecord):
        for index, erratum in enumerate(errata.errata):
            check_sources(files["erratum.yaml"], ("errata", index, "sources"), erratum.sources)
    references = models.get("references.yaml")
    if isinstance(references, ReferencesRecord):
        ref_file = files["references.yaml"]
        refs = references.references
        for index, ref in enumerate(refs):
            check_sources(ref_file, ("references", index, "sources"), ref.sources)
            for n_index, notice in enumerate(ref.notices):
                check_sources(ref_file, ("references", index, "notices", n_index, "sources"), notice.sources)
        for attribute, label in (("id", "reference id"), ("doi", "DOI"), ("pmid", "PMID")):
            values = [getattr(r, attribute) for r in refs]
            if attribute == "doi":  # DOIs are case-insensitive
                values = [v.lower() if v else v for v in values]
            problems += _duplicates(ref_file, ("references",), values, label, attribute)
    summary = models.get("summary.yaml")
    if isinstance(summary, SummaryRecord):
        summary_file = files["summary.yaml"]
        if source_ids is not None and summary.source_version.source not in source_ids:
            problems.append(summary_file.problem(("source_version", "source"),
                                                 f"no source has the id '{summary.source_version.source}'",
                                                 _suggest(summary.source_version.source, source_ids,
                                                          "article.yaml sources")))
        if summary.reviewed_by and not summary.reviewed:
            problems.append(summary_file.problem(("reviewed_by",), "`reviewed_by` without `reviewed`",
                                                 "add the day of the review: `reviewed: YYYY-MM-DD`", key=True))
        if summary.reviewed and summary.reviewed < summary.written:  # YYYY-MM-DD text sorts as dates do
            problems.append(summary_file.problem(("reviewed",), f"reviewed on {summary.reviewed}, before it was "
                                                 f"written ({summary.written})", "correct one of the two days"))
        problems += _check_supports(summary, summary_file, models, files)
    return problems


def _check_supports(summary: SummaryRecord, summary_file: RecordFile, models: dict[str, BaseModel | None],
                    files: dict[str, RecordFile]) -> list[Problem]:
    """Every key point's support must exist: the abstract section or sentence, the reference, the notice.
    A support in a file that is present but invalid is not judged: that file's own errors come first."""
    problems: list[Problem] = []
    abstract, references, errata = (models.get(n) for n in ("abstract.yaml", "references.yaml", "erratum.yaml"))

    def unjudged(name: str) -> bool:
        return name in files and models.get(name) is None

    for p_index, point in enumerate(summary.key_points):
        for s_index, support in enumerate(point.supported_by):
            path: FieldPath = ("key_points", p_index, "supported_by", s_index)
            if support.abstract is not None and not unjudged("abstract.yaml"):
                found = _abstract_problem(support.abstract, abstract if isinstance(abstract, AbstractRecord)
                                          else None)
                if found:
                    problems.append(summary_file.problem((*path, "abstract"), *found))
            if support.reference is not None and not unjudged("references.yaml"):
                found = _reference_problem(support.reference, references.references
                                           if isinstance(references, ReferencesRecord) else [])
                if found:
                    problems.append(summary_file.problem((*path, "reference"), *found))
            if support.erratum is not None and not unjudged("erratum.yaml"):
                count = len(errata.errata) if isinstance(errata, ErratumRecord) else 0
                if int(support.erratum) > count:
                    problems.append(summary_file.problem(
                        (*path, "erratum"), f"there is no correction notice {support.erratum}",
                        f"did you mean '{count}'? erratum.yaml lists {_count(count, 'notice')}" if count else
                        "no erratum is recorded (no erratum.yaml); add the notice or remove this support"))
    return problems


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _abstract_problem(place: str, abstract: AbstractRecord | None) -> tuple[str, str] | None:
    """(what is wrong, the fix) when `place` (2 or 2.3) names no section or sentence of the abstract."""
    if abstract is None:
        return (f"no abstract is recorded, so there is no abstract place {place}",
                "add abstract.yaml, or name a reference or the erratum instead")
    section_text, _, sentence_text = place.partition(".")
    section, sections = int(section_text), len(abstract.sections)
    if section > sections:
        return (f"the abstract has no section {section}",
                f"did you mean '{sections}'? abstract.yaml has {_count(sections, 'section')}, numbered from 1")
    if sentence_text:
        sentences = split_sentences(abstract.sections[section - 1].text)
        if int(sentence_text) > len(sentences):
            last = sentences[-1]
            opening = last if len(last) <= 40 else last[:40].rsplit(" ", 1)[0] + " …"
            return (f"section {section} of the abstract has no sentence {sentence_text}",
                    f"did you mean '{section}.{len(sentences)}'? section {section} has "
                    f"{_count(len(sentences), 'sentence')}; the last begins '{opening}'")
    return None


def _reference_problem(place: str, references: list[Reference]) -> tuple[str, str] | None:
    """(what is wrong, the fix) when `place` (a number or an id) names no recorded reference."""
    ids_known = [r.id for r in references if r.id]
    if not references:
        return (f"there is no reference {place}: no references are recorded",
                "add them to references.yaml, or name the abstract or the erratum instead")
    if place.isdigit():
        if int(place) <= len(references):
            return None
        also = f", or an id: {', '.join(ids_known)}" if ids_known else ""
        return (f"there is no reference {place}",
                f"did you mean '{len(references)}'? references.yaml lists {_count(len(references), 'work')}, "
                f"numbered from 1{also}")
    if place in ids_known:
        return None
    return f"no reference has the id '{place}'", _suggest(place, ids_known, "references.yaml")


def _check_affiliations(article: ArticleRecord, article_file: RecordFile) -> list[Problem]:
    problems: list[Problem] = []
    affiliation_ids = [a.id for a in article.affiliations]
    problems += _duplicates(article_file, ("affiliations",), affiliation_ids, "affiliation id")
    used: set[str] = set()
    for a_index, author in enumerate(article.authors):
        for f_index, aff in enumerate(author.affiliations):
            used.add(aff)
            if aff not in affiliation_ids:
                problems.append(article_file.problem(("authors", a_index, "affiliations", f_index),
                                                     f"no affiliation has the id '{aff}'",
                                                     _suggest(aff, affiliation_ids, "affiliations")))
    if article.authors_complete:
        # With an incomplete author list an affiliation may belong to an author not yet recorded.
        for index, aff in enumerate(article.affiliations):
            if aff.id not in used:
                problems.append(article_file.problem(("affiliations", index, "id"),
                                                     f"no author uses affiliation '{aff.id}'",
                                                     "add it to an author's affiliations or remove it",
                                                     severity="warning"))
    return problems


def _duplicates(record_file: RecordFile, path: FieldPath, values: list[str | None], label: str,
                attribute: str = "id") -> list[Problem]:
    problems = []
    first: dict[str, int] = {}
    for index, value in enumerate(values):
        if value is None:
            continue
        if value in first:
            line = record_file.position((*path, first[value], attribute))[0]
            problems.append(record_file.problem((*path, index, attribute),
                                                f"{label} '{value}' is used twice (first on line {line})",
                                                "each entry needs its own; remove or correct one"))
        else:
            first[value] = index
    return problems


def _suggest(name: str, known: list[str], where: str) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"use one of the ids in {where}: " + (", ".join(known) if known else "(none defined)")


def check_collection(reviews: list[ReviewRecords]) -> list[Problem]:
    """Checks across reviews: one article must not be recorded twice (same DOI or PMID)."""
    problems: list[Problem] = []
    for attribute, label in (("doi", "DOI"), ("pmid", "PMID")):
        first: dict[str, ReviewRecords] = {}
        for review in reviews:
            value = getattr(review.article, attribute)
            if value is None:
                continue
            key = value.lower()
            if key in first:
                other = first[key]
                line, column = review.positions.get(attribute, (0, 0))
                problems.append(Problem(
                    f"{review.folder}/article.yaml", line, column, attribute,
                    f"{label} '{value}' is also the {label} of review '{other.id}' "
                    f"({other.folder}/article.yaml)",
                    "the same article is recorded twice: keep one review folder, or correct the value",
                    source_line=review.source_lines.get(attribute, "")))
            else:
                first[key] = review
    return problems


def require_valid(result: LoadResult) -> list[ReviewRecords]:
    """The reviews (drafts included), or RecordsInvalid carrying every problem of the reviews that are not
    drafts when any is an error. A draft's problems never stop the others."""
    if result.errors:
        raise RecordsInvalid([p for p in result.problems if not p.draft])
    return result.reviews


__all__ = ["ReviewRecords", "LoadResult", "load_collection", "load_review", "check_collection", "require_valid",
           "format_path"]


# What `load_review` calls: `_read_review`, or while `load_collection` runs, the pool's stand-in for it.
_read: Callable[[Path, Path], LoadedReview] = _read_review
