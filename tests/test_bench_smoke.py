"""The benchmark's generator (bench/generate.py) writes an archive `archive check` accepts,
the same bytes for the same seed; the benchmark (bench/build_bench.py) runs end to end on a
tiny archive and prints every figure, each as it is measured; a stage that fails or is not
timed stops it with an error naming the stage, and a run over its time budget ends with an
error once its figures are printed. No timings are asserted: they are the benchmark's, not a
test's."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import builder.pipeline as pipeline
import builder.record_pages as record_pages

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
    # A clean build alone saves its state before MkDocs is set up (pipeline._built): the peaks in that order.
    line(r"  peak memory \(RSS\) of the build: builder stages \d+ MB, with saving its state \d+ MB, with MkDocs "
         r"\d+ MB(, largest child process \(MkDocs workers, git\) \d+ MB)?")
    line(r"  pages: \d+ Markdown pages; check: 0 errors, 0 warnings")
    line(r"  site/: [\d.]+ MB, \d+ HTML files; largest page \S+\.html \(\d+ KB\)")
    line(r"  search index: [\d.]+ MB in \d+ files \(\d+ shards, largest \d+ KB\), .*")
    line(r"  downloads, Data page, feed, redirects \('outputs'\): [\d.]+ MB in \d+ files; .*data/archive\.json.*")
    line(r"  MkDocs alone: one process \d+\.\d\d s \(CPU \d+\.\d\d s, peak memory \d+ MB\), 2 workers \d+\.\d\d s "
         r"\(\d+\.\d\d of one process; CPU \d+\.\d\d s.*\).*; the build renders on \d+ workers, .*")
    for which in ("edit", "another edit"):
        line(rf"  {which} -> archive build: \d+\.\d\d s \(\d+ pages written, page updated; CPU \d+\.\d\d s, "
             r"peak memory \d+ MB; state [\d.]+, load [\d.]+, .*, mkdocs [\d.]+, save [\d.]+\)")
    line(r"  build server: ready after \d+\.\d\d s \(`archive server start`: .*\)")
    for which in ("edit", "another edit"):
        line(rf"  {which} -> archive build with the server: \d+\.\d\d s, the whole command \(the server's build "
             r"\d+\.\d\d s; \d+ pages written; the server's peak memory so far \d+ MB\)")
    line(r"  edit -> archive check with the server: \d+\.\d\d s, the whole command")
    line(r"  serve start: cold \d+\.\d\d s \(no build: it builds first, the build above; peak memory \d+ MB\)")
    line(r"  serve start: warm \d+\.\d\d s \(built, unchanged\); ready for edits after \d+\.\d\d s")
    line(r"  edit -> preview: \d+\.\d\d s \(in that preview; its peak memory \d+ MB\)")
    line(r"  serve start: \d+\.\d\d s with one edit since the build \(peak memory \d+ MB\)")
    line(r"  search in Chromium \(the built site\):")
    took = r" \d+ s \(CPU \d+ s\)"
    line(rf"  time: this size{took}: generate{took}, clean build and serve cold{took}, MkDocs alone{took}, "
         rf"edit -> build{took}, build server{took}, serve warm and edit -> preview{took}, serve after an edit{took}, search{took}; "
         r"the run so far \d+ s of its 1800 s budget; this benchmark's own process peak \d+ MB")
    line(r"Time: 10 articles \d+ s \(each with removing its folder\); the whole run \d+ s \([\d.]+ min\) of a "
         r"1800 s \(30\.0 min\) budget")
    # Each figure as it is measured: the stages as the build runs them, then the build's figures,
    # the cold serve start it belonged to, and the rest in the order they were measured.
    order = [r"  (state|save) ", r"  total ", r"  pages: ", r"  serve start: cold", r"  MkDocs alone: ",
             r"  edit -> archive build: ", r"  another edit -> archive build: ", r"  build server: ",
             r"  edit -> archive build with the server: ", r"  another edit -> archive build with the server: ",
             r"  edit -> archive check with the server: ", r"  serve start: warm", r"  edit -> preview: ", r"  serve start: \d",
             r"  search in Chromium", r"  time: ", r"Time: "]
    at = [next(i for i, text in enumerate(lines) if re.match(pattern, text)) for pattern in order]
    assert at == sorted(at), done.stdout
    rows = [text for text in lines if re.fullmatch(r"  .{24} (disk|served) +\d+ +\d+ +\d+ +[\d.]+ +\d+ \(\d+\)", text)]
    assert len(rows) == 2 * (5 + 2), done.stdout  # five queries typed and two pasted, from disk and served


def _fails(argv: list[str], capsys) -> tuple[str, str, str]:
    """Run the benchmark in this process; it must stop with an error. Its message, and what it printed
    on stdout and stderr."""
    with pytest.raises(SystemExit) as stopped:
        build_bench.main(argv)
    assert isinstance(stopped.value.code, str)  # printed, exit status 1
    printed = capsys.readouterr()
    return stopped.value.code, printed.out, printed.err


@pytest.mark.parametrize("serve", [["--no-serve"], []], ids=["build alone", "the build archive serve runs"])
def test_a_stage_that_fails_stops_the_benchmark_naming_it(serve, monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise RuntimeError("the templates are gone")

    monkeypatch.setattr(record_pages, "rendered", broken)  # the index and pair pages are rendered first
    message, out, err = _fails(["--articles", str(BENCH_ARTICLES), "--no-search", *serve], capsys)
    assert message == (f"build_bench: {BENCH_ARTICLES} articles: the stage 'render' failed: "
                       "RuntimeError: the templates are gone")
    assert "in broken" in err  # the traceback, from the process the build ran in
    # The stages done before it were printed as each ended, not kept for a table at the end.
    done = pipeline.STAGES[:pipeline.STAGES.index("render")]
    assert [text.split()[0] for text in out.splitlines() if re.match(r"  \w+ +\d+\.\d\d ", text)] == list(done)


def test_a_run_over_its_budget_ends_with_an_error_after_its_figures(capsys):
    message, out, _ = _fails(["--articles", str(BENCH_ARTICLES), "--no-mkdocs", "--no-search", "--budget", "0"],
                             capsys)
    assert re.fullmatch(r"build_bench: OVER BUDGET: the run took \d+ s \([\d.]+ min\), \d+ s more than its "
                        r"0 s \(0\.0 min\)", message), message
    assert re.search(rf"\nTime: {BENCH_ARTICLES} articles \d+ s .*; the whole run \d+ s .* of a 0 s \(0\.0 min\) "
                     r"budget\n", out)
    assert "  edit -> archive build: " in out  # every figure was measured and printed first


def test_mkdocs_alone_that_fails_stops_the_benchmark(monkeypatch, capsys):
    import builder.write.write as write

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(write, "render_site", broken)  # the build's own stage renders as before
    message, _, _ = _fails(["--articles", str(BENCH_ARTICLES), "--no-serve", "--no-search"], capsys)
    assert message == (f"build_bench: {BENCH_ARTICLES} articles: MkDocs alone on 1 worker(s) failed: "
                       "RuntimeError: the disk is full")


def test_a_stage_the_build_does_not_time_stops_the_benchmark(monkeypatch, capsys):
    monkeypatch.setattr(pipeline, "STAGES", (*pipeline.STAGES, "sitemap"))
    message, _, _ = _fails(["--articles", str(BENCH_ARTICLES), "--no-mkdocs", "--no-search"], capsys)
    assert message == (f"build_bench: {BENCH_ARTICLES} articles: "
                       "builder.pipeline.build did not run the stages sitemap through its timer")
