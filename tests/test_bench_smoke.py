"""The benchmark's generator (bench/generate.py) writes an archive `archive check` accepts,
the same bytes for the same seed. No timings: those are bench/build_bench.py's, not a test's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import FOLDERS, generate  # noqa: E402

ARTICLES = 30


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "content").rglob("*.md"))}


def test_generated_archive_passes_check_with_every_kind(tmp_path):
    counts = generate(tmp_path, ARTICLES, seed=7)
    assert counts["articles"] == ARTICLES
    assert all(counts.get(folder) for folder in FOLDERS), counts
    done = subprocess.run([sys.executable, "-m", "builder", "check", "--root", str(tmp_path)],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "error" not in (done.stdout + done.stderr).lower().replace("0 errors", "")


def test_same_seed_same_bytes_other_seed_other_archive(tmp_path):
    generate(tmp_path / "a", ARTICLES, seed=3)
    generate(tmp_path / "b", ARTICLES, seed=3)
    generate(tmp_path / "c", ARTICLES, seed=4)
    first = _files(tmp_path / "a")
    assert first == _files(tmp_path / "b")
    assert first != _files(tmp_path / "c")
    words = sum(len(text.split(b"---\n", 2)[2].split()) for rel, text in first.items() if rel.startswith("content/articles/"))
    assert 400 * ARTICLES <= words <= 1000 * ARTICLES  # 400-900 words each, plus datelines
