"""`import FILE --review ID`: parse an export, merge it into the review's records, validate, then write.

Nothing is written unless the merged records pass the same validation as `check`; each file is
replaced atomically, article.yaml first (a new source there harms nothing on its own).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from ruamel.yaml import YAMLError

from .. import identifiers as ids
from ..build.writer import write_atomically
from ..errors import RecordsInvalid, relative_name
from ..load.reader import decode, read_record_file
from ..load.records import check_collection, load_collection, load_review
from ..load.schema import RECORD_FILES
from .detect import detect_format
from .merge import Merger, MergeReport, insert_in_order, slug
from .model import ImportedFile, ImportFailed
from .yamlio import delete_key, dump, is_placeholder, load_text, node

# Parser modules are imported on use: the command line should not load bibtexparser to run `check`.
PARSER_MODULES = {"medline": "medline", "ris": "ris", "bibtex": "bibtex", "csl-json": "csljson"}
# The record files an import merges into; the others (summary.yaml, the maintainers' own words) it never writes,
# but they are validated with the merged files, since a summary can cite an abstract section an import replaced.
FILES = ("article.yaml", "abstract.yaml", "erratum.yaml", "references.yaml")
_HEADERS = {
    "article.yaml": "The review's bibliographic data. Every value comes from a source listed under `sources`.",
    "abstract.yaml": "The abstract verbatim, as the source gives it.",
    "erratum.yaml": "Correction notices published for the review.",
    "references.yaml": "The works the review cites; `citation` is built in PubMed's style from the source's fields.",
}


@dataclass
class ImportOptions:
    references: bool | None = None  # None: one record is the review itself, several are its cited works
    source_url: str | None = None
    source_name: str | None = None
    source_id: str | None = None
    accessed: str | None = None
    overwrite: bool = False
    format: str | None = None
    dry_run: bool = False
    # A fetched record names its own source: {"id", "name", "url", "accessed"} (the URL read, the date read).
    fetched_source: dict[str, str] | None = None


@dataclass
class ImportReport(MergeReport):
    format: str = ""
    kind: str = ""  # "article" or "references"
    records: int = 0
    source_id: str = ""
    notes: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)


class ImportInvalid(RecordsInvalid):
    """The merged records would not pass `check`; nothing was written."""

    def __init__(self, problems, summary: str = "the imported records would not pass `check`"):
        super().__init__(problems)
        self.summary = summary

    def __str__(self) -> str:
        return self.summary


def import_export(path: Path, project_root: Path, review_id: str, options: ImportOptions) -> ImportReport:
    """Import `path` into records/<review_id>/; raises ImportFailed or ImportInvalid and then changes nothing."""
    name = relative_name(path, project_root)
    if ids.check_review_id(review_id):
        raise ImportFailed(name, 0, f"'{review_id}' cannot be a review id", ids.check_review_id(review_id) or "")
    if not path.is_file():
        raise ImportFailed(name, 0, "no such file")
    text, problems = decode(path.read_bytes(), name)
    if text is None:
        raise ImportFailed(name, problems[0].line, problems[0].message, problems[0].hint)
    file_format = options.format or detect_format(text, path)
    parser = import_module(f"{__package__}.{PARSER_MODULES[file_format]}")
    parsed: ImportedFile = parser.parse(text, name)
    return import_parsed(parsed, name, project_root, review_id, options, f"imported from {path.name} ({file_format})")


def import_parsed(parsed: ImportedFile, name: str, project_root: Path, review_id: str, options: ImportOptions,
                  origin: str) -> ImportReport:
    """Merge already parsed works (an export file, or a record fetched from PubMed or Crossref) into
    records/<review_id>/; `origin` starts the source's `used_for`. Raises ImportFailed or ImportInvalid and
    then changes nothing."""
    if ids.check_review_id(review_id):
        raise ImportFailed(name, 0, f"'{review_id}' cannot be a review id", ids.check_review_id(review_id) or "")
    file_format = parsed.format
    works = parsed.works
    as_references = options.references if options.references is not None else len(works) > 1
    if not as_references and len(works) != 1:
        raise ImportFailed(name, works[1].line, f"the file holds {len(works)} records; the review's own record "
                           "is one", "export only the review, or pass --references to add cited works")
    report = ImportReport(format=file_format, kind="references" if as_references else "article",
                          records=len(works), notes=list(parsed.notes))
    for work in works:
        report.notes.extend(f"{name}:{work.line}: {note}" for note in work.notes)

    folder = project_root / "records" / review_id
    originals = {f: (folder / f).read_text(encoding="utf-8") if (folder / f).is_file() else None for f in FILES}
    if as_references and originals["article.yaml"] is None:
        raise ImportFailed(relative_name(folder / "article.yaml", project_root), 0,
                           "the review has no article.yaml to name the source of its references",
                           f"import the review's own record first, or run `build_site.py new {review_id}`")
    unreadable = [p for f in FILES if originals[f] is not None
                  for p in read_record_file(folder / f, relative_name(folder / f, project_root))[1]
                  if p.severity == "error"]
    if unreadable:  # a merge needs the record's own structure: the maintainer fixes it first
        raise ImportInvalid(unreadable, "the review's records must pass `check` before an import can merge into "
                                        "them")
    docs = {f: _load_record(t, relative_name(folder / f, project_root)) for f, t in originals.items()}
    merger = Merger(report, options.overwrite)
    source = _source(options, parsed, as_references, name)
    # The source goes in first so its id is known; it is taken out again if nothing ends up citing it.
    before = len(docs["article.yaml"].get("sources") or [])
    source_id = merger.add_source(docs["article.yaml"], source)
    if options.fetched_source and len(docs["article.yaml"]["sources"]) == before:
        _mark_read(docs["article.yaml"]["sources"], source, report)
    touched: set[str] = set()
    if as_references:
        if merger.references(docs["references.yaml"], works, source_id, name):
            touched.add("references.yaml")
        used = ["cited works in references.yaml"]
    else:
        used = merger.article(docs["article.yaml"], works[0])
        report.notes.extend(_drop_placeholders(docs["article.yaml"], review_id))
        if merger.abstract(docs["abstract.yaml"], works[0], source_id):
            touched.add("abstract.yaml")
            used.append("abstract")
        if merger.errata(docs["erratum.yaml"], works[0], source_id):
            touched.add("erratum.yaml")
            used.append("erratum notices")
    sources = docs["article.yaml"]["sources"]
    added_here = len(sources) > before and str(sources[-1].get("id")) == source_id
    if added_here:
        if not used or (not touched and not _article_changed(report)):
            sources.pop()
            report.added = [a for a in report.added if not a.startswith("article.yaml: sources:")]
        else:
            sources[-1]["used_for"] = node(f"{origin}: " + ", ".join(used))
    report.source_id = source_id

    texts = {}
    for file, doc in docs.items():
        if originals[file] is None and not doc:
            continue
        new_text = dump(doc)
        if originals[file] is None:
            new_text = (f"# yaml-language-server: $schema=../../schema/{file.replace('.yaml', '.schema.json')}\n"
                        f"# {_HEADERS[file]}\n") + new_text
        if new_text != originals[file]:
            texts[file] = new_text
    pending = [f for f, t in originals.items() if t is not None and f not in texts and _is_template(t)]
    # The review's own record says what it has: a file `new` left empty that the import did not fill (no
    # erratum, no cited works in the export) is removed, so `new` + `import` leaves what `import` alone does.
    removed = [f for f in pending if not as_references and f != "article.yaml"]
    report.notes.extend(f"records/{review_id}/{f} is still the empty template from `new`: fill it in or delete it"
                        for f in pending if f not in removed)
    report.notes.extend(f"records/{review_id}/{f}: removed the empty template from `new`, as the export gives "
                        "no " + _WHAT[f] for f in removed)
    _validate(project_root, review_id, {f: t for f, t in originals.items() if f not in pending}, texts)
    if not options.dry_run:
        for file in sorted(texts, key=lambda f: f != "article.yaml"):
            write_atomically(folder / file, texts[file])
            report.written.append(relative_name(folder / file, project_root))
        for file in removed:
            (folder / file).unlink()
    return report


_WHAT = {"abstract.yaml": "abstract", "erratum.yaml": "correction notice",
         "references.yaml": "cited works (`import FILE --references` adds them)"}


def _drop_placeholders(doc, review_id: str) -> list[str]:
    """The empty values `new` wrote that the export did not fill (a journal abbreviation, a publication type,
    an author that RIS, BibTeX or CSL-JSON do not give) are removed: left out, as the README's rule says."""
    notes = []
    for key in [k for k in doc if k not in ("sources", "title", "published") and is_placeholder(doc[k])]:
        delete_key(doc, key)
        notes.append(f"records/{review_id}/article.yaml: {key}: the export gives none; its empty placeholder "
                     "from `new` was removed")
    journal = doc.get("journal")
    if isinstance(journal, dict) and not is_placeholder(journal):
        for key in [k for k in journal if is_placeholder(journal[k])]:
            delete_key(journal, key)
            notes.append(f"records/{review_id}/article.yaml: journal.{key}: the export gives none; its empty "
                         "placeholder from `new` was removed")
    return notes


