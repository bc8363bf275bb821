"""One CSV per kind of record, and the link tables between letters, people, summits and articles.

UTF-8, RFC 4180 (every field that needs it quoted, CRLF line ends), a header
row. A cell holds one value; where a record names several others the cell
holds their ids separated by spaces (ids hold none), and the link tables give
one row each. Text lists (aliases) are joined by "; ". Columns are declared
once, with what they hold: the Data page and the JSON Schemas of the tables
are made from the same declarations.

A cell a spreadsheet would run as a formula (OWASP, "CSV Injection": one that
begins with = + - @, a tab or a line break, or their full-width forms) is
written with a ' before it, which spreadsheets read as "this is text"; every
cell, so a column added later is covered. data/archive.json keeps the exact
value. No id, day or number begins so; a date could only with a year before 1,
which the archive refuses.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel

from ...derive.views import LetterPage
from ...link.graph import Archive
from ...model.fields import choices, either
from ...model.schema import Answer, Fate, FateEvent, Kind, Letter, LetterDates, Outlet, Person, Summit, SummitLink
from .common import Exported, Item, date_value, ref_id

Cell = str | int | bool | None
Row = tuple[Cell, ...]
SEP = " "  # between ids in one cell
TEXT_SEP = "; "  # between texts in one cell
FORMULA_START = tuple("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")  # the last four: ＝ ＋ － ＠


@dataclass(frozen=True)
class Column:
    name: str
    help: str
    get: Callable[[Item, Exported], Cell]
    form: str = "text"  # "id", "ids", "date", "day", "text", "texts", "bool", "int": for the JSON Schemas


@dataclass(frozen=True)
class Table:
    """A table of one kind of record: a row per record."""

    name: str
    kind: Kind
    help: str
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class LinkTable:
    """A table of links: rows worked out from each record of a kind."""

    name: str
    kind: Kind
    help: str
    columns: tuple[tuple[str, str, str], ...]  # (name, help, form)
    rows: Callable[[Item, Exported], Iterable[Row]]


def _field(name: str) -> Callable[[Item, Exported], Cell]:
    def get(item: Item, _: Exported) -> Cell:
        value = getattr(item.record, name, None)
        return getattr(value, "value", value)  # an enumeration's value
    return get


def _texts(name: str) -> Callable[[Item, Exported], Cell]:
    return lambda item, _: TEXT_SEP.join(getattr(item.record, name, ()))


def _ref(name: str) -> Callable[[Item, Exported], Cell]:
    """Ids another record names, as its ids in the exports; free text (before it became a record) as is."""
    def get(item: Item, ex: Exported) -> Cell:
        value = getattr(item.record, name, None)
        kind = type(item.record).references.get(name)
        if value is None or value == ():
            return None
        if kind is None:
            return str(value)
        values = [value] if isinstance(value, str) else [getattr(v, "summit", v) for v in value]
        return SEP.join(ex.id(kind, v) for v in values)
    return get


def _people(resolve: Callable[[Archive, Letter], list[Person]]) -> Callable[[Item, Exported], Cell]:
    """A letter's people as the archive resolves them, by their ids in the exports."""
    def get(item: Item, ex: Exported) -> Cell:
        assert isinstance(item.record, Letter)
        return SEP.join(ex.id(p.kind, p.id) for p in resolve(ex.archive, item.record)) or None
    return get


def _authority(name: str) -> Callable[[Item, Exported], Cell]:
    return lambda item, _: getattr(getattr(item.record, "authority", None), name, None)


def _claims(getter: Callable[[Any], Any]) -> Callable[[Item, Exported], Cell]:
    """Every claim of a date, the curator's reading first."""
    def get(item: Item, _: Exported) -> Cell:
        claims = getter(item.record)
        return TEXT_SEP.join(c.date for c in claims) if claims else None
    return get


def _phrase(getter: Callable[[Any], Any]) -> Callable[[Item, Exported], Cell]:
    """The sources' words for a date's first claim."""
    def get(item: Item, _: Exported) -> Cell:
        claims = getter(item.record)
        return claims[0].phrase if claims else None
    return get


