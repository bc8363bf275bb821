"""The correspondence network: who wrote to whom, laid out for a static SVG.

This module only counts and places: people who sent or received letters are
nodes, each (sender, recipient) pair with its letters is an edge. People linked
by letters, directly or through others, form a circle; unrelated circles are
drawn apart, side by side, then in rows. Each circle is a wheel, its most
connected person (or the page's own person) in the middle and the others
around them; a wheel with a line across its middle becomes a plain ring. Each
arrangement is checked (no line passes a node it does not join, no label
touches another label or node) and widened until it holds. The markup is drawn
by templates/_network.svg.j2. Nothing is random and every coordinate is
rounded, so the same content draws the same bytes.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from ..link.graph import Archive
from ..model.schema import Letter, Person

Pair = tuple[str, str]  # (sender id, recipient id)

FONT_SIZE = 14  # user units; the stylesheet sets the same size on the labels
CHAR_WIDTH = 0.6  # a generous average glyph width, in ems, to keep labels inside the view
LINE = 1.3  # a label's height in ems: from 1em above its baseline to 0.3em below
PADDING = 8
MIN_RADIUS = 150
ARROW = 10  # arrowhead length in user units (markerUnits="userSpaceOnUse")
LANE = 3.5  # letters both ways between two people: each direction is drawn this far off the axis
LABEL_GAP = 6  # from a node's rim to its label
CLEARANCE = 10  # the least room between a node's rim and a line it does not join: an arrowhead is 5 each side
SPACE = 4  # the least room between two labels, or a label and another node
CIRCLE_GAP = 32  # between two circles of correspondents
ROW_WIDTH = 720  # circles sit side by side up to this width (or the widest circle's), then start a new row
GROWTH = 1.15  # each repair widens a circle this much
WHEEL_TRIES = 6  # a wheel widened this often that still has a line through its hub becomes a plain ring
RING_TRIES = 80  # a ring always comes clear once wide enough; this bounds the search all the same


@dataclass(frozen=True)
class Correspondence:
    """Who wrote to whom: the letters of each (sender, recipient) pair."""

    people: dict[str, Person]  # everyone who sent or received a letter, by id
    pairs: dict[Pair, tuple[Letter, ...]]  # in date order

    @cached_property
    def _pairs_of(self) -> dict[str, list[Pair]]:
        """Each person's pairs, in the drawing's order: every page's look-up without a scan of all pairs."""
        found: dict[str, list[Pair]] = defaultdict(list)
        for pair in self.pairs:
            for person_id in dict.fromkeys(pair):
                found[person_id].append(pair)
        return found

    def letters_of(self, person_id: str) -> set[str]:
        """Ids of the letters a person sent or received (a letter to many counts once)."""
        return {letter.id for pair in self._pairs_of.get(person_id, ()) for letter in self.pairs[pair]}

    def ego(self, person_id: str) -> Correspondence:
        """A person and those they exchanged letters with: only the pairs that include them."""
        pairs = {pair: self.pairs[pair] for pair in self._pairs_of.get(person_id, ())}
        ids = sorted({i for pair in pairs for i in pair})  # people are kept in id order
        return Correspondence({i: self.people[i] for i in ids}, pairs)

    def top(self, n: int) -> Correspondence:
        """The `n` people with the most letters (ties by name) and the pairs among them.

        What a page can draw legibly when the whole network is too big. Someone among the `n`
        whose every correspondent is left out is not drawn: a node with no line says nothing.
        """
        letters: dict[str, set[str]] = defaultdict(set)
        for (s, r), found in self.pairs.items():
            for letter in found:
                letters[s].add(letter.id)
                letters[r].add(letter.id)
        chosen = set(sorted(self.people, key=lambda i: (-len(letters[i]), *_name_key(self.people[i])))[:n])
        pairs = {pair: found for pair, found in self.pairs.items() if pair[0] in chosen and pair[1] in chosen}
        ids = {i for pair in pairs for i in pair}
        return Correspondence({i: p for i, p in self.people.items() if i in ids}, pairs)


def correspondence(archive: Archive) -> Correspondence:
    pairs = archive.exchanges()
    people = {i: archive.person(i) for i in {i for pair in pairs for i in pair}}  # each looked up once
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
    centre: bool  # in the middle of its circle: drawn filled
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


# Geometry -------------------------------------------------------------------------

Box = tuple[float, float, float, float]  # left, top, right, bottom
Segment = tuple[float, float, float, float]  # x1, y1, x2, y2


