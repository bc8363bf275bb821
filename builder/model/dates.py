"""Partial and uncertain dates, stored as Library of Congress EDTF strings.

A source often gives only a month ("in April") or a year ("2001"); EDTF keeps
that precision instead of inventing a day. This module reads every form of
EDTF levels 0-2, orders such dates and labels them for readers.

The `edtf` package decides what is valid EDTF. The meaning is read here from
the text itself: the package's objects depart from the standard in places
(winter is December alone, an unknown end is "ten years later", a set's
bounds can be floats) and some of its forms crash when asked for bounds.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import io
import re
from dataclasses import dataclass, replace
from enum import Enum
from functools import lru_cache

MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]

NOT_EDTF = ("'{}' is not a real date in EDTF form; write YYYY, YYYY-MM or "
            "YYYY-MM-DD (a day that exists), a range as START/END, and add ~ "
            "for approximate or ? for uncertain")
OUT_OF_RANGE = ("years before 1 or after 9999 are not supported: '{}'; write a year from 0001 to 9999, "
                "or XXXX if the year is not known")
NO_SUCH_DAY = "'{}' names a day that does not exist; check the day and the month (29 February is only in leap years)"
TIME_WITHOUT_DAY = "'{}' gives a time without its day; write the full date before the time, e.g. 2013-05-22T10:00:00Z"
SIGNIFICANT_ON_MONTH = ("'{}' puts significant digits (S) on a month or day; S belongs to a year on its own, "
                        "e.g. 1950S2 for some year from 1900 to 1999")
BACKWARDS = "'{}' ends before it starts; write the earlier date first"
UNREADABLE = ("'{}' is EDTF, but a form the archive cannot show; write it more simply, e.g. YYYY-MM-DD, "
              "a range START/END or a choice [A..B]")

# Seasons and other divisions of a year (EDTF level 2, codes 21-41): the phrase,
# and the first and last month. Winter and the southern summer run from
# December into February of the next year; 21-24 are read as northern.
SEASONS = {
    21: ("spring {}", 3, 5), 22: ("summer {}", 6, 8), 23: ("autumn {}", 9, 11), 24: ("winter {}", 12, 14),
    25: ("spring {} (northern hemisphere)", 3, 5), 26: ("summer {} (northern hemisphere)", 6, 8),
    27: ("autumn {} (northern hemisphere)", 9, 11), 28: ("winter {} (northern hemisphere)", 12, 14),
    29: ("spring {} (southern hemisphere)", 9, 11), 30: ("summer {} (southern hemisphere)", 12, 14),
    31: ("autumn {} (southern hemisphere)", 3, 5), 32: ("winter {} (southern hemisphere)", 6, 8),
    33: ("the first quarter of {}", 1, 3), 34: ("the second quarter of {}", 4, 6),
    35: ("the third quarter of {}", 7, 9), 36: ("the fourth quarter of {}", 10, 12),
    37: ("the first four months of {}", 1, 4), 38: ("the middle four months of {}", 5, 8),
    39: ("the last four months of {}", 9, 12),
    40: ("the first half of {}", 1, 6), 41: ("the second half of {}", 7, 12),
}

Marks = frozenset[str]  # of "~" (approximate) and "?" (uncertain); "%" is both
PREFIX = {frozenset("~"): "about ", frozenset("?"): "probably ", frozenset("~?"): "probably about "}
MARK_WORD = {frozenset("~"): "approximate", frozenset("?"): "uncertain", frozenset("~?"): "uncertain and approximate"}


class DateError(ValueError):
    """A date the archive cannot use: not EDTF, a day that does not exist, a year out of range."""


@dataclass(frozen=True)
class Point:
    """One date as written: a year (maybe with X digits), maybe a month or season, a day, a time."""

    year: str  # "1986", "198X", "XXXX", or the value of a Y-year ("1000")
    month: str | None  # "05", "XX", "1X"
    day: str | None
    season: int | None
    time: str | None  # "10:00:00Z"
    significant: int | None  # significant digits of the year: 1950S2
    marks: tuple[Marks, ...]  # qualifiers of each part given: year, month or season, day
    lo: dt.date | None  # earliest day; None when the year is not known
    hi: dt.date | None

    @property
    def precision(self) -> int:
        return 1 + (self.month is not None or self.season is not None) + (self.day is not None)

    @property
    def plain(self) -> bool:
        """Digits only, no qualifier: the form whose label can share its year with a neighbour."""
        parts = [self.year, self.month or "", self.day or ""]
        return (not any(self.marks) and self.season is None and self.time is None
                and self.significant is None and all(p.isdigit() or not p for p in parts))


class End(Enum):
    """An interval's end that is not a date: `..` open (it goes on), `` unknown (it ended, no one says when)."""

    OPEN = ".."
    UNKNOWN = ""


