"""Build a tiny archive and read the HTML as a reader would."""

from __future__ import annotations

import hashlib
import re
import shutil


from archive_kit import make_project
from builder.pipeline import Project, build
from html_kit import read
from builder.outputs.search.index import NAME
from search_kit import BuiltIndex


def test_letter_page_links_every_party(mini):
    page = read(mini, "letters/2013-05-beta-to-alpha.html")
    assert page.h1 == "Beta answers Alpha"
    assert page.link_to("people/beta.html") == "Boris Beta"  # sender
    assert page.link_to("people/alpha.html") == "Anna Alpha"  # recipient
    assert page.link_to("letters/2013-04-alpha-to-beta.html") == "Alpha writes to Beta"  # what it answers
    assert page.link_to("summits/2013-06-meet.html") == "The June meeting"
    assert page.link_to("articles/2013-05-25-daily-reply.html") == "Beta replies to Alpha"
    # The inferred date says how it was inferred and quotes its source.
    assert "22 May 2013 — 'On Wednesday' in an article of Saturday 25 May 2013." in page.text
    assert "“handed over a reply on Wednesday”" in page.text
    # Offices are those held at the letter's date; an office from outside the articles is bracketed
    # as the curator's addition, with a note saying where it comes from.
    assert re.search(r"Boris Beta\d*, \[President of Betaland\]\d", page.text)
    assert "Curator's addition, not from the archive's articles: public record" in page.text


def test_answered_letter_links_its_reply(mini):
    page = read(mini, "letters/2013-04-alpha-to-beta.html")
    assert "Answered by Beta answers Alpha (22 May 2013)" in page.text
    assert page.link_to("people/gamma.html") == "Gala Gamma"  # carrier


def test_person_page_lists_correspondence_in_date_order(mini):
    page = read(mini, "people/alpha.html")
    letters = page.section("Letters")
    assert letters.index("15 April 2013 sent to Boris Beta") < letters.index("22 May 2013 received from Boris Beta")
    assert page.link_to("summits/2013-06-meet.html") == "The June meeting"
    assert "since 2010" in page.text


def test_carrier_page_lists_letter_carried(mini):
    page = read(mini, "people/gamma.html")
    assert page.link_to("letters/2013-04-alpha-to-beta.html") == "Alpha writes to Beta"
    assert "Letters carried" in [h for _, h in page.headings]


def test_summit_page_lists_attendees_and_letters(mini):
    page = read(mini, "summits/2013-06-meet.html")
    assert "17–18 June 2013" in page.text
    assert page.link_to("people/alpha.html") and page.link_to("people/beta.html")
    assert page.link_to("letters/2013-05-beta-to-alpha.html")


def test_attendees_of_a_meeting_not_held_are_those_who_were_to_attend(tmp_path):
    project = Project(make_project(tmp_path, {"summits/2013-07-call-off.md": """
        ---
        title: The July meeting
        form: meeting
        status: cancelled
        attendees: [alpha, beta]
        curator: {status: "the hosts' programme", attendees: "the hosts' programme"}
        ---
        """}))
    build(project)
    headings = [h for level, h in read(project.site, "summits/2013-07-call-off.html").headings if level == 2]
    assert "Who was to attend" in headings and "Who attended" not in headings
    assert "Who attended" in [h for _, h in read(project.site, "summits/2013-06-meet.html").headings]


def test_timeline_groups_by_year_with_dates_at_their_precision(mini):
    assert [t for t in read(mini, "timeline.html").targets() if t.startswith("timeline/")] == ["timeline/2013.html"]
    page = read(mini, "timeline/2013.html")
    assert page.h1 == "Timeline: 2013"
    assert [h for level, h in page.headings if level == 2] == ["April 2013", "May 2013", "June 2013"]
    text = page.text
    assert text.index("15 April 2013") < text.index("22 May 2013") < text.index("25 May 2013") < text.index("17–18 June 2013")


