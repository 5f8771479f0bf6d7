"""Round-trip YAML: existing values, comments, quotes and key order survive a merge."""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.tokens import CommentToken


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never fold a long value onto a second line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def load_text(text: str) -> CommentedMap:
    doc = _yaml().load(text)
    return doc if isinstance(doc, CommentedMap) else CommentedMap()


def dump(doc: CommentedMap) -> str:
    out = io.StringIO()
    _yaml().dump(doc, out)
    return out.getvalue()


def node(value: Any, *, flow_keys: tuple[str, ...] = ("sources", "qualifiers", "affiliations", "authors")) -> Any:
    """Plain data -> round-trip nodes; strings double-quoted and flags bare, as the hand-written records are."""
    if isinstance(value, dict):
        mapping = CommentedMap()
        for key, item in value.items():
            child = node(item, flow_keys=flow_keys)
            if key in flow_keys and isinstance(child, CommentedSeq) and all(isinstance(v, str) for v in child):
                child.fa.set_flow_style()
            mapping[key] = child
        return mapping
    if isinstance(value, list):
        return CommentedSeq(node(item, flow_keys=flow_keys) for item in value)
    if isinstance(value, bool):  # unquoted, so that editors read it as the schema's boolean
        return value
    return DoubleQuotedScalarString(str(value))


def plain(value: Any) -> Any:
    """Round-trip nodes -> comparable plain data (booleans as 'true'/'false', dates as text)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else str(value)


def is_placeholder(value: Any) -> bool:
    """True for what `new` writes to be filled in: empty text, or lists and mappings of nothing else."""
    data = plain(value)
    if data is None:
        return True
    if isinstance(data, str):
        return not data.strip()
    items = data.values() if isinstance(data, dict) else data
    return all(is_placeholder(item) for item in items)


# ruamel keeps the comment lines above a key as the tail of the value before it. A new entry
# inserted there would land below that comment; these helpers move the comment lines past it.

def _is_block(value: Any) -> bool:
    return isinstance(value, (CommentedMap, CommentedSeq)) and bool(value) and not value.fa.flow_style()


def _holder(container: Any) -> tuple[dict, Any, int] | None:
    """Where the comment after `container`'s last line is kept: (ca.items, key, slot)."""
    if isinstance(container, CommentedMap) and container:
        key = list(container)[-1]
        if _is_block(container[key]):
            return _holder(container[key])
        return container.ca.items, key, 2
    if isinstance(container, CommentedSeq) and container:
        index = len(container) - 1
        if _is_block(container[index]):
            return _holder(container[index])
        return container.ca.items, index, 0
    return None


def _take_comment_lines(holder: tuple[dict, Any, int] | None) -> str:
    """Detach the whole-line comments after the holder's line, keeping its own end-of-line comment."""
    if holder is None:
        return ""
    items, key, slot = holder
    entry = items.get(key)
    token = entry[slot] if entry and len(entry) > slot else None
    if token is None or "\n" not in token.value:
        return ""
    head, _, tail = token.value.partition("\n")
    if "#" not in tail:
        return ""
    token.value = head + "\n"
    return tail


def _give_comment_lines(holder: tuple[dict, Any, int] | None, lines: str) -> None:
    if holder is None or not lines:
        return
    items, key, slot = holder
    entry = items.setdefault(key, [None, None, None, None])
    token = entry[slot]
    if token is None:
        entry[slot] = CommentToken("\n" + lines, CommentMark(0), None)
    else:
        token.value = token.value.rstrip("\n") + "\n" + lines


def _holder_of_key(mapping: CommentedMap, key: Any) -> tuple[dict, Any, int]:
    value = mapping[key]
    return _holder(value) if _is_block(value) else (mapping.ca.items, key, 2)


def insert_key(mapping: CommentedMap, position: int, key: str, value: Any) -> None:
    """`mapping.insert`, with the comment lines above the next key kept above it."""
    lines = _take_comment_lines(_holder_of_key(mapping, list(mapping)[position - 1])) if position else ""
    mapping.insert(position, key, value)
    _give_comment_lines(_holder_of_key(mapping, key), lines)


def append_item(sequence: CommentedSeq, value: Any) -> None:
    """`sequence.append`, with the comment lines that followed the list kept after it."""
    lines = _take_comment_lines(_holder(sequence))
    sequence.append(value)
    _give_comment_lines(_holder(sequence), lines)


def delete_key(mapping: CommentedMap, key: str) -> None:
    """`del mapping[key]`, with the whole-line comments that followed its value kept (after the key before it)."""
    keys = list(mapping)
    lines = _take_comment_lines(_holder_of_key(mapping, key))
    del mapping[key]
    mapping.ca.items.pop(key, None)
    index = keys.index(key)
    if index:
        _give_comment_lines(_holder_of_key(mapping, keys[index - 1]), lines)
