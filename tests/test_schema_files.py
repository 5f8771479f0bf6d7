"""The JSON Schema files and the field reference are derived from the one declared schema and kept current."""

from __future__ import annotations

from pathlib import PurePosixPath

import jsonschema
import pytest
import yaml

from conftest import ROOT
from reviewsite.load.schema import RECORD_FILES
from reviewsite.load.schema_files import field_reference, schema_documents

RECORD_PATHS = sorted((ROOT / "records").glob("*/*.yaml"))


def test_committed_schema_files_are_current():
    for name, text in schema_documents().items():
        committed = ROOT / "schema" / name
        assert committed.read_text(encoding="utf-8") == text, f"run `python build_site.py schema` ({name})"
    assert (ROOT / "schema" / "README.md").read_text(encoding="utf-8") == field_reference() + "\n"


def test_every_field_is_documented():
    reference = field_reference()
    for model, _ in RECORD_FILES.values():
        for name in model.model_fields:
            assert f"| `{name}` |" in reference


@pytest.mark.parametrize("path", RECORD_PATHS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_record_points_editors_to_its_schema(path):
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    schema_name = PurePosixPath(path.name.replace(".yaml", ".schema.json"))
    assert first_line == f"# yaml-language-server: $schema=../../schema/{schema_name}"


@pytest.mark.parametrize("path", RECORD_PATHS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_an_editor_using_the_json_schema_accepts_the_shipped_records(path):
    # An editor reads YAML with implicit typing; the records quote text so both readings agree.
    schema = schema_documents()[PurePosixPath(path.name.replace(".yaml", ".schema.json"))]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, yaml.safe_load(schema))


def test_the_json_schema_rejects_unknown_keys():
    schema = yaml.safe_load(schema_documents()[PurePosixPath("erratum.schema.json")])
    with pytest.raises(jsonschema.ValidationError, match="Additional properties"):
        jsonschema.validate({"errata": [{"citation": "x", "sources": ["a"], "titel": "y"}]}, schema)
