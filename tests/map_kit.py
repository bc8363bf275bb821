"""A tiny archive with places on the map: MINI with coordinates, a hand-over place and a far summit."""

from __future__ import annotations

from archive_kit import MINI


def place(name: str, longitude: float, latitude: float, source: str | None = "GeoNames 1") -> str:
    curator = f'curator: {{coordinates: "{source}"}}\n' if source else ""
    return f"---\nname: {name}\ncoordinates:\n  longitude: {longitude}\n  latitude: {latitude}\n{curator}---\n"


# Lakeside holds the summit; Harbour, near it, is where a letter was handed over; Faraway has both;
# Nowhere neither. Faraway and Nowhere are too far from Lakeside to share its regional map. Unplaced has no
# coordinates: it is on no map and draws none.
ON_THE_MAP = {
    "places/lakeside.md": place("Lakeside", 10.0, 50.0),
    "places/harbour.md": place("Harbour", 20.0, 45.0),
    "places/faraway.md": place("Faraway", -60.0, -30.0),
    "places/nowhere.md": place("Nowhere", 90.0, 0.0),
    "places/unplaced.md": "---\nname: Unplaced\n---\n",
    "letters/2013-04-alpha-to-beta.md": MINI["letters/2013-04-alpha-to-beta.md"].replace(
        "topics: [trade]", "topics: [trade]\n        delivered_at: harbour").replace(
        "curator: {topics:", "curator: {delivered_at: \"Alphaland's foreign ministry\", topics:"),
    "letters/2013-05-beta-to-alpha.md": MINI["letters/2013-05-beta-to-alpha.md"].replace(
        "text_status: reported", "text_status: reported\n        delivered_at: faraway").replace(
        "curator: {summits:", "curator: {delivered_at: \"Betaland's statement\", summits:"),
    "summits/2014-01-far.md": """
        ---
        title: The far meeting
        place: faraway
        date: {date: "2014-01", curator: "the hosts' programme"}
        status: proposed
        curator: {place: "the hosts' programme", status: "the hosts' programme"}
        ---
        """,
}
