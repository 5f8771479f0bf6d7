"""Helpers for test_safety.py: put one text into every text field of a synthetic review, build, read the HTML."""

from __future__ import annotations

import json
import re
import shutil
import typing
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from reviewsite.load.reader import read_record_file
from reviewsite.load.schema import RECORD_FILES, _plain_text

GOOD = Path(__file__).parent / "fixtures" / "good" / "example-a"
# What PyYAML reads as a line break or refuses inside a double-quoted scalar; written as escapes instead.
_NOT_RAW = re.compile("[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def yaml_string(text: str) -> str:
    """`text` as a YAML double-quoted scalar that PyYAML reads back exactly."""
    quoted = json.dumps(text, ensure_ascii=False)
    return _NOT_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}" if ord(m.group()) < 0x10000
                        else f"\\U{ord(m.group()):08x}", quoted)


def dump_yaml(data: Any) -> str:
    """Flow-style YAML (JSON's shape) with every string double-quoted."""
    if isinstance(data, dict):
        return "{" + ", ".join(f"{key}: {dump_yaml(value)}" for key, value in data.items()) + "}"
    if isinstance(data, list):
        return "[" + ", ".join(dump_yaml(item) for item in data) + "]"
    return yaml_string(data)


def _holds_text(annotation: Any) -> bool:
    """True for Text, Text | None and list[Text] (pydantic keeps the Annotated metadata inside unions and lists)."""
    if typing.get_origin(annotation) is typing.Annotated:
        return any(getattr(m, "func", None) is _plain_text for m in annotation.__metadata__)
    return any(_holds_text(argument) for argument in typing.get_args(annotation))


def _is_text_field(info: Any) -> bool:
    return any(getattr(m, "func", None) is _plain_text for m in info.metadata) or _holds_text(info.annotation)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _model_of(argument)
        if found is not None:
            return found
    return None


def fill_text(data: Any, model: type[BaseModel], text: str, seen: list[str]) -> Any:
    """`data` with every text field (and every item of a list of text) set to `text`; `seen` gets their paths."""
    if isinstance(data, list):
        return [fill_text(item, model, text, seen) for item in data]
    if not isinstance(data, dict):
        return data
    result = {}
    for key, value in data.items():
        info = model.model_fields[key]
        annotation = info.annotation
        if _is_text_field(info):
            result[key] = [text for _ in value] if isinstance(value, list) else text
            seen.append(f"{model.__name__}.{key}")
        elif (nested := _model_of(annotation)) is not None:
            result[key] = fill_text(value, nested, text, seen)
        else:
            result[key] = value
    return result


def write_review(records: Path, text: str, review_id: str = "example-a") -> list[str]:
    """A copy of the synthetic review with `text` in every text field; returns the fields filled."""
    folder = records / review_id
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    seen: list[str] = []
    for name, (model, _required) in RECORD_FILES.items():
        if name == "summary.yaml":  # example-a has none (its bad cases would all meet it); one with every field
            data = {"bottom_line": "x", "plain_language": ["x"], "competing_interests": "x",
                    "key_points": [{"text": "x", "supported_by": [{"abstract": "2.1"}, {"reference": "ref-two"},
                                                                  {"reference": "1"}, {"erratum": "1"}]}],
                    "written_by": [{"name": "x", "orcid": "0000-0002-1825-0097"}], "written": "2024-03-02",
                    "reviewed": "2024-04-10", "reviewed_by": [{"name": "x"}],
                    "source_version": {"source": "example-source", "date": "2024-01-02"}}
            data = fill_text(data, model, text, seen)
            (folder / name).write_text(dump_yaml(data) + "\n", encoding="utf-8")
            continue
        record, problems = read_record_file(GOOD / name, name)
        assert not problems
        data = record.data
        # Every optional text field too, first with a placeholder, so that fill_text fills and lists it.
        if name == "article.yaml":
            data.update(copyright="x", acknowledgment={"text": "x"},
                        mesh_terms=[{"descriptor": "x", "qualifiers": ["x"], "major": "true"}])
            data["authors"].append({"collective": "x"})
            data["sources"][0]["used_for"] = "x"
        if name == "abstract.yaml":
            data["note"] = "x"
        if name == "erratum.yaml":
            data["errata"][0].update(title="x", note="x")
        if name == "references.yaml":
            data["note"] = "x"
            data["references"][0].update(title="x", authors=["x"], group_author="x", note="x")
            del data["references"][1]["doi"]  # one without DOI or PMID: its link searches for the citation
        data = fill_text(data, model, text, seen)
        (folder / name).write_text(dump_yaml(data) + "\n", encoding="utf-8")
    return seen


class PageParser(HTMLParser):
    """Elements with their attributes, and the text inside each element, by tag and class."""

    VOID = frozenset({"meta", "link", "br", "img", "input", "hr", "source", "wbr", "area", "col", "embed"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, tuple[tuple[str, str | None], ...]]] = []
        self.stack: list[tuple[int, str]] = []  # (serial, "tag.class1.class2")
        self.names: dict[int, str] = {}
        self.inner: dict[int, str] = {}
        self.serial = 0

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, tuple(attrs)))
        if tag in self.VOID:
            return
        classes = dict(attrs).get("class") or ""
        name = ".".join([tag, *classes.split()])
        self.serial += 1
        self.stack.append((self.serial, name))
        self.names[self.serial] = name
        self.inner[self.serial] = ""

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, tuple(attrs)))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][1].split(".")[0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        for serial, _name in self.stack:
            self.inner[serial] += data

    def texts_in(self, selector: str) -> list[str]:
        """The text of every element matching `selector`: a tag, optionally with classes (`h1.review-title`)."""
        tag, *classes = selector.split(".")
        return [self.inner[serial] for serial, name in self.names.items()
                if name.split(".")[0] == tag and set(classes) <= set(name.split(".")[1:])]

    @property
    def title(self) -> str:
        """The document's <title> (the first; an inline SVG may have its own)."""
        return self.texts_in("title")[0]


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser


def squash(text: str) -> str:
    """Collapse the whitespace a browser collapses (ASCII only: a no-break space stays)."""
    return re.sub(r"[ \t\n\r\f]+", " ", text).strip(" ")