@dataclass(frozen=True)
class Interval:
    start: Point | End
    end: Point | End

    @property
    def lo(self) -> dt.date | None:
        return self.start.lo if isinstance(self.start, Point) else None

    @property
    def hi(self) -> dt.date | None:
        return self.end.hi if isinstance(self.end, Point) else None


@dataclass(frozen=True)
class Run:
    """A set's `a..b`; `..b` is every date up to b, `a..` every date from a."""

    start: Point | None
    end: Point | None

    @property
    def lo(self) -> dt.date | None:
        return self.start.lo if self.start else None

    @property
    def hi(self) -> dt.date | None:
        return self.end.hi if self.end else None


@dataclass(frozen=True)
class Group:
    """`[a, b]`: one of them; `{a, b}`: all of them."""

    every: bool
    items: tuple[Point | Run, ...]

    @property
    def lo(self) -> dt.date | None:
        days = [item.lo for item in self.items if item.lo is not None]
        return min(days) if len(days) == len(self.items) else None  # an open item opens the group

    @property
    def hi(self) -> dt.date | None:
        days = [item.hi for item in self.items if item.hi is not None]
        return max(days) if len(days) == len(self.items) else None


Parsed = Point | Interval | Group


# Reading ------------------------------------------------------------------------

_POINT = re.compile(r"""
    (?P<yl>[~?%])? (?P<year>-?[0-9X]{4}) (?:S(?P<ysig>\d+))? (?P<yr>[~?%])?
    (?: -(?P<ml>[~?%])? (?P<month>[0-9X]{2}) (?P<mr>[~?%])?
        (?: -(?P<dl>[~?%])? (?P<day>[0-9X]{2}) (?P<dr>[~?%])? )? )?
    (?: T(?P<time>\d\d:\d\d:\d\d(?:Z|[+-]\d\d(?::\d\d)?)?) )?
    """, re.VERBOSE)
_LONG_YEAR = re.compile(r"Y(?P<base>-?\d+)(?:E(?P<exp>\d+))?(?:S(?P<sig>\d+))?")


def _marks(symbol: str | None) -> Marks:
    return frozenset("~?" if symbol == "%" else symbol or "")


def _matches(pattern: str, value: str) -> bool:
    if "X" not in pattern:  # most dates: a new process reads thousands, each day of a month against it
        return pattern == value
    return all(p in ("X", v) for p, v in zip(pattern, value, strict=True))


def _year_range(text: str, year: str, significant: int | None) -> list[int] | range | None:
    """The years the date may fall in; None when no digit of the year is known."""
    if set(year) == {"X"}:
        return None
    if year.startswith("-"):
        raise DateError(OUT_OF_RANGE.format(text))
    if "X" in year:
        first, last = int(year.replace("X", "0")), int(year.replace("X", "9"))
        years: list[int] | range = [y for y in range(max(first, dt.MINYEAR), min(last, dt.MAXYEAR) + 1)
                                    if _matches(year, f"{y:04d}")]
    elif significant is not None and significant < len(year):  # 1950S2: some year from 1900 to 1999
        unit = 10 ** (len(year) - significant)
        first = int(year) // unit * unit
        years = range(max(first, dt.MINYEAR), min(first + unit - 1, dt.MAXYEAR) + 1)
    else:
        years = [int(year)] if dt.MINYEAR <= int(year) <= dt.MAXYEAR else []
    if not years:
        raise DateError(OUT_OF_RANGE.format(text))
    return years


