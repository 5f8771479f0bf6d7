"""How an abstract section is cut into sentences, so that a summary can point at one (`abstract: "2.3"`).

The rule is deliberately simple and deterministic, and `schema/README.md` states it: a sentence ends at
`.`, `?` or `!` (and any closing brackets or quotes right after it) followed by white space and then a
character that is not a lowercase letter. "et al. showed" stays one sentence; "e.g. IL-6" is cut in two,
and the page numbers each piece so that what a maintainer counts is what the reader sees highlighted.
Used by the record check (does sentence 3 exist?) and by the page (an anchor on each sentence) alike.
"""

from __future__ import annotations

import re

_END = re.compile(r"[.?!][)\]\"'\u2019\u201d]*(\s+)(?=[^\sa-z])")


def split_sentences(text: str) -> tuple[str, ...]:
    """The sentences of `text`, in order, each without the white space that separates it from the next."""
    sentences = []
    start = 0
    for match in _END.finditer(text):
        sentences.append(text[start:match.start(1)])
        start = match.end(1)
    sentences.append(text[start:])
    return tuple(s for s in sentences if s)
