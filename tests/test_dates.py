"""Every date EDTF allows either works everywhere or gets a clear message, never a traceback."""

from __future__ import annotations

import datetime as dt
import re

import edtf
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from archive_kit import make_project
from builder.model import dates
from builder.model.errors import Problem
from builder.load.load import Source
from builder.pipeline import Project, build
from builder.model.schema import Summit
from builder.validate.validate import validate_source
from html_kit import read

# Strategies composing the EDTF grammar (Library of Congress, 2019), as `edtf` 5.0.2 reads it --------

ua = st.sampled_from("~?%")
maybe_ua = st.one_of(st.just(""), ua)
positive_year = st.integers(0, 9999).map("{:04d}".format)
year = st.one_of(positive_year, positive_year.filter(lambda y: y != "0000").map("-{}".format))
significant = st.one_of(st.just(""), st.integers(0, 5).map("S{}".format))
month = st.integers(1, 12).map("{:02d}".format)
MONTH_DAYS = {"02": 29, "04": 30, "06": 30, "09": 30, "11": 30}  # the grammar's days; 29 February every year


@st.composite
def month_day(draw) -> str:
    m = draw(month)
    return f"{m}-{draw(st.integers(1, MONTH_DAYS.get(m, 31))):02d}"


# Level 0: a calendar date of each precision (a year may carry significant digits), a date and time.
calendar_date = st.one_of(
    st.tuples(year, significant).map("".join),
    st.tuples(year, significant, month).map(lambda t: f"{t[0]}{t[1]}-{t[2]}"),
    st.tuples(year, significant, month_day()).map(lambda t: f"{t[0]}{t[1]}-{t[2]}"),
)
zone = st.one_of(
    st.just(""), st.just("Z"),
    st.tuples(st.sampled_from("+-"), st.integers(1, 13), st.sampled_from(["", ":00", ":30", ":45", ":59"]))
    .map(lambda t: f"{t[0]}{t[1]:02d}{t[2]}"),
    st.sampled_from(["+14:00", "-14:00", "+00:30", "-00:45"]),
)
clock = st.one_of(
    st.tuples(st.integers(0, 23), st.integers(0, 59), st.integers(0, 59)).map(
        lambda t: "{:02d}:{:02d}:{:02d}".format(*t)),
    st.just("24:00:00"),
)
date_and_time = st.tuples(calendar_date, clock, zone).map(lambda t: f"{t[0]}T{t[1]}{t[2]}")

# Level 1: qualified dates, seasons, unspecified digits, long years, intervals with open or unknown ends.
qualified = st.tuples(calendar_date, ua).map("".join)
season = st.tuples(year, st.integers(21, 24)).map(lambda t: f"{t[0]}-{t[1]}")
unspecified = st.tuples(
    st.one_of(
        # The last one to three digits of a year: 198X, 19XX, 1XXX (maybe negative).
        st.tuples(st.sampled_from(["", "-"]), positive_year, st.integers(1, 3)).map(
            lambda t: t[0] + t[1][: 4 - t[2]] + "X" * t[2]),
        st.tuples(year, significant).map(lambda t: f"{t[0]}{t[1]}-XX"),
        st.tuples(year, significant, month).map(lambda t: f"{t[0]}{t[1]}-{t[2]}-XX"),
        st.tuples(year, significant).map(lambda t: f"{t[0]}{t[1]}-XX-XX"),
    ),
    maybe_ua,
).map("".join)
long_year = st.tuples(st.sampled_from(["", "-"]), st.integers(10_000, 10**12), significant).map(
    lambda t: f"Y{t[0]}{t[1]}{t[2]}")
date_or_season = st.one_of(calendar_date, season)
l1_side = st.tuples(date_or_season, maybe_ua).map("".join)
# "../" and "/.." are in the grammar but the package fails on them (a TypeError): left out.
level1_interval = st.one_of(
    st.tuples(st.one_of(l1_side, st.just("..")), st.one_of(l1_side, st.just(".."))),
    st.tuples(l1_side, st.just("")), st.tuples(st.just(""), l1_side),
).map("/".join)

# Level 2: qualifiers on parts, X in any digit, seasons 21-41, exponents, sets, intervals of those.
@st.composite
def digits_with_x(draw, template: str) -> str:
    """`template` with some digits replaced by X, at least one."""
    chars = [draw(st.one_of(st.just(c), st.just("X"))) for c in template]
    if "X" not in chars:
        chars[draw(st.integers(0, len(chars) - 1))] = "X"
    return "".join(chars)


