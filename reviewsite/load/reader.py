"""Read one YAML record file into plain data plus the source position of every value.

Every scalar stays the exact text that was written (no implicit typing: `022`,
`NO`, `2011-02`, `1e3` are strings). Duplicate keys, aliases, tags and other traps
are reported as `Problem`s instead of being silently resolved.

The data is built from the parser's event stream in a loop, not by recursion, so
neither deep nesting nor alias expansion ("billion laughs") can exhaust the stack
or memory: an alias is refused where it stands and nesting stops at `MAX_DEPTH`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem

try:  # libyaml is 5-7x faster; the pure-Python loader behaves the same.
    from yaml import CBaseLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import BaseLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 40
# Tags that cannot change a value: `!!str` and the non-specific `!`.
_HARMLESS_TAGS = {None, "!", "tag:yaml.org,2002:str"}
_SCALAR = yaml.ScalarEvent
_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")  # the breaks YAML itself counts

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
        return self.problem_at(line, column, path, message, hint, severity=severity)

    def problem_at(self, line: int, column: int, path: FieldPath, message: str, hint: str = "", *,
                   severity: str = "error") -> Problem:
        return Problem(
            file=self.name, line=line, column=column, field_path=format_path(path),
            message=message, hint=hint, severity=severity, source_line=self.source_line(line),
        )

    def source_line(self, line: int) -> str:
        if 1 <= line <= len(self.lines):
            return self.lines[line - 1][:10_000]
        return ""


def format_path(path: FieldPath) -> str:
    """`("authors", 2, "affiliations", 0)` -> `authors[2].affiliations[0]`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _where(mark: Any) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


@dataclass(slots=True)
class _Open:
    """A mapping or list still being read; for a mapping, the key awaiting its value."""

    value: dict[str, Any] | list[Any] | None  # None: read only to be thrown away
    path: FieldPath
    is_key: bool = False
    key: str | None = None
    expecting_key: bool = True
    discard_value: bool = False
    first_line: dict[str, int] = field(default_factory=dict)


