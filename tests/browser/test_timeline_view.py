"""The timeline picture in a browser, served and from disk: named as a screen reader hears it, its
links reaching the part of the timeline they promise, nothing fetched; and how it looks on a desktop
and a phone in both schemes, kept as screenshots in test-artifacts/screenshots/.

Runs on the real archive: whatever the content, the first mark leads to a year's page, and a
mark there to a heading of that page.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browser_kit import ARTIFACTS, DESKTOP, PHONE, content, heading, open_page, url_of

pytestmark = pytest.mark.browser


def picture(page):
    return content(page).locator("figure.timeline-picture")


def test_the_picture_is_named_and_its_links_reach_their_part_of_the_timeline(page, base_url):
    open_page(page, base_url, "timeline.html")
    drawn = content(page).get_by_role("group", name=re.compile(r"^Letters and meetings over time, \d{4}"))
    expect(drawn).to_be_visible()
    expect(drawn).to_have_accessible_description(re.compile(r"^\d+ letters?\b.*The list gives"))
    first = picture(page).locator("a").first
    year = re.fullmatch(r"timeline/(\d{4})\.html(#.*)?", first.get_attribute("href")).group(1)
    first.click()
    expect(page).to_have_url(url_of(f"timeline/{year}.html"))
    expect(heading(page)).to_have_text(f"Timeline: {year}")
    # On the year's page a mark leads to its month's (or its span's) heading, scrolled into view.
    mark = picture(page).locator("a.timeline-picture__mark").first
    anchor = mark.get_attribute("href")
    assert anchor.startswith("#"), anchor
    mark.click()
    expect(page).to_have_url(re.compile(re.escape(anchor) + "$"))
    expect(page.locator(f"h2[id='{anchor[1:]}']")).to_be_in_viewport()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_picture_fits_the_page_and_is_kept_as_a_screenshot(make_page, file_url, viewport, scheme):
    page = open_page(make_page(viewport={"desktop": DESKTOP, "phone": PHONE}[viewport], color_scheme=scheme),
                     file_url, "timeline.html")
    figure = picture(page)
    expect(figure).to_be_visible()
    # A phone scrolls the picture sideways inside its figure, never the whole page.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    figure.screenshot(path=folder / f"timeline-picture-{viewport}-{scheme}.png")
