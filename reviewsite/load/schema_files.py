"""Write the record schema out as JSON Schema files, one per record file, for editors."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

from pydantic.json_schema import GenerateJsonSchema

from .schema import RECORD_FILES, model_in


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
    from ..build.writer import write_if_changed

    documents = {**schema_documents(), PurePosixPath("README.md"): field_reference() + "\n"}
    return [name.as_posix() for name, text in sorted(documents.items())
            if write_if_changed(schema_dir / name, text)]


def _type_name(annotation) -> str:
    text = getattr(annotation, "__name__", None) or str(annotation)
    return text.replace("typing.", "").replace("reviewsite.schema.", "")


def field_reference() -> str:
    """`schema/README.md`: every record file and field, with its description, from the models."""
    from pydantic import BaseModel

    lines = ["# Record format", "",
             "Generated from `reviewsite/schema.py` by `python build_site.py schema`; do not edit.",
             "Each review is a folder `records/<review-id>/` (lowercase letters, digits and hyphens).",
             "Every value is plain text exactly as written: quote it, and no markup is interpreted.", ""]
    seen: set[type] = set()

    def describe(model: type[BaseModel], heading: str) -> None:
        if model in seen:
            return
        seen.add(model)
        lines.extend([f"## {heading}", ""])
        if model.__doc__:
            lines.extend([" ".join(model.__doc__.split()), ""])
        lines.extend(["| field | required | description |", "|---|---|---|"])
        nested = []
        for name, info in model.model_fields.items():
            description = info.description or ""
            schema = model.model_json_schema(schema_generator=_EditorSchema)["properties"][name]
            description = description or schema.get("description", "") or _describe_schema(schema)
            lines.append(f"| `{name}` | {'yes' if info.is_required() else 'no'} | {description} |")
            inner = model_in(info.annotation)
            if inner is not None:
                nested.append(inner)
        lines.append("")
        for inner in nested:
            describe(inner, f"`{inner.__name__}`")

    for filename, (model, required) in RECORD_FILES.items():
        describe(model, f"`{filename}`" + ("" if required else " (optional)"))
    return "\n".join(lines)


def _describe_schema(schema: dict) -> str:
    if "$ref" in schema:
        return f"See `{schema['$ref'].rsplit('/', 1)[-1]}` below."
    if schema.get("type") == "array":
        items = schema.get("items", {})
        if "$ref" in items:
            return f"A list of `{items['$ref'].rsplit('/', 1)[-1]}` (below)."
        return "A list; each item: " + (items.get("description") or "text")
    return ""
