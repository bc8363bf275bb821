"""Places on a map, laid out for a static SVG: the world for the Places index, a region for a place's page.

The base map is Natural Earth's countries at 1:110m (maps/countries-110m.json, from world-atlas 2.0.2;
maps/README.md), decoded from TopoJSON once per build, projected and simplified here, and marked up by
templates/_map.svg.j2. The projection is equirectangular: x = (longitude - west) * cos(parallel) * scale,
y = (north - latitude) * scale, the world's standard parallel the equator, a region's its middle, so a
region is not stretched east-west. Nothing is fetched; every coordinate is rounded, so the same content
draws the same bytes.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..model.schema import Place

ATLAS = Path(__file__).resolve().parent / "maps" / "countries-110m.json"

Point = tuple[float, float]
Ring = list[Point]
Box = tuple[float, float, float, float]  # left, top, right, bottom

WORLD_WIDTH = 960
REGION_WIDTH = 640
ASPECT = 1.6  # a region's width to its height
NEIGHBOURHOOD = (20.0, 10.0)  # places this near in longitude and latitude share a place's regional map
MARGIN = 4.0  # degrees of latitude around the places a region shows
LEAST_SPAN = 20.0  # a region's least height, in degrees of latitude: a lone place shows its surroundings
TOLERANCE = 0.6  # px: outlines are simplified until no point left out is further than this from them
MARK = 6.0  # px: a mark's half-width
HIT = 12.0  # px: a mark's link target reaches this far from its middle (24 px across, WCAG 2.5.8)
FONT_SIZE = 14  # px, as the stylesheet sets it; a name is taken as 0.6 em a character, 1.2 em high

# What was at a place, as the marks tell it apart by shape: (label, shape). Legend in this order.
KINDS = {
    "summit": ("Summits and meetings", "diamond"),
    "handover": ("Letters handed over", "circle"),
    "both": ("Both", "square"),
    "other": ("Neither", "ring"),
}


@dataclass(frozen=True)
class Frame:
    """A stretch of the globe in degrees, and the parallel along which its east-west scale is true."""

    west: float
    east: float
    south: float
    north: float
    parallel: float = 0.0

    def scale(self, width: float) -> float:
        return width / ((self.east - self.west) * math.cos(math.radians(self.parallel)))

    def project(self, longitude: float, latitude: float, width: float) -> Point:
        k = self.scale(width)
        return ((longitude - self.west) * math.cos(math.radians(self.parallel)) * k, (self.north - latitude) * k)


WORLD = Frame(-180.0, 180.0, -58.0, 84.0)  # Antarctica left out: no letter goes there


@dataclass(frozen=True)
class Spot:
    """A place to draw: what was there ("summit", "handover"), and its page relative to the map's (None: this page)."""

    place: Place
    kinds: frozenset[str]
    href: str | None


@dataclass(frozen=True)
class Mark:
    place: Place
    href: str | None
    label: str  # what a screen reader and a tooltip say
    kind: str  # a key of KINDS
    x: float
    y: float
    d: str  # the mark's outline
    text_x: float | None  # where its name starts (or ends) beside it; None where no side has room
    anchor: str


@dataclass(frozen=True)
class PlaceMap:
    id: str
    title: str
    description: str
    width: float
    height: float
    land: str  # every country's outline, as one path
    marks: tuple[Mark, ...]
    legend: tuple[tuple[str, str, str], ...]  # (kind, label, its mark drawn in a 16 px box), kinds drawn only
    hit: float = HIT


