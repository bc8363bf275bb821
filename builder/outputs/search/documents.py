"""What the search indexes of each page, read from the page's view (derive.py).

Readers search for records by name and for what was said, so a page offers its
title, the record's own name and aliases, and the text it was made from (an
article's words, a record's summary and notes): not the lists of related
records every page repeats, which would make every name match hundreds of pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...derive.derive import date_label
from ...derive.views import (ArticlePage, BatchPage, Claim, LetterPage, Listing, OutletPage, Page, PairPage, PersonPage,
                             PlacePage, SummitPage, TopicPage)
from ...model.fields import choices
from ...model.schema import Outlet, Record, Summit
from ...model.text import reader_text

CONTEXT_LENGTH = 160  # characters of the line shown under a result's title
# Results tie-break by document number: record pages first, in this order, index pages last.
# A summit's page is of its form ("Meeting", "Commemoration"), in the order the model declares the forms.
KIND_ORDER = ("Person", "Topic", "Place", *(form.capitalize() for form in choices(Summit.model_fields["form"])),
              "Letter", "Batch of letters", "Article", "Outlet", "Correspondence", "Index")


@dataclass(frozen=True)
class Document:
    path: str  # the page's docs path (people/vladimir-putin.md)
    title: str
    kind: str  # the kind of page, as results show it
    when: str  # the page's date label, or ""
    context: str  # a line of context under the title
    names: tuple[str, ...] = ()  # the name and aliases of whom or what the page is about (a person, a topic)
    titles: tuple[str, ...] = ()  # its title and aliases, when they are no such name (a letter, a summit)
    text: str = ""

    @property
    def html(self) -> str:
        return self.path[: -len(".md")] + ".html"

    def row(self) -> list[str]:
        """The document table's row for the page: address, title, kind, date, context."""
        return [self.html, self.title, self.kind, self.when, self.context]


def _context(*texts: str | None) -> str:
    """The first of the texts (fields, or bodies as `reader_text`) that has any words, cut to a line."""
    for text in texts:
        line = " ".join(text[: 3 * CONTEXT_LENGTH].split()) if text else ""  # only the start is shown
        if line:
            return line if len(line) <= CONTEXT_LENGTH else line[:CONTEXT_LENGTH].rsplit(" ", 1)[0] + "…"
    return ""


def _join(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p)


def document(view: Page) -> Document | None:
    """The search document of a page; None for a page search should not lead to (the home page)."""
    match view:
        case PersonPage(person=p):
            offices = [o.title for o in p.offices]
            return Document(view.path, p.name, "Person", "", _context(p.summary, *offices, reader_text(p.body)),
                            names=(p.name, *p.aliases), text=_join(p.summary, p.country, *offices, reader_text(p.body)))
        case LetterPage(letter=letter):
            people = [view.sender.ref.title, *(r.ref.title for r in view.recipients), *(c.ref.title for c in view.carriers)]
            return Document(view.path, letter.title, "Letter", date_label(letter.date.date),
                            _context(letter.summary, reader_text(letter.body)), titles=(letter.title,),
                            text=_join(letter.summary, *people, view.delivered_at.ref.title if view.delivered_at else None,
                                       letter.delivered_note, *(v.words for versions in view.quotes for v in versions),
                                       reader_text(letter.body)))
        case SummitPage(summit=s):
            return Document(view.path, s.title, s.form.capitalize(), _label(view.date), _context(s.summary, reader_text(s.body)),
                            titles=(s.title, *s.aliases),  # named after people it is not
                            text=_join(s.summary, view.place.ref.title if view.place else None, s.place_note, s.date_note, s.status_note, reader_text(s.body)))
        case TopicPage(topic=t):
            return Document(view.path, t.name, "Topic", "", _context(t.summary, reader_text(t.body)), names=(t.name, *t.aliases),
                            text=_join(t.summary, reader_text(t.body)))
        case ArticlePage(article=a):
            return Document(view.path, a.title, "Article", _label(view.published),
                            _context(f"{view.outlet.title}: {reader_text(a.body)}"), titles=(a.title,),
                            text=_join(a.byline, view.outlet.title, *_aliases(view.outlet.record), reader_text(a.body)))
        case PlacePage(place=pl):
            return Document(view.path, pl.name, "Place", "", _context(pl.summary, pl.country, reader_text(pl.body)),
                            names=(pl.name, *pl.aliases), text=_join(pl.summary, pl.country, reader_text(pl.body)))
        case OutletPage(outlet=o):
            return Document(view.path, o.name, "Outlet", "", _context(o.summary, reader_text(o.body)), names=(o.name, *o.aliases),
                            text=_join(o.summary, o.form, o.country, reader_text(o.body)))
        case BatchPage(batch=b):
            return Document(view.path, b.title, "Batch of letters", "", _context(b.summary, reader_text(b.body)),
                            titles=(b.title,), text=_join(b.summary, view.sender.title, reader_text(b.body)))
        case PairPage():
            span = view.first_when if view.first_when == view.last_when else f"{view.first_when} – {view.last_when}"
            letters = f"{view.count} letter{'s' if view.count != 1 else ''}"
            return Document(view.path, view.title, "Correspondence", span, letters, titles=(view.title,))
        case Listing():
            title = f"{view.title}: {view.group.label}" if view.group else view.title
            return Document(view.path, title, "Index", "", "", titles=(title,))
    return None


def _aliases(record: Record) -> tuple[str, ...]:
    """The other names of an outlet an article is published by: a search for 'RIA' finds RIA Novosti's articles."""
    return record.aliases if isinstance(record, Outlet) else ()


def _label(claims: list[Claim] | None) -> str:
    return claims[0].label if claims else ""
