"""CSL-JSON (`.json`): the model in CSL's vocabulary, as citeproc-js, Zotero and pandoc read it."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..model import INCOMPLETE_AUTHORS_NOTE, Work
from ..model.csl import CslItem, csl_item


def csl_json_item(work: Work) -> CslItem:
    """The item as both citeproc-js and Zotero's "CSL JSON.js" import read it (the schema's `csl` mapping in
    zotero/zotero-schema decides what Zotero keeps):

    - the abbreviation also as `journalAbbreviation`: Zotero reads only that name; citeproc-js reads either;
    - the PMID and PMCID as "PMID: n" lines of `note`: Zotero has no CSL variable for them and turns `note`
      into Extra, where these lines are its own form; citeproc-js reads them back from there too;
    - no `genre`: citeproc-js prints it after the title ("[Review]") in NLM and APA, which PubMed does not;
    - an incomplete author list as a `note` line, not as a name: CSL has no way to say it, and a literal
      "et al." name becomes an author named "et al." in Zotero and Mendeley, whose libraries are where this
      file goes. The page's own citations (reviewsite/cite/styles.py) say "et al." in every style.
    CSL-JSON's schema types ISSN and keyword as single strings: the lists are joined with "; ".
    """
    item = csl_item(work)
    if item.get("ISSN"):
        item["ISSN"] = ", ".join(item["ISSN"])
    if item.get("keyword"):
        item["keyword"] = "; ".join(item["keyword"])
    if work.journal.abbreviation:
        item["journalAbbreviation"] = work.journal.abbreviation
    notes = list(work.status_notes)  # a retraction first
    notes += [f"PMID: {work.pmid}"] if work.pmid else []
    if work.pmcid:
        notes.append(f"PMCID: {work.pmcid}")
    if not work.authors_complete:
        notes.append(INCOMPLETE_AUTHORS_NOTE)
    if work.note:
        notes.append(work.note)
    if notes:
        item["note"] = "\n".join(notes)
    if work.retracted:
        item["status"] = "retracted"  # CSL 1.0.2's `status` ("e.g. ... retracted")
    if work.number is not None:
        item["citation-label"] = str(work.number)  # the work's number in the article's list
    return item


# json.dumps with these options would build an encoder per item.
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def write_csl_json(works: Sequence[Work]) -> str:
    # One item per line, no indentation: a 100-reference list is a third smaller, and as easy to diff (issue 16).
    items = (_ENCODER.encode(csl_json_item(w)) for w in works)
    return "[\n" + ",\n".join(items) + "\n]\n"
