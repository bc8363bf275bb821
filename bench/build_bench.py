"""Time each pipeline stage on a synthetic archive of N articles.

    .venv/bin/python bench/build_bench.py --articles 1000
    .venv/bin/python bench/build_bench.py --articles 10000 --no-mkdocs

Prints seconds per stage; it asserts nothing. The archive is generated in a
temporary folder: people, letters answering each other, summits, topics, and
articles that each report a letter and quote it.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.graph import link  # noqa: E402
from builder.load import load  # noqa: E402
from builder.pipeline import Project  # noqa: E402
from builder.render import render  # noqa: E402
from builder.validate import validate  # noqa: E402
from builder.write import render_site, staged, write_pages  # noqa: E402


def generate(root: Path, articles: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    content = root / "content"
    for folder in ("articles", "people", "letters", "summits", "topics", "outlets"):
        (content / folder).mkdir(parents=True)
    people = max(20, articles // 50)
    letters = max(2, articles // 2)
    summits = max(2, articles // 100)

    def write(folder: str, name: str, text: str) -> None:
        (content / folder / f"{name}.md").write_text(text, encoding="utf-8")

    write("outlets", "wire", "---\nname: The Wire\nform: news agency\n---\n")
    for t in range(20):
        write("topics", f"topic-{t}", f"---\nname: Topic {t}\n---\n")
    for p in range(people):
        write("people", f"person-{p}", f"---\nname: Person {p}\nrole: {'leader' if p % 3 else 'official'}\n"
              f"offices:\n  - {{title: Office {p}, start: \"2000\"}}\n---\n")
    for s in range(summits):
        year = 2000 + s % 20
        write("summits", f"summit-{s}", f"---\ntitle: Summit {s}\nplace: City {s}\ndate: \"{year}-06\"\n"
              f"status: held\nattendees: [person-{s % people}, person-{(s + 1) % people}]\n---\n")
    for n in range(letters):
        year, month = 2000 + n % 20, 1 + n % 12
        reply = f"replies_to: letter-{n - 1}\n" if n % 2 else ""
        write("letters", f"letter-{n}", (
            f"---\ntitle: Letter {n}\nsender: person-{n % people}\nrecipients: [person-{(n + 1) % people}]\n"
            f"dates:\n  delivered:\n    date: \"{year}-{month:02d}\"\n    sources:\n"
            f"      - article: article-{n * 2 % articles}\n        quote: handed over letter {n}\n"
            f"carriers: [person-{(n + 2) % people}]\n{reply}topics: [topic-{n % 20}]\n"
            f"summits: [summit-{n % summits}]\ntext_status: reported\n---\n"))
    for a in range(articles):
        n = a // 2
        year = 2000 + n % 20
        body = " ".join(rng.choice(["The", "envoy", "said", "that", "the", "letter", "was", "warm", "and", "long"])
                        for _ in range(300))
        write("articles", f"article-{a}", (
            f"---\ntitle: Article {a}\noutlet: wire\npublished: \"{year}-12-31\"\n"
            f"people: [person-{n % people}, person-{(n + 1) % people}]\nletters: [letter-{n}]\n"
            f"summits: [summit-{n % summits}]\ntopics: [topic-{n % 20}]\n---\n"
            f"Person {n % people} handed over letter {n}. {body}\n"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--no-mkdocs", action="store_true", help="stop after writing the Markdown pages")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="archive-bench-"))
    try:
        generate(tmp, args.articles)
        shutil.copy(ROOT / "mkdocs.yml", tmp / "mkdocs.yml")
        shutil.copytree(ROOT / "overrides", tmp / "overrides")
        project = Project(tmp)
        timings = {}

        def stage(name, fn, *a):
            start = time.perf_counter()
            result = fn(*a)
            timings[name] = time.perf_counter() - start
            return result

        loaded = stage("load", load, project.content, project.root)
        sources, problems = loaded.sources, loaded.problems
        records, invalid = stage("validate", validate, sources)
        archive, unlinked = stage("link", link, records, {(s.kind, s.id): s for s in sources}, loaded.present)
        if problems or invalid or unlinked:
            raise SystemExit(f"generated archive is invalid: {(problems + invalid + unlinked)[:3]}")
        pages = stage("render", render, archive)
        with staged(project.docs) as docs:
            stage("write", write_pages, pages, docs)
        if not args.no_mkdocs:
            with staged(project.site) as site:
                stage("mkdocs", render_site, project.config, project.docs, site, "0")
        total = sum(timings.values())
        print(f"archive: {args.articles} articles, {len(records)} records, {len(pages)} pages")
        for name, seconds in timings.items():
            print(f"  {name:<9} {seconds:8.2f} s")
        print(f"  {'total':<9} {total:8.2f} s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
