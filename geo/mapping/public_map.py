"""The fast public map at ``/map``: its options, its compact GeoJSON and its embed snippet.

The page is plain HTML and Leaflet, not Streamlit, so a resident's phone paints it in a
fraction of a second and a council can frame it in its own website. Its data comes from
the same public queries as the Explore page (``geo.mapping.explore``): play areas, public
initiatives and ward outlines, and at city scale the per-ward counts until the reader
zooms in. Each feature carries only what a click shows, as plain text: the browser puts
it in the page with ``textContent``, so nothing here is HTML and nothing is escaped twice.

The page speaks the language of its ``lang`` option: every word it shows — its labels,
the status line, the counts — comes from here in that language (``payload`` builds them
inside ``i18n.speaking``), so the script holds no words of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import urlencode

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo import i18n
from geo.errors import InvalidInput
from geo.i18n import t, tn
from geo.ids import parse_id
from geo.mapping import maps
from geo.mapping.explore import DETAIL_ZOOM, ExploreView
from geo.registry.filters import MapFilter
from geo.vocabulary import INITIATIVE_KINDS, INITIATIVE_STATUSES, PLACE_KINDS, label
from geo.wording import age_text

# The languages a link or an embed may ask for (``qps`` too, for tests: it is not offered).
LANGUAGES = (*i18n.LANGUAGES, i18n.PSEUDO)
# Five decimals of a degree are about a metre: finer digits only add bytes.
PRECISION = 5
# Ward outlines from detailed boundary files carry thousands of vertices each, most of the
# bytes; they are orientation, and 10 m is under a pixel at the zoom a town opens at.
WARD_TOLERANCE_DEG = 0.0001
MAX_OPTION_LENGTH = 2_000


@dataclass(frozen=True)
class MapOptions:
    """What a link or an embed asked the map to show."""

    ward_ids: tuple[int, ...] = ()
    kinds: tuple[str, ...] = ()
    lang: str = i18n.DEFAULT
    bbox: tuple[float, float, float, float] | None = None
    zoom: int | None = None

    def filters(self) -> MapFilter:
        return MapFilter(area_ids=self.ward_ids, place_kinds=self.kinds, bbox=self.bbox)


def read_options(query: dict[str, str], known_wards: set[int]) -> MapOptions:
    """The options of a query string, refused with a sentence a web team can act on.

    ``ward`` and ``kinds`` are comma-separated lists (ward numbers as on the Wards page,
    play-area kinds as in the docs); ``bbox`` and ``zoom`` are what the page sends once a
    reader zooms into a city. An unknown ``lang`` is refused too, rather than showing a
    page that asked for Welsh in English; the other refusals are in the asked language.
    """
    lang = query.get("lang", "") or i18n.DEFAULT
    if lang not in LANGUAGES:
        raise InvalidInput(
            t(
                "The map speaks {languages}; there is no language {lang} here.",
                languages=", ".join(f"lang={code}" for code in i18n.LANGUAGES),
                lang=repr(lang[:10]),
            )
        )
    with i18n.speaking(lang):
        return _read_options(query, known_wards, lang)


def _read_options(query: dict[str, str], known_wards: set[int], lang: str) -> MapOptions:
    too_long = [name for name, value in query.items() if len(value) > MAX_OPTION_LENGTH]
    if too_long:
        raise InvalidInput(t("The option {name} is too long.", name=too_long[0]))
    wards = []
    for written in _listed(query.get("ward", "")):
        number = parse_id(written)
        if number is None or number not in known_wards:
            raise InvalidInput(
                t("There is no ward number {number} here.", number=repr(written[:20]))
            )
        wards.append(number)
    kinds = _listed(query.get("kinds", ""))
    unknown = [k for k in kinds if k not in PLACE_KINDS]
    if unknown:
        raise InvalidInput(
            t(
                "Unknown kind of play area {kind}; known: {known}.",
                kind=repr(unknown[0][:30]),
                known=", ".join(PLACE_KINDS),
            )
        )
    return MapOptions(tuple(wards), tuple(kinds), lang, _bbox(query.get("bbox")), _zoom(query))


def payload(
    view: ExploreView, ward_ids: tuple[int, ...] = (), lang: str = i18n.DEFAULT
) -> dict[str, Any]:
    """The map's data as one GeoJSON FeatureCollection (wards first, drawn underneath),
    its words in ``lang``.

    A map of some wards (an embed on a ward's page) outlines and frames only those.
    ``summarised`` says the play areas are per-ward counts (``"t": "count"``) and the
    page must ask again with its view once zoomed to ``detail_zoom``. ``words`` are the
    page's labels and ``status`` its status line, written here so the script has none.
    """
    with i18n.speaking(lang):
        return _payload(view, ward_ids)


def _payload(view: ExploreView, ward_ids: tuple[int, ...]) -> dict[str, Any]:
    wards = view.wards[view.wards["id"].isin(ward_ids)] if ward_ids else view.wards
    outlines = shapely.simplify(wards.geometry.values, WARD_TOLERANCE_DEG)
    features = [
        _feature(outline, {"t": "ward", "id": int(i), "name": name})
        for outline, i, name in zip(outlines, wards["id"], wards["name"], strict=True)
    ]
    if view.place_counts is not None:
        features.extend(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [_round(x), _round(y)]},
                "properties": {
                    "t": "count",
                    "id": int(i),
                    "name": name,
                    "count": int(n),
                    "counted": tn("{n} play area", "{n} play areas", int(n)),
                },
            }
            for i, name, n, x, y in view.place_counts[
                ["id", "name", "count", "lon", "lat"]
            ].itertuples(index=False, name=None)
        )
    features.extend(_place(row) for row in view.places.itertuples())
    features.extend(_initiative(row) for row in view.initiatives.itertuples())
    return {
        "type": "FeatureCollection",
        "bbox": [_round(v) for v in maps.bounds_of(wards, view.places, view.initiatives)],
        "summarised": view.summarised,
        "detail_zoom": DETAIL_ZOOM,
        "total_places": view.total_places,
        "status": _status(view),
        "words": page_words(),
        "lang": i18n.current() if i18n.current() != i18n.DEFAULT else "",
        "features": features,
    }


def page_words() -> dict[str, str]:
    """The labels the page's script shows, in the reader's language."""
    return {
        "kind": t("Kind"),
        "ages": t("Ages"),
        "ward": t("Ward"),
        "status": t("Status"),
        "feedback": t("Feedback"),
        "play_areas": t("Play areas"),
        "unnamed": t("Unnamed"),
        "open": t("Open in SafePlay"),
        "zoom_in": t("Zoom in to see each play area."),
    }


def _status(view: ExploreView) -> str:
    """The status line under the map: what it shows, counted."""
    if view.summarised:
        return tn(
            "{n} play area, counted per ward: zoom in to see each one.",
            "{n} play areas, counted per ward: zoom in to see each one.",
            view.total_places,
        )
    places = tn("{n} play area", "{n} play areas", len(view.places))
    initiatives = tn("{n} initiative", "{n} initiatives", len(view.initiatives))
    if view.city_scale:  # the play areas of the reader's view, once zoomed in
        return t("{places} and {initiatives} in view.", places=places, initiatives=initiatives)
    return t("{places} and {initiatives}.", places=places, initiatives=initiatives)


def map_query(options: MapOptions) -> str:
    """The query string of ``/map`` for these options ("" for the whole town)."""
    pairs = {
        "ward": ",".join(str(i) for i in options.ward_ids),
        "kinds": ",".join(options.kinds),
        "lang": options.lang if options.lang != i18n.DEFAULT else "",
    }
    kept = {name: value for name, value in pairs.items() if value}
    return f"?{urlencode(kept, safe=',')}" if kept else ""


def embed_snippet(base_url: str, options: MapOptions, title: str | None = None) -> str:
    """The ``<iframe>`` a council's web team pastes into its own page; its title (what a
    screen reader announces) is in the map's language, like the map."""
    source = f"{base_url.rstrip('/')}/map{map_query(options)}"
    if title is None:
        with i18n.speaking(options.lang):
            title = t("Play areas near you")
    return (
        f'<iframe src="{escape(source)}" title="{escape(title)}" width="100%" height="480" '
        'style="border:0" loading="lazy" referrerpolicy="no-referrer"></iframe>'
    )


