"""Building the public map: one GeoJSON layer per dataset, points clustered.

Every text that reaches folium passes through ``escape.for_map`` and each feature carries
only the properties the map shows (DESIGN.md §4). Layers are ``FeatureGroup``s so the page
can hand them to ``st_folium(feature_group_to_add=…)``: the base map then stays the same
across filter changes and the reader keeps their pan and zoom.
"""

from __future__ import annotations

import html
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

import folium
import geopandas as gpd
import pandas as pd
import shapely
from branca.element import MacroElement
from folium.plugins import Draw, FastMarkerCluster
from jinja2 import Template
from shapely.geometry.base import BaseGeometry

from geo import i18n
from geo.errors import SafePlayError
from geo.escape import for_map
from geo.i18n import N_, t, tn
from geo.mapping.assets import serve_locally
from geo.vocabulary import (
    INITIATIVE_KINDS,
    INITIATIVE_STATUSES,
    PLACE_KINDS,
    PUBLIC_STATUSES,
    label,
)
from geo.wording import age_text, number

PLACE_COLOURS = {
    "playground": "#d9480f",
    "park": "#2b8a3e",
    "school_yard": "#1971c2",
    "play_street": "#e8590c",
    "youth_space": "#7048e8",
    "games_area": "#c2255c",
    "skate_park": "#495057",
    "water_play": "#0c8599",
    "adventure_playground": "#a61e4d",
}
STATUS_COLOURS = {
    "submitted": "#1c7ed6",
    "changes_requested": "#f59f00",
    "approved": "#2f9e44",
    "rejected": "#868e96",
    "in_progress": "#9c36b5",
    "completed": "#087f5b",
}
_OTHER = "#343a40"
Counted = Literal["play areas", "initiatives"]
# Builds one point marker from a row [lat, lon, tooltip, colour]; the tooltip text was
# escaped with for_map on the server.
_POINT_MARKER = """
function (row) {
    var marker = L.circleMarker(new L.LatLng(row[0], row[1]), {
        radius: 7, weight: 2, color: row[3], fillColor: row[3], fillOpacity: 0.8});
    marker.bindTooltip(row[2]);
    return marker;
}
"""


@dataclass(frozen=True)
class Layers:
    """The public map's layers, in drawing order (wards under places under initiatives)."""

    wards: folium.FeatureGroup
    places: folium.FeatureGroup
    initiatives: folium.FeatureGroup

    def all(self) -> list[folium.FeatureGroup]:
        return [self.wards, self.places, self.initiatives]


OSM_TILES_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
_TEMPLATE = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/[^\s'\";<>]*")


class TilesSettingInvalid(SafePlayError):
    """``SAFEPLAY_TILES`` is neither a known name nor a usable URL template."""


@dataclass(frozen=True)
class Tiles:
    """The base map: a tile URL template and its attribution, already HTML (Leaflet and
    folium show it as markup; a council's own wording is escaped before it gets here)."""

    url: str
    attribution: str

    @property
    def origin(self) -> str:
        """Where every visitor's browser fetches tiles from: what the CSP's img-src allows."""
        scheme, _, rest = self.url.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}"


def tiles_setting() -> Tiles | None:
    """Base tiles from ``SAFEPLAY_TILES``: ``openstreetmap`` (the default), ``none`` (no
    third party sees a visitor: intranets, tests), or a council's own URL template with
    ``{z}``, ``{x}`` and ``{y}`` and its ``SAFEPLAY_TILES_ATTRIBUTION``. A template that
    could smuggle words into the Content-Security-Policy is refused, not trimmed."""
    value = os.environ.get("SAFEPLAY_TILES", "openstreetmap").strip()
    if value.lower() in ("", "none", "off"):
        return None
    if value.lower() == "openstreetmap":
        return Tiles(OSM_TILES_URL, OSM_ATTRIBUTION)
    if not _TEMPLATE.fullmatch(value) or not all(p in value for p in ("{z}", "{x}", "{y}")):
        raise TilesSettingInvalid(
            "SAFEPLAY_TILES must be none, openstreetmap or an http(s) URL template with "
            "{z}, {x} and {y}, such as https://tiles.council.example/{z}/{x}/{y}.png"
        )
    written = os.environ.get("SAFEPLAY_TILES_ATTRIBUTION", "").strip()
    if not written:
        raise TilesSettingInvalid(
            "SAFEPLAY_TILES_ATTRIBUTION must say whose map the tiles are (their licence "
            "asks for it), such as SAFEPLAY_TILES_ATTRIBUTION='© Council'"
        )
    return Tiles(value, html.escape(written, quote=True))


