"""Browser fixtures: the built site served on 127.0.0.1 and as files, Debian's Chromium,
and pages whose every request, console error and page error is checked after each test.

Adding a test: ask for `page` (desktop, light scheme) or `make_page(viewport=PHONE, ...)`,
and `base_url` for a test that should pass both served and from disk.
"""

from __future__ import annotations

import functools
import http.server
import threading

import pytest
from playwright.sync_api import sync_playwright

from axe_kit import axe_table, describe
from browser_kit import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, DESKTOP, NetworkGuard


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep pytest's output for the tests
        pass


@pytest.fixture(scope="session")
def served_url(site):
    """The built site served over http on 127.0.0.1, on a port the OS picks."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def file_url(site):
    """The built site opened from disk, as a reader who downloaded it would."""
    return site.as_uri() + "/"


@pytest.fixture(params=["served", "file"])
def base_url(request):
    """Runs a test once against the served site and once against the files."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture(scope="session")
def browser():
    # A missing browser must fail the run, never skip it: CI installs Debian's chromium.
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def make_page(browser, served_url):
    """Opens guarded pages: `make_page(viewport=PHONE, color_scheme="dark")`.

    After the test, fails it if any page tried to reach beyond this machine, logged a
    console error, threw, or got an error response.
    """
    opened = []

    def make(viewport=DESKTOP, color_scheme="light", **options):
        context = browser.new_context(viewport=viewport, color_scheme=color_scheme, **options)
        guard = NetworkGuard(context, origin=served_url)
        opened.append((context, guard))
        return context.new_page()

    yield make
    problems = []
    for context, guard in opened:
        context.close()
        problems += guard.problems()
    assert not problems, "the browser saw:\n  " + "\n  ".join(problems)


@pytest.fixture
def page(make_page):
    """A desktop page in the light scheme, network-guarded."""
    return make_page()


# axe results of the whole run, kept for the closing summary and test-artifacts/axe-report.txt.
_AXE = pytest.StashKey[list]()


@pytest.fixture(scope="session")
def axe_report(pytestconfig):
    """A list each accessibility test appends (kind, path, scheme, violations) to."""
    return pytestconfig.stash.setdefault(_AXE, [])


def pytest_terminal_summary(terminalreporter, config):
    rows = config.stash.get(_AXE, None)
    if not rows:
        return
    lines = axe_table(rows)
    ARTIFACTS.mkdir(exist_ok=True)
    details = [f"{path} [{scheme}] {describe(v)}" for _, path, scheme, violations in rows for v in violations]
    (ARTIFACTS / "axe-report.txt").write_text("\n".join(lines + [""] + details) + "\n", encoding="utf-8")
    terminalreporter.write_sep("-", "axe-core violations by impact (details: test-artifacts/axe-report.txt)")
    for line in lines:
        terminalreporter.write_line(line)
