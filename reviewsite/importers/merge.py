"""Merge imported works into a review's round-trip YAML documents, never losing what is there.

A value the record lacks (or holds only as an empty placeholder from `new`) is added; an equal
value is left alone; a different value is a conflict, reported and kept unless `overwrite`.
Lists of names (keywords, publication types, MeSH terms) only grow.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter, ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..load.schema import AbstractRecord, ArticleRecord, Erratum, Journal, Reference, ReferencesRecord
from .citation import normalise_citation, pubmed_citation
from .model import ImportedWork
from .yamlio import append_item, insert_key, is_placeholder, node, plain

ARTICLE_ORDER = list(ArticleRecord.model_fields)
JOURNAL_ORDER = list(Journal.model_fields)
AUTHOR_ORDER = ["family", "given", "initials", "collective", "orcid", "affiliations"]
REFERENCE_ORDER = list(Reference.model_fields)
ERRATUM_ORDER = list(Erratum.model_fields)


def held_notice(entries: list, citation: str | None, doi: str | None, pmid: str | None):
    """The entry of `entries` (erratum.yaml's errata, a reference's notices) that is this notice: the same PMID,
    DOI or citation (PubMed and Crossref name one notice differently; either finds it). None when none is."""
    wanted = {normalise_citation(c) for c in (citation, f"doi:{doi}" if doi else None) if c}
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        if pmid and str(entry.get("pmid") or "") == pmid:
            return entry
        if doi and str(entry.get("doi") or "").lower() == doi.lower():
            return entry
        if entry.get("citation") and normalise_citation(str(entry.get("citation"))) in wanted:
            return entry
    return None


@dataclass
class MergeReport:
    """What an import did, one line per value, in the order it happened."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    unchanged: int = 0


def _short(value: Any, limit: int = 70) -> str:
    data = plain(value)
    if isinstance(data, list) and data and isinstance(data[0], dict):
        names = [str(d.get("family") or d.get("collective") or d.get("descriptor") or d.get("text") or "")
                 for d in data]
        text = f"{len(data)}: " + ", ".join(_short(n, 30) for n in names)
        return text if len(text) <= limit else text[: limit - 1] + "…"
    if isinstance(data, list):
        text = ", ".join(data)
    elif isinstance(data, dict):
        text = ", ".join(f"{k} {v}" for k, v in data.items())
    else:
        text = str(data)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def field_problem(model: type, name: str, value: Any) -> str | None:
    """The schema's message for `value` in `model.name`, or None when it is accepted."""
    info = model.model_fields[name]
    try:
        TypeAdapter(info.annotation if not info.metadata else _annotated(info)).validate_python(value)
    except ValidationError as exc:
        return exc.errors()[0]["msg"].removeprefix("Value error, ")
    return None


def _annotated(info):
    from typing import Annotated

    return Annotated[(info.annotation, *info.metadata)]


def insert_in_order(mapping: CommentedMap, key: str, value: Any, order: list[str]) -> None:
    """Put `key` where the schema's order puts it among the keys already there."""
    if key in mapping:
        mapping[key] = value
        return
    rank = order.index(key) if key in order else len(order)
    position = 0
    for index, existing in enumerate(mapping):
        if existing in order and order.index(existing) < rank:
            position = index + 1
    insert_key(mapping, position, key, value)


def slug(text: str, limit: int = 40) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    result = ""
    for word in words:
        if len(result) + len(word) + 1 > limit and result:
            break
        result = f"{result}-{word}" if result else word
    return result or "item"


def unique(base: str, taken: set[str]) -> str:
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


