"""WCAG 2.2 AA checks axe-core does not make, on one page of every kind: target size (2.5.8)
on a desktop and a phone, reflow at 320 CSS px (1.4.10), and the contrast of text drawn in
SVG pictures (1.4.3) in the light and the dark scheme. (Focus not obscured, 2.4.11, is
checked by the keyboard walk: test_keyboard.py.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from a11y_kit import sideways_overflow, small_targets, svg_text_contrast
from browser_kit import DESKTOP, PHONE, open_page
from samples import KINDS, page_of_kind, pages

pytestmark = pytest.mark.browser

# The narrowest window WCAG 1.4.10 asks a page to fit without scrolling sideways (1280 px at 400 %).
NARROW = {"width": 320, "height": 640}
SCHEMES = {"light": "default", "dark": "slate"}


@pytest.mark.parametrize("kind", KINDS)
def test_targets_reflow_and_picture_text(make_page, served_url, real_archive, kind):
    path = page_of_kind(real_archive, kind)
    found = []
    # One page, resized: Material's layout follows the window's width as it changes.
    page = open_page(make_page(), served_url, path)
    for size in (DESKTOP, PHONE, NARROW):
        page.set_viewport_size(size)
        found += [f"{size['width']} px: {t}" for t in small_targets(page)]
    if (overflow := sideways_overflow(page)) > 0:
        found.append(f"at 320 px the page scrolls sideways by {overflow} px")
    page.set_viewport_size(DESKTOP)
    # Material keeps the scheme a page opened with: the dark one on a page of its own, where
    # the page draws any text in SVG.
    for system, scheme in SCHEMES.items():
        if system != "light":
            if not page.locator("svg text").count():
                break
            page = open_page(make_page(color_scheme=system), served_url, path)
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)
        for text in svg_text_contrast(page):
            needed = 3 if text["large"] else 4.5
            if text["ratio"] < needed:
                found.append(f"[{scheme}] SVG text {text['text']!r} has contrast {text['ratio']:.2f}:1, "
                             f"under {needed}:1 (fill {text['fill']})")
    assert not found, f"{path}:\n  " + "\n  ".join(found)


def test_the_contrast_check_sees_faint_svg_text(make_page, served_url, real_archive):
    """The contrast measure itself: grey on white fails, the page's own colour passes."""
    page = open_page(make_page(), served_url, pages(real_archive)["home"])
    page.evaluate("""() => document.querySelector("article").insertAdjacentHTML("beforeend",
      '<svg width="200" height="40"><text x="0" y="20" style="fill:#aaa">faint</text>'
      + '<text x="60" y="20" style="fill:var(--md-default-fg-color)">plain</text></svg>')""")
    ratios = {t["text"]: t["ratio"] for t in svg_text_contrast(page)}
    assert ratios["faint"] < 4.5 < ratios["plain"], ratios
