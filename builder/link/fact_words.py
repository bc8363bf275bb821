"""The words that say a fact, and those that tell a letter apart from the others an article reports.

A quotation cited for a fact must hold the fact's own words: the name (or an alias) of the person,
place, topic or summit it names, words of its date, a word of its status. Facts with no words of
their own (a letter's text status, whose side vouches for it, its batch) must be tied to the letter:
by a party, a date, a carrier or a subject that no other letter of the article shares. The check
(`unsaid_in`) and the builder's own choice of sentences (provenance.py) read these alike.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..model import dates
from ..model.schema import Letter, Person, Place, Record, Summit, Topic
from .graph import Archive

LETTER_WORDS = re.compile(r"\b(letters?|messages?|reply|response|greetings|document)\b", re.IGNORECASE)
HANDING = re.compile(r"\b(handed|passed|brought|delivered|deliver|sent|visit(ed)?)\b", re.IGNORECASE)
ANSWER = re.compile(r"\b(response|reply|replies|replied|answer(ed|s)?)\b", re.IGNORECASE)
UNPUBLISHED = re.compile(r"\b(made public|confidential|not (been )?published)\b", re.IGNORECASE)
# Words that say a summit had (or was to have) the status the archive gives it.
STATUS_WORDS = {
    "proposed": re.compile(r"\b(propos\w*|offer\w*|invit\w*|suggest\w*)\b", re.IGNORECASE),
    "planned": re.compile(r"\b(will|would|plan\w*|to meet|may meet|expect\w*|scheduled|upcoming|preceding|"
                          r"forthcoming|ahead)\b", re.IGNORECASE),
    "postponed": re.compile(r"\b(postpon\w*|delay\w*|put off)\b", re.IGNORECASE),
    "cancelled": re.compile(r"\b(cancel\w*|called off|scrapped|failed)\b", re.IGNORECASE),
    "held": re.compile(r"\b(held|met|took place|hosted|attended)\b", re.IGNORECASE),
}
# Each pattern as a contributor reads it, for a warning that says what the builder looked for.
SAID = {
    LETTER_WORDS: "a word of a letter (letter, message, reply, response, greetings, document)",
    HANDING: "a word of handing over (handed, passed, brought, delivered, sent, visited)",
    ANSWER: "a word of an answer (response, reply, answered)",
    UNPUBLISHED: "words saying it is unpublished (made public, confidential, not published)",
    **{pattern: f"a word of the status '{status}'" for status, pattern in STATUS_WORDS.items()},
}
# Words too common to show that a sentence names a place or an office.
STOPWORDS = {"the", "of", "in", "at", "and", "on", "de", "la", "le", "for", "to"}

MONTHS = {m: calendar.month_name[m] for m in range(1, 13)}
_MONTH = re.compile(r"\b(" + "|".join(f"{name[:3]}(?:{name[3:]}|\\.)?" + ("|Sept\\.?" if m == 9 else "")
                                      for m, name in MONTHS.items()) + r")(?!\w)")
_WEEKDAY = re.compile(r"\b(" + "|".join(calendar.day_name) + r")\b")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
# Days said relative to the report: a date's words too, though not ones that tell two letters apart.
RELATIVE_DAY = re.compile(
    r"\b(yesterday|today|tonight|tomorrow|(last|this|next|previous|following|same|that) "
    r"(week|month|year|weekend|day|morning|evening|night)|(earlier|later) (this|that) \w+|"
    r"\w+ (days?|weeks?|months?) (ago|later|earlier|before|after)|the (next|following|previous) day|"
    r"the day (before|after)|New Year|Christmas)\b", re.IGNORECASE)


def _spaced(name: str) -> str:
    return r"\s+".join(re.escape(word) for word in name.split())


@lru_cache(maxsize=4096)
def _pattern(name: str, caseless: bool) -> re.Pattern[str]:
    # A topic's name in any case, and as its adjective: "Syrian" says Syria, "Korean" Korea.
    adjective = "(?:n|an|ian)?" if caseless else ""
    return re.compile(rf"(?<![\w-]){_spaced(name)}{adjective}(?![\w-])", re.IGNORECASE if caseless else 0)


def _words(name: str) -> list[str]:
    return [w for w in re.findall(r"[^\W\d_]+", name) if w.casefold() not in STOPWORDS]


def names_of(record: Record) -> tuple[str, ...]:
    """The names and aliases by which an article may name a record."""
    if isinstance(record, Summit):
        return (record.title, *record.aliases)
    if isinstance(record, (Person, Topic, Place)):
        return (record.name, *record.aliases)
    return ()


def has_every_word(name: str, text: str) -> bool:
    """Whether a text holds every word of a place's name ("St Petersburg" in "St. Petersburg"), in any order."""
    words = _words(name)
    return bool(words) and all(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text) for w in words)