day = st.integers(1, 31).map("{:02d}".format)
year_with_x = positive_year.flatmap(digits_with_x)  # the grammar's partial forms take no sign
# The package fails on "1984-1X" (year + month with X, no day): left out, it answers with an AttributeError.
partial_unspecified = st.one_of(
    year_with_x,
    st.tuples(year_with_x, month).map("-".join),
    st.tuples(year_with_x, st.one_of(month, month.flatmap(digits_with_x)), day).map("-".join),
    st.tuples(positive_year, month.flatmap(digits_with_x), st.one_of(day, day.flatmap(digits_with_x))).map("-".join),
    st.tuples(positive_year, month, day.flatmap(digits_with_x)).map("-".join),
)


@st.composite
def partly_qualified(draw) -> str:
    """A qualifier right of a part covers it and the parts before; left of a part, that part alone."""
    y, md = draw(positive_year), draw(month_day())
    m, d = md.split("-")
    q = lambda: draw(ua)  # noqa: E731
    o = lambda: draw(maybe_ua)  # noqa: E731
    return draw(st.sampled_from([
        lambda: f"{y}-{m}{q()}-{d}",  # group: year and month
        lambda: f"{y}{q()}-{m}" + draw(st.sampled_from(["", f"-{d}"])),  # group: year
        lambda: f"{q()}{y}" + draw(st.sampled_from(["", f"-{o()}{m}", f"-{o()}{m}-{o()}{d}"])),
        lambda: f"{draw(st.sampled_from([y, q() + y, y + q()]))}-{q()}{m}" + draw(st.sampled_from(["", f"-{o()}{d}"])),
        lambda: f"{draw(st.sampled_from([y, q() + y, y + q()]))}-{o()}{m}-{q()}{d}",
    ]))()


level2_season = st.one_of(
    st.tuples(year, st.integers(21, 41)).map(lambda t: f"{t[0]}-{t[1]}"),
    # A qualified season ("2001-21^a": the grammar's qualifier is one character) takes codes 21-24 only.
    st.tuples(season, st.characters(min_codepoint=33, max_codepoint=126)).map("^".join),
)
exponential_year = st.tuples(st.sampled_from(["", "-"]), st.integers(1, 99), st.integers(1, 9), significant).map(
    lambda t: f"Y{t[0]}{t[1]}E{t[2]}{t[3]}")
internal = st.one_of(partly_qualified(), partial_unspecified)


@st.composite
def consecutive(draw) -> str:
    precision = draw(st.sampled_from([1, 2, 3]))
    part = {1: year, 2: st.tuples(year, month).map("-".join), 3: st.tuples(year, month_day()).map("-".join)}[precision]
    return f"{draw(part)}..{draw(part)}"


plain_date = st.one_of(
    year, st.tuples(year, month).map("-".join), st.tuples(year, month_day()).map("-".join))
# The package fails on a month left unspecified without a qualifier inside a set ("[1063-XX, 1064]",
# an AttributeError), though it reads "1063-XX" alone and "[1063-XX~, 1064]": left out.
list_element = st.one_of(plain_date, internal, qualified, unspecified, consecutive()).filter(
    lambda e: not re.fullmatch(r"-?\d{4}(S\d+)?-XX", e))


@st.composite
def edtf_set(draw) -> str:
    items = draw(st.lists(list_element, min_size=1, max_size=4))
    if len(items) == 1 and ".." not in items[0]:  # a single element needs a run or an open side
        items = [draw(consecutive())] if draw(st.booleans()) else items
    if len(items) == 1 and ".." not in items[0] or draw(st.booleans()):
        side = draw(st.sampled_from(["earlier", "later", "both"]))
        if side in ("earlier", "both"):
            items = [".." + draw(plain_date)] + items
        if side in ("later", "both"):
            items = items + [draw(plain_date) + ".."]
    brackets = draw(st.sampled_from(["[]", "{}"]))
    separator = draw(st.sampled_from([",", ", "]))
    return brackets[0] + separator.join(items) + brackets[1]


level2_interval = st.one_of(
    st.tuples(date_or_season, internal), st.tuples(internal, date_or_season), st.tuples(internal, internal),
).map("/".join)
level0_interval = st.tuples(plain_date, plain_date).map("/".join)

edtf_dates = st.one_of(
    calendar_date, date_and_time, level0_interval,
    qualified, season, unspecified, long_year, level1_interval,
    partly_qualified(), partial_unspecified, level2_season, exponential_year, edtf_set(), level2_interval,
)

# The messages a refusal may carry: each says what to write instead. The catch-all ("a form the archive
# cannot show") must never be needed.
REFUSALS = [dates.OUT_OF_RANGE, dates.NO_SUCH_DAY, dates.TIME_WITHOUT_DAY, dates.SIGNIFICANT_ON_MONTH, dates.BACKWARDS]


