"""A synthetic archive that looks like ours, of any size, the same bytes for the same seed.

    .venv/bin/python bench/generate.py --articles 1000 --seed 1 OUT_DIR

What it writes mirrors content/: the number of records of each kind per article and
the shares of letters in batches, replies, carried letters and letters to several
recipients are counted from content/ itself and scaled. Articles are 400-900 words
of prose drawn from a vocabulary of thousands of words; they name their people,
summits and topics (by name and alias, so mention-linking has work to do), date
letters at every precision EDTF allows (day, month, year, ~, ?, ranges, one-of),
and every fact a letter or summit page shows is cited with words copied from an
article, or marked as the curator's addition, so `archive check` passes with few
warnings. Names are invented words no vocabulary word equals; people, summits and
topics recur across neighbouring articles as real ones do.
"""

from __future__ import annotations

import argparse
import builtins
import codecs
import contextlib
import importlib
import inspect
import io
import random
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

import yaml

from builder.model.schema import DATE_KINDS

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("articles", "people", "letters", "batches", "summits", "topics", "outlets", "places")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
FIRST_YEAR, YEARS = 1990, 30  # letters are spread over these years, in order of their number

# Prose vocabulary: words of these modules' docstrings, of content/ and of `this`, ranked by frequency.
DOC_MODULES = ("argparse", "calendar", "collections", "csv", "datetime", "decimal", "difflib", "email.message",
               "fractions", "functools", "heapq", "http.client", "itertools", "json", "logging", "pathlib",
               "pickle", "random", "shutil", "statistics", "string", "tarfile", "textwrap", "threading",
               "unittest", "urllib.parse", "zipfile")
# Word forms beyond the corpus: suffix -> the endings of the words that take it.
SUFFIXES = {"s": ("t", "d", "n", "r", "m", "k", "p", "l"), "ed": ("t", "n", "r", "m", "k", "l"),
            "ing": ("t", "d", "n", "r", "m", "k", "l"), "ly": ("al", "ent", "ive", "ful", "ous"),
            "ness": ("ive", "ful", "less", "ous"), "ment": ("ish", "age", "ign"), "ity": ("al", "ive", "ar")}
FUNCTION_WORDS = 120  # the most frequent words: articles, prepositions, pronouns, auxiliaries
MIN_VOCABULARY = 6000

# Invented names: consonant-vowel syllables without the letters fold() treats as variants (y, w, x, ph, kh).
ONSETS, VOWELS, CODAS = "bdfglmnprstvz", "aeiou", ("", "n", "r", "l", "s")
# Short, so that the invented word, not the shared noun, tells two topics' ids apart.
TOPIC_NOUNS = ("affair", "incident", "accord", "talks", "dispute", "crisis", "treaty", "pact", "sanctions",
               "loans", "embargo", "corridor", "tariffs", "fisheries", "pipeline", "question")
OUTLET_FORMS = (("Courier", "newspaper"), ("Herald", "newspaper"), ("Gazette", "newspaper"),
                ("Press Agency", "news agency"), ("Wire", "news agency"), ("Broadcasting", "broadcaster"),
                ("Presidential Office", "government"), ("Observer blog", "blog"))
# Kind of date -> sentence naming sender, recipients and the word 'letter', with the date, and how often a letter is
# first known by it. The kinds are the model's (DATE_KINDS); one without a sentence here gets a plain one.
LETTER_VERBS = {
    "written": "{s} wrote a letter to {r} {when}",
    "sent": "{s} sent a letter to {r} {when}",
    "delivered": "A letter from {s} was delivered to {r} {when}",
    "received": "{r} received a letter from {s} {when}",
    "read_aloud": "A letter from {s} to {r} was read aloud {when}",
    "announced": "The office of {s} announced a letter to {r} {when}",
    "expected": "A letter from {s} to {r} was expected {when}",
}
DATE_WEIGHTS = {"written": 10, "sent": 30, "delivered": 30, "received": 8, "read_aloud": 4, "announced": 12,
                "expected": 6}


def letter_verb(kind: str) -> str:
    return LETTER_VERBS.get(kind) or "A letter from {s} to {r} was " + kind.replace("_", " ") + " {when}"


STATUS_VERBS = {  # summit status -> how an article says it, with a word provenance.STATUS_WORDS knows
    "proposed": "{a} proposed to meet at the {alias}",
    "planned": "{a} will meet at the {alias}",
    "postponed": "{a} postponed their meeting at the {alias}",
    "cancelled": "{a} cancelled their meeting at the {alias}",
    "held": "{a} met at the {alias}",
}


# --- What the seed archive is made of ----------------------------------------------------------

@dataclass(frozen=True)
class Proportions:
    per_article: dict[str, float]  # folder -> records per article
    batch_share: float  # of letters, those sent in a batch
    reply_share: float
    carrier_share: float
    several_share: float  # letters to more than one recipient
    leader_share: float  # of people


# content/ as of the issue "A 10,000-article archive", for a checkout without it.
FALLBACK = Proportions(
    per_article={"articles": 1.0, "people": 4.4, "letters": 2.6, "batches": 0.2, "summits": 1.8, "topics": 3.2,
                 "outlets": 1.8},
    batch_share=10 / 13, reply_share=1 / 13, carrier_share=2 / 13, several_share=1 / 13, leader_share=14 / 22)


