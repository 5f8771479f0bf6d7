"""COinS: an OpenURL 1.0 ContextObject (KEV, journal format) in a span's title, for reference managers."""

from __future__ import annotations

from ..model import Work

# RFC 3986's unreserved characters stay; every other UTF-8 byte is %XX, as urllib's `quote(value, safe="")` writes
# it. One table lookup per byte instead of urllib's per-value quoter: 10,000 works took a third of a second.
_UNRESERVED = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"
_PERCENT = {byte: chr(byte) if byte in _UNRESERVED else f"%{byte:02X}" for byte in range(256)}


def percent_encoded(text: str) -> str:
    """`text` as a KEV key or value: its UTF-8 bytes, each outside the unreserved set as %XX."""
    return text.encode("utf-8").decode("latin-1").translate(_PERCENT)


def coins(work: Work) -> str:
    pairs = [("ctx_ver", "Z39.88-2004"), ("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"),
             ("rft.genre", "article")]
    if work.title:
        pairs.append(("rft.atitle", work.title))
    if work.journal.name:
        pairs.append(("rft.jtitle", work.journal.name))
    if work.journal.abbreviation:
        pairs.append(("rft.stitle", work.journal.abbreviation))
    if work.issued:
        pairs.append(("rft.date", work.issued.iso))
    for key, value in (("rft.volume", work.volume), ("rft.issue", work.issue)):
        if value:
            pairs.append((key, value))
    if work.page_range:
        first, last = work.page_range
        pairs.append(("rft.spage", first))
        if last:
            pairs.append(("rft.epage", last))
    # Every person as "Family, Given": Zotero's openurl.js splits a name without a comma at its last space
    # ("EW St Clair" -> family "Clair"). No rft.aulast/rft.aufirst: openurl.js merges them with the first
    # rft.au only when the given names match as written, and otherwise lists the first author twice.
    # A group goes in rft.aucorp, the only place OpenURL has for it (Zotero puts it first; KEV has no order).
    for name in work.authors:
        pairs.append(("rft.aucorp", name.literal) if name.literal is not None else ("rft.au", name.inverted))
    if work.journal.issns:
        pairs.append(("rft.issn", work.journal.issns[0].value))
    if work.doi:
        pairs.append(("rft_id", f"info:doi/{work.doi}"))
    if work.pmid:
        pairs.append(("rft_id", f"info:pmid/{work.pmid}"))
    return "&".join(f"{percent_encoded(key)}={percent_encoded(value)}" for key, value in pairs)
