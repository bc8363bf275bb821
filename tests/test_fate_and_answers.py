"""What became of a letter and how it was answered, as real reports tell it, and exports that claim no more.

A fixture archive modelled on three reports: Khrushchev's letter to President Kennedy of October 1962,
handed by the Soviet ambassador to the president's brother and returned by him the next day; Erdoğan's
apology letter of 2016, answered by Putin's phone call, a meeting and a letter; and an invitation to a meeting
already planned, refused in a form no source gives.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from archive_kit import MINI, make_project
from builder.cli.commands import cli
from builder.pipeline import Project, build
from html_kit import read
from test_exports import jing

TEI = "{http://www.tei-c.org/ns/1.0}"
COLD_WAR = "The next day Robert Kennedy returned the letter, saying the president would not accept it."
HANDED = ("On 29 October 1962 the Soviet ambassador Anatoly Dobrynin handed Robert F. Kennedy a letter from "
          "Nikita Khrushchev to President John F. Kennedy.")
CALL = "Vladimir Putin answered the letter of Recep Tayyip Erdogan with a phone call on 29 June."
MEETING = "The two leaders then met in St Petersburg on 9 August."
REFUSAL = "Erdogan declined the invitation of Vladimir Putin to the Istanbul talks, the Kremlin said."


def person(name: str, role: str = "leader") -> str:
    return f"---\nname: {name}\nrole: {role}\n---\n"


FILES = {
    "people/nikita-khrushchev.md": person("Nikita Khrushchev"),
    "people/john-f-kennedy.md": person("John F. Kennedy"),
    "people/robert-f-kennedy.md": person("Robert F. Kennedy", "official"),
    "people/anatoly-dobrynin.md": person("Anatoly Dobrynin", "official"),
    "people/recep-tayyip-erdogan.md": person("Recep Tayyip Erdogan"),
    "people/vladimir-putin.md": person("Vladimir Putin"),
    "outlets/daily.md": "---\nname: The Daily\nform: newspaper\n---\n",
    "summits/2016-08-st-petersburg.md": """
        ---
        title: Erdogan and Putin in St Petersburg
        aliases: [St Petersburg]
        form: meeting
        date: "2016-08-09"
        status: held
        attendees: [recep-tayyip-erdogan, vladimir-putin]
        ---
        """,
    "summits/2016-10-istanbul-talks.md": """
        ---
        title: The Istanbul talks
        aliases: [Istanbul talks]
        form: meeting
        status: planned
        attendees: [vladimir-putin]
        ---
        """,
    "articles/1962-11-daily-letter-returned.md": f"""
        ---
        title: A letter returned
        outlet: daily
        published: {{date: "1962-11-02", note: the dateline}}
        retrieved: "2026-12-05"
        people: [nikita-khrushchev, john-f-kennedy, robert-f-kennedy, anatoly-dobrynin]
        letters: [1962-10-khrushchev-to-kennedy]
        ---
        {HANDED} {COLD_WAR}
        """,
    "articles/2016-08-daily-apology.md": f"""
        ---
        title: An apology answered
        outlet: daily
        published: {{date: "2016-08-10", note: the dateline}}
        retrieved: "2026-12-05"
        people: [recep-tayyip-erdogan, vladimir-putin]
        letters: [2016-06-erdogan-to-putin, 2016-07-putin-to-erdogan]
        summits: [2016-08-st-petersburg, 2016-10-istanbul-talks]
        ---
        {CALL} {MEETING} {REFUSAL}
        """,
    "letters/1962-10-khrushchev-to-kennedy.md": f"""
        ---
        title: Khrushchev's private letter to Kennedy
        sender: nikita-khrushchev
        recipients: [john-f-kennedy]
        dates:
          written: {{date: "1962-10-28", curator: "public record: the letter is dated 28 October 1962"}}
          delivered:
            date: "1962-10-29"
            sources: [{{article: 1962-11-daily-letter-returned, quote: "On 29 October 1962"}}]
        carriers: [anatoly-dobrynin]
        fate:
          - event: handed
            to: robert-f-kennedy
            by: anatoly-dobrynin
            date: "1962-10-29"
            sources: [{{article: 1962-11-daily-letter-returned, quote: "{HANDED}"}}]
          - event: returned
            by: robert-f-kennedy
            date: "1962-10-30"
            note: not accepted
            sources: [{{article: 1962-11-daily-letter-returned, quote: "{COLD_WAR}"}}]
        text_status: reported
        curator: {{text_status: "public record"}}
        ---
        """,
    "letters/2016-06-erdogan-to-putin.md": f"""
        ---
        title: Erdogan's apology to Putin
        sender: recep-tayyip-erdogan
        recipients: [vladimir-putin]
        dates:
          sent: {{date: "2016-06-27", curator: "public record: the Kremlin's statement of 27 June 2016"}}
        answered_by:
          - form: call
            by: vladimir-putin
            date: "2016-06-29"
            sources: [{{article: 2016-08-daily-apology, quote: "{CALL}"}}]
          - form: meeting
            summit: 2016-08-st-petersburg
            date: "2016-08-09"
            sources: [{{article: 2016-08-daily-apology, quote: "{MEETING}"}}]
        text_status: reported
        curator: {{text_status: "public record"}}
        ---
        """,
    "letters/2016-07-putin-to-erdogan.md": f"""
        ---
        title: Putin invites Erdogan to the Istanbul talks
        sender: vladimir-putin
        recipients: [recep-tayyip-erdogan]
        dates:
          sent: {{date: "2016-07", curator: "the Kremlin's statement"}}
        summits: [{{summit: 2016-10-istanbul-talks, relation: invites}}]
        replies_to: 2016-06-erdogan-to-putin
        answered_by:
          - form: unknown
            by: recep-tayyip-erdogan
            note: declined
            sources: [{{article: 2016-08-daily-apology, quote: "{REFUSAL}"}}]
        text_status: reported
        curator: {{text_status: "the Kremlin's statement", summits: "the Kremlin's statement",
                   replies_to: "the Kremlin's statement"}}
        ---
        """,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = Project(make_project(tmp_path_factory.mktemp("fate"), FILES, base=None))
    build(project)
    return project.site


def jsonld(site, page: str) -> dict:
    html = (site / page).read_text(encoding="utf-8")
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


def rows(site, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO((site / "data" / name).read_text(encoding="utf-8"), newline="")))


def corresp(site, letter: str) -> ET.Element:
    root = ET.parse(site / "data" / "letters.cmif.xml").getroot()
    (found,) = [d for d in root.iter(f"{TEI}correspDesc") if d.get("ref", "").endswith(f"letters/{letter}.html")]
    return found


def test_the_page_says_what_became_of_the_letter_with_the_source_of_each_event(site):
    page = read(site, "letters/1962-10-khrushchev-to-kennedy.html")
    said = re.search(r"What became of it (.*?) Text ", page.text).group(1)
    assert re.fullmatch(r"Handed to Robert F\. Kennedy by Anatoly Dobrynin on 29 October 1962\s?(\d+); "
                        r"returned the next day, not accepted\s?(\d+)", said), said
    assert ("Robert F. Kennedy", "people/robert-f-kennedy.html") in page.links
    sources = page.section("Sources")
    assert HANDED in sources and COLD_WAR in sources
    brother = read(site, "people/robert-f-kennedy.html")
    assert brother.section("Letters that passed through their hands").endswith(
        "Khrushchev's private letter to Kennedy — 28 October 1962")


def test_a_letter_handed_elsewhere_and_returned_is_exported_as_never_received(site):
    data = jsonld(site, "letters/1962-10-khrushchev-to-kennedy.html")
    assert data["dateCreated"] == "1962-10-28" and "dateReceived" not in data
    desc = corresp(site, "1962-10-khrushchev-to-kennedy")
    assert [a.get("type") for a in desc.findall(f"{TEI}correspAction")] == ["sent"]
    assert desc.find(f"{TEI}note").text == (
        "Addressed to John F. Kennedy; not received: handed to Robert F. Kennedy by Anatoly Dobrynin "
        "on 29 October 1962; returned the next day, not accepted.")
    (letter,) = [r for r in rows(site, "letters.csv") if r["id"].endswith("1962-10-khrushchev-to-kennedy.html")]
    assert (letter["fate"], letter["reached_addressee"], letter["delivered"]) == ("handed returned", "false",
                                                                                   "1962-10-29")
    fate = [(r["position"], r["event"], r["to"], r["by"], r["date"], r["note"])
            for r in rows(site, "letter_fate.csv")]
    assert fate == [("1", "handed", "people/robert-f-kennedy.html", "people/anatoly-dobrynin.html", "1962-10-29", ""),
                    ("2", "returned", "", "people/robert-f-kennedy.html", "1962-10-30", "not accepted")]


def test_the_cmif_of_a_letter_not_received_validates_against_the_sigs_schema(site):
    jing(site / "data" / "letters.cmif.xml")


def test_a_delivered_letter_keeps_its_date_received(site):
    desc = corresp(site, "2016-06-erdogan-to-putin")
    assert [a.get("type") for a in desc.findall(f"{TEI}correspAction")] == ["sent", "received"]


def test_answers_of_any_form_are_listed_and_the_meeting_links_back(site):
    page = read(site, "letters/2016-06-erdogan-to-putin.html")
    said = re.search(r"Answered by (.*?) Correspondence ", page.text).group(1)
    assert re.fullmatch(r"Putin invites Erdogan to the Istanbul talks \(July 2016\); a phone call from Vladimir Putin "
                        r"on 29 June 2016\s?\d+; a meeting: Erdogan and Putin in St Petersburg on 9 August 2016\s?\d+",
                        said), said
    assert CALL in page.section("Sources")
    assert "Erdogan's apology to Putin — 27 June 2016" in read(site, "people/vladimir-putin.html").section(
        "Letters they answered otherwise")
    summit = read(site, "summits/2016-08-st-petersburg.html")
    assert summit.section("Letters it answers").startswith("Erdogan's apology to Putin")
    assert ("Erdogan's apology to Putin", "letters/2016-06-erdogan-to-putin.html") in summit.links
    answers = [(r["form"], r["by"], r["summit"], r["date"]) for r in rows(site, "letter_answers.csv")
               if r["letter"].endswith("2016-06-erdogan-to-putin.html")]
    assert answers == [("call", "people/vladimir-putin.html", "", "2016-06-29"),
                       ("meeting", "", "summits/2016-08-st-petersburg.html", "2016-08-09")]


def test_an_invitation_refused_in_a_form_no_source_gives(site):
    page = read(site, "letters/2016-07-putin-to-erdogan.html")
    assert ("Erdogan's apology to Putin", "letters/2016-06-erdogan-to-putin.html") in page.links
    assert re.search(r"Answered by An answer of unknown form from Recep Tayyip Erdogan, declined\s?\d+", page.text)
    assert "the letter invites to it" in page.section("Summits and meetings")
    summit = read(site, "summits/2016-10-istanbul-talks.html")
    assert "Putin invites Erdogan to the Istanbul talks — July 2016; the letter invites to it" in \
        summit.section("Letters around it")
    relations = [r["relation"] for r in rows(site, "letter_summits.csv")]
    assert relations == ["invites"]


def check(tmp_path, files):
    project = make_project(tmp_path, files)
    return CliRunner().invoke(cli, ["check", "--root", str(project)])


def test_an_id_listed_twice_is_refused_at_the_repeat_naming_the_first(tmp_path):
    letter = MINI["letters/2013-04-alpha-to-beta.md"].replace("carriers: [gamma]", "carriers:\n          - gamma\n          - beta\n          - gamma")
    result = check(tmp_path, {"letters/2013-04-alpha-to-beta.md": letter})
    assert result.exit_code == 1
    assert ("content/letters/2013-04-alpha-to-beta.md:10: carriers.2: 'gamma' is listed twice in carriers: "
            "first as item 1 (line 8). Remove the repeated item") in result.output


def test_a_letter_handed_to_its_addressee_is_delivered_not_a_fate(tmp_path):
    letter = MINI["letters/2013-04-alpha-to-beta.md"].replace(
        "carriers: [gamma]", "carriers: [gamma]\n        fate:\n          - {event: handed, to: beta, curator: a}")
    result = check(tmp_path, {"letters/2013-04-alpha-to-beta.md": letter})
    assert result.exit_code == 1
    assert "fate.0.to: 'beta' is an addressee of the letter, not an intermediary" in result.output


def test_an_answer_dated_after_the_article_citing_it_is_refused(tmp_path):
    apology = FILES["letters/2016-06-erdogan-to-putin.md"].replace('date: "2016-06-29"', 'date: "2016-09-29"')
    project = make_project(tmp_path, {"letters/2016-06-erdogan-to-putin.md": apology}, base=FILES)
    result = CliRunner().invoke(cli, ["check", "--root", str(project)])
    assert result.exit_code == 1
    assert ("content/letters/2016-06-erdogan-to-putin.md:11: answered_by.0.sources.0.article: article "
            "'2016-08-daily-apology', published by 2016-08-10, cannot report an answer on 29 September 2016. "
            "Check both dates") in result.output
