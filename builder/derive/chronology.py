"""The timeline picture: letters and meetings over the years, laid out for a static SVG.

This module only counts and places; templates/_timeline.svg.j2 draws. Few entries
are drawn one mark each, at their day, in lanes so none covers another; a date known
only to a month, a year or a range is a span across all it can mean, outlined, not
a point. Many entries are counted instead: a bar per month (a short archive) or per
year, and the dates no month or year holds as spans below, the same spans merged,
so the number of marks stays bounded however large the archive grows. Every mark
and bar links to its part of the timeline. Coordinates are rounded and the order
fixed, so the same content draws the same bytes.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..model import dates

Href = Callable[[int, int | None], str | None]  # (year, section or None for the year) -> link, None if none

FONT = 12  # user units; the stylesheet sets the same size
PAD = 12
BIN = 24  # the least width of a month or a year: its bar's link is a large enough target
LABEL = 36  # the least room for a label: narrower bins are labelled every second (third...) one
PLOT = 656  # the least width of the time axis: the picture fits Material's text column on a desktop
LANE = 24  # a row of marks: each mark's link is at least 24 by 24, the least target WCAG 2.2 asks for
MARK = 12  # a mark's drawn height, in the middle of its lane
BAR = 120  # the tallest bar
MARKS = 60  # up to this many entries each get a mark of their own...
LANES = 8  # ...if this many rows of marks hold them; otherwise they are counted
SPAN_LANES = 4  # rows of spans below the bars; more spans than fit are said in words
MONTHLY_YEARS = 3  # counted by month up to this many years, by year beyond
LEGEND = 28  # the legend's row at the top
AXIS = 34  # under the axis: month or year labels, and years under months
KINDS = {"letter": ("letter", "letters"), "summit": ("summit or meeting", "summits and meetings")}


@dataclass(frozen=True)
class Entry:
    """A dated letter or summit as the picture needs it."""

    kind: str  # "letter" or "summit"
    name: str  # its title, as the timeline lists it
    when: str  # the reader's date label
    lo: dt.date | None  # the earliest and latest day it can mean; None when that side is open
    hi: dt.date | None
    year: int  # where the timeline lists it: a year page...
    section: int  # ...and a section of it (derive.py `_timeline_section`)
    heading: str  # that section's heading


Bar = tuple[str, float, float, float, float]  # kind, x, y, width, height


@dataclass(frozen=True)
class Mark:
    """One link: an entry's mark, a bin's stacked bars, or a span of entries."""

    label: str  # what a tooltip and a screen reader say
    href: str | None
    span: bool  # dates that mean more than one day, or more than a bin holds: drawn outlined
    bars: tuple[Bar, ...]
    hit: tuple[float, float, float, float]  # x, y, width, height: the link's target, at least LANE square


@dataclass(frozen=True)
class Tick:
    x: float  # the middle of its month or year
    y: float
    text: str
    label: str  # the month with its year: "Jan" alone says too little to a screen reader
    href: str | None
    strong: bool  # a year under months


@dataclass(frozen=True)
class Picture:
    id: str  # prefix for the ids inside the SVG, unique on its page
    title: str
    description: str
    width: float
    height: float
    axis: float  # the axis line's y
    left: float
    right: float
    marks: tuple[Mark, ...]
    ticks: tuple[Tick, ...]
    legend: tuple[tuple[str, str, bool, float], ...]  # (kind, words, span, x)


def _round(value: float) -> float:
    return round(value, 1) + 0.0


def _count(kind: str, n: int) -> str:
    one, many = KINDS[kind]
    return f"{n} {one if n == 1 else many}"


def _counts(found: dict[str, int]) -> str:
    return ", ".join(_count(kind, found[kind]) for kind in KINDS if found.get(kind))


class _Axis:
    """Days to x, from 1 January of the first year to 31 December of the last; months or years as bins."""

    def __init__(self, first: int, last: int, monthly: bool):
        self.first, self.last, self.monthly = first, last, monthly
        self.start, self.end = dt.date(first, 1, 1), dt.date(last, 12, 31)
        self.bins = [(y, m) for y in range(first, last + 1) for m in (range(1, 13) if monthly else [0])]
        self.width = max(PLOT, BIN * len(self.bins))
        self.days = (self.end - self.start).days + 1

    def x(self, day: dt.date, end: bool = False) -> float:
        """Where a day begins, or with `end` where it ends (no day after 31 December 9999 to ask for)."""
        return PAD + self.width * ((day - self.start).days + end) / self.days

    def bin_box(self, n: int) -> tuple[float, float]:
        """Left and right of the n-th bin."""
        year, month = self.bins[n]
        first = dt.date(year, month or 1, 1)
        last = dt.date(year, month or 12, calendar.monthrange(year, month or 12)[1])
        return self.x(first), self.x(last, end=True)

    def clip(self, entry: Entry) -> tuple[dt.date, dt.date]:
        lo = max(entry.lo or self.start, self.start)
        hi = min(entry.hi or self.end, self.end)
        return lo, max(lo, hi)


def _lanes(extents: Iterable[tuple[float, float]]) -> list[int]:
    """Each extent's row, the lowest free one: marks in one row never touch."""
    ends: list[float] = []
    found = []
    for left, right in extents:
        lane = next((n for n, end in enumerate(ends) if end <= left), len(ends))
        if lane == len(ends):
            ends.append(right)
        ends[lane] = right
        found.append(lane)
    return found