def _place(row: Any) -> dict[str, Any]:
    return _feature(
        row.geometry,
        {
            "t": "place",
            "id": int(row.id),
            "name": row.name,
            "kind": label(PLACE_KINDS, row.kind),
            "k": row.kind,
            "ages": age_text(row.min_age, row.max_age),
            "ward": row.wards or "",
        },
    )


def _initiative(row: Any) -> dict[str, Any]:
    return _feature(
        row.geometry,
        {
            "t": "initiative",
            "id": int(row.id),
            "name": row.title,
            "kind": label(INITIATIVE_KINDS, row.kind),
            "status": label(INITIATIVE_STATUSES, row.status),
            "ward": row.wards or "",
            "feedback": maps.feedback_words(row.supports, row.comments),
        },
    )


def _feature(geometry: BaseGeometry, properties: dict[str, Any]) -> dict[str, Any]:
    rounded = shapely.transform(geometry, lambda xy: np.round(xy, PRECISION))
    return {
        "type": "Feature",
        "geometry": shapely.geometry.mapping(rounded),
        "properties": {k: v for k, v in properties.items() if v not in ("", None)},
    }


def _round(value: float) -> float:
    return round(float(value), PRECISION)


def _listed(written: str) -> list[str]:
    return [part.strip() for part in written.split(",") if part.strip()]


def _bbox(written: str | None) -> tuple[float, float, float, float] | None:
    if not written:
        return None
    try:
        minx, miny, maxx, maxy = (float(v) for v in written.split(","))
    except ValueError:
        raise InvalidInput(t("bbox is four numbers: west,south,east,north in degrees.")) from None
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise InvalidInput(t("bbox is west,south,east,north in degrees, west before east."))
    return (minx, miny, maxx, maxy)


def _zoom(query: dict[str, str]) -> int | None:
    written = query.get("zoom")
    if not written:
        return None
    if not written.isascii() or not written.isdigit() or int(written) > 24:
        raise InvalidInput(t("zoom is a whole number from 0 to 24."))
    return int(written)
