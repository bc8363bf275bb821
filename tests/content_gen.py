"""A valid set of new records, generated from a seed, added to a copy of the archive.

What a contributor adding an article brings: new leaders with their offices, envoys who
carried letters, an outlet, a topic, a summit, letters (one a reply, one to two
recipients) and the article that reports them, naming everyone in its text and its
front matter, with a date whose source quote is in that text. The site's checks must
hold for the grown archive without a test being edited (tests/test_growth.py).

Only fields unlikely to change are used: title, sender, recipients, dates with sources,
carriers, topics, summits, text_status; name, role, offices; title, place, date, status;
and the article's title, outlet, published, people, letters, summits and topics.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SYLLABLES = ("ka", "lor", "ven", "mi", "sta", "dor", "rel", "qua", "ni", "bes", "tor", "yl", "ar", "zu",
             "mon", "ve", "thal", "ri", "os", "pe", "gra", "nu", "del", "cas")


@dataclass
class Person:
    id: str
    name: str
    country: str


@dataclass
class Growth:
    """What was added, so tests can ask for it by role rather than by hard-coded id."""

    root: Path
    seed: int
    year: int
    leaders: list[Person]  # the first writes, the second answers, the third is a second recipient
    officials: list[Person]  # the carriers of the first letter and of the reply
    outlet: str
    topic: str
    topic_name: str
    summit: str
    summit_alias: str
    place: str  # where the summit is to meet
    first_letter: str
    reply: str
    to_two: str  # the letter to two recipients
    article: str
    date_quote: str  # the words the first letter's date cites, as they stand in the article
    files: list[str] = field(default_factory=list)  # content paths written, relative to content/

    @property
    def people(self) -> list[Person]:
        return self.leaders + self.officials

    @property
    def letters(self) -> list[str]:
        return [self.first_letter, self.reply, self.to_two]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class _Names:
    """Invented words no existing content file contains, so no new name can mean an old record."""

    def __init__(self, rng: random.Random, content: Path):
        self.rng = rng
        self.taken = " ".join(p.read_text(encoding="utf-8") for p in sorted(content.rglob("*.md"))).casefold()

    def word(self) -> str:
        while True:
            word = "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 3))).capitalize()
            if word.casefold() not in self.taken:
                self.taken += " " + word.casefold()
                return word


def _write(content: Path, rel: str, front: dict, body: str = "") -> str:
    path = content / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    matter = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000)
    path.write_text(f"---\n{matter}---\n{body}", encoding="utf-8")
    return rel


def grow(root: Path, seed: int) -> Growth:
    """Add the generated records to `root`/content; the same seed and content write the same files."""
    content = root / "content"
    rng = random.Random(seed)
    names = _Names(rng, content)
    year = rng.randint(1992, 1999)  # before the archive's first letter, so the timeline gains a year

    countries = [names.word() + "ia" for _ in range(3)]
    leaders = [Person("", f"{names.word()} {names.word()}", country) for country in countries]
    officials = [Person("", f"{names.word()} {names.word()}", countries[i]) for i in (0, 1)]
    for person in leaders + officials:
        person.id = _slug(person.name)
    a, b, c = leaders
    x, y = officials
    capital = names.word()
    place = names.word()
    topic_name = f"{names.word()} water rights"
    outlet_name = f"The {names.word()} Courier"

    def last(p: Person) -> str:
        return p.name.split()[-1]

    growth = Growth(
        root=root, seed=seed, year=year, leaders=leaders, officials=officials,
        outlet=_slug(outlet_name), topic=_slug(topic_name), topic_name=topic_name,
        summit=f"{year}-06-{_slug(place)}-summit", summit_alias=f"{place} summit", place=_slug(place),
        first_letter=f"{year}-03-{_slug(last(a))}-to-{_slug(last(b))}",
        reply=f"{year}-04-{_slug(last(b))}-to-{_slug(last(a))}",
        to_two=f"{year}-04-{_slug(last(a))}-to-{_slug(last(b))}-and-{_slug(last(c))}",
        article=f"{year}-05-02-{_slug(outlet_name)}-letters",
        date_quote=f"handed the letter from {a.name} to {b.name} in {capital} on 14 March",
    )
    write = lambda rel, front, body="": growth.files.append(_write(content, rel, front, body))  # noqa: E731

    # People: the first leader held two offices, so a letter must show the one held at its date.
    write(f"people/{a.id}.md", {
        "name": a.name, "aliases": [f"President {last(a)}"], "role": "leader", "country": a.country,
        "offices": [{"title": f"Prime Minister of {a.country}", "start": str(year - 8), "end": str(year - 3)},
                    {"title": f"President of {a.country}", "start": str(year - 3)}]})
    # An alias the article never uses: search must find it on the person's own page.
    write(f"people/{b.id}.md", {
        "name": b.name, "aliases": [f"{b.name.split()[0][0]}. {last(b)}"], "role": "leader", "country": b.country,
        "offices": [{"title": f"President of {b.country}", "start": str(year - 5)}]})
    write(f"people/{c.id}.md", {
        "name": c.name, "role": "leader", "country": c.country,
        "offices": [{"title": f"Chancellor of {c.country}", "start": str(year - 2)}]})
    for official, office in ((x, "Foreign Minister"), (y, "Envoy")):
        write(f"people/{official.id}.md", {
            "name": official.name, "role": "official", "country": official.country,
            "offices": [{"title": f"{office} of {official.country}", "start": str(year - 4)}]})

    write(f"outlets/{growth.outlet}.md", {"name": outlet_name, "form": "newspaper", "country": b.country})
    write(f"topics/{growth.topic}.md", {"name": topic_name})
    write(f"places/{growth.place}.md", {"name": place, "country": b.country})
    write(f"summits/{growth.summit}.md", {
        "title": f"Summit of {last(a)}, {last(b)} and {last(c)} in {place}", "aliases": [growth.summit_alias],
        "place": growth.place, "date": f"{year}-06-10/{year}-06-11", "status": "planned",
        "attendees": [a.id, b.id, c.id], "topics": [growth.topic]})

    write(f"letters/{growth.first_letter}.md", {
        "title": f"{last(a)}'s letter to {last(b)}, March {year}", "sender": a.id, "recipients": [b.id],
        "dates": {"delivered": {
            "date": f"{year}-03-14", "note": "The article gives the day of the hand-over.",
            "sources": [{"article": growth.article, "quote": growth.date_quote}]}},
        "carriers": [x.id], "topics": [growth.topic], "summits": [growth.summit], "text_status": "reported"})
    write(f"letters/{growth.reply}.md", {
        "title": f"{last(b)}'s reply to {last(a)}, April {year}", "sender": b.id, "recipients": [a.id],
        "dates": {"sent": f"{year}-04"}, "carriers": [y.id], "replies_to": growth.first_letter,
        "topics": [growth.topic], "text_status": "reported"})
    write(f"letters/{growth.to_two}.md", {
        "title": f"{last(a)}'s letter to {last(b)} and {last(c)}, April {year}", "sender": a.id,
        "recipients": [b.id, c.id], "dates": {"announced": f"{year}-04-28"},
        "topics": [growth.topic], "summits": [growth.summit], "text_status": "reported"})

    body = "\n\n".join([
        f"{capital.upper()}, May 2 ({outlet_name}) - {a.name}, President of {a.country}, has exchanged letters "
        f"with {b.name} on {topic_name}, officials said on Friday.",
        f"Foreign Minister {x.name} {growth.date_quote}, the ministry said.",
        f"{b.name} answered in April with a reply carried by his envoy {y.name}, welcoming talks at the "
        f"{growth.summit_alias} in June.",
        f"{a.name} has since sent a letter to both {b.name} and {c.name}, Chancellor of {c.country}, "
        f"proposing that the three meet at the {growth.summit_alias}.",
    ]) + "\n"
    write(f"articles/{growth.article}.md", {
        "title": f"{last(a)} and {last(b)} exchange letters ahead of the {growth.summit_alias}",
        "outlet": growth.outlet, "published": f"{year}-05-02", "retrieved": f"{year}-05-03",
        "people": [p.id for p in growth.people], "letters": growth.letters,
        "summits": [growth.summit], "topics": [growth.topic]}, body)
    return growth
