"""The network guard itself: what every other browser test relies on to fail."""

from __future__ import annotations

import pytest

from browser_kit import NetworkGuard, open_page

pytestmark = pytest.mark.browser


def test_guard_blocks_and_records_external_requests_and_errors(browser, served_url):
    context = browser.new_context()
    guard = NetworkGuard(context, origin=served_url)
    page = open_page(context.new_page(), served_url, "index.html")
    assert guard.problems() == []

    # .invalid never resolves, so nothing could leave even if the guard failed.
    blocked = page.evaluate("fetch('https://archive.invalid/x.js').then(() => 'loaded', () => 'blocked')")
    with page.expect_console_message():
        page.evaluate("console.error('broken')")
    with page.expect_event("pageerror"):
        page.evaluate("setTimeout(() => { throw new Error('boom') })")
    page.goto(served_url + "no-such-page.html")
    context.close()

    assert blocked == "blocked"
    assert guard.external == ["https://archive.invalid/x.js"]
    assert any("broken" in e for e in guard.console_errors)
    assert any("boom" in e for e in guard.page_errors)
    assert any(r.startswith("404 ") and r.endswith("no-such-page.html") for r in guard.bad_responses)
