"""Write the record schema out as JSON Schema files, one per record file, for editors."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

from pydantic.json_schema import GenerateJsonSchema

from .schema import RECORD_FILES


class _EditorSchema(GenerateJsonSchema):
    # Optional fields are left out of a record, never written as null, so editors should not offer null.
    def nullable_schema(self, schema):
        return self.generate_inner(schema["schema"])

    def default_schema(self, schema):
        result = super().default_schema(schema)
        if result.get("default", ...) is None:
            result.pop("default")
        return result


def schema_documents() -> dict[PurePosixPath, str]:
    """`schema/<file>.schema.json` -> its text, for every record file."""
    documents = {}
    for filename, (model, _required) in RECORD_FILES.items():
        schema = model.model_json_schema(schema_generator=_EditorSchema)
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                  "$comment": "Generated from reviewsite/schema.py by `python build_site.py schema`. "
                              "Do not edit.", **schema}
        name = PurePosixPath(filename.replace(".yaml", ".schema.json"))
        documents[name] = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    return documents


def write_schema_files(schema_dir: Path) -> list[str]:
    from .writer import write_if_changed

    return [name.as_posix() for name, text in sorted(schema_documents().items())
            if write_if_changed(schema_dir / name, text)]
