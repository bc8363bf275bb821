"""JSON Schemas of the front matter, generated from the models, for editors.

Kept in schemas/ in the repository; a test fails when they are stale, and
`archive schema` writes them anew.
"""

from __future__ import annotations

import json
from typing import Any
from pathlib import Path

from pydantic import BaseModel

from ..model import schema as model_module
from ..model.fields import describe
from ..model.schema import KINDS, Record

# Set from the file, not the front matter.
_NOT_IN_FRONT_MATTER = ("id", "body")


def front_matter_schema(model: type[Record]) -> dict[str, Any]:
    schema = model.model_json_schema(mode="validation")
    _describe(schema, model)
    for name, definition in schema.get("$defs", {}).items():
        if isinstance(part := getattr(model_module, name, None), type) and issubclass(part, BaseModel):
            _describe(definition, part)
    for name in _NOT_IN_FRONT_MATTER:
        schema["properties"].pop(name, None)
        if name in schema.get("required", []):
            schema["required"].remove(name)
    schema["title"] = f"Front matter of a {model.kind} (content/{model.folder}/*.md)"
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def _describe(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Give each field the description the Data page and CONTRIBUTING give it, where pydantic has none."""
    for name, shown in schema.get("properties", {}).items():
        if "description" not in shown and name in model.model_fields:
            if help_ := describe(name, model.model_fields[name]):
                shown["description"] = help_


def schema_files() -> dict[str, str]:
    """{file name: JSON text} for every kind of record."""
    return {
        f"{model.kind}.schema.json": json.dumps(front_matter_schema(model), indent=2, sort_keys=True) + "\n"
        for model in KINDS
    }


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_files().items():
        path = folder / name
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written
