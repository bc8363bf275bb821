"""The letters as CMIF: TEI `correspDesc`, the form correspSearch harvests letter catalogues in.

One `correspDesc` per letter: `correspAction type="sent"` with the sender and
the date it was sent (else written); `type="received"` with every recipient,
the place it was handed over and the date it was received (else delivered),
as LetterDates maps its kinds of date to CMIF. A letter whose fate says it was
handed to someone else, returned or refused gets no `received` action, which
would claim a receipt the record does not: a `note` names its addressees and
what became of it.
CMIF has no place for carriers; the JSON and CSV have them.

Dates go into CMIF's attributes at the precision the sources give: `when`
for a day, month or year; `notBefore`/`notAfter` for everything else (a range,
an open end, a choice, a season, a decade), since a sending is one moment
that falls somewhere in them (`from`/`to` are for what lasts); `cert="low"`
when the EDTF date is uncertain or approximate (? ~ %); and the reader's
label as the element's text wherever the attributes alone say less (the sources'
words for the date, "late October 2019", where the record gives them). A date
no one knows gets no `date`, as CMIF asks. The schema copy in schemas/cmif/
validates the file (tests/test_exports.py, with jing).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Collection, Iterator, Mapping
from functools import cache
from typing import Any

from ...model import dates
from ...model.authority import links
from ...derive.views import LetterPage
from ...model.schema import DateClaim, Kind, Person, Place, Record, mapped_dates
from .common import DATA, LICENCE_URL, SITE_TITLE, Exported, Item, Listing, day, ref_id

TEI = "http://www.tei-c.org/ns/1.0"  # the file's one namespace, declared on its root: its elements go unprefixed
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
# Each letter's correspDesc and each source's bibl is written on its own (a run keeps them: pieces.py)
# at the depth it stands in the file, and put where these stand in the rest of the document.
LETTERS, SOURCES = "_letters", "_sources"
LETTER_DEPTH, SOURCE_DEPTH = 3, 4  # TEI > teiHeader > profileDesc > correspDesc; ... > fileDesc > sourceDesc > bibl
# Authority files CMIF's `ref` takes first: Wikidata for people (the choice), GeoNames for places.
PREFERRED = {Kind.person: ("Wikidata", "VIAF", "GND"), Kind.place: ("GeoNames", "Wikidata")}
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: str) -> str:
    """Text XML 1.0 can hold: a control character (which YAML can carry) becomes U+FFFD."""
    return _NOT_XML.sub("\ufffd", value)


def _el(parent: ET.Element | None, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """An element of the document, in `parent`; without one, a piece of it."""
    attrib = {k: _text(v) for k, v in attrs.items()}
    element = ET.Element(tag, attrib) if parent is None else ET.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = _text(text)
    return element


def date_attributes(edtf: str) -> dict[str, str] | None:
    """CMIF's attributes for an EDTF date; None when no day of it is known."""
    parsed = dates.parse(edtf)
    marks = _marks(parsed)
    attrs: dict[str, str] = {}
    if isinstance(parsed, dates.Point) and _exact(parsed):
        attrs["when"] = "-".join(p for p in (parsed.year, parsed.month, parsed.day) if p)
    else:
        first, last = dates.span(edtf)
        if first is None and last is None:
            return None
        if first:
            attrs["notBefore"] = day(first) or ""
        if last:
            attrs["notAfter"] = day(last) or ""
    if marks:
        attrs["cert"] = "low"
    return attrs


def _exact(point: dates.Point) -> bool:
    """A plain year, month or day (a time of day dropped: CMIF takes dates only)."""
    parts = [point.year, point.month or "", point.day or ""]
    return point.season is None and point.significant is None and all(p.isdigit() or not p for p in parts)


def _marks(parsed: Any) -> bool:
    """Whether any part of the date is uncertain or approximate."""
    if isinstance(parsed, dates.Point):
        return any(parsed.marks)
    if isinstance(parsed, dates.Interval):
        return any(_marks(end) for end in (parsed.start, parsed.end) if isinstance(end, dates.Point))
    if isinstance(parsed, dates.Group):
        return any(_marks(i) if isinstance(i, dates.Point) else any(_marks(e) for e in (i.start, i.end) if e)
                   for i in parsed.items)
    return False


def _date(action: ET.Element, claim: DateClaim | None) -> None:
    if not claim:  # the curator's reading is given; the JSON has the others
        return
    edtf = claim.date
    attrs = date_attributes(edtf)
    if attrs is None:
        return
    plain = "when" in attrs and "cert" not in attrs and not claim.phrase
    # The sources' words ("late October 2019") where the curator gives them, else the reader's label.
    _el(action, "date", None if plain else claim.phrase or dates.label(edtf), **attrs)


def _not_received(view: LetterPage) -> str:
    """What CMIF's note says of a letter the record does not say its addressees received."""
    events = "; ".join(" ".join(part for part in (e.what, f"to {e.to.title}" if e.to else None,
                                                  f"by {e.by.title}" if e.by else None, e.when) if part)
                       + (f", {e.note}" if e.note else "") for e in view.fate)
    return f"Addressed to {', '.join(h.ref.title for h in view.recipients)}; not received: {events}."


def _ref(record: Person | Place) -> dict[str, str]:
    found = dict(links(record))
    url = next((found[label] for label in PREFERRED.get(record.kind, ()) if label in found), None)
    return {"ref": url} if url else {}


def _name(action: ET.Element, person: Record) -> None:
    assert isinstance(person, Person)  # a letter's sender and recipients are people
    _el(action, "orgName" if person.form == "body" else "persName", person.name, **_ref(person))