def names(record: Record, text: str) -> bool:
    """Whether a text names a record by its name or an alias: a place by every word of one, a topic in any case."""
    if isinstance(record, Place):
        return any(has_every_word(name, text) for name in names_of(record))
    return any(_pattern(name, isinstance(record, Topic)).search(text) for name in names_of(record))


def says_office(title: str, text: str) -> bool:
    """Whether a text holds a word of an office's title ('Secretary-General' of the United Nations)."""
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.IGNORECASE) for w in _words(title))


# --- Dates --------------------------------------------------------------------------------------

@lru_cache(maxsize=1 << 14)
def _days(date: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day a date can mean; None when a side is open or unknown."""
    try:
        lo, hi = dates.span(date)
    except ValueError:
        return None
    return (lo, hi) if lo is not None and hi is not None else None


def _months(lo: dt.date, hi: dt.date) -> set[int]:
    if (hi - lo).days >= 365:
        return set(MONTHS)
    found, day = set(), lo.replace(day=1)
    while day <= hi:
        found.add(day.month)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return found


_MONTH_OF = {form: m for m, name in MONTHS.items() for form in (name, name[:3], *(("Sept",) if m == 9 else ()))}
# "May" is a month only beside a day or after a word of time ("in May", "May 20"), not Theresa May.
_MAY_BEFORE = re.compile(r"\b(in|by|of|since|until|till|early|late|mid|last|next|this|end of)[\s-]+$", re.IGNORECASE)


def date_clues(text: str) -> Iterator[tuple[str, int]]:
    """The calendar words of a text: ("month", 10) for "October", ("year", 2019), ("weekday", 4) for Friday."""
    for match in _MONTH.finditer(text):
        word = match.group(1).rstrip(".")
        if word != "May" or re.match(r"\s+\d", text[match.end():]) or _MAY_BEFORE.search(text[:match.start()]):
            yield "month", _MONTH_OF[word]
    for match in _YEAR.finditer(text):
        yield "year", int(match.group(1))
    for match in _WEEKDAY.finditer(text):
        yield "weekday", list(calendar.day_name).index(match.group(1))


def _telling_dates(text: str) -> Iterator[tuple[str, int]]:
    """The calendar words of a text that may date a letter: not the day a report was made ("said Wednesday")."""
    for kind, value in date_clues(_SAID_ON.sub("", text)):
        yield kind, value


_SAID_ON = re.compile(r"\b(said|says|told|reported|announced|added|stated)\s+(on\s+)?(" + "|".join(calendar.day_name)
                      + r")\b")


@lru_cache(maxsize=1 << 16)
def fits(date: str, clue: tuple[str, int], telling: bool = False) -> bool:
    """Whether a calendar word fits a date. `telling`: only words that pick it out among others
    (a weekday of a single day, a month of a date within a year)."""
    span = _days(date)
    if span is None:
        return not telling
    lo, hi = span
    kind, value = clue
    if kind == "year":
        return lo.year <= value <= hi.year and not (telling and hi.year - lo.year > 1)
    if kind == "month":
        return value in _months(lo, hi) and not (telling and (hi - lo).days >= 365)
    if (hi - lo).days >= 6:
        return not telling
    return value in {(lo + dt.timedelta(days=n)).weekday() for n in range((hi - lo).days + 1)}


def says_date(date: str, text: str) -> bool:
    """Whether a text holds words of a date: a month, year or weekday it can mean, or a day said relative to
    the report ("on Friday" is a weekday, "last month", "yesterday")."""
    return bool(RELATIVE_DAY.search(text)) or any(fits(date, clue) for clue in date_clues(text))


# --- Telling a letter apart -----------------------------------------------------------------------

Clue = tuple[str, object]  # ("party", person id), ("about", record id), ("month", 10), ("answer", None)…
Named = tuple[str, tuple[str, ...]]  # a record's id and the names an article may call it by


@dataclass(frozen=True)
class Marks:
    """What can tell a letter apart, as plain values: its parties, summits, dates and whether it answers
    one. A value, so what a text says of a letter is worked out once for each text (`_clues`)."""

    id: str
    sender: Named
    recipients: tuple[Named, ...]
    carriers: tuple[Named, ...]
    subjects: tuple[Named, ...]  # its summits: topics are too often shared by letters that do not list them
    dates: tuple[str, ...]
    answers: bool

    @property
    def parties(self) -> tuple[Named, ...]:
        return (self.sender, *self.recipients, *self.carriers)

    def __hash__(self) -> int:  # its id tells it from its fellows: no hashing of every field on each lookup
        return hash(self.id)


def _named(record: Record) -> Named:
    return record.id, names_of(record)


def marks(letter: Letter, archive: Archive) -> Marks:
    """A letter's marks, worked out once per linked archive: an article's letters are weighed against each
    other. With them the records they were read from, for a page that reads them to note."""
    return _worked(letter, archive)[0]


def telling_records(letter: Letter, archive: Archive) -> list[Record]:
    """The records whose names tell a letter apart: what a page choosing sentences by them has read."""
    return list(_worked(letter, archive)[1])


def _worked(letter: Letter, archive: Archive) -> tuple[Marks, tuple[Record, ...]]:
    return archive.once(("marks", letter.id), lambda: _marks(letter, archive))


def _marks(letter: Letter, archive: Archive) -> tuple[Marks, tuple[Record, ...]]:
    """A capital names its government as often as the place ("Moscow's vision"): no place."""
    sender, recipients, carriers = archive.sender(letter), archive.recipients(letter), archive.carriers(letter)
    summits = [s for s, _ in archive.summits_of(letter)]
    dates = tuple(claim.date for _, claims in letter.dates.items() for claim in claims)
    found = Marks(letter.id, _named(sender), tuple(map(_named, recipients)), tuple(map(_named, carriers)),
                  tuple(map(_named, summits)), dates, bool(letter.replies_to))
    return found, (letter, sender, *recipients, *carriers, *summits)  # the telling records, looked up once


_LETTER = r"(?:letters?|messages?|reply|response|greetings|note)"
# Words between a letter's word and a name: a title ("his U.S. counterpart", "President"), never a clause's
# end or another party's preposition ("from Putin to Obama" names Obama as no sender).
_TITLE = r"(?:(?!(?:to|from|and|by|of|for|on|in)\s)[\w.’'-]+\s+){0,5}?"
_GAP = r"(?:[\w.’'-]+\s+){0,6}?"


# What stands around a party's name when it is the sender or a recipient: matched where the name stands
# (_where_named), so that no pattern is compiled for each name. Compiling one for each of a few thousand names
# took each worker of a build about 1 ms a name, in each round of workers (forks.py).
_POSSESSIVE = re.compile(rf"[’']s\s+(?:[\w-]+\s+){{0,2}}?{_LETTER}\b")  # after the name: "Obama’s message"
_WROTE = re.compile(r"\s+(?:wrote|sent|replied|answered)\b")  # after it: "Putin wrote"
_FROM = re.compile(rf"\b{_LETTER}\s+{_GAP}from\s+{_TITLE}\Z")  # before it: "a letter from President"
_TO = re.compile(rf"\b(?:{_LETTER}|wrote|written|sent|addressed)\s+{_GAP}to\s+{_TITLE}\Z")  # "a letter to"


def _where_named(name: str, text: str) -> Iterator[re.Match[str]]:
    """Every place a text names `name` as a whole word, overlapping ones too ("Al Al" in "Al Al Al")."""
    pattern, at = _pattern(name, False), 0
    while (found := pattern.search(text, at)) is not None:
        yield found
        at = found.start() + 1


@lru_cache(maxsize=4096)
def _longest_word(name: str) -> str:
    return max(name.split(), key=len, default="")


def _in(name: str, text: str) -> bool:
    """Whether a text may name `name` as the case-sensitive patterns below do: its longest word is in it.
    Most (letter, sentence) pairs name no party: a substring test spares each its regular expressions."""
    return _longest_word(name) in text


def _said(named: Named, text: str) -> bool:
    return any(_in(name, text) and _pattern(name, False).search(text) for name in named[1])


def _as_sender(named: Named, text: str) -> bool:
    """ "Obama’s message", "a letter from President Vladimir Putin", "Putin wrote"."""
    return any(_in(name, text) and any(_POSSESSIVE.match(text, at.end()) or _WROTE.match(text, at.end())
                                       or _FROM.search(text, 0, at.start()) for at in _where_named(name, text))
               for name in named[1])


def _as_recipient(named: Named, text: str) -> bool:
    """ "a letter to Chinese President Xi Jinping", "sent … to Obama"."""
    return any(_in(name, text) and any(_TO.search(text, 0, at.start()) for at in _where_named(name, text))
               for name in named[1])


# Each sentence of an article is weighed for every letter the article reports, once per fact: a few
# hundred thousand (letter, sentence) pairs at 10,000 articles, most weighed many times.
@lru_cache(maxsize=1 << 17)
def _clues(letter: Marks, text: str) -> frozenset[Clue]:
    """What in a text points at this letter: its parties named (and who wrote, who received), its summits
    named, calendar words that pick out its dates, words of an answer if it answers one."""
    found: set[Clue] = {("party", p[0]) for p in letter.parties if _said(p, text)}
    if _as_sender(letter.sender, text):
        found.add(("sender", letter.sender[0]))
    found |= {("recipient", p[0]) for p in letter.recipients if _as_recipient(p, text)}
    found |= {("about", s[0]) for s in letter.subjects if _said(s, text)}
    found |= {c for c in _telling_dates(text) if any(fits(d, c, telling=True) for d in letter.dates)}
    if letter.answers and ANSWER.search(text):
        found.add(("answer", None))
    return frozenset(found)


def _holds(letter: Marks, clue: Clue) -> bool:
    kind, value = clue
    if kind == "party":
        return any(p[0] == value for p in letter.parties)
    if kind == "sender":
        return letter.sender[0] == value
    if kind == "recipient":
        return any(p[0] == value for p in letter.recipients)
    if kind == "about":
        return any(s[0] == value for s in letter.subjects)
    if kind == "answer":
        return letter.answers
    return any(fits(d, (kind, value), telling=True) for d in letter.dates)


def tells_apart(letter: Marks, others: Iterable[Marks], text: str) -> bool:
    """Whether a text points at this letter and at none of `others` as well: what it says of the letter
    (its parties, dates, subjects) is not all true of any other."""
    found = _clues(letter, text)
    return bool(found) and not _reversed(letter, text) \
        and not any(all(_holds(o, c) for c in found) for o in others if o.id != letter.id)


@lru_cache(maxsize=1 << 16)
def _reversed(letter: Marks, text: str) -> bool:
    """Whether a text speaks only of a letter going the other way: from one of this one's recipients, or to its
    sender ("a letter from Obama to Putin" is not Putin's letter to Obama), and not of this one's way."""
    sender, recipients = letter.sender, letter.recipients
    back = (any(_as_sender(p, text) for p in recipients if p[0] != sender[0])
            or (all(p[0] != sender[0] for p in recipients) and _as_recipient(sender, text)))
    return back and not (_as_sender(sender, text) or any(_as_recipient(p, text) for p in recipients))


def not_another(letter: Marks, others: list[Marks], text: str) -> bool:
    """Whether a text may speak of this letter: it tells this one apart, or no other letter of the article."""
    return tells_apart(letter, others, text) or not any(tells_apart(o, [letter, *others], text) for o in others)


def fellow_letters(letter: Letter, article_letters: Iterable[Letter]) -> list[Letter]:
    """The other letters an article reports."""
    return [o for o in article_letters if o.id != letter.id]


# --- What a citation must hold -------------------------------------------------------------------

Wanted = tuple[str, Callable[[str], bool]]  # what words, said for a contributor; whether a quote holds them


def _any_name(records: list[Record]) -> Wanted | None:
    if not records:
        return None
    said = " or ".join(f"name of {names_of(r)[0]} ({', '.join(repr(n) for n in names_of(r))})" for r in records)
    return said, lambda quote: any(names(r, quote) for r in records)


def _items(records: list[Record], item: str) -> list[Record]:
    return [r for r in records if r.id == item] if item else records


def _date(date: str) -> Wanted:
    return (f"words of its date {date} (a month, year or weekday it can mean, or a day said as 'on Friday', "
            "'yesterday', 'last month')", lambda quote: says_date(date, quote))


def _status(summit: Summit, status: str) -> Wanted:
    return (f"word of the status '{status}' or name of the summit ({', '.join(repr(n) for n in names_of(summit))})",
            lambda quote: bool(STATUS_WORDS[status].search(quote)) or names(summit, quote))


def _telling(letter: Letter, archive: Archive, article: str) -> Wanted:
    others = [archive.letter(i) for i in archive.article(article).letters if i != letter.id]
    own, theirs = marks(letter, archive), [marks(o, archive) for o in others]
    return (f"words that tie it to this letter{_among(others, article)}: a name of a sender, recipient or carrier, "
            "words of its date or a subject of its own, that the others do not share",
            lambda quote: tells_apart(own, theirs, quote))


def _among(others: list[Letter], article: str) -> str:
    if not others:
        return ""
    shown = ", ".join(o.id for o in others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
    return f" among the other letters {article} reports ({shown})"


def wanted(archive: Archive, record: Record, loc: tuple[str | int, ...], article: str) -> Wanted | None:
    """The words a quotation cited at `loc` of a record must hold for its fact, or None for a fact that has no
    words to look for."""
    if isinstance(record, Person) and loc[0] == "offices":
        title = record.offices[int(loc[1])].title
        return f"word of the office '{title}'", lambda quote: says_office(title, quote)
    if isinstance(record, Letter):
        if loc[0] == "dates":
            return _date(getattr(record.dates, str(loc[1]))[int(loc[2])].date)
        if loc[0] == "evidence":
            fact, _, item = str(loc[1]).partition(":")
            return _letter_fact(archive, record, fact, item, article)
    if isinstance(record, Summit):
        if loc[0] == "date" and record.date:
            return _date(record.date[int(loc[1])].date)
        if loc[0] == "history":
            return _status(record, record.history[int(loc[1])].status.value)
        if loc[0] == "evidence":
            fact, _, item = str(loc[1]).partition(":")
            return _summit_fact(archive, record, fact, item)
    return None


def _letter_fact(archive: Archive, letter: Letter, fact: str, item: str, article: str) -> Wanted | None:
    place = archive.delivered_at(letter)
    by_fact: dict[str, list[Record]] = {
        "sender": [archive.sender(letter)], "recipients": list(archive.recipients(letter)),
        "carriers": list(archive.carriers(letter)), "topics": list(archive.topics_of(letter)),
        "summits": [s for s, _ in archive.summits_of(letter)], "delivered_at": [place] if place else [],
    }
    if fact in by_fact:
        return _any_name(_items(by_fact[fact], item))
    if fact == "replies_to":
        return "word of an answer ('reply', 'response', 'answered')", lambda quote: bool(ANSWER.search(quote))
    if fact in ("text_status", "known_from", "batch"):
        return _telling(letter, archive, article)
    return None  # a fact with no words to look for


def _summit_fact(archive: Archive, summit: Summit, fact: str, item: str) -> Wanted | None:
    if fact == "status":
        return _status(summit, summit.status.value)
    place, part_of = archive.venue(summit), archive.part_of(summit)
    by_fact: dict[str, list[Record]] = {
        "attendees": list(archive.attendees(summit)), "topics": list(archive.topics_of(summit)),
        "place": [place] if place else [], "part_of": [part_of] if part_of else [],
    }
    return _any_name(_items(by_fact[fact], item)) if fact in by_fact else None
