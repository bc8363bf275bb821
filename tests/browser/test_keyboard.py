"""A reader with a keyboard only, on one page of every kind: Tab from the top and Shift+Tab
from the bottom reach every link and control of the page in document order, each showing
where the focus is and none under the sticky header (WCAG 2.4.3, 2.4.7, 2.4.11, 2.1.2);
the skip link comes first and lands on the content; the search and the letters filter work
without a mouse."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from a11y_kit import focus_on, focused, positive_tabindex, tab_walk, unreached
from browser_kit import heading, open_page, url_of
from samples import page_of_kind, pages, walk
from site_checks import page_of

pytestmark = pytest.mark.browser


@pytest.fixture
def page(make_page):
    """A reader who asks for less motion: what the focus lands on is measured where it ends up,
    not halfway through Material's fades and slides (the site then has none)."""
    return make_page(reduced_motion="reduce")

# A leader's page is a person's page with a network, which the home page has too.
KINDS = ["home", "letters index", "letter", "leaders", "people index", "person", "summits index",
         "summit", "topics index", "topic", "articles index", "article", "outlets index", "outlet", "timeline",
         "correspondence index", "correspondence", "places index", "place", "data", "batch", "letters year"]


def problems(stops) -> list[str]:
    out = []
    for stop in stops:
        if not stop.indicator:
            out.append(f"no visible focus indicator on {stop.what}")
        if stop.cover and not stop.header:
            out.append(f"{stop.what} is under {stop.cover} when focused")
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_every_page_kind_by_keyboard(page, served_url, real_archive, kind):
    path = page_of_kind(real_archive, kind)
    open_page(page, served_url, path)
    assert positive_tabindex(page) == [], "a positive tabindex takes its element out of document order"

    forward = tab_walk(page)
    assert forward and forward[0].what.startswith("a.md-skip"), f"the first stop is not the skip link: {forward[:1]}"
    assert not out_of_order(forward, "after"), "Tab leaves document order: " + "; ".join(out_of_order(forward, "after"))
    assert unreached(page) == [], f"{path}: Tab never reaches these"
    # Back from the last stop: Shift+Tab brings each element in at the top, where the header is.
    focus_on(page, forward[-1])
    backward = tab_walk(page, "Shift+Tab")
    assert not out_of_order(backward, "before"), "Shift+Tab leaves document order: " + "; ".join(
        out_of_order(backward, "before"))
    found = problems(forward) + problems(backward)
    assert not found, f"{path}:\n  " + "\n  ".join(dict.fromkeys(found))


def out_of_order(stops, way: str) -> list[str]:
    return [f"{a.what} → {b.what}" for a, b in zip(stops, stops[1:]) if b.position != way]


def test_the_skip_link_lands_on_the_content(page, served_url, real_archive):
    """Enter on the skip link puts the content's heading just under the header, and the next
    Tab goes on from there, past the navigation."""
    path = pages(real_archive)["letter"]
    open_page(page, served_url, path)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # the jump must bring the content back
    page.keyboard.press("Tab")
    skip = page.locator("a.md-skip")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    target = page.locator(skip.get_attribute("href"))
    expect(page).to_have_url(re.compile(re.escape(skip.get_attribute("href")) + "$"))
    header = page.locator("header.md-header").bounding_box()
    box = target.bounding_box()
    assert header and box and box["y"] >= header["y"] + header["height"] - 1, \
        f"the content's heading is under the sticky header after the skip link ({box} vs {header})"
    page.keyboard.press("Tab")
    stop = focused(page)
    assert stop and page.evaluate("() => !!document.activeElement.closest('article')"), \
        f"after the skip link Tab goes to {stop and stop.what}, not into the content"


def test_a_footnote_followed_by_keyboard_shows_below_the_header(page, served_url, real_archive):
    """Enter on a footnote number jumps to the source; the source is not hidden under the header."""
    open_page(page, served_url, pages(real_archive)["letter"])
    ref = page.locator("a.footnote-ref").first
    ref.focus()
    page.keyboard.press("Enter")
    note = page.locator(ref.get_attribute("href").replace(":", "\\:"))
    expect(note).to_be_in_viewport()
    header = page.locator("header.md-header").bounding_box()
    box = note.bounding_box()
    assert header and box and box["y"] >= header["y"] + header["height"] - 1, "the source is under the header"
    back = note.locator("a.footnote-backref")
    back.focus()
    page.keyboard.press("Enter")
    expect(ref).to_be_in_viewport()
    header = page.locator("header.md-header").bounding_box()
    box = ref.bounding_box()
    assert header and box and box["y"] >= header["y"] + header["height"] - 1, "the footnote mark is under the header"


def test_search_by_tab_type_arrows_and_escape(page, served_url, real_archive):
    """Tab reaches the search box and opens it; typing shows results; ArrowDown and Enter open
    one. Escape closes the box and gives the focus back where the reader was."""
    carrier = real_archive.get("person", walk(real_archive).letter.carriers[0])
    query, path, h1 = carrier.name, page_of(carrier), carrier.name
    open_page(page, served_url, "timeline.html")
    box = page.locator("[data-archive-search-input]")
    toggle = page.locator("#__search")
    for _ in range(10):
        page.keyboard.press("Tab")
        if box.evaluate("b => b === document.activeElement"):
            break
    expect(box).to_be_focused()
    expect(toggle).to_be_checked()
    page.keyboard.type(query)
    first = page.locator(".md-search-result__item a").first
    expect(first).to_have_attribute("href", re.compile(re.escape(path) + r"\?h="))
    page.keyboard.press("Escape")
    expect(toggle).not_to_be_checked()
    expect(box, "Escape left the focus nowhere").to_be_focused()
    page.keyboard.press("Tab")  # on past the closed box, into the page
    expect(toggle).not_to_be_checked()

    # From a link in the content, "/" opens the search; Escape returns to that link.
    link = page.locator("article a[href]").first
    link.focus()
    page.keyboard.press("/")
    expect(box).to_be_focused()
    expect(toggle).to_be_checked()
    page.keyboard.press("Escape")
    expect(toggle).not_to_be_checked()
    expect(link, "Escape did not give the focus back").to_be_focused()

    # Typing again in the box after Escape opens it again; arrows and Enter choose a result.
    box.focus()
    page.keyboard.press("Escape")
    page.keyboard.press("End")
    page.keyboard.type(" ")
    expect(toggle).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(url_of(path))
    expect(heading(page)).to_contain_text(h1)


def test_letters_filter_by_keyboard(page, served_url, real_archive):
    """The letters of a year filtered and sorted with Tab, arrows and Enter only."""
    path = pages(real_archive)["letters year"]
    open_page(page, served_url, path)
    count = page.locator(".letters-filter__count")
    total = count.inner_text()
    recipient = page.get_by_label("To", exact=True)
    for _ in range(60):
        page.keyboard.press("Tab")
        if recipient.evaluate("s => s === document.activeElement"):
            break
    expect(recipient).to_be_focused()
    page.keyboard.press("ArrowDown")  # a closed <select> takes the next option from the arrow key
    chosen = recipient.input_value()
    assert chosen, "ArrowDown chose no recipient"
    rows = page.locator(f".letters-index tbody tr[data-recipients~='{chosen}']").count()
    expect(count).to_have_text(re.compile(rf"^{rows} of "))
    reset = page.get_by_role("button", name="Show all")
    for _ in range(10):
        page.keyboard.press("Tab")
        if reset.evaluate("r => r === document.activeElement"):
            break
    page.keyboard.press("Enter")
    expect(count).to_have_text(total)
    expect(recipient).to_have_value("")
