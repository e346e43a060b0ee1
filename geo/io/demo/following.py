"""Following in the demo: Rosa follows the busiest ward, a playground in it and a
proposal there, and that ward's newsletter is scheduled weekly, so My account's
Following list, the Follow buttons and the Newsletter page's e-mail section have
something to show from the first sign-in."""

from __future__ import annotations

from datetime import datetime, timedelta

from geo.accountability import newsletters
from geo.accounts.auth import load_actor
from geo.io.demo.accounts import DEMO_ACCOUNTS
from geo.notify import follows
from geo.permissions import Actor
from geo.storage.db import Store

RESIDENT, _, OFFICER, _ = (login for login, *_ in DEMO_ACCOUNTS)


def add_following(store: Store, now: datetime) -> None:
    """Follows and a newsletter schedule as Millbrook's people would have set them, each
    made by that person's own account (the services check them as for anyone)."""
    ward_id, place_id, initiative_id = store.row(
        "SELECT a.id, (SELECT min(p.place_id) FROM place_areas p WHERE p.area_id = a.id), "
        "(SELECT min(m.initiative_id) FROM initiative_areas m JOIN initiatives i "
        " ON i.id = m.initiative_id WHERE m.area_id = a.id AND i.status = 'in_progress') "
        "FROM areas a WHERE a.level = 'ward' ORDER BY (SELECT count(*) FROM initiative_areas m "
        "WHERE m.area_id = a.id) DESC, a.id LIMIT 1"
    )
    rosa = _account(store, RESIDENT)
    follows.follow(store, rosa, "area", now, int(ward_id))
    if place_id is not None:
        follows.follow(store, rosa, "place", now, int(place_id))
    if initiative_id is not None:
        follows.follow(store, rosa, "initiative", now, int(initiative_id))
    monday = (now + timedelta(days=7 - now.weekday())).replace(hour=9, minute=0, second=0)
    newsletters.set_schedule(store, _account(store, OFFICER), int(ward_id), 7, monday, now)


def _account(store: Store, login: str) -> Actor:
    return load_actor(store, int(store.value("SELECT id FROM users WHERE login = ?", [login])))
