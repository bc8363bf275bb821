"""Checks that a downloaded data file keeps every field as data: parsed as its format, no payload
stands outside a string value, no CSV cell a spreadsheet would run (tests/test_hostile_fields.py
scans the hostile site's data/ with it, tests/test_exports.py a site with formulas in its fields)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from xml.etree import ElementTree

PAYLOAD = ("alert(", "__pwned")
JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
ID = re.compile(r"^[a-z]+/[a-z0-9]+(-[a-z0-9]+)*\.html$")
# What a spreadsheet runs at the start of a cell (OWASP, "CSV Injection"), and the full-width forms.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
TEI = "{http://www.tei-c.org/ns/1.0}"
XML_NS = "{http://www.w3.org/XML/1998/namespace}"
# The elements and attributes builder/outputs/data/cmif.py writes, and nothing else.
CMIF_TAGS = {"TEI", "teiHeader", "fileDesc", "titleStmt", "title", "editor", "publicationStmt", "publisher", "ref",
             "idno", "date", "availability", "licence", "sourceDesc", "bibl", "profileDesc", "correspDesc",
             "correspAction", "persName", "orgName", "placeName", "note", "text", "body", "p"}
CMIF_ATTRIBUTES = {"target", "type", "when", "notBefore", "notAfter", "cert", "ref", "source", f"{XML_NS}id"}


def data_faults(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        json.loads(text)  # well-formed
        outside = JSON_STRING.sub('""', text)
        return [f"payload outside a JSON string: {word}" for word in PAYLOAD if word in outside]
    if path.suffix == ".csv":
        header, *rows = list(csv.reader(io.StringIO(text, newline="")))
        faults = [f"row {n} has {len(row)} cells, the header {len(header)}" for n, row in enumerate(rows, 2)
                  if len(row) != len(header)]
        faults += [f"row {n} does not start with an id: {row[0][:40]!r}" for n, row in enumerate(rows, 2)
                   if not ID.match(row[0])]
        return faults + [f"row {n}, {column}: a spreadsheet would run {cell[:40]!r}"
                         for n, row in enumerate(rows, 2) for column, cell in zip(header, row)
                         if cell.startswith(FORMULA_START)]
    if path.suffix == ".xml":
        parser = ElementTree.XMLParser(target=ElementTree.TreeBuilder(insert_comments=True, insert_pis=True))
        root = ElementTree.fromstring(text.encode("utf-8"), parser=parser)
        faults = []
        for element in root.iter():
            tag = element.tag if isinstance(element.tag, str) else "comment or instruction"
            if not tag.startswith(TEI) or tag.removeprefix(TEI) not in CMIF_TAGS:
                faults.append(f"element {tag}")
            faults += [f"attribute {name} on {tag}" for name in element.attrib if name not in CMIF_ATTRIBUTES]
        return faults
    return [f"an unexpected file in data/: {path.name}"]
