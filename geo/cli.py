"""``python -m geo``: set up, load and export SafePlay data from the command line.

Every failure ends with a one-line reason on stderr and a non-zero exit code; a database
held by the running app is reported as such, not as a stack trace.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from geo.accountability import digest
from geo.accounts import auth
from geo.accounts.auth import ACCOUNT_ROLES
from geo.council import coverage
from geo.council.population import import_population
from geo.council.selection import Selection
from geo.errors import ImportRejected, InvalidInput, SafePlayError, WeakPassword
from geo.io import backup, exports, imports, moving
from geo.io.demo import load_demo
from geo.mapping.assets import install_assets
from geo.permissions import COMMAND_LINE
from geo.registry.areas import area_stats, find_area
from geo.safeguarding.redaction import redact
from geo.storage.db import (
    Store,
    database_location,
    database_path,
    is_postgres,
    shown_location,
)
from geo.streets import storage as street_storage
from geo.vocabulary import AREA_LEVELS, PLACE_KINDS


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except SafePlayError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo",
        description="SafePlay data tools. The database is data/safeplay.duckdb "
        "unless SAFEPLAY_DB names another file, or PostgreSQL when SAFEPLAY_DATABASE_URL "
        "is set.",
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    def command(name: str, run: Callable[[argparse.Namespace], int], text: str):
        sub = commands.add_parser(name, help=text, description=text)
        sub.set_defaults(run=run)
        return sub

    command("init", _init, "create the database or bring its schema up to date")
    demo = command("demo", _demo, "load the Millbrook demo town into an empty database")
    demo.add_argument("--if-empty", action="store_true", help="do nothing if data exists")
    command("install-assets", _assets, "copy Leaflet and plugins into static/ (set-up step)")

    areas = command("import-areas", _import_areas, "load boundaries (wards, districts…)")
    areas.add_argument("file", help="GeoJSON, GeoPackage, zipped Shapefile, CSV/JSON with WKT")
    areas.add_argument("--name-field", help="the field holding each area's name")
    areas.add_argument("--code-field", help="the field holding each area's code")
    areas.add_argument("--level", default="ward", choices=AREA_LEVELS)
    areas.add_argument("--crs", help="the file's CRS when it does not say, e.g. EPSG:27700")
    areas.add_argument("--replace", action="store_true", help="replace this level's areas")

    streets = command(
        "import-streets",
        _import_streets,
        "load the walkable street network from an OpenStreetMap extract (replaces the last)",
    )
    streets.add_argument("file", help=".osm.pbf or .osm extract of the council's area")

    places = command("import-places", _import_places, "load play areas")
    places.add_argument("file", help="GeoJSON, GeoPackage, zipped Shapefile, CSV/JSON, .osm.pbf")
    places.add_argument(
        "--format",
        choices=("auto", "osm"),
        default="auto",
        help="auto: by file name (.osm.pbf is read as OpenStreetMap)",
    )
    places.add_argument("--kind", default="playground", choices=list(PLACE_KINDS))
    places.add_argument("--name-field", help="the field holding each place's name")
    places.add_argument("--id-field", help="the field holding each place's id in the source")
    places.add_argument("--crs", help="the file's CRS when it does not say, e.g. EPSG:2263")
    places.add_argument("--source", help="a label for where these places come from")

    export = command("export", _export, "write places, areas or initiatives to a file")
    export.add_argument("dataset", choices=("places", "areas", "initiatives"))
    export.add_argument("--area", help="only what lies in this area (name or code)")
    export.add_argument("--format", choices=exports.FORMATS, required=True)
    export.add_argument("-o", "--output", required=True, help="the file to write")
    export.add_argument(
        "--near", metavar="LAT,LON,METRES", help="initiatives within a radius of a point"
    )
    export.add_argument("--status", help="initiative statuses, comma-separated")
    export.add_argument("--kind", help="initiative kinds, comma-separated")
    export.add_argument("--text", default="", help="initiatives mentioning this text")

    population = command(
        "import-population", _import_population, "set population per area from a CSV"
    )
    population.add_argument(
        "file",
        help="CSV (UTF-8 or Windows-1252); columns age_0 … age_17 or 0-3 … 16-17, when "
        "present, set children by age band",
    )
    population.add_argument("--match-field", required=True, help="the column with the key")
    population.add_argument("--by", choices=("code", "name"), default="code")
    population.add_argument("--population-field", required=True)
    population.add_argument("--children-field", help="the column with children under 18")
    population.add_argument("--level", default="ward", choices=AREA_LEVELS)

    cover = command("coverage", _coverage, "share of each ward within reach of play (FiT)")
    cover.add_argument("--format", choices=("csv", "table"), default="table")
    cover.add_argument("-o", "--output", help="write to this file instead of the screen")
    cover.add_argument("--level", default="ward", choices=AREA_LEVELS)
    cover.add_argument(
        "--method",
        choices=("auto", "walking", "straight"),
        default="auto",
        help="walking along imported streets, straight lines, or walking where streets exist",
    )
    cover.add_argument(
        "--standard",
        choices=tuple(coverage.BANDS),
        default="fit",
        help="fit: Fields in Trust's doorstep, local and neighbourhood play (100 / 400 / "
        "1,000 m walking); london: the London Plan's age bands (under 5: 100 m, 5-11: "
        "400 m, 12 and over: 800 m walking; 0.6 of each as the crow flies). "
        "--doorstep, --local and --neighbourhood set fit's metres only",
    )
    for name, metres in coverage.DEFAULT_DISTANCES.items():
        cover.add_argument(
            f"--{name}",
            type=float,
            default=metres,
            metavar="M",
            help=f"straight-line metres for {coverage.LEVELS[name].label} (default {metres:g})",
        )

    news = command("digest", _digest, "a newsletter of a ward (or the council) for a period")
    news.add_argument("--area", help="a ward (name or code); default: the whole council")
    news.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
    news.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")
    news.add_argument("--format", choices=("md", "html"), default="md")
    news.add_argument("-o", "--output", help="write to this file instead of the screen")

    command("redact", _redact, "remove personal data: texts on standard input, one per line")
    saved = command("backup", _backup, "write a consistent copy of the database to FILE")
    saved.add_argument("file")
    back = command("restore", _restore, "replace the database by the backup FILE")
    back.add_argument("file")
    moved = command("copy", _copy, "copy every table, id and audit row into a new, empty database")
    moved.add_argument(
        "--to", required=True, metavar="LOCATION", help="postgresql://… or FILE.duckdb"
    )
    moved.add_argument(
        "--from",
        dest="source",
        metavar="LOCATION",
        help="the database to copy (default: the one the app uses), e.g. a backup file",
    )
    command("stats", _stats, "counts of play areas and initiatives per ward")

    user = command(
        "create-user", _create_user, "create an account (password from a prompt or stdin)"
    )
    user.add_argument("--login", required=True)
    user.add_argument("--name", help="display name (default: the login)")
    user.add_argument("--role", required=True, choices=ACCOUNT_ROLES)
    user.add_argument("--ward", action="append", default=[], help="limit a council account")

    send = command("send", _send, "send due e-mail and run the other scheduled rounds")
    send.add_argument("--once", action="store_true", help="one round, then exit (for cron)")

    role = command("set-role", _set_role, "change an account's role (and council wards)")
    role.add_argument("--login", required=True)
    role.add_argument("--role", required=True, choices=ACCOUNT_ROLES)
    role.add_argument("--ward", action="append", default=[], help="limit a council account")

    words = command("i18n", _i18n, "the catalogues of SafePlay's words (docs/languages.md)")
    words.add_argument(
        "step",
        choices=("extract", "update", "check", "merge"),
        help="extract: write messages.pot from the code; update: merge it into each "
        "language's messages.po; check: every message translated, same {names}, every plural "
        "form; merge: each language's .po files into its one messages.po",
    )
    return parser


def _i18n(args: argparse.Namespace) -> int:
    from geo.i18n import catalogues  # Babel's extractor: only this command needs it

    if args.step == "extract":
        count = catalogues.write_template()
        print(f"{count} messages written to {catalogues.TEMPLATE}")
    elif args.step == "update":
        for path in catalogues.update(catalogues.extract()):
            print(f"updated {path}")
    elif args.step == "merge":
        for merged in catalogues.merge():
            print(
                f"{merged.language}: {len(merged.files)} files, {merged.messages} messages "
                f"into {catalogues.MERGED}"
            )
            for conflict in merged.conflicts:
                print(f"  translated differently, the first kept: {conflict}")
    else:
        problems = catalogues.check(catalogues.extract())
        if problems:
            print(catalogues.report(problems))
            print(f"{len(problems)} problems", file=sys.stderr)
            return 1
        print("every message is translated in every language")
    return 0


def _init(_args: argparse.Namespace) -> int:
    store = Store()
    print(f"{store.location}: schema version {store.schema_version()}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    store = Store()
    counts = store.row("SELECT count(*) FROM areas")
    if args.if_empty and counts and counts[0]:
        print(f"{store.location} already holds data; demo not loaded")
        return 0
    summary = load_demo(store, COMMAND_LINE)
    print(
        f"Loaded the Millbrook demo: {summary.wards} wards, {summary.places} play areas, "
        f"{summary.initiatives} initiatives into {store.location}"
    )
    print(f"Streets: {summary.streets}")
    print("Demo-only accounts (login / password / role):")
    for login, _name, role, password in summary.accounts:
        print(f"  {login} / {password} / {role}")
    return 0


def _assets(_args: argparse.Namespace) -> int:
    installed = install_assets()
    print(f"map assets ready: {len(installed)} files in static/vendor")
    return 0


def _import_areas(args: argparse.Namespace) -> int:
    report = imports.import_areas(
        Store(),
        COMMAND_LINE,
        args.file,
        level=args.level,
        name_field=args.name_field,
        code_field=args.code_field,
        crs=args.crs,
        replace=args.replace,
    )
    print("\n".join(report.lines()))
    return 0


def _import_streets(args: argparse.Namespace) -> int:
    bar = _ProgressBar("Reading ways")
    try:
        outcome = street_storage.import_streets(Store(), COMMAND_LINE, args.file, progress=bar)
    finally:
        bar.close()  # an error then starts on a line of its own
    print("\n".join(outcome.lines()))
    return 0


class _ProgressBar:
    """A bar on standard error, redrawn in place; standard output keeps only the result."""

    def __init__(self, label: str, width: int = 30) -> None:
        self.label, self.width, self.drawn = label, width, False

    def __call__(self, done: int, total: int) -> None:
        filled = self.width * done // total if total else self.width
        bar = "#" * filled + "." * (self.width - filled)
        print(f"\r{self.label} [{bar}] {done:,} / {total:,}", end="", file=sys.stderr, flush=True)
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            print(file=sys.stderr, flush=True)
            self.drawn = False


def _import_places(args: argparse.Namespace) -> int:
    if args.format == "osm" and not args.file.lower().endswith((".pbf", ".osm")):
        print("error: --format osm reads .osm.pbf and .osm files", file=sys.stderr)
        return 2
    report = imports.import_places(
        Store(),
        COMMAND_LINE,
        args.file,
        kind=args.kind,
        name_field=args.name_field,
        id_field=args.id_field,
        crs=args.crs,
        source=args.source,
    )
    print("\n".join(report.lines()))
    return 0


def _export(args: argparse.Namespace) -> int:
    store = Store()
    selection = None
    if args.dataset == "initiatives":
        query = {"status": args.status, "kind": args.kind, "q": args.text, "near": args.near}
        if args.area:
            query["areas"] = str(find_area(store, args.area))
        selection = Selection.from_query({k: v for k, v in query.items() if v})
    elif args.near or args.status or args.kind or args.text:
        raise InvalidInput("--near, --status, --kind and --text filter initiatives only")
    frame = exports.collect(store, COMMAND_LINE, args.dataset, area=args.area, selection=selection)
    count = exports.write(frame, args.format, args.output)
    print(f"wrote {count} {args.dataset} to {args.output}")
    return 0


def _import_population(args: argparse.Namespace) -> int:
    report = import_population(
        Store(),
        COMMAND_LINE,
        Path(args.file),
        match_field=args.match_field,
        population_field=args.population_field,
        by=args.by,
        level=args.level,
        children_field=args.children_field,
    )
    print("\n".join(report.lines()))
    return 0


def _coverage(args: argparse.Namespace) -> int:
    distances = {name: getattr(args, name) for name in coverage.LEVELS}
    if args.standard != "fit":  # the --doorstep/--local/--neighbourhood metres are FiT's
        distances = None
    result = coverage.coverage(
        Store(),
        distances,
        level=args.level,
        method=args.method,
        with_gaps=False,
        bands=args.standard,
    )
    table = coverage.as_csv_table(result)
    text = exports.to_csv(table) if args.format == "csv" else table.to_string(index=False)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8", newline="")
        print(f"wrote coverage of {len(table)} areas to {args.output}")
    else:
        print(text, end="" if text.endswith("\n") else "\n")
    return 0


def _digest(args: argparse.Namespace) -> int:
    store = Store()
    try:
        start, end = date.fromisoformat(args.start), date.fromisoformat(args.end)
    except ValueError as error:
        raise InvalidInput(f"dates are written YYYY-MM-DD ({error})") from error
    area_id = find_area(store, args.area) if args.area else None
    news = digest.build(store, start, end, area_id, datetime.now(UTC).replace(tzinfo=None))
    text = digest.to_html(news) if args.format == "html" else digest.to_markdown(news)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote the newsletter for {news.area_name} to {args.output}")
    else:
        print(text, end="")
    return 0


def _redact(_args: argparse.Namespace) -> int:
    for line in sys.stdin:
        print(redact(line.rstrip("\n")).text)
    return 0


def _send(args: argparse.Namespace) -> int:
    from geo.delivery import worker
    from geo.notify.smtp import SmtpTransport, smtp_settings

    store = Store()
    settings = smtp_settings()
    transport = SmtpTransport(settings) if settings else None
    if args.once:
        for step, outcome in worker.run_round(
            store, datetime.now(UTC).replace(tzinfo=None), transport
        ).items():
            print(f"{step}: {outcome}")
        return 0
    worker.run_forever(store, lambda: transport, threading.Event())
    return 0


def _backup(args: argparse.Namespace) -> int:
    sums = backup.backup(Store(), COMMAND_LINE, Path(args.file))
    print(
        f"backed up {len(sums)} tables ({sum(n for n, _ in sums.values()):,} rows) to {args.file}"
    )
    return 0


def _restore(args: argparse.Namespace) -> int:
    if is_postgres(database_location()):
        raise ImportRejected(
            "restore replaces a DuckDB file; the database is PostgreSQL "
            "(SAFEPLAY_DATABASE_URL). Copy the backup into a new, empty PostgreSQL database "
            f"instead: python -m geo copy --from {args.file} --to postgresql://…"
        )
    sums = backup.restore(Path(args.file), database_path())
    print(
        f"restored {len(sums)} tables ({sum(n for n, _ in sums.values()):,} rows) "
        f"into {database_path()}; the previous file is kept as *.before-restore"
    )
    return 0


def _copy(args: argparse.Namespace) -> int:
    source = Store(args.source)
    sums = moving.copy_store(source, COMMAND_LINE, args.to)
    width = max(len(table) for table in sums)
    for table, (rows, _digest) in sums.items():
        print(f"  {table:<{width}}  {rows:>9,} rows")
    print(
        f"copied {len(sums)} tables ({sum(n for n, _ in sums.values()):,} rows) from "
        f"{source.location} to {shown_location(args.to)}; verified: every table matches"
    )
    return 0


def _stats(_args: argparse.Namespace) -> int:
    rows = area_stats(Store())
    if not rows:
        print("no wards loaded (python -m geo import-areas FILE --level ward)")
        return 0
    width = max(len(name) for name, *_ in rows)
    print(f"{'ward':<{width}}  code        places  initiatives")
    for name, code, place_count, initiative_count in rows:
        print(f"{name:<{width}}  {code:<10}  {place_count:>6}  {initiative_count:>11}")
    return 0


def _create_user(args: argparse.Namespace) -> int:
    store = Store()
    password = _read_password()
    user_id = auth.create_user(
        store,
        COMMAND_LINE,
        args.login,
        args.name or args.login,
        args.role,
        password,
        _ward_ids(store, args.ward),
    )
    print(f"created {args.role} account {args.login.lower()} (id {user_id})")
    return 0


def _set_role(args: argparse.Namespace) -> int:
    store = Store()
    auth.set_role(store, COMMAND_LINE, args.login, args.role, _ward_ids(store, args.ward))
    print(f"{args.login.lower()} is now {args.role}")
    return 0


def _ward_ids(store: Store, wards: list[str]) -> tuple[int, ...]:
    return tuple(find_area(store, w if ":" in w else f"ward:{w}") for w in wards)


def _read_password() -> str:
    """From a prompt (typed twice) or, when piped, the first line of standard input;
    never from an argument, where it would sit in the shell history and process list."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise WeakPassword("the two passwords differ")
    return first
