"""What real reports say, without invented values: the model's forms, the curator's marks,
citations that hold the fact's own words, and quotations checked against the sources."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from archive_kit import make_project
from builder.cli.commands import cli
from builder.pipeline import Project, build
from html_kit import read

# On top of the mini archive: a batch of greetings, a meeting without place or date that was
# cancelled and then reinstated, a letter read aloud and known only from its recipient, a
# government as a correspondent, an envoy who later leads, and an article with no date shown.
MODEL = {
    "people/delta.md": """
        ---
        name: Dora Delta
        role: official
        offices:
          - {title: Envoy of Deltaland, start: "2010", end: "2013-12", curator: "Deltaland's gazette"}
          - {title: President of Deltaland, start: "2014-01", role: leader, curator: "Deltaland's gazette"}
        ---
        """,
    "people/omega-government.md": """
        ---
        name: The Government of Omegaland
        form: body
        role: other
        ---
        """,
    "batches/2013-12-alpha-greetings.md": """
        ---
        title: Alpha's New Year greetings, 2013
        sender: alpha
        ---
        """,
    "letters/2013-12-alpha-to-beta.md": """
        ---
        title: Alpha's greetings to Beta
        sender: alpha
        recipients: [beta]
        batch: 2013-12-alpha-greetings
        dates:
          sent: {date: "2013-12-30?", curator: "Alphaland's press office"}
        text_status: reported
        curator: {sender: "Alphaland's press office", recipients: "Alphaland's press office", text_status: "Alphaland's press office", batch: "Alphaland's press office"}
        ---
        """,
    "letters/2013-12-alpha-to-omega.md": """
        ---
        title: Alpha's greetings to Omegaland
        sender: alpha
        recipients: [omega-government]
        batch: 2013-12-alpha-greetings
        dates:
          sent: {date: "2013-12", curator: "Alphaland's press office"}
        text_status: reported
        curator: {sender: "Alphaland's press office", recipients: "Alphaland's press office", text_status: "Alphaland's press office", batch: "Alphaland's press office"}
        ---
        """,
    "letters/2014-02-beta-to-delta.md": """
        ---
        title: Beta proposes a meeting to Delta
        sender: beta
        recipients: [delta]
        dates:
          received: {date: "2014-02-03", curator: "Deltaland's gazette"}
          read_aloud: {date: "2014-02-05", curator: "Deltaland's gazette"}
        summits:
          - {summit: 2014-talks, relation: sets-no-date}
        known_from: recipient
        fate: [{event: unopened, curator: "Deltaland's gazette"}]
        delivered_at: white-house-washington
        text_status: reported
        curator: {text_status: "Deltaland's gazette", known_from: "Deltaland's gazette", summits: "Deltaland's gazette"}
        ---
        """,
    "places/white-house-washington.md": """
        ---
        name: White House, Washington
        ---
        """,
    "summits/2014-talks.md": """
        ---
        title: Beta-Delta talks
        form: meeting
        place_note: to be arranged
        date_note: no date has been set
        status: planned
        status_as_of: "2014-03"
        history:
          - {status: proposed, as_of: "2014-02", curator: "Deltaland's gazette"}
          - {status: cancelled, as_of: "2014-02-20", curator: "Deltaland's gazette"}
        attendees: [beta, delta]
        curator: {status: "Deltaland's gazette", attendees: "Deltaland's gazette"}
        ---
        """,
    "articles/undated-gazette.md": """
        ---
        title: Delta reads Beta's letter aloud
        outlet: daily
        retrieved: "2014-03-01"
        published_note: the page shows no date
        people: [beta, delta]
        letters: [2014-02-beta-to-delta]
        ---
        White House officials said a letter from Boris Beta had reached Dora Delta. Dora Delta read the letter aloud.
        """,
}


def run_check(tmp_path, files):
    return CliRunner().invoke(cli, ["check", "--root", str(make_project(tmp_path, {**MODEL, **files}))])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = Project(make_project(tmp_path_factory.mktemp("model"), MODEL))
    build(project)
    return project.site


def test_a_place_named_in_no_sentence_is_not_cited(tmp_path):
    """'White House officials said' names the White House but not Washington: no citation."""
    result = run_check(tmp_path, {})
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "content/letters/2014-02-beta-to-delta.md:12: delivered_at: warning: delivered_at has no source and no "
        "curator's mark, so the page will say 'no source cited': the builder looked for a sentence holding every "
        "word of 'White House, Washington' in undated-gazette and found none. Cite an article's words under evidence: (a date "
        "under its sources:), or, if it comes from outside the archive's articles, say where under curator:")
    assert result.output.splitlines()[-2:] == [
        "No problems in 19 records, 1 warning.",
        "Facts on the pages: 9 cite an article, 35 are the curator's additions, 1 cite no source."]


def test_the_page_says_no_source_for_the_uncited_place(site):
    page = read(site, "letters/2014-02-beta-to-delta.html")
    assert "Handed over in White House, Washington (no source cited)" in page.text


def test_curator_additions_are_bracketed_with_where_they_come_from(site):
    page = read(site, "letters/2013-12-alpha-to-beta.html")
    assert re.search(r"Sent \[about 30 December 2013\]\d|Sent \[probably 30 December 2013\]\d", page.text)
    assert "Curator's addition, not from the archive's articles: Alphaland's press office" in page.text
    person = read(site, "people/delta.html")
    assert re.search(r"\[Envoy of Deltaland\]\d", person.text)


def test_a_batch_groups_letters_with_their_own_recipients(site):
    batch = read(site, "batches/2013-12-alpha-greetings.html")
    assert batch.h1 == "Alpha's New Year greetings, 2013"
    assert batch.link_to("letters/2013-12-alpha-to-beta.html") and batch.link_to("letters/2013-12-alpha-to-omega.html")
    letter = read(site, "letters/2013-12-alpha-to-omega.html")
    assert letter.link_to("batches/2013-12-alpha-greetings.html") == "Alpha's New Year greetings, 2013"
    assert letter.link_to("letters/2013-12-alpha-to-beta.html")  # its sibling
    assert letter.link_to("people/omega-government.html") == "The Government of Omegaland"


def test_a_letter_received_read_aloud_and_vouched_for_by_its_recipient(site):
    page = read(site, "letters/2014-02-beta-to-delta.html")
    assert re.search(r"Received \[3 February 2014\]\d", page.text)
    assert re.search(r"Read aloud \[5 February 2014\]\d", page.text)
    assert "Received but not opened" in page.text
    assert "Known only from the recipient's side" in page.text
    assert "the letter speaks of it, sets no date" in page.text


def test_a_meeting_without_place_or_date_and_a_changing_status(site):
    page = read(site, "summits/2014-talks.html")
    assert "When Not known — no date has been set" in page.text
    assert "Where Not known — to be arranged" in page.text
    assert re.search(r"Status \[Planned\]\d+, as of March 2014", page.text)
    assert re.search(r"Earlier \[Proposed\]\d+, as of February 2014; \[Cancelled\]\d+, as of 20 February 2014",
                     page.text)
    listing = read(site, "summits/years/unknown.html")  # no year: the index's last page
    assert "not known" in listing.text and listing.link_to("summits/2014-talks.html")


def test_an_undated_article_and_an_envoy_who_came_to_lead(site):
    article = read(site, "articles/undated-gazette.html")
    assert "Published Not known — the page shows no date" in article.text
    leaders = read(site, "leaders/d.html")
    assert leaders.link_to("people/delta.html") == "Dora Delta"  # a leader by her later office
    assert not (site / "people" / "names" / "d.html").exists()  # and so not among the other people


def test_a_quotation_in_prose_must_be_in_the_sources(tmp_path):
    summary = 'summary: Beta wrote that "the talks are off for good".\n'
    letter = MODEL["letters/2014-02-beta-to-delta.md"].replace("        text_status:", "        " + summary + "        text_status:", 1)
    result = run_check(tmp_path, {"letters/2014-02-beta-to-delta.md": letter})
    assert result.exit_code == 1
    assert ("content/letters/2014-02-beta-to-delta.md:13: summary: the quotation “the talks are off for good” is in "
            "none of the articles this record cites or is reported in (undated-gazette). Copy the words exactly "
            "from the article, drop the quotation marks if you are paraphrasing, or, if they come from elsewhere, "
            "list them under quoted_elsewhere: with text: and source:") in result.output.splitlines()


def test_a_quotation_from_the_sources_or_marked_as_from_elsewhere_passes(tmp_path):
    quoted = MODEL["letters/2014-02-beta-to-delta.md"].replace(
        "        text_status:",
        '        summary: Delta "read the letter aloud", and said "the talks are off for good".\n'
        '        quoted_elsewhere:\n'
        '          - {text: "the talks are off for good", source: "Deltaland television, 20 February 2014"}\n'
        "        text_status:", 1)
    result = run_check(tmp_path, {"letters/2014-02-beta-to-delta.md": quoted})
    assert result.exit_code == 0, result.output