def _bound(getter: Callable[[Any], Any], side: str) -> Callable[[Item, Exported], Cell]:
    """The earliest or latest day of a date's first claim."""
    def get(item: Item, _: Exported) -> Cell:
        claims = getter(item.record)
        return date_value(claims[0].date)[side] if claims else None
    return get


def _allowed(model: type[BaseModel], name: str) -> str:
    """A choice's values, as the model declares them: 'summit, meeting or visit'."""
    return either(choices(model.model_fields[name]))


ID = Column("id", "The record's id: the address of its page on the site, relative to the site's root.",
            lambda item, _: item.id, "id")
KEY = Column("key", "The record's id in the archive's sources (its file content/<folder>/<key>.md).",
             lambda item, _: item.record.id)


def _dated(prefix: str, getter: Callable[[Any], Any], what: str) -> tuple[Column, ...]:
    return (
        Column(prefix, f"{what}, as an EDTF date (several claims, when sources disagree, separated by '; ', "
                       "the curator's reading first).", _claims(getter), "date"),
        Column(f"{prefix}_earliest", f"The earliest day {what.lower()} can mean (of the first claim), "
                                     "YYYY-MM-DD; empty when open or unknown.", _bound(getter, "earliest"), "day"),
        Column(f"{prefix}_latest", f"The latest day {what.lower()} can mean (of the first claim), "
                                   "YYYY-MM-DD; empty when open or unknown.", _bound(getter, "latest"), "day"),
        Column(f"{prefix}_phrase", "The sources' own words for the date (of the first claim) where EDTF cannot "
                                   "say them: 'late October 2019', 'the next day'; empty when none is given.",
               _phrase(getter)),
    )


def _letter_date_kinds() -> tuple[Column, ...]:
    def of_kind(name: str) -> Callable[[Item, Exported], Cell]:
        return _claims(lambda record: getattr(record.dates, name))

    return tuple(Column(name, f"When it was {name.replace('_', ' ')}: EDTF, claims separated by '; '.",
                        of_kind(name), "date") for name in LetterDates.model_fields)


