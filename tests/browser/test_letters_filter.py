"""The letters index, a page per year, filtered and sorted in the page, served and from disk;
the years as links that carry the filters along; the network's links.

Each step checks what the reader sees: which rows show, in which order, and the count.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browser_kit import PHONE, content, follow, heading, open_page
from builder.model import dates
from builder.link.graph import date_of
from builder.derive.derive import TEXT_STATUS
from builder.model.schema import Letter, Person
from samples import named
from site_checks import page_of

pytestmark = pytest.mark.browser

INDEX = "letters/index.html"


def rows(page):
    return page.locator(".letters-index tbody tr")


def shown(page) -> list[str]:
    """The titles of the letters the table shows, top to bottom."""
    return [row.locator("td").nth(3).inner_text() for row in rows(page).all() if row.is_visible()]


def count(page):
    return page.locator(".letters-filter__count")


def choose(page, label: str, option: str) -> None:
    page.get_by_label(label, exact=True).select_option(label=option)


def says(shown: int, total: int) -> str:
    return f"{shown} of {total} letter" + ("" if total == 1 else "s")


class Letters:
    """The letters of the content, and what each filter should leave, in the table's date order."""

    def __init__(self, archive):
        self.archive = archive
        # The year with the most letters: its page is where the filters have most to do.
        years = [dates.year(date_of(l)) for l in archive.all(Letter)]
        self.year = max((y for y in years if y is not None), key=years.count)
        self.page = f"letters/years/{self.year}.html"
        self.every = archive.all(Letter)
        self.all = [l for l in self.every if dates.year(date_of(l)) == self.year]

    def titles(self, sender=None, recipient=None, topic=None, year=None, status=None) -> list[str]:
        return [l.title for l in self.all
                if (sender is None or l.sender == sender.id) and (recipient is None or recipient.id in l.recipients)
                and (topic is None or topic in named(self.archive, l, "topics"))
                and (year is None or dates.year(date_of(l)) == year) and (status is None or l.text_status == status)]

    def person(self, id_: str) -> Person:
        return self.archive.get("person", id_)


@pytest.fixture(scope="module")
def letters(real_archive) -> Letters:
    return Letters(real_archive)


def test_filters_narrow_the_table_and_say_how_many(page, base_url, letters):
    n = len(letters.all)
    open_page(page, base_url, letters.page)
    expect(page.locator("form.letters-filter")).to_be_visible()
    expect(count(page)).to_have_text(says(n, n))
    expect(count(page)).to_have_attribute("aria-live", "polite")

    # The sender of the fewest letters; the last recipient of the last letter; the commonest topic.
    sender = min((letters.person(l.sender) for l in letters.all), key=lambda p: len(letters.titles(sender=p)))
    choose(page, "From", sender.name)
    expected = letters.titles(sender=sender)
    expect(count(page)).to_have_text(says(len(expected), n))
    assert shown(page) == expected

    choose(page, "From", "Anyone")
    recipient = letters.person(letters.all[-1].recipients[-1])
    choose(page, "To", recipient.name)
    expected = letters.titles(recipient=recipient)
    expect(count(page)).to_have_text(says(len(expected), n))
    assert shown(page) == expected

    choose(page, "To", "Anyone")
    topic = max((t for l in letters.all for t in named(letters.archive, l, "topics")),
                key=lambda t: len(letters.titles(topic=t)))
    choose(page, "Topic", topic.name)
    expected = letters.titles(topic=topic)
    expect(count(page)).to_have_text(says(len(expected), n))
    assert shown(page) == expected
    # A kind of text none of those letters has, if the archive has one: nothing shows.
    others = [s for s in TEXT_STATUS if s not in {l.text_status.value for l in letters.all if l.title in expected}
              and any(l.text_status.value == s for l in letters.all)]
    if others:
        choose(page, "Text", TEXT_STATUS[others[0]])
        expect(count(page)).to_have_text(says(0, n))
        assert shown(page) == []

    page.get_by_role("button", name="Show all").click()
    expect(count(page)).to_have_text(says(n, n))
    expect(page.get_by_label("Topic", exact=True)).to_have_value("")
    assert len(shown(page)) == n


def test_date_order_can_be_reversed(page, base_url, letters):
    n = len(letters.all)
    open_page(page, base_url, letters.page)
    date = page.locator(".letters-index th", has_text="Date")
    oldest_first = shown(page)
    assert oldest_first == [l.title for l in letters.all]
    expect(date).to_have_attribute("aria-sort", "ascending")

    choose(page, "Date order", "Newest first")
    expect(date).to_have_attribute("aria-sort", "descending")
    assert shown(page) == oldest_first[::-1]

    sender = letters.person(letters.all[0].sender)
    choose(page, "From", sender.name)  # the order holds while filtering
    expected = letters.titles(sender=sender)
    expect(count(page)).to_have_text(says(len(expected), n))
    assert shown(page) == expected[::-1]

    choose(page, "Date order", "Oldest first")
    assert shown(page) == expected


