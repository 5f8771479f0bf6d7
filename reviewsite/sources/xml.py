"""Parsing outside XML safely: no DTD loading, no entity expansion, no network, and one-line errors."""

from __future__ import annotations

from lxml import etree

from .errors import MalformedResponse

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                          huge_tree=False, remove_comments=True, remove_pis=True)


def parse_xml(body: bytes, url: str) -> etree._Element:
    """The root element of `body`; MalformedResponse when it is not well-formed or declares entities."""
    try:
        tree = etree.fromstring(body, _PARSER).getroottree()
    except etree.XMLSyntaxError as exc:
        line = f"line {exc.lineno}: " if exc.lineno else ""
        raise MalformedResponse(url, f"not well-formed XML ({line}{exc.msg})") from None
    internal = tree.docinfo.internalDTD
    if internal is not None and (list(internal.iterentities()) or b"<!ENTITY" in body):
        raise MalformedResponse(url, "the XML declares its own entities; refused")
    return tree.getroot()


def text_of(element: etree._Element | None) -> str | None:
    """All text inside `element` (inline markup such as <i> kept as its text), spaces collapsed."""
    if element is None:
        return None
    text = " ".join("".join(element.itertext()).split())
    return text or None