@cache  # every letter no article reports names the archive as its source
def _bibl_id(address: str) -> str:
    """A UUID that stays the same for the same page (CMIF asks for a static one) and, being an
    xml:id, begins with a letter."""
    salt = 0
    while True:
        found = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{address}#{salt}" if salt else address))
        if found[0].isalpha():
            return found
        salt += 1


class _Links:
    """Addresses of the site's pages as CMIF gives them: absolute with the site's address, else
    relative to the CMIF file (data/), which works from disk."""

    def __init__(self, base_url: str | None):
        self.base = base_url.rstrip("/") + "/" if base_url else None

    def __call__(self, address: str) -> str:
        return self.base + address if self.base else posixpath.relpath(address, DATA)


def _header(root: ET.Element, stamp: dt.datetime, link: _Links, sources: bool) -> ET.Element:
    header = _el(root, "teiHeader")
    file_desc = _el(header, "fileDesc")
    title = _el(file_desc, "titleStmt")
    _el(title, "title", f"{SITE_TITLE}: letters between heads of state, as the press reported them")
    _el(title, "editor", f"The curators of {SITE_TITLE}")  # CMIF requires one; the archive names no person
    publication = _el(file_desc, "publicationStmt")
    _el(_el(publication, "publisher"), "ref", SITE_TITLE, target=link("index.html"))
    _el(publication, "idno", link(f"{DATA}/letters.cmif.xml"), type="url")
    _el(publication, "date", when=stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))
    _el(_el(publication, "availability"), "licence",
        "This file is licensed under the terms of the Creative Commons License CC-BY 4.0", target=LICENCE_URL)
    source_desc = _el(file_desc, "sourceDesc")
    archive = _el(source_desc, "bibl", f"{SITE_TITLE}. Online archive, ", type="online",
                  **{XML_ID: _bibl_id("index.html")})
    _el(archive, "ref", link("index.html"), target=link("index.html"))
    if sources:
        _el(source_desc, SOURCES)
    return _el(header, "profileDesc")


def _piece(element: ET.Element, depth: int) -> str:
    ET.indent(element, space=" ", level=depth)
    return ET.tostring(element, encoding="unicode")


def source_text(item: Item, exported: Exported, base_url: str | None) -> str:
    """An article's bibl among the file's sources (there when a letter's page lists the article as reporting
    it), as the file holds it: a run keeps it while the article's page stands (pieces.py)."""
    article, link = item.record, _Links(base_url)
    outlet = exported.archive.outlet_of(article)
    published = f", {dates.label(article.published[0].date)}" if article.published else ""
    bibl = _el(None, "bibl", f"{article.title}. {outlet.name}{published}. ", type="online",
               **{XML_ID: _bibl_id(item.id)})
    ref = _el(bibl, "ref", "In the archive", target=link(item.id))
    if article.url:
        ref.tail = "; first published at "
        _el(bibl, "ref", article.url, target=article.url)
    return _piece(bibl, SOURCE_DEPTH)


def letter_text(item: Item, exported: Exported, base_url: str | None) -> str:
    """A letter's correspDesc as the file holds it: a run keeps it while the letter's page stands (pieces.py)."""
    letter, view, link = item.record, item.view, _Links(base_url)
    assert isinstance(view, LetterPage)
    # The articles reporting it, as its page lists them.
    sources = [_bibl_id(ref_id(ref)) for ref, _ in view.reported_in] or [_bibl_id("index.html")]
    desc = _el(None, "correspDesc", ref=link(item.id), source=" ".join(f"#{s}" for s in sources))
    action_dates = mapped_dates(letter, "cmif")
    sent = _el(desc, "correspAction", type="sent")
    _name(sent, view.sender.ref.record)
    _date(sent, action_dates["sent"])
    if not letter.reached_addressee:  # handed elsewhere, returned or refused: no receipt to claim
        _el(desc, "note", _not_received(view))
        return _piece(desc, LETTER_DEPTH)
    received = _el(desc, "correspAction", type="received")
    for holder in view.recipients:
        _name(received, holder.ref.record)
    if (place := exported.archive.delivered_at(letter)) is not None:
        _el(received, "placeName", place.name, **_ref(place))
    _date(received, action_dates["received"])
    return _piece(desc, LETTER_DEPTH)


def cmif(listing: Listing, texts: Mapping[Kind, Collection[str]], cited: set[str], base_url: str | None = None
         ) -> Iterator[str]:
    """The document in parts, to be written as they come, from each letter's correspDesc (letter_text) and
    each article's bibl (source_text), in `listing`'s order: the sources are the articles `cited`, those
    the letters' pages list as reporting them."""
    letters = texts.get(Kind.letter, [])
    sources = [text for path, text in zip(listing.articles, texts.get(Kind.article, [])) if path in cited]
    root = ET.Element("TEI", xmlns=TEI)
    profile = _header(root, listing.stamp, _Links(base_url), bool(sources))
    if letters:
        _el(profile, LETTERS)
    _el(_el(_el(root, "text"), "body"), "p")
    ET.indent(root, space=" ")
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    # The skeleton, each placeholder (the sources come first) taken by its pieces, one to a line.
    for placeholder, parts, depth in ((SOURCES, sources, SOURCE_DEPTH), (LETTERS, letters, LETTER_DEPTH)):
        before, found, after = text.partition(f"<{placeholder} />")
        if found:
            yield before
            for n, part in enumerate(parts):
                yield "\n" + " " * depth + part if n else part
            text = after
    yield text