def _days(year: int, months: list[int], day: str | None, latest: bool) -> dt.date | None:
    """The first (or last) day of `year` in one of `months` whose day matches the pattern."""
    for month in (reversed(months) if latest else months):
        last = calendar.monthrange(year, month)[1]
        if day is None:
            days = [1, last]
        elif "X" not in day:  # most dates: the one day, if the month has it
            days = [int(day)] if 1 <= int(day) <= last else []
        else:
            days = [d for d in range(1, last + 1) if _matches(day, f"{d:02d}")]
        if days:
            return dt.date(year, month, days[-1] if latest else days[0])
    return None


def _point(text: str, part: str) -> Point:
    long = _LONG_YEAR.fullmatch(part)
    if long:
        if long["base"].startswith("-") or len(long["base"]) + int(long["exp"] or 0) > 4:
            raise DateError(OUT_OF_RANGE.format(text))  # checked before computing Y17E7000000
        year = str(int(long["base"]) * 10 ** int(long["exp"] or 0))
        significant = int(long["sig"]) if long["sig"] else None
        years = _year_range(text, year, significant)
        assert years is not None  # digits only: never None
        return Point(year, None, None, None, None, significant, (frozenset(),),
                     dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31))
    m = _POINT.fullmatch(part)
    if not m:
        raise DateError(UNREADABLE.format(text))
    given = ["year"] + (["month"] if m["month"] else []) + (["day"] if m["day"] else [])
    # A qualifier left of a part is that part's; right of a part, it covers it and every part before.
    marks: list[set[str]] = [set() for _ in given]
    for i, name in enumerate(given):
        marks[i] |= _marks(m[name[0] + "l"])
        for j in range(i + 1):
            marks[j] |= _marks(m[name[0] + "r"])
    significant = int(m["ysig"]) if m["ysig"] else None
    if significant is not None and m["month"]:
        raise DateError(SIGNIFICANT_ON_MONTH.format(text))
    if m["time"] and not m["day"]:
        raise DateError(TIME_WITHOUT_DAY.format(text))
    season = int(m["month"]) if m["month"] and m["month"].isdigit() and int(m["month"]) > 12 else None
    month = None if season else m["month"]
    years = _year_range(text, m["year"], significant)
    point = Point(m["year"], month, m["day"], season, m["time"], significant,
                  tuple(frozenset(s) for s in marks), lo=None, hi=None)
    if season:
        if years is None:
            raise DateError(UNREADABLE.format(text))  # a season of an unknown year: no days to give it
        _, first, last = SEASONS[season]
        start = dt.date(years[0], first, 1)
        end_year, end_month = years[-1] + (last - 1) // 12, (last - 1) % 12 + 1
        if end_year > dt.MAXYEAR:  # winter 9999 runs past the last day Python knows
            return replace(point, lo=start, hi=dt.date.max)
        end = dt.date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
        return replace(point, lo=start, hi=end)
    months = [n for n in range(1, 13) if month is None or _matches(month, f"{n:02d}")]
    if years is None:  # the year is not known: the day must exist in some year (a leap year has them all)
        if not _days(2000, months, m["day"], latest=False):
            raise DateError(NO_SUCH_DAY.format(text))
        return point
    lo = next((d for y in years if (d := _days(y, months, m["day"], latest=False))), None)
    hi = next((d for y in reversed(years) if (d := _days(y, months, m["day"], latest=True))), None)
    if lo is None or hi is None:
        raise DateError(NO_SUCH_DAY.format(text))
    return replace(point, lo=lo, hi=hi)


def _in_order(text: str, start: Point | None, end: Point | None) -> None:
    if start and end and start.lo and end.hi and start.lo > end.hi:
        raise DateError(BACKWARDS.format(text))


