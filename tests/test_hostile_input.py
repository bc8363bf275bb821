"""Files a stranger's pull request could hold: each is refused with its file, line and fix, never
a traceback, a hang or the machine's memory (YAML that expands, links, pipes, devices, control characters)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive_kit import make_project
from builder.cli.commands import cli
from builder.model.errors import Problem
from builder.load.load import load, read_source

PERSON = "people/delta.md"
WHERE = "content/people/delta.md"
NOT_ORDINARY = ": records must be ordinary files inside content/. "
INVISIBLE = ("invisible control character U+{:04X} is not allowed. "
             "Delete it (most editors do not show it), retyping the text around it if need be")


def check(project: Path) -> list[str]:
    """`archive check`'s problem lines; it must fail cleanly."""
    result = CliRunner().invoke(cli, ["check", "--root", str(project)])
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.output.strip().splitlines()[:-1]  # the last line counts them


def problems_of(tmp_path: Path, front_matter: str | bytes) -> list[str]:
    if isinstance(front_matter, str):
        front_matter = front_matter.encode()
    return check(make_project(tmp_path, {PERSON: b"---\nname: Delta\nrole: other\n" + front_matter}))


def bomb(levels: int) -> str:
    """The "billion laughs": each level lists the one before nine times; 7 levels unfold to 10**7 strings."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels + 1):
        name, before = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [" + ",".join(f"*{before}" for _ in range(9)) + "]")
    return "\n".join(lines) + "\n---\n"


def test_alias_bomb_is_refused_before_it_unfolds(tmp_path):
    assert problems_of(tmp_path, bomb(7)) == [
        f"{WHERE}:4: a: YAML anchors ('&a') are not allowed. "
        "Remove the '&' and its name, and write the value out in full wherever it is needed"]


def test_anchor_alone_is_refused(tmp_path):
    assert check(make_project(tmp_path, {PERSON: "---\nname: &n Delta\nrole: other\n---\n"})) == [
        f"{WHERE}:2: name: YAML anchors ('&n') are not allowed. "
        "Remove the '&' and its name, and write the value out in full wherever it is needed"]


def test_alias_is_refused(tmp_path):
    assert problems_of(tmp_path, "aliases: [*n]\n---\n") == [
        f"{WHERE}:4: aliases.0: YAML aliases ('*n') are not allowed. Write the value out in full"]


def test_merge_key_is_refused(tmp_path):
    assert problems_of(tmp_path, "<<: {country: Deltaland}\n---\n") == [
        f"{WHERE}:4: YAML merge keys ('<<') are not allowed. Write the fields out in full"]


def test_repeated_key_is_refused_at_its_second_line(tmp_path):
    assert problems_of(tmp_path, "country: Deltaland\nname: Delta Two\n---\n") == [
        f"{WHERE}:5: name: key 'name' appears twice (first on line 2). "
        "Keep one of the two: YAML would silently keep the last"]


def test_repeated_nested_key_is_refused(tmp_path):
    offices = "offices:\n  - title: Mayor\n    start: '2001'\n    title: Governor\n---\n"
    assert problems_of(tmp_path, offices) == [
        f"{WHERE}:7: offices.0.title: key 'title' appears twice (first on line 5). "
        "Keep one of the two: YAML would silently keep the last"]


@pytest.mark.parametrize("nested, line", [
    pytest.param("aliases: " + "[" * 1000 + "]" * 1000 + "\n", 4, id="brackets"),
    pytest.param("aliases:\n  " + "- " * 1000 + "Delta\n", 5, id="dashes"),
])
def test_deep_nesting_is_refused(tmp_path, nested, line):
    assert problems_of(tmp_path, nested + "---\n") == [
        f"{WHERE}:{line}: front matter is nested more than 20 levels deep. "
        "Records need a few levels only: check the indentation and brackets"]


@pytest.mark.parametrize("escape, char", [("\\uFFFE", 0xFFFE), ("\\uffff", 0xFFFF)])
def test_noncharacter_written_as_an_escape_is_refused(tmp_path, escape, char):
    """XML cannot hold U+FFFE or U+FFFF, and MkDocs drops the YAML (and title) of a page holding one."""
    assert problems_of(tmp_path, f'country: "Delta{escape}land"\n---\n') == [
        f"{WHERE}:4: country: " + INVISIBLE.format(char).replace("control character", "noncharacter")]


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f", "\x9b", "\u2028"])
def test_control_character_in_a_field_is_refused(tmp_path, char):
    assert problems_of(tmp_path, f"country: Delta{char}land\n---\n") == [
        f"{WHERE}:4: country: " + INVISIBLE.format(ord(char))]


@pytest.mark.parametrize("escape, char", [("\\0", 0), ("\\e", 0x1B), ("\\x7f", 0x7F), ("\\x9b", 0x9B)])
def test_control_character_written_as_an_escape_is_refused(tmp_path, escape, char):
    assert problems_of(tmp_path, f'country: "Delta{escape}land"\n---\n') == [
        f"{WHERE}:4: country: " + INVISIBLE.format(char)]


def test_control_character_in_a_key_is_refused(tmp_path):
    assert problems_of(tmp_path, "offices:\n  - {tit\x1ble: Mayor}\n---\n") == [
        f"{WHERE}:5: offices.0.tit\ufffdle: " + INVISIBLE.format(0x1B)]


def test_control_character_in_a_key_written_as_an_escape_is_refused(tmp_path):
    assert f"{WHERE}:4: front matter: " + INVISIBLE.format(0x1B) in problems_of(tmp_path, '"count\\ery": X\n---\n')


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f", "\x85"])
def test_control_character_in_the_body_is_refused(tmp_path, char):
    assert problems_of(tmp_path, f"---\n\nA first line.\nA second{char} line.\n") == [
        f"{WHERE}:7: body: " + INVISIBLE.format(ord(char))]


def test_old_mac_line_ends_read_as_lines(tmp_path):
    project = make_project(tmp_path, {
        PERSON: b"---\rname: Delta\rrole: other\r---\rA\ttab.\rAnother line.\r",
        "people/epsilon.md": b"---\r\nname: Epsilon\r\nrole: other\r\n---\r\nA\ttab.\r\nAnother line.\r\n"})
    result = CliRunner().invoke(cli, ["check", "--root", str(project)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("No problems in 12 records.")


def test_old_mac_line_ends_keep_their_line_numbers(tmp_path):
    assert check(make_project(tmp_path, {PERSON: b"---\rname: Delta\rrole: other\rname: Two\r---\r"})) == [
        f"{WHERE}:4: name: key 'name' appears twice (first on line 2). "
        "Keep one of the two: YAML would silently keep the last"]


def _linked(tmp_path: Path, target: str | Path) -> list[str]:
    (tmp_path / "project").mkdir()
    project = make_project(tmp_path / "project")
    (project / "content" / PERSON).symlink_to(target)
    return check(project)


def test_dangling_symlink_is_refused(tmp_path):
    assert _linked(tmp_path, "nowhere.md") == [
        f"{WHERE}: file is a symbolic link{NOT_ORDINARY}Copy the file here instead of linking to it"]


def test_symlink_to_a_file_outside_the_project_is_refused(tmp_path):
    outside = tmp_path / "secret.md"
    outside.write_text("---\nname: Secret\nrole: other\n---\nNot for publication.\n")
    assert _linked(tmp_path, outside) == [
        f"{WHERE}: file is a symbolic link{NOT_ORDINARY}Copy the file here instead of linking to it"]


def test_symlink_to_a_device_is_refused(tmp_path):
    assert _linked(tmp_path, "/dev/zero") == [
        f"{WHERE}: file is a symbolic link{NOT_ORDINARY}Copy the file here instead of linking to it"]


def test_linked_folder_is_refused_not_entered(tmp_path):
    outside = tmp_path / "elsewhere"
    (outside / "people").mkdir(parents=True)
    (outside / "people" / "secret.md").write_text("---\nname: Secret\nrole: other\n---\n")
    (tmp_path / "project").mkdir()
    project = make_project(tmp_path / "project")
    (project / "content" / "more").symlink_to(outside, target_is_directory=True)
    assert check(project) == [
        f"content/more: file is a symbolic link{NOT_ORDINARY}Copy the file here instead of linking to it"]


def test_named_pipe_is_refused_unopened(tmp_path):
    project = make_project(tmp_path)
    os.mkfifo(project / "content" / PERSON)
    # In a process of its own: opening the pipe would wait for a writer forever.
    result = subprocess.run([sys.executable, "-m", "builder", "check", "--root", str(project)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[:-1] == [
        f"{WHERE}: file is a named pipe (FIFO){NOT_ORDINARY}Remove it: a record is an ordinary .md file"]


def test_file_gone_before_it_is_read_is_a_problem(tmp_path):
    project = make_project(tmp_path)

    def read_after_it_is_deleted(path: str, rel: str) -> object:
        Path(path).unlink()
        return read_source(path, rel)

    loaded = load(project / "content", project, read_after_it_is_deleted)  # type: ignore[arg-type]
    assert not loaded.sources
    assert Problem("content/articles/2013-05-25-daily-reply.md", 0, "",
                   "file disappeared while the archive was read", "Run the command again") in loaded.problems


def test_field_name_yaml_reads_as_no_text_is_refused(tmp_path):
    assert problems_of(tmp_path, "yes: Deltaland\n---\n") == [
        f"{WHERE}:4: field name 'yes' is not text to YAML (it reads True). "
        "Use the field's name, e.g. 'name:' or 'title:'"]