def _in_rows(marks: list[tuple[float, float, str, str, str | None, bool]], top: float, limit: int | None,
           upward: bool) -> tuple[list[Mark], int]:
    """Marks in rows from `top` down, the first row nearest the axis (the lowest when `upward`):
    (left, right, kind, label, href, span) each; those past `limit` rows are left out."""
    hits = [(min(left, (left + right - LANE) / 2), max(right, (left + right + LANE) / 2)) for left, right, *_ in marks]
    order = sorted(range(len(marks)), key=lambda n: (hits[n][0], hits[n][1], n))
    lanes = dict(zip(order, _lanes(hits[n] for n in order)))
    shown, left_out = [], 0
    rows = min(max(lanes.values(), default=0) + 1, limit or len(marks))
    for n, (left, right, kind, label, href, span) in enumerate(marks):
        if lanes[n] >= rows:
            left_out += 1
            continue
        y = top + (rows - 1 - lanes[n] if upward else lanes[n]) * LANE
        bar = (kind, _round(left), _round(y + (LANE - MARK) / 2), _round(right - left), float(MARK))
        shown.append(Mark(label, href, span, (bar,),
                          (_round(hits[n][0]), _round(y), _round(hits[n][1] - hits[n][0]), LANE)))
    return shown, left_out


def _nowhere(year: int, section: int | None) -> None:
    return None


def _ticks(axis: _Axis, href: Href, y: float) -> list[Tick]:
    """Each month's or year's label; links where no bar links the same place already."""
    ticks = []
    every = math.ceil(LABEL * len(axis.bins) / axis.width)
    for n, (year, month) in enumerate(axis.bins):
        left, right = axis.bin_box(n)
        if month:
            if month == 1:
                ticks.append(Tick(_round((left + right) / 2), _round(y + FONT + 4), str(year), str(year),
                                  href(year, None), True))
            if (month - 1) % every:
                continue
            ticks.append(Tick(_round((left + right) / 2), y, dates.MONTHS[month - 1][:3],
                              f"{dates.MONTHS[month - 1]} {year}", href(year, month), False))
        elif (year - axis.first) % every == 0:
            ticks.append(Tick(_round((left + right) / 2), y, str(year), str(year), href(year, None), False))
    return ticks


