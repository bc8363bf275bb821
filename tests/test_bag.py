"""`make bag`: the built site as a BagIt bag that validates, and that fails when a byte changes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import bagit
import pytest

from archive_kit import make_project
from builder.cli.bag import main
from builder.pipeline import Project, build


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("bag"))
    build(Project(root))
    (root / "site" / "data").mkdir(exist_ok=True)  # where the data exports go, if the build made none
    (root / "site" / "data" / "probe.csv").write_text("id\nalpha\n", encoding="utf-8")
    return root


def validate(bag: Path) -> subprocess.CompletedProcess:
    """What the README tells a reader to run, years later."""
    return subprocess.run([sys.executable, "-m", "bagit", "--validate", str(bag)], capture_output=True, text=True)


def test_a_bag_of_the_site_validates_and_a_changed_byte_does_not(project, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    dest = project / "build" / "the-bag"
    assert main([str(dest), "--root", str(project)]) == 0
    bag = bagit.Bag(str(dest))
    assert bag.validate()
    assert validate(dest).returncode == 0
    site_files = {p.relative_to(project / "site").as_posix() for p in (project / "site").rglob("*") if p.is_file()}
    assert {path.removeprefix("data/") for path in bag.payload_files()} == site_files
    assert "data/feed.xml" in bag.payload_files() and "data/data/probe.csv" in bag.payload_files()
    assert set(bag.algorithms) == {"sha256", "sha512"}
    assert bag.info["Source-Organization"] == "Leaders' Letters"
    assert bag.info["Bagging-Date"] == "2013-06-18"  # the latest day a record's date reaches, not the clock's
    assert "data/index.html" in bag.info["External-Description"]

    page = dest / "data" / "index.html"
    original = page.read_bytes()
    page.write_bytes(original[:100] + bytes([original[100] ^ 1]) + original[101:])
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(dest)).validate()
    failed = validate(dest)
    assert failed.returncode != 0 and "index.html" in failed.stderr
    page.write_bytes(original)
    assert bagit.Bag(str(dest)).validate() and validate(dest).returncode == 0


def test_a_new_bag_replaces_the_old_whole(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1371513600")  # 18 June 2013
    dest = project / "build" / "again"
    assert main([str(dest), "--root", str(project)]) == 0
    (dest / "data" / "left-over.txt").write_text("not the site's", encoding="utf-8")
    assert main([str(dest), "--root", str(project)]) == 0
    assert not (dest / "data" / "left-over.txt").exists() and bagit.Bag(str(dest)).validate()
    assert not dest.with_name("again.new").exists() and not dest.with_name("again.old").exists()


def test_without_a_built_site_it_says_what_to_do(tmp_path, capsys):
    make_project(tmp_path)
    assert main([str(tmp_path / "bag"), "--root", str(tmp_path)]) == 1
    assert "no built site here. Build it first (make site)" in capsys.readouterr().err