def _read(text: str, compact: str) -> Parsed:
    """The meaning of a string the edtf package accepted; `text` as written, for messages."""
    season = re.fullmatch(r"(-?\d{4}-\d\d)\^\S", compact)
    if season:  # "2001-21^a": the qualifier is one free character (maybe "/" or ","), shown as nothing
        return _point(text, season[1])
    if compact[0] in "[{":
        items: list[Point | Run] = []
        for part in compact[1:-1].split(","):
            if ".." in part:
                a, b = part.split("..")
                run = Run(_point(text, a) if a else None, _point(text, b) if b else None)
                _in_order(text, run.start, run.end)
                items.append(run)
            else:
                items.append(_point(text, part))
        return Group(every=compact[0] == "{", items=tuple(items))
    if "/" in compact:
        a, b = compact.split("/")
        start = End(a) if a in ("", "..") else _point(text, a)
        end = End(b) if b in ("", "..") else _point(text, b)
        _in_order(text, start if isinstance(start, Point) else None, end if isinstance(end, Point) else None)
        return Interval(start, end)
    return _point(text, compact)


# The forms nearly every date takes: a day, month or year, perhaps qualified, or a span of two.
# Checked here directly: the package's grammar takes some 20 ms a date.
_SIMPLE = re.compile(r"(\d{4})(?:-(0[1-9]|1[0-2])(?:-(\d{2}))?)?[~?%]?")


def _simple(compact: str) -> bool:
    """True when every part is a plain, existing date of year 1 or later."""
    parts = compact.split("/")
    if len(parts) > 2:
        return False
    for part in parts:
        match = _SIMPLE.fullmatch(part)
        if not match or int(match[1]) < 1:
            return False
        if match[3]:
            try:
                dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return False
    return True


# "One of a set" spanning days, months or years: "[2019-05-01..2019-05-03]", a rough date's usual form
# (508 of them at 10,000 articles: ten seconds of a first build through the grammar). The grammar takes
# both ends at one precision; checked here only where both exist, as _simple's dates do.
_SPAN = re.compile(r"\[(\d{4}(?:-\d{2}){0,2})\.\.(\d{4}(?:-\d{2}){0,2})\]")


def _simple_span(compact: str) -> bool:
    match = _SPAN.fullmatch(compact)
    return match is not None and len(match[1]) == len(match[2]) and _simple(match[1]) and _simple(match[2])


# Forms beyond _simple that the package's grammar accepted: a new process need not parse them again
# (tens of milliseconds each). validate/cache.py keeps them with the files in build/cache/.
grammatical: set[str] = set()


def _valid(compact: str) -> bool:
    if _simple(compact) or _simple_span(compact) or compact in grammatical:
        return True
    import edtf  # on first use: its grammar takes a new process 50 ms to build, and most dates are _simple

    try:
        # The package prints to stdout when one of its forms fails to build.
        with contextlib.redirect_stdout(io.StringIO()):
            valid = bool(compact and edtf.parse_edtf(compact) is not None)
    except Exception:  # its parse errors, and its own bugs on some valid forms ("1984-1X")
        valid = False
    if valid:
        grammatical.add(compact)
    return valid


@lru_cache(maxsize=None)
def parse(text: str) -> Parsed:
    """Read an EDTF string; raise DateError with a reader-friendly reason."""
    compact = "".join(str(text).split())  # the grammar allows spaces between tokens: "[a, b]"
    if not _valid(compact):
        raise DateError(NOT_EDTF.format(text))
    try:
        return _read(text, compact)
    except DateError:
        raise
    except (ValueError, KeyError, IndexError, TypeError):
        # A form the package accepts that this reader misses: a clear refusal, never a traceback.
        raise DateError(UNREADABLE.format(text)) from None


# Ordering -----------------------------------------------------------------------


def span(text: str) -> tuple[dt.date | None, dt.date | None]:
    """The earliest and latest day the date can mean; None for an open or unknown side."""
    parsed = parse(text)
    return parsed.lo, parsed.hi


def bounds(text: str) -> tuple[dt.date, dt.date]:
    """The earliest and latest calendar day the date could mean; an open or unknown side
    reaches to the first or last day Python knows, so comparisons never fail."""
    lo, hi = span(text)
    return lo or dt.date.min, hi or dt.date.max


