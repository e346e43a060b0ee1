"""Bad input catalogue: each case gets a specific message, and the database is unchanged.

Figure for docs/reliability.md: the number of cases, and how many left the database
changed (must be 0) — compared by row counts and a content hash of every table.
"""

import io
import json
import zipfile
from dataclasses import replace
from datetime import date, timedelta

import pytest
import shapely

from geo.accountability import events, partners, progress, recognition
from geo.accounts.auth import create_user, sign_up
from geo.council import population
from geo.council.selection import Selection
from geo.errors import SafePlayError
from geo.io import exports, imports
from geo.permissions import COMMAND_LINE
from geo.proposals import feedback, workflow
from geo.safeguarding import concerns, inspections, voices
from tests.unit.conftest import NOW, box
from tests.unit.test_proposals import FORM, WEST_SITE


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def zip_without_shp(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "no shapefile here")
    return write(tmp_path, "wards.zip", buffer.getvalue())


def projected_geojson(tmp_path):
    feature = {
        "type": "Feature",
        "properties": {"name": "Ward A", "code": "A"},
        "geometry": shapely.geometry.mapping(shapely.box(430000, 180000, 431000, 181000)),
    }
    return write(
        tmp_path,
        "projected.geojson",
        json.dumps({"type": "FeatureCollection", "features": [feature]}),
    )


def draft(town, geometry=WEST_SITE):
    return workflow.save_draft(town.store, town.leader, FORM, geometry, NOW)


def _too_big(tmp_path, town):
    from geo.io import readers

    path = write(tmp_path, "big.geojson", b"{}")
    original = readers.MAX_IMPORT_BYTES
    readers.MAX_IMPORT_BYTES = 1
    try:
        return imports.import_places(town.store, COMMAND_LINE, path)
    finally:
        readers.MAX_IMPORT_BYTES = original


def _submitted(town):
    proposal_id = draft(town)
    workflow.submit(town.store, town.leader, proposal_id, NOW)
    return proposal_id


def _approved(town):
    proposal_id = _submitted(town)
    workflow.review(town.store, town.council, proposal_id, "approved", "Yes.", NOW)
    return proposal_id


