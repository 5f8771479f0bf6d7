"""CSL-JSON (`.json`): the citation model itself, as citeproc-js, Zotero and pandoc read it."""

from __future__ import annotations

import json

from .csl import CslItem


def write_csl_json(items: list[CslItem]) -> str:
    return json.dumps(items, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
