"""What a build sets aside between MkDocs' passes comes back byte for byte, or the build fails saying why."""

from __future__ import annotations

import pytest

from reviewsite.hooks.spill import Spill


def test_bytes_come_back_as_they_were_put_in_any_order():
    spill = Spill()
    first = spill.put(b"<p>first page</p>" * 100)
    second = spill.put(b"")
    third = spill.put(bytes(range(256)))
    assert spill.take(third) == bytes(range(256))
    assert spill.take(first) == b"<p>first page</p>" * 100
    fourth = spill.put(b"after a read")  # appended, not written over what was read last
    assert spill.take(second) == b""
    assert spill.take(fourth) == b"after a read"
    assert spill.take(first) == b"<p>first page</p>" * 100  # taken twice: still there


def test_a_closed_spill_says_so_instead_of_giving_other_bytes():
    spill = Spill()
    where = spill.put(b"one build's page")
    spill.close()
    with pytest.raises(RuntimeError, match="nothing was set aside"):
        spill.take(where)
    spill.put(b"the next build's")  # a new file: the old place is not read as if it held the old bytes
    with pytest.raises(RuntimeError, match="long, not"):
        spill.take((where[0], where[1] + 100))