def _load_record(text: str | None, name: str):
    """The record as a round-trip document; a record YAML cannot read is for the maintainer to fix first."""
    if text is None:
        return load_text("{}")
    try:
        return load_text(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ImportFailed(name, mark.line + 1 if mark else 0, f"cannot merge into this record: {exc}".split("\n")[0],
                           "fix the record first (`build_site.py check` shows where), then import again") from None


def _is_template(text: str) -> bool:
    try:
        return is_placeholder(load_text(text))
    except Exception:  # an unreadable file is for `check` to report, not a template
        return False


def _article_changed(report: ImportReport) -> bool:
    return any(line.startswith("article.yaml:") and "sources:" not in line
               for line in report.added + report.updated)


def _mark_read(sources, source: dict[str, str], report: ImportReport) -> None:
    """The fetched source is already listed (same URL): it was read again, so its `accessed` moves on."""
    for index, entry in enumerate(sources):
        if str(entry.get("url")) == source["url"] and source.get("accessed") and \
                str(entry.get("accessed", "")) != source["accessed"]:
            old = entry.get("accessed")
            insert_in_order(entry, "accessed", node(source["accessed"]), ["id", "name", "url", "accessed", "used_for"])
            report.updated.append(f"article.yaml: sources[{index}].accessed: {old or '(none)'} -> "
                                  f"{source['accessed']} (read again)")


def _source(options: ImportOptions, parsed: ImportedFile, as_references: bool, name: str) -> dict[str, str]:
    """The source entry for article.yaml: given on the command line, or PubMed's for a MEDLINE export."""
    if options.fetched_source:
        return dict(options.fetched_source)
    pmids = [w.pmid for w in parsed.works if w.pmid]
    url, label, base = options.source_url, options.source_name, options.source_id
    if not url and parsed.format == "medline" and len(pmids) == len(parsed.works):
        if as_references:
            url = ids.pubmed_search_url(" ".join(pmids))
            label = label or f"PubMed records of {len(pmids)} cited works"
            base = base or "pubmed-cited-works"
        else:
            url = ids.pubmed_url(pmids[0])
            label = label or f"PubMed record PMID {pmids[0]}"
            base = base or "pubmed"
    if not url or not label:
        raise ImportFailed(name, 0, "every imported value needs a source, and this export does not name one",
                           "say where the file came from: --source-url URL --source-name 'What it is'")
    for value, check, what in ((url, ids.check_url, "--source-url"), (options.accessed, ids.check_partial_date,
                                                                       "--accessed")):
        if value and check(value):
            raise ImportFailed(name, 0, f"{what} {value!r}: {check(value)}")
    base = base or slug(label)
    if ids.check_slug(base):
        raise ImportFailed(name, 0, f"--source-id {base!r}: {ids.check_slug(base)}")
    return {"id": base, "name": label, "url": url, "accessed": options.accessed or ""}


def _validate(project_root: Path, review_id: str, originals: dict[str, str | None], texts: dict[str, str]) -> None:
    """Run the records' own validation on the merged files, in a scratch copy of the review."""
    scratch = Path(tempfile.mkdtemp(prefix=".import-"))
    try:
        folder = scratch / "records" / review_id
        folder.mkdir(parents=True)
        for file, original in originals.items():
            text = texts.get(file, original)
            if text is not None:
                (folder / file).write_text(text, encoding="utf-8")
        for file in sorted(set(RECORD_FILES) - set(FILES)):
            if (project_root / "records" / review_id / file).is_file():
                shutil.copyfile(project_root / "records" / review_id / file, folder / file)
        review, problems = load_review(folder, scratch)
        if review is None:
            raise ImportInvalid([p for p in problems if p.severity == "error"] or problems)
        # Across reviews: the same article must not be recorded in two folders.
        others = [r for r in load_collection(project_root / "records", project_root).reviews if r.id != review_id]
        clashes = [p for p in check_collection([*others, review]) if p.file.startswith(f"{review.folder}/")]
        if clashes:
            raise ImportInvalid(clashes)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
