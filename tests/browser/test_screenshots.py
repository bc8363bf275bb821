"""Screenshots of the main kinds of page at desktop and phone sizes, for people to look at:
test-artifacts/screenshots/<page>-<size>.png, and the pages with pictures (the timeline, a
place) in the dark scheme too, <page>-<size>-dark.png. Each is checked to show the styled page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser_kit import ARTIFACTS, DESKTOP, PHONE, heading, open_page
from samples import pages

pytestmark = pytest.mark.browser

# Page kinds to photograph; which record of each kind comes from the content (samples.py).
SHOTS = ["home", "letter", "leader", "summit", "article", "timeline", "place"]
# Pages with pictures, photographed in both schemes: their drawings take the scheme's colours.
PICTURES = ["timeline", "place"]
SIZES = {"desktop": {"viewport": DESKTOP}, "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True}}
SCHEMES = {"light": ("default", ""), "dark": ("slate", "-dark")}
INDIGO = "rgb(64, 81, 181)"  # Material's indigo header: its stylesheet and our palette loaded


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("size", SIZES)
def test_screenshots(make_page, served_url, real_archive, size, scheme):
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page = make_page(**SIZES[size], color_scheme=scheme)
    chosen = pages(real_archive)
    attribute, suffix = SCHEMES[scheme]
    for name in SHOTS if scheme == "light" else PICTURES:
        path = chosen[name]
        open_page(page, served_url, path)
        expect(heading(page)).to_be_in_viewport()
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", attribute)
        header = page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
        assert header == INDIGO, f"{path}: unstyled header ({header}): did Material's CSS load?"
        # The layout fits the screen: nothing wider than the viewport makes the page scroll sideways.
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {size} size"
        shot = folder / f"{name}-{size}{suffix}.png"
        page.screenshot(path=shot, full_page=True)
        assert shot.stat().st_size > 10_000, f"{shot.name} is nearly empty"
