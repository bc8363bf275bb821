"""The downloads (data/archive.json, the CSV tables, data/letters.cmif.xml) and the Data page.

Round trips: each file, reloaded as its format, gives back every letter with its
sender, recipients, carriers and dates at their precision: exact values on a
fixture, and on the real archive what holds for any content. CMIF validates
against the TEI Correspondence SIG's RelaxNG schema with jing; the JSON and every
CSV row against the export's JSON Schemas, which must be current.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from archive_kit import ROOT, make_project
from builder.model import dates
from builder.outputs.data.cmif import date_attributes
from builder.outputs.data.schemas import schema_files
from builder.outputs.data.tables import LINK_TABLES, TABLES
from builder.outputs.files import whole_archive_files
from builder.link.graph import Archive
from builder.derive.history import site_settings
from builder.pipeline import Project, build
from builder.model.schema import Letter
from conftest import linked
from data_scan import data_faults

TEI = "{http://www.tei-c.org/ns/1.0}"
RNG = ROOT / "schemas" / "cmif" / "cmi-customization.rng"
SCHEMAS = ROOT / "schemas" / "export"
CSVS = [t.name for t in TABLES] + [t.name for t in LINK_TABLES]

# The fixture: MINI and two letters with dates of several forms, a body among the recipients,
# authority identifiers and a place of hand-over.
EXTRA = {
    "places/capital.md": """
        ---
        name: Alpha City
        authority: {wikidata: "Q42", geonames: "123"}
        ---
        """,
    "people/delta.md": """
        ---
        name: Dora Delta
        role: leader
        authority: {wikidata: "Q100", viaf: "12345"}
        ---
        """,
    "people/epsilon.md": """
        ---
        name: Epsilon Ministry
        role: other
        form: body
        ---
        """,
    "letters/2013-06-delta-to-many.md": """
        ---
        title: Delta writes to Alpha and the Ministry
        sender: delta
        recipients: [alpha, epsilon]
        dates:
          written: {date: "2013-05", curator: "the archive of Delta"}
          sent: {date: "2013-06-01~", curator: "the archive of Delta"}
          received: {date: "[2013-06-03..2013-06-05]", curator: "the archive of Delta"}
        carriers: [gamma, beta]
        delivered_at: capital
        text_status: reported
        ---
        """,
    "letters/2013-07-beta-to-delta.md": """
        ---
        title: Beta writes to Delta
        sender: beta
        recipients: [delta]
        dates:
          sent: {date: "2013-07-10/..", curator: "the archive of Beta"}
          received: {date: "XXXX", curator: "the archive of Beta"}
        text_status: reported
        ---
        """,
}


def jing_or_skip() -> str:
    """jing's path. Missing on a developer's machine, the test says how to get it; in CI it fails."""
    found = shutil.which("jing")
    if found:
        return found
    message = "jing not found: install Debian's jing (bash tools/install-test-system-deps.sh)"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def jing(path: Path) -> None:
    result = subprocess.run([jing_or_skip(), str(RNG), str(path)], capture_output=True, text=True)
    errors = [line for line in (result.stdout + result.stderr).splitlines() if not line.startswith("[warning]")]
    assert result.returncode == 0 and not errors, "\n".join(errors)


class Downloads:
    """The files a reader downloads from site/data/, each reloaded as its format."""

    def __init__(self, project: Project):
        self.site = site = project.site
        # How CMIF names the site's pages: by the site's address when mkdocs.yml gives one, else from data/.
        self.site_url = site_settings(project.config).get("site_url") or None
        self.base = self.site_url.rstrip("/") + "/" if self.site_url else "../"
        data = site / "data"
        self.json = json.loads((data / "archive.json").read_text(encoding="utf-8"))
        self.tables = {}
        for name in CSVS:
            raw = (data / name).read_bytes()
            assert raw.decode("utf-8")  # UTF-8
            assert raw.endswith(b"\r\n"), name  # RFC 4180 line ends
            self.tables[name] = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
        self.cmif_path = data / "letters.cmif.xml"
        self.cmif = ET.parse(self.cmif_path).getroot()

    def letter(self, key: str) -> dict:
        return next(r for r in self.json["records"]["letters"] if r["key"] == key)

    def rows(self, table: str, **where: str) -> list[dict]:
        return [r for r in self.tables[table] if all(r[k] == v for k, v in where.items())]

    def corresp(self, letter_id: str) -> ET.Element:
        found = [d for d in self.cmif.iter(f"{TEI}correspDesc")
                 if d.get("ref") == self.base + letter_id]
        assert len(found) == 1, letter_id
        return found[0]


def action(desc: ET.Element, kind: str) -> ET.Element:
    (found,) = [a for a in desc.findall(f"{TEI}correspAction") if a.get("type") == kind]
    return found


def names(element: ET.Element) -> list[tuple[str, str, str | None]]:
    return [(child.tag.removeprefix(TEI), child.text or "", child.get("ref"))
            for child in element if child.tag in (f"{TEI}persName", f"{TEI}orgName")]


def date_of(element: ET.Element) -> tuple[dict, str | None] | None:
    found = element.find(f"{TEI}date")
    return None if found is None else (dict(found.attrib), found.text)


# --- On a fixture: exact values ------------------------------------------------------------------------


def built(tmp_path_factory, name: str, files: dict) -> Downloads:
    """The downloads of a fixture archive built once for the module."""
    project = Project(make_project(tmp_path_factory.mktemp(name), files))
    build(project)
    return Downloads(project)


@pytest.fixture(scope="module")
def fixture(tmp_path_factory) -> Downloads:
    return built(tmp_path_factory, "exports", EXTRA)


def test_json_holds_each_letter_with_its_people_and_dates(fixture):
    letter = fixture.letter("2013-06-delta-to-many")
    assert letter["id"] == "letters/2013-06-delta-to-many.html"
    assert letter["sender"] == "people/delta.html"
    assert letter["recipients"] == ["people/alpha.html", "people/epsilon.html"]
    assert letter["carriers"] == ["people/gamma.html", "people/beta.html"]
    assert letter["delivered_at"] == "places/capital.html"
    assert letter["dates"]["written"] == [{"date": "2013-05", "earliest": "2013-05-01", "latest": "2013-05-31",
                                           "phrase": None, "note": None, "sources": [],
                                           "curator": "the archive of Delta"}]
    assert [(c["date"], c["earliest"], c["latest"]) for c in letter["dates"]["sent"]] == [
        ("2013-06-01~", "2013-06-01", "2013-06-01")]
    assert [(c["date"], c["earliest"], c["latest"]) for c in letter["dates"]["received"]] == [
        ("[2013-06-03..2013-06-05]", "2013-06-03", "2013-06-05")]
    assert letter["dates"]["delivered"] is None
    assert letter["offices_held"] == [{"person": "people/delta.html", "office": None},
                                      {"person": "people/alpha.html", "office": "President of Alphaland"},
                                      {"person": "people/epsilon.html", "office": None}]
    other = fixture.letter("2013-07-beta-to-delta")
    assert [(c["date"], c["earliest"], c["latest"]) for c in other["dates"]["sent"]] == [
        ("2013-07-10/..", "2013-07-10", None)]
    assert [(c["date"], c["earliest"], c["latest"]) for c in other["dates"]["received"]] == [("XXXX", None, None)]
    reply = fixture.letter("2013-05-beta-to-alpha")
    assert reply["replies_to"] == "letters/2013-04-alpha-to-beta.html"
    assert reply["summits"] == [{"summit": "summits/2013-06-meet.html", "relation": "mentions"}]
    assert reply["dates"]["delivered"][0]["sources"] == [
        {"article": "articles/2013-05-25-daily-reply.html", "quote": "handed over a reply on Wednesday"}]
    assert reply["reported_in"] == ["articles/2013-05-25-daily-reply.html"]
    person = next(r for r in fixture.json["records"]["people"] if r["key"] == "delta")
    assert person["authority"] == {"wikidata": "Q100", "viaf": "12345", "gnd": None}
    assert fixture.json["counts"]["letters"] == 4


def test_csv_tables_hold_each_letter_with_its_people_and_dates(fixture):
    (row,) = fixture.rows("letters.csv", key="2013-06-delta-to-many")
    assert {k: row[k] for k in ("id", "sender", "recipients", "carriers", "delivered_at", "date_kind", "date",
                                "date_earliest", "date_latest", "written", "sent", "delivered", "received")} == {
        "id": "letters/2013-06-delta-to-many.html", "sender": "people/delta.html",
        "recipients": "people/alpha.html people/epsilon.html", "carriers": "people/gamma.html people/beta.html",
        "delivered_at": "places/capital.html", "date_kind": "written", "date": "2013-05",
        "date_earliest": "2013-05-01", "date_latest": "2013-05-31", "written": "2013-05",
        "sent": "2013-06-01~", "delivered": "", "received": "[2013-06-03..2013-06-05]"}
    letter = "letters/2013-06-delta-to-many.html"
    assert [tuple(r.values()) for r in fixture.rows("letter_recipients.csv", letter=letter)] == [
        (letter, "1", "people/alpha.html", "President of Alphaland"), (letter, "2", "people/epsilon.html", "")]
    assert [tuple(r.values()) for r in fixture.rows("letter_carriers.csv", letter=letter)] == [
        (letter, "1", "people/gamma.html"), (letter, "2", "people/beta.html")]
    (open_ended,) = fixture.rows("letters.csv", key="2013-07-beta-to-delta")
    assert (open_ended["sent"], open_ended["date_earliest"], open_ended["date_latest"]) == ("2013-07-10/..",
                                                                                          "2013-07-10", "")
    assert fixture.rows("letter_summits.csv", letter="letters/2013-05-beta-to-alpha.html") == [
        {"letter": "letters/2013-05-beta-to-alpha.html", "summit": "summits/2013-06-meet.html",
         "relation": "mentions"}]
    article = "articles/2013-05-25-daily-reply.html"
    gamma = {(r["how"]) for r in fixture.rows("article_records.csv", article=article, record="people/gamma.html")}
    assert gamma == {"front matter: people", "mention"}  # listed by the curator, and named in the text
    assert fixture.rows("article_records.csv", article=article, record="outlets/daily.html")[0]["how"] == \
        "front matter: outlet"
    (place,) = fixture.rows("places.csv", key="capital")
    assert (place["name"], place["wikidata"], place["geonames"]) == ("Alpha City", "Q42", "123")


def test_cmif_holds_each_letter_with_its_correspondents_places_and_dates(fixture):
    desc = fixture.corresp("letters/2013-06-delta-to-many.html")
    sent, received = action(desc, "sent"), action(desc, "received")
    assert names(sent) == [("persName", "Dora Delta", "https://www.wikidata.org/wiki/Q100")]
    assert date_of(sent) == ({"when": "2013-06-01", "cert": "low"}, "about 1 June 2013")
    assert names(received) == [("persName", "Anna Alpha", None), ("orgName", "Epsilon Ministry", None)]
    place = received.find(f"{TEI}placeName")
    assert (place.text, place.get("ref")) == ("Alpha City", "https://www.geonames.org/123")
    assert date_of(received) == ({"notBefore": "2013-06-03", "notAfter": "2013-06-05"},
                                 "some day between 3 and 5 June 2013")
    # Reported by no article: its source is the archive's own bibl.
    bibls = {b.get("{http://www.w3.org/XML/1998/namespace}id"): b for b in fixture.cmif.iter(f"{TEI}bibl")}
    (source,) = desc.get("source").split()
    assert "Online archive" in bibls[source.removeprefix("#")].text

    other = fixture.corresp("letters/2013-07-beta-to-delta.html")
    assert date_of(action(other, "sent")) == ({"notBefore": "2013-07-10"}, "from 10 July 2013")
    assert date_of(action(other, "received")) is None  # XXXX: no day known, no date

    first = fixture.corresp("letters/2013-04-alpha-to-beta.html")
    assert date_of(action(first, "sent")) is None  # only delivered is known
    assert date_of(action(first, "received")) == ({"when": "2013-04-15"}, None)
    sources = [bibls[s.removeprefix("#")] for s in first.get("source").split()]
    assert [b.find(f"{TEI}ref").get("target") for b in sources] == [fixture.base + "articles/2013-05-25-daily-reply.html"]


def test_fixture_cmif_validates_against_the_sigs_schema(fixture):
    jing(fixture.cmif_path)


# Fields that begin as a spreadsheet formula: the CSVs must not run them, the JSON keeps them exact.
FORMULAS = {
    "people/zeta.md": """
        ---
        name: '=HYPERLINK("http://x","y")'
        aliases: ["+1", "@SUM(1)"]
        role: leader
        country: "-2+3"
        offices:
          - {title: "\uff1d1+1 Minister", start: "2010", curator: "-the record"}
        summary: "\t@tab"
        ---
        """,
    "topics/formula.md": """
        ---
        name: "-2+3"
        aliases: ["=1+1"]
        ---
        """,
    "letters/2013-08-alpha-to-zeta.md": """
        ---
        title: "@SUM(1) writes"
        sender: alpha
        recipients: [zeta]
        dates:
          delivered: {date: "2013-08", curator: "the ministry"}
        topics: [formula]
        text_status: reported
        summary: "+1"
        curator: {topics: "the ministry", text_status: "the ministry"}
        ---
        """,
}


@pytest.fixture(scope="module")
def formulas(tmp_path_factory) -> Downloads:
    return built(tmp_path_factory, "formulas", FORMULAS)


def test_csv_cells_a_spreadsheet_would_run_are_text_and_exact_in_the_json(formulas):
    faults = {path.name: data_faults(path) for path in sorted((formulas.site / "data").glob("*.csv"))}
    assert set(faults) == set(CSVS)
    assert {name: found for name, found in faults.items() if found} == {}
    (person,) = formulas.rows("people.csv", key="zeta")
    assert {k: person[k] for k in ("name", "aliases", "country", "offices", "summary")} == {
        "name": '\'=HYPERLINK("http://x","y")', "aliases": "'+1; @SUM(1)", "country": "'-2+3",
        "offices": "'\uff1d1+1 Minister (2010/..)", "summary": "'@tab"}  # a field is read without its surrounding space
    (letter,) = formulas.rows("letters.csv", key="2013-08-alpha-to-zeta")
    assert (letter["title"], letter["summary"], letter["date"]) == ("'@SUM(1) writes", "'+1", "2013-08")
    assert formulas.rows("letter_recipients.csv", letter=letter["id"])[0]["office"] == "'\uff1d1+1 Minister"
    (topic,) = formulas.rows("topics.csv", key="formula")
    assert (topic["name"], topic["aliases"]) == ("'-2+3", "'=1+1")
    # The JSON keeps each value exact.
    records = formulas.json["records"]
    person = next(r for r in records["people"] if r["key"] == "zeta")
    assert (person["name"], person["aliases"], person["country"], person["summary"]) == (
        '=HYPERLINK("http://x","y")', ["+1", "@SUM(1)"], "-2+3", "@tab")
    assert (person["offices"][0]["title"], person["offices"][0]["curator"]) == ("\uff1d1+1 Minister", "-the record")
    letter = formulas.letter("2013-08-alpha-to-zeta")
    assert (letter["title"], letter["summary"]) == ("@SUM(1) writes", "+1")
    topic = next(r for r in records["topics"] if r["key"] == "formula")
    assert (topic["name"], topic["aliases"]) == ("-2+3", ["=1+1"])


@pytest.mark.parametrize("edtf, expected", [
    ("2013-04-15", {"when": "2013-04-15"}),
    ("2013-04", {"when": "2013-04"}),
    ("2001", {"when": "2001"}),
    ("2018-12-30?", {"when": "2018-12-30", "cert": "low"}),
    ("2018-12-30~", {"when": "2018-12-30", "cert": "low"}),
    ("%2013-05", {"when": "2013-05", "cert": "low"}),
    ("2013-05-22T10:00:00Z", {"when": "2013-05-22"}),
    ("2013-06-17/2013-06-18", {"notBefore": "2013-06-17", "notAfter": "2013-06-18"}),
    ("2013-05/2013-06~", {"notBefore": "2013-05-01", "notAfter": "2013-06-30", "cert": "low"}),
    ("1986-06-24/..", {"notBefore": "1986-06-24"}),
    ("../1985", {"notAfter": "1985-12-31"}),
    ("[2001-01-20..2001-07-20]", {"notBefore": "2001-01-20", "notAfter": "2001-07-20"}),
    ("[..2001-07-20]", {"notAfter": "2001-07-20"}),
    ("198X", {"notBefore": "1980-01-01", "notAfter": "1989-12-31"}),
    ("2018-21", {"notBefore": "2018-03-01", "notAfter": "2018-05-31"}),
    ("XXXX", None),
])
def test_each_edtf_form_becomes_cmif_date_attributes(edtf, expected):
    assert date_attributes(edtf) == expected


# --- On the real archive: what holds for any content --------------------------------------------------


@pytest.fixture(scope="module")
def real(real_project) -> Downloads:
    return Downloads(real_project)


def test_every_letter_round_trips_through_json_csv_and_cmif(real, real_archive: Archive):
    letters = real_archive.all(Letter)
    assert letters and len(real.json["records"]["letters"]) == len(letters)
    people = {p.id: p for p in real_archive.people}
    for letter in letters:
        page = f"letters/{letter.id}.html"
        sender, recipients = f"people/{letter.sender}.html", [f"people/{r}.html" for r in letter.recipients]
        carriers = [f"people/{c}.html" for c in letter.carriers]
        claims = {kind: [c.date for c in found] for kind, found in letter.dates.items()}
        # JSON
        record = real.letter(letter.id)
        assert (record["id"], record["sender"], record["recipients"], record["carriers"]) == (
            page, sender, recipients, carriers)
        assert {k: [c["date"] for c in v] for k, v in record["dates"].items() if v} == claims
        for found in record["dates"].values():
            for claim in found or ():
                first, last = dates.span(claim["date"])
                assert (claim["earliest"], claim["latest"]) == (first and first.isoformat(), last and last.isoformat())
        # CSV
        (row,) = real.rows("letters.csv", id=page)
        assert (row["sender"], row["recipients"].split(), row["carriers"].split()) == (sender, recipients, carriers)
        assert {k: row[k].split("; ") for k in claims} == claims
        assert [r["recipient"] for r in real.rows("letter_recipients.csv", letter=page)] == recipients
        assert [r["carrier"] for r in real.rows("letter_carriers.csv", letter=page)] == carriers
        # CMIF: the names, and each date as its attributes say at its precision
        desc = real.corresp(page)
        assert [n for _, n, _ in names(action(desc, "sent"))] == [people[letter.sender].name]
        assert [n for _, n, _ in names(action(desc, "received"))] == [people[r].name for r in letter.recipients]
        for kind, preferred in (("sent", ("sent", "written")), ("received", ("received", "delivered"))):
            edtf = next((claims[k][0] for k in preferred if k in claims), None)
            shown = date_of(action(desc, kind))
            if edtf is None or dates.span(edtf) == (None, None):
                assert shown is None, (page, kind)
                continue
            assert shown is not None, (page, kind)
            attrs = shown[0]
            first, last = dates.span(edtf)
            if "when" in attrs:  # a day, month or year, as precise as the EDTF date
                assert re.sub(r"[~?%]", "", edtf).startswith(attrs["when"]), (page, kind, edtf)
                assert dates.parse(edtf).precision == attrs["when"].count("-") + 1
            else:
                assert (attrs.get("notBefore"), attrs.get("notAfter")) == (
                    first and first.isoformat(), last and last.isoformat()), (page, kind, edtf)
            assert ("cert" in attrs) == bool(re.search(r"[~?%]", edtf)), (page, kind, edtf)


def test_real_cmif_validates_against_the_sigs_schema(real):
    jing(real.cmif_path)


def test_exports_validate_against_their_json_schemas(real, fixture):
    archive_schema = json.loads((SCHEMAS / "archive.schema.json").read_text(encoding="utf-8"))
    for downloads in (real, fixture):
        jsonschema.validate(downloads.json, archive_schema)
        for name, rows in downloads.tables.items():
            schema = json.loads((SCHEMAS / f"{name.removesuffix('.csv')}.schema.json").read_text(encoding="utf-8"))
            validator = jsonschema.Draft202012Validator(schema)
            for row in rows:
                validator.validate(row)
            header = next(csv.reader(io.StringIO((downloads.site / "data" / name).read_text(encoding="utf-8"))))
            assert header == list(schema["properties"]), name  # the columns, in order


def test_export_schemas_are_current():
    kept = {path.name: path.read_text(encoding="utf-8") for path in SCHEMAS.glob("*.json")}
    assert kept == schema_files(), (
        "schemas/export/ is stale: run 'archive schema'")


def test_every_field_and_column_is_explained(real):
    """The Data page explains every field of the JSON and every column of each CSV."""
    page = (real.site / "data.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", page)
    for name, source in schema_files().items():
        schema = json.loads(source)
        for definition in [schema, *schema.get("$defs", {}).values()]:
            for field, shown in definition.get("properties", {}).items():
                if name == "archive.schema.json" and definition is schema:
                    continue  # the top level is explained in prose
                assert shown.get("description"), f"{name}: {field} has no description"
                assert field in text, f"{field} is not on the Data page"
    for file in ["archive.json", "letters.cmif.xml", *CSVS]:
        assert f'href="data/{file}"' in page, file  # a plain link, which works from disk
        assert (real.site / "data" / file).is_file()
    assert "CC BY 4.0" in text


def test_same_content_exports_the_same_bytes(real_project, real):
    archive = linked(real_project)
    first, second = ({**whole, **{path: "".join(parts) for path, parts in downloads.parts().items()}}
                     for whole, downloads in (
        whole_archive_files(archive, (), site_settings(real_project.config)) for _ in range(2)))
    assert first == second
    for path, text in first.items():
        if path.startswith("data/"):
            assert (real_project.site / path).read_bytes() == text.encode("utf-8"), path