TABLES = (
    Table("letters.csv", Kind.letter, "A row per letter or message.", (
        ID, KEY,
        Column("title", "What the archive calls it.", _field("title")),
        Column("form", f"{_allowed(Letter, 'form')}.", _field("form")),
        Column("sender", "Who sent it (a person's id).", _ref("sender"), "id"),
        Column("recipients", "Who it was addressed to (people's ids, in order). Also in letter_recipients.csv.",
               _people(Archive.recipients), "ids"),
        Column("date_kind", "Which of its dates places it in time: the first kind known, in the order of the "
                            "date columns below.", lambda item, _: item.record.dates.items()[0][0]),
        *_dated("date", lambda r: r.dates.items()[0][1], "The date that places the letter"),
        *_letter_date_kinds(),
        Column("carriers", "Who carried or handed it over (people's ids). Also in letter_carriers.csv.",
               _people(Archive.carriers), "ids"),
        Column("delivered_at", "Where it was handed over (a place's id).", _ref("delivered_at"), "id"),
        Column("replies_to", "The letter it answers (a letter's id).", _ref("replies_to"), "id"),
        Column("batch", "The batch of letters it was sent with (a batch's id).", _ref("batch"), "id"),
        Column("summits", "Summits it concerns (ids). How it relates to each: letter_summits.csv.",
               _ref("summits"), "ids"),
        Column("topics", "What it deals with (topics' ids).", _ref("topics"), "ids"),
        Column("text_status", "published (full text public), excerpts (passages quoted) or reported (known "
                              "only from reports).", _field("text_status")),
        Column("known_from", "Whose side vouches for it: sender, recipient, both or others; empty if not said.",
               _field("known_from")),
        Column("fate", f"What became of it beyond its delivery to an addressee, in order ({_allowed(Fate, 'event')}), "
                       "separated by spaces; who and when: letter_fate.csv.",
               lambda item, _: SEP.join(e.event.value for e in item.record.fate) or None, "texts"),
        Column("reached_addressee", "false when its fate says it was handed to someone other than an addressee, "
                                    "returned or refused: its delivery date is then no date of receipt.",
               lambda item, _: item.record.reached_addressee, "bool"),
        Column("unopened", "true when reported received but not opened.",
               lambda item, _: any(e.event == FateEvent.unopened for e in item.record.fate), "bool"),
        Column("answered_by", f"Its answers that are not letters of the archive ({_allowed(Answer, 'form')}), "
                              "separated by spaces; who and when: letter_answers.csv. Letters answering it: "
                              "their replies_to.",
               lambda item, _: SEP.join(a.form.value for a in item.record.answered_by) or None, "texts"),
        Column("summary", "The curator's summary.", _field("summary")),
    )),
    Table("people.csv", Kind.person, "A row per person, or body that writes or receives letters.", (
        ID, KEY,
        Column("name", "Their name.", _field("name")),
        Column("aliases", "Other spellings and forms of address in the sources, separated by '; '.",
               _texts("aliases"), "texts"),
        Column("role", "leader (heads of state and government, heads of world bodies), official (envoys, aides, "
                       "spokespeople, ministers) or other.", _field("role")),
        Column("form", "person; body (a government, ministry or institution); unnamed (someone the sources do "
                       "not name).", _field("form")),
        Column("country", "Their country.", _field("country")),
        Column("offices", "Offices held, each as 'title (EDTF start/end)', or 'title (EDTF start/end, note)' with "
                          "what the title alone does not say ('acting'), separated by '; '; the JSON has each "
                          "office's sources.",
               lambda item, _: TEXT_SEP.join(f"{o.title} ({o.start}/{o.end or '..'}{f', {o.note}' if o.note else ''})"
                                             for o in item.record.offices),
               "texts"),
        Column("wikidata", "Wikidata identifier (Q…), where known.", _authority("wikidata")),
        Column("viaf", "VIAF identifier, where known.", _authority("viaf")),
        Column("gnd", "GND identifier, where known.", _authority("gnd")),
        Column("summary", "The curator's summary.", _field("summary")),
    )),
    Table("articles.csv", Kind.article, "A row per source article.", (
        ID, KEY,
        Column("title", "The article's headline.", _field("title")),
        Column("outlet", "Who published it (an outlet's id).", _ref("outlet"), "id"),
        Column("via", "Outlets or bodies it cites as its own source (ids).", _ref("via"), "ids"),
        Column("byline", "Its byline.", _field("byline")),
        *_dated("published", lambda r: r.published, "When it was published"),
        Column("url", "Where it was published.", _field("url")),
    )),
    Table("summits.csv", Kind.summit, "A row per summit, meeting or visit.", (
        ID, KEY,
        Column("title", "What the archive calls it.", _field("title")),
        Column("form", f"{_allowed(Summit, 'form')}.", _field("form")),
        Column("place", "Where it was or is to be held (a place's id); empty when not known or not fixed.",
               _ref("place"), "id"),
        Column("place_note", "More on the place, as the sources put it ('to be arranged').", _field("place_note")),
        *_dated("date", lambda r: r.date, "When it was or is to be held"),
        Column("status", f"{_allowed(Summit, 'status')}, as last known.", _field("status")),
        Column("status_as_of", "When the status was last known to be so (EDTF).", _field("status_as_of"), "date"),
        Column("part_of", "The summit it was held or planned beside (a summit's id).", _ref("part_of"), "id"),
        Column("attendees", "Who attended or was to attend (people's ids).", _ref("attendees"), "ids"),
        Column("topics", "What it dealt with (topics' ids).", _ref("topics"), "ids"),
        Column("summary", "The curator's summary.", _field("summary")),
    )),
    Table("topics.csv", Kind.topic, "A row per topic.", (
        ID, KEY,
        Column("name", "The topic's name.", _field("name")),
        Column("aliases", "Other names for it, separated by '; '.", _texts("aliases"), "texts"),
        Column("summary", "The curator's summary.", _field("summary")),
    )),
    Table("outlets.csv", Kind.outlet, "A row per outlet: newspapers, magazines, agencies, broadcasters, websites, governments that publish.", (
        ID, KEY,
        Column("name", "Its name.", _field("name")),
        Column("aliases", "Other names it is known or cited by, separated by '; '.", _texts("aliases"), "texts"),
        Column("form", f"{_allowed(Outlet, 'form')}.", _field("form")),
        Column("country", "Its country.", _field("country")),
        Column("url", "Its web address.", _field("url")),
        Column("summary", "The curator's summary.", _field("summary")),
    )),
    Table("batches.csv", Kind.batch, "A row per batch: letters sent together, each to its own recipients.", (
        ID, KEY,
        Column("title", "What the archive calls it.", _field("title")),
        Column("sender", "Who sent the letters (a person's id).", _ref("sender"), "id"),
        Column("summary", "The curator's summary.", _field("summary")),
    )),
    Table("places.csv", Kind.place, "A row per place where letters were handed over or summits held.", (
        ID, KEY,
        Column("name", "Its name, as readers know it.", _field("name")),
        Column("aliases", "Other names in the sources, separated by '; '.", _texts("aliases"), "texts"),
        Column("country", "Its country.", _field("country")),
        Column("wikidata", "Wikidata identifier (Q…), where known.", _authority("wikidata")),
        Column("geonames", "GeoNames identifier, where known.", _authority("geonames")),
        Column("summary", "The curator's summary.", _field("summary")),
    )),
)


