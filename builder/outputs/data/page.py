"""The Data page: what each download holds, every field and column, the licence, how ids relate to pages.

Its explanations come from the declarations the files are made from: the JSON
Schema's descriptions (schemas.py) and the CSV columns (tables.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...derive.derive import described
from ...derive.views import Page, Views
from ...model import addresses
from ..render import render
from ...model.schema import KINDS
from .common import DATA, LICENCE, LICENCE_URL, Exported

PATH = addresses.DATA


@dataclass(frozen=True)
class Download:
    path: str  # docs path of the file
    what: str


@dataclass(frozen=True)
class DataPage(Page):
    counts: dict[str, int]  # kind's folder -> records
    downloads: list[Download]
    records: list[tuple[str, list[tuple[str, str]]]]  # (kind's folder, [(field, what it holds)])
    parts: list[tuple[str, str, list[tuple[str, str]]]]  # (part, what it is, [(field, what it holds)])
    tables: list[tuple[Download, list[tuple[str, str]]]]  # (CSV, [(column, what it holds)])
    schemas: list[str]  # the JSON Schemas' file names, in schemas/export/ of the repository
    licence: str
    licence_url: str


def data_view(exported: Exported) -> DataPage:
    from .schemas import archive_schema, schema_files, table_columns

    schema = archive_schema()
    defs = schema["$defs"]
    record_defs = {model.__name__ for model in KINDS}

    def fields(name: str) -> list[tuple[str, str]]:
        return [(field, shown.get("description", "")) for field, shown in defs[name]["properties"].items()]

    return DataPage(
        path=PATH, template="data.md.j2",
        counts={kind.folder: len(items) for kind, items in exported.items.items()},
        downloads=[
            Download(f"{DATA}/archive.json", "The whole archive as one JSON document: every record of every kind "
                                              "with all its fields; every reference to another record is that "
                                              "record's id, so every edge can be followed."),
            Download(f"{DATA}/letters.cmif.xml", "The letters in CMIF (TEI correspDesc), the Correspondence "
                                                  "Metadata Interchange Format that correspSearch harvests."),
        ],
        records=[(model.folder, fields(model.__name__)) for model in KINDS],
        parts=[(name, definition.get("description", ""), fields(name)) for name, definition in defs.items()
               if name not in record_defs and "properties" in definition and name[0].isupper()],
        tables=[(Download(f"{DATA}/{name}", help), [(c, h) for c, h, _ in columns])
                for name, (help, columns) in table_columns().items()],
        schemas=sorted(schema_files()),
        licence=LICENCE, licence_url=LICENCE_URL,
    )


def data_page(exported: Exported) -> dict[str, str]:
    """{docs path: Markdown} of the Data page."""
    views = Views()
    views.add(described(data_view(exported)))
    return render(views)
