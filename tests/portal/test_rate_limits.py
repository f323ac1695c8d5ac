"""Rate limits that hold: counted in one shared cache, per account and per client address behind the proxy.

The settings tests run everywhere. The journeys start two real portal servers (gunicorn, as in production,
each a process with its own memory) on one PostgreSQL test database and one Redis, and prove that the
count of failed logins is shared between them; they run on PostgreSQL only.
"""

import json
import logging
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import RequestFactory

from portal.adapters import AccountAdapter
from portal.security_log import client_address
from portal.settings import base as base_settings
from portal.settings.base import env_cache
from tests.factories import UserFactory
from tests.servers import (
    LOGIN_URL,
    Browser,
    Server,
    database_url,
    process_environment,
    redis_keys_delete,
    redis_or_skip,
    start_server,
    stop_server,
    wait_until_ready,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PASSWORD = "musterstadt"
ACCOUNT_FAILURES = 5  # "5/5m/key" in ACCOUNT_RATE_LIMITS["login_failed"]
ADDRESS_FAILURES = 10  # "10/m/ip"
REDIS_URL = os.environ.get("RATE_LIMIT_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def test_the_documented_limits_are_the_ones_configured():
    assert base_settings.ACCOUNT_RATE_LIMITS["login_failed"] == f"{ADDRESS_FAILURES}/m/ip,{ACCOUNT_FAILURES}/5m/key"


# --- Settings: CACHE_URL, CACHE_KEY_PREFIX, production ------------------------------------------------

def test_no_cache_url_means_each_process_counts_in_its_own_memory(monkeypatch):
    monkeypatch.delenv("CACHE_URL", raising=False)
    assert env_cache("CACHE_URL", key_prefix="kd") is None
    monkeypatch.setenv("CACHE_URL", "  ")
    assert env_cache("CACHE_URL", key_prefix="kd") is None


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/0", "redis://:secret@redis.musterstadt.example:6380/3",
                                 "rediss://cache.musterstadt.example", "unix:///run/redis/redis.sock"])
def test_cache_url_selects_djangos_redis_backend_with_the_key_prefix(monkeypatch, url):
    monkeypatch.setenv("CACHE_URL", url)
    config = env_cache("CACHE_URL", key_prefix="kd-staging")
    assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert config["LOCATION"] == url
    assert config["KEY_PREFIX"] == "kd-staging"
    assert config["OPTIONS"]["socket_connect_timeout"] <= 2


@pytest.mark.parametrize(("url", "reason"), [
    ("memcached://127.0.0.1:11211", "must start with redis://"),
    ("127.0.0.1:6379", "must start with redis://"),
    ("redis://:Geheim-4711@127.0.0.1:port/0", "not a valid URL"),
    ("redis://:Geheim-4711@127.0.0.1:99999/0", "not a valid URL"),
    ("redis:///0", "one Redis server"),
    ("redis://a:6379,b:6379/0", "one Redis server"),
    ("redis://127.0.0.1:6379/cache", "number of the Redis database"),
    ("unix://", "socket's path"),
])
def test_a_malformed_cache_url_is_refused_naming_the_variable_but_not_its_password(monkeypatch, url, reason):
    monkeypatch.setenv("CACHE_URL", url)
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL") as refused:
        env_cache("CACHE_URL", key_prefix="kd")
    assert reason in str(refused.value)
    assert "Geheim-4711" not in str(refused.value)


def production_settings(**environ: str) -> subprocess.CompletedProcess:
    """Load portal.settings.production in a fresh interpreter with `environ` (and nothing of this process's
    CACHE_URL); print what the rate limits depend on."""
    env = {key: value for key, value in os.environ.items() if key not in {"CACHE_URL", "CACHE_KEY_PREFIX", "TRUSTED_PROXY_COUNT"}}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings.production", SECRET_KEY="kd-rate-limit-test-" + "0123456789abcdef" * 4,  # noqa: S106
               DATABASE_URL="postgres://portal@db.musterstadt.example/portal", ALLOWED_HOSTS="portal.musterstadt.example",
               WAGTAILADMIN_BASE_URL="https://portal.musterstadt.example",
               **environ)
    script = ("import json; from django.conf import settings; c = settings.CACHES['default']; print(json.dumps("
              "[c['BACKEND'], c['KEY_PREFIX'], settings.TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_PROXY_COUNT]))")
    return subprocess.run([sys.executable, "-c", script], cwd=BASE_DIR, env=env,  # noqa: S603 - our own interpreter
                          capture_output=True, text=True, timeout=60, check=False)