def test_without_javascript_the_whole_table_shows(browser, served_url, letters):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = open_page(context.new_page(), served_url, letters.page)
        expect(heading(page)).to_have_text(f"Letters: {letters.year}")
        expect(page.locator("form.letters-filter")).to_be_hidden()  # controls that would do nothing
        expect(rows(page)).to_have_count(len(letters.all))
        for row in rows(page).all():
            expect(row).to_be_visible()
    finally:
        context.close()


def test_filters_fit_a_phone(make_page, base_url, letters):
    page = open_page(make_page(viewport=PHONE, color_scheme="dark"), base_url, letters.page)
    form = page.locator("form.letters-filter")
    expect(form).to_be_visible()
    width = page.evaluate("document.documentElement.clientWidth")
    for control in form.locator("select, button").all():
        box = control.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, control.get_attribute("id")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    sender = letters.person(letters.all[0].sender)
    choose(page, "From", sender.name)
    expect(count(page)).to_have_text(says(len(letters.titles(sender=sender)), len(letters.all)))


def test_the_years_are_pages_and_carry_the_filters(page, base_url, letters):
    """The entry page links each year; a year's links to the others keep what was chosen."""
    open_page(page, base_url, INDEX)
    follow(page, content(page).get_by_role("link", name=str(letters.year), exact=True), letters.page,
           f"Letters: {letters.year}")
    expect(page.get_by_label("Year", exact=True)).to_have_count(0)  # the year is the page
    # A sender who also wrote in another year: choose them, go to that year, still chosen.
    other = next((l for l in letters.every if l.sender == letters.all[0].sender and l not in letters.all
                  and dates.year(date_of(l)) is not None), None)
    if other is None:
        pytest.skip("no sender wrote in two years")
    sender, year = letters.person(other.sender), dates.year(date_of(other))
    choose(page, "From", sender.name)
    choose(page, "Date order", "Newest first")
    link = page.locator(".letters-years a", has_text=str(year))
    expect(link).to_have_attribute("href", f"{year}.html?sender={sender.id}&order=descending")
    link.click()
    expect(heading(page)).to_have_text(f"Letters: {year}")
    expect(page.get_by_label("From", exact=True)).to_have_value(sender.id)
    expect(page.get_by_label("Date order", exact=True)).to_have_value("descending")
    in_year = [l.title for l in letters.every if dates.year(date_of(l)) == year]
    mine = [l.title for l in letters.every if dates.year(date_of(l)) == year and l.sender == sender.id]
    expect(count(page)).to_have_text(says(len(mine), len(in_year)))
    assert shown(page) == mine[::-1]
    page.get_by_role("button", name="Show all").click()
    expect(count(page)).to_have_text(says(len(in_year), len(in_year)))


def person_link(locator, person: Person):
    """The network's link to a person's page, from any page of the site."""
    return locator.locator(f"a[href='{person.id}.html'], a[href$='/{person.id}.html']").first


def test_a_name_in_the_network_opens_that_persons_page(page, base_url, letters):
    # The first letter's sender and recipient: each is drawn, and each drawing links the other.
    first = letters.all[0]
    sender, recipient = letters.person(first.sender), letters.person(first.recipients[0])
    open_page(page, base_url, "index.html")
    network = content(page).locator("figure.network")
    expect(network).to_be_visible()
    expect(person_link(network, sender)).to_have_attribute("aria-label", re.compile("^" + re.escape(sender.name)))
    follow(page, person_link(network, sender), page_of(sender), sender.name)
    # Their own page draws their correspondents; the way on to the recipient is a link there.
    own = content(page).locator("figure.network")
    expect(own).to_be_visible()
    follow(page, person_link(own, recipient), page_of(recipient), recipient.name)


def test_network_on_a_phone_keeps_its_labels_readable(make_page, base_url, letters):
    """On a narrow screen the drawing scrolls sideways inside its figure, the page does not."""
    page = open_page(make_page(viewport=PHONE), base_url, "index.html")
    network = content(page).locator("figure.network")
    expect(network).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    recipient = letters.person(letters.all[-1].recipients[0])
    label = network.locator("text", has_text=recipient.name).first
    assert label.bounding_box()["height"] >= 12  # drawn at its own size, not shrunk to the screen
    follow(page, person_link(network, recipient), page_of(recipient), recipient.name)