def _validated(text: str):
    """A summit dated `text`, through the same validation `archive check` runs."""
    source = Source("summits", "meet", "content/summits/meet.md",
                    {"title": "M", "place": "lakeside", "date": text, "status": "held"}, "", {("date",): 4})
    return validate_source(source)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(edtf_dates, min_size=1, max_size=5))
@example(texts=["1986-06-24/..", "1986-06-24/", "1986-XX", "1986-XX-XX", "198X", "XXXX", "2018-21",
                "[1986-06-01,1986-06-05]", "{1986-06-01,1986-06-05}", "[2001-01-20..2001-07-20]",
                "2013-05-22T10:00:00Z", "Y170000002", "-1984", "2004-?06-~11", "1950S2", "../..",
                "2013-02-29", "XXXX/2001", "2018-24", "Y1E3"])
def test_every_edtf_date_is_usable_or_refused_clearly(texts):
    accepted = []
    for text in texts:
        assert edtf.parse_edtf(text) is not None, text  # the strategy draws only valid EDTF
        result = _validated(text)
        if isinstance(result, Summit):
            accepted.append(text)
            continue
        assert result and all(isinstance(p, Problem) for p in result), text
        (problem,) = result
        assert (problem.path, problem.line, problem.field) == ("content/summits/meet.md", 4, "date")
        assert any(problem.message == refusal.format(text) for refusal in REFUSALS), problem.message
    for text in accepted:
        lo, hi = dates.bounds(text)
        assert isinstance(lo, dt.date) and isinstance(hi, dt.date) and lo <= hi, text
        first, last = dates.span(text)
        assert first is None or last is None or first <= last
        assert dates.year(text) in (None, *range(lo.year, hi.year + 1))
        assert dates.label(text).strip() and "None" not in dates.label(text), text
    assert len(sorted(accepted, key=dates.sort_key)) == len(accepted)


# What a reader sees: each form's label ----------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    # The forms the archive already used keep their labels exactly.
    ("2013-04-15", "15 April 2013"), ("2013-05", "May 2013"), ("2001", "2001"),
    ("2018-12-30~", "about 30 December 2018"), ("2013-05-22?", "probably 22 May 2013"),
    ("2013-05~", "about May 2013"), ("2013-06-17/2013-06-18", "17–18 June 2013"),
    ("2018-11-30/2018-12-01", "30 November – 1 December 2018"), ("2001/2003", "2001 – 2003"),
    ("2001-01-20/2001-07-20", "20 January – 20 July 2001"), ("2013-04/2014-05", "April 2013 – May 2014"),
    # Uncertain and approximate together; qualifiers on parts.
    ("2013-05-22%", "probably about 22 May 2013"),
    ("2004-?06-~11", "11 June 2004 (month uncertain, day approximate)"),
    ("2004-06~-11", "11 June 2004 (year and month approximate)"),
    ("?2004-06", "June 2004 (year uncertain)"),
    # Open and unknown ends.
    ("1986-06-24/..", "from 24 June 1986"), ("../1986-06-24", "until 24 June 1986"),
    ("1986-06-24/", "24 June 1986 – end unknown"), ("/1986-06-24", "start unknown – 24 June 1986"),
    ("../..", "date unknown"),
    # Unspecified digits.
    ("1986-XX", "1986, month unknown"), ("1986-XX-XX", "1986, month and day unknown"),
    ("1986-06-XX", "June 1986, day unknown"), ("198X", "the 1980s"), ("19XX", "a year from 1900 to 1999"),
    ("XXXX", "date unknown"), ("XXXX-12-25", "25 December, year unknown"), ("156X-12-25", "25 December, in the 1560s"),
    ("1986-XX-15", "the 15th of a month in 1986"), ("198X~", "about the 1980s"),
    # Seasons and other divisions of a year.
    ("2018-21", "spring 2018"), ("2018-24", "winter 2018"), ("2018-29", "spring 2018 (southern hemisphere)"),
    ("2018-33", "the first quarter of 2018"), ("2018-41", "the second half of 2018"), ("2018-22^x", "summer 2018"),
    # Sets and runs.
    ("[1986-06-01,1986-06-05]", "1 or 5 June 1986"), ("{1986-06-01,1986-06-05}", "1 and 5 June 1986"),
    ("[1986-06-01, 1986-07-05]", "1 June or 5 July 1986"),
    ("[1986-06, 1986-07, 1986-09]", "June, July or September 1986"),
    ("[2001-01-20..2001-07-20]", "some day between 20 January and 20 July 2001"),
    ("[1986-06-01..1986-06-05]", "some day between 1 and 5 June 1986"),
    ("{1667..1672}", "every year from 1667 to 1672"),
    ("[..2001-07-20]", "20 July 2001 or earlier"), ("[2001-07-20..]", "20 July 2001 or later"),
    ("[1667,1668,1670..1672]", "1667, 1668 or some year between 1670 and 1672"),
    # Times, long and exponential years, significant digits.
    ("2013-05-22T10:00:00Z", "22 May 2013, 10:00 UTC"),
    ("2013-05-22T10:00:30+03:00", "22 May 2013, 10:00:30 UTC+03:00"),
    ("2013-05-22T10:00:00", "22 May 2013, 10:00"), ("Y1E3", "1000"),
    ("1950S2", "some year from 1900 to 1999, estimated 1950"),
])
def test_label(text, expected):
    assert dates.label(text) == expected


