"""What a pull request's check shows: the check's problems as annotations on their lines, a job summary of what
it adds, changes and removes, the built site to download, all from a workflow that is valid YAML."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import yaml
from click.testing import CliRunner

from archive_kit import MINI, ROOT, make_project
from builder.cli.commands import cli
from builder.model.errors import Problem

LETTER = "letters/2013-04-alpha-to-beta.md"


def invoke(project: Path, *args: str):
    return CliRunner().invoke(cli, [*args, "--root", str(project)])


# GitHub's workflow commands, read back as the runner reads them ---------------------------------------

COMMAND = re.compile(r"^::(?P<level>error|warning) (?P<properties>[^:]*)::(?P<message>.*)$")


def _unescape(text: str) -> str:
    return (text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",")
            .replace("%25", "%"))


def read_annotations(output: str) -> list[dict[str, str]]:
    """Each `::error …` / `::warning …` line as the runner understands it: level, properties, message."""
    found = []
    for line in output.splitlines():
        if command := COMMAND.match(line):
            properties = dict(p.split("=", 1) for p in command["properties"].split(","))
            found.append({"level": command["level"], **{k: _unescape(v) for k, v in properties.items()},
                          "message": _unescape(command["message"])})
    return found


def test_check_gives_each_problem_as_an_annotation_on_its_file_and_line(tmp_path):
    letter = MINI[LETTER].replace("text_status: reported", "text_status: reported\n        a,b:c: 1")
    article = re.sub(r"\n *retrieved: .*", "", MINI["articles/2013-05-25-daily-reply.md"])
    project = make_project(tmp_path, {LETTER: letter, "articles/2013-05-25-daily-reply.md": article})
    result = invoke(project, "check", "--format", "github")
    assert result.exit_code == 1
    found = read_annotations(result.output)
    assert found[0] == {
        "level": "warning", "file": "content/articles/2013-05-25-daily-reply.md", "line": "1", "title": "retrieved",
        "message": "the article says neither when it was retrieved nor where an archived copy is. Add `retrieved:` "
                   "with the date you copied it (e.g. retrieved: 2026-11-23), and `archived_url:` with the address "
                   "of an archived copy (save the page at https://web.archive.org/save and give the address it "
                   "returns); if neither is known, say why in `retrieved_note:`"}
    assert found[1]["level"] == "error" and found[1]["file"] == f"content/{LETTER}" and found[1]["line"] == "10"
    assert found[1]["title"] == "a,b:c"  # escaped in the line, whole when read back
    assert found[1]["message"].startswith("unknown field. Remove it, or check its spelling: the fields allowed")
    assert "title=a%2Cb%3Ac::" in result.output
    assert len(found) == 2 and result.output.endswith("1 problem, 1 warning found.\n")


def test_an_annotation_escapes_what_would_end_its_message_or_properties():
    problem = Problem("content/x,y.md", 3, "title", "100% sure\r\nsecond line", "Fix: it")
    result = CliRunner().invoke(cli, ["check", "--help"])
    assert "--format [text|github]" in result.output
    from builder.cli.pull_request import annotation

    line = annotation(problem)
    assert line == "::error file=content/x%2Cy.md,line=3,title=title::100%25 sure%0D%0Asecond line. Fix: it"
    assert read_annotations(line) == [{"level": "error", "file": "content/x,y.md", "line": "3", "title": "title",
                                       "message": "100% sure\r\nsecond line. Fix: it"}]


# The job summary: what the pull request adds, changes and removes ---------------------------------------

def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True).stdout


def test_the_summary_lists_records_by_kind_and_how_their_facts_rest(tmp_path):
    project = make_project(tmp_path, {"topics/energy.md": "---\nname: Energy\n---\n"})
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "content", "mkdocs.yml")
    git(project, "commit", "-q", "-m", "the base")
    (project / "content/topics/energy.md").unlink()
    (project / "content/people/delta.md").write_text("---\nname: Dora *Delta* | x\nrole: official\n---\n")
    letter = project / "content" / LETTER
    letter.write_text(letter.read_text().replace("curator: {topics: \"Alphaland's foreign ministry\", ", "curator: {"))
    result = invoke(project, "changes", "--base", "main")
    assert result.exit_code == 0, result.output
    assert result.output == """## What this pull request changes

Against main.

| Records | Added | Changed | Removed |
| --- | ---: | ---: | ---: |
| people | 1 | 0 | 0 |
| letters | 0 | 1 | 0 |
| topics | 0 | 0 | 1 |

- Added: person `delta`, Dora \\*Delta\\* \\| x
- Changed: letter `2013-04-alpha-to-beta`, Alpha writes to Beta
- Removed: topic `energy`, Energy

### The check

1 warning; each is an annotation on its line.

### Facts and their sources

| Facts | Cite an article | The curator's additions | No source cited |
| --- | ---: | ---: | ---: |
| On the records this pull request adds or changes | 3 | 2 | 1 |
| In the whole archive before | 7 | 12 | 0 |
| In the whole archive after | 7 | 11 | 1 |
"""
    result = invoke(project, "changes", "--base", "no-such-branch")
    assert result.exit_code == 1 and "git could not compare with 'no-such-branch'" in result.output


# The workflow --------------------------------------------------------------------------------------------

def test_the_check_workflow_annotates_summarises_and_attaches_the_site():
    workflow = yaml.safe_load((ROOT / ".github/workflows/check.yml").read_text(encoding="utf-8"))
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as true
    steps = {step["name"]: step for step in workflow["jobs"]["check"]["steps"]}
    assert all(steps), "every step has a name"
    checkout = next(s for s in steps.values() if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # the base branch, for the summary
    annotate = steps["Check the archive (problems as annotations on their lines)"]
    assert "archive check --format github" in annotate["run"]
    summary = steps["Summarise what the pull request changes"]
    assert "archive changes --base" in summary["run"] and '>> "$GITHUB_STEP_SUMMARY"' in summary["run"]
    assert summary["if"] == "always() && github.event_name == 'pull_request'"
    assert "${{" not in summary["run"]  # the base branch's name comes in through env, never into the script
    site = steps["Attach the built site (download, unzip, open index.html)"]
    assert site["uses"].startswith("actions/upload-artifact@") and site["with"]["path"] == "site/"
    names = list(steps)
    assert names.index("Build the site") < names.index("Attach the built site (download, unzip, open index.html)")
