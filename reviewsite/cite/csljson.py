"""CSL-JSON (`.json`): the model in CSL's vocabulary, as citeproc-js, Zotero and pandoc read it."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..model import INCOMPLETE_AUTHORS_NOTE, Work
from ..model.csl import CslItem, csl_item


def csl_json_item(work: Work) -> CslItem:
    item = csl_item(work)
    # CSL-JSON's schema types ISSN and keyword as single strings.
    if item.get("ISSN"):
        item["ISSN"] = ", ".join(item["ISSN"])
    if item.get("keyword"):
        item["keyword"] = ", ".join(item["keyword"])
    if work.publication_types:
        item["genre"] = ", ".join(work.publication_types)
    if not work.authors_complete:
        item["note"] = INCOMPLETE_AUTHORS_NOTE
    if work.number is not None:
        item["citation-label"] = str(work.number)  # the work's number in the article's list
    return item


def write_csl_json(works: Sequence[Work]) -> str:
    return json.dumps([csl_json_item(w) for w in works], ensure_ascii=False, indent=2, sort_keys=True) + "\n"
