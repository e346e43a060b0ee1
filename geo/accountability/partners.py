"""The partners directory: schools, NGOs, health services, parent groups, council teams.

A partner is linked to the initiatives that name it among their partners, so leaders keep
typing names as they always have and the directory gathers them. Members of a partner may
report progress on its initiatives. A public contact is shown only if the partner gave one.
A council officer limited to some wards adds and edits only partners that lie wholly in
those wards, and adds members only to them.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from geo import i18n
from geo.accounts.sessions import utc_now
from geo.errors import InvalidInput, NotFound, PermissionDenied
from geo.i18n import N_, t
from geo.notify.follows import follow_automatically
from geo.permissions import Actor, Scope, rereads_actor, scope
from geo.permissions.scope import PRIVATE_STATUSES
from geo.storage.db import Store, next_id

# Stored keys → labels read in the reader's language.
PARTNER_KINDS = i18n.Words(
    {
        "school": N_("School"),
        "ngo": N_("Charity or NGO"),
        "health": N_("Health service"),
        "parents": N_("Parent or residents' group"),
        "council_team": N_("Council team"),
        "police": N_("Police or community safety"),
        "faith": N_("Faith group"),
        "business": N_("Local business"),
        "other": N_("Other"),
    }
)


_OUTSIDE = N_("this partner works outside the wards your council account covers")


def _partner_wards(cursor, partner_id: int) -> list[int]:
    return [
        int(row[0])
        for row in cursor.execute(
            "SELECT area_id FROM partner_wards WHERE partner_id = ?", [partner_id]
        ).fetchall()
    ]


def _check_held(where: Scope, ward_ids) -> None:
    if not where.holds(ward_ids):
        raise PermissionDenied(t(_OUTSIDE))


@rereads_actor
def save_partner(
    store: Store,
    actor: Actor,
    name: str,
    kind: str,
    description: str | None,
    contact: str | None,
    ward_ids: tuple[int, ...],
    now: datetime,
) -> int:
    """Add a partner, or update the one with this name (both only within one's wards)."""
    where = scope(actor, "manage_partners")
    _check_held(where, ward_ids)
    name = " ".join(name.split())
    if not 2 <= len(name) <= 120:
        raise InvalidInput(t("a partner's name is 2 to 120 characters"))
    if kind not in PARTNER_KINDS:
        raise InvalidInput(t("choose a kind of partner ({kind} is not one)", kind=repr(kind)))
    description = (description or "").strip()[:1000] or None
    contact = (contact or "").strip()[:200] or None
    with store.write() as cursor:
        row = cursor.execute("SELECT id FROM partners WHERE name = ?", [name]).fetchone()
        if row:
            partner_id = int(row[0])
            _check_held(where, _partner_wards(cursor, partner_id))
            cursor.execute(
                "UPDATE partners SET kind = ?, description = ?, contact = ? WHERE id = ?",
                [kind, description, contact, partner_id],
            )
        else:
            partner_id = next_id(cursor, "partner_ids")
            cursor.execute(
                "INSERT INTO partners (id, name, kind, description, contact, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [partner_id, name, kind, description, contact, now],
            )
        cursor.execute("DELETE FROM partner_wards WHERE partner_id = ?", [partner_id])
        if ward_ids:
            cursor.executemany(
                "INSERT INTO partner_wards (partner_id, area_id) VALUES (?, ?)",
                [[partner_id, w] for w in ward_ids],
            )
    return partner_id


@rereads_actor
def add_member(
    store: Store, actor: Actor, partner_id: int, login: str, now: datetime | None = None
) -> None:
    """Let an account report progress for this partner's initiatives; it follows the
    public ones (``now``: when, by default the moment of the call)."""
    where = scope(actor, "manage_partners")
    with store.write() as cursor:
        if cursor.execute("SELECT 1 FROM partners WHERE id = ?", [partner_id]).fetchone() is None:
            raise NotFound(t("there is no partner number {number}", number=partner_id))
        _check_held(where, _partner_wards(cursor, partner_id))
        user = cursor.execute(
            "SELECT id FROM users WHERE login = lower(?)", [login.strip()]
        ).fetchone()
        if user is None:
            raise NotFound(t("there is no account {login}", login=repr(login)))
        cursor.execute(
            "INSERT INTO partner_members (partner_id, user_id) VALUES (?, ?) "
            "ON CONFLICT DO NOTHING",
            [partner_id, user[0]],
        )
        for (initiative_id,) in cursor.execute(
            "SELECT i.id FROM initiatives i JOIN partners p ON list_contains(i.partners, p.name) "
            "WHERE p.id = ? AND NOT list_contains(CAST(? AS TEXT[]), i.status)",
            [partner_id, list(PRIVATE_STATUSES)],
        ).fetchall():
            follow_automatically(
                cursor, [int(user[0])], "initiative", int(initiative_id), now or utc_now()
            )


def directory(store: Store) -> pd.DataFrame:
    """Every partner with its wards and how many public initiatives name it."""
    return store.frame(
        "SELECT p.id, p.name, p.kind, p.description, p.contact, "
        "(SELECT string_agg(a.name, ', ' ORDER BY a.name) FROM partner_wards w "
        " JOIN areas a ON a.id = w.area_id WHERE w.partner_id = p.id) AS wards, "
        "(SELECT count(*) FROM initiatives i WHERE list_contains(i.partners, p.name) "
        " AND i.status NOT IN ('draft', 'withdrawn')) AS initiatives "
        "FROM partners p ORDER BY p.name"
    )


def partner_initiatives(store: Store, partner_id: int) -> pd.DataFrame:
    """What a partner takes part in (public initiatives only)."""
    row = store.row("SELECT name FROM partners WHERE id = ?", [partner_id])
    if row is None:
        raise NotFound(t("there is no partner number {number}", number=partner_id))
    return store.frame(
        "SELECT id, title, kind, status FROM initiatives WHERE list_contains(partners, ?) "
        "AND status NOT IN ('draft', 'withdrawn') ORDER BY updated_at DESC",
        [row[0]],
    )