# (case, call(town, tmp_path), words the message must contain[, set-up(town)])
CASES = [
    (
        "self-crossing ring that cannot be repaired",
        lambda t, p: draft(t, {"type": "Polygon", "coordinates": [[[0.5, 52], [0.5, 52]]]}),
        "not valid GeoJSON",
    ),
    (
        "empty geometry",
        lambda t, p: draft(t, {"type": "Polygon", "coordinates": []}),
        "no location",
    ),
    (
        "degenerate polygon (one point repeated)",
        lambda t, p: draft(t, shapely.Polygon([(-1.04, 52.01)] * 4)),
        "cannot be repaired",
    ),
    (
        "huge polygon submitted",
        lambda t, p: workflow.submit(t.store, t.leader, t.prepared, NOW),
        "more than the 100 ha",
        lambda t: draft(t, box(-1.04, 52.01, 0.03, 0.03)),
    ),
    ("point at (0, 0)", lambda t, p: draft(t, shapely.Point(0, 0)), "latitude or longitude is 0"),
    (
        "swapped latitude and longitude",
        lambda t, p: workflow.submit(t.store, t.leader, t.prepared, NOW),
        "swapped",
        lambda t: draft(t, box(52.01, -1.04)),
    ),
    (
        "projected metres mistaken for degrees",
        lambda t, p: draft(t, shapely.Point(430000, 180000)),
        "metres or feet",
    ),
    ("malformed GeoJSON text", lambda t, p: draft(t, "{not json"), "not valid GeoJSON"),
    (
        "two shapes in one proposal",
        lambda t, p: draft(t, {"type": "FeatureCollection", "features": [{}, {}]}),
        "exactly one",
    ),
    (
        "unknown CRS (projected numbers, no CRS)",
        lambda t, p: imports.import_areas(
            t.store, COMMAND_LINE, projected_geojson(p), level="ward"
        ),
        "CRS",
    ),
    (
        "malformed GeoJSON file",
        lambda t, p: imports.import_places(t.store, COMMAND_LINE, write(p, "x.geojson", "{oops")),
        "",
    ),
    (
        "zip without a .shp",
        lambda t, p: imports.import_areas(t.store, COMMAND_LINE, zip_without_shp(p), level="ward"),
        ".shp",
    ),
    (
        "empty upload",
        lambda t, p: imports.import_places(t.store, COMMAND_LINE, write(p, "e.geojson", b"")),
        "empty",
    ),
    ("upload over the size cap", lambda t, p: _too_big(p, t), "limit"),
    (
        "CSV with mixed encodings",
        lambda t, p: population.import_population(
            t.store,
            t.council,
            "name,p\nWést,1\n".encode() + "Zoë,2\n".encode("cp1252"),
            match_field="name",
            population_field="p",
            by="name",
        ),
        "mixes UTF-8",
    ),
    (
        "population file matching nothing",
        lambda t, p: population.import_population(
            t.store, t.council, b"code,p\nQ,1\n", match_field="code", population_field="p"
        ),
        "no row matched",
    ),
    (
        "oversize title",
        lambda t, p: workflow.save_draft(
            t.store, t.leader, replace(FORM, title="x" * 500), WEST_SITE, NOW
        ),
        "keep it under 120",
    ),
    (
        "oversize comment",
        lambda t, p: feedback.add_comment(t.store, t.resident, t.prepared, "y" * 5000, NOW),
        "keep it under 2,000",
        _submitted,
    ),
    (
        "ages the wrong way round",
        lambda t, p: workflow.save_draft(
            t.store, t.leader, replace(FORM, min_age=12, max_age=4), WEST_SITE, NOW
        ),
        "youngest",
    ),
    (
        "budget that is not money",
        lambda t, p: workflow.save_draft(
            t.store, t.leader, replace(FORM, budget="lots"), WEST_SITE, NOW
        ),
        "not an amount",
    ),
    (
        "end date in the past",
        lambda t, p: workflow.save_draft(
            t.store, t.leader, replace(FORM, end_date=date(2020, 1, 1)), WEST_SITE, NOW
        ),
        "past",
    ),
    (
        "start date far in the future",
        lambda t, p: workflow.save_draft(
            t.store, t.leader, replace(FORM, start_date=date(2099, 1, 1)), WEST_SITE, NOW
        ),
        "years",
    ),
    (
        "event in the past",
        lambda t, p: events.post_event(
            t.store,
            t.leader,
            "Play day",
            "play_day",
            NOW - timedelta(days=3),
            None,
            "Lee",
            -1.04,
            52.01,
            NOW,
        ),
        "starts in the past",
    ),
    (
        "inspection dated in the future",
        lambda t, p: inspections.record_inspection(
            t.store,
            t.council,
            t.playground_id,
            "routine",
            NOW.date() + timedelta(days=2),
            "Ian",
            "pass",
            None,
            NOW,
        ),
        "future",
    ),
    (
        "decision without a reason",
        lambda t, p: workflow.review(t.store, t.council, t.prepared, "rejected", "", NOW),
        "write a reason",
        _submitted,
    ),
    (
        "illegal lifecycle step",
        lambda t, p: workflow.submit(t.store, t.leader, t.prepared, NOW),
        "cannot become",
        _submitted,
    ),
    ("voice too long", lambda t, p: voices.submit_voice(t.store, "z" * 5000, NOW), "keep it under"),
    (
        "concern with no words",
        lambda t, p: concerns.report_concern(t.store, t.playground_id, "lighting", "", NOW),
        "describe the problem",
    ),
    (
        "radius too large",
        lambda t, p: Selection(mode="radius", centre=(-1, 52), radius_m=10**7).checked(),
        "radius",
    ),
    (
        "export to a missing folder",
        lambda t, p: exports.write(
            exports.collect(t.store, COMMAND_LINE, "areas"), "csv", p / "nowhere" / "x.csv"
        ),
        "does not exist",
    ),
    (
        "partner name of one letter",
        lambda t, p: partners.save_partner(t.store, t.council, "X", "ngo", None, None, (), NOW),
        "2 to 120",
    ),
    (
        "thanking someone without their consent",
        lambda t, p: recognition.thank(
            t.store, t.leader, t.prepared, "Pat", "Fence", True, False, NOW
        ),
        "agreed",
        _approved,
    ),
    (
        "check-in progress of 150 %",
        lambda t, p: progress.post_checkin(
            t.store, t.leader, t.prepared, "Going", NOW, progress=150
        ),
        "0 to 100",
        _approved,
    ),
    (
        "password too short",
        lambda t, p: create_user(t.store, COMMAND_LINE, "newperson", "New", "resident", "short"),
        "10",
    ),
    (
        "login already taken, by an administrator",
        lambda t, p: create_user(
            t.store, COMMAND_LINE, "leader", "Lee 2", "leader", "a long password 2"
        ),
        "taken",
    ),
    (
        "resident named like a council officer",
        lambda t, p: sign_up(t.store, "lee2", "Lee (council officer)", "a long password 2"),
        "badge",
    ),
    ("common password", lambda t, p: sign_up(t.store, "lee3", "Lee", "qwerty12345"), "easy"),
]


def test_the_catalogue_has_at_least_thirty_cases():
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_gets_a_specific_message_and_changes_nothing(town, tmp_path, case):
    name, call, words, *setup = case
    # What a case needs first (a submitted proposal to review, say) is set up before the
    # "before" snapshot; only the rejected step itself must leave no trace.
    town = replace(town, prepared=setup[0](town) if setup else None)
    before = town.store.table_checksums()
    with pytest.raises(SafePlayError) as raised:
        call(town, tmp_path)
    message = str(raised.value)
    assert words.lower() in message.lower() and "Traceback" not in message
    after = town.store.table_checksums()
    changed = sorted(t for t in after if after[t] != before.get(t))
    assert not changed, f"{name}: tables changed by a rejected input: {changed}"
