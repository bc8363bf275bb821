"""Partial and uncertain dates, stored as Library of Congress EDTF strings.

A source often gives only a month ("in April") or a year ("2001"); EDTF keeps
that precision instead of inventing a day. This module parses, orders and
labels such dates for readers.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import edtf
from edtf.parser.edtf_exceptions import EDTFParseException

MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]


class DateError(ValueError):
    """A date string that is not valid EDTF or names a day that does not exist."""


@lru_cache(maxsize=None)
def parse(text: str):
    """Parse an EDTF string; raise DateError with a reader-friendly reason."""
    try:
        return edtf.parse_edtf(text)
    except (EDTFParseException, ValueError, TypeError):
        raise DateError(
            f"'{text}' is not a real date in EDTF form; write YYYY, YYYY-MM or "
            "YYYY-MM-DD (a day that exists), a range as START/END, and add ~ "
            "for approximate or ? for uncertain"
        ) from None


def bounds(text: str) -> tuple[dt.date, dt.date]:
    """The earliest and latest calendar day the date could mean."""
    parsed = parse(text)
    lo, hi = parsed.lower_strict(), parsed.upper_strict()
    return dt.date(lo.tm_year, lo.tm_mon, lo.tm_mday), dt.date(hi.tm_year, hi.tm_mon, hi.tm_mday)


def sort_key(text: str) -> tuple[dt.date, dt.date]:
    """Order by earliest possible day, then the more precise date first."""
    return bounds(text)


def year(text: str) -> int:
    return bounds(text)[0].year


def _label_single(text: str) -> str:
    qualifier = ""
    if text.endswith(("~", "?", "%")):
        qualifier = {"~": "about ", "?": "probably ", "%": "about "}[text[-1]]
        text = text[:-1]
    parts = text.split("-")
    if len(parts) == 1:
        body = parts[0]
    elif len(parts) == 2:
        body = f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    else:
        body = f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return qualifier + body


def label(text: str) -> str:
    """A reader's label at the date's own precision: '15 April 2013', 'May 2013'."""
    if "/" in text:
        start, end = text.split("/", 1)
        first, last = _label_single(start), _label_single(end)
        # "17 June 2013 – 18 June 2013" reads better as "17–18 June 2013".
        s, e = start.split("-"), end.split("-")
        if len(s) == len(e) == 3 and s[:2] == e[:2]:
            return f"{int(s[2])}–{last}"
        if len(s) == len(e) and len(s) > 1 and s[0] == e[0] and not first.startswith(("about", "probably")):
            return f"{first.rsplit(' ', 1)[0]} – {last}"  # "30 November – 1 December 2018"
        return f"{first} – {last}"
    return _label_single(text)

