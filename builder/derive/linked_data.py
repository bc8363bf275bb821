"""Linked data: each page's schema.org description as JSON-LD, worked out from its view.

Search engines, Zotero and the tools of digital humanities read a page's
`<script type="application/ld+json">`: who a person is (and their authority
records), when and where a summit was, who sent a letter to whom and when.
The derive stage carries it on the view (`Page.jsonld`, derive.described), the
page's template prints it into its front matter (`jsonld:`) and
overrides/main.html serialises it into the head with `tojson`, which escapes
`<`, `>` and `&`, so no field can close the script.

Every `@id` is the page's permalink: absolute under mkdocs.yml's `site_url`
when one is set, else relative to the page (JSON-LD resolves it against the
document, so it names the same page from disk and when served). Dates give
only what is known: a plain EDTF year, month or day as ISO text, a range by
its two ends; an approximate, uncertain or scattered date is left out rather
than turned into a day no source gives.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from ..model import addresses
from ..model import dates
from ..model.authority import same_as
from .views import (ArticlePage, BatchPage, HomePage, LetterPage, OutletPage, Page, PairPage, PersonPage, Ref,
                    SummitPage, TopicPage)
from ..link.graph import name_of
from ..model.schema import Outlet, Person, Place, Record, SummitStatus, mapped_dates

SITE_NAME = "Leaders' Letters"
CONTEXT = "https://schema.org"
JsonLd = dict[str, Any]

# schema.org's EventStatusType for each status; "proposed" has none (not yet an event anyone scheduled).
EVENT_STATUS = {
    SummitStatus.planned: "https://schema.org/EventScheduled",
    SummitStatus.held: "https://schema.org/EventScheduled",
    SummitStatus.postponed: "https://schema.org/EventPostponed",
    SummitStatus.cancelled: "https://schema.org/EventCancelled",
}
OUTLET_TYPE = {"government": "GovernmentOrganization"}  # the others are news media


def permalink(path: str, site_url: str | None, from_page: str | None = None) -> str:
    """The stable address of the page at a docs path: under site_url when set; else relative to
    `from_page` (JSON-LD, links), or to the site's root when no page is given (a citation)."""
    if site_url:
        return site_url.rstrip("/") + "/" + addresses.html(path, addresses.HOME)
    return addresses.html(path, from_page or addresses.HOME)


def schema_date(edtf: str | None) -> str | None:
    """An EDTF date as schema.org Date text (`2013`, `2013-05`, `2013-05-22`), only when that is exactly
    what is known: a plain date with no qualifier whose span is a whole year, month or day."""
    if not edtf:
        return None
    try:
        parsed = dates.parse(edtf)
    except ValueError:
        return None
    if not isinstance(parsed, dates.Point) or any(parsed.marks) or parsed.lo is None or parsed.hi is None:
        return None
    lo, hi = parsed.lo, parsed.hi
    if lo == hi:
        return lo.isoformat()
    month_end = (hi + dt.timedelta(days=1)).day == 1
    if lo.day == 1 and month_end and (lo.year, lo.month) == (hi.year, hi.month):
        return f"{lo.year:04d}-{lo.month:02d}"
    if (lo.month, lo.day, hi.month, hi.day) == (1, 1, 12, 31) and lo.year == hi.year:
        return f"{lo.year:04d}"
    return None


def date_range(edtf: str | None) -> tuple[str | None, str | None]:
    """(start, end) of a date as schema.org Date text: a range by its ends, one date as its start alone."""
    if not edtf:
        return None, None
    if "/" in edtf:
        start, _, end = edtf.partition("/")
        return schema_date(start), schema_date(end)
    return schema_date(edtf), None


class _Describer:
    """The JSON-LD of one page: its permalink, and references to other pages relative to it."""

    def __init__(self, page: str, site_url: str | None):
        self.page = page
        self.site_url = site_url

    def id(self, path: str) -> str:
        return permalink(path, self.site_url, self.page)

    def ref(self, ref: Ref, kind: str | None = None) -> JsonLd:
        """Another record, by its page: enough to name it; its own page describes it in full."""
        return {"@type": kind or _type_of(ref.record), "@id": self.id(ref.path), "name": ref.title}

    def main(self, kind: str, name: str, **fields: Any) -> JsonLd:
        """The page's own subject: its type, permalink and name, then the fields known (empty ones left out)."""
        out: JsonLd = {"@context": CONTEXT, "@type": kind, "@id": self.id(self.page), "name": name}
        out.update({key: value for key, value in fields.items() if value not in (None, "", [], {})})
        return out


def _type_of(record: Record) -> str:
    if isinstance(record, Person):
        return "Organization" if record.form == "body" else "Person"
    if isinstance(record, Outlet):
        return OUTLET_TYPE.get(record.form, "NewsMediaOrganization")
    if isinstance(record, Place):
        return "Place"
    return {"letter": "Message", "summit": "Event", "article": "NewsArticle", "topic": "DefinedTerm",
            "batch": "CreativeWork"}.get(record.kind, "Thing")


def _first(claims: Any) -> str | None:
    """The date a list of claims is shown by: the curator's reading, first."""
    return claims[0].date if claims else None