class Merger:
    def __init__(self, report: MergeReport, overwrite: bool):
        self.report = report
        self.overwrite = overwrite

    # -- one value ----------------------------------------------------------------------------------
    def set_value(self, mapping: CommentedMap, key: str, value: Any, where: str, order: list[str]) -> bool:
        """Add, keep or (with overwrite) replace one value; True when the record now has the file's value."""
        if value is None or value == [] or value == "":
            return False
        new = node({key: value})[key]  # through a mapping, so short lists of names get the flow style
        if key not in mapping or is_placeholder(mapping[key]):
            insert_in_order(mapping, key, new, order)
            self.report.added.append(f"{where}{key}: {_short(value)}")
            return True
        if plain(mapping[key]) == plain(value):
            self.report.unchanged += 1
            return True
        if self.overwrite:
            old = mapping[key]
            mapping[key] = new
            self.report.updated.append(f"{where}{key}: {_short(old)} -> {_short(value)}")
            return True
        self.report.conflicts.append(f"{where}{key}: the record has {_short(mapping[key])!r}, the file "
                                     f"{_short(value)!r}; kept the record's (--overwrite replaces it)")
        return False

    def grow_list(self, mapping: CommentedMap, key: str, values: list[str], where: str, order: list[str]) -> bool:
        if not values:
            return False
        if key not in mapping or is_placeholder(mapping[key]):
            return self.set_value(mapping, key, list(dict.fromkeys(values)), where, order)
        present = {str(v) for v in mapping[key]}
        new = [v for v in dict.fromkeys(values) if v not in present]
        for value in new:
            append_item(mapping[key], node(value))
        if new:
            self.report.added.append(f"{where}{key}: + " + ", ".join(new))
        else:
            self.report.unchanged += 1
        return True

    # -- article.yaml -------------------------------------------------------------------------------
    def article(self, doc: CommentedMap, work: ImportedWork) -> list[str]:
        """Merge the review's own record; returns the names of the fields the file supplied or confirmed."""
        used: list[str] = []
        where = "article.yaml: "
        scalars = {"title": work.title, "published": work.published, "epub": work.epub, "volume": work.volume,
                   "issue": work.issue, "pages": work.pages, "doi": work.doi, "pmid": work.pmid,
                   "pmcid": work.pmcid, "language": work.language, "copyright": work.copyright}
        for key in ARTICLE_ORDER:
            if key == "journal":
                if self._journal(doc, work):
                    used.append("journal")
            elif key == "publication_types":
                if self.grow_list(doc, key, work.publication_types, where, ARTICLE_ORDER):
                    used.append("publication types")
            elif key == "keywords":
                if self.grow_list(doc, key, work.keywords, where, ARTICLE_ORDER):
                    used.append("keywords")
            elif key == "mesh_terms":
                if self._mesh(doc, work):
                    used.append("MeSH terms")
            elif key == "authors":
                if self._authors(doc, work):
                    used.append("authors and affiliations")
            elif key in scalars and scalars[key] is not None:
                problem = field_problem(ArticleRecord, key, scalars[key])
                if problem:
                    self.report.skipped.append(f"{where}{key}: {scalars[key]!r} not imported: {problem}")
                elif self.set_value(doc, key, scalars[key], where, ARTICLE_ORDER):
                    used.append(key)
        return used

    def _journal(self, doc: CommentedMap, work: ImportedWork) -> bool:
        incoming = {"title": work.journal_title, "iso_abbreviation": work.journal_abbreviation,
                    "issn_print": work.issn_print, "issn_electronic": work.issn_electronic}
        incoming = {k: v for k, v in incoming.items() if v}
        if not incoming:
            return False
        if "journal" not in doc or is_placeholder(doc["journal"]) or not isinstance(doc["journal"], dict):
            return self.set_value(doc, "journal", incoming, "article.yaml: ", ARTICLE_ORDER)
        results = [self.set_value(doc["journal"], key, value, "article.yaml: journal.", JOURNAL_ORDER)
                   for key, value in incoming.items()]
        return any(results)

    def _mesh(self, doc: CommentedMap, work: ImportedWork) -> bool:
        headings = [{"descriptor": m.descriptor, **({"qualifiers": m.qualifiers} if m.qualifiers else {}),
                     **({"major": True} if m.major else {})} for m in work.mesh_terms]
        if not headings:
            return False
        if "mesh_terms" not in doc or is_placeholder(doc["mesh_terms"]):
            return self.set_value(doc, "mesh_terms", headings, "article.yaml: ", ARTICLE_ORDER)
        existing = {str(item.get("descriptor")): index for index, item in enumerate(doc["mesh_terms"])}
        for heading in headings:
            index = existing.get(heading["descriptor"])
            if index is None:
                append_item(doc["mesh_terms"], node(heading))
                self.report.added.append(f"article.yaml: mesh_terms: + {heading['descriptor']}")
                continue
            mapping = doc["mesh_terms"][index]
            for key in ("qualifiers", "major"):
                if key in heading:
                    self.set_value(mapping, key, heading[key], f"article.yaml: mesh_terms[{index}].",
                                   ["descriptor", "qualifiers", "major"])
        return True

    def _authors(self, doc: CommentedMap, work: ImportedWork) -> bool:
        if not work.authors:
            return False
        where = "article.yaml: "
        affiliation_ids = self._affiliation_ids(doc, work)
        incoming = []
        for author in work.authors:
            entry = {"family": author.family, "given": author.given, "initials": author.initials,
                     "collective": author.collective, "orcid": author.orcid,
                     "affiliations": [affiliation_ids[a] for a in author.affiliations]}
            incoming.append({k: v for k, v in entry.items() if v})
        supplied = False
        if "authors" not in doc or is_placeholder(doc["authors"]):
            supplied = self.set_value(doc, "authors", incoming, where, ARTICLE_ORDER)
        else:
            existing = doc["authors"]
            same = all(_same_person(plain(existing[i]), incoming[i]) for i in range(min(len(existing), len(incoming))))
            complete = plain(doc.get("authors_complete", "true")) != "false"
            if not same or (len(existing) > len(incoming)) or (complete and len(existing) != len(incoming)):
                names = lambda people: ", ".join(p.get("family") or p.get("collective") or "?"  # noqa: E731
                                                 for p in plain(people))
                if self.overwrite:
                    doc["authors"] = node(incoming)
                    self.report.updated.append(f"{where}authors: replaced by the file's {len(incoming)}")
                    supplied = True
                else:
                    self.report.conflicts.append(
                        f"{where}authors: the record lists {names(existing)}; the file lists "
                        f"{names(incoming)}; kept the record's (--overwrite replaces them)")
            else:
                for index, person in enumerate(incoming[: len(existing)]):
                    for key in AUTHOR_ORDER:
                        if key in person:
                            self.set_value(existing[index], key, person[key], f"{where}authors[{index}].",
                                           AUTHOR_ORDER)
                for person in incoming[len(existing):]:
                    append_item(existing, node(person))
                    self.report.added.append(f"{where}authors: + {person.get('family') or person.get('collective')}")
                supplied = True
            if supplied and not complete:
                doc["authors_complete"] = True
                self.report.updated.append(f"{where}authors_complete: false -> true (the file lists every author)")
        self._add_used_affiliations(doc, work, affiliation_ids)
        return supplied

    def _affiliation_ids(self, doc: CommentedMap, work: ImportedWork) -> dict[str, str]:
        known = {} if is_placeholder(doc.get("affiliations")) else {
            str(a.get("name")): str(a.get("id")) for a in doc.get("affiliations") or []}
        taken = set(known.values())
        result: dict[str, str] = {}
        for author in work.authors:
            for name in author.affiliations:
                if name in result:
                    continue
                result[name] = known.get(name) or unique(slug(name), taken)
                taken.add(result[name])
        return result

    def _add_used_affiliations(self, doc: CommentedMap, work: ImportedWork, ids_by_name: dict[str, str]) -> None:
        used = {str(a) for person in doc.get("authors") or [] for a in (person.get("affiliations") or [])}
        if is_placeholder(doc.get("affiliations")):
            present: set[str] = set()
        else:
            present = {str(a.get("id")) for a in doc.get("affiliations") or []}
        new = [{"id": i, "name": n} for n, i in ids_by_name.items() if i in used and i not in present]
        if not new:
            return
        if "affiliations" not in doc or is_placeholder(doc["affiliations"]):
            insert_in_order(doc, "affiliations", node(new), ARTICLE_ORDER)
        else:
            for entry in new:
                append_item(doc["affiliations"], node(entry))
        self.report.added.extend(f"article.yaml: affiliations: + {e['id']}: {_short(e['name'], 50)}" for e in new)

    # -- the article's sources ----------------------------------------------------------------------
    def add_source(self, doc: CommentedMap, source: dict[str, str]) -> str:
        """Add the source (or find it by its address); returns its id."""
        if "sources" not in doc or is_placeholder(doc["sources"]):
            insert_in_order(doc, "sources", CommentedSeq(), ARTICLE_ORDER)
        for entry in doc["sources"]:
            if str(entry.get("url")) == source["url"]:
                return str(entry.get("id"))
        taken = {str(entry.get("id")) for entry in doc["sources"]}
        source = {**source, "id": unique(source["id"], taken)}
        append_item(doc["sources"], node({k: source[k] for k in ("id", "name", "url", "accessed", "used_for")
                                    if source.get(k)}))
        self.report.added.append(f"article.yaml: sources: + {source['id']} ({source['url']})")
        return source["id"]

    # -- abstract.yaml ------------------------------------------------------------------------------
    def abstract(self, doc: CommentedMap, work: ImportedWork, source_id: str) -> bool:
        if not work.abstract:
            return False
        where = "abstract.yaml: "
        sections = [{"label": label, "text": text} if label else {"text": text} for label, text in work.abstract]
        order = list(AbstractRecord.model_fields)
        if "sections" not in doc or is_placeholder(doc["sections"]):
            insert_in_order(doc, "sections", node(sections), order)
            self.report.added.append(f"{where}sections: {len(sections)} section(s)")
        elif plain(doc["sections"]) != sections:
            if not self.overwrite:
                self.report.conflicts.append(f"{where}sections: the record's abstract differs from the file's; "
                                             "kept the record's (--overwrite replaces it)")
                return False
            doc["sections"] = node(sections)
            doc["sources"] = node([source_id])
            doc["sources"].fa.set_flow_style()
            self.report.updated.append(f"{where}sections: replaced by the file's {len(sections)} section(s)")
            return True
        else:
            self.report.unchanged += 1
        self._cite(doc, source_id, where, order)
        return True

    def _cite(self, mapping: CommentedMap, source_id: str, where: str, order: list[str]) -> None:
        """List `source_id` in the entry's sources (the file gives or confirms its values)."""
        if "sources" not in mapping or is_placeholder(mapping["sources"]):
            sources = node([source_id])
            sources.fa.set_flow_style()
            insert_in_order(mapping, "sources", sources, order)
        elif source_id not in {str(s) for s in mapping["sources"]}:
            append_item(mapping["sources"], node(source_id))
            self.report.updated.append(f"{where}sources: + {source_id}")

    # -- erratum.yaml -------------------------------------------------------------------------------
    def errata(self, doc: CommentedMap, work: ImportedWork, source_id: str) -> bool:
        if not work.errata:
            return False
        if "errata" not in doc or is_placeholder(doc["errata"]):
            doc["errata"] = CommentedSeq()
        for erratum in work.errata:
            entry = {k: v for k, v in (("kind", erratum.kind if erratum.kind != "erratum" else None),
                                       ("citation", erratum.citation), ("doi", erratum.doi),
                                       ("pmid", erratum.pmid)) if v}
            existing = held_notice(list(doc["errata"]), erratum.citation, erratum.doi, erratum.pmid)
            index = len(doc["errata"]) if existing is None else list(doc["errata"]).index(existing)
            where = f"erratum.yaml: errata[{index}]."
            if existing is None:
                append_item(doc["errata"], node({**entry, "sources": [source_id]}))
                what = "" if erratum.kind == "erratum" else f"{erratum.kind}: "
                self.report.added.append(f"erratum.yaml: errata: + {what}{erratum.citation}")
                continue
            for key in ("kind", "doi", "pmid"):
                if key in entry:
                    self.set_value(existing, key, entry[key], where, ERRATUM_ORDER)
            self._cite(existing, source_id, where, ERRATUM_ORDER)
        return True

    # -- references.yaml ----------------------------------------------------------------------------
    def references(self, doc: CommentedMap, works: list[ImportedWork], source_id: str, file: str) -> int:
        """Append the cited works not yet listed; returns how many entries now cite the source."""
        order = list(ReferencesRecord.model_fields)
        if "complete" not in doc or is_placeholder(doc["complete"]):
            insert_in_order(doc, "complete", False, order)
            self.report.added.append("references.yaml: complete: false (set it to true once the list is whole)")
        if "references" not in doc or is_placeholder(doc["references"]):
            insert_in_order(doc, "references", CommentedSeq(), order)
        refs = doc["references"]
        cited = 0
        for work in works:
            entry = self._reference_entry(work, file)
            if entry is None:
                continue
            index, reason = _find_reference(refs, entry)
            if index is None:
                append_item(refs, node({**entry, "sources": [source_id]}))
                self.report.added.append(f"references.yaml: + {entry['citation']}")
                cited += 1
                continue
            where = f"references.yaml: references[{index}]."
            self.report.skipped.append(f"{file}:{work.line}: {entry['citation']}: already listed as reference "
                                       f"{index + 1} ({reason}); filled in only what it lacks")
            conflicts, changes = len(self.report.conflicts), len(self.report.added) + len(self.report.updated)
            for key, value in entry.items():
                if key != "citation":
                    self.set_value(refs[index], key, value, where, REFERENCE_ORDER)
            # The file is a source of this entry when it gave a value, or confirmed all of them.
            if len(self.report.added) + len(self.report.updated) > changes or len(self.report.conflicts) == conflicts:
                self._cite(refs[index], source_id, where, REFERENCE_ORDER)
                cited += 1
        return cited

    def _reference_entry(self, work: ImportedWork, file: str) -> dict[str, Any] | None:
        citation = pubmed_citation(work)
        if citation is None:
            self.report.skipped.append(f"{file}:{work.line}: record without journal or title: nothing to cite")
            return None
        persons = [a.name for a in work.authors if a.collective is None]
        groups = [a.collective for a in work.authors if a.collective]
        entry = {"citation": citation, "title": work.title, "authors": persons,
                 "group_author": "; ".join(groups) or None,
                 "journal": work.journal_abbreviation or work.journal_title, "year": work.year,
                 "volume": work.volume, "issue": work.issue, "pages": work.pages, "doi": work.doi,
                 "pmid": work.pmid, "pmcid": work.pmcid}
        entry = {k: v for k, v in entry.items() if v}
        for key in list(entry):
            problem = field_problem(Reference, key, entry[key])
            if problem:
                self.report.skipped.append(f"{file}:{work.line}: {key} {entry[key]!r} not imported: {problem}")
                del entry[key]
        return entry if "citation" in entry else None


def _same_person(existing: dict, incoming: dict) -> bool:
    def key(person: dict) -> str:
        return str(person.get("family") or person.get("collective") or "").casefold()
    return key(existing) == key(incoming)


def _find_reference(refs: CommentedSeq, entry: dict[str, Any]) -> tuple[int | None, str]:
    for index, ref in enumerate(refs):
        if entry.get("doi") and str(ref.get("doi", "")).lower() == entry["doi"].lower():
            return index, "same DOI"
        if entry.get("pmid") and str(ref.get("pmid", "")) == entry["pmid"]:
            return index, "same PMID"
        if normalise_citation(str(ref.get("citation", ""))) == normalise_citation(entry["citation"]):
            return index, "same citation"
        # The same article exported with a different date precision ('2019' / '2019 Jan-Feb').
        locator = [entry.get(k) for k in ("journal", "volume", "pages")]
        if all(locator) and [normalise_citation(str(ref.get(k, ""))) for k in ("journal", "volume", "pages")] == [
                normalise_citation(v) for v in locator]:
            return index, "same journal, volume and pages"
    return None, ""