@dataclass(frozen=True)
class _Place:
    """A node and its label, before the drawing is rounded."""

    x: float
    y: float
    r: float
    text_x: float
    text_y: float
    anchor: str
    shift: float  # the label's baseline shift, in ems
    label: Box
    centre: bool

    @property
    def extent(self) -> Box:
        """Node and label together: the clickable area."""
        return (min(self.x - self.r, self.label[0]), min(self.y - self.r, self.label[1]),
                max(self.x + self.r, self.label[2]), max(self.y + self.r, self.label[3]))

    def moved(self, dx: float, dy: float) -> _Place:
        left, top, right, bottom = self.label
        return _Place(self.x + dx, self.y + dy, self.r, self.text_x + dx, self.text_y + dy, self.anchor,
                      self.shift, (left + dx, top + dy, right + dx, bottom + dy), self.centre)


def _place(x: float, y: float, r: float, name: str, angle: float | None, centre: bool) -> _Place:
    """A node with its label outside the circle it sits on (at `angle` from its middle), or below it."""
    width, gap = len(name) * FONT_SIZE * CHAR_WIDTH, r + LABEL_GAP
    if angle is None:
        tx, ty, anchor, shift = x, y + gap, "middle", 0.9
    else:
        cos, sin = math.cos(angle), math.sin(angle)
        tx, ty = x + gap * cos, y + gap * sin
        if abs(cos) < 0.05:  # straight above or below: centred there
            anchor, shift = "middle", (0.9 if sin > 0 else -0.25)
        else:  # beside, leaning down on the lower half and up on the upper
            anchor, shift = ("start" if cos > 0 else "end"), round(0.35 + 0.5 * sin, 2) + 0.0
    left = {"start": tx, "middle": tx - width / 2, "end": tx - width}[anchor]
    top = ty + (shift - 1) * FONT_SIZE  # dy moves the baseline; a label rises about 1em above it
    return _Place(x, y, r, tx, ty, anchor, shift, (left, top, left + width, top + LINE * FONT_SIZE), centre)


_HAIR = 1e-6


def _to_segment(px: float, py: float, segment: Segment) -> float:
    """Distance from a point to a line segment."""
    x1, y1, x2, y2 = segment
    dx, dy = x2 - x1, y2 - y1
    t = max(0.0, min(1.0, ((px - x1) * dx + (py - y1) * dy) / (dx * dx + dy * dy or 1.0)))
    return math.hypot(px - x1 - t * dx, py - y1 - t * dy)


def _to_box(px: float, py: float, box: Box) -> float:
    """Distance from a point to a box (0 inside it)."""
    left, top, right, bottom = box
    return math.hypot(max(left - px, 0.0, px - right), max(top - py, 0.0, py - bottom))


def _overlap(a: Box, b: Box, space: float) -> bool:
    return a[0] < b[2] + space and b[0] < a[2] + space and a[1] < b[3] + space and b[1] < a[3] + space


def _segments(places: dict[str, _Place], pairs: list[Pair]) -> dict[Pair, Segment]:
    """Each pair's line: rim to rim, the arrow's tip short of the recipient, off the axis when both wrote."""
    found, both = {}, set(pairs)
    for s, r in pairs:
        a, b = places[s], places[r]
        length = math.hypot(b.x - a.x, b.y - a.y)
        ux, uy = (b.x - a.x) / length, (b.y - a.y) / length
        shift = LANE if (r, s) in both else 0.0  # both ways: each on its own side
        ox, oy = -uy * shift, ux * shift
        start, end = a.r + 2, b.r + 2
        found[(s, r)] = (a.x + ux * start + ox, a.y + uy * start + oy, b.x - ux * end + ox, b.y - uy * end + oy)
    return found


