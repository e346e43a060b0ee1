"""Secrets stay secret, backups round-trip exactly, and sign-in abuse is locked out without
revealing which logins exist.

Figures for docs/reliability.md: places a password was looked for and found (must be 0),
tables that differ after backup and restore (must be 0), and whether the lock-out message
differs between a real and an unknown login (must not).
"""

import subprocess
import sys
from pathlib import Path

import pytest

from geo.accounts import auth
from geo.errors import AccountLocked, AuthenticationFailed, DatabaseBusy, ImportRejected
from geo.io import backup
from geo.io.moving import fingerprints
from geo.permissions import COMMAND_LINE
from geo.storage.db import Store
from tests.unit.conftest import NOW

ROOT = Path(__file__).resolve().parents[2]
SECRET = "correct horse battery staple 42"


def test_a_password_is_stored_only_as_an_argon2_hash_and_never_printed(tmp_path):
    database = tmp_path / "secrets.duckdb"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "geo",
            "create-user",
            "--login",
            "ada@example.org",
            "--role",
            "admin",
        ],
        input=SECRET + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"SAFEPLAY_DB": str(database), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    store = Store(database)
    with pytest.raises(AuthenticationFailed) as wrong:
        auth.authenticate(store, "ada@example.org", SECRET + "x", NOW)
    stored = store.cursor().execute("SELECT password_hash FROM users").fetchone()[0]
    store.close()
    raw = (
        database.read_bytes() + Path(f"{database}.wal").read_bytes()
        if Path(f"{database}.wal").exists()
        else database.read_bytes()
    )
    places_looked = {
        "stdout": result.stdout,
        "stderr": result.stderr,
        "error message": str(wrong.value),
        "database file": raw.decode("latin-1"),
    }
    found = [where for where, text in places_looked.items() if SECRET in text]
    print(f"\nsecrets: looked in {len(places_looked)} places, password found in {len(found)}")
    assert found == []
    assert stored.startswith("$argon2id$") and stored not in result.stdout + result.stderr


def test_error_details_are_hidden_from_users():
    config = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert 'showErrorDetails = "none"' in config


def test_backup_and_restore_round_trip_every_table_exactly(demo_store, tmp_path):
    """A DuckDB store's backup is checked by its own checksums; a PostgreSQL store's (a
    DuckDB file written table by table) by fingerprints that compare across the two."""
    copy = tmp_path / "backup.duckdb"
    before = backup.backup(demo_store, COMMAND_LINE, copy)
    target = tmp_path / "restored.duckdb"
    after = backup.restore(copy, target)
    reopened = Store(target)
    if demo_store.backend == "duckdb":
        reread = reopened.table_checksums()
    else:
        before = after = fingerprints(demo_store)
        reread = fingerprints(reopened)
    next_place = reopened.cursor().execute("SELECT nextval('place_ids')").fetchone()[0]
    reopened.close()
    different = [t for t in before if before[t] != reread.get(t)]
    print(f"\nbackup: {len(before)} tables, {len(different)} differ after restore")
    assert different == [] and after == before
    assert next_place == demo_store.cursor().execute("SELECT max(id) + 1 FROM places").fetchone()[0]


def test_restore_refuses_what_is_not_a_backup_and_a_database_in_use(demo_store, tmp_path):
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"not a database at all")
    with pytest.raises(ImportRejected, match="not a SafePlay backup"):
        backup.restore(junk, tmp_path / "target.duckdb")
    good = tmp_path / "good.duckdb"
    backup.backup(demo_store, COMMAND_LINE, good)
    with pytest.raises(ImportRejected, match="already exists"):
        backup.backup(demo_store, COMMAND_LINE, good)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from geo.storage.db import Store; "
            "held = Store(sys.argv[1]); print('open', flush=True); time.sleep(60)",
            str(good),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        holder.stdout.readline()
        with pytest.raises(DatabaseBusy, match="in use by another SafePlay process"):
            backup.restore(good, good)
    finally:
        holder.kill()
        holder.wait()


def test_lock_out_looks_the_same_for_real_and_unknown_logins(town):
    messages = {}
    for login in ("resident", "nobody-here"):
        for attempt in range(auth.MAX_FAILURES - 1):
            with pytest.raises(AuthenticationFailed, match="wrong login or password"):
                auth.authenticate(town.store, login, f"wrong {attempt}", NOW)
        with pytest.raises(AccountLocked) as locked:
            auth.authenticate(town.store, login, "wrong again", NOW)
        messages[login] = str(locked.value)
    print(
        f"\nlogin abuse: locked after {auth.MAX_FAILURES} failures; messages equal: "
        f"{messages['resident'] == messages['nobody-here']}"
    )
    assert messages["resident"] == messages["nobody-here"]
    # Still locked with the right password, until the lock ends.
    with pytest.raises(AccountLocked):
        auth.authenticate(town.store, "resident", "a long password 1", NOW)
    later = NOW + auth.timedelta(minutes=auth.LOCK_MINUTES + 1)
    assert auth.authenticate(town.store, "resident", "a long password 1", later).login == "resident"