class _Builder:
    """Turns the event stream into plain data, refusing what records must not hold."""

    def __init__(self, record: RecordFile):
        self.record = record
        self.problems: list[Problem] = []
        self.stack: list[_Open] = []
        self.root: Any = None
        self.has_root = False
        self.alias_reported = False

    def fail(self, mark: Any, path: FieldPath, message: str, hint: str) -> None:
        self.problems.append(self.record.problem_at(*_where(mark), path, message, hint))

    def build(self, events: Any) -> Any:
        documents = 0
        stack, value_positions, key_positions = self.stack, self.record.value_positions, self.record.key_positions
        for event in events:
            # The usual case first, in line (most of a large file): an untagged scalar as a new key of a mapping,
            # or as a value in a mapping or list being kept. It does what `take` would do, in fewer steps.
            if type(event) is _SCALAR and stack and event.tag in _HARMLESS_TAGS:
                top = stack[-1]
                container = top.value
                mark = event.start_mark
                if type(container) is dict:
                    if top.expecting_key:
                        key = event.value
                        if key != "<<" and key not in top.first_line:
                            top.expecting_key = False
                            top.first_line[key] = mark.line + 1
                            top.key = key
                            key_positions[(*top.path, key)] = (mark.line + 1, mark.column + 1)
                            continue
                    elif not top.discard_value:
                        value_positions[(*top.path, top.key)] = (mark.line + 1, mark.column + 1)
                        container[top.key] = event.value  # type: ignore[index]
                        top.expecting_key = True
                        continue
                elif type(container) is list:
                    value_positions[(*top.path, len(container))] = (mark.line + 1, mark.column + 1)
                    container.append(event.value)
                    continue
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self.fail(event.start_mark, (), "a second YAML document starts here",
                              "a record file holds one document: remove this '---' line and what follows, "
                              "or move that part to its own file")
                    return self.root
            elif isinstance(event, yaml.CollectionEndEvent):
                self.close()
            elif isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)):
                if not self.take(event):
                    return self.root
        return self.root

    def take(self, event: Any) -> bool:
        """One scalar, alias or collection start; False to stop reading the file."""
        top = self.stack[-1] if self.stack else None
        if top is not None and top.value is None:  # inside something being thrown away
            return self.open(event, None, top.path) if isinstance(event, yaml.CollectionStartEvent) else True
        if isinstance(top, _Open) and isinstance(top.value, dict) and top.expecting_key:
            return self.take_key(top, event)
        if top is None:
            path: FieldPath = ()
        elif isinstance(top.value, list):
            path = (*top.path, len(top.value))
        else:
            path = (*top.path, top.key)  # type: ignore[arg-type]
        keep = top is None or not top.discard_value
        if isinstance(event, yaml.AliasEvent):
            self.refuse_alias(event, path)
            keep = False
        elif event.tag not in _HARMLESS_TAGS:
            self.fail(event.start_mark, path, f"the tag '{event.tag}' is not allowed in records",
                      "remove the tag: every value is read as the text written")
        if keep:
            self.record.value_positions[path] = _where(event.start_mark)
        if isinstance(event, yaml.CollectionStartEvent):
            container: dict | list | None = None
            if keep:
                container = {} if isinstance(event, yaml.MappingStartEvent) else []
                self.store(top, container)
            return self.open(event, container, path)
        if keep:
            self.store(top, event.value if isinstance(event, yaml.ScalarEvent) else None)
        self.advance(top)
        return True

    def take_key(self, top: _Open, event: Any) -> bool:
        top.expecting_key = False
        if isinstance(event, yaml.AliasEvent):
            self.refuse_alias(event, top.path)
            top.discard_value = True
            return True
        if isinstance(event, yaml.CollectionStartEvent):
            self.fail(event.start_mark, top.path, "a key must be plain text, not a list or mapping",
                      "write the key as a word followed by a colon")
            top.discard_value = True
            return self.open(event, None, top.path, is_key=True)
        key, (line, column) = event.value, _where(event.start_mark)
        child = (*top.path, key)
        if key == "<<":
            self.fail(event.start_mark, top.path, "merge keys (<<) are not allowed in records",
                      "write the keys out in full")
            top.discard_value = True
        elif key in top.first_line:
            self.fail(event.start_mark, child, f"duplicate key '{key}' (first given on line {top.first_line[key]})",
                      "keep one of the two; YAML would silently use only the last")
            top.discard_value = True
        else:
            top.first_line[key] = line
            top.key = key
            self.record.key_positions[child] = (line, column)
        return True

    def refuse_alias(self, event: Any, path: FieldPath) -> None:
        if not self.alias_reported:  # one is enough: a billion-laughs file would have thousands
            self.alias_reported = True
            self.fail(event.start_mark, path, f"'*{event.anchor}' repeats another value; anchors and aliases "
                      "(&name, *name) are not allowed in records", "write the value out in full where it is used")

    def open(self, event: Any, container: dict | list | None, path: FieldPath, is_key: bool = False) -> bool:
        if len(self.stack) >= MAX_DEPTH:
            self.fail(event.start_mark, path, f"data nested more than {MAX_DEPTH} levels deep",
                      "records are only a few levels deep: check the indentation and brackets")
            return False
        self.stack.append(_Open(container, path, is_key=is_key))
        return True

    def store(self, top: _Open | None, value: Any) -> None:
        if top is None:
            self.root, self.has_root = value, True
        elif isinstance(top.value, list):
            top.value.append(value)
        elif isinstance(top.value, dict):
            top.value[top.key] = value  # type: ignore[index]

    def advance(self, top: _Open | None) -> None:
        if top is not None and isinstance(top.value, dict):
            top.expecting_key, top.discard_value = True, False

    def close(self) -> None:
        closed = self.stack.pop()
        if not closed.is_key and self.stack and self.stack[-1].value is not None:
            self.advance(self.stack[-1])


