"""Exact expectations on a small fixture archive: what the real-site tests asserted of
particular letters and summits, kept here so the behaviour stays covered while the real
archive's content grows (tests/test_site.py checks it with expectations from content/).

MINI (tests/archive_kit.py) plus: a leader with two offices who writes in each, a letter
to two recipients, a summit whose sources disagree and that spans a month's end, a
cancelled meeting beside it, a letter dated to the year only and an article to the month.
"""

from __future__ import annotations

import pytest

from archive_kit import make_project
from builder.pipeline import Project, build
from html_kit import read
from html_tree import article

MORE = {
    "people/delta.md": """
        ---
        name: Dora Delta
        role: leader
        offices:
          - {title: Prime Minister of Deltaland, start: "2008", end: "2011"}
          - {title: President of Deltaland, start: "2012"}
        ---
        """,
    "letters/2010-delta-to-alpha.md": """
        ---
        title: Delta's early letter to Alpha
        sender: delta
        recipients: [alpha]
        dates:
          written: "2010"
        text_status: reported
        ---
        """,
    "letters/2013-12-delta-to-alpha-and-beta.md": """
        ---
        title: Delta writes to Alpha and Beta
        sender: delta
        recipients: [alpha, beta]
        dates:
          sent: "2013-12-30"
        text_status: reported
        ---
        """,
    "places/hillside.md": """
        ---
        name: Hillside
        ---
        """,
    "summits/2013-11-autumn.md": """
        ---
        title: The autumn summit
        place: hillside
        date:
          - date: "2013-11-30/2013-12-01"
          - date: "2013-12-02"
            note: Another source's date.
        status: held
        ---
        """,
    "summits/2013-11-side-meeting.md": """
        ---
        title: A side meeting
        form: meeting
        place: hillside
        date: "2013-11"
        status: cancelled
        part_of: 2013-11-autumn
        ---
        """,
    "articles/2013-05-monthly.md": """
        ---
        title: A monthly review
        outlet: daily
        retrieved: "2014-03-01"
        published: "2013-05"
        ---
        Anna Alpha and Boris Beta wrote to each other this spring.
        """,
}


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    project = Project(make_project(tmp_path_factory.mktemp("fixture"), MORE))
    build(project)
    return project.site


def sender_fact(site, path: str) -> str:
    """The text of a letter page's first fact: its sender, with the office held then."""
    return article(site, path).all("dl")[0].kids("dd")[0].text()


def test_each_letter_shows_the_office_held_at_its_date(fixture_site):
    early = sender_fact(fixture_site, "letters/2010-delta-to-alpha.html")
    assert "Dora Delta" in early and "Prime Minister of Deltaland" in early and "President" not in early
    later = sender_fact(fixture_site, "letters/2013-12-delta-to-alpha-and-beta.html")
    assert "Dora Delta" in later and "President of Deltaland" in later and "Prime Minister" not in later


def test_letter_to_many_lists_every_recipient_and_each_pair(fixture_site):
    page = read(fixture_site, "letters/2013-12-delta-to-alpha-and-beta.html")
    for person in ("alpha", "beta"):
        assert page.link_to(f"people/{person}.html"), person
        pair = f"correspondence/{person}-and-delta.html"
        assert page.link_to(pair), pair
        assert read(fixture_site, pair).link_to("letters/2013-12-delta-to-alpha-and-beta.html")


def test_cancelled_meeting_says_so_and_links_its_summit(fixture_site):
    page = read(fixture_site, "summits/2013-11-side-meeting.html")
    assert "Cancelled" in page.text
    assert page.link_to("summits/2013-11-autumn.html")
    assert read(fixture_site, "summits/2013-11-autumn.html").link_to("summits/2013-11-side-meeting.html")


def test_sources_that_disagree_are_shown_side_by_side(fixture_site):
    page = read(fixture_site, "summits/2013-11-autumn.html")
    assert "Sources differ" in page.text
    assert "30 November – 1 December 2013" in page.text and "2 December 2013" in page.text


def test_correspondence_page_shows_the_exchange_in_order_with_the_reply_marked(fixture_site):
    page = read(fixture_site, "correspondence/alpha-and-beta.html")
    assert page.h1 == "Anna Alpha and Boris Beta"
    text = page.text
    assert text.index("15 April 2013") < text.index("22 May 2013")
    assert "reply to Alpha writes to Beta" in text
    assert "answered by Beta answers Alpha" in text
    assert read(fixture_site, "letters/2013-05-beta-to-alpha.html").link_to("correspondence/alpha-and-beta.html")


def test_timeline_keeps_partial_dates_partial(fixture_site):
    # The timeline is a page per year (timeline.html links them).
    assert read(fixture_site, "timeline.html").link_to("timeline/2010.html") == "2010"
    page = read(fixture_site, "timeline/2010.html")
    headings = [h for _, h in page.headings]
    assert headings[:2] == ["Timeline: 2010", "2010, month not known"]
    page = read(fixture_site, "timeline/2013.html")
    headings = [h for _, h in page.headings]
    # The article dated to the month only stands under its month, and says so.
    assert "May 2013" in headings and "1 May 2013" not in page.text
    assert "May 2013 Article A monthly review" in page.section("May 2013")
    # A two-day summit over a month's end stands under its first month, its dates in full.
    assert "30 November – 1 December 2013 Summit or meeting The autumn summit" in page.section("November 2013")
    for target in page.targets():
        assert (fixture_site / target).exists(), target