def anchor(text: str) -> dt.date | None:
    """The day the date is placed at: its earliest day, else its latest (`../1985`); None if unknown."""
    lo, hi = span(text)
    return lo or hi


def sort_key(text: str) -> tuple[dt.date, dt.date]:
    """Order by earliest possible day, then the more precise date first.

    An open start sorts by its known end; a date with no known day sorts last.
    """
    lo, hi = span(text)
    return lo or hi or dt.date.max, hi or dt.date.max


def year(text: str) -> int | None:
    """The year the date is listed under (that of its anchor); None when no year is known."""
    day = anchor(text)
    return day.year if day else None


# Labels -------------------------------------------------------------------------


def _join(words: list[str], conjunction: str) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _year(number: int) -> str:
    """'2013'; a year below 1000 as 'AD 32', which 'May 32' would not make clear."""
    return str(number) if number >= 1000 else f"AD {number}"


def _year_phrase(p: Point) -> str | None:
    """'1986', 'the 1980s', 'a year from 1900 to 1999'; None when unknown."""
    if p.year.isdigit():
        return _year(int(p.year))
    if set(p.year) == {"X"} or p.lo is None or p.hi is None:
        return None
    first, last = p.lo.year, p.hi.year
    if re.fullmatch(r"\d{3}X", p.year) and first >= 1000 and first % 100:  # not "the 1900s": a century?
        return f"the {first}s"
    years = [y for y in range(first, last + 1) if _matches(p.year, f"{y:04d}")]
    if len(years) == last - first + 1:
        return f"a year from {_year(first)} to {_year(last)}"
    if len(years) <= 10:
        return _join([_year(y) for y in years], "or")
    return f"a year from {_year(first)} to {_year(last)} (some digits unknown)"


def _candidates(pattern: str, top: int) -> list[int]:
    return [n for n in range(1, top + 1) if _matches(pattern, f"{n:02d}")]


def _core(p: Point, with_year: bool = True) -> str:
    """The date in words, without its qualifiers: '15 April 2013', '1986, month unknown'."""
    if p.season:
        return SEASONS[p.season][0].format(_year(int(p.year)))
    if p.significant is not None and p.lo and p.hi and p.lo.year != p.hi.year:
        return f"some year from {_year(p.lo.year)} to {_year(p.hi.year)}, estimated {_year(int(p.year))}"
    unknown = []  # parts written as XX
    month = day = None
    if p.month is not None:
        if p.month == "XX":
            unknown.append("month")
        else:
            month = _join([MONTHS[n - 1] for n in _candidates(p.month, 12)], "or")
    if p.day == "XX":
        unknown.append("day")
    elif p.day is not None:
        days = _candidates(p.day, 31)
        contiguous = len(days) > 4 and days[-1] - days[0] == len(days) - 1
        if month:
            day = f"a day from {days[0]} to {days[-1]}" if contiguous else _join([str(d) for d in days], "or")
        else:  # "1986-XX-15": the 15th of a month not given
            unknown.remove("month")
            day = (f"a day from the {_ordinal(days[0])} to the {_ordinal(days[-1])}" if contiguous
                   else "the " + _join([_ordinal(d) for d in days], "or")) + " of a month"
    head = " ".join(w for w in (day, month) if w)
    if not with_year:
        return head
    y = _year_phrase(p)
    if y is None:
        unknown.insert(0, "year")
        text = head
    elif not head:
        text = y
    else:  # "25 December 1986", "the 15th of a month in 1986", "May, in the 1980s"
        text = f"{head}{' in ' if month is None else ' ' if p.year.isdigit() else ', in '}{y}"
    if not text:
        return "date unknown"
    if unknown:
        text += f", {_join(unknown, 'and')} unknown"
    return f"{text}, {_time_phrase(p.time)}" if p.time else text


def _time_phrase(time: str) -> str:
    """'10:00:00Z' -> '10:00 UTC'; seconds only when given as other than :00."""
    clock, zone = time[:8], time[8:]
    shown = clock[:5] if clock.endswith(":00") else clock
    if zone == "Z":
        return f"{shown} UTC"
    return f"{shown} UTC{zone}" if zone else shown