def base_map(bounds: tuple[float, float, float, float]) -> folium.Map:
    """An empty map framed on ``bounds`` (minx, miny, maxx, maxy) with local assets only."""
    minx, miny, maxx, maxy = bounds
    tiles = tiles_setting()
    fmap = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=13,
        tiles=tiles.url if tiles else None,
        attr=tiles.attribution if tiles else None,
        control_scale=True,
    )
    # Without a tile layer nothing tells Leaflet how far one can zoom, and the
    # cluster plugin refuses to start ("Map has no maxZoom specified").
    fmap.options["max_zoom"] = 19
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    _TooltipsInside().add_to(fmap)
    return serve_locally(fmap)


class _TooltipsInside(MacroElement):
    """Keeps every tooltip wholly inside the map.

    Leaflet places a tooltip beside its feature and only flips it left or right; near the
    top or bottom edge (or in a narrow phone map) part of it fell outside the map's frame
    and was cut off. After Leaflet has placed a tooltip, it is moved back inside; long
    texts wrap instead of running off the side.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .leaflet-tooltip { white-space: normal; width: max-content; max-width: 260px; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var proto = L.Tooltip.prototype;
            if (proto._safeplayInside) { return; }
            proto._safeplayInside = true;
            var place = proto._setPosition;
            proto._setPosition = function (pos) {
                place.call(this, pos);
                var map = this._map, box = this._container;
                if (!map || !box) { return; }
                var size = map.getSize(), margin = 4;
                var at = L.DomUtil.getPosition(box);
                var corner = map.layerPointToContainerPoint(at);
                var x = Math.max(margin, Math.min(corner.x, size.x - box.offsetWidth - margin));
                var y = Math.max(margin, Math.min(corner.y, size.y - box.offsetHeight - margin));
                if (x !== corner.x || y !== corner.y) {
                    L.DomUtil.setPosition(box, at.add([x - corner.x, y - corner.y]));
                }
            };
        })();
        {% endmacro %}
        """
    )


def build_layers(
    wards: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    initiatives: gpd.GeoDataFrame,
    place_counts: pd.DataFrame | None = None,
) -> Layers:
    """The map's layers; with ``place_counts`` the play areas are one circle per ward."""
    if place_counts is None:
        shown = place_layer(places)
    else:
        shown = ward_count_layer(place_counts, "play areas", "Play areas")
    return Layers(ward_layer(wards), shown, initiative_layer(initiatives))


def counted(noun: Counted, n: int) -> str:
    """ "1 play area", "12 initiatives" in the reader's language (and its plural forms)."""
    if noun == "initiatives":
        return tn("{n} initiative", "{n} initiatives", n)
    return tn("{n} play area", "{n} play areas", n)


def ward_count_layer(
    counts: pd.DataFrame, noun: Counted, name: str, colour: str = "#d9480f"
) -> folium.FeatureGroup:
    """Features summarised as one circle per ward, sized by ``counts["count"]`` — what the
    maps send at city scale instead of thousands of shapes. ``noun`` names what is counted;
    the tooltip says it with the right plural in the reader's language."""
    group = folium.FeatureGroup(name=name, control=True)
    biggest = max(int(counts["count"].max()), 1) if not counts.empty else 1
    features = [
        _feature(
            shapely.Point(row.lon, row.lat),
            {
                "name": for_map(row.name),
                "count": for_map(counted(noun, int(row.count))),
                "radius": 8 + 22 * math.sqrt(int(row.count) / biggest),
            },
        )
        for row in counts.itertuples()
    ]
    if features:
        folium.GeoJson(
            _collection(features),
            name=f"{name} (per ward)",
            marker=folium.CircleMarker(
                radius=12, weight=2, fill=True, fill_opacity=0.5, color=colour
            ),
            style_function=lambda f: {"radius": f["properties"]["radius"]},
            tooltip=folium.GeoJsonTooltip(fields=["name", "count"], aliases=[t("Ward"), ""]),
        ).add_to(group)
    return group


