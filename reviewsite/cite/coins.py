"""COinS: an OpenURL 1.0 ContextObject (KEV, journal format) in a span's title, for reference managers."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from ..model import Work


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
    people = [n for n in work.authors if n.literal is None]
    if people:
        pairs.append(("rft.aulast", str(people[0].family)))
        if people[0].given_or_initials:
            pairs.append(("rft.aufirst", people[0].given_or_initials))
    for name in work.authors:
        pairs.append(("rft.aucorp", name.literal) if name.literal is not None else ("rft.au", name.display))
    if work.journal.issns:
        pairs.append(("rft.issn", work.journal.issns[0].value))
    if work.doi:
        pairs.append(("rft_id", f"info:doi/{work.doi}"))
    if work.pmid:
        pairs.append(("rft_id", f"info:pmid/{work.pmid}"))
    return urlencode(pairs, quote_via=quote, safe="")
