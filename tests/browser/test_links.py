"""Every link and resource in the built site resolves: the file exists and so does the
#fragment's id. External links are listed in test-artifacts/external-links.txt, not fetched."""

from __future__ import annotations

import textwrap

from browser_kit import ARTIFACTS
from link_kit import check_site


def test_every_internal_link_resolves(site, real_archive):
    report = check_site(site)
    lines = [f"{url}\t{', '.join(sorted(pages))}" for url, pages in sorted(report.external.items())]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "external-links.txt").write_text(
        f"# {len(report.external)} external links (not fetched) on {report.pages} pages; "
        f"{report.internal} internal links checked, {report.skipped} data: URIs or bare '#' skipped\n"
        + "".join(line + "\n" for line in lines),
        encoding="utf-8",
    )
    # A page per record at least, each with links: else the checker read the wrong folder.
    assert report.pages >= len(real_archive.records) and report.internal > 10 * report.pages, \
        "the site looks too small to be the real archive"
    assert not report.broken, f"{len(report.broken)} broken links:\n  " + "\n  ".join(report.broken[:50])


def test_link_check_catches_what_a_reader_would_hit(tmp_path):
    """The checker itself: a missing page, a missing anchor, and what it must not flag."""
    (tmp_path / "people").mkdir()
    (tmp_path / "people" / "a.html").write_text('<h2 id="letters">Letters</h2>', encoding="utf-8")
    (tmp_path / "index.html").write_text(textwrap.dedent("""
        <h1 id="top">Home</h1>
        <a href="people/a.html#letters">ok</a> <a href="people/a.html">ok</a> <a href="#top">ok</a>
        <a href="people/">a folder with no index.html</a>
        <a href="people/b.html">missing page</a> <a href="people/a.html#offices">missing anchor</a>
        <a href="#">top</a> <img src="data:image/png;base64,AAAA"> <a href="https://example.org/x">out</a>
        <svg><a xlink:href="../outside.html">outside</a></svg>
        """), encoding="utf-8")
    report = check_site(tmp_path)
    assert [b.split(": ", 2)[-1] for b in report.broken] == [
        "no file people/index.html", "no file people/b.html", "no id 'offices' in people/a.html", "leaves the site",
    ]
    assert set(report.external) == {"https://example.org/x"} and report.skipped == 2