def ward_layer(wards: gpd.GeoDataFrame) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name="Wards", control=True)
    features = [
        _feature(row.geometry, {"name": for_map(row.name), "code": for_map(row.code)})
        for row in wards.itertuples()
    ]
    folium.GeoJson(
        _collection(features),
        name="Wards",
        style_function=lambda _f: {
            "color": "#364fc7",
            "weight": 2,
            "fillOpacity": 0.03,
            "dashArray": "6 4",
        },
        highlight_function=lambda _f: {"weight": 3, "fillOpacity": 0.08},
        tooltip=folium.GeoJsonTooltip(fields=["name"], aliases=[t("Ward")], sticky=False),
    ).add_to(group)
    return group


def place_layer(places: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """Areas drawn as shapes, points clustered so hundreds stay readable."""
    group = folium.FeatureGroup(name="Play areas", control=True)
    points, shapes = [], []
    for row in places.itertuples():
        properties = {
            "id": int(row.id),
            "name": for_map(row.name),
            "kind": for_map(label(PLACE_KINDS, row.kind)),
            "ages": for_map(age_text(row.min_age, row.max_age)),
            "colour": PLACE_COLOURS.get(row.kind, _OTHER),
        }
        if row.geometry.geom_type == "Point":
            # The marker's one-line tooltip: our words around the place's, escaped whole.
            properties["line"] = for_map(t("Ages {ages}", ages=age_text(row.min_age, row.max_age)))
        target = points if row.geometry.geom_type == "Point" else shapes
        target.append(_feature(row.geometry, properties))
    tooltip_fields = (["name", "kind", "ages"], ["", "", t("Ages")])
    if shapes:
        folium.GeoJson(
            _collection(shapes),
            name="Play areas (areas)",
            style_function=_fill_style,
            tooltip=folium.GeoJsonTooltip(*tooltip_fields),
        ).add_to(group)
    if points:
        # Clustered in the browser from plain rows: a GeoJSON layer nested in a cluster
        # group stays empty, because Leaflet adds its data after the group took its copy.
        rows = [
            [
                round(f["geometry"]["coordinates"][1], 7),
                round(f["geometry"]["coordinates"][0], 7),
                f"{f['properties']['name']}<br>{f['properties']['kind']} · "
                f"{f['properties']['line']}",
                f["properties"]["colour"],
            ]
            for f in points
        ]
        serve_locally(
            FastMarkerCluster(
                rows,
                callback=_POINT_MARKER,
                name="Play areas (points)",
                options={"disableClusteringAtZoom": 16},
            )
        ).add_to(group)
    return group


def initiative_layer(initiatives: gpd.GeoDataFrame) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name="Initiatives", control=True)
    features = [
        _feature(
            row.geometry,
            {
                "id": int(row.id),
                "title": for_map(row.title),
                "kind": for_map(label(INITIATIVE_KINDS, row.kind)),
                "status": for_map(label(INITIATIVE_STATUSES, row.status)),
                "feedback": for_map(feedback_words(row.supports, row.comments)),
                "colour": STATUS_COLOURS.get(row.status, _OTHER),
            },
        )
        for row in initiatives.itertuples()
    ]
    if features:
        folium.GeoJson(
            _collection(features),
            name="Initiatives",
            marker=folium.CircleMarker(radius=9, weight=4, fill=True, fill_opacity=0.35),
            style_function=lambda f: {
                "color": f["properties"]["colour"],
                "weight": 4,
                "fillColor": f["properties"]["colour"],
                "fillOpacity": 0.25,
                "dashArray": "2 6",
            },
            tooltip=folium.GeoJsonTooltip(
                fields=["title", "kind", "status", "feedback"],
                aliases=["", "", t("Status"), t("Feedback")],
            ),
        ).add_to(group)
    return group


