"""Requests per second under gunicorn: the portal's dashboard and a guidance page beside a stock Wagtail page.

Two servers, started here on free local ports with two gunicorn workers each and the production settings
(tests.benchmarks.served_settings: read from the environment, plus the benchmark users' fast password hash):
the portal, and the portal with the stock peer app (tests.benchmarks.stock.settings). Both use the database
this script builds and a Redis database for the cache (BENCH_REDIS_URL, default redis://127.0.0.1:6379/11;
production requires one), and are asked as behind the load balancer (X-Forwarded-Proto: https).
The staff member logs in to each through the real login form.

The load is bounded: BENCH_CONCURRENCY threads (default 4), each sending one request after the other on a
new connection for BENCH_SECONDS (default 2), in BENCH_THROUGHPUT_ROUNDS rounds (default 5) that alternate
case and peer: short turns, so that a change in the load of the machine falls on both alike. The load generator
runs on the same machine and takes its share of the cores from both alike.

    .venv/bin/python tests/benchmarks/bench_throughput.py
"""

import http.client
import os
import pathlib
import secrets
import statistics
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2]))

from tests.benchmarks import common  # noqa: E402

HOST = "127.0.0.1"
ORIGIN = f"https://{HOST}"
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "Origin": ORIGIN}


def setting(name: str, default: int) -> int:
    return max(1, int(os.environ.get(name, str(default))))


@dataclass
class Load:
    """One kind of request to one server: its requests per second in each round."""

    name: str
    port: int
    path: str
    cookies: dict[str, str]
    rates: list[float] = field(default_factory=list)
    served: int = 0
    failed: int = 0

    def run(self, *, seconds: float, concurrency: int) -> None:
        headers = {"Host": HOST, **PROXY_HEADERS}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        served = [0] * concurrency
        failed = [0] * concurrency
        deadline = time.perf_counter() + seconds

        def send(slot: int) -> None:
            while time.perf_counter() < deadline:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
                try:
                    connection.request("GET", self.path, headers=headers)
                    response = connection.getresponse()
                    response.read()
                    if response.status == 200:
                        served[slot] += 1
                    else:
                        failed[slot] += 1
                except OSError:
                    failed[slot] += 1
                finally:
                    connection.close()

        threads = [threading.Thread(target=send, args=(slot,)) for slot in range(concurrency)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        self.rates.append(sum(served) / elapsed)
        self.served += sum(served)
        self.failed += sum(failed)

    def median(self) -> float:
        return statistics.median(self.rates)


def table(pairs: list[tuple[Load, Load]], *, seconds: int, concurrency: int, rounds: int) -> str:
    lines = ["### Throughput under gunicorn (two workers per server)", "",
             f"{common.machine_note().split(',')[0]}, {os.cpu_count()} cores, {concurrency} concurrent clients on the same"
             f" machine, {rounds} rounds of {seconds} s per case, alternating with the peer", "",
             "| case | requests/s (median) | slowest round | fastest round | served | not 200 | ratio to peer |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for case, peer in pairs:
        for load, ratio in ((case, f"{case.median() / peer.median():.2f}×"), (peer, "1")):
            name = load.name if load is case else f"↳ peer: {load.name}"
            lines.append(f"| {name} | {load.median():.1f} | {min(load.rates):.1f} | {max(load.rates):.1f} | {load.served} |"
                         f" {load.failed} | {ratio} |")
    return "\n".join(lines)


def main() -> int:
    common.django_setup()
    import redis

    from tests.servers import Browser, process_environment, redis_keys_delete, start_server, stop_server, wait_until_ready

    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
    redis_client = redis.Redis.from_url(redis_url, socket_connect_timeout=1)
    try:
        redis_client.ping()
    except redis.RedisError as error:
        print(f"skipped: the servers' production settings need Redis at {redis_url} ({error}); set BENCH_REDIS_URL")
        return 0
    seconds = setting("BENCH_SECONDS", 2)
    concurrency = setting("BENCH_CONCURRENCY", 4)
    rounds = setting("BENCH_THROUGHPUT_ROUNDS", 5)
    prefix = f"kd-bench-{uuid.uuid4().hex[:12]}"

    with common.fresh_database(), tempfile.TemporaryDirectory(prefix="kd-bench-") as directory:
        from django.db import connection

        city = common.city_build()
        guidance_url = city.site["guidance"].get_children().get(slug="phishing").url
        stock_url = city.stock_page.url
        applicant_email = city.applicant.email
        connection.close()  # everything committed; the servers open their own connections
        folder = pathlib.Path(directory)
        env = process_environment(
            "OUTBOX_", "EMAIL_", "CACHE_", "SECURE_", "BENCH_",
            SECRET_KEY=secrets.token_urlsafe(64), DATABASE_URL=common.database_url(), ALLOWED_HOSTS=f"{HOST},localhost",
            CSRF_TRUSTED_ORIGINS=ORIGIN, WAGTAILADMIN_BASE_URL=ORIGIN, CACHE_URL=redis_url, CACHE_KEY_PREFIX=prefix,
            MEDIA_ROOT=str(folder / "media"), PRIVATE_MEDIA_ROOT=str(folder / "private"),
        )
        servers = {}
        try:
            servers["portal"] = start_server({**env, "DJANGO_SETTINGS_MODULE": "tests.benchmarks.served_settings"},
                                             folder / "portal.log", workers=2)
            servers["stock"] = start_server({**env, "DJANGO_SETTINGS_MODULE": common.SETTINGS_MODULE,
                                             "BENCH_PORTAL_SETTINGS": "tests.benchmarks.served_settings"},
                                            folder / "stock.log", workers=2)
            cookies = {}
            for name, server in servers.items():
                wait_until_ready(server)
                browser = Browser(server, host=HOST, headers=dict(PROXY_HEADERS))
                outcome = browser.log_in(applicant_email, "musterstadt")
                if outcome != "in":
                    raise RuntimeError(f"logging in to the {name} server: {outcome}")
                cookies[name] = dict(browser.cookies)
            portal, stock = servers["portal"].port, servers["stock"].port
            pairs = [
                (Load("staff member: dashboard", portal, "/", cookies["portal"]),
                 Load("stock page, logged in", stock, stock_url, cookies["stock"])),
                (Load("anonymous: guidance page", portal, guidance_url, {}),
                 Load("stock page, anonymous", stock, stock_url, {})),
            ]
            for case, peer in pairs:  # warm up: templates, connections, per-process caches of every worker
                case.run(seconds=1, concurrency=concurrency)
                peer.run(seconds=1, concurrency=concurrency)
                case.rates.clear(), peer.rates.clear()
                case.served = case.failed = peer.served = peer.failed = 0
            for _ in range(rounds):
                for case, peer in pairs:
                    case.run(seconds=seconds, concurrency=concurrency)
                    peer.run(seconds=seconds, concurrency=concurrency)
            print(table(pairs, seconds=seconds, concurrency=concurrency, rounds=rounds))
            failures = [load for pair in pairs for load in pair if load.failed]
            for load in failures:
                server = "portal" if load.port == portal else "stock"
                print(f"{load.name}: {load.failed} answers other than 200; the {server} server's log ends:\n"
                      f"{(folder / f'{server}.log').read_text()[-3000:]}")
            return 1 if failures else 0
        finally:
            for server in servers.values():
                stop_server(server)
            redis_keys_delete(redis_client, prefix)


if __name__ == "__main__":
    sys.exit(main())
