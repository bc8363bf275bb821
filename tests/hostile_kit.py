"""Hostile front matter: every string field of every kind of record, walked from the models,
and an archive that builds with a payload planted in each free-text field.

Free text is a string the model takes as written (a name, a note, a quote); ids, dates,
addresses and fixed words have their own validators and cannot carry a payload that builds.
"""

from __future__ import annotations

import re
import types
import typing
from enum import Enum
from pathlib import Path

import yaml
from pydantic import AfterValidator, BaseModel

from archive_kit import make_project
from builder.pipeline import Project, build
from builder.model.schema import DATE_KINDS, KINDS, Record

# A path into front matter: field names, "*" for any list item or mapping value, "{key}" for a mapping's keys.
Pattern = tuple[str, ...]
KEY = "{key}"


def _leaves(annotation, metadata, path: Pattern):
    """Yield (path, free text?) for every string an annotation can hold."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *extra = typing.get_args(annotation)
        yield from _leaves(base, [*metadata, *extra], path)
    elif origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                yield from _leaves(arg, metadata, path)
    elif origin is typing.Literal:
        yield path, False
    elif origin in (tuple, list):
        yield from _leaves(typing.get_args(annotation)[0], [], path + ("*",))
    elif origin is dict:
        key, value = typing.get_args(annotation)
        for key_path, free in _leaves(key, [], path + (KEY,)):
            yield key_path, free
        yield from _leaves(value, [], path + ("*",))
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, field in annotation.model_fields.items():
            yield from _leaves(field.annotation, field.metadata, path + (name,))
    elif isinstance(annotation, type) and issubclass(annotation, Enum):
        yield path, False
    elif annotation is str:
        yield path, not any(isinstance(m, AfterValidator) for m in metadata)


def string_fields(model: type[Record]) -> list[tuple[Pattern, bool]]:
    """Every string field of a kind of record, (path, free text?), in declaration order; the body aside."""
    found: list[tuple[Pattern, bool]] = []
    for name, field in model.model_fields.items():
        if name not in ("id", "body"):
            for leaf in _leaves(field.annotation, field.metadata, (name,)):
                if leaf not in found:
                    found.append(leaf)
    return found


def matches(path: tuple, pattern: Pattern) -> bool:
    """Does a concrete path (keys and list indexes) fall under a field pattern?"""
    return len(path) == len(pattern) and all(
        p == "*" or p == KEY or str(part) == p for part, p in zip(path, pattern))


def strings_in(value, path: tuple = ()):
    """Yield (path, text) for every string in parsed front matter; a key's path ends in KEY."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield path + (KEY,), key
            yield from strings_in(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings_in(item, path + (index,))


def front_matter_file(data: dict, body: str = "") -> str:
    """A content file: the data as block-style YAML (one scalar a line), then the body."""
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=10_000)
    return f"---\n{text}---\n{body}\n"


# --- Payloads with no '<': accepted by the check, so the pages must escape them -------------------

def payload(n: int, quotable: bool = False) -> str:
    """Everything Markdown or HTML could take for markup, as one line of text; F{n} tells them apart.

    Every attack alerts or sets window.__pwned, so a browser shows whether any ran. attr_list's
    `{: …}` counts only at the end of a heading or table cell, so it comes last. A quote must stand
    in an article's text, which refuses links and code: a quotable payload leaves them out.
    """
    common = (f"&lt;img src=x onerror=alert({n})&gt; \"'> *a* _b_ \\ | ]] &amp; "
              f"{{: tabindex=0 autofocus=1 onfocus='alert({n})' onclick='alert({n})' }}")
    if quotable:
        return f"F{n:03d} {common}"
    return f"# F{n:03d} [x](javascript:window.__pwned={n}) ![i](javascript:alert({n})) `tick` {common}"


PLANTED = re.compile(r"(# )?F\d{3} ")


class _Planter:
    def __init__(self):
        self.count = 0
        self.quoted: list[str] = []  # payloads that must stand in the article's text

    def __call__(self, quote: bool = False) -> str:
        self.count += 1
        text = payload(self.count, quotable=quote)
        if quote:
            self.quoted.append(text)
        return text


def _as_markdown(text: str) -> str:
    """Markdown for an article that shows `text` literally (the payloads need no more than this)."""
    return re.sub(r"([\\*_{}\[\]])", r"\\\1", text.replace("&", "&amp;"))