def _clear(places: dict[str, _Place], pairs: list[Pair]) -> bool:
    """No line passes a node it does not join; no label touches another label or node.

    Nor may a node's clickable area (its node and label's bounding box) reach another's
    node or the body of its label, or a click there would open the wrong page.
    """
    nodes = [(i, p.x, p.y, p.r + CLEARANCE) for i, p in places.items()]
    for (s, r), segment in _segments(places, pairs).items():
        # A node farther than its clearance from the segment's bounding box is farther from the segment
        # (a hair more, against rounding): most nodes of a wide circle, spared the distance itself.
        x1, y1, x2, y2 = segment
        left, right, top, bottom = min(x1, x2) - _HAIR, max(x1, x2) + _HAIR, min(y1, y2) - _HAIR, max(y1, y2) + _HAIR
        for i, x, y, room in nodes:
            if x + room < left or x - room > right or y + room < top or y - room > bottom or i == s or i == r:
                continue
            if _to_segment(x, y, segment) < room:
                return False
    # Each place's clickable area and its label's body, once: the pairs below are most of a layout's time.
    items = [(p, p.extent, _inset(p.label, SPACE)) for p in places.values()]
    for n, (p, p_extent, p_body) in enumerate(items):
        for q, q_extent, q_body in items[n + 1:]:
            if _overlap(p.label, q.label, SPACE) \
                    or _to_box(q.x, q.y, p_extent) < q.r + SPACE or _overlap(p_extent, q_body, 0.0) \
                    or _to_box(p.x, p.y, q_extent) < p.r + SPACE or _overlap(q_extent, p_body, 0.0):
                return False
    return True


def _inset(box: Box, by: float) -> Box:
    return (box[0] + by, box[1] + by, box[2] - by, box[3] - by)


# Arrangement ----------------------------------------------------------------------


def _walk(roots: list[str], neighbours: dict[str, set[str]], rank: dict[str, int]) -> list[str]:
    """Everyone reachable from `roots`, depth first, best ranked first: people who wrote sit side by side."""
    seen: set[str] = set()
    order: list[str] = []
    for root in roots:
        stack = [root]
        while stack:
            i = stack.pop()
            if i in seen:
                continue
            seen.add(i)
            order.append(i)
            stack.extend(sorted(neighbours[i] - seen, key=rank.__getitem__, reverse=True))
    return order


def _wheel(hub: str, around: list[str], radius: float, size: dict[str, float],
           names: dict[str, str]) -> dict[str, _Place]:
    """The hub in the middle, the others around it from the top, clockwise; one or two: side by side."""
    places = {hub: _place(0.0, 0.0, size[hub], names[hub], None, True)}
    first = -math.pi / 2 if len(around) > 2 else 0.0
    for n, i in enumerate(around):
        angle = first + 2 * math.pi * n / len(around)
        places[i] = _place(radius * math.cos(angle), radius * math.sin(angle), size[i], names[i], angle, False)
    return places


def _ring(order: list[str], radius: float, size: dict[str, float], names: dict[str, str],
          centre: str | None) -> dict[str, _Place]:
    """Everyone on one circle, from the top, clockwise: a line between two of them passes no other."""
    places = {}
    for n, i in enumerate(order):
        angle = -math.pi / 2 + 2 * math.pi * n / len(order)
        places[i] = _place(radius * math.cos(angle), radius * math.sin(angle), size[i], names[i], angle,
                           i == centre)
    return places


def _arrange(ids: list[str], hub: str, pairs: list[Pair], neighbours: dict[str, set[str]],
             rank: dict[str, int], size: dict[str, float], names: dict[str, str],
             centre: str | None) -> dict[str, _Place]:
    """One circle of correspondents, widened until it is clear.

    A wheel when the hub wrote with at least half the others; a plain ring when it did
    not (a chain, say) or when a line between two on the rim would cross the hub.
    """
    if 2 * len(neighbours[hub]) >= len(ids) - 1:
        rim = {i: neighbours[i] - {hub} for i in ids}  # who sits next to whom around the hub
        around = _walk([i for i in ids if i != hub], rim, rank)
        radius = max(MIN_RADIUS, 3.5 * len(around))
        for _ in range(WHEEL_TRIES):
            places = _wheel(hub, around, radius, size, names)
            if _clear(places, pairs):
                return places
            radius *= GROWTH
    order = _walk([hub], neighbours, rank)
    radius = max(MIN_RADIUS, 3.5 * len(order))
    for _ in range(RING_TRIES):
        places = _ring(order, radius, size, names, centre)
        if _clear(places, pairs):
            break
        radius *= GROWTH
    return places