def feedback_words(supports: Any, comments: Any) -> str:
    """ "3 supporters · 1 comment": what residents said about an initiative, counted."""
    return " · ".join(
        (
            tn("{n} supporter", "{n} supporters", number(supports)),
            tn("{n} comment", "{n} comments", number(comments)),
        )
    )


Swatch = Literal["fill", "solid", "longdash", "dashed", "dotted", "thick", "cluster", "ring", "pin"]
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True)
class LegendEntry:
    """One line of a map's key: a small picture of the symbol and what it means.

    ``text`` is shown as given (callers write it in the reader's language), except for
    the keys below, built at import before anyone's language is known: they keep their
    English (``marked``) and are translated each time a key is drawn."""

    swatch: Swatch
    colour: str
    text: str
    marked: bool = False

    @property
    def words(self) -> str:
        """What the key says for this symbol, in the reader's language."""
        return t(self.text) if self.marked else self.text


def _marked(swatch: Swatch, colour: str, text: str) -> LegendEntry:
    return LegendEntry(swatch, colour, text, marked=True)


WARD_ENTRY = _marked("dashed", "#364fc7", N_("Ward boundary"))
CLUSTER_ENTRY = _marked("cluster", "#6ecc39", N_("Play areas close together: click or zoom in"))
PICKED_ENTRY = _marked("ring", "#fab005", N_("What you picked"))
DRAWING_ENTRY = _marked("fill", "#3388ff", N_("What you draw"))  # leaflet.draw's blue
SAVED_ENTRY = _marked("fill", "#e8590c", N_("This proposal as saved"))
TAP_ENTRY = _marked("pin", "#1971c2", N_("Where you tapped"))


GAPS_LEGEND = (WARD_ENTRY, _marked("fill", "#fa5252", N_("Out of reach of play at this level")))
VOICE_ENTRY = _marked("ring", "#3388ff", N_("Voices (each a rough 250 m area)"))
EVENT_ENTRY = _marked("ring", "#e8590c", N_("Event coming up"))
VOICES_LEGEND = (WARD_ENTRY, VOICE_ENTRY)
EVENTS_LEGEND = (WARD_ENTRY, EVENT_ENTRY)


def place_entries(kinds: Any = PLACE_KINDS) -> list[LegendEntry]:
    """A swatch per kind of play area, in the colours the map fills them with."""
    return [LegendEntry("fill", PLACE_COLOURS.get(k, _OTHER), label(PLACE_KINDS, k)) for k in kinds]


def initiative_entries(statuses: Any = PUBLIC_STATUSES) -> list[LegendEntry]:
    """Initiatives are dotted outlines coloured by their status."""
    return [
        LegendEntry(
            "dotted",
            STATUS_COLOURS.get(s, _OTHER),
            t("Initiative: {status}", status=label(INITIATIVE_STATUSES, s).lower()),
        )
        for s in statuses
    ]


def workspace_legend() -> list[LegendEntry]:
    """The council workspace: initiatives of every reviewed status, per-ward totals when
    many match, and the filter's drawn area or circle."""
    return [
        WARD_ENTRY,
        *initiative_entries(STATUS_COLOURS),
        LegendEntry("ring", "#1864ab", t("Number of initiatives in a ward (when many match)")),
        LegendEntry("dashed", "#e03131", t("Filter area")),
    ]


def add_legend(
    fmap: folium.Map, entries: Iterable[LegendEntry], title: str | None = None
) -> folium.Map:
    """A key in the map's corner saying what each colour, line and symbol means.

    It opens by itself on a wide map and stays a small "Key" button on a phone. Texts are
    ours, and escaped all the same; colours are checked to be colours.
    """
    title = t("Key") if title is None else title
    rows = []
    for entry in entries:
        if not _COLOUR.fullmatch(entry.colour):
            raise ValueError(f"not a colour: {entry.colour!r}")
        picture = "12" if entry.swatch == "cluster" else ""
        rows.append(
            f'<div class="safeplay-key-row"><span class="safeplay-swatch '
            f'safeplay-{entry.swatch}" style="--c: {entry.colour}">{picture}</span>'
            f"{html.escape(entry.words)}</div>"
        )
    _Legend(f"<summary>{html.escape(title)}</summary>" + "".join(rows)).add_to(fmap)
    return fmap