SEED_ARTICLES = 20  # up to this size every kind grows with the articles, as in the seed archive


def _front(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    parts = text.split("---\n", 2)
    return (yaml.safe_load(parts[1]) or {}) if len(parts) == 3 else {}


def seed_proportions(content: Path = ROOT / "content") -> Proportions:
    """Counted from the real archive, so the benchmark grows as the archive's shape changes."""
    counts = {f: len(list((content / f).glob("*.md"))) for f in FOLDERS}
    if not counts["articles"] or not counts["people"]:
        return FALLBACK
    articles = counts["articles"]
    letters = [_front(p) for p in sorted((content / "letters").glob("*.md"))] or [{}]
    people = [_front(p) for p in sorted((content / "people").glob("*.md"))] or [{}]
    share = lambda items, test: sum(1 for i in items if test(i)) / len(items)  # noqa: E731
    return Proportions(
        per_article={f: counts[f] / articles for f in FOLDERS},
        batch_share=share(letters, lambda d: d.get("batch")),
        reply_share=share(letters, lambda d: d.get("replies_to")),
        carrier_share=share(letters, lambda d: d.get("carriers")),
        several_share=share(letters, lambda d: len(d.get("recipients") or ()) > 1),
        leader_share=share(people, lambda d: d.get("role") == "leader"),
    )


def vocabulary(content: Path = ROOT / "content") -> list[str]:
    """Thousands of distinct words, most frequent first: real prose's words, then word forms of them."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(content.rglob("*.md"))]
    with contextlib.redirect_stdout(io.StringIO()):  # importing `this` prints the Zen of Python
        import this
    texts.append(codecs.decode(this.s, "rot13"))
    for name in DOC_MODULES:
        module = importlib.import_module(name)
        texts.append(inspect.getdoc(module) or "")
        for _, member in sorted(vars(module).items()):
            if inspect.isclass(member) or inspect.isfunction(member):
                texts.append(inspect.getdoc(member) or "")
    texts.extend(inspect.getdoc(getattr(builtins, n)) or "" for n in sorted(dir(builtins)))
    counts = Counter(w for t in texts for w in re.findall(r"(?<![\w'-])[a-z]{2,14}(?![\w'-])", t.lower()))
    ranked = sorted(counts, key=lambda w: (-counts[w], w))
    seen = set(ranked)
    for suffix, endings in SUFFIXES.items():  # "deliver" -> "delivered": forms a larger corpus would hold
        for word in ranked[:4000]:
            form = word + suffix
            if len(ranked) >= MIN_VOCABULARY:
                return ranked
            if len(word) > 3 and word.endswith(endings) and not word.endswith(("ed", "ing")) and form not in seen:
                seen.add(form)
                ranked.append(form)
    return ranked


# --- Records as the generator plans them -------------------------------------------------------

@dataclass
class Person:
    id: str
    name: str
    last: str
    role: str
    country: str
    year: int
    offices: list[dict] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    form: str = "person"
    office_quote: tuple[str, str] | None = None  # (article id, words) that cite an office


@dataclass
class Summit:
    id: str
    title: str
    alias: str
    form: str
    place: str | None
    date: str | None
    date_words: str
    status: str
    attendees: list[int]
    topics: list[int]
    part_of: int | None = None
    shared_alias: str | None = None
    distinct_from: str | None = None
    cited: dict[str, tuple[str, str]] = field(default_factory=dict)  # fact -> (article, words)


@dataclass
class Letter:
    id: str
    sender: int
    recipients: list[int]
    kind: str  # the kind of its first date
    date: str
    date_words: str
    carriers: list[int] = field(default_factory=list)
    place: str | None = None
    replies_to: int | None = None
    topics: list[int] = field(default_factory=list)
    summits: list[tuple[int, str]] = field(default_factory=list)
    text_status: str = "reported"
    batch: int | None = None
    articles: list[str] = field(default_factory=list)
    claims: dict[str, list[dict]] = field(default_factory=dict)  # kind of date -> claims
    evidence: dict[str, list[dict]] = field(default_factory=dict)
    curator: dict[str, str] = field(default_factory=dict)
    quotes: list[dict] = field(default_factory=list)
    body_quote: str | None = None  # words of its first report, quoted in its body
    known_from: str | None = None


class Names:
    """Invented words, none equal to a vocabulary word, and none a syllable away from another of
    its kind, so that `archive check` finds no look-alike records."""

    def __init__(self, rng: random.Random, vocabulary: set[str]):
        self.rng = rng
        self.taken = set(vocabulary)
        self.masks: set[tuple] = set()
        self.syllables = [o + v + c for o in ONSETS for v in VOWELS for c in CODAS]

    def word(self, syllables: tuple[int, int] = (2, 3), kind: str = "") -> str:
        while True:
            parts = tuple(self.rng.choice(self.syllables) for _ in range(self.rng.randint(*syllables)))
            word = "".join(parts)
            masks = {(kind, len(parts), i, parts[:i] + parts[i + 1:]) for i in range(len(parts))} if kind else set()
            if word not in self.taken and not masks & self.masks and not re.search(r"(.)\1", word):
                self.taken.add(word)
                self.masks |= masks
                return word.capitalize()


class _Dumper(yaml.SafeDumper):
    """Dates in double quotes, as the curators write them (`date: "2013-05"`)."""


_Dumper.add_representer(str, lambda dumper, value: dumper.represent_scalar(
    "tag:yaml.org,2002:str", value, style='"' if re.match(r"^[\d\[]", value) else None))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _spread(total: int, parts: int, i: int) -> range:
    """The i-th of `parts` near-equal consecutive slices of range(total)."""
    return range(total * i // parts, total * (i + 1) // parts)


class Generator:
    def __init__(self, articles: int, seed: int, proportions: Proportions, words: list[str]):
        self.rng = random.Random(seed)
        self.n = articles
        self.p = proportions
        self.words = words
        # Zipf's law over each half: sentences alternate small words and content words, as prose does.
        self.small, self.content = words[:FUNCTION_WORDS], words[FUNCTION_WORDS:]
        self.small_cum = list(accumulate(1 / (rank + 1) for rank in range(len(self.small))))
        self.content_cum = list(accumulate(1 / (rank + 1) ** 0.8 for rank in range(len(self.content))))
        self.names = Names(self.rng, set(words))
        self.places: dict[str, str] = {}  # "Name, Country" as the prose writes it -> its place record's id
        # Letters and batches come with articles. People, summits, topics and outlets recur: an
        # archive of many articles names the same leaders again and again, so those pools grow
        # with the square root of the archive past the seed archive's size, not in step with it.
        seed = SEED_ARTICLES
        grown = lambda folder: (articles * proportions.per_article[folder] if articles <= seed  # noqa: E731
                                else seed * proportions.per_article[folder] * (articles / seed) ** 0.5)
        count = lambda folder, least=1: max(least, round(  # noqa: E731
            articles * proportions.per_article[folder] if folder in ("letters", "batches") else grown(folder)))
        self.counts = {f: count(f) for f in FOLDERS if f not in ("articles", "places")}  # places: as named
        self.counts["batches"] = round(articles * proportions.per_article["batches"])
        self.counts["people"] = max(self.counts["people"], 8)
        self.files: dict[str, str] = {}
        self.published: list[tuple[int, int, int]] = []  # per article: year, month, day
        self.bound: list[int] = []  # per letter: the last month its dates may start in

    # --- prose ---

    def sentence(self, low: int = 8, high: int = 24) -> str:
        rng, words = self.rng, []
        for _ in range(rng.randint(low, high)):
            small = rng.random() < 0.45 and not (words and words[-1] in self.small)
            pool, cum = (self.small, self.small_cum) if small else (self.content, self.content_cum)
            word = rng.choices(pool, cum_weights=cum)[0]
            words.append(word if not words or word != words[-1] else "and")
        if len(words) > 10 and self.rng.random() < 0.5:
            words[self.rng.randint(3, len(words) - 4)] += ","
        return " ".join(words).capitalize() + "."

    def year_of(self, position: float) -> int:
        return FIRST_YEAR + min(YEARS - 1, int(position * YEARS))

    def when(self, year: int, last_month: int = 12) -> tuple[str, str, str]:
        """(EDTF date, the words an article uses for it, precision), every precision represented,
        starting no later than `last_month` (an article reports what happened before it)."""
        rng, month = self.rng, self.rng.randint(1, last_month)
        day = rng.randint(1, 27)
        m = MONTHS[month - 1]
        precision = rng.choices(("day", "month", "year", "about", "probably", "range", "one-of"),
                                weights=(40, 25, 8, 8, 7, 6, 6))[0]
        if precision == "day":
            return f"{year}-{month:02d}-{day:02d}", f"on {day} {m} {year}", precision
        if precision == "month":
            return f"{year}-{month:02d}", f"in {m} {year}", precision
        if precision == "year":
            return f"{year}", f"in {year}", precision
        if precision == "about":
            return f"{year}-{month:02d}-{day:02d}~", f"around {day} {m} {year}", precision
        if precision == "probably":
            return f"{year}-{month:02d}?", f"probably in {m} {year}", precision
        if precision == "range":
            return f"{year}-{month:02d}-{day:02d}/{year}-{month:02d}-{day + 1:02d}", \
                f"over {day} and {day + 1} {m} {year}", precision
        end = min(last_month, month + rng.randint(1, 5))
        if end == month:
            return f"{year}-{month:02d}~", f"around {m} {year}", precision
        return f"[{year}-{month:02d}-{day:02d}..{year}-{end:02d}-{day:02d}]", \
            f"at some time between {day} {m} and {day} {MONTHS[end - 1]} {year}", precision

    # --- records ---

    def make_people(self) -> list[Person]:
        total, rng = self.counts["people"], self.rng
        countries = [self.names.word((2, 2)) + "ia" for _ in range(max(3, total // 6))]
        firsts = [self.names.word((2, 2)) for _ in range(max(4, total // 3))]  # first names recur
        people = []
        for j in range(total):
            year = self.year_of(j / total)
            country = countries[j * len(countries) // total]
            last = self.names.word((3, 3), kind="last")
            name = f"{rng.choice(firsts)} {last}"
            leader = rng.random() < self.p.leader_share
            person = Person(_slug(name), name, last, "leader" if leader else "official", country, year)
            person.aliases.append(last)
            if rng.random() < 0.25:  # a transliteration variant, as 'Yuri' for 'Yury'
                first = name.split()[0]
                variant = first[:-1] + ("i" if first[-1] != "i" else "e")
                person.aliases.append(f"{variant} {last}")
            if leader:
                title = rng.choice(("President", "Prime Minister", "Chancellor", "King"))
                start = year - rng.randint(1, 6)
                if rng.random() < 0.3:  # an earlier office under another role: an official who came to lead
                    person.offices.append({"title": f"Foreign Minister of {country}", "start": str(start - 5),
                                           "end": str(start - 1), "role": "official", "curator": "public record"})
                end = year + rng.randint(2, 8)
                office = {"title": f"{title} of {country}", "start": f"{start}-{rng.randint(1, 12):02d}"}
                if end < FIRST_YEAR + YEARS:
                    office["end"] = str(end)
                person.offices.append({**office, "curator": "public record"})
            else:
                title = rng.choice(("Envoy", "Foreign Minister", "Security Council Secretary", "Spokesperson",
                                    "Aide to the President"))
                person.offices.append({"title": f"{title} of {country}", "start": str(year - rng.randint(1, 4)),
                                       "curator": "public record"})
            people.append(person)
        return people

    def make_topics(self) -> list[dict]:
        topics = []
        for t in range(self.counts["topics"]):
            name = f"{self.names.word((3, 4), kind='topic')} {TOPIC_NOUNS[t % len(TOPIC_NOUNS)]}"
            topic = {"id": _slug(name), "name": name}
            if self.rng.random() < 0.3:
                topic["aliases"] = [f"{name.split()[0]} question"]
            topics.append(topic)
        return topics

    def make_summits(self, people: list[Person]) -> list[Summit]:
        total, rng = self.counts["summits"], self.rng
        leaders = [j for j, p in enumerate(people) if p.role == "leader"]
        summits = []
        for s in range(total):
            year = self.year_of(s / total)
            place_word, country = self.names.word((3, 3), kind="place"), people[s * len(people) // total].country
            form = rng.choices(("summit", "meeting", "visit"), weights=(5, 3, 2))[0]
            alias = f"{place_word} {form}"
            status = rng.choices(("held", "planned", "proposed", "postponed", "cancelled"),
                                 weights=(50, 25, 10, 8, 7))[0]
            date, words, _ = self.when(year) if rng.random() < 0.85 else (None, "", "")
            centre = bisect_left(leaders, s * len(people) // total)
            near = leaders[max(0, centre - 6):centre + 6] or leaders
            summit = Summit(
                id=f"{year}-{_slug(place_word)}-{form}", title=f"{form.capitalize()} at {place_word}", alias=alias,
                form=form, place=f"{place_word}, {country}" if rng.random() < 0.8 else None, date=date,
                date_words=words, status=status, attendees=sorted(rng.sample(near, min(len(near), rng.randint(2, 4)))),
                topics=[])
            summits.append(summit)
        for s, summit in enumerate(summits):  # some meetings are held beside a summit of the same time
            if summit.form != "summit" and s > 0 and summits[s - 1].form == "summit" and rng.random() < 0.4:
                summit.part_of = s - 1
        for s in range(0, total - total // 2, 50):  # a few summits share an alias, and say they differ
            a, b = summits[s], summits[s + total // 2]
            if a.form == b.form and a.part_of is None and b.part_of is None:
                a.shared_alias = b.shared_alias = f"{a.form.capitalize()} of {self.names.word((3, 3), kind='place')}"
                a.distinct_from, b.distinct_from = b.id, a.id
        return summits

    def make_letters(self, people: list[Person], summits: list[Summit], topics: list[dict]) -> tuple[list, list]:
        """Letters in order of time, and for each article the letters it reports first."""
        rng, n = self.rng, self.n
        total = self.counts["letters"]
        batches = self.counts["batches"]
        batched = min(total - (n - batches), round(total * self.p.batch_share)) if batches else 0
        batch_articles = {i * n // batches for i in range(batches)} if batches else set()
        plain = [i for i in range(n) if i not in batch_articles]
        leaders = [j for j, p in enumerate(people) if p.role == "leader"]
        officials = [j for j, p in enumerate(people) if p.role != "leader"] or leaders
        letters: list[Letter] = []
        reports: list[list[int]] = [[] for _ in range(n)]
        batch_of: dict[int, int] = {}
        b_index = 0

        def near(pool: list[int], i: int, width: int = 4) -> list[int]:
            lo = bisect_left(pool, len(people) * max(0, i - width) // n)
            hi = bisect_left(pool, len(people) * min(n, i + width + 1) // n)
            return pool[lo:hi] if hi - lo >= 3 else pool[max(0, lo - 3):lo + 3]

        for i in range(n):
            if i in batch_articles:
                count = len(_spread(batched, batches, b_index))
                batch_of[i] = b_index
                b_index += 1
            else:
                count = len(_spread(total - batched, len(plain), bisect_left(plain, i)))
            year = self.year_of(i / n)
            month = 12 if i in batch_articles else rng.randint(2, 12)
            self.published.append((year, month, rng.randint(28, 31) if i in batch_articles else rng.randint(1, 28)))
            sender = rng.choice(near(leaders, i))
            greeted: set[int] = set()  # a batch's recipients: one New Year letter each, as in the sources
            for _ in range(count):
                in_batch = i in batch_articles
                if not in_batch:
                    sender = rng.choice(near(leaders, i))
                others = [j for j in near(leaders, i, 8) if j != sender and j not in greeted] \
                    or [j for j in leaders if j != sender and j not in greeted] or [j for j in leaders if j != sender]
                several = rng.random() < (0.0 if in_batch else self.p.several_share)
                recipients = rng.sample(others, min(len(others), rng.randint(2, 3) if several else 1))
                if in_batch:
                    date, words, kind = f"{year}-12", f"in December {year}", "sent"
                else:
                    date, words, _ = self.when(year, month - 1)
                    kind = rng.choices(list(DATE_KINDS), weights=[DATE_WEIGHTS.get(k, 4) for k in DATE_KINDS])[0]
                if in_batch:
                    greeted.update(recipients)
                letter = Letter("", sender, recipients, kind, date, words, batch=batch_of.get(i) if in_batch else None)
                previous = letters[-1] if letters else None
                if (not in_batch and previous and previous.batch is None and rng.random() < self.p.reply_share * 2
                        and previous.sender != previous.recipients[0]):
                    letter.sender, letter.recipients = previous.recipients[0], [previous.sender]
                    letter.replies_to = len(letters) - 1
                if not in_batch and rng.random() < max(0.3, self.p.carrier_share):
                    letter.carriers = [rng.choice(near(officials, i))]
                    if rng.random() < 0.6:
                        letter.place = f"{self.names.word((2, 3))}, {people[letter.recipients[0]].country}"
                t0 = i * len(topics) // n
                letter.topics = sorted({min(len(topics) - 1, t0 + rng.randint(0, 3))
                                        for _ in range(1 if in_batch else rng.randint(1, 3))})
                s0 = i * len(summits) // n
                if not in_batch and rng.random() < 0.6:
                    s = min(len(summits) - 1, s0 + rng.randint(0, 2))
                    letter.summits = [(s, rng.choice(("prepares", "proposes", "follows", "mentions", "cancels",
                                                      "sets-no-date")))]
                letter.text_status = "reported" if in_batch else rng.choices(
                    ("reported", "excerpts", "published"), weights=(70, 25, 5))[0]
                if rng.random() < 0.3:
                    letter.known_from = rng.choice(("sender", "recipient", "both", "others"))
                reports[i].append(len(letters))
                self.bound.append(month - 1)
                letters.append(letter)
        return letters, reports

    # --- articles ---

    def article_texts(self, people, summits, topics, outlets, letters, reports) -> list[dict]:
        rng, n = self.rng, self.n
        second: dict[int, list[int]] = {}  # article -> letters it reports again, with another date
        for i, own in enumerate(reports):
            for k in own:
                later = min(n - 1, i + rng.randint(1, 3))
                # Only an article published after the first report can report the letter again.
                if (letters[k].batch is None and rng.random() < 0.15 and i + 1 < n
                        and self.published[later] >= self.published[i]):
                    second.setdefault(later, []).append(k)
        articles = []
        batch_senders: dict[int, int] = {}
        for i in range(n):
            art = self.article(i, people, summits, topics, outlets, letters, reports[i], second.get(i, []),
                               batch_senders)
            articles.append(art)
        self.batch_senders = batch_senders
        return articles

    def article(self, i, people, summits, topics, outlets, letters, own, again, batch_senders) -> dict:
        rng, n = self.rng, self.n
        year, month, day = self.published[i]
        published = f"{year}-{month:02d}-{day:02d}"
        mine = [outlets[o] for o in _spread(len(outlets), n, i)] or [outlets[i % len(outlets)]]
        outlet_ids, outlet_name = [o["id"] for o in mine], mine[0]["name"]
        article_id = f"{published}-{_slug(outlet_name)}-{i}"
        named_people, named_summits, named_topics = [], [], []
        used: set[str] = set()
        paragraphs: list[list[str]] = []

        def person(j: int, full: bool = True) -> str:
            first = j not in named_people
            if first:
                named_people.append(j)
            p = people[j]
            if full or first:
                return p.name if p.form == "person" or rng.random() < 0.8 else p.aliases[-1]
            return p.last

        def topic(t: int) -> str:
            if t not in named_topics:
                named_topics.append(t)
            data = topics[t]
            return data.get("aliases", [data["name"]])[0] if rng.random() < 0.3 else data["name"]

        def summit(s: int) -> str:
            if s not in named_summits:
                named_summits.append(s)
            return summits[s].alias

        def unique(text: str) -> str:
            # A cited sentence must stand once in the article (vague quotes are errors).
            while text in used:
                text = text[:-1] + f", {self.words[rng.randrange(50, 400)]}."
            used.add(text)
            return text

        def names(js: list[int]) -> str:
            shown = [person(j) for j in js]
            return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]

        capital = people[min(len(people) - 1, i * len(people) // n)].country.upper()
        d = published.split("-")
        lead = f"{capital}, {MONTHS[int(d[1]) - 1]} {int(d[2])} ({outlet_name}) – {self.sentence(10, 20)}"
        paragraphs.append([lead])
        batch = letters[own[0]].batch if own and letters[own[0]].batch is not None else None
        if batch is not None:
            sender = letters[own[0]].sender
            batch_senders[batch] = sender
            paragraphs.append([unique(f"{person(sender)} sent New Year letters to {len(own)} leaders, "
                                      f"his office said."), "None of the letters has been made public."])
        for k in own + again:
            letter = letters[k]
            first_report = k in own
            if first_report:
                letter.articles.insert(0, article_id)
            else:
                letter.articles.append(article_id)
            para = []
            if letter.batch is not None:
                sentence = unique(f"In his message to {names(letter.recipients)}, {person(letter.sender, False)} "
                                  f"wrote of {topic(letter.topics[0])} and {self.sentence(4, 8)[:-1].lower()}.")
                para.append(sentence)
                quote = sentence[:-1]
                letter.claims["sent"] = [{"date": letter.date, "curator": "the curator's reading: the report "
                                          "gives no day; it appeared at the end of the year", "sources": [
                                              {"article": article_id, "quote": quote}]}]
                # Its own sentence, naming its recipient: "none of the letters has been made public" fits them all.
                for fact in ("batch", "text_status"):
                    letter.evidence[fact] = [{"article": article_id, "quote": quote}]
                letter.body_quote = letter.body_quote or " ".join(quote.split()[:5])
                paragraphs.append(para + [self.sentence() for _ in range(rng.randint(0, 2))])
                continue
            if first_report:
                date, words = letter.date, letter.date_words
            else:  # a second report: another date for the same event, a claim beside the first
                date, words, _ = self.when(int(letter.date.strip("[")[:4]), self.bound[k])
            s_name, r_names = person(letter.sender), names(letter.recipients)
            sentence = unique(letter_verb(letter.kind).format(s=s_name, r=r_names, when=words) + ", "
                              + rng.choice(("officials said", "the ministry said", "aides confirmed",
                                            "according to diplomats")) + ".")
            para.append(sentence)
            claim: dict = {"date": date, "sources": [{"article": article_id, "quote": sentence[:-1]}]}
            if rng.random() < 0.2:
                claim["note"] = f"The article says {words.split(' ', 1)[1]}."
            if first_report and rng.random() < 0.1:
                claim["curator"] = "the curator's reading of the dateline"
            letter.claims.setdefault(letter.kind, []).append(claim)
            if first_report:
                letter.body_quote = " ".join(sentence.split()[:6]).rstrip(",")
            if first_report and rng.random() < 0.25 and letter.kind != "announced":
                when_said, words2, _ = self.when(int(letter.date.strip("[")[:4]), self.bound[k])
                ann = unique(f"Its content was made known {words2} by {person(letter.sender, False)}'s office.")
                para.append(ann)
                letter.claims.setdefault("announced", []).append(
                    {"date": when_said, "sources": [{"article": article_id, "quote": ann[:-1]}]})
            if not first_report:
                paragraphs.append(para + [self.sentence()])
                continue
            for c in letter.carriers:
                where = f" in {letter.place}" if letter.place else ""
                para.append(unique(f"{person(c)} handed over the letter from {person(letter.sender, False)}{where}."))
            if letter.place and not letter.carriers:
                para.append(unique(f"The letter was delivered in {letter.place}."))
            if letter.replies_to is not None:
                earlier = letters[letter.replies_to]
                para.append(unique(f"It was a reply to the letter {person(earlier.sender, False)} sent "
                                   f"{earlier.date_words}."))
            para.append(unique(f"The letter dealt with {' and '.join(topic(t) for t in letter.topics)}."))
            for s, _ in letter.summits:
                para.append(unique(f"{person(letter.sender, False)} wrote of the {summit(s)} "
                                   f"{self.sentence(3, 6)[:-1].lower()}."))
            if letter.text_status == "reported":
                para.append(unique(f"The text of {person(letter.sender, False)}'s letter to {names(letter.recipients)} "
                                   "has not been made public."))
            else:
                quoted = self.sentence(6, 12)[:-1].replace(",", "")
                para.append(unique(f"“{quoted}”, {person(letter.sender, False)} wrote."))
                letter.quotes.append({"text": quoted, "article": article_id})
            paragraphs.append(para)
        # Summits this article reports: its own share of them, and those its letters concern.
        mine = list(_spread(len(summits), n, i))
        for s in mine + [s for s in list(named_summits) if s not in mine]:
            sm = summits[s]
            alias = sm.shared_alias if sm.shared_alias and s in mine and rng.random() < 0.5 else sm.alias
            if alias == sm.shared_alias:
                named_summits.append(s) if s not in named_summits else None
            else:
                summit(s)
            if s not in mine:
                continue  # reported by its own article; here only named
            para = [unique(STATUS_VERBS[sm.status].format(a=names(sm.attendees), alias=alias) + ".")]
            sm.cited["status"] = (article_id, para[0][:-1])
            if sm.place:
                where = "took place" if sm.status == "held" else "is to take place"
                para.append(unique(f"The {alias} {where} in {sm.place}."))
            if sm.date:
                para.append(unique(f"The {alias} was set for {sm.date_words.removeprefix('on ')}."))
                sm.cited["date"] = (article_id, para[-1][:-1])
            if sm.part_of is not None:
                para.append(unique(f"The {alias} is held beside the {summit(sm.part_of)}."))
            t = min(len(topics) - 1, i * len(topics) // n)
            sm.topics = [t]
            para.append(unique(f"Talks at the {alias} are to cover {topic(t)}."))
            paragraphs.append(para)
        # The people, topics and outlets this article introduces, so every record is reported somewhere.
        for j in _spread(len(people), n, i):
            p = people[j]
            said = unique(f"{person(j)}, {p.offices[-1]['title']}, said {self.sentence(6, 14)[:-1].lower()}.")
            if p.office_quote is None:
                p.office_quote = (article_id, said[:-1].split(", said")[0])
            paragraphs.append([said] + [self.sentence() for _ in range(rng.randint(1, 3))])
        for t in _spread(len(topics), n, i):
            paragraphs.append([unique(f"On {topic(t)}, {self.sentence(8, 16)[0].lower()}{self.sentence(8, 16)[1:]}")])
        # Prose to 400-900 words, now and then naming someone already named, by surname.
        target = rng.randint(400, 900)
        count = sum(len(s.split()) for para in paragraphs for s in para)
        while count < target:
            para = []
            for _ in range(rng.randint(2, 5)):
                sentence = self.sentence()
                if named_people and rng.random() < 0.15:
                    sentence = sentence[:-1] + f", {person(rng.choice(named_people), False)} said."
                para.append(sentence)
                count += len(sentence.split())
            paragraphs.insert(rng.randint(1, len(paragraphs)), para)
        body = "\n\n".join(" ".join(para) for para in paragraphs) + "\n"
        front: dict = {"title": self._headline(people, letters, own, topics, batch), "outlet": outlet_ids[0]}
        if len(outlet_ids) > 1:
            front["via"] = outlet_ids[1:]
        if rng.random() < 0.4:
            front["byline"] = f"{self.names.word((2, 2))} {self.names.word((2, 3))}"
        front["published"] = {"date": published, "note": "From the dateline."}
        if rng.random() < 0.3:
            front["url"] = f"https://{_slug(outlet_name)}.example/{published[:4]}/{article_id}"
            if rng.random() < 0.5:
                front["archived_url"] = f"https://web.archive.example/{published[:4]}/{front['url']}"
        front["retrieved"] = f"{published[:4]}-12-31" if len(published) >= 4 and published[:4].isdigit() else "2026-11-26"
        if rng.random() < 0.2:
            front["curation"] = "Removed the share buttons and the comment form at the end."
        front["people"] = [people[j].id for j in named_people]
        front["letters"] = [letters[k].id for k in own + again]
        front["summits"] = [summits[s].id for s in named_summits]
        front["topics"] = [topics[t]["id"] for t in named_topics]
        pinned = {summits[s].shared_alias: summits[s].id for s in named_summits if summits[s].shared_alias}
        if pinned:
            front["mentions"] = pinned
        return {"id": article_id, "front": {k: v for k, v in front.items() if v != []}, "body": body}

    def _headline(self, people, letters, own, topics, batch) -> str:
        if not own:
            return f"{self.sentence(4, 9)[:-1]}"
        letter = letters[own[0]]
        sender = people[letter.sender].last
        if batch is not None:
            return f"{sender} sends New Year letters to {len(own)} leaders"
        return f"{sender} writes to {people[letter.recipients[0]].last} on {topics[letter.topics[0]]['name']}"

    # --- all of it ---

    def run(self) -> dict[str, str]:
        rng = self.rng
        people = self.make_people()
        topics = self.make_topics()
        summits = self.make_summits(people)
        outlets = []
        for o in range(self.counts["outlets"]):
            suffix, form = OUTLET_FORMS[o % len(OUTLET_FORMS)]
            name = f"The {self.names.word((2, 3))} {suffix}"
            outlets.append({"id": _slug(name), "name": name, "form": form})
        letters, reports = self.make_letters(people, summits, topics)
        taken: set[str] = set()
        for letter in letters:
            base = f"{letter.date.strip('[')[:7].rstrip('-')}-{_slug(people[letter.sender].last)}-to-" \
                   f"{_slug(people[letter.recipients[0]].last)}"
            letter.id, extra = base, 2
            while letter.id in taken:
                letter.id, extra = f"{base}-{extra}", extra + 1
            taken.add(letter.id)
        articles = self.article_texts(people, summits, topics, outlets, letters, reports)

        write = self.files.__setitem__
        dump = lambda front, body="": "---\n" + yaml.dump(  # noqa: E731
            front, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000) + "---\n" \
            + (f"\n{body}" if body else "")
        for art in articles:
            write(f"articles/{art['id']}.md", dump(art["front"], art["body"]))
        for p in people:
            front = {"name": p.name, "aliases": p.aliases, "role": p.role, "country": p.country,
                     "summary": f"{p.offices[-1]['title']}, whose letters and words the archive's articles report.",
                     "offices": p.offices}
            if p.office_quote and rng.random() < 0.2:  # an office the article itself gives, cited
                office = dict(p.offices[-1])
                office.pop("curator")
                office["sources"] = [{"article": p.office_quote[0], "quote": p.office_quote[1]}]
                front["offices"] = p.offices[:-1] + [office]
            write(f"people/{p.id}.md", dump(front))
        for t in topics:
            write(f"topics/{t['id']}.md", dump({k: v for k, v in t.items() if k != "id"}))
        for o in outlets:
            front = {"name": o["name"], "form": o["form"]}
            if rng.random() < 0.5:
                front["url"] = f"https://{o['id']}.example/"
            write(f"outlets/{o['id']}.md", dump(front))
        for s in summits:
            write(f"summits/{s.id}.md", dump(*self._summit_front(s, summits, people, topics)))
        for b, sender in sorted(self.batch_senders.items()):
            year = next(lt.date[:4] for lt in letters if lt.batch == b)
            write(f"batches/{self._batch_id(b, people, sender, year)}.md", dump({
                "title": f"{people[sender].last}'s New Year letters of December {year}",
                "sender": people[sender].id,
                "summary": f"The New Year letters {people[sender].name} sent at the end of {year}, each to its "
                           "own recipient."}))
        for letter in letters:
            write(f"letters/{letter.id}.md", dump(*self._letter_front(letter, letters, people, summits, topics)))
        for text, place_id in sorted(self.places.items(), key=lambda item: item[1]):
            name, _, country = text.partition(", ")
            write(f"places/{place_id}.md", dump({"name": name, "country": country}))
        return self.files

    def _place_id(self, text: str) -> str:
        """The place record a "Name, Country" of the prose stands for, made on first use."""
        if text not in self.places:
            base = _slug(text.partition(", ")[0])
            taken = set(self.places.values())
            place_id, extra = base, 2
            while place_id in taken:
                place_id, extra = f"{base}-{extra}", extra + 1
            self.places[text] = place_id
        return self.places[text]

    def _batch_id(self, b: int, people, sender: int, year: str) -> str:
        return f"{year}-12-{_slug(people[sender].last)}-new-year-letters-{b}"

    def _letter_front(self, letter: Letter, letters, people, summits, topics) -> tuple[dict, str]:
        rng = self.rng
        s, r = people[letter.sender], [people[j] for j in letter.recipients]
        front: dict = {"title": f"{s.last}'s letter to {' and '.join(p.last for p in r)}, "
                                f"{letter.date_words.split(' ', 1)[-1]}",
                       "form": "greetings" if letter.batch is not None else rng.choice(("letter", "letter", "message")),
                       "sender": s.id, "recipients": [p.id for p in r]}
        if letter.batch is not None:
            front["batch"] = self._batch_id(letter.batch, people, letter.sender, letter.date[:4])
        front["dates"] = {kind: claims[0] if len(claims) == 1 else claims
                          for kind in DATE_KINDS if (claims := letter.claims.get(kind))}
        if letter.carriers:
            front["carriers"] = [people[c].id for c in letter.carriers]
        if letter.place:
            front["delivered_at"] = self._place_id(letter.place)
        if letter.replies_to is not None:
            front["replies_to"] = letters[letter.replies_to].id
        front["topics"] = [topics[t]["id"] for t in letter.topics]
        if letter.summits:
            front["summits"] = [summits[i].id if rel == "mentions" else {"summit": summits[i].id, "relation": rel}
                                for i, rel in letter.summits]
        front["text_status"] = letter.text_status
        if letter.known_from:
            front["known_from"] = letter.known_from
        if letter.quotes:
            front["quotes"] = letter.quotes
        if letter.evidence:
            front["evidence"] = letter.evidence
        curator = dict(letter.curator)
        if letter.known_from:
            curator["known_from"] = "the curator's reading of who spoke of the letter in the reports"
        if curator:
            front["curator"] = curator
        body = (f"Known from the reports that cite it, one of which says “{letter.body_quote}”.\n"
                if letter.body_quote else "")
        return front, body

    def _summit_front(self, s: Summit, summits, people, topics) -> tuple[dict, str]:
        rng = self.rng
        front: dict = {"title": s.title, "aliases": [s.alias] + ([s.shared_alias] if s.shared_alias else [])}
        if s.distinct_from:
            front["distinct_from"] = [s.distinct_from]
        front["form"] = s.form
        if s.place:
            front["place"] = self._place_id(s.place)
        else:
            front["place_note"] = "to be arranged"
        if s.date:
            claim: dict = {"date": s.date}
            if "date" in s.cited:
                claim["sources"] = [{"article": s.cited["date"][0], "quote": s.cited["date"][1]}]
            if rng.random() < 0.3 or "date" not in s.cited:
                claim["curator"] = "public record: the hosts' programme"
            front["date"] = claim
        else:
            front["date_note"] = "not yet fixed"
        front["status"] = s.status
        if s.status in ("postponed", "cancelled") and "status" in s.cited:
            front["history"] = [{"status": "planned", "as_of": str(int(s.id[:4]) - 1),
                                 "curator": "public record: announced by the hosts the year before"}]
        front["attendees"] = [people[j].id for j in s.attendees]
        if s.part_of is not None:
            front["part_of"] = summits[s.part_of].id
        if s.topics:
            front["topics"] = [topics[t]["id"] for t in s.topics]
        front["summary"] = f"The {s.form} at {s.title.split(' at ')[-1]}, as the archive's articles report it."
        if "status" in s.cited and rng.random() < 0.3:
            front["evidence"] = {"status": [{"article": s.cited["status"][0], "quote": s.cited["status"][1]}]}
        return front, ""


def generate(root: Path, articles: int, seed: int = 1, content: Path = ROOT / "content") -> dict[str, int]:
    """Write an archive of `articles` articles into root/content; return the number of files per folder."""
    files = Generator(articles, seed, seed_proportions(content), vocabulary(content)).run()
    out = root / "content"
    for folder in FOLDERS:
        (out / folder).mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        (out / rel).write_text(text, encoding="utf-8")
    return dict(Counter(rel.split("/")[0] for rel in files))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="the project folder to write content/ into")
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    counts = generate(args.out, args.articles, args.seed)
    print(", ".join(f"{counts.get(f, 0)} {f}" for f in FOLDERS))


if __name__ == "__main__":
    main()
