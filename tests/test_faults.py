"""Killed builds, refused writes and bad addresses: the next build cleans up, site/ is never lost,
and the contributor reads one line saying what to do, never a traceback.

Tests run as root, for whom chmod takes nothing away: the refusals of a read-only or full disk are
injected where the writer calls the system; the kills are real (kill -9, or os._exit at a chosen call).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import builder.write.write as write
from archive_kit import ROOT, make_project
from builder.cli.commands import cli
from builder.pipeline import Project, build

BROKEN = {"people/alpha.md": "---\nname: [broken\n---\n"}
UNCHANGED = "nothing was built, site/ is as it was.\n"


def run(project: Path, *args: str):
    result = CliRunner().invoke(cli, [*args, "--root", str(project)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def litter(root: Path) -> list[str]:
    """Whatever builds leave beside their results: earlier builders' and ours."""
    staging = root / "build" / "staging"
    found = [p for p in root.iterdir() if p.name.startswith(".site")]
    found += [p for p in (root / "build").glob(".docs*")]
    found += [p for p in staging.iterdir() if p.name not in (".lock", ".swap")] if staging.exists() else []
    return sorted(p.relative_to(root).as_posix() for p in found)


def git_untracked(root: Path) -> list[str]:
    """What `git status` lists as new in the project, with the project's .gitignore."""
    shutil.copy(ROOT / ".gitignore", root / ".gitignore")
    if not (root / ".git").exists():
        subprocess.run(["git", "init", "-q", str(root)], check=True)
    done = subprocess.run(["git", "-C", str(root), "status", "--porcelain"], capture_output=True, text=True,
                          check=True)
    return sorted(line[3:] for line in done.stdout.splitlines())


def built(tmp_path: Path, files: dict | None = None) -> tuple[Path, dict[str, bytes]]:
    root = make_project(tmp_path, files)
    build(Project(root))
    return root, tree(root / "site")


def write_broken(root: Path) -> None:
    (root / "content/people/alpha.md").write_text(BROKEN["people/alpha.md"], encoding="utf-8")


# --- kill -9 ----------------------------------------------------------------------------------------

def _staging_folders(root: Path) -> list[Path]:
    return [*root.glob(".site.*"), *(root / "build").glob(".docs.*"), *(root / "build" / "staging").glob("*.new.*")]


def _rendering(root: Path) -> bool:
    """MkDocs has written pages into a staging site."""
    for folder in [*root.glob(".site.*"), *(root / "build" / "staging").glob("site.new.*")]:
        try:
            if next(folder.rglob("*.html"), None):
                return True
        except OSError:
            pass  # the folder went while we looked
    return False


