"""Hostile bodies (tests/hostile_bodies.py) refused by `archive check`, each with its file and line
and what was refused; the near misses beside them accepted. tests/browser/test_hostile_bodies.py
shows the same cases firing in Chromium when nothing checks them."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from archive_kit import make_project
from builder.cli.commands import cli
from hostile_bodies import BODY_LINE, HOSTILE, QUIET, case_file, hostile_files, near_miss_files, quiet_files


@pytest.fixture(scope="module")
def check_output(tmp_path_factory):
    files = {**hostile_files(), **quiet_files(), **near_miss_files()}
    project = make_project(tmp_path_factory.mktemp("hostile-bodies"), files)
    result = CliRunner().invoke(cli, ["check", "--root", str(project)])
    assert result.exit_code == 1
    return result.output.splitlines()


@pytest.mark.parametrize("n, case", list(enumerate(HOSTILE + QUIET, start=1)), ids=[c.name for c in HOSTILE + QUIET])
def test_hostile_body_is_refused_with_its_line(check_output, n, case):
    where = f"content/{case_file(n)}:{BODY_LINE + case.line}: body: {case.what}"
    assert [line for line in check_output if line.startswith(where)], "\n".join(check_output)


def test_near_misses_pass(check_output):
    assert not [line for line in check_output if case_file(0) in line]


def test_messages_say_how_to_mend(check_output):
    n = next(n for n, case in enumerate(HOSTILE, start=1) if case.name == "markdown-image")
    assert (f"content/{case_file(n)}:{BODY_LINE}: body: image from another site "
            f"('https://canary.invalid/{n}.png') is not allowed. Link to it instead, e.g. [the photo](https://…): "
            "pages load nothing from another site, so they work offline and tell nobody who reads them. "
            "The archive publishes no images of its own yet") in check_output
    n = next(n for n, case in enumerate(HOSTILE, start=1) if case.name == "reserved-id")
    assert (f"content/{case_file(n)}:{BODY_LINE}: body: id '__config' is not allowed. Choose another "
            "id: ids starting with '__' belong to the site's theme and scripts") in check_output