def describe(view: Page, site_url: str | None = None) -> JsonLd:
    """The schema.org description of the page a view shows."""
    d = _Describer(view.path, site_url)
    if isinstance(view, PersonPage):
        p = view.person
        return d.main(_type_of(p), p.name, alternateName=list(p.aliases), description=p.summary,
                      sameAs=same_as(p), jobTitle=[o.title for o, *_ in view.offices],
                      nationality=_country(p.country) if p.form != "body" else None)
    if isinstance(view, SummitPage):
        s = view.summit
        start, end = date_range(_first(s.date))
        place = view.place.ref if view.place else None
        location = ({**d.ref(place, "Place"), "sameAs": same_as(place.record)} if place else None)
        return d.main("Event", s.title, alternateName=list(s.aliases), description=s.summary,
                      startDate=start, endDate=end, location=location, eventStatus=EVENT_STATUS.get(s.status),
                      attendee=[d.ref(h.ref) for h in view.attendees],
                      superEvent=[d.ref(x.ref) for x in view.part_of] or None,
                      about=[d.ref(t.ref) for t in view.topics])
    if isinstance(view, LetterPage):
        letter = view.letter
        place = view.delivered_at.ref if view.delivered_at else None
        return d.main("Message", letter.title, additionalType="Letter" if letter.form == "letter" else None,
                      genre=letter.form, description=letter.summary,
                      sender=d.ref(view.sender.ref), recipient=[d.ref(h.ref) for h in view.recipients],
                      **{prop: schema_date(claim.date if claim else None)
                         for prop, claim in mapped_dates(letter, "schema_org").items()},
                      contentLocation=d.ref(place, "Place") if place else None,
                      isPartOf=d.ref(view.batch.ref) if view.batch else None,
                      about=[d.ref(t.ref) for t in view.topics],
                      subjectOf=[d.ref(r) for r, _ in view.reported_in])
    if isinstance(view, ArticlePage):
        a = view.article
        archived = _archived(a)
        return d.main("NewsArticle", a.title, headline=a.title, datePublished=schema_date(_first(a.published)),
                      publisher=d.ref(view.outlet), url=a.url, isBasedOn=archived,
                      sameAs=[u for u in (a.url, archived) if u] or None,
                      about=[d.ref(r) for r in (*view.letters, *view.summits)],
                      mentions=[d.ref(r) for r in (*view.people, *view.topics)])
    if isinstance(view, BatchPage):
        b = view.batch
        return d.main("CreativeWork", b.title, additionalType="Collection", description=b.summary,
                      author=d.ref(view.sender), hasPart=[d.ref(letter) for letter, _ in view.letters])
    if isinstance(view, TopicPage):
        t = view.topic
        return d.main("DefinedTerm", t.name, alternateName=list(t.aliases), description=t.summary)
    if isinstance(view, OutletPage):
        o = view.outlet
        return d.main(_type_of(o), o.name, alternateName=list(o.aliases), url=o.url, description=o.summary)
    if isinstance(view, PairPage):
        return d.main("CollectionPage", view.title, about=[d.ref(view.first), d.ref(view.second)],
                      hasPart=[d.ref(row.letter) for row in view.rows])
    if isinstance(view, HomePage):
        return d.main("WebSite", SITE_NAME)
    record = getattr(view, "place", None)
    if isinstance(record, Place):  # a place's own page
        at = record.coordinates
        return d.main("Place", record.name, alternateName=list(record.aliases), description=record.summary,
                      sameAs=same_as(record), containedInPlace=_country(record.country),
                      geo={"@type": "GeoCoordinates", "latitude": at.latitude, "longitude": at.longitude} if at else None)
    title = getattr(view, "title", None)
    if isinstance(title, str):  # an index: one kind of record, a year or an initial of it
        return d.main("CollectionPage", title, isPartOf={"@type": "WebSite", "name": SITE_NAME,
                                                         "@id": d.id(addresses.HOME)})
    return d.main("WebPage", name_of(record) if isinstance(record, Record) else SITE_NAME)


def _country(name: str | None) -> JsonLd | None:
    return {"@type": "Country", "name": name} if name else None


def _archived(article: Any) -> str | None:
    """The address of an archived copy of the article, once the model records one."""
    for field in ("archived_url", "archive_url", "archived"):
        value = getattr(article, field, None)
        if isinstance(value, str) and value:
            return value
    return None


# What YAML will not read as written in a double-quoted string: C1 controls and the noncharacters it
# refuses, and the line breaks it would fold into a space (NEL, line and paragraph separators).
_NOT_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def front_matter(data: JsonLd) -> str:
    """The description for a page's front matter: JSON, which YAML reads as a flow mapping.

    Not ensure_ascii: YAML refuses the surrogate pairs JSON writes for characters beyond
    the BMP (an emoji); it reads them as they are, and the few characters it cannot are escaped.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(", ", ": "))
    return _NOT_YAML.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


_SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def scripts(html: str) -> list[str]:
    """The JSON-LD blocks of a built page, as text (for tests and tools)."""
    return _SCRIPT.findall(html)
