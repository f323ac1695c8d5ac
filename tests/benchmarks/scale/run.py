"""The portal at city scale: `make benchmark-scale` (needs PostgreSQL).

Builds a city of 100,000 staff in 2,000 units (generate.py) with 10,000 requests, copies that database, grows
the original to 1,000,000 requests, and then measures both, interleaved (small, large, small, …) so that a busy
machine slows both alike: for a department head, an office head, a delegate and a staff member the queue (first
page and page 40), the queue count, my requests, the dashboard and the team calendar; for an administrator
Django's stock admin changelist of the same requests table, as the peer. Each page is fetched in-process with
django.test.Client (server time, without a network or a browser), its median, p95 and SQL queries printed, and
the ratio of the large to the small size.

    .venv/bin/python tests/benchmarks/scale/run.py [--small 10000] [--large 1000000] [--staff 100000] [--rounds 15]
                                                  [--reuse]

SCALE_DATABASE_URL names the large database (default postgres://postgres@127.0.0.1:5432/kd_scale_bench; never the
portal's DATABASE_URL); the small one is the same name with "_small". Both are dropped and created afresh unless
--reuse measures what is there.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[3]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kd_scale_bench"
PERSONAS = ("department head", "office head", "delegate", "staff member")
PAGES = (
    ("queue, first page", "/queue/"),
    ("queue, page 40", "/queue/?page=40"),
    ("queue count", None),
    ("my requests", "/requests/"),
    ("dashboard", "/"),
    ("team calendar", "/team/calendar/"),
)
PEER = ("admin changelist (peer)", "/django-admin/services/servicerequest/")


def _server(url: str):
    import psycopg

    base, _, name = url.rpartition("/")
    return psycopg.connect(f"{base}/postgres", autocommit=True), name


def recreate(url: str, *names: str) -> None:
    server, _ = _server(url)
    with server:
        for name in names:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            server.execute(f'CREATE DATABASE "{name}"')


def copy_database(url: str, source: str, target: str) -> None:
    server, _ = _server(url)
    with server:
        server.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')


def use_database(name: str) -> None:
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = name
    connection.ensure_connection()


def vacuum() -> None:
    """What autovacuum does to a table that has settled: statistics for the planner and the visibility map."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def database_size(name: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(%s)", [name])
        return cursor.fetchone()[0]


def queue_count(user) -> int:
    """The count the queue page shows, counted as it counts it (up to LIST_COUNT_CAP, then "more than")."""
    from portal.pagination import CappedPaginator
    from services import selectors

    return CappedPaginator(selectors.queue_listing(user), 25).count


def build(args, small: str, large: str) -> dict:
    from django.core.management import call_command

    from portal.models import User
    from tests.benchmarks.scale import generate
    from tests.factories import build_site, logged_in_client

    recreate(args.url, large)
    use_database(large)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    build_site()
    city = generate.build_city(staff_count=args.staff)
    people = time.perf_counter()
    next_id = generate.add_requests(city, first_id=1, count=args.small, seed=1, own_requests=10)
    users = {name: User.objects.get(pk=pk) for name, pk in city.personas.items()}
    for user in users.values():
        logged_in_client(user)  # the authenticator app, as everyone who decides has one
    vacuum()
    use_database("postgres")
    copy_database(args.url, large, small)
    use_database(large)
    grow_started = time.perf_counter()
    generate.add_requests(city, first_id=next_id, count=args.large - args.small, seed=2)
    grown = time.perf_counter()
    vacuum()
    finished = time.perf_counter()
    print(f"Built in {finished - started:.0f} s: migrations {migrated - started:.0f} s, {args.staff:,} staff in "
          f"{len(city.units):,} units {people - migrated:.0f} s, grown by {args.large - args.small:,} requests "
          f"{grown - grow_started:.0f} s, VACUUM ANALYZE {finished - grown:.0f} s")
    return city.personas