def hostile_files() -> dict[str, str]:
    """An archive with a payload in every free-text field of every kind of record."""
    p = _Planter()
    article = "2013-05-25-daily-reply"

    def cite():
        return [{"article": article, "quote": p(quote=True)}]

    def claim(date: str):
        return [{"date": date, "phrase": p(), "note": p(), "sources": cite(), "curator": p()}]

    def elsewhere():
        return [{"text": p(), "source": p()}]

    data = {
        "people/alpha.md": {
            "name": p(), "aliases": [p()], "role": "leader", "country": p(), "summary": p(),
            "offices": [{"title": p(), "start": "2010", "note": p(), "sources": cite(), "curator": p()}],
            "quoted_elsewhere": elsewhere(),
        },
        "people/beta.md": {"name": p(), "role": "leader", "offices": [{"title": p(), "start": "2012-05-07"}]},
        "people/gamma.md": {"name": p(), "role": "official", "country": p(), "summary": p()},
        "outlets/daily.md": {"name": p(), "aliases": [p()], "form": "newspaper", "country": p(), "summary": p(),
                             "quoted_elsewhere": elsewhere()},
        "topics/trade.md": {"name": p(), "aliases": [p()], "summary": p(), "quoted_elsewhere": elsewhere()},
        "places/lakeside.md": {"name": p(), "aliases": [p()], "country": p(), "summary": p(),
                               "authority": {"wikidata": "Q1", "geonames": "1"}, "quoted_elsewhere": elsewhere(),
                               # on the maps: its name in their SVG, its sources on its page
                               "coordinates": {"longitude": 10.5, "latitude": 50.25},
                               "evidence": {"coordinates": cite()}, "curator": {"coordinates": p()}},
        "batches/2013-04-greetings.md": {"title": p(), "sender": "alpha", "summary": p(),
                                         "quoted_elsewhere": elsewhere()},
        "summits/2013-06-meet.md": {
            "title": p(), "aliases": [p()], "place": "lakeside", "place_note": p(), "date": claim("2013-06-17/2013-06-18"),
            "status": "held", "status_as_of": "2013-06-18", "status_note": p(),
            "history": [{"status": "planned", "as_of": "2013-05", "note": p(), "sources": cite(), "curator": p()}],
            "attendees": ["alpha", "beta"], "summary": p(),
            "evidence": {"attendees": cite()}, "curator": {"topics": p()}, "topics": ["trade"],
            "quoted_elsewhere": elsewhere(),
        },
        # Render does not yet place an undated record in the timeline: these are dated for now,
        # so their date_note and published_note (shown when the date is missing) do not show.
        "summits/2013-09-later.md": {"title": p(), "place_note": p(), "date": "2013-09", "date_note": p(),
                                     "status": "proposed"},
        "letters/2013-04-alpha-to-beta.md": {
            "title": p(), "summary": p(), "sender": "alpha", "recipients": ["beta"],
            # Every kind of date the model declares: a past event on a day, a forecast by its month.
            "dates": {name: claim("2013-04-15" if kind.past else "2013-04") for name, kind in DATE_KINDS.items()},
            "carriers": ["gamma"], "delivered_at": "lakeside", "delivered_note": p(), "batch": "2013-04-greetings",
            "topics": ["trade"],
            "summits": ["2013-06-meet"], "text_status": "excerpts",
            "quotes": [{"text": p(quote=True), "article": article}],
            "evidence": {"carriers": cite()}, "curator": {"topics": p()}, "reported_by": cite(),
            "answered_by": [{"form": "call", "by": "beta", "date": "2013-05-01", "note": p(), "sources": cite(),
                             "curator": p()}],
            "quoted_elsewhere": elsewhere(),
        },
        "letters/2013-05-beta-to-alpha.md": {
            "title": p(), "sender": "beta", "recipients": ["alpha"], "dates": {"delivered": "2013-05-22"},
            "replies_to": "2013-04-alpha-to-beta", "summits": [{"summit": "2013-06-meet", "relation": "prepares"}],
            "text_status": "reported",
            "fate": [{"event": "handed", "to": "gamma", "by": "beta", "date": "2013-05-22", "note": p(),
                      "sources": cite(), "curator": p()},
                     {"event": "returned", "by": "gamma", "date": "2013-05-23", "note": p(), "sources": cite(),
                      "curator": p()}],
        },
        f"articles/{article}.md": {
            "title": p(), "outlet": "daily", "byline": p(), "published": claim("2013-05-25"),
            "url": "https://example.org/reply", "archived_url": "https://web.archive.org/web/2013/https://example.org/reply",
            "retrieved": "2013-05-26", "seed": p(), "curation": p(),
            "people": ["alpha", "beta", "gamma"], "letters": ["2013-05-beta-to-alpha", "2013-04-alpha-to-beta"],
            "summits": ["2013-06-meet"], "topics": ["trade"], "mentions": {p(): None},
            "quoted_elsewhere": elsewhere(),
        },
        "articles/2013-05-26-undated.md": {"title": p(), "outlet": "daily", "published": "2013-05-26",
                                           "published_note": p(), "retrieved_note": p()},
    }
    # Quotes must stand in the article's text, each in a sentence of its own.
    text = "\n".join(f"It reads: {_as_markdown(quote)} and so on." for quote in p.quoted)
    bodies = {f"articles/{article}.md": f"A reply was handed over on Wednesday.\n{text}",
              "articles/2013-05-26-undated.md": "An undated report of the reply."}
    return {path: front_matter_file(fields, bodies.get(path, "")) for path, fields in data.items()}


def planted(project: Path) -> list[tuple[str, tuple, str]]:
    """(content path, field path, payload) of every payload in the project's front matter."""
    found = []
    for path in sorted((project / "content").rglob("*.md")):
        data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        rel = path.relative_to(project).as_posix()
        found += [(rel, loc, text) for loc, text in strings_in(data) if PLANTED.match(text)]
    return found


def build_hostile(tmp: Path) -> Project:
    project = Project(make_project(tmp, hostile_files(), base=None))
    build(project)
    return project


def kinds() -> dict[str, type[Record]]:
    return {model.folder: model for model in KINDS}
