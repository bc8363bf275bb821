"""The benchmark's generator (bench/generate.py) writes an archive `archive check` accepts,
the same bytes for the same seed; the benchmark (bench/build_bench.py) runs end to end on a
tiny archive and prints a figure for every stage of the build, and a stage that fails or is
not timed stops it with an error naming the stage. No timings are asserted: they are the
benchmark's, not a test's."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import builder.pipeline as pipeline

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import build_bench  # noqa: E402
from generate import FOLDERS, generate  # noqa: E402

ARTICLES = 30
BENCH_ARTICLES = 10  # small, and still every kind of record


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


@pytest.mark.browser  # the preview, and search timed in Chromium
def test_benchmark_prints_every_stage_and_measurement():
    done = subprocess.run([sys.executable, "bench/build_bench.py", "--articles", str(BENCH_ARTICLES),
                           "--search-repeats", "1"], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()

    def line(pattern: str) -> str:
        found = [text for text in lines if re.fullmatch(pattern, text)]
        assert len(found) == 1, f"no line like {pattern!r} in:\n{done.stdout}"
        return found[0]

    number = r" +\d+\.\d\d"
    for stage in pipeline.STAGES:  # wall s, CPU s, wall and CPU µs a record, peak MB
        line(rf"  {stage}{number}{number} +\d+ +\d+ +\d+")
    line(rf"  total{number}{number} +\d+ +\d+")
    line(r"  peak memory \(RSS\): builder stages \d+ MB, the build with MkDocs \d+ MB, with saving its state \d+ MB"
         r"(, largest child process \(MkDocs workers, git\) \d+ MB)?; archive serve warm \d+ MB, "
         r"archive serve edited \d+ MB, archive serve cold \d+ MB; this benchmark's own process \d+ MB")
    line(r"  pages: \d+ Markdown pages; check: 0 errors, 0 warnings")
    line(r"  site/: [\d.]+ MB, \d+ HTML files; largest page \S+\.html \(\d+ KB\)")
    line(r"  search index: [\d.]+ MB in \d+ files \(\d+ shards, largest \d+ KB\), .*")
    line(r"  downloads, Data page, feed, redirects \('outputs'\): [\d.]+ MB in \d+ files; .*data/archive\.json.*")
    line(r"  MkDocs alone: one process \d+\.\d\d s \(CPU \d+\.\d\d s\), 2 workers \d+\.\d\d s "
         r"\(\d+\.\d\d of one process; CPU \d+\.\d\d s\).*; the build renders on \d+")
    line(r"  edit -> archive build: \d+\.\d\d s \(\d+ pages written, page updated\)")
    line(r"  edit -> preview: \d+\.\d\d s \(serve started in \d+\.\d s\)")
    line(r"  serve start: warm \d+\.\d\d s \(built, unchanged\), \d+\.\d\d s \(one edit since the build\), "
         r"cold \d+\.\d\d s \(no build: it builds first\)")
    line(r"  search in Chromium \(the built site\):")
    line(r"  this size took \d+ s: generate \d+ s, build and edit \d+ s, serve \d+ s, search \d+ s")
    rows = [text for text in lines if re.fullmatch(r"  .{24} (disk|served) +\d+ +\d+ +\d+ +[\d.]+ +\d+ \(\d+\)", text)]
    assert len(rows) == 2 * (5 + 2), done.stdout  # five queries typed and two pasted, from disk and served


def _fails(argv: list[str], capsys) -> tuple[str, str]:
    """Run the benchmark in this process; it must stop with an error. Its message and what it printed."""
    with pytest.raises(SystemExit) as stopped:
        build_bench.main(argv)
    assert isinstance(stopped.value.code, str)  # printed, exit status 1
    return stopped.value.code, capsys.readouterr().err


def test_a_stage_that_fails_stops_the_benchmark_naming_it(monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise RuntimeError("the templates are gone")

    monkeypatch.setattr(pipeline, "rendered", broken)
    message, printed = _fails(["--articles", str(BENCH_ARTICLES), "--no-serve", "--no-search"], capsys)
    assert message == (f"build_bench: {BENCH_ARTICLES} articles: the stage 'render' failed: "
                       "RuntimeError: the templates are gone")
    assert "in broken" in printed  # the traceback, from the process the build ran in


def test_mkdocs_alone_that_fails_stops_the_benchmark(monkeypatch, capsys):
    import builder.write.write as write

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(write, "render_site", broken)  # the build's own stage renders as before
    message, _ = _fails(["--articles", str(BENCH_ARTICLES), "--no-serve", "--no-search"], capsys)
    assert message == (f"build_bench: {BENCH_ARTICLES} articles: MkDocs alone on 1 worker(s) failed: "
                       "RuntimeError: the disk is full")


def test_a_stage_the_build_does_not_time_stops_the_benchmark(monkeypatch, capsys):
    monkeypatch.setattr(pipeline, "STAGES", (*pipeline.STAGES, "sitemap"))
    message, _ = _fails(["--articles", str(BENCH_ARTICLES), "--no-mkdocs", "--no-search"], capsys)
    assert message == (f"build_bench: {BENCH_ARTICLES} articles: "
                       "builder.pipeline.build did not run the stages sitemap through its timer")
