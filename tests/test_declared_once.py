"""A field is declared once, in the model: a copy of the builder given one more kind of letter date there
shows it on the letter's page, in its JSON-LD, in CMIF, in the CSV and its help, the scaffold, CONTRIBUTING
and the benchmark's archive, and the check treats it as a past event, with nothing else edited; a value
added to a choice reaches the scaffold and the check's hint the same way."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from archive_kit import ROOT, make_project

SIGNED = ('    signed: Annotated[Claims | None, DateKind(schema_org=Maps("dateCreated", stand_in=True),\n'
          '                                              cmif=Maps("sent", stand_in=True))] = Field(\n'
          '        None, description="When it was signed.")\n')

LETTER = """
    ---
    title: Alpha signs a letter to Beta
    sender: alpha
    recipients: [beta]
    dates:
      signed: {date: "2013-04-10", curator: "Alphaland's foreign ministry"}
    text_status: reported
    ---
    """


def _builder_edited(tmp: Path, before: str, insert: str) -> Path:
    """A copy of builder/ whose model has `insert` written just before `before`."""
    copy = tmp / "code"
    shutil.copytree(ROOT / "builder", copy / "builder", ignore=shutil.ignore_patterns("__pycache__"))
    schema = copy / "builder" / "model" / "schema.py"
    text = schema.read_text(encoding="utf-8")
    at = text.index(before)
    schema.write_text(text[:at] + insert + text[at:], encoding="utf-8")
    return copy


def _builder_with_signed(tmp: Path) -> Path:
    """A copy of builder/ whose LetterDates declares `signed` after `written`."""
    return _builder_edited(tmp, "    sent: ", SIGNED)


def _archive(code: Path, project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(code)}
    return subprocess.run([sys.executable, "-m", "builder", *args, "--root", str(project)],
                          capture_output=True, text=True, env=env, cwd=project)


def test_a_date_kind_declared_in_the_model_reaches_every_output(tmp_path):
    code = _builder_with_signed(tmp_path)
    project = make_project(tmp_path, {"letters/2013-04-alpha-signs.md": LETTER})
    result = _archive(code, project, "build")
    assert result.returncode == 0, result.stderr
    site = project / "site"

    page = (site / "letters" / "2013-04-alpha-signs.html").read_text(encoding="utf-8")
    assert "<dt>Signed</dt>" in page
    jsonld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert jsonld["dateCreated"] == "2013-04-10"

    cmif = (site / "data" / "letters.cmif.xml").read_text(encoding="utf-8")
    assert re.search(r'<correspAction type="sent">(?:(?!</correspAction>).)*<date when="2013-04-10"', cmif, re.S)

    header, *rows = (site / "data" / "letters.csv").read_text(encoding="utf-8").splitlines()
    assert "signed" in header.split(",")
    assert any("2013-04-10" in row and "2013-04-alpha-signs" in row for row in rows)
    assert "When it was signed" in (site / "data.html").read_text(encoding="utf-8")


def test_a_date_kind_declared_in_the_model_is_a_past_event_for_the_check(tmp_path):
    code = _builder_with_signed(tmp_path)
    late = LETTER.replace('{date: "2013-04-10", curator: "Alphaland\'s foreign ministry"}',
                          '{date: "2013-06-01", sources: [{article: 2013-05-25-daily-reply, '
                          'quote: handed over a reply on Wednesday}]}')
    project = make_project(tmp_path, {"letters/2013-04-alpha-signs.md": late})
    result = _archive(code, project, "check")
    assert ("article '2013-05-25-daily-reply', published by 2013-05-25, cannot report a letter signed "
            "on 1 June 2013") in result.stdout + result.stderr


def test_a_date_kind_declared_in_the_model_is_offered_by_the_letter_scaffold(tmp_path):
    code = _builder_with_signed(tmp_path)
    project = make_project(tmp_path)
    result = _archive(code, project, "new", "letter", "2013-07-alpha-to-beta")
    assert result.returncode == 0, result.stderr
    scaffold = (project / "content" / "letters" / "2013-07-alpha-to-beta.md").read_text(encoding="utf-8")
    assert "# Give what is known: written, signed, sent, delivered, received, read_aloud," in scaffold


def test_a_date_kind_declared_in_the_model_is_in_contributing_s_field_reference(tmp_path):
    code = _builder_with_signed(tmp_path)
    project = make_project(tmp_path)
    shutil.copy(ROOT / "CONTRIBUTING.md", project / "CONTRIBUTING.md")
    result = _archive(code, project, "schema")
    assert result.returncode == 0, result.stderr
    assert "  - `signed`: When it was signed." in (project / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "When it was signed." in (project / "schemas" / "letter.schema.json").read_text(encoding="utf-8")


def test_the_benchmark_archive_dates_letters_by_a_kind_declared_in_the_model(tmp_path):
    code = _builder_with_signed(tmp_path)
    out = tmp_path / "generated"
    made = subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--articles", "120", "--seed", "1",
                           str(out)], capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(code)})
    assert made.returncode == 0, made.stderr
    letters = [p.read_text(encoding="utf-8") for p in (out / "content" / "letters").glob("*.md")]
    assert any("\n  signed:" in text for text in letters)
    checked = _archive(code, out, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_value_added_to_a_choice_in_the_model_reaches_the_scaffold_and_the_check(tmp_path):
    code = _builder_edited(tmp_path, '"blog", "government"]', '"podcast", ')
    project = make_project(tmp_path, {"outlets/weekly.md": "---\nname: The Weekly\nform: TODO\n---\n"})
    assert _archive(code, project, "new", "outlet", "the-wire").returncode == 0
    scaffold = (project / "content" / "outlets" / "the-wire.md").read_text(encoding="utf-8")
    assert "# newspaper, magazine, news agency, broadcaster, website, podcast, blog or government:" in scaffold
    checked = _archive(code, project, "check")
    assert ("content/outlets/weekly.md:3: form: still holds the scaffold's placeholder 'TODO'. Replace it with "
            "newspaper, magazine, news agency, broadcaster, website, podcast, blog or government") in checked.stdout + checked.stderr
    assert _archive(code, project, "schema").returncode == 0  # the CSV's column help, as the Data page shows it
    outlets = json.loads((project / "schemas" / "export" / "outlets.schema.json").read_text(encoding="utf-8"))
    assert outlets["properties"]["form"]["description"] == \
        "newspaper, magazine, news agency, broadcaster, website, podcast, blog or government."
