"""Sentence segmenters measured on press sentences: how many they cut right, and how fast.

    .venv/bin/python bench/segmenters.py            # the table builder/text.py's choice rests on
    .venv/bin/python bench/segmenters.py --misses   # and each sentence a segmenter gets wrong

Accuracy: the gold sentences of tests/data/press_sentences.txt (every paragraph of the seed
articles, and the hard cases of press English) that a segmenter returns exactly, start and end.
Speed: CPU µs per sentence it returns, over the reader text of every article of a generated
1,000-article archive (bench/generate.py). The libraries are measured when installed
(`pip install sentencex nupunkt pysbd`); our old regex is kept here as the baseline.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

from builder.load.load import load  # noqa: E402
from builder.model.text import reader_blocks, split_sentences  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "press_sentences.txt"
Segmenter = Callable[[str], list[str]]

# The regex builder/link/mentions.py split sentences with until issue 17: after . ! or ? before a
# capital, unless the dot ends one of a few abbreviations.
_ABBREVIATIONS = ("St", "Mr", "Mrs", "Ms", "Dr", "Gen", "Sept", "Jan", "Feb", "Aug", "Oct", "Nov", "Dec", "U.S", "U.N", "No")
_OLD_END = re.compile("".join(rf"(?<!\b{re.escape(a)}\.)" for a in _ABBREVIATIONS)
                      + r"(?<=[.!?])[”\"’']?\s+(?=[“\"‘'(A-Z0-9])")


def gold() -> list[list[str]]:
    """The corpus: each paragraph as its gold sentences."""
    paragraphs, current = [], []
    for line in CORPUS.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#"):
            continue
        if line.strip():
            current.append(line)
        elif current:
            paragraphs.append(current)
            current = []
    return paragraphs


def segmenters() -> dict[str, Segmenter]:
    """Every segmenter installed: name (with version) -> text to its sentences."""
    from importlib.metadata import version

    found: dict[str, Segmenter] = {"regex (builder until issue 17)": lambda text: _OLD_END.split(text)}
    try:
        import sentencex
        found[f"sentencex {version('sentencex')}"] = lambda text: list(sentencex.segment("en", text))
    except ImportError:
        pass
    try:
        import nupunkt
        found[f"nupunkt {version('nupunkt')}"] = nupunkt.sent_tokenize
        found[f"nupunkt {version('nupunkt')} adaptive"] = lambda text: nupunkt.sent_tokenize(text, adaptive=True)
    except ImportError:
        pass
    try:
        import pysbd
        splitter = pysbd.Segmenter(language="en", clean=False)
        found[f"pysbd {version('pysbd')}"] = splitter.segment
    except ImportError:
        pass
    found["builder.model.text (nupunkt adaptive, + Lt.)"] = split_sentences
    return found


def _spans(paragraph: str, sentences: list[str]) -> set[tuple[int, int]]:
    """Where each (stripped) sentence stands in its paragraph."""
    spans, at = set(), 0
    for sentence in (s.strip() for s in sentences):
        if not sentence:
            continue
        start = paragraph.find(sentence, at)
        if start < 0:  # a segmenter that alters the text gets no credit for it
            continue
        spans.add((start, start + len(sentence)))
        at = start + len(sentence)
    return spans


def accuracy(segment: Segmenter, paragraphs: list[list[str]]) -> tuple[int, int, list[str]]:
    """(gold sentences returned exactly, gold sentences, the misses as text)."""
    right, total, misses = 0, 0, []
    for sentences in paragraphs:
        paragraph = " ".join(sentences)
        wanted = _spans(paragraph, sentences)
        got = _spans(paragraph, segment(paragraph))
        right += len(wanted & got)
        total += len(wanted)
        misses += [" | ".join(paragraph[a:b] for a, b in sorted(got - wanted))] if got != wanted else []
    return right, total, misses


def article_blocks(articles: int) -> list[str]:
    """The reader text of every article of a generated archive, block by block."""
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), articles)
        loaded = load(Path(tmp) / "content", Path(tmp))
        return [block for s in loaded.sources if s.kind == "article" for block in reader_blocks(s.body)]


def speed(segment: Segmenter, blocks: list[str]) -> tuple[float, int]:
    """(CPU µs per sentence returned, sentences returned) over the blocks."""
    start = time.process_time()
    count = sum(1 for block in blocks for s in segment(block) if s.strip())
    return (time.process_time() - start) * 1e6 / max(count, 1), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--misses", action="store_true", help="print the sentences each segmenter gets wrong")
    args = parser.parse_args()
    paragraphs, blocks = gold(), article_blocks(args.articles)
    print(f"corpus: {sum(map(len, paragraphs))} gold sentences in {len(paragraphs)} paragraphs; "
          f"speed over {args.articles} generated articles ({len(blocks)} paragraphs)")
    print(f"{'segmenter':<40} {'exactly right':>16} {'µs/sentence':>12} {'sentences':>10}")
    for name, segment in segmenters().items():
        right, total, misses = accuracy(segment, paragraphs)
        per_sentence, count = speed(segment, blocks)
        print(f"{name:<40} {right:>4}/{total:<4} {100 * right / total:5.1f}% {per_sentence:>12.1f} {count:>10}")
        if args.misses:
            for miss in misses:
                print(f"    cut as: {miss}")


if __name__ == "__main__":
    main()