@pytest.mark.parametrize("moment", [
    pytest.param(lambda root: bool(_staging_folders(root)), id="staging-folders-made"),
    pytest.param(_rendering, id="mkdocs-rendering"),
])
def test_a_killed_build_leaves_site_and_the_next_build_clears_what_it_left(tmp_path, moment):
    root, before = built(tmp_path)
    for _ in range(3):  # a build that ends before the moment comes is run again
        process = subprocess.Popen([sys.executable, "-m", "builder", "build", "--root", str(root)], cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while process.poll() is None and not moment(root):
            time.sleep(0.002)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            break
    else:
        pytest.fail("the build always ended before the moment to kill it")
    assert process.returncode == -signal.SIGKILL
    assert tree(root / "site") == before  # killed before its swap: the previous site stands
    assert litter(root)  # what the kill left

    report = build(Project(root))

    assert report.warnings == []
    assert litter(root) == []
    assert git_untracked(root) == [".gitignore", "content/", "mkdocs.yml", "overrides/"]
    assert (root / "site" / "index.html").is_file()


# A build whose swap is two renames, killed (as kill -9 would: nothing runs after) when it renames
# onto site/: the old tree is out, the new one not yet in.
KILL_BETWEEN_RENAMES = """
import os, sys
from pathlib import Path
import builder.write.write as write
from builder.cli.commands import cli

site = Path(sys.argv[1], "site")
write.exchange = lambda a, b: False  # a kernel or file system that cannot swap in one step

def dying(rename):
    def renamed(src, dst, *args, **kwargs):
        if Path(dst) == site:
            os._exit(137)
        return rename(src, dst, *args, **kwargs)
    return renamed

os.rename, os.replace = dying(os.rename), dying(os.replace)
cli(["build", "--root", sys.argv[1]])
"""

# Where the kernel swaps in one step, the last kill point: just after it, the old tree not yet removed.
KILL_AFTER_EXCHANGE = """
import os, sys
import builder.write.write as write
from builder.cli.commands import cli

exchange = write.exchange

def dying(a, b):
    assert exchange(a, b), "renameat2 should exchange here"
    os._exit(137)

write.exchange = dying
cli(["build", "--root", sys.argv[1]])
"""


def _killed(root: Path, script: str) -> None:
    done = subprocess.run([sys.executable, "-c", script, str(root)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 137, done.stderr


def test_a_kill_between_the_two_renames_is_repaired_by_the_next_build_even_a_failed_one(tmp_path):
    root, before = built(tmp_path, {"topics/trade.md": "---\nname: Trade\n---\n"})
    (root / "content/topics/trade.md").write_text("---\nname: Commerce\n---\n", encoding="utf-8")
    _killed(root, KILL_BETWEEN_RENAMES)
    assert not (root / "site").exists()  # the state this kill leaves
    write_broken(root)

    result = run(root, "build")

    assert result.exit_code == 1
    assert result.output.endswith("1 problem found; " + UNCHANGED)  # and it is true:
    assert tree(root / "site") == before
    assert litter(root) == []


def test_a_kill_between_an_earlier_builders_renames_is_repaired_and_its_folders_cleared(tmp_path):
    """The state the builder before build/staging/ left: .site.old in the project, site/ missing."""
    root, before = built(tmp_path)
    (root / "site").rename(root / ".site.old")
    for stale in (root / ".site.k2j4h6g8", root / "build" / ".docs.a1b2c3d4", root / "build" / ".docs.old"):
        (stale / "letters").mkdir(parents=True)
        (stale / "letters" / "x.html").write_text("half a page")
    write_broken(root)

    result = run(root, "build")

    assert result.exit_code == 1
    assert result.output.endswith("1 problem found; " + UNCHANGED)
    assert tree(root / "site") == before
    assert litter(root) == []


def test_a_kill_just_after_the_exchange_leaves_the_new_site_and_the_old_one_is_cleared(tmp_path):
    root, _ = built(tmp_path, {"topics/trade.md": "---\nname: Trade\n---\n"})
    (root / "content/topics/trade.md").write_text("---\nname: Commerce\n---\n", encoding="utf-8")
    _killed(root, KILL_AFTER_EXCHANGE)
    assert "Commerce" in (root / "site/topics/trade.html").read_text(encoding="utf-8")
    assert litter(root)  # the old tree, where the staging folder was

    assert run(root, "build").exit_code == 0
    assert litter(root) == []


def test_two_builds_at_once_clear_a_killed_builds_litter_but_not_each_others_staging(tmp_path):
    root, before = built(tmp_path)
    _killed(root, KILL_BETWEEN_RENAMES)
    builds = [subprocess.Popen([sys.executable, "-m", "builder", "build", "--root", str(root)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [process.communicate()[0] for process in builds]
    assert [process.returncode for process in builds] == [0, 0], outputs
    assert tree(root / "site") == before  # the same content, the same bytes
    assert litter(root) == []


def test_a_failed_first_build_does_not_claim_a_site(tmp_path):
    result = run(make_project(tmp_path, BROKEN), "build")
    assert result.exit_code == 1
    assert result.output.endswith("1 problem found; nothing was built, and there is no site/.\n")


def test_archive_serve_puts_back_a_lost_site_and_clears_leftovers_before_serving(tmp_path, monkeypatch):
    root, before = built(tmp_path)
    _killed(root, KILL_BETWEEN_RENAMES)
    monkeypatch.setattr("builder.preview.serve.serve", lambda project, host, port, echo: echo("served"))

    result = run(root, "serve")

    assert result.output == "served\n"
    assert tree(root / "site") == before
    assert litter(root) == []


# --- the machine refuses: read-only, full, undeletable --------------------------------------------

def _injected(monkeypatch, target, name: str, code: int, when=lambda *paths: True) -> None:
    original = getattr(target, name)

    def refused(*args, **kwargs):
        paths = [Path(a) for a in args if isinstance(a, (str, Path))]
        if when(*paths):
            raise OSError(code, os.strerror(code), str(paths[0]))
        return original(*args, **kwargs)
    monkeypatch.setattr(target, name, refused, raising=False)


def _one_line_and_site_kept(root: Path, before: dict[str, bytes], pattern: str) -> None:
    result = run(root, "build")
    assert result.exit_code == 1
    assert re.fullmatch(pattern + r"\n", result.output), result.output
    assert tree(root / "site") == before
    assert litter(root) == []


def test_a_read_only_file_system_is_one_line_and_the_site_stays(tmp_path, monkeypatch):
    root, before = built(tmp_path)
    shutil.rmtree(root / "build" / "staging", ignore_errors=True)  # a disk made read-only since
    _injected(monkeypatch, os, "mkdir", errno.EROFS)
    _one_line_and_site_kept(root, before, re.escape(
        "Error: cannot write build/staging: read-only file system (EROFS). Make it writable (remount the disk "
        "read-write) or build a copy of the project elsewhere; " + UNCHANGED.strip()))


def _is_site(root: Path):
    return lambda *paths: root / "site" in paths


@pytest.mark.parametrize("refused", ["exchange", "first rename", "second rename"])
def test_a_read_only_site_is_one_line_and_the_site_stays(tmp_path, monkeypatch, refused):
    """A folder that cannot move (read-only site/: its '..' cannot change) refuses whichever step moves it."""
    root, before = built(tmp_path)
    site = root / "site"
    if refused == "exchange":
        _injected(monkeypatch, write, "exchange", errno.EACCES, lambda a, b: b == site)
    else:
        monkeypatch.setattr(write, "exchange", lambda a, b: False, raising=False)
        moving = (lambda src, dst: src == site) if refused == "first rename" else (
            lambda src, dst: dst == site and "new" in src.name)  # not the rename that puts it back
        for name in ("rename", "replace"):
            _injected(monkeypatch, os, name, errno.EACCES, moving)
    _one_line_and_site_kept(root, before, re.escape(
        "Error: cannot write site/: permission denied (EACCES). Make it writable (chmod -R u+w site) or build as "
        "the user who owns it; " + UNCHANGED.strip()))


@pytest.mark.parametrize("where", ["pages", "mkdocs"])
def test_a_full_disk_is_one_line_and_the_site_stays(tmp_path, monkeypatch, where):
    root, before = built(tmp_path)
    article = root / "content/articles/2013-05-25-daily-reply.md"  # an edit: pages to write, files to copy
    article.write_text(article.read_text(encoding="utf-8") + "It rained.\n", encoding="utf-8")
    if where == "pages":  # the builder's Markdown pages
        _injected(monkeypatch, Path, "write_bytes", errno.ENOSPC, lambda page, *_: page.is_relative_to(root / "build"))
    else:  # MkDocs copying the files beside the pages (the search index's)
        _injected(monkeypatch, shutil, "copyfile", errno.ENOSPC)
    _one_line_and_site_kept(root, before, r"Error: cannot write build/staging/\S+: the disk is full \(ENOSPC\)\. "
                                          r"Free some space and build again; " + re.escape(UNCHANGED.strip()))


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_an_undeletable_old_tree_is_a_warning_and_blocks_no_later_build(tmp_path, monkeypatch, exchange):
    root, _ = built(tmp_path)
    if not exchange:
        monkeypatch.setattr(write, "exchange", lambda a, b: False, raising=False)
    rmtree = shutil.rmtree

    def undeletable(path, ignore_errors=False, *args, **kwargs):
        if Path(path).is_relative_to(root):
            if ignore_errors:
                return
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        rmtree(path, ignore_errors, *args, **kwargs)
    monkeypatch.setattr(shutil, "rmtree", undeletable)

    for name in ("Commerce", "Exchange"):  # the second build swaps past the first one's stuck tree
        (root / "content/topics/trade.md").write_text(f"---\nname: {name}\n---\n", encoding="utf-8")
        result = run(root, "build")
        assert result.exit_code == 0, result.output
        assert name in (root / "site/topics/trade.html").read_text(encoding="utf-8")
    stuck = [line for line in result.output.splitlines() if "leftover" in line]
    assert len(stuck) == 4  # docs and site, from each build
    assert all(re.fullmatch(r"build/staging/(\S+)/: warning: cannot remove this leftover of a build: permission "
                            r"denied \(EACCES\)\. Remove it by hand \(rm -rf build/staging/\1/\); builds go on "
                            r"without it", line) for line in stuck), stuck
    assert not [p for p in root.iterdir() if p.name.startswith(".site")]


# --- a bad port -----------------------------------------------------------------------------------

@pytest.mark.parametrize("address", ["127.0.0.1:99999", "127.0.0.1:0", "[::1]:65536"])
def test_a_port_out_of_range_is_refused_with_what_to_type(tmp_path, address):
    result = CliRunner().invoke(cli, ["serve", "--dev-addr", address, "--root", str(tmp_path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert (f"Invalid value for --dev-addr: '{address}': the port is a number from 1 to 65535, "
            f"e.g. 127.0.0.1:8000") in result.output