def _recipients(item: Item, ex: Exported) -> Iterator[Row]:
    view = item.view
    assert isinstance(view, LetterPage)
    for n, holder in enumerate(view.recipients, start=1):
        yield item.id, n, ref_id(holder.ref), holder.office


def _carriers(item: Item, ex: Exported) -> Iterator[Row]:
    assert isinstance(item.record, Letter)
    for n, person in enumerate(ex.archive.carriers(item.record), start=1):
        yield item.id, n, ex.id(person.kind, person.id)


def _summits(item: Item, ex: Exported) -> Iterator[Row]:
    for link in item.record.summits:
        yield item.id, ex.id(Kind.summit, link.summit), link.relation.value


def _fate(item: Item, ex: Exported) -> Iterator[Row]:
    assert isinstance(item.record, Letter)
    for n, e in enumerate(item.record.fate, start=1):
        yield (item.id, n, e.event.value, ex.id(Kind.person, e.to) if e.to else None,
               ex.id(Kind.person, e.by) if e.by else None, e.date, e.note)


def _answers(item: Item, ex: Exported) -> Iterator[Row]:
    assert isinstance(item.record, Letter)
    for n, a in enumerate(item.record.answered_by, start=1):
        yield (item.id, n, a.form.value, ex.id(Kind.person, a.by) if a.by else None,
               ex.id(Kind.summit, a.summit) if a.summit else None, a.date, a.note)


# An article's front-matter lists, by the kind each names.
ARTICLE_LISTS = (("letters", Kind.letter), ("people", Kind.person), ("summits", Kind.summit),
                 ("topics", Kind.topic), ("outlet", Kind.outlet), ("via", Kind.outlet))


def _article_records(item: Item, ex: Exported) -> Iterator[Row]:
    article = item.record
    for name, kind in ARTICLE_LISTS:
        value = getattr(article, name)
        for record_id in [value] if isinstance(value, str) else value:
            yield item.id, ex.id(kind, record_id), kind.value, f"front matter: {name}"
    for kind, record_id in ex.named_in(article.id):
        yield item.id, ex.id(kind, record_id), kind.value, "mention"


