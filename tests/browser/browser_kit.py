"""Helpers for the browser tests: launch Debian's Chromium, guard the network, read pages.

The tests read the built site as a reader does: open a page, click, look at the heading.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import BrowserContext, Locator, Page, expect

from archive_kit import ROOT

# Debian's Chromium: Playwright's own browser download cannot run here or in CI.
CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium phones home at every start.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
ARTIFACTS = ROOT / "test-artifacts"

# Search loads its index files as a query needs them, and a page opened from a result marks
# its words once the manifest is in: give waits some room on a busy machine.
expect.set_options(timeout=10_000)


class NetworkGuard:
    """Aborts and records every request that would leave the machine; records console
    errors, uncaught page errors and failed local responses, for one browser context."""

    # URLs that never touch the network.
    LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")

    def __init__(self, context: BrowserContext, origin: str):
        self.origin = origin  # http://127.0.0.1:<port>/
        self.external: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.bad_responses: list[str] = []
        context.route("**/*", self._route)
        # The request event also sees what a route might not (e.g. worker requests).
        context.on("request", lambda request: self._check(request.url))
        context.on("console", self._console)
        context.on("weberror", lambda error: self.page_errors.append(str(error.error)))
        context.on("response", self._response)

    def allowed(self, url: str) -> bool:
        return url.startswith(self.LOCAL_SCHEMES) or url.startswith(self.origin)

    def _check(self, url: str) -> bool:
        if self.allowed(url):
            return True
        if url not in self.external:
            self.external.append(url)
        return False

    def _route(self, route):
        if self._check(route.request.url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    def _console(self, message):
        if message.type == "error":
            where = message.location.get("url", "")
            self.console_errors.append(f"{message.text} ({where})")

    def _response(self, response):
        if response.status >= 400:
            self.bad_responses.append(f"{response.status} {response.url}")

    def problems(self) -> list[str]:
        return (
            [f"external request: {url}" for url in self.external]
            + [f"console error: {text}" for text in self.console_errors]
            + [f"page error: {text}" for text in self.page_errors]
            + [f"failed response: {text}" for text in self.bad_responses]
        )


def open_page(page: Page, base: str, path: str) -> Page:
    """Open `path` (relative to the site root, e.g. "letters/index.html") under `base`."""
    page.goto(base + path)
    return page


def heading(page: Page) -> Locator:
    """The page's h1, inside Material's content area."""
    return page.locator(".md-content h1").first


def content(page: Page) -> Locator:
    """The page's own text, without Material's header, navigation and footer."""
    return page.locator(".md-content article")


def url_of(path: str) -> re.Pattern:
    """Matches the address of a site page, under any base, with any query or fragment."""
    return re.compile(r"/" + re.escape(path) + r"([?#].*)?$")


def follow(page: Page, link: Locator, path: str, h1: str) -> None:
    """Click `link` and check the reader lands on `path` with `h1` in its heading."""
    link.click()
    expect(page).to_have_url(url_of(path))
    expect(heading(page)).to_contain_text(h1)


def section(page: Page, title: str) -> Locator:
    """The list or table right after the h2 `title`, where record pages list related records."""
    return page.locator(f".md-content h2:text-is({title!r}) + *")


def fact(page: Page, label: str) -> Locator:
    """The value(s) of a fact list entry (letters, summits, articles): <dt>label</dt><dd>..."""
    return page.locator(f".md-content dt:text-is({label!r}) ~ dd").first


def search(page: Page, query: str) -> Locator:
    """Type `query` into the search box as a reader would; the result list's items."""
    opener = page.locator("label.md-header__button[for=__search]")
    if opener.is_visible():  # on a phone the box hides behind the header's magnifier button
        opener.click()
    box = page.locator("[data-archive-search-input]")
    expect(box).to_be_in_viewport()
    box.click()
    box.press_sequentially(query)
    return page.locator(".md-search-result__item")