def test_production_refuses_to_start_without_a_shared_cache():
    result = production_settings()
    assert result.returncode != 0
    assert "ImproperlyConfigured: CACHE_URL must be set in production" in result.stderr


def test_production_shares_redis_and_one_proxy_count_governs_the_log_and_allauth():
    result = production_settings(CACHE_URL="redis://redis.musterstadt.example:6379/0", CACHE_KEY_PREFIX="kd-prod",
                                 TRUSTED_PROXY_COUNT="2")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["django.core.cache.backends.redis.RedisCache", "kd-prod", 2, 2]


# --- One rule for the client address ------------------------------------------------------------------

@pytest.mark.parametrize(("count", "forwarded", "expected"), [
    (0, "", "10.0.0.5"),
    (0, "203.0.113.7", "10.0.0.5"),  # nobody is trusted to write the header
    (1, "203.0.113.7", "203.0.113.7"),
    (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # what the client wrote itself stays on the left
    (2, "198.51.100.1, 203.0.113.7, 10.0.0.4", "203.0.113.7"),
    (2, "203.0.113.7", "10.0.0.5"),  # did not pass both proxies
    (1, "not-an-address", "10.0.0.5"),
    (1, "2001:db8::1", "2001:db8::1"),
])
def test_allauth_takes_the_client_address_by_the_rule_the_security_log_uses(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().post(LOGIN_URL, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded)
    assert AccountAdapter(request).get_client_ip(request) == expected
    assert client_address(request.META) == expected


# --- In one process: the security event, an unreachable cache -----------------------------------------

@pytest.fixture
def rate_limits_on(settings):
    settings.ACCOUNT_RATE_LIMITS = base_settings.ACCOUNT_RATE_LIMITS
    cache.clear()
    yield
    cache.clear()


def non_field_error_codes(response) -> list[str]:
    return [error.code for error in response.context["form"].non_field_errors().as_data()]


def test_a_login_refused_by_the_limit_is_a_security_event(client, rate_limits_on, applicant, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    for _attempt in range(ACCOUNT_FAILURES):
        client.post(LOGIN_URL, {"login": applicant.email, "password": "guessed-wrong"}, REMOTE_ADDR="198.51.100.7")
    response = client.post(LOGIN_URL, {"login": applicant.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.7")

    assert non_field_error_codes(response) == ["too_many_login_attempts"]
    events = [record.security for record in caplog.records if record.name == "portal.security"]
    refused = [event for event in events if event["event"] == "login_rate_limited"]
    assert refused == [{"event": "login_rate_limited", "user": None, "client": "198.51.100.7", "path": LOGIN_URL,
                        "account": applicant.email, "outcome": "refused"}]
    assert [event["event"] for event in events].count("login_failed") == ACCOUNT_FAILURES


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_when_the_cache_is_unreachable_logins_are_refused_and_the_error_is_logged(client, applicant, settings, caplog):
    settings.ACCOUNT_RATE_LIMITS = base_settings.ACCOUNT_RATE_LIMITS
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
                                   "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}

    response = client.post(LOGIN_URL, {"login": applicant.email, "password": PASSWORD})

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert '<html lang="de">' in response.content.decode()
    assert "_auth_user_id" not in client.session
    errors = [record for record in caplog.records if record.name == "portal.cache" and record.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "The cache (CACHE_URL) cannot be reached: POST /accounts/login/ refused with 503" in errors[0].getMessage()

    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json()["checks"]["cache"].startswith("error: ")


# --- Two real servers, one Redis, one database (PostgreSQL only) --------------------------------------

@pytest.fixture(scope="module")
def servers(django_db_setup, tmp_path_factory) -> Iterator[tuple[Server, Server]]:
    """Two portal servers behind one (pretended) proxy: TRUSTED_PROXY_COUNT=1, one test database, one Redis
    (database 5) under a key prefix of this run only, whose keys are deleted afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("two real servers need one database they both reach: the journey runs on PostgreSQL only "
                    "(CI runs it in its PostgreSQL pass)")
    redis_client = redis_or_skip(REDIS_URL, needed_by="the two-server rate-limit test")
    prefix = f"kd-test-ratelimit-{uuid.uuid4().hex[:12]}"
    env = process_environment(DJANGO_SETTINGS_MODULE="tests.portal.server_settings", DATABASE_URL=database_url(),
                              CACHE_URL=REDIS_URL, CACHE_KEY_PREFIX=prefix, TRUSTED_PROXY_COUNT="1")
    logs = tmp_path_factory.mktemp("rate-limit-servers")
    started: list[Server] = []
    try:
        for number in (1, 2):
            started.append(start_server(env, logs / f"server-{number}.log"))
        for server in started:
            wait_until_ready(server)
        yield started[0], started[1]
    finally:
        for server in started:
            stop_server(server)
        redis_keys_delete(redis_client, prefix)


def staff(email: str):
    return UserFactory(email=email)


def test_five_wrong_passwords_on_two_servers_lock_that_account_on_both_and_nobody_else(servers, transactional_db):
    first, second = servers
    victim = staff("anna.schmidt@musterstadt.example")
    other = staff("clara.wolf@musterstadt.example")
    address = "203.0.113.41"  # each journey its own address (RFC 5737), so that their counts never meet
    browsers = [Browser(first, address), Browser(second, address)]

    # Alternating servers: neither sees more than three of the five failures itself.
    outcomes = [browsers[attempt % 2].log_in(victim.email, "guessed-wrong") for attempt in range(ACCOUNT_FAILURES)]
    assert outcomes == ["wrong"] * ACCOUNT_FAILURES

    # The sixth attempt is refused on either server, even with the right password.
    assert browsers[1].log_in(victim.email, PASSWORD) == "refused"
    assert browsers[0].log_in(victim.email, PASSWORD) == "refused"

    # Another account logs in on both servers, from the very same address.
    assert Browser(first, address).log_in(other.email, PASSWORD) == "in"
    assert Browser(second, address).log_in(other.email, PASSWORD) == "in"

    refused = first.security_events("login_rate_limited") + second.security_events("login_rate_limited")
    assert len(refused) == 2
    assert {(event["account"], event["client"]) for event in refused} == {(victim.email, address)}


def test_one_client_address_hitting_the_limit_behind_the_proxy_locks_out_no_other_address(servers, transactional_db):
    first, second = servers
    person = staff("bernd.keller@musterstadt.example")
    guesser, colleague = "203.0.113.42", "198.51.100.23"

    # Ten failures from one address, alternating servers, each for another guessed account (so that no
    # account's own limit is reached): the address's limit is.
    outcomes = [Browser((first, second)[attempt % 2], guesser).log_in(f"guess{attempt}@musterstadt.example", "x")
                for attempt in range(ADDRESS_FAILURES)]
    assert outcomes == ["wrong"] * ADDRESS_FAILURES

    assert Browser(first, guesser).log_in(person.email, PASSWORD) == "refused"
    # Writing another address into X-Forwarded-For does not help: the proxy's entry, the rightmost, counts.
    assert Browser(second, f"192.0.2.99, {guesser}").log_in(person.email, PASSWORD) == "refused"

    # The same person from another address, through the same proxy (same REMOTE_ADDR), logs in on both.
    assert Browser(first, colleague).log_in(person.email, PASSWORD) == "in"
    assert Browser(second, colleague).log_in(person.email, PASSWORD) == "in"
