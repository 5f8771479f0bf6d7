"""MEDLINE/PubMed (`.nbib`) from the model.

No well-kept writer exists, so this follows NLM's MEDLINE display format: a four-character tag
padded with spaces, "- ", the value; long values continue on lines indented by six spaces; one blank
line between records. Only fields the work holds are written (no OWN, STAT or dates NLM assigns).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from ..model import Work, citation_line

WIDTH = 80
# ISO 639-1 (records) -> the ISO 639-2/B codes MEDLINE's LA uses; others are written as the record has them
_LANGUAGES = {"en": "eng", "fr": "fre", "de": "ger", "es": "spa", "it": "ita", "pt": "por", "nl": "dut",
              "ja": "jpn", "zh": "chi", "ru": "rus", "pl": "pol", "sv": "swe", "da": "dan", "no": "nor"}
_ISSN_KINDS = {"print": "Print", "electronic": "Electronic"}
_NOTICE_TAGS = {"retraction": "RIN", "expression-of-concern": "ECI", "erratum": "EIN", "update": "UIN"}


def line(tag: str, value: str) -> str:
    """`TI  - value`, wrapped at word boundaries with MEDLINE's six-space continuation indent."""
    prefix = f"{tag:<4}- "
    wrapped = textwrap.wrap(" ".join(value.split()), width=WIDTH, initial_indent=prefix, subsequent_indent=" " * 6,
                            break_long_words=False, break_on_hyphens=False)
    return "\n".join(wrapped) if wrapped else prefix.rstrip()


def medline_pages(page: str) -> str:
    """`435-446` -> `435-46`: MEDLINE drops the leading digits the last page shares with the first."""
    first, _, last = page.partition("-")
    if not last or len(last) != len(first) or not (first.isdigit() and last.isdigit()):
        return page
    common = 0
    while common < len(first) - 1 and first[common] == last[common]:
        common += 1
    return f"{first}-{last[common:]}"


def record(work: Work) -> str:
    lines: list[str] = []

    def add(tag: str, value: str | None) -> None:
        if value:
            lines.append(line(tag, value))

    add("PMID", work.pmid)
    for issn in work.journal.issns:
        add("IS", f"{issn.value} ({_ISSN_KINDS[issn.kind]})")
    add("VI", work.volume)
    add("IP", work.issue)
    add("DP", work.issued.pubmed if work.issued else None)
    add("TI", work.title)
    add("PG", medline_pages(work.full_pages) if work.full_pages else None)
    add("LID", f"{work.doi} [doi]" if work.doi else None)
    add("AB", " ".join(work.abstract_text.split()) if work.abstract_text else None)
    for name in work.authors:
        if name.literal is not None:
            add("CN", name.literal)
            continue
        given = name.given_or_initials
        # FAU writes given names without periods ("Bogoch, Earl R")
        add("FAU", f"{name.family}, {given.replace('.', '').strip()}" if given else name.family)
        add("AU", f"{name.family} {name.initials_only}" if given else name.family)
    add("LA", _LANGUAGES.get(work.language, work.language) if work.language else None)
    for kind in work.publication_types:
        add("PT", kind)
    add("DEP", "".join(f"{p:02d}" for p in work.epub.parts) if work.epub and work.epub.day else None)
    add("TA", work.journal.abbreviation or work.journal.title)
    if work.journal.title and work.journal.title != work.journal.abbreviation:
        add("JT", work.journal.title)
    # PubMed's CommentsCorrections tags, as its MEDLINE display writes them ("RIN - Oncol Lett. 2021
    # Jul;22(1):545. PMID: 34093767"), a retraction first.
    for notice in work.corrections:
        if notice.citation:
            add(_NOTICE_TAGS[notice.kind], notice.citation + (f". PMID: {notice.pmid}" if notice.pmid else ""))
        elif notice.kind in ("retraction", "expression-of-concern"):  # never left out of the file
            add(_NOTICE_TAGS[notice.kind], notice.named)
    if work.keywords:
        add("OTO", "NOTNLM")  # author keywords, not NLM's MeSH
        for keyword in work.keywords:
            add("OT", keyword)
    add("PMC", work.pmcid)
    add("AID", f"{work.doi} [doi]" if work.doi else None)
    add("SO", citation_line(work).text)
    return "\n".join(lines) + "\n"


def write_medline(works: Sequence[Work]) -> str:
    """Records separated by one blank line."""
    return "\n".join(record(work) for work in works)