def personas_of_existing() -> dict:
    """The personas of a city generate.py built: the first department's head and deputy, its first office's head,
    the third person of that office's first team."""
    from portal.models import OrgUnit, User

    department, office = OrgUnit.objects.get(code="D01"), OrgUnit.objects.get(code="A0101")
    team_member = User.objects.filter(unit__code="A0101-01").order_by("pk")[2]
    return {"department head": _head(department), "office head": _head(office), "delegate": _deputy(department),
            "staff member": team_member.pk, "administrator": 1}


def _head(unit) -> int:
    from portal.models import OrgUnitUserPermission

    return OrgUnitUserPermission.objects.filter(content_object=unit).values_list("user_id", flat=True).first()


def _deputy(unit) -> int:
    from services.delegation.models import Delegation

    return Delegation.objects.filter(unit=unit).values_list("delegate_id", flat=True).first()


def measure(args, small: str, large: str, persona_ids: dict) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.models import User
    from tests.factories import logged_in_client

    sizes = {small: f"{args.small:,}", large: f"{args.large:,}"}
    clients, users = {}, {}
    for database in (small, large):
        use_database(database)
        for name, pk in persona_ids.items():
            users[database, name] = User.objects.get(pk=pk)
            clients[database, name] = logged_in_client(users[database, name])
    jobs = [(label, url, persona) for label, url in PAGES for persona in PERSONAS] + [(*PEER, "administrator")]
    timings = {(database, job): [] for database in (small, large) for job in jobs}
    queries = {}

    def fetch(database, job) -> None:
        label, url, persona = job
        if url is None:
            queue_count(users[database, persona])
            return
        response = clients[database, persona].get(url)
        if response.status_code != 200:
            raise SystemExit(f"{label} for the {persona} answered {response.status_code}")

    for database in (small, large):
        use_database(database)
        for job in jobs:
            fetch(database, job)  # warm up: per-process caches, the database's buffers
            with CaptureQueriesContext(connection) as captured:
                fetch(database, job)
            queries[database, job] = len(captured.captured_queries)
    for _ in range(args.rounds):
        for database in (small, large):
            use_database(database)
            for job in jobs:
                started = time.perf_counter()
                fetch(database, job)
                timings[database, job].append((time.perf_counter() - started) * 1000)

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]

    header = (f"| page | persona | {sizes[small]}: median | p95 | SQL | {sizes[large]}: median | p95 | SQL "
              f"| ratio (median) | ratio (p95) |")
    print(header)
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for job in jobs:
        label, _url, persona = job
        low, high = timings[small, job], timings[large, job]
        print(f"| {label} | {persona} | {statistics.median(low):.1f} ms | {p95(low):.1f} ms | {queries[small, job]} "
              f"| {statistics.median(high):.1f} ms | {p95(high):.1f} ms | {queries[large, job]} "
              f"| {statistics.median(high) / statistics.median(low):.2f}× | {p95(high) / p95(low):.2f}× |")
    use_database(large)
    print(f"\nDatabase size: {database_size(small) / 2**20:,.0f} MB with {sizes[small]} requests, "
          f"{database_size(large) / 2**20:,.0f} MB with {sizes[large]} (pg_database_size).")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--staff", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--reuse", action="store_true", help="measure the databases a previous run built")
    args = parser.parse_args()
    args.url = os.environ.get("SCALE_DATABASE_URL", "").strip() or DEFAULT_URL
    os.environ["DATABASE_URL"] = args.url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.benchmarks.scale.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    large = args.url.rpartition("/")[2]
    small = f"{large}_small"
    if args.reuse:
        from django.core.management import call_command

        for database in (small, large):
            use_database(database)
            call_command("migrate", verbosity=0)  # what changed since they were built (new indexes)
        persona_ids = personas_of_existing()
    else:
        persona_ids = build(args, small, large)
    measure(args, small, large, persona_ids)
    return 0


if __name__ == "__main__":
    sys.exit(main())
