"""The contributor's path: scaffolds that check clean once filled in, and schemas kept fresh."""

from __future__ import annotations

import json

from click.testing import CliRunner

from archive_kit import MINI, ROOT, make_project
from builder.cli.commands import cli
from builder.cli.field_reference import with_reference
from builder.cli.schema_export import schema_files
from builder.model.schema import Letter, Summit, facts_of


def invoke(project, *args):
    return CliRunner().invoke(cli, [*args, "--root", str(project)])


def test_committed_schemas_match_the_models():
    stale = [name for name, text in schema_files().items()
             if (ROOT / "schemas" / name).read_text(encoding="utf-8") != text]
    assert not stale, f"schemas/ is stale for {stale}: run 'archive schema'"


def test_contributing_field_reference_matches_the_models():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert with_reference(text) == text, "CONTRIBUTING.md's field reference is stale: run 'archive schema'"


def test_archive_schema_writes_the_field_reference(tmp_path):
    project = make_project(tmp_path)
    (project / "CONTRIBUTING.md").write_text("# How\n\n<!-- fields:start -->\nstale list\n<!-- fields:end -->\n\nMore.\n")
    result = invoke(project, "schema")
    assert result.exit_code == 0, result.output
    written = (project / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "stale list" not in written and written.endswith("<!-- fields:end -->\n\nMore.\n")
    assert "- `text_status` (required): published (full text public), excerpts (passages\n  quoted)" in written
    assert "  - `read_aloud`: When it was read out in public." in written
    # Which facts need a source, as the model marks them: the same list the check accepts under curator:.
    assert ("Facts its page shows with their sources, besides its dates: `place`, `status`,\n`attendees`, "
            "`part_of`, `topics`.") in written


def test_archive_schema_lists_every_fact_that_needs_a_source_as_the_model_marks_it(tmp_path):
    project = make_project(tmp_path)
    (project / "CONTRIBUTING.md").write_text("Cite:\n\n<!-- facts:start -->\n- sender\n<!-- facts:end -->\n\nMore.\n")
    assert invoke(project, "schema").exit_code == 0
    written = (project / "CONTRIBUTING.md").read_text(encoding="utf-8")
    listed = written.split("<!-- facts:start -->")[1].split("<!-- facts:end -->")[0]
    letter, summit = (" ".join(line.split("\n- ")[0].split()) for line in listed.split("- a ")[1:3])
    assert letter.startswith("letter's `sender`, `recipients`,") and "`text_status`, `known_from`" in letter
    assert all(f"`{fact}`" in letter for fact in facts_of(Letter))
    assert all(f"`{fact}`" in summit for fact in facts_of(Summit)) and summit.startswith("summit's `place`")
    assert written.endswith("<!-- facts:end -->\n\nMore.\n") and "- sender\n" not in written


def test_schema_describes_front_matter_not_file_fields():
    letter = json.loads(schema_files()["letter.schema.json"])
    assert "sender" in letter["required"] and "id" not in letter["properties"]
    assert letter["additionalProperties"] is False


def test_an_editor_shows_what_every_front_matter_field_means():
    """The Data page's help for a field reaches the schemas editors read, nested parts too."""
    for name, text in schema_files().items():
        schema = json.loads(text)
        parts = [("", schema), *schema.get("$defs", {}).items()]
        bare = [f"{part}.{field}".lstrip(".") for part, shown in parts
                for field, prop in shown.get("properties", {}).items() if not prop.get("description")]
        assert not bare, f"{name}: no description for {bare}"
    letter = json.loads(schema_files()["letter.schema.json"])
    assert letter["properties"]["sender"]["description"] == "Who sent it (a person's id)."


def test_new_article_proposes_known_names(tmp_path):
    project = make_project(tmp_path)
    text = tmp_path / "text.txt"
    text.write_text("Mrs Alpha said Boris Beta had answered. The June meeting was calm. Trade grew.\n")
    result = invoke(project, "new", "article", "2013-06-01-daily-calm", "--title", "Calm", "--from", str(text))
    assert result.exit_code == 0, result.output
    written = (project / "content/articles/2013-06-01-daily-calm.md").read_text()
    assert "people: [alpha, beta]" in written  # "Mrs Alpha" is an alias
    assert "summits: [2013-06-meet]" in written
    assert "topics: [trade]" in written
    assert "letters: [2013-04-alpha-to-beta, 2013-05-beta-to-alpha]" in written
    assert written.rstrip().endswith("Trade grew.")


def test_a_placeholder_in_any_choice_names_the_values_the_model_allows(tmp_path):
    letter = MINI["letters/2013-04-alpha-to-beta.md"].replace("text_status: reported", "text_status: TODO")
    project = make_project(tmp_path, {"letters/2013-04-alpha-to-beta.md": letter})
    result = invoke(project, "check")
    assert ("content/letters/2013-04-alpha-to-beta.md:9: text_status: still holds the scaffold's placeholder "
            "'TODO'. Replace it with published, excerpts or reported") in result.output


def test_scaffold_fails_check_until_filled_in_then_passes(tmp_path):
    project = make_project(tmp_path)
    assert invoke(project, "new", "person", "delta", "--title", "Dora Delta").exit_code == 0
    result = invoke(project, "check")
    assert result.exit_code == 1
    # The placeholder replaces the schema's complaint about the same line: it says what to write.
    assert result.output.splitlines()[:-1] == [
        "content/people/delta.md:11: role: still holds the scaffold's placeholder 'TODO'. "
        "Replace it with leader, official or other",
        "content/people/delta.md:21: offices.0.title: still holds the scaffold's placeholder "
        "'TODO: e.g. President of Russia'. Replace it with the office, e.g. 'President of Russia'",
        "content/people/delta.md:22: offices.0.start: still holds the scaffold's placeholder 'TODO'. "
        "Replace it with an EDTF date in quotes, e.g. \"2012-05-07\"",
    ]
    path = project / "content/people/delta.md"
    filled = (path.read_text().replace("role: TODO", "role: official")
              .replace('"TODO: e.g. President of Russia"', "Envoy").replace('start: "TODO"', 'start: "2010"'))
    path.write_text(filled)
    assert invoke(project, "check").exit_code == 0, invoke(project, "check").output


def test_placeholders_the_schema_accepts_are_errors_too(tmp_path):
    project = make_project(tmp_path)
    assert invoke(project, "new", "article", "2013-06-01-daily-calm").exit_code == 0
    output = invoke(project, "check").output
    path = "content/articles/2013-06-01-daily-calm.md"
    assert (f"{path}:11: outlet: still holds the scaffold's placeholder 'TODO-outlet-id'. Replace it with the id "
            "of an outlet in content/outlets/ (add a record there if it is new)") in output
    assert (f"{path}:40: body: still holds the scaffold's placeholder 'TODO: paste the article's text here, with a "
            "blank line between paragraphs.'. Replace it with the article's text") in output
    assert (f"{path}:25: retrieved: still holds the scaffold's placeholder 'TODO'. Replace it with the day you "
            "copied the text, e.g. \"2026-11-23\"; if it is not known, delete the line and say why in "
            "retrieved_note") in output
    assert "unknown outlet" not in output  # the placeholder message replaces the link stage's


def test_new_refuses_a_look_alike_unless_distinct(tmp_path):
    project = make_project(tmp_path, {"people/yuri-dubinin.md": "---\nname: Yuri Dubinin\nrole: official\n---\n"})
    result = invoke(project, "new", "person", "yury-dubinin", "--title", "Yury Dubinin")
    assert result.exit_code == 1
    assert result.output == (
        "content/people/yury-dubinin.md: id: looks like people/yuri-dubinin ('Yuri Dubinin'). Did you mean "
        "yuri-dubinin? Edit content/people/yuri-dubinin.md if it is the same person, or pass --distinct if it is "
        "someone else\n1 problem found.\n")
    assert not (project / "content/people/yury-dubinin.md").exists()
    result = invoke(project, "new", "person", "yury-dubinin", "--title", "Yury Dubinin", "--distinct")
    assert result.exit_code == 0, result.output
    written = (project / "content/people/yury-dubinin.md").read_text()
    assert "distinct_from: [yuri-dubinin]\n" in written
    assert "looks like" not in invoke(project, "check").output


SOURCE = """by Staff Reporter

May 25, 2013 (TD) –  Gala Gamma handed over a reply on Wednesday from Boris Beta to Anna Alpha.
Mrs Alpha read it the same day.
"""


def test_new_article_reads_header_lines_into_fields(tmp_path):
    project = make_project(tmp_path)
    text = tmp_path / "text.txt"
    text.write_text("https://daily.example/reply\nBeta Answers \"Alpha\" At Last\n" + SOURCE)
    assert invoke(project, "new", "article", "2013-05-25-daily-answer", "--from", str(text)).exit_code == 0
    written = (project / "content/articles/2013-05-25-daily-answer.md").read_text()
    assert 'title: "Beta Answers \\"Alpha\\" At Last"' in written  # quoted for YAML
    assert 'url: "https://daily.example/reply"\n' in written
    assert 'byline: "Staff Reporter"' in written
    assert "outlet: daily\n" in written  # "TD" are The Daily's initials
    assert '  date: "2013-05-25"\n  note: "Read from the dateline \'May 25, 2013 (TD)\'."' in written
    body = written.split("---\n", 2)[2]
    # Only the header lines went; the dateline stays in the text; the two paragraphs are kept apart.
    assert body == ("May 25, 2013 (TD) –  Gala Gamma handed over a reply on Wednesday from Boris Beta to "
                    "Anna Alpha.\n\nMrs Alpha read it the same day.\n")


def test_new_article_leaves_a_dateline_without_year_to_fill_in(tmp_path):
    project = make_project(tmp_path)
    text = tmp_path / "text.txt"
    text.write_text("- The Daily\nLAKESIDE, May 24 (The Daily) - Boris Beta will meet Anna Alpha in June, an aide "
                    "said on Friday, adding that the date was not yet fixed.\n")
    assert invoke(project, "new", "article", "2013-05-24-daily-meet", "--title", "Meet", "--from", str(text)).exit_code == 0
    written = (project / "content/articles/2013-05-24-daily-meet.md").read_text()
    assert "outlet: daily\n" in written and 'title: "Meet"' in written
    assert ('  date: "TODO"\n  note: "The dateline \'LAKESIDE, May 24 (The Daily)\' gives no year: write the date '
            'with the year, and say here how you know it."') in written
    assert "\n- The Daily" not in written


LABELLED = """outlet: The Daily
Beta Writes Back to Alpha at Last
By Staff Reporter
source_url: https://news.daily.example/2013/05/25/reply
Published: May 25, 2013
---
LAKESIDE - Gala Gamma handed over a reply on Wednesday from Boris Beta to Anna Alpha, an aide said.
---
Mrs Alpha read it the same day.
"""


def new_article(project, tmp_path, text, id_="2013-05-25-daily-answer"):
    source = tmp_path / "text.txt"
    source.write_text(text, encoding="utf-8")
    result = invoke(project, "new", "article", id_, "--from", str(source))
    assert result.exit_code == 0, result.output
    return (project / f"content/articles/{id_}.md").read_text(encoding="utf-8")


def test_new_article_reads_labelled_header_lines_and_drops_separators(tmp_path):
    written = new_article(make_project(tmp_path), tmp_path, LABELLED)
    assert 'title: "Beta Writes Back to Alpha at Last"\n' in written  # not the "outlet:" line
    assert "outlet: daily\n" in written
    assert 'url: "https://news.daily.example/2013/05/25/reply"\n' in written and "source_url" not in written
    assert '  date: "2013-05-25"\n  note: "Read from the line \'Published: May 25, 2013\'."\n' in written
    body = written.split("---\n", 2)[2]
    assert body == ("LAKESIDE - Gala Gamma handed over a reply on Wednesday from Boris Beta to Anna Alpha, an aide "
                    "said.\n\nMrs Alpha read it the same day.\n")


def test_new_article_finds_the_outlet_by_alias_or_web_host_and_names_one_it_lacks(tmp_path):
    outlet = "---\nname: The Daily\naliases: [Daily Courier]\nform: newspaper\nurl: https://daily.example/\n---\n"
    project = make_project(tmp_path, {"outlets/daily.md": outlet})
    by_host = LABELLED.replace("outlet: The Daily\n", "")
    assert "outlet: daily\n" in new_article(project, tmp_path, by_host, "2013-05-25-a")
    by_alias = LABELLED.replace("outlet: The Daily", "Source: Daily Courier").replace("news.daily", "elsewhere")
    assert "outlet: daily\n" in new_article(project, tmp_path, by_alias, "2013-05-25-b")
    unknown = new_article(project, tmp_path, LABELLED.replace("outlet: The Daily", "outlet: Evening Star")
                          .replace("news.daily", "elsewhere"), "2013-05-25-c")
    assert ('# The text names "Evening Star", which content/outlets/ does not have: add it with\n'
            '# archive new outlet ID --title "Evening Star", or give the id it has there.\noutlet: TODO-outlet-id\n'
            ) in unknown


def test_new_article_never_writes_an_unknown_date_and_asks_for_retrieval(tmp_path):
    project = make_project(tmp_path)
    written = new_article(project, tmp_path, LABELLED.replace("Published: May 25, 2013", "Published: unknown"))
    assert '  date: "TODO"\n' in written and "unknown" not in written.split("---\n", 2)[2]
    assert "The line 'Published: unknown' gives no date" in written
    for field in ("published_note:", 'retrieved: "TODO"', "archived_url:", "retrieved_note:"):
        assert f"\n{field}\n" in written
    dated = new_article(project, tmp_path, LABELLED.replace("Published: May 25, 2013", "Saturday 25 May 2013 10:45 GMT"),
                        "2013-05-25-dated")
    assert '  date: "2013-05-25"\n' in dated


def test_new_refuses_to_overwrite_and_unsafe_ids(tmp_path):
    project = make_project(tmp_path)
    result = invoke(project, "new", "person", "alpha")
    assert result.exit_code == 1
    assert result.output == ("content/people/alpha.md: id: a record with this id already exists. "
                             "Choose another id, or edit the existing file\n1 problem found.\n")
    assert invoke(project, "new", "person", "../escape").exit_code == 1
    assert not (project / "content/escape.md").exists()


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        assert command.help and command.help.strip(), f"'archive {name}' has no help text"
        assert f"archive {name}" in readme, f"the README does not mention 'archive {name}'"