def _pack(extents: list[Box]) -> list[tuple[float, float]]:
    """Where each circle goes: left to right in rows no wider than ROW_WIDTH, each row centred."""
    limit = max([ROW_WIDTH, *(right - left for left, _, right, _ in extents)])
    rows: list[list[int]] = []
    used = 0.0
    for n, (left, _, right, _) in enumerate(extents):
        if rows and used + CIRCLE_GAP + right - left <= limit:
            rows[-1].append(n)
            used += CIRCLE_GAP + right - left
        else:
            rows.append([n])
            used = right - left
    widths = [sum(extents[n][2] - extents[n][0] for n in row) + CIRCLE_GAP * (len(row) - 1) for row in rows]
    offsets: list[tuple[float, float]] = [(0.0, 0.0)] * len(extents)
    y = 0.0
    for row, width in zip(rows, widths):
        height = max(extents[n][3] - extents[n][1] for n in row)
        x = (max(widths) - width) / 2
        for n in row:
            left, top, right, bottom = extents[n]
            offsets[n] = (x - left, y + (height - (bottom - top)) / 2 - top)
            x += right - left + CIRCLE_GAP
        y += height + CIRCLE_GAP
    return offsets


def _components(ranked: list[str], neighbours: dict[str, set[str]], rank: dict[str, int]) -> list[list[str]]:
    """People who are linked by letters, directly or through others: each group once."""
    seen: set[str] = set()
    found = []
    for i in ranked:
        if i not in seen:
            group = _walk([i], neighbours, rank)
            seen.update(group)
            found.append(group)
    return found


def _union(boxes: list[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def layout(graph: Correspondence, href: Callable[[Person], str], centre: str | None = None,
           id_: str = "network", title: str = "Who wrote to whom") -> Drawing | None:
    """Place the graph's circles of correspondents; `href` gives each person's page relative to the drawing's.

    With `centre`, that person sits in the middle of their circle and is not a
    link (their own page); otherwise each circle's person with the most
    correspondents does.
    """
    if not graph.pairs:
        return None
    neighbours: dict[str, set[str]] = defaultdict(set)
    for s, r in graph.pairs:
        neighbours[s].add(r)
        neighbours[r].add(s)
    counts = {i: len(graph.letters_of(i)) for i in graph.people}
    ranked = sorted(graph.people, key=lambda i: (-len(neighbours[i]), -counts[i], *_name_key(graph.people[i])))
    rank = {i: n for n, i in enumerate(ranked)}
    size = {i: 6 + 3 * math.sqrt(counts[i]) for i in ranked}
    names = {i: graph.people[i].name for i in ranked}

    circles = sorted((sorted(ids, key=rank.__getitem__) for ids in _components(ranked, neighbours, rank)),
                     key=lambda ids: (-len(ids), rank[ids[0]]))
    placed: list[dict[str, _Place]] = []
    for ids in circles:
        hub, members = (centre if centre in ids else ids[0]), set(ids)
        inside = [pair for pair in graph.pairs if pair[0] in members]
        placed.append(_arrange(ids, hub, inside, neighbours, rank, size, names, centre))
    extents = [_union([p.extent for p in places.values()]) for places in placed]
    places = {i: p.moved(dx + PADDING, dy + PADDING)
              for (dx, dy), circle in zip(_pack(extents), placed) for i, p in circle.items()}
    _, _, right, bottom = _union([p.extent for p in places.values()])

    def label_of(i: str) -> str:
        person = graph.people[i]
        if centre is not None and i != centre:
            return f"{person.name}: {letters(counts[i])} with {graph.people[centre].name}"
        return f"{person.name}: {letters(counts[i])}"

    nodes = tuple(
        Node(person=graph.people[i], href=None if i == centre else href(graph.people[i]), label=label_of(i),
             x=_round(p.x), y=_round(p.y), r=_round(p.r), text_x=_round(p.text_x), text_y=_round(p.text_y),
             anchor=p.anchor, dy=f"{p.shift}em", centre=p.centre,
             hit=(_round(p.extent[0] - 2), _round(p.extent[1] - 2),
                  _round(p.extent[2] - p.extent[0] + 4), _round(p.extent[3] - p.extent[1] + 4)))
        for i, p in places.items()
    )
    segments = _segments(places, list(graph.pairs))
    edges = tuple(
        Edge(sender=graph.people[s], recipient=graph.people[r], count=len(found),
             label=f"{graph.people[s].name} to {graph.people[r].name}: {letters(len(found))}",
             x1=_round(segments[(s, r)][0]), y1=_round(segments[(s, r)][1]),
             x2=_round(segments[(s, r)][2]), y2=_round(segments[(s, r)][3]),
             width=_round(min(5.0, 1.5 + 0.75 * (len(found) - 1))))
        for (s, r), found in graph.pairs.items()
    )
    return Drawing(id=id_, title=title, width=_round(right + PADDING), height=_round(bottom + PADDING),
                   nodes=nodes, edges=edges)
