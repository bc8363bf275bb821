"""The correspondence network: who wrote to whom, laid out for a static SVG.

This module only counts and places: people who sent or received letters are
nodes, each (sender, recipient) pair with its letters is an edge, and the
layout is a wheel, the most connected person (or the page's own person) in the
centre and everyone else around them. The markup is drawn by
templates/_network.svg.j2. Nothing is random and every coordinate is rounded,
so the same content draws the same bytes.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable

from .graph import Archive
from .schema import Letter, Person

Pair = tuple[str, str]  # (sender id, recipient id)

FONT_SIZE = 14  # user units; the stylesheet sets the same size on the labels
CHAR_WIDTH = 0.6  # a generous average glyph width, in ems, to keep labels inside the view
PADDING = 8
MIN_RADIUS = 150
ARROW = 10  # arrowhead length in user units (markerUnits="userSpaceOnUse")
LANE = 3.5  # letters both ways between two people: each direction is drawn this far off the axis


@dataclass(frozen=True)
class Correspondence:
    """Who wrote to whom: the letters of each (sender, recipient) pair."""

    people: dict[str, Person]  # everyone who sent or received a letter, by id
    pairs: dict[Pair, tuple[Letter, ...]]  # in date order

    def letters_of(self, person_id: str) -> set[str]:
        """Ids of the letters a person sent or received (a letter to many counts once)."""
        return {letter.id for (s, r), letters in self.pairs.items() if person_id in (s, r) for letter in letters}

    def ego(self, person_id: str) -> Correspondence:
        """A person and those they exchanged letters with: only the pairs that include them."""
        pairs = {pair: letters for pair, letters in self.pairs.items() if person_id in pair}
        ids = {i for pair in pairs for i in pair}
        return Correspondence({i: p for i, p in self.people.items() if i in ids}, pairs)


def correspondence(archive: Archive) -> Correspondence:
    pairs = archive.exchanges()
    people = {i: archive.get("person", i) for pair in pairs for i in pair}
    return Correspondence(dict(sorted(people.items())), {pair: tuple(found) for pair, found in sorted(pairs.items())})


@dataclass(frozen=True)
class Node:
    person: Person
    href: str | None  # None for the page's own person: no link to the page you are on
    label: str  # what a screen reader and a tooltip say: "Vladimir Putin: 4 letters"
    x: float
    y: float
    r: float
    text_x: float
    text_y: float
    anchor: str  # SVG text-anchor: start, middle or end
    dy: str  # baseline shift so the label sits beside, above or below its node
    centre: bool
    hit: tuple[float, float, float, float]  # x, y, width, height: node and label, all of it clickable


@dataclass(frozen=True)
class Edge:
    sender: Person
    recipient: Person
    count: int
    label: str  # "Vladimir Putin to Barack Obama: 1 letter"
    x1: float
    y1: float
    x2: float
    y2: float
    width: float


@dataclass(frozen=True)
class Drawing:
    id: str  # prefix for the ids inside the SVG, unique on its page
    title: str
    width: float
    height: float
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    arrow: float = ARROW

    @property
    def senders(self) -> list[tuple[Person, list[tuple[Person, int]]]]:
        """For the text alternative: each sender with whom they wrote to and how often."""
        grouped: dict[str, list[tuple[Person, int]]] = defaultdict(list)
        people: dict[str, Person] = {}
        for edge in sorted(self.edges, key=lambda e: (_name_key(e.sender), _name_key(e.recipient))):
            people[edge.sender.id] = edge.sender
            grouped[edge.sender.id].append((edge.recipient, edge.count))
        return [(people[i], found) for i, found in grouped.items()]


def _name_key(person: Person) -> tuple[str, str]:
    return (person.name.casefold(), person.id)


def letters(count: int) -> str:
    return f"{count} letter" if count == 1 else f"{count} letters"


def _round(value: float) -> float:
    return round(value, 1) + 0.0  # + 0.0 turns -0.0 into 0.0


def layout(graph: Correspondence, href: Callable[[Person], str], centre: str | None = None,
           id_: str = "network", title: str = "Who wrote to whom") -> Drawing | None:
    """Place the graph on a wheel; `href` gives each person's page relative to the drawing's page.

    With `centre`, that person sits in the middle and is not a link (their own
    page); otherwise the person with the most correspondents does.
    """
    if not graph.pairs:
        return None
    neighbours: dict[str, set[str]] = defaultdict(set)
    for s, r in graph.pairs:
        neighbours[s].add(r)
        neighbours[r].add(s)
    counts = {i: len(graph.letters_of(i)) for i in graph.people}
    ranked = sorted(graph.people, key=lambda i: (-len(neighbours[i]), -counts[i], *_name_key(graph.people[i])))
    hub = centre if centre is not None else ranked[0]
    around = [i for i in ranked if i != hub]  # most letters first, from the top, clockwise

    def size(i: str) -> float:
        return 6 + 3 * math.sqrt(counts[i])

    radius = max(MIN_RADIUS, 3.5 * len(around))
    places: dict[str, tuple[float, float, float]] = {hub: (0.0, 0.0, 0.0)}  # x, y, angle
    first = -math.pi / 2 if len(around) > 2 else 0.0  # one or two: side by side, else from the top
    for n, i in enumerate(around):
        angle = first + 2 * math.pi * n / len(around)
        places[i] = (radius * math.cos(angle), radius * math.sin(angle), angle)

    def label_of(i: str) -> str:
        person = graph.people[i]
        if centre is not None and i != hub:
            return f"{person.name}: {letters(counts[i])} with {graph.people[hub].name}"
        return f"{person.name}: {letters(counts[i])}"

    raw_nodes = []
    for i in [hub, *around]:
        x, y, angle = places[i]
        r, width = size(i), len(graph.people[i].name) * FONT_SIZE * CHAR_WIDTH
        gap = r + 6
        if i == hub:  # below the centre
            tx, ty, anchor, shift = x, y + gap, "middle", 0.9
        else:
            cos, sin = math.cos(angle), math.sin(angle)
            tx, ty = x + gap * cos, y + gap * sin
            if abs(cos) < 0.05:  # straight above or below: centred there
                anchor, shift = "middle", (0.9 if sin > 0 else -0.25)
            else:  # beside, leaning down on the lower half and up on the upper
                anchor, shift = ("start" if cos > 0 else "end"), round(0.35 + 0.5 * sin, 2) + 0.0
        dy = f"{shift}em"
        left = {"start": tx, "middle": tx - width / 2, "end": tx - width}[anchor]
        top = ty + (shift - 1) * FONT_SIZE  # dy moves the baseline; a label rises about 1em above it
        box = (min(x - r, left), min(y - r, top), max(x + r, left + width), max(y + r, top + 1.3 * FONT_SIZE))
        raw_nodes.append((i, x, y, r, tx, ty, anchor, dy, box))

    min_x = min(n[8][0] for n in raw_nodes) - PADDING
    min_y = min(n[8][1] for n in raw_nodes) - PADDING
    max_x = max(n[8][2] for n in raw_nodes) + PADDING
    max_y = max(n[8][3] for n in raw_nodes) + PADDING

    nodes = tuple(
        Node(person=graph.people[i], href=None if i == centre else href(graph.people[i]), label=label_of(i),
             x=_round(x - min_x), y=_round(y - min_y), r=_round(r),
             text_x=_round(tx - min_x), text_y=_round(ty - min_y), anchor=anchor, dy=dy, centre=i == hub,
             hit=(_round(box[0] - min_x - 2), _round(box[1] - min_y - 2),
                  _round(box[2] - box[0] + 4), _round(box[3] - box[1] + 4)))
        for i, x, y, r, tx, ty, anchor, dy, box in raw_nodes
    )

    edges = []
    for (s, r), found in graph.pairs.items():
        (x1, y1, _), (x2, y2, _) = places[s], places[r]
        length = math.hypot(x2 - x1, y2 - y1)
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        shift = LANE if (r, s) in graph.pairs else 0.0  # both ways: each on its own side
        ox, oy = -uy * shift, ux * shift
        start, end = size(s) + 2, size(r) + 2  # the arrow's tip stops short of the circle
        sender, recipient = graph.people[s], graph.people[r]
        edges.append(Edge(
            sender=sender, recipient=recipient, count=len(found),
            label=f"{sender.name} to {recipient.name}: {letters(len(found))}",
            x1=_round(x1 + ux * start + ox - min_x), y1=_round(y1 + uy * start + oy - min_y),
            x2=_round(x2 - ux * end + ox - min_x), y2=_round(y2 - uy * end + oy - min_y),
            width=_round(min(5.0, 1.5 + 0.75 * (len(found) - 1))),
        ))
    return Drawing(id=id_, title=title, width=_round(max_x - min_x), height=_round(max_y - min_y),
                   nodes=nodes, edges=tuple(edges))
