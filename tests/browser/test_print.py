"""A letter, a person and a summit on paper (assets/stylesheets/print.css): the page's own
content with its sources and footnotes and the citation unfolded; no header, search,
navigation or footer; each outside link followed by where it leads; and Chromium makes a
PDF of it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser_kit import heading, open_page
from samples import pages

pytestmark = pytest.mark.browser

PRINTED = ["letter", "person", "leader", "summit"]
# Material's chrome and ours: what only works on a screen.
SCREEN_ONLY = ["header.md-header", ".md-search", ".md-sidebar", "footer.md-footer", ".md-top", "a.md-skip",
               ".footnote-backref"]
SHOWN = "e => e.checkVisibility({opacityProperty: true, visibilityProperty: true})"


@pytest.mark.parametrize("kind", PRINTED)
def test_a_page_prints_its_content_whole(page, served_url, real_archive, kind):
    path = pages(real_archive)[kind]
    open_page(page, served_url, path)
    page.emulate_media(media="print")
    shown = [s for s in SCREEN_ONLY if page.locator(s).evaluate_all(f"els => els.some({SHOWN})")]
    assert not shown, f"{path} prints what only works on a screen: {shown}"

    expect(heading(page)).to_be_visible()
    notes = page.locator(".md-content .footnote li")
    assert notes.count(), f"{path} has no footnotes to print"
    assert notes.evaluate_all(f"els => els.every({SHOWN})"), "a footnote is not printed"
    # The citation, folded on screen, prints open: its BibTeX and CSL-JSON are on paper.
    for code in page.locator("details.cite pre").all():
        expect(code).to_be_visible()

    after = "a => getComputedStyle(a, '::after').content"
    for link in page.locator(".md-content a[href^='http']").all():
        href = link.get_attribute("href")
        assert href in link.evaluate(after), f"{path}: the printed link to {href} does not say where it leads"
    internal = page.locator(".md-content article a[href]:not([href^='http'])").first
    assert internal.evaluate(after) in ("none", "normal"), "a link within the archive prints its address"

    pdf = page.pdf()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000, f"{path}: no PDF from the printed page"


def test_outside_links_print_their_address(page, served_url, real_archive):
    """Whatever outside links the content has: one added to a letter page prints its address."""
    open_page(page, served_url, pages(real_archive)["letter"])
    page.evaluate("""() => document.querySelector("article p").insertAdjacentHTML("beforeend",
      ' <a id="outside" href="https://example.org/report">the report</a>')""")
    page.emulate_media(media="print")
    assert page.locator("#outside").evaluate("a => getComputedStyle(a, '::after').content") \
        == '" (https://example.org/report)"'