def decode(raw: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """Strict UTF-8 (a byte-order mark is allowed and dropped); a bad byte is located."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Problem(name, 1, 1, "", "the file is saved as UTF-16, not UTF-8",
                              "save it as UTF-8 (in most editors: 'Save with encoding' -> UTF-8)")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        lines = raw.splitlines()
        shown = lines[line - 1].decode("utf-8", "replace") if line <= len(lines) else ""
        return None, [Problem(name, line, column, "", f"invalid UTF-8 (byte 0x{raw[exc.start]:02x})",
                              "save the file as UTF-8 (in most editors: 'Save with encoding' -> UTF-8)",
                              source_line=shown[:10_000])]


def _events(text: str):
    loader = _Loader(text)
    try:
        while True:
            event = loader.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return
            yield event
    finally:
        loader.dispose()


# libyaml's words for the usual slips, and what to do about each.
_SYNTAX_HINTS = (
    ("mapping values are not allowed", "a value that contains ': ' must be in double quotes, "
     'e.g. title: "Denosumab: a review"'),
    ("could not find expected ':'", "each line of a mapping needs `key: value`; look for a missing colon, "
     "or an unclosed quote on this line or above"),
    ("found unexpected end of stream", "a quote or bracket opened here is never closed"),
    ("found unknown escape character", "inside double quotes a backslash starts an escape: write \\\\ for "
     "a backslash, or use single quotes"),
    ("found invalid Unicode character escape", "this escape does not name a character that can be written "
     "(\\ud800-\\udfff are halves of a pair); write the character itself"),
    ("found character '\t'", "replace the tab with spaces"),
    ("did not find expected key", "this line is indented differently from the keys around it; align it"),
    ("did not find expected ',' or ']'", "a list in [brackets] is not closed, or an item with a comma or colon "
     "needs quotes"),
    ("did not find expected ',' or '}'", "a mapping in {braces} is not closed, or a value with a comma or colon "
     "needs quotes"),
    ("found undefined tag handle", "remove the tag: every value is read as the text written"),
    ("nesting depth", "records are only a few levels deep: check the indentation and brackets"),
    ("block sequence entries are not allowed", "a list item (- ...) needs its own line under the key"),
    ("expected <block end>", "this line is indented differently from the keys around it; align it"),
)


def _syntax_problem(record: RecordFile, text: str, exc: yaml.YAMLError) -> Problem:
    if isinstance(exc, yaml.reader.ReaderError):
        # libyaml gives a character offset, the pure-Python reader too; turn it into line and column.
        before = text[: exc.position]
        line = len(_LINE_BREAK.findall(before)) + 1
        column = exc.position - max(before.rfind("\n"), before.rfind("\r")) if line > 1 else exc.position + 1
        char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        return Problem(record.name, line, column, "",
                       f"the character U+{ord(char[:1] or ' '):04X} is not allowed in YAML",
                       "delete it (it is invisible in most editors), or write it as an escape in a "
                       'double-quoted string, e.g. "\\u00a0"', source_line=record.source_line(line))
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, column = _where(mark) if mark else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"not valid YAML: {problem}"
    context_mark = getattr(exc, "context_mark", None)
    if context and context_mark and mark and context_mark.line != mark.line:
        message += f" ({context} that starts on line {context_mark.line + 1})"
    elif context:
        message += f" ({context})"
    hint = next((fix for clue, fix in _SYNTAX_HINTS if clue in problem),
                "check indentation, colons and quotes on this line or the one above")
    if "nesting depth" in problem:
        message = f"data nested more than {MAX_DEPTH} levels deep"
    first = context_mark.line if context_mark else 0
    quote = _unclosed_quote(record.lines, first, line)
    if quote and quote[0] != line:
        # libyaml notices only where the runaway string ends; the mistake is where it began.
        line, column = quote
        message = "not valid YAML: the double quote that starts here is not closed on its line"
        hint = 'add the closing " at the end of the value'
    return Problem(record.name, line, column, "", message, hint, source_line=record.source_line(line))


def _unclosed_quote(lines: list[str], first: int, last: int) -> tuple[int, int] | None:
    """The first line in `first`..`last` (1-based, inclusive) with an odd number of unescaped double
    quotes outside a comment, and the column of its opening quote."""
    for number in range(max(first, 1), min(last, len(lines)) + 1):
        text = lines[number - 1]
        quotes: list[int] = []
        escaped = False
        for index, char in enumerate(text):
            if char == "#" and not len(quotes) % 2 and (index == 0 or text[index - 1] == " "):
                break
            if char == '"' and not escaped:
                quotes.append(index)
            escaped = char == "\\" and not escaped and bool(len(quotes) % 2)
        if len(quotes) % 2:
            return number, quotes[-1] + 1
    return None


def read_record_file(path: Path, name: str) -> tuple[RecordFile, list[Problem]]:
    """Parse `path`; the problems list is empty when the file is usable."""
    record = RecordFile(path=path, name=name)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:  # refused before reading, so a huge file costs nothing
            return record, [Problem(name, 1, 1, "", f"file is {size:,} bytes; a record file may hold at most "
                                    f"{MAX_FILE_BYTES:,}", "split the record or remove stray content")]
        raw = path.read_bytes()
    except OSError as exc:
        return record, [Problem(name, 0, 0, "", f"cannot read the file: {exc.strerror or exc}",
                                "check that it exists and that you may read it")]
    text, problems = decode(raw, name)
    if text is None:
        return record, problems
    record.lines = _LINE_BREAK.split(text)
    if "\t" in text:
        # YAML forbids tabs in indentation; libyaml's own message does not say where to look.
        for number, line in enumerate(record.lines, 1):
            stripped = line.lstrip(" ")
            if stripped.startswith("\t"):
                return record, [Problem(name, number, len(line) - len(stripped) + 1, "",
                                        "tab character used for indentation",
                                        "indent with spaces only", source_line=line)]
    builder = _Builder(record)
    try:
        data = builder.build(_events(text))
    except yaml.YAMLError as exc:
        return record, [*builder.problems, _syntax_problem(record, text, exc)]
    if builder.problems:
        return record, builder.problems
    if not builder.has_root or (data == "" and not isinstance(data, (dict, list))):
        return record, [Problem(name, 1, 1, "", "file is empty",
                                "add the record's fields, or delete the file if it is not needed")]
    if not isinstance(data, dict):
        line, column = record.value_positions.get((), (1, 1))
        kind = "a list" if isinstance(data, list) else "a single value"
        return record, [Problem(name, line, column, "",
                                f"the top level is {kind}; a record must be a mapping of keys",
                                "start each line at the top level with `key: value`",
                                source_line=record.source_line(line))]
    record.data = data
    return record, []