def test_names_are_escaped_not_interpreted(tmp_path):
    project = Project(make_project(tmp_path, {
        "people/gamma.md": "---\nname: \"Gala *Gamma* [aide] &lt;b&gt;x {: .x }\"\nrole: official\n---\n"}))
    build(project)
    page = read(project.site, "letters/2013-04-alpha-to-beta.html")
    assert page.link_to("people/gamma.html") == "Gala *Gamma* [aide] &lt;b&gt;x {: .x }"


def _digest(folder):
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def test_same_content_builds_same_bytes(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = Project(make_project(tmp_path / "a")), Project(make_project(tmp_path / "b"))
    build(first)
    build(second)
    assert _digest(first.site) == _digest(second.site)


def test_a_build_rewrites_only_changed_pages(tmp_path):
    project = Project(make_project(tmp_path))
    build(project)
    page = project.docs / "people/gamma.md"
    before = page.stat().st_mtime_ns
    untouched = (project.docs / "people/alpha.md").stat().st_mtime_ns

    (project.content / "people/gamma.md").write_text("---\nname: Gala Gamma-Grey\nrole: official\n---\n")
    (project.content / "topics/trade.md").unlink()
    (project.content / "letters/2013-04-alpha-to-beta.md").write_text(
        (project.content / "letters/2013-04-alpha-to-beta.md").read_text().replace("topics: [trade]\n", ""))
    build(project)

    assert "# Gala Gamma-Grey" in page.read_text()
    assert page.stat().st_mtime_ns != before
    assert (project.docs / "people/alpha.md").stat().st_mtime_ns == untouched  # unchanged pages are left alone
    assert not (project.docs / "topics/trade.md").exists()  # a deleted record's page goes


def test_preview_renders_an_edit_like_a_clean_build(tmp_path, monkeypatch):
    """The preview's dirty MkDocs build: the edited page anew, the others untouched, the search
    index patched to what a clean build makes, HTML as a clean build's; the downloads once it rests."""
    from builder.preview import serve
    from builder.preview.serve import Preview
    from builder.write.write import render_site

    monkeypatch.setattr(serve, "SETTLE", 600)  # it rests when this test says
    project = Project(make_project(tmp_path))
    preview = Preview(project, tmp_path / "preview", echo=lambda line: None)
    site = preview.site
    preview.rebuild()
    untouched = (site / "people/alpha.html").stat().st_mtime_ns
    edited = project.content / "people/gamma.md"
    edited.write_text(edited.read_text().replace("Gala Gamma", "Gala Gamma-Grey"))
    preview.saw(str(edited))
    preview.rebuild()

    assert "Gala Gamma-Grey" in (site / "people/gamma.html").read_text()
    assert (site / "people/alpha.html").stat().st_mtime_ns == untouched
    # The downloads, joined from every record, wait until nobody waits for a page.
    assert "Gala Gamma-Grey" not in (site / "data/people.csv").read_text(encoding="utf-8")
    preview.rest()
    assert "Gala Gamma-Grey" in (site / "data/people.csv").read_text(encoding="utf-8")
    render_site(project.config, preview.docs, tmp_path / "clean", "0")
    clean = tmp_path / "clean"
    assert {p.relative_to(clean): p.read_bytes() for p in clean.rglob("*.html")} == \
        {p.relative_to(site): p.read_bytes() for p in site.rglob("*.html")}

    # The search index, patched file by file, is a clean build's, byte for byte.
    fresh = Project(tmp_path / "fresh")
    shutil.copytree(project.root, fresh.root, ignore=shutil.ignore_patterns("build", "site", "preview", "clean"))
    build(fresh)
    # The downloads and the feed, made from every view the preview keeps, are a clean build's byte for byte.
    made = sorted(p.relative_to(fresh.site) for p in [*(fresh.site / "data").iterdir(), fresh.site / "feed.xml"])
    assert len(made) > 5 and {p: (site / p).read_bytes() for p in made} == {p: (fresh.site / p).read_bytes() for p in made}
    assert {p.relative_to(site): p.read_bytes() for p in (site / "search").rglob("*.js")} == \
        {p.relative_to(fresh.site): p.read_bytes() for p in (fresh.site / "search").rglob("*.js")}
    assert BuiltIndex(site).postings("grey")["people/gamma.html"] & 3 >= NAME  # the new name, as her own