LINK_TABLES = (
    LinkTable("letter_recipients.csv", Kind.letter, "A row per recipient of each letter.", (
        ("letter", "The letter's id.", "id"),
        ("position", "Its place in the letter's list of recipients, from 1.", "int"),
        ("recipient", "The recipient's id (a person).", "id"),
        ("office", "The office the recipient held on the letter's date, as its page shows it; empty if "
                   "not known.", "text"),
    ), _recipients),
    LinkTable("letter_carriers.csv", Kind.letter, "A row per person who carried or handed over a letter.", (
        ("letter", "The letter's id.", "id"),
        ("position", "Its place in the letter's list of carriers, from 1.", "int"),
        ("carrier", "The carrier's id (a person).", "id"),
    ), _carriers),
    LinkTable("letter_summits.csv", Kind.letter, "A row per summit a letter concerns.", (
        ("letter", "The letter's id.", "id"),
        ("summit", "The summit's id.", "id"),
        ("relation", f"How the letter relates to it: {_allowed(SummitLink, 'relation')}.", "text"),
    ), _summits),
    LinkTable("letter_fate.csv", Kind.letter, "A row per event of a letter's fate beyond its delivery to an "
                                               "addressee.", (
        ("letter", "The letter's id.", "id"),
        ("position", "Its place in the letter's fate, from 1.", "int"),
        ("event", f"{_allowed(Fate, 'event')}.", "text"),
        ("to", "To whom it was handed or returned (a person's id).", "id"),
        ("by", "Who handed, returned, refused or left it unopened (a person's id).", "id"),
        ("date", "When (EDTF); empty if not known.", "date"),
        ("note", "More, as the sources put it.", "text"),
    ), _fate),
    LinkTable("letter_answers.csv", Kind.letter, "A row per answer to a letter that is not a letter of the archive "
                                                 "(letters answering it give it as their replies_to).", (
        ("letter", "The id of the letter answered.", "id"),
        ("position", "Its place in the letter's answers, from 1.", "int"),
        ("form", f"{_allowed(Answer, 'form')}.", "text"),
        ("by", "Who answered (a person's id).", "id"),
        ("summit", "For a meeting: the summit's id.", "id"),
        ("date", "When (EDTF); empty if not known.", "date"),
        ("note", "What the answer said, as the sources put it.", "text"),
    ), _answers),
    LinkTable("article_records.csv", Kind.article, "A row per record an article names, and how.", (
        ("article", "The article's id.", "id"),
        ("record", "The id of the record it names.", "id"),
        ("kind", "The record's kind: letter, person, summit, topic, outlet or place.", "text"),
        ("how", "'front matter: <list>' when the curator listed it (letters, people, summits, topics, outlet "
                "or via), 'mention' when the article's text names it; a record can have a row of each.", "text"),
    ), _article_records),
)


def _cell(value: Cell) -> str | int:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value  # read as text, not run
    return value


def _csv(rows: Iterable[Iterable[Cell]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)  # RFC 4180; the csv module quotes what needs it
    return out.getvalue()


@cache
def _of_kind(kind: Kind) -> tuple[Table | LinkTable, ...]:
    """The tables a record of `kind` has rows in: its kind's, then the link tables, in the files' order."""
    return tuple(t for t in (*TABLES, *LINK_TABLES) if t.kind is kind)


def record_rows(item: Item, exported: Exported) -> tuple[str, ...]:
    """A record's rows in each table of its kind (_of_kind), as the files hold them: a run keeps them
    while the record's page stands (pieces.py)."""
    found = []
    for table in _of_kind(item.record.kind):
        if isinstance(table, Table):
            rows: Iterable[Row] = [tuple(c.get(item, exported) for c in table.columns)]
        else:
            rows = table.rows(item, exported)
        found.append(_csv([_cell(value) for value in row] for row in rows))
    return tuple(found)


def tables(rows: Mapping[Kind, Collection[tuple[str, ...]]]) -> dict[str, Iterator[str]]:
    """{file name: CSV text in parts} of every table, kinds the archive has none of included (a header
    alone), from each record's rows (record_rows), in the records' order."""
    return {table.name: _table(table, rows.get(table.kind, [])) for table in (*TABLES, *LINK_TABLES)}


def _table(table: Table | LinkTable, rows: Collection[tuple[str, ...]]) -> Iterator[str]:
    at = _of_kind(table.kind).index(table)
    yield _csv([[c.name for c in table.columns] if isinstance(table, Table) else [c[0] for c in table.columns]])
    yield from (found[at] for found in rows)