def _point_label(p: Point, with_year: bool = True) -> str:
    core = _core(p, with_year)
    if not any(p.marks):
        return core
    if len(set(p.marks)) == 1:
        return PREFIX[p.marks[0]] + core
    names = ["year", "season" if p.season else "month", "day"]
    notes: dict[Marks, list[str]] = {}
    for name, marks in zip(names, p.marks):
        if marks:
            notes.setdefault(marks, []).append(name)
    return f"{core} ({', '.join(_join(parts, 'and') + ' ' + MARK_WORD[m] for m, parts in notes.items())})"


def _pair(a: Point, b: Point, sep: str, tight: str) -> str:
    """Two dates sharing what they have in common: '17–18 June 2013', '20 January and 20 July 2001'."""
    if a.plain and b.plain and a.precision == b.precision and a.year == b.year:
        if a == b:
            return _point_label(a)
        if a.precision == 3 and a.day is not None and a.month == b.month:
            return f"{int(a.day)}{tight}{_point_label(b)}"
        if a.precision > 1:
            return f"{_core(a, with_year=False)}{sep}{_point_label(b)}"
    return f"{_point_label(a)}{sep}{_point_label(b)}"


UNIT = {1: "year", 2: "month", 3: "day"}


def _unit(p: Point) -> str:
    return "time" if p.season else UNIT[p.precision]


def _run_label(run: Run, every: bool) -> str:
    a, b = run.start, run.end
    if a and b:
        unit = _unit(a)
        return (f"every {unit} from {_pair(a, b, ' to ', ' to ')}" if every
                else f"some {unit} between {_pair(a, b, ' and ', ' and ')}")
    if b:
        return f"every {_unit(b)} up to {_point_label(b)}" if every else f"{_point_label(b)} or earlier"
    assert a is not None  # the grammar has no run open at both ends
    return f"every {_unit(a)} from {_point_label(a)} on" if every else f"{_point_label(a)} or later"


def _group_label(group: Group) -> str:
    conjunction = "and" if group.every else "or"
    points = [i for i in group.items if isinstance(i, Point)]
    if len(points) == len(group.items) > 1 and all(p.plain for p in points):
        first = points[0]
        if len({(p.precision, p.year) for p in points}) == 1 and first.precision > 1:
            shared = _year(int(first.year))
            days = [p.day for p in points if p.day is not None]
            if first.precision == 3 and first.month and len({p.month for p in points}) == 1:  # "1 or 5 June 1986"
                return f"{_join([str(int(d)) for d in days], conjunction)} {MONTHS[int(first.month) - 1]} {shared}"
            return f"{_join([_core(p, with_year=False) for p in points], conjunction)} {shared}"  # "May or June"
    return _join([_point_label(i) if isinstance(i, Point) else _run_label(i, group.every) for i in group.items],
                 conjunction)


def _interval_label(interval: Interval) -> str:
    def known(side: Point | End) -> Point | None:
        return side if isinstance(side, Point) and side.lo else None

    start, end = known(interval.start), known(interval.end)
    if start and end:
        return _pair(start, end, " – ", "–")
    if start:
        return f"from {_point_label(start)}" if interval.end is End.OPEN else f"{_point_label(start)} – end unknown"
    if end:
        return f"until {_point_label(end)}" if interval.start is End.OPEN else f"start unknown – {_point_label(end)}"
    return "date unknown"


def label(text: str) -> str:
    """A reader's label at the date's own precision: '15 April 2013', 'May 2013', 'spring 2018'."""
    parsed = parse(text)
    if isinstance(parsed, Interval):
        return _interval_label(parsed)
    if isinstance(parsed, Group):
        return _group_label(parsed)
    return _point_label(parsed)


def on(text: str) -> str:
    """A date's label as it follows a verb: 'on 2 June 2013', 'in May 2013', 'some day between …'."""
    said = label(text)
    if said[:1].isdigit():
        return f"on {said}"
    return said if said.split(" ", 1)[0] in ("from", "some", "until", "about", "probably") else f"in {said}"
