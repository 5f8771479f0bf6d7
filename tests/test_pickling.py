"""The model pickles as its classes and field values: it comes back equal, field for field, and the same
model always pickles to the same bytes (the page cache keys on them)."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest
from test_model import real_review

from reviewsite.load.records import load_collection
from reviewsite.model import Name, PartialDate, Review, Work
from reviewsite.model.from_records import build_review
from reviewsite.model.pickling import pickled_by_fields

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _models() -> list[Review]:
    # The shipped review, one with a maintainers' summary, and cited works with notices.
    fixtures = [r for folder in ("summary", "notices") for r in load_collection(FIXTURES / folder, FIXTURES).reviews]
    assert len(fixtures) == 3
    return [real_review(), *(build_review(r) for r in fixtures)]


def _same_fields(a, b) -> None:
    """Equal values of the same classes, all the way down (== alone would not see a field moved to another
    of equal value, nor a tuple that came back a list)."""
    assert type(a) is type(b)
    if dataclasses.is_dataclass(a):
        for item in dataclasses.fields(a):
            _same_fields(getattr(a, item.name), getattr(b, item.name))
    elif isinstance(a, (tuple, list)):
        for x, y in zip(a, b, strict=True):
            _same_fields(x, y)
    else:
        assert a == b


def test_a_review_comes_back_field_for_field():
    for review in _models():
        again = pickle.loads(pickle.dumps(review, protocol=pickle.HIGHEST_PROTOCOL))
        _same_fields(review, again)
        assert pickle.dumps(again, protocol=pickle.HIGHEST_PROTOCOL) == \
            pickle.dumps(review, protocol=pickle.HIGHEST_PROTOCOL)


def test_fields_given_out_of_order_or_by_default_come_back_in_place():
    work = Work(id="w", doi="10.1234/example", authors=(Name(family="Example", initials="A"),),
                issued=PartialDate(2001, 2), number=3)
    _same_fields(work, pickle.loads(pickle.dumps(work)))


def test_a_field_outside_init_is_refused():
    @dataclasses.dataclass(frozen=True)
    class Derived:
        value: str
        length: int = dataclasses.field(init=False, default=0)

    with pytest.raises(TypeError, match="every field must be an __init__ argument"):
        pickled_by_fields(Derived)
