"""A compact, quick pickle for the model's frozen dataclasses: the class and its field values, in order.

The caches pickle every review's model (and again to digest a page's inputs). A slotted dataclass otherwise
pickles through `dataclasses`' generic state functions, which look the fields up again for every object:
a review of 100 cited works is about 10,000 objects, and that took longer than building the model.
"""

from __future__ import annotations

from dataclasses import fields
from operator import attrgetter
from typing import TypeVar

C = TypeVar("C", bound=type)


def pickled_by_fields(cls: C) -> C:
    """Pickle `cls` as `cls(*values)`. Apply it above `@dataclass`, which makes a new class for slots."""
    names = tuple(item.name for item in fields(cls) if item.init)
    if len(names) != len(fields(cls)):
        raise TypeError(f"{cls.__name__}: every field must be an __init__ argument to be pickled by fields")
    values = attrgetter(*names)
    if len(names) == 1:
        cls.__reduce__ = lambda self: (cls, (values(self),))
    else:
        cls.__reduce__ = lambda self: (cls, values(self))
    return cls
