"""The contributor's path: scaffolds that check clean once filled in, and schemas kept fresh."""

from __future__ import annotations

import json

from click.testing import CliRunner

from archive_kit import ROOT, make_project
from builder.__main__ import cli
from builder.schema_export import schema_files


def invoke(project, *args):
    return CliRunner().invoke(cli, [*args, "--root", str(project)])


def test_committed_schemas_match_the_models():
    stale = [name for name, text in schema_files().items()
             if (ROOT / "schemas" / name).read_text(encoding="utf-8") != text]
    assert not stale, f"schemas/ is stale for {stale}: run 'archive schema'"


def test_schema_describes_front_matter_not_file_fields():
    letter = json.loads(schema_files()["letter.schema.json"])
    assert "sender" in letter["required"] and "id" not in letter["properties"]
    assert letter["additionalProperties"] is False


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


def test_scaffold_fails_check_until_filled_in_then_passes(tmp_path):
    project = make_project(tmp_path)
    assert invoke(project, "new", "person", "delta", "--title", "Dora Delta").exit_code == 0
    result = invoke(project, "check")
    assert result.exit_code == 1
    assert "content/people/delta.md:11: role: input should be 'leader', 'official' or 'other'" in result.output
    path = project / "content/people/delta.md"
    filled = (path.read_text().replace("role: TODO", "role: official")
              .replace('"TODO: e.g. President of Russia"', "Envoy").replace('start: "TODO"', 'start: "2010"'))
    path.write_text(filled)
    assert invoke(project, "check").exit_code == 0, invoke(project, "check").output


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