def draw(entries: list[Entry], href: Href, id_: str = "timeline", title: str = "Letters and meetings over time",
         own_year: int | None = None) -> Picture | None:
    """The picture of `entries` (in timeline order); None when there is nothing to draw.

    `href(year, section)` links a part of the timeline (None: the year's page); with
    `own_year` the picture is of that year's page and its axis that year alone.
    """
    if not entries:
        return None
    years = [e.year for e in entries]
    first, last = (own_year, own_year) if own_year is not None else (min(years), max(years))
    axis = _Axis(first, last, last - first < MONTHLY_YEARS)
    kinds = [kind for kind in KINDS if any(e.kind == kind for e in entries)]
    top = PAD + LEGEND
    marks: list[Mark] = []
    if len(entries) <= MARKS:
        rows = [(axis.x(lo), axis.x(hi, end=True), e) for e in entries for lo, hi in [axis.clip(e)]]
        each = [(left, max(right, left + MARK), e.kind, f"{KINDS[e.kind][0].capitalize()}: {e.name}, {e.when}",
                 href(e.year, e.section), e.lo != e.hi) for left, right, e in rows]
        marks, _ = _in_rows(each, top, None, upward=True)
    if marks and max(m.hit[1] for m in marks) < top + LANES * LANE:
        left_out, linked = 0, True
        axis_y = max(m.hit[1] + m.hit[3] for m in marks) + 4
        how = "Each letter and meeting is a mark at its date; a date known only to a month, a year or a range " \
              "is an outlined span across all it can mean."
    else:
        marks, left_out, axis_y = _counted(entries, axis, href, top)
        linked = False
        how = (f"A bar for each {'month' if axis.monthly else 'year'}: how many letters and meetings it holds. "
               f"Dates no single {'month' if axis.monthly else 'year'} holds are outlined spans below the axis.")
    ticks = _ticks(axis, href if linked else _nowhere, _round(axis_y + FONT + 4))
    bottom = max([axis_y + AXIS + (FONT + 4 if axis.monthly else 0), *(m.hit[1] + m.hit[3] for m in marks)])
    found: dict[str, int] = defaultdict(int)
    for e in entries:
        found[e.kind] += 1
    span = f"{first}" if first == last else f"{first}–{last}"
    description = f"{_counts(found).capitalize()}, {span}. {how}" + (
        f" {left_out} more spans are not drawn; the list gives them all." if left_out else " The list gives each.")
    legend, x = [], float(PAD)
    for kind in kinds:
        legend.append((kind, KINDS[kind][1].capitalize(), False, _round(x)))
        x += 24 + len(KINDS[kind][1]) * FONT * 0.6 + 16
    if any(m.span for m in marks):
        legend.append((kinds[0], "a date known only roughly", True, _round(x)))
    return Picture(id=id_, title=f"{title}, {span}", description=description,
                   width=_round(axis.width + 2 * PAD), height=_round(bottom + PAD), axis=_round(axis_y),
                   left=PAD, right=_round(PAD + axis.width), marks=tuple(marks), ticks=tuple(ticks),
                   legend=tuple(legend))


def _counted(entries: list[Entry], axis: _Axis, href: Href, top: float) -> tuple[list[Mark], int, float]:
    """Bars per bin of the entries one bin holds; the rest as spans, merged by section and bins reached."""
    index = {b: n for n, b in enumerate(axis.bins)}
    binned: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    spans: dict[tuple[int, int, int, int, str, str], int] = defaultdict(int)  # bins reached, section, kind
    for e in entries:
        lo, hi = axis.clip(e)
        a, b = index[(lo.year, lo.month if axis.monthly else 0)], index[(hi.year, hi.month if axis.monthly else 0)]
        if a == b and e.lo is not None and e.hi is not None:
            binned[a][e.kind] += 1
        else:
            spans[(a, b, e.year, e.section, e.heading, e.kind)] += 1
    tallest = max([sum(found.values()) for found in binned.values()] or [1])
    axis_y = top + BAR
    marks = []
    for n, found in sorted(binned.items()):
        year, month = axis.bins[n]
        left, right = axis.bin_box(n)
        label = f"{dates.MONTHS[month - 1] + ' ' if month else ''}{year}: {_counts(found)}"
        bars, y = [], axis_y
        for kind in KINDS:  # stacked: letters at the foot, meetings above
            if found.get(kind):
                height = max(2.0, BAR * found[kind] / tallest)
                y -= height
                bars.append((kind, _round(left + 4), _round(y), _round(right - left - 8), _round(height)))
        marks.append(Mark(label, href(year, month or None), False, tuple(bars),
                          (_round(left), _round(top), _round(right - left), _round(axis_y - top))))
    rows = []
    for (a, b, year, section, heading, kind), count in sorted(spans.items()):
        left, right = axis.bin_box(a)[0], axis.bin_box(b)[1]
        rows.append((left + 2, right - 2, kind, f"{heading}: {_count(kind, count)}", href(year, section), True))
    shown, left_out = _in_rows(rows, axis_y + AXIS + (FONT + 4 if axis.monthly else 0), SPAN_LANES, upward=False)
    return marks + shown, left_out, axis_y

