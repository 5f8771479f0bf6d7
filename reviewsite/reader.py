"""Read one YAML record file into plain data plus the source position of every value.

Every scalar stays the exact text that was written (no implicit typing: `022`,
`NO`, `2011-02`, `1e3` are strings). Duplicate keys, aliases and other traps
are reported as `Problem`s instead of being silently resolved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

try:  # libyaml is 5-7x faster; the pure-Python loader behaves the same.
    from yaml import CBaseLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import BaseLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 40

FieldPath = tuple[str | int, ...]


@dataclass
class RecordFile:
    """A parsed record file: its data and where each value and key stands."""

    path: Path
    name: str  # as shown to maintainers, relative to the project
    data: Any = None
    value_positions: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    def position(self, path: FieldPath, *, key: bool = False) -> tuple[int, int]:
        """The nearest known position for `path`: the key itself, or its closest parent."""
        table = self.key_positions if key else self.value_positions
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.value_positions:
                return self.value_positions[probe]
            probe = probe[:-1]
        return self.value_positions.get((), (1, 1))

    def problem(self, path: FieldPath, message: str, hint: str = "", *, key: bool = False,
                severity: str = "error") -> Problem:
        line, column = self.position(path, key=key)
        return Problem(
            file=self.name, line=line, column=column, field_path=format_path(path),
            message=message, hint=hint, severity=severity, source_line=self.source_line(line),
        )

    def source_line(self, line: int) -> str:
        if 1 <= line <= len(self.lines):
            return self.lines[line - 1].rstrip("\r\n")[:200]
        return ""


def format_path(path: FieldPath) -> str:
    """`("authors", 2, "affiliations", 0)` -> `authors[2].affiliations[0]`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class _Walker:
    """Turns a composed node graph into plain data, refusing what records must not hold."""

    def __init__(self, record: RecordFile):
        self.record = record
        self.problems: list[Problem] = []
        self.seen: set[int] = set()

    def walk(self, node: yaml.Node, path: FieldPath, depth: int = 0) -> Any:
        mark = node.start_mark
        self.record.value_positions[path] = (mark.line + 1, mark.column + 1)
        if id(node) in self.seen:
            # The composer hands back the anchored node for every alias; a second visit is one.
            self.problems.append(self.record.problem(
                path, "anchors and aliases (&name / *name) are not allowed in records",
                "write the value out in full where it is used"))
            return None
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            self.problems.append(self.record.problem(
                path, f"data nested more than {MAX_DEPTH} levels deep", "flatten the structure"))
            return None
        if isinstance(node, yaml.ScalarNode):
            return node.value
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(item, (*path, index), depth + 1) for index, item in enumerate(node.value)]
        return self.walk_mapping(node, path, depth)

    def walk_mapping(self, node: yaml.MappingNode, path: FieldPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_mark = key_node.start_mark
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Problem(
                    self.record.name, key_mark.line + 1, key_mark.column + 1, format_path(path),
                    "a key must be plain text, not a list or mapping", "write the key as a word",
                    source_line=self.record.source_line(key_mark.line + 1)))
                continue
            key = key_node.value
            if key == "<<":
                self.problems.append(Problem(
                    self.record.name, key_mark.line + 1, key_mark.column + 1, format_path(path),
                    "merge keys (<<) are not allowed in records", "write the keys out in full",
                    source_line=self.record.source_line(key_mark.line + 1)))
                continue
            child = (*path, key)
            if key in first_line:
                self.problems.append(Problem(
                    self.record.name, key_mark.line + 1, key_mark.column + 1, format_path(child),
                    f"duplicate key '{key}' (first given on line {first_line[key]})",
                    "keep one of the two; YAML would silently use only the last",
                    source_line=self.record.source_line(key_mark.line + 1)))
                continue
            first_line[key] = key_mark.line + 1
            self.record.key_positions[child] = (key_mark.line + 1, key_mark.column + 1)
            result[key] = self.walk(value_node, child, depth + 1)
        return result


def decode(raw: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """Strict UTF-8 (a byte-order mark is allowed and dropped); a bad byte is located."""
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Problem(name, line, column, "", f"invalid UTF-8 (byte 0x{raw[exc.start]:02x})",
                              "save the file as UTF-8")]


def read_record_file(path: Path, name: str) -> tuple[RecordFile, list[Problem]]:
    """Parse `path`; the problems list is empty when the file is usable."""
    record = RecordFile(path=path, name=name)
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        return record, [Problem(name, 1, 1, "", f"file is {len(raw):,} bytes; records are limited to "
                                f"{MAX_FILE_BYTES:,}", "split the record or remove stray content")]
    text, problems = decode(raw, name)
    if text is None:
        return record, problems
    record.lines = text.splitlines()
    if "\t" in text:
        # YAML forbids tabs in indentation; libyaml's own message does not say where to look.
        for number, line in enumerate(record.lines, 1):
            stripped = line.lstrip(" ")
            if stripped.startswith("\t"):
                return record, [Problem(name, number, len(line) - len(stripped) + 1, "",
                                        "tab character used for indentation",
                                        "indent with spaces only", source_line=line)]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = f"not valid YAML: {exc.problem or exc}"
        if exc.context:
            message += f" ({exc.context})"
        return record, [Problem(name, line, column, "", message,
                                "check indentation, colons and quotes on this line or the one above",
                                source_line=record.source_line(line))]
    except (yaml.YAMLError, RecursionError) as exc:
        return record, [Problem(name, 1, 1, "", f"not valid YAML: {exc}", "check the file's structure")]
    if node is None:
        return record, [Problem(name, 1, 1, "", "file is empty",
                                "add the record's fields, or delete the file if it is not needed")]
    if not isinstance(node, yaml.MappingNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        return record, [Problem(name, node.start_mark.line + 1, node.start_mark.column + 1, "",
                                f"the top level is {kind}; a record must be a mapping of keys",
                                "start each line at the top level with `key: value`",
                                source_line=record.source_line(node.start_mark.line + 1))]
    walker = _Walker(record)
    record.data = walker.walk(node, ())
    return record, walker.problems
