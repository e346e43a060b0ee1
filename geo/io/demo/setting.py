"""Millbrook's fixed facts: its name, the ground it stands on, the date the demo is "as of",
the seed every generator draws from, and the two hostile place names.

Shared by every part of the demo, so that wards, places and initiatives agree on where and
when the town is; also the local metre frame they are drawn in and two ways of picking a
spot inside a ward.
"""

from __future__ import annotations

import math
import random
from datetime import date, datetime, timedelta

import shapely
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry

TOWN = "Millbrook"
SOURCE = "demo"
AS_OF = date(2026, 11, 1)
CENTRE = (-1.4746, 52.9225)  # lon, lat; the town is fictional, the ground under it is not
SEED = 20261101

HOSTILE_MARKUP_NAME = "<img src=x onerror=\"alert('xss')\"><script>alert('xss')</script> Corner"
# Were it evaluated, the page would show "PWNED-42"; shown literally it keeps "$((6*7))".
HOSTILE_TEMPLATE_NAME = (
    "{{ cycler.__init__.__globals__.os.popen('echo PWNED-$((6*7))').read() }} Green"
)

WARD_NAMES = (
    "Old Town",
    "Riverside",
    "Northgate",
    "St Anne's",
    "Brookside",
    "Hillcrest",
    "Canal Quarter",
    "Ashby Park",
    "Kingsmead",
    "Eastfield",
    "Westbury",
    "Fairview",
    "Orchard Vale",
    "Mill Lane",
)
AS_OF_TIME = datetime.combine(AS_OF, datetime.min.time()) + timedelta(hours=12)


class TownFrame:
    """Local metres around the town centre <-> longitude/latitude (fine at town scale)."""

    def __init__(self, lon0: float, lat0: float) -> None:
        self.lon0, self.lat0 = lon0, lat0
        self.mx = 111_320.0 * math.cos(math.radians(lat0))
        self.my = 110_540.0

    def to_lonlat(self, geometry: BaseGeometry) -> BaseGeometry:
        return shapely.transform(
            geometry,
            lambda xy: xy / [self.mx, self.my] + [self.lon0, self.lat0],
        )


def random_point_in(rng: random.Random, polygon: Polygon) -> Point:
    """A spot at least 60 m inside ``polygon``, so nothing is drawn on a ward's edge."""
    minx, miny, maxx, maxy = polygon.bounds
    while True:
        point = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if polygon.buffer(-60).contains(point):
            return point


def near(rng: random.Random, polygon: Polygon, hub: Point, spread: float) -> Point:
    """A spot scattered around ``hub`` inside ``polygon``: places cluster as towns do."""
    inner = polygon.buffer(-60)
    for _ in range(200):
        point = Point(hub.x + rng.gauss(0, spread), hub.y + rng.gauss(0, spread))
        if inner.contains(point):
            return point
    return hub
