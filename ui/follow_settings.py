"""My account's "Following" section: what I follow, in words, each with Stop; and adding a
ward or area, the whole council, an area drawn on a map, or a circle around a point.

Stopping asks nothing first: it is undone by following again, and the message says how.
The map is the council workspace's (``ui/area_map.py``), so drawing an area to follow
works exactly as drawing one to filter by.
"""

from __future__ import annotations

import shapely
import streamlit as st

from geo.council.selection import Selection
from geo.escape import for_markdown
from geo.i18n import N_, number, t
from geo.mapping import maps
from geo.notify import follows
from geo.notify.follow_words import followed_things
from geo.permissions import Actor
from geo.registry import areas
from geo.storage.db import Store
from geo.vocabulary import AREA_LEVEL_NAMES
from ui.area_map import RADIUS, SHAPE, area_map, take_from_map
from ui.common import user_errors
from ui.forms import OnceForm
from ui.notices import Notice
from ui.session import utc_now

_CHANGED = Notice("following")
_WAYS = {
    "area": N_("A ward or area"),
    "council": N_("The whole council"),
    SHAPE: N_("An area I draw on a map"),
    RADIUS: N_("A distance around a point"),
}


def follow_settings(db: Store, actor: Actor) -> None:
    """The section, top to bottom: the message of the last change, the list, the adding."""
    st.header(t("Following"))
    st.caption(
        t(
            "You are told in your Inbox (and by e-mail, as you choose) when something you "
            "follow moves. You follow your own proposals, those you support and those of your "
            "partners without doing anything."
        )
    )
    _CHANGED.show()
    _followed(db, actor)
    _add(db, actor)


def _followed(db: Store, actor: Actor) -> None:
    things = followed_things(db, actor)
    if not things:
        st.info(
            t(
                "You follow nothing yet. Add a ward, an area or the whole council below, or "
                "press Follow on a proposal or on a play area (Explore the map)."
            )
        )
        return
    for thing in things:
        words, stop = st.columns([3, 2], vertical_alignment="center")
        words.markdown(f"- {for_markdown(thing.words)}")
        # The button names what it stops: a screen reader's list of buttons reads
        # "Stop following Brookside ward", not a column of "Stop"s.
        stopping = t("Stop following {item}", item=for_markdown(thing.words))
        if stop.button(stopping, key=f"stop_follow_{thing.follow_id}"):
            with user_errors():
                follows.stop(db, actor, thing.follow_id, utc_now())
                _CHANGED.rerun_with(
                    t(
                        "You no longer follow {what}. To follow it again, press Follow "
                        "on its page or add it here.",
                        what=thing.words,
                    )
                )


def _add(db: Store, actor: Actor) -> None:
    st.markdown(t("**Follow something more**"))
    way = st.radio(
        t("What to follow"),
        ("area", "council", "shape", "radius"),
        format_func=lambda chosen: t(_WAYS[chosen]),
        key="follow_way",
    )
    if way == "area":
        listed = areas.list_areas(db, None)
        names = {
            int(r.id): t(
                "{name} ({kind})", name=r.name, kind=AREA_LEVEL_NAMES.get(r.level, r.level)
            )
            for r in listed.itertuples()
        }
        chosen = st.selectbox(
            t("Ward or area"),
            list(names),
            format_func=names.get,
            index=None,
            placeholder=t("Choose one"),
            key="follow_area",
        )
        if chosen is not None and st.button(t("Follow this area"), key="follow_area_button"):
            _follow(db, actor, _following_now(names[chosen]), "area", target_id=chosen)
    elif way == "council":
        if st.button(t("Follow the whole council"), key="follow_council_button"):
            _follow(
                db,
                actor,
                t("You follow the whole council. It is listed above; Stop ends it."),
                "council",
            )
    else:
        _add_on_map(db, actor, way)


def _add_on_map(db: Store, actor: Actor, way: str) -> None:
    """The map, and the name and button once an area is on it. Its widgets and what was
    taken from it are keyed by a ``OnceForm``, so a follow starts a new, empty map: the old
    one keeps sending its last click or drawing, which would put the area just followed
    back (a second press following it twice) and rerun before the confirmation shows."""
    form = OnceForm("follow_map")
    shape_key, centre_key = form.key("shape"), form.key("centre")
    state = st.session_state
    radius = None
    if way == RADIUS:
        st.caption(t("Click the map to put the centre of the circle."))
        radius = st.number_input(
            t("Distance (metres)"),
            min_value=follows.MIN_RADIUS_M,
            max_value=follows.MAX_RADIUS_M,
            value=500,
            step=50,
            key="follow_radius",
        )
    else:
        st.caption(t("Draw a shape with ⬠ or ▭; the last one drawn is followed."))
    shape_wkt, centre = state.get(shape_key), state.get(centre_key)
    chosen = Selection(mode=way, shape_wkt=shape_wkt, centre=centre, radius_m=radius)
    with user_errors():
        outline = chosen.shape() if way == SHAPE else chosen.circle()
        returned = area_map(
            areas.area_shapes(db, "ward"),
            way,
            form.key("map"),
            legend=[maps.WARD_ENTRY, maps.LegendEntry("dashed", "#e03131", t("Area to follow"))],
            outline=outline,
            height=380,
        )
        take_from_map(returned, way, shape_key, centre_key)
        form.notice()
        if outline is None:
            return
        name = st.text_input(
            t("A name for it (optional), such as My street"),
            max_chars=follows.MAX_LABEL,
            key=form.key("label"),
        )
        if st.button(t("Follow this area"), key=form.key("follow")):
            if way == SHAPE:
                how: dict[str, object] = {"drawn": shapely.from_wkt(shape_wkt)}
                words = name or t("the area you drew")
            else:
                how = {"centre": centre, "radius_m": radius}
                words = name or t("{metres} m around the point", metres=number(radius, 0))
            follows.follow(db, actor, way, utc_now(), label=name, **how)  # type: ignore[arg-type]
            form.done(_following_now(words))


def _follow(db: Store, actor: Actor, said: str, target_kind: str, **how: object) -> None:
    """Follow, then say ``said`` (the confirmation) after the rerun."""
    with user_errors():
        follows.follow(db, actor, target_kind, utc_now(), **how)  # type: ignore[arg-type]
        _CHANGED.rerun_with(said)


def _following_now(words: str) -> str:
    """The confirmation of a new follow, the same after any way of adding one."""
    return t("You follow {what}. It is listed above; Stop ends it.", what=words)
