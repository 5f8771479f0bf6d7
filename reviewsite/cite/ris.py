"""RIS (`.ris`) from the model, written by rispy with the tags Zotero and EndNote read."""

from __future__ import annotations

from collections.abc import Sequence

import rispy

from ..model import INCOMPLETE_AUTHORS_NOTE, Name, Work


def ris_name(name: Name) -> str:
    if name.literal is not None:
        return name.literal
    initials = name.dotted_initials
    return f"{name.family}, {initials}" if initials else str(name.family)


def record(work: Work) -> dict:
    ris: dict = {"type_of_reference": "JOUR"}

    def add(key: str, value) -> None:
        if value:
            ris[key] = value

    add("title", work.title)
    add("authors", [ris_name(n) for n in work.authors])
    if work.issued:
        parts = work.issued.parts
        add("year", str(parts[0]))
        # RIS dates are YYYY/MM/DD/other, empty parts left empty. A year alone is PY's already: Zotero reads PY as
        # the date when no DA gives one (zotero/translators RIS.js: `case "PY": item.backupDate`, then
        # completeItem: `if (!item[item.backupDate.field]) item[...] = item.backupDate.value`), and EndNote reads
        # PY as the Year; DA only adds what PY cannot say, month and day (issue 16: 14 bytes a reference).
        if len(parts) > 1:
            add("date", "/".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])] + [""] * (4 - len(parts))))
    add("secondary_title", work.journal.name)
    # J2 stays even where it repeats T2 (a reference's journal known only by its abbreviation): RIS.js maps J2 to
    # journalAbbreviation, which Zotero never derives from T2, and EndNote takes its Journal from T2, not J2.
    add("alternate_title1", work.journal.abbreviation)
    add("volume", work.volume)
    add("number", work.issue)
    if work.full_pages:
        first, _, last = work.full_pages.partition("-")
        add("start_page", first)
        add("end_page", last)
    add("doi", work.doi)
    # No UR for the DOI's own address: DO gives the DOI, and a reference manager makes the link from it (Zotero's
    # View Online: "if no url field, try DOI field", chrome/content/zotero/locateMenu.js; citation styles print the
    # DOI as https://doi.org/… and a URL only without one): a UR line was 41 bytes a reference (issue 16).
    add("issn", ", ".join(issn.value for issn in work.journal.issns))
    # Zotero's RIS.js maps M2 to Extra, where "PMID: n" is Zotero's own form of a PMID (zotero/translators,
    # RIS.js: `M2: "extra"`); AN/DB would land in Archive and Loc. in Archive.
    add("extra", f"PMID: {work.pmid}" if work.pmid else None)
    add("language", work.language)
    add("abstract", work.abstract_text)
    add("keywords", list(work.keywords))
    notes = list(work.status_notes)  # a retraction first: N1, which Zotero keeps as a child note
    notes += [work.note] if work.note else []
    if not work.authors_complete:
        notes.append(INCOMPLETE_AUTHORS_NOTE)
    add("notes", notes)
    # RIS is one line per value: a line break inside a record's text would end the value early
    return {k: [" ".join(v.split()) for v in value] if isinstance(value, list) else " ".join(value.split())
            for k, value in ris.items()}


_MAPPING = {**rispy.TAG_KEY_MAPPING, "M2": "extra"}


class _Writer(rispy.RisWriter):
    def set_header(self, count: int) -> str:
        return ""  # rispy numbers records ("1."); the RIS specification has no such line


def write_ris(works: Sequence[Work]) -> str:
    return rispy.dumps([record(work) for work in works], implementation=_Writer, mapping=_MAPPING)