class _Legend(MacroElement):
    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .safeplay-key { background: rgba(255, 255, 255, 0.94); color: #212529; padding: 4px 8px;
            border-radius: 4px; box-shadow: 0 1px 5px rgba(0, 0, 0, 0.35);
            font: 11px/1.45 sans-serif; max-width: 210px; max-height: 45vh; overflow-y: auto; }
        .safeplay-key summary { cursor: pointer; font-weight: 600; min-height: 24px;
            line-height: 24px; }
        .safeplay-swatch { display: inline-block; box-sizing: border-box; width: 18px;
            height: 12px; margin-right: 6px; vertical-align: middle; text-align: center; }
        .safeplay-fill { background: var(--c); opacity: 0.8; }
        .safeplay-solid { height: 0; border-top: 4px solid var(--c); }
        .safeplay-thick { height: 0; border-top: 6px solid var(--c); }
        .safeplay-longdash { height: 3px; background: repeating-linear-gradient(90deg,
            var(--c) 0 8px, transparent 8px 11px); }
        .safeplay-dashed { height: 0; border-top: 2px dashed var(--c); }
        .safeplay-dotted { height: 0; border-top: 4px dotted var(--c); }
        .safeplay-ring { width: 14px; height: 14px; border: 3px solid var(--c);
            border-radius: 50%; }
        .safeplay-pin { width: 12px; height: 12px; background: var(--c);
            border: 2px solid #fff; border-radius: 50%; box-shadow: 0 0 0 1px #212529; }
        .safeplay-cluster { width: 18px; height: 18px; border-radius: 50%; font-size: 9px;
            line-height: 18px; background: var(--c); opacity: 0.85; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function (map) {
            var key = L.control({position: "bottomright"});
            key.onAdd = function () {
                var box = L.DomUtil.create("details", "safeplay-key");
                box.innerHTML = {{ this.content|tojson }};
                box.open = map.getSize().x >= 480;
                L.DomEvent.disableClickPropagation(box);
                L.DomEvent.disableScrollPropagation(box);
                return box;
            };
            key.addTo(map);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, content: str) -> None:
        super().__init__()
        self._name = "SafePlayLegend"
        self.content = content


@dataclass(frozen=True)
class Focus:
    """What the map should frame and mark: ``key`` names the request, so the map moves
    only when the request changes and otherwise keeps the reader's pan and zoom.

    ``bounds`` None records the request without moving (a feature clicked on the map is
    already in view); ``only_after`` moves only if the previous request began with it
    (clearing a ward filter frames the whole town again, clearing a selection does not).
    """

    key: str
    bounds: tuple[float, float, float, float] | None
    highlight: BaseGeometry | None = None
    only_after: str | None = None


def focus_layer(focus: Focus, max_zoom: int = 17) -> folium.FeatureGroup:
    """The highlight of what was picked, and the move that frames it (see ``Focus``)."""
    group = folium.FeatureGroup(name="Picked", control=False)
    if focus.highlight is not None:
        folium.GeoJson(
            _collection([_feature(focus.highlight, {})]),
            name="Picked",
            marker=folium.CircleMarker(radius=15, weight=4, fill=False, interactive=False),
            style_function=lambda _f: {
                "color": PICKED_ENTRY.colour,
                "weight": 6,
                "fillOpacity": 0,
                "opacity": 0.95,
            },
            interactive=False,
        ).add_to(group)
    _FitWhenAsked(focus, max_zoom).add_to(group)
    return group


class _FitWhenAsked(MacroElement):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var key = {{ this.key|tojson }}, before = map._safeplayFocus || "";
            if (before === key) { return; }
            map._safeplayFocus = key;
            var after = {{ this.only_after|tojson }};
            var bounds = {{ this.bounds|tojson }};
            if (bounds && (after === null || before.indexOf(after) === 0)) {
                map.fitBounds(bounds, {maxZoom: {{ this.max_zoom }}, animate: false});
            }
        })({{ this._parent._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, focus: Focus, max_zoom: int) -> None:
        super().__init__()
        self._name = "SafePlayFocus"
        self.key = focus.key
        self.only_after = focus.only_after
        self.max_zoom = int(max_zoom)
        self.bounds = None
        if focus.bounds is not None:
            minx, miny, maxx, maxy = focus.bounds
            self.bounds = [[miny, minx], [maxy, maxx]]


# leaflet.draw tools a proposer may use: the shapes a proposal can have (DESIGN §2).
_DRAW_TOOLS = {
    "polygon": {"showArea": True, "metric": True},
    "rectangle": {"metric": True},
    "polyline": {"metric": True},
    "marker": True,
    "circle": False,
    "circlemarker": False,
}


def add_draw_tools(fmap: folium.Map, shapes_only: bool = False) -> folium.Map:
    """The leaflet.draw toolbar (served locally); st_folium returns what is drawn.

    ``shapes_only`` offers just polygon and rectangle (for drawing a filter area).
    """
    tools = dict(_DRAW_TOOLS)
    if shapes_only:
        tools.update(polyline=False, marker=False)
    serve_locally(
        Draw(draw_options=tools, edit_options={"edit": False}, show_geometry_on_click=False)
    ).add_to(fmap)
    return fmap


# What a map frames when there is nothing to frame: the inhabited latitudes of the world.
WORLD_BOUNDS = (-180.0, -60.0, 180.0, 75.0)


def bounds_of(*frames: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    """What a map frames: the extent of the first frame that is not empty, else the world."""
    for frame in frames:
        if not frame.empty:
            return tuple(float(v) for v in frame.total_bounds)
    return WORLD_BOUNDS


def proposal_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, SAVED_ENTRY.colour)


def proposal_layer(geometry: BaseGeometry, title: str, status: str) -> folium.FeatureGroup:
    """One proposal's shape, coloured by status, its title escaped like every user text."""
    group = folium.FeatureGroup(name="Proposal", control=False)
    colour = proposal_colour(status)
    folium.GeoJson(
        _collection(
            [
                _feature(
                    geometry,
                    {
                        "title": for_map(title),
                        "status": for_map(label(INITIATIVE_STATUSES, status)),
                    },
                )
            ]
        ),
        name="Proposal",
        marker=folium.CircleMarker(radius=10, weight=4, fill=True, fill_opacity=0.4),
        style_function=lambda _f: {
            "color": colour,
            "weight": 4,
            "fillColor": colour,
            "fillOpacity": 0.3,
        },
        tooltip=folium.GeoJsonTooltip(fields=["title", "status"], aliases=["", t("Status")]),
    ).add_to(group)
    return group


def tap_layer(lon: float, lat: float) -> folium.FeatureGroup:
    """A pin where the reader tapped, so they see the map took it (and where)."""
    group = folium.FeatureGroup(name="Where you tapped", control=False)
    folium.GeoJson(
        _collection([_feature(shapely.Point(lon, lat), {})]),
        name="Where you tapped",
        marker=folium.CircleMarker(
            radius=9,
            weight=3,
            color="#ffffff",
            fill=True,
            fill_color=TAP_ENTRY.colour,
            fill_opacity=1,
            interactive=False,
        ),
        interactive=False,
    ).add_to(group)
    return group


def event_layer(events: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """Events as rings in the key's colour; the tooltip names the event and when it starts."""
    group = folium.FeatureGroup(name="Events")
    for row in events.itertuples():
        folium.CircleMarker(
            [row.geometry.y, row.geometry.x],
            radius=9,
            color=EVENT_ENTRY.colour,
            fill=True,
            tooltip=for_map(f"{row.title} · {i18n.date_time(row.starts_at)}"),
        ).add_to(group)
    return group


def voice_layer(voices: pd.DataFrame) -> folium.FeatureGroup:
    """Published voices as wide faint rings at their generalised point (``lon``/``lat``,
    a 250 m grid cell), so a ring shows a rough area, never a house; voices sent without
    a point are left off. The tooltip is the theme."""
    group = folium.FeatureGroup(name="Voices")
    for row in voices.dropna(subset=["lon"]).itertuples():
        folium.CircleMarker(
            [row.lat, row.lon],
            radius=12,
            weight=1,
            color=VOICE_ENTRY.colour,
            fill=True,
            fill_opacity=0.3,
            tooltip=for_map(row.theme),
        ).add_to(group)
    return group


def outline_layer(geometry: BaseGeometry, name: str) -> folium.FeatureGroup:
    """A filter's area (drawn shape or radius) as a dashed outline, no tooltip."""
    group = folium.FeatureGroup(name=name, control=False)
    folium.GeoJson(
        _collection([_feature(geometry, {})]),
        name=name,
        style_function=lambda _f: {
            "color": "#e03131",
            "weight": 3,
            "fillOpacity": 0.05,
            "dashArray": "8 6",
        },
    ).add_to(group)
    return group


def gap_layer(gaps: gpd.GeoDataFrame, label_text: str) -> folium.FeatureGroup:
    """Parts of wards out of reach of play at one level ("play gaps"), in red."""
    group = folium.FeatureGroup(name=f"Play gaps — {label_text}", control=True)
    features = [
        _feature(
            row.geometry,
            {
                "name": for_map(row.name),
                "covered": t("{share} covered", share=i18n.percent(row.share)),
            },
        )
        for row in gaps.itertuples()
        if row.geometry is not None and not row.geometry.is_empty
    ]
    if features:
        folium.GeoJson(
            _collection(features),
            name="Play gaps",
            style_function=lambda _f: {
                "color": "#c92a2a",
                "weight": 0,
                "fillColor": "#fa5252",
                "fillOpacity": 0.45,
            },
            tooltip=folium.GeoJsonTooltip(fields=["name", "covered"], aliases=[t("Ward"), ""]),
        ).add_to(group)
    return group


def framing(geometry: BaseGeometry, margin_m: float = 150.0) -> tuple[float, float, float, float]:
    """Bounds around one shape with a margin, so a small site is not framed edge to edge."""
    minx, miny, maxx, maxy = geometry.bounds
    dy = margin_m / 110_540.0
    dx = margin_m / (111_320.0 * math.cos(math.radians((miny + maxy) / 2)))
    return (minx - dx, miny - dy, maxx + dx, maxy + dy)


def standalone_html(fmap: folium.Map, layers: Layers) -> str:
    """The complete HTML page of a map with its layers (tests and benchmarks read it)."""
    for group in layers.all():
        group.add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    return fmap.get_root().render()


def feature_at(
    frame: gpd.GeoDataFrame, lon: float, lat: float, within_m: float = 40.0
) -> int | None:
    """Id of the feature a click landed on: the one containing it, else the nearest close by.

    Distances use a local metres-per-degree scale, which is exact enough within 40 m.
    """
    if frame.empty:
        return None
    scale_x = 111_320.0 * math.cos(math.radians(lat))
    scale_y = 110_540.0
    click = shapely.Point(lon, lat)
    containing = frame[frame.geometry.contains(click)]
    if not containing.empty:
        return int(containing.iloc[0]["id"])
    # Plain shapely arrays: these are local metres around the click, not EPSG:4326.
    around_click = shapely.transform(
        frame.geometry.to_numpy(), lambda xy: (xy - [lon, lat]) * [scale_x, scale_y]
    )
    distances = shapely.distance(around_click, shapely.Point(0, 0))
    nearest = int(distances.argmin())
    return int(frame["id"].iloc[nearest]) if distances[nearest] <= within_m else None


def _fill_style(feature: dict) -> dict:
    colour = feature["properties"]["colour"]
    return {"color": colour, "fillColor": colour, "weight": 2, "fillOpacity": 0.45}


def _feature(geometry: Any, properties: dict) -> dict:
    return {
        "type": "Feature",
        "geometry": shapely.geometry.mapping(geometry),
        "properties": properties,
    }


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}
