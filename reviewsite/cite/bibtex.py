"""BibTeX (`.bib`) from the model, written by bibtexparser.

Values stay UTF-8 (biber, Zotero and JabRef read it); only LaTeX's special characters are escaped,
and words with capitals in titles are braced so that BibTeX styles do not lowercase "RANKL".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import bibtexparser
from bibtexparser.middlewares.parsestack import default_unparse_stack
from bibtexparser.model import Entry, Field

from ..model import INCOMPLETE_AUTHORS_NOTE, Name, Work

_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
    "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_SPECIAL_RE = re.compile("|".join(re.escape(c) for c in _SPECIAL))
# LaTeX's ligatures: "--" is an en dash, "!`" and "?`" are ¡ and ¿, "``" and "''" are curly quotes (and LaTeX
# decoders, bibtexparser's included, read them so). An empty group between the two characters keeps both as written.
_LIGATURE_RE = re.compile(r"(?<=-)(?=-)|(?<=[!?`])(?=`)|(?<=')(?=')")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def escape(text: str) -> str:
    return _LIGATURE_RE.sub("{}", _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group(0)], text))


def protect_capitals(text: str) -> str:
    """Brace each word with a capital after its first letter, or any capital after the first word."""
    words = text.split(" ")
    for index, word in enumerate(words):
        tail = word if index else word[1:]
        if any(c.isupper() for c in tail):
            words[index] = "{" + word + "}"
    return " ".join(words)


def bibtex_name(name: Name) -> str:
    if name.literal is not None:
        return "{" + escape(name.literal) + "}"  # braced: a group's name is not split into parts
    initials = name.dotted_initials
    return f"{escape(str(name.family))}, {escape(initials)}" if initials else escape(str(name.family))


def entry(work: Work) -> Entry:
    fields: list[Field] = []

    def add(key: str, value: str | None, enclosing: str | None = None) -> None:
        if value:
            fields.append(Field(key, value, enclosing=enclosing) if enclosing else Field(key, value))

    add("author", " and ".join(bibtex_name(n) for n in work.authors))
    # An incomplete list is said in `note`, which LaTeX prints after the entry. Not "and others", BibTeX's
    # idiom: Zotero's BibTeX.js makes it an author named "others" (it has no special case for it), and a
    # reader's library must never gain a fake creator. Zotero keeps the note as a child note.
    if work.title:
        add("title", protect_capitals(escape(work.title)))
    journal = work.journal
    add("journal", escape(journal.name) if journal.name else None)
    if journal.abbreviation and journal.abbreviation != journal.name:
        add("shortjournal", escape(journal.abbreviation))
    if work.issued:
        add("year", str(work.issued.year))
        if work.issued.month:
            add("month", _MONTHS[work.issued.month - 1], enclosing="no-enclosing")  # a macro, not text
    add("volume", work.volume)
    add("number", work.issue)
    add("pages", work.full_pages.replace("-", "--") if work.full_pages else None)
    add("doi", work.doi)
    add("pmid", work.pmid)
    add("pmcid", work.pmcid)
    add("issn", ", ".join(issn.value for issn in journal.issns))
    add("language", work.language)
    add("keywords", escape(", ".join(work.keywords)) if work.keywords else None)
    add("abstract", escape(work.abstract_text) if work.abstract_text else None)
    notes = [*work.status_notes, *([] if work.authors_complete else [INCOMPLETE_AUTHORS_NOTE])]
    add("note", escape(" ".join(notes)) if notes else None)  # a retraction first: LaTeX prints it
    return Entry("article", work.id, fields)


def write_bibtex(works: Sequence[Work]) -> str:
    library = bibtexparser.Library()
    for work in works:
        library.add(entry(work))
    # The library is this call's own: enclosing its values in place spares the default stack's deep copy
    # of every entry (two thirds of the writer's time at 100 references).
    return bibtexparser.write_string(library, unparse_stack=default_unparse_stack(allow_inplace_modification=True))