@pytest.mark.parametrize("text, lo, hi", [
    ("1986-06-24/..", "1986-06-24", "9999-12-31"),
    ("../1985", "0001-01-01", "1985-12-31"),
    ("2018-24", "2018-12-01", "2019-02-28"),  # winter runs into the next year
    ("2018-30", "2018-12-01", "2019-02-28"),  # so does the southern summer
    ("1986-XX-15", "1986-01-15", "1986-12-15"),
    ("XXXX-02-29", "0001-01-01", "9999-12-31"),
    ("[..2001-07-20]", "0001-01-01", "2001-07-20"),
    ("1984-X1-3X", "1984-01-30", "1984-11-30"),  # January or November, the 30th or 31st: November has no 31st
])
def test_bounds(text, lo, hi):
    assert [d.isoformat() for d in dates.bounds(text)] == [lo, hi]


def test_sort_order_puts_open_starts_at_their_end_and_unknown_dates_last():
    texts = ["XXXX", "2001", "../2000-06", "2000-06-15", "2000-05/..", "2000-06", "XXXX-05"]
    assert sorted(texts, key=dates.sort_key) == [
        "2000-05/..", "2000-06", "2000-06-15", "../2000-06", "2001", "XXXX", "XXXX-05"]


@pytest.mark.parametrize("text, message", [
    ("2013-02-29", dates.NO_SUCH_DAY), ("2001-02-3X", dates.NO_SUCH_DAY),
    ("-0500", dates.OUT_OF_RANGE), ("0000", dates.OUT_OF_RANGE), ("Y170000002", dates.OUT_OF_RANGE),
    ("Y17E7", dates.OUT_OF_RANGE),
    ("2013T10:00:00", dates.TIME_WITHOUT_DAY), ("1950S2-05", dates.SIGNIFICANT_ON_MONTH),
    ("2013-06-18/2013-06-17", dates.BACKWARDS), ("[2001..1999]", dates.BACKWARDS),
    ("1984-1X", dates.NOT_EDTF),  # valid EDTF the package fails on: read as not EDTF
    ("[2019-05..2019-05-03]", dates.NOT_EDTF),  # a set's span has one precision at both ends
    ("[2019-05-03..2019-05-32]", dates.NOT_EDTF), ("[2019-02-29..2019-03-01]", dates.NO_SUCH_DAY),
])
def test_refusals_say_what_to_write(text, message):
    (problem,) = _validated(text)
    assert str(problem) == f"content/summits/meet.md:4: date: {message.format(text)}"


# One build: every kind of date field, in these forms, on the pages a reader opens ---------------

FORMS = {
    "letters/1986-a.md": ("1986-06-24/..", "from 24 June 1986"),
    "letters/1986-b.md": ("1986-XX", "1986, month unknown"),
    "letters/1986-c.md": ("[1986-06-01,1986-06-05]", "1 or 5 June 1986"),
    "letters/1980-d.md": ("198X", "the 1980s"),
    "letters/2018-e.md": ("2018-21", "spring 2018"),
    "letters/2001-f.md": ("[2001-01-20..2001-07-20]", "some day between 20 January and 20 July 2001"),
    "letters/2013-g.md": ("2013-05-22T10:00:00Z", "22 May 2013, 10:00 UTC"),
    "letters/1985-h.md": ("../1985-04-12", "until 12 April 1985"),
    "letters/x-i.md": ("XXXX", "date unknown"),
    "letters/2004-j.md": ("2004-?06-~11", "11 June 2004 (month uncertain, day approximate)"),
}


