"""What citeproc-py works out from a parsed style alone, worked out once per style element instead of per item.

citeproc-py walks a style's tree for every item it formats, and asks the tree the same questions each time: XPath
searches for a macro, a term, the enclosing layout (a third of a citation's time), and whether a group or text
"calls a variable" (recursively, through macros). The answers depend only on the style, which is never changed once
parsed (`styles._parsed_style` keeps one per style), so each is kept, keyed by the element. A kept key holds the
element's lxml proxy alive, so the same node always comes back as the same object. Imported for its effect on
citeproc-py's classes; the formatted citations are pinned in tests/test_citation.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from citeproc.model import CitationStylesElement, Parent, Text

_XPATH_FOUND: dict[tuple[CitationStylesElement, str], tuple] = {}
_search = CitationStylesElement.xpath_search


def _xpath_search_once(element: CitationStylesElement, expression: str) -> tuple:
    key = (element, expression)
    found = _XPATH_FOUND.get(key)
    if found is None:
        found = _XPATH_FOUND[key] = tuple(_search(element, expression))  # a tuple: callers only read it
    return found


def _once_per_element(method: Callable[[Any], bool]) -> Callable[[Any], bool]:
    answers: dict[CitationStylesElement, bool] = {}

    def answer(element: CitationStylesElement) -> bool:
        known = answers.get(element)
        if known is None:
            known = answers[element] = method(element)
        return known
    return answer


CitationStylesElement.xpath_search = _xpath_search_once
Parent.calls_variable = _once_per_element(Parent.calls_variable)
Text.calls_variable = _once_per_element(Text.calls_variable)
