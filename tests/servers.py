"""Real portal processes for the tests that start them: gunicorn servers, the task worker, a browser that talks HTTP.

Used by the two-server rate-limit journeys (tests/portal/test_rate_limits.py), the worker test
(tests/services/outbox/test_worker.py) and the load-balancer journey (tests/portal/test_load_balancer.py).
Every process is started on a socket or port of its own on 127.0.0.1 and stopped by the fixture that started it.
"""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Protocol
from urllib.parse import quote, urlencode

import pytest
from allauth.account.adapter import DefaultAccountAdapter
from django.db import connection
from django.utils import translation
from django.utils.datastructures import CaseInsensitiveMapping
from django.utils.html import escape

BASE_DIR = Path(__file__).resolve().parent.parent
LOGIN_URL = "/accounts/login/"
SERVER_START_SECONDS = 30


class Target(Protocol):
    port: int


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log_path: Path

    def kill(self) -> None:
        """Dies at once, as a crashed machine would: gunicorn's master and its worker (a process group of their own)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=5)

    def security_events(self, event: str) -> list[dict]:
        lines = [json.loads(line) for line in self.log_path.read_text().splitlines() if line.startswith("{")]
        return [line for line in lines if line.get("logger") == "portal.security" and line.get("event") == event]


@dataclass
class Browser:
    """One visitor's cookies for one address (a server or the balancer in front), optionally sending the
    X-Forwarded-For a proxy in front would append, and any further headers (`headers`) with every request."""

    server: Target
    client_address: str | None = None
    host: str = "127.0.0.1"
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, body: dict | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, CaseInsensitiveMapping, str]:
        sent = {"Host": self.host, **self.headers, **(headers or {})}
        if self.client_address:
            sent["X-Forwarded-For"] = self.client_address
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        try:
            conn.request(method, path, body=data, headers=sent)
            response = conn.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, CaseInsensitiveMapping(dict(response.headers)), response.read().decode()
        finally:
            conn.close()

    def csrf_token(self, path: str) -> str:
        status, _headers, page = self.request("GET", path)
        assert status == 200, f"GET {path}: {status} {page[:500]}"
        return csrf_token_in(page)

    def log_in(self, email: str, password: str) -> str:
        """One login attempt through the form (CSRF token first): "in", "second factor" (allauth asks for the
        code next), "refused" (the limit) or "wrong"."""
        token = self.csrf_token(LOGIN_URL)
        status, headers, page = self.request("POST", LOGIN_URL,
                                             {"csrfmiddlewaretoken": token, "login": email, "password": password})
        if status == 302:
            if headers["Location"].startswith("/accounts/2fa/authenticate/"):
                return "second factor"
            assert headers["Location"] == "/"
            return "in"
        if status == 429 or too_many_attempts_message() in page:
            return "refused"
        assert status == 200, page[:500]
        return "wrong"


def csrf_token_in(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def too_many_attempts_message() -> str:
    """allauth's form error for a refused attempt, as the German login page shows it."""
    with translation.override("de"):
        return escape(str(DefaultAccountAdapter.error_messages["too_many_login_attempts"]))


def redis_or_skip(url: str, *, needed_by: str):
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as error:
        reason = f"{needed_by} needs Redis at {url} ({error})"
        if "CI" in os.environ:
            pytest.fail(f"CI is set, so {needed_by} must run: {reason}.", pytrace=False)
        pytest.skip(reason)
    return client


def redis_keys_delete(client, prefix: str) -> None:
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


def database_url() -> str:
    """The test database as a DATABASE_URL, for processes of their own that share it."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


def process_environment(*dropped_prefixes: str, **values: str) -> dict[str, str]:
    """This process's environment without pytest's and Django's variables (and any `dropped_prefixes`), plus `values`."""
    prefixes = ("PYTEST", "DJANGO_", *dropped_prefixes)
    env = {key: value for key, value in os.environ.items() if not key.startswith(prefixes)}
    env.update(PYTHONUNBUFFERED="1", **values)
    return env


def bound_listener() -> socket.socket:
    """A listening socket on a free local port, to hand to a child process as an open descriptor (no race for the port)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.set_inheritable(True)
    return listener


def start_server(env: dict[str, str], log_path: Path, *, workers: int = 1) -> Server:
    """gunicorn (one worker unless told otherwise) on a socket bound here to a free local port."""
    listener = bound_listener()
    port = listener.getsockname()[1]
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "gunicorn", "--bind", f"fd://{listener.fileno()}", "--workers", str(workers),
             "--timeout", "60", "portal.wsgi:application"],
            cwd=BASE_DIR, env=env, pass_fds=[listener.fileno()], stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    listener.close()
    return Server(port=port, process=process, log_path=log_path)


def wait_until_ready(server: Server) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"the portal server stopped at start:\n{server.log_path.read_text()[-3000:]}", pytrace=False)
        try:
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"the portal server did not answer /healthz:\n{server.log_path.read_text()[-3000:]}", pytrace=False)


def start_worker(env: dict[str, str], log_path: Path) -> subprocess.Popen:
    """`manage.py db_worker`, polling often, with the settings and database that `env` names."""
    with log_path.open("w") as log:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)


def stop_process(process: subprocess.Popen, *, seconds: float = 15) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def stop_server(server: Server) -> None:
    stop_process(server.process)


def wait_for(condition: Callable[[], object], *, seconds: float = 60, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")
