"""The letters index filtered and sorted in the page, served and from disk; the network's links.

Each step checks what the reader sees: which rows show, in which order, and the count.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser_kit import PHONE, content, follow, heading, open_page

pytestmark = pytest.mark.browser

LETTERS = "letters/index.html"


def rows(page):
    return page.locator(".letters-index tbody tr")


def shown(page) -> list[str]:
    """The titles of the letters the table shows, top to bottom."""
    return [row.locator("td").nth(3).inner_text() for row in rows(page).all() if row.is_visible()]


def count(page):
    return page.locator(".letters-filter__count")


def choose(page, label: str, option: str) -> None:
    page.get_by_label(label, exact=True).select_option(label=option)


def test_filters_narrow_the_table_and_say_how_many(page, base_url):
    open_page(page, base_url, LETTERS)
    expect(page.locator("form.letters-filter")).to_be_visible()
    expect(count(page)).to_have_text("4 of 4 letters")
    expect(count(page)).to_have_attribute("aria-live", "polite")

    choose(page, "From", "Barack Obama")
    expect(count(page)).to_have_text("1 of 4 letters")
    assert shown(page) == ["Obama's letter to Putin, April 2013"]

    choose(page, "From", "Anyone")
    choose(page, "To", "Theresa May")  # one of the eleven New Year letters' recipients
    expect(count(page)).to_have_text("1 of 4 letters")
    assert shown(page) == ["Putin's New Year letters to Trump and other leaders, December 2018"]

    choose(page, "To", "Anyone")
    choose(page, "Topic", "Syria")
    expect(count(page)).to_have_text("2 of 4 letters")
    choose(page, "Year", "2013")
    expect(count(page)).to_have_text("1 of 4 letters")
    assert shown(page) == ["Putin's reply to Obama, May 2013"]
    choose(page, "Text", "Excerpts quoted in the press")
    expect(count(page)).to_have_text("0 of 4 letters")
    assert shown(page) == []

    page.get_by_role("button", name="Show all").click()
    expect(count(page)).to_have_text("4 of 4 letters")
    expect(page.get_by_label("Topic", exact=True)).to_have_value("")
    assert len(shown(page)) == 4


def test_date_order_can_be_reversed(page, base_url):
    open_page(page, base_url, LETTERS)
    date = page.locator(".letters-index th", has_text="Date")
    oldest_first = shown(page)
    assert oldest_first[0].startswith("Putin's message to Bush") and oldest_first[-1].startswith("Putin's New Year")
    expect(date).to_have_attribute("aria-sort", "ascending")

    choose(page, "Date order", "Newest first")
    expect(date).to_have_attribute("aria-sort", "descending")
    assert shown(page) == oldest_first[::-1]

    choose(page, "From", "Vladimir Putin")  # the order holds while filtering
    expect(count(page)).to_have_text("3 of 4 letters")
    assert shown(page) == [t for t in oldest_first[::-1] if not t.startswith("Obama's")]

    choose(page, "Date order", "Oldest first")
    assert shown(page) == [t for t in oldest_first if not t.startswith("Obama's")]


def test_without_javascript_the_whole_table_shows(browser, served_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = open_page(context.new_page(), served_url, LETTERS)
        expect(heading(page)).to_have_text("Letters")
        expect(page.locator("form.letters-filter")).to_be_hidden()  # controls that would do nothing
        expect(rows(page)).to_have_count(4)
        for row in rows(page).all():
            expect(row).to_be_visible()
    finally:
        context.close()


def test_filters_fit_a_phone(make_page, base_url):
    page = open_page(make_page(viewport=PHONE, color_scheme="dark"), base_url, LETTERS)
    form = page.locator("form.letters-filter")
    expect(form).to_be_visible()
    width = page.evaluate("document.documentElement.clientWidth")
    for control in form.locator("select, button").all():
        box = control.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, control.get_attribute("id")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    choose(page, "Year", "2001")
    expect(count(page)).to_have_text("1 of 4 letters")


def test_a_name_in_the_network_opens_that_persons_page(page, base_url):
    open_page(page, base_url, "index.html")
    network = content(page).locator("figure.network")
    expect(network).to_be_visible()
    follow(page, network.get_by_role("link", name="Barack Obama: 2 letters"), "people/barack-obama.html",
           "Barack Obama")
    # Their own page draws their correspondents; the way back to Putin is a link there.
    own = content(page).locator("figure.network")
    expect(own).to_be_visible()
    follow(page, own.get_by_role("link", name="Vladimir Putin: 2 letters with Barack Obama"),
           "people/vladimir-putin.html", "Vladimir Putin")


def test_network_on_a_phone_keeps_its_labels_readable(make_page, base_url):
    """On a narrow screen the drawing scrolls sideways inside its figure, the page does not."""
    page = open_page(make_page(viewport=PHONE), base_url, "index.html")
    network = content(page).locator("figure.network")
    expect(network).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    label = network.locator("text", has_text="Vladimir Putin")
    assert label.bounding_box()["height"] >= 12  # drawn at its own size, not shrunk to the screen
    follow(page, network.get_by_role("link", name="Donald Trump: 1 letter"), "people/donald-trump.html",
           "Donald Trump")