def _letter(date: str) -> str:
    return (f"---\ntitle: A letter\nsender: alpha\nrecipients: [beta]\ndates:\n  sent: \"{date}\"\n"
            "text_status: reported\n---\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    files = {path: _letter(date) for path, (date, _) in FORMS.items()}
    files["summits/2013-06-meet.md"] = ("---\ntitle: The June meeting\nplace: lakeside\ndate: \"2013-XX\"\n"
                                        "status: held\nattendees: [alpha, beta]\n---\n")
    files["articles/2013-05-25-daily-reply.md"] = None
    files["articles/2013-later.md"] = ("---\ntitle: Beta replies to Alpha\noutlet: daily\n"
                                       "published: \"2013-05-25/..\"\n---\nBoris Beta wrote.\n")
    files["letters/2013-05-beta-to-alpha.md"] = None
    files["people/beta.md"] = ("---\nname: Boris Beta\nrole: leader\noffices:\n"
                               "  - {title: President of Betaland, start: \"[..1980-06]\", end: \"2020-XX\"}\n---\n")
    project = Project(make_project(tmp_path_factory.mktemp("dates"), files))
    build(project)
    return project.site


def test_timeline_places_each_form_where_a_reader_looks(built):
    """Each year has its page; in it, what ends in the year, its months, what goes on past it."""
    pages = {year: read(built, f"timeline/{year}.html") for year in ("1980", "1985", "1986", "2001", "2004", "2013",
                                                                      "2018", "unknown")}
    headings = {year: [h for level, h in page.headings if level > 1] for year, page in pages.items()}
    assert headings == {
        "1980": ["Beginning in 1980"],  # the 1980s
        "1985": ["Ending in 1985"],  # until 12 April 1985
        "1986": ["1986, month not known", "June 1986", "Beginning in 1986"],
        "2001": ["2001, month not known"],
        "2004": ["June 2004"],
        "2013": ["2013, month not known", "April 2013", "May 2013", "Beginning in 2013"],
        "2018": ["2018, month not known"],
        "unknown": [],
    }
    assert "the 1980s Letter" in pages["1980"].section("Beginning in 1980")
    assert "until 12 April 1985 Letter" in pages["1985"].section("Ending in 1985")
    assert "1986, month unknown Letter" in pages["1986"].section("1986, month not known")
    assert "1 or 5 June 1986 Letter" in pages["1986"].section("June 1986")
    assert "from 24 June 1986 Letter" in pages["1986"].section("Beginning in 1986")
    assert "some day between 20 January and 20 July 2001 Letter" in pages["2001"].section("2001, month not known")
    assert "11 June 2004 (month uncertain, day approximate) Letter" in pages["2004"].section("June 2004")
    assert "2013, month unknown Summit or meeting" in pages["2013"].section("2013, month not known")
    assert "22 May 2013, 10:00 UTC Letter" in pages["2013"].section("May 2013")
    assert "from 25 May 2013 Article" in pages["2013"].section("Beginning in 2013")
    assert "spring 2018 Letter" in pages["2018"].section("2018, month not known")
    assert "date unknown Letter" in pages["unknown"].text
    # The home page's years link to the timeline's year pages; a year no one knows has none.
    home = (built / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'href="timeline/([^"]*)\.html"', home) == ["1980", "1985", "1986", "2001", "2004", "2013",
                                                                  "2018"]


def test_letter_pages_and_letters_index_show_each_label(built):
    year_pages = {row.split(".html")[0] for row in re.findall(r'href="years/([^"]*\.html)"',
                                                               (built / "letters" / "index.html").read_text("utf-8"))}
    rows_text = " ".join(read(built, f"letters/years/{year}.html").text for year in sorted(year_pages))
    for path, (_, label) in FORMS.items():
        page = read(built, path.replace(".md", ".html"))
        assert f"Sent {label}" in page.text, (path, label)
        assert label in rows_text, (path, label)
    # The office held at the date: one that began "June 1980 or earlier" covers 1986, not an unknown date.
    assert "President of Betaland" in read(built, "letters/1986-a.html").text
    assert "President of Betaland" not in read(built, "letters/x-i.html").text
    assert "June 1980 or earlier – 2020, month unknown" in read(built, "people/beta.html").section("Offices")
    # A letter whose year no one knows has a page of its own, listed last; each year page sorts by date.
    assert sorted(year_pages)[-1] == "unknown" and "date unknown" in read(built, "letters/years/unknown.html").text
    for year in year_pages:
        html = (built / "letters" / "years" / f"{year}.html").read_text(encoding="utf-8")
        dates_ = re.findall(r'data-date="([^"]*)"', html)
        assert dates_ == sorted(dates_), year