@cache
def _atlas() -> tuple[tuple[tuple[Point, ...], Box], ...]:
    """Every country's rings in degrees, each with its bounds (west, south, east, north).

    A ring crossing the antimeridian (Russia's east, Fiji) is made continuous past 180 degrees and drawn
    twice, once a world to the west, so each half shows at its own edge with no line across the map.
    Cached: read and decoded once per process, however many pages draw a map."""
    topology = json.loads(ATLAS.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:  # delta-encoded, quantized
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    rings = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = geometry.get("arcs", [])
        for polygon in polygons if geometry["type"] == "MultiPolygon" else [polygons]:
            for indices in polygon:
                ring: Ring = []
                for index in indices:  # ~i: arc i reversed; consecutive arcs share their end point
                    arc = arcs[index] if index >= 0 else arcs[~index][::-1]
                    ring.extend(arc[1:] if ring else arc)
                rings.extend(_unwrapped(ring))
    return tuple((tuple(ring), _bounds(ring)) for ring in rings)


def _unwrapped(ring: Ring) -> list[Ring]:
    shift, out = 0.0, [ring[0]]
    for (lon0, _), (lon, lat) in zip(ring, ring[1:]):
        if abs(lon - lon0) > 180:
            shift -= math.copysign(360, lon - lon0)
        out.append((lon + shift, lat))
    if out[-1][0] - out[0][0] != 0 or not any(lon > 180 or lon < -180 for lon, _ in out):
        return [ring]  # within the map, or round a pole (Antarctica, which no map here shows)
    shift = -360 if max(lon for lon, _ in out) > 180 else 360
    return [out, [(lon + shift, lat) for lon, lat in out]]


def _bounds(ring: Ring) -> Box:
    return (min(p[0] for p in ring), min(p[1] for p in ring), max(p[0] for p in ring), max(p[1] for p in ring))


def _simplify(points: Sequence[Point]) -> list[Point]:
    """Douglas-Peucker: the fewest points within TOLERANCE of the line; the ends always kept."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1)
        farthest, index = 0.0, 0
        for i in range(first + 1, last):
            x, y = points[i]
            gap = (abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / length if length
                   else math.hypot(x - x1, y - y1))
            if gap > farthest:
                farthest, index = gap, i
        if farthest > TOLERANCE:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(points, keep) if kept]


def _clip(ring: Ring, box: Box) -> Ring:
    """Sutherland-Hodgman: the part of a ring inside the box (left, top, right, bottom)."""
    left, top, right, bottom = box
    edges = ((0, left, True), (0, right, False), (1, top, True), (1, bottom, False))
    for axis, limit, above in edges:
        if not ring:
            break

        def inside(p: Point) -> bool:
            return p[axis] >= limit if above else p[axis] <= limit

        out: Ring = []
        for i, current in enumerate(ring):
            previous = ring[i - 1]
            if inside(current) != inside(previous):
                t = (limit - previous[axis]) / (current[axis] - previous[axis])
                out.append((previous[0] + t * (current[0] - previous[0]), previous[1] + t * (current[1] - previous[1])))
            if inside(current):
                out.append(current)
        ring = out
    return ring


def _num(value: float) -> str:
    return f"{round(value, 1):g}"


def _land(frame: Frame, width: float, height: float) -> str:
    """Every country's outline within the frame, simplified at its scale, as one path's data."""
    box = (-2.0, -2.0, width + 2, height + 2)  # just outside the view: the cut edges are never seen
    parts = []
    for ring, (west, south, east, north) in _atlas():
        if east < frame.west or west > frame.east or north < frame.south or south > frame.north:
            continue
        points = _simplify([frame.project(lon, lat, width) for lon, lat in ring])
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        if max(xs) - min(xs) < 1 and max(ys) - min(ys) < 1:
            continue  # smaller than a pixel
        clipped = _clip(points, box)
        if len(clipped) >= 3:
            parts.append("M" + "L".join(f"{_num(x)} {_num(y)}" for x, y in clipped) + "Z")
    return "".join(parts)


def _shape(kind: str, x: float, y: float, r: float = MARK) -> str:
    """A mark's outline: a different shape for each kind, so no reader needs its colour."""
    shape = KINDS[kind][1]
    if shape == "diamond":
        s = r * 1.25
        return f"M{_num(x)} {_num(y - s)}L{_num(x + s)} {_num(y)}L{_num(x)} {_num(y + s)}L{_num(x - s)} {_num(y)}Z"
    if shape == "square":
        return f"M{_num(x - r)} {_num(y - r)}h{_num(2 * r)}v{_num(2 * r)}h{_num(-2 * r)}Z"
    # a circle (a ring is the same outline, drawn hollow by the stylesheet)
    return f"M{_num(x - r)} {_num(y)}a{_num(r)} {_num(r)} 0 1 0 {_num(2 * r)} 0a{_num(r)} {_num(r)} 0 1 0 {_num(-2 * r)} 0Z"


def _kind_of(kinds: frozenset[str]) -> str:
    return "both" if len(kinds) > 1 else next(iter(kinds), "other")


def _said(spot: Spot) -> str:
    kind = _kind_of(spot.kinds)
    what = {"summit": "summits and meetings", "handover": "letters handed over",
            "both": "summits and meetings, and letters handed over", "other": "neither summits nor letters"}[kind]
    return f"{spot.place.name}: {what}"


def _label_side(name: str, x: float, y: float, width: float, taken: list[Box]) -> int | None:
    """Which side of its mark a name fits on, clear of the view's edge and of the marks and names already
    placed (1 right, -1 left), noting its room as taken; None where neither does: its link still names it."""
    length = len(name) * 0.6 * FONT_SIZE
    for side in (1, -1):
        start = x + side * (MARK + 4)
        box = (min(start, start + side * length), y - 0.6 * FONT_SIZE, max(start, start + side * length),
               y + 0.6 * FONT_SIZE)
        if box[0] >= 0 and box[2] <= width and not any(_overlap(box, other) for other in taken
                                                         if other != (x - MARK, y - MARK, x + MARK, y + MARK)):
            taken.append(box)
            return side
    return None


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def region(here: Place, others: Sequence[Place]) -> Frame:
    """A frame around a place and the places near it, wide enough to show where they are."""
    assert here.coordinates is not None
    lon, lat = here.coordinates.longitude, here.coordinates.latitude
    near = [p.coordinates for p in (here, *others) if p.coordinates is not None
            and abs(p.coordinates.longitude - lon) <= NEIGHBOURHOOD[0]
            and abs(p.coordinates.latitude - lat) <= NEIGHBOURHOOD[1]]
    south = min(c.latitude for c in near) - MARGIN
    north = max(c.latitude for c in near) + MARGIN
    middle = (south + north) / 2
    span = max(north - south, LEAST_SPAN)
    cos = math.cos(math.radians(min(abs(middle), 75.0)))
    west = min(c.longitude for c in near) - MARGIN / cos
    east = max(c.longitude for c in near) + MARGIN / cos
    span = max(span, (east - west) * cos / ASPECT)  # tall enough for the width the places need
    width = span * ASPECT / cos  # in degrees of longitude
    # Centred on the places, moved back inside the map's data where it would run off it.
    west = min(max((west + east) / 2 - width / 2, -180.0), 180.0 - width)
    south = min(max(middle - span / 2, -85.0), 85.0 - span)
    return Frame(west, west + width, south, south + span, middle)


def draw(spots: Sequence[Spot], frame: Frame, width: int, id_: str, title: str, what: str) -> PlaceMap:
    """Lay out a map of `spots` over the frame, each place's name beside its mark where there is room:
    the page's own place named first, drawn last (on top)."""
    height = (frame.north - frame.south) * frame.scale(width)
    placed = []
    for spot in spots:
        assert spot.place.coordinates is not None
        x, y = frame.project(spot.place.coordinates.longitude, spot.place.coordinates.latitude, width)
        if MARK <= x <= width - MARK and MARK <= y <= height - MARK:  # whole marks only
            placed.append((spot, x, y))
    taken: list[Box] = [(x - MARK, y - MARK, x + MARK, y + MARK) for _, x, y in placed]
    sides = {spot.place.id: _label_side(spot.place.name, x, y, width, taken)
             for spot, x, y in sorted(placed, key=lambda found: found[0].href is not None)}
    marks = []
    for spot, x, y in placed:
        kind = _kind_of(spot.kinds)
        side = sides[spot.place.id]
        marks.append(Mark(place=spot.place, href=spot.href, label=_said(spot), kind=kind,
                          x=round(x, 1), y=round(y, 1), d=_shape(kind, x, y),
                          text_x=None if side is None else round(x + side * (MARK + 4), 1),
                          anchor="end" if side == -1 else "start"))
    drawn = {m.kind for m in marks}
    legend = tuple((kind, label, _shape(kind, 8, 8)) for kind, (label, _) in KINDS.items() if kind in drawn)
    names = [m.label for m in marks]
    description = f"{what} marking {len(marks)} place{'' if len(marks) == 1 else 's'}: " + "; ".join(names) + "."
    return PlaceMap(id=id_, title=title, description=description, width=width, height=round(height, 1),
                    land=_land(frame, width, height), marks=tuple(marks), legend=legend)


def world(spots: Sequence[Spot]) -> PlaceMap:
    return draw(spots, WORLD, WORLD_WIDTH, "places-map", "Places on a map of the world", "A map of the world")


def around(here: Spot, others: Sequence[Spot]) -> PlaceMap:
    """A place's own map: its region, with the places near it, each a link to its page."""
    frame = region(here.place, [s.place for s in others])
    return draw([*others, here], frame, REGION_WIDTH, "place-map", f"{here.place.name} on a map",
                "A map of the region")
