"""Two app servers behind a load balancer, as production runs them (PostgreSQL only).

HAProxy from Debian in front of two gunicorn servers with the production settings, one PostgreSQL test
database, one Redis, the task worker and a real SMTP server. A journey through the balancer lands on both
servers: a staff member logs in and files leave, the approver answers the second factor and decides on the
other server, the decision shows at once, the login rate limit holds across both, the mails arrive; then one
server is killed and the journey goes on through the other.
"""

import datetime
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.utils import translation
from django.utils.html import escape

from services.models import RequestStatus, ServiceRequest
from tests.factories import build_site, leave_catalogue_ensure, leave_type_record, next_monday
from tests.portal.test_accounts import totp_code
from tests.servers import (
    Browser,
    Server,
    bound_listener,
    csrf_token_in,
    database_url,
    process_environment,
    redis_keys_delete,
    redis_or_skip,
    start_server,
    start_worker,
    stop_process,
    stop_server,
    wait_for,
    wait_until_ready,
)
from tests.services.outbox.smtp import SmtpServer

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="two app servers, a worker and a load balancer share one database: PostgreSQL "
                                       "only (CI runs it in its PostgreSQL pass)")

REDIS_URL = os.environ.get("LOAD_BALANCER_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
HOST = "portal.musterstadt.example"
ORIGIN = f"https://{HOST}"
PASSWORD = "musterstadt"
ACCOUNT_FAILURES = 5  # "5/5m/key" in ACCOUNT_RATE_LIMITS["login_failed"]

HAPROXY_CONFIG = """\
global
    maxconn 256

defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    retries 3
    option redispatch 1

frontend portal
    bind fd@{listener_fd}
    option forwardfor
    http-request set-header X-Forwarded-Proto https
    default_backend app_servers

backend app_servers
    balance roundrobin
    option httpchk
    http-check send meth GET uri /healthz hdr Host {host}
    http-check expect status 200
    default-server check inter 300ms fastinter 300ms downinter 300ms fall 2 rise 1
    # A test may ask for one server by name; a server that is down is passed over.
    use-server app1 if {{ req.hdr(X-Test-Server) -m str app1 }}
    use-server app2 if {{ req.hdr(X-Test-Server) -m str app2 }}
    server app1 127.0.0.1:{port1}
    server app2 127.0.0.1:{port2}
"""


@dataclass
class Balancer:
    port: int
    process: subprocess.Popen


@dataclass
class Cluster:
    balancer: Balancer
    servers: dict[str, Server]
    smtp: SmtpServer

    def browser(self) -> Browser:
        """A visitor of the portal's public address: over HTTPS as far as the servers know (the balancer says so)."""
        return Browser(self.balancer, host=HOST, headers={"Origin": ORIGIN})


@pytest.fixture
def real_clock() -> Iterator[None]:
    """The servers and the worker run on the real date: so does this test (the suite's clock is pinned)."""
    real_now = datetime.datetime.fromtimestamp(time_machine.escape_hatch.time.time(), tz=datetime.UTC)
    with time_machine.travel(real_now, tick=True):
        yield


def haproxy_or_skip() -> str:
    path = shutil.which("haproxy")
    if path is None:
        reason = "the load-balancer journey needs Debian's haproxy (apt-get install haproxy)"
        if "CI" in os.environ:
            pytest.fail(f"CI is set, so the load-balancer journey must run: {reason}.", pytrace=False)
        pytest.skip(reason)
    return path


def start_balancer(haproxy: str, servers: dict[str, Server], directory: Path) -> Balancer:
    listener = bound_listener()
    config = directory / "haproxy.cfg"
    config.write_text(HAPROXY_CONFIG.format(listener_fd=listener.fileno(), host=HOST, port1=servers["app1"].port,
                                            port2=servers["app2"].port))
    with (directory / "haproxy.log").open("w") as log:
        process = subprocess.Popen([haproxy, "-db", "-f", str(config)], cwd=directory,  # noqa: S603 - Debian's haproxy
                                   pass_fds=[listener.fileno()], stdout=log, stderr=subprocess.STDOUT)
    port = listener.getsockname()[1]
    listener.close()
    return Balancer(port=port, process=process)


@pytest.fixture
def cluster(transactional_db, real_clock, tmp_path) -> Iterator[Cluster]:
    haproxy = haproxy_or_skip()
    redis_client = redis_or_skip(REDIS_URL, needed_by="the load-balancer journey")
    prefix = f"kd-test-balancer-{uuid.uuid4().hex[:12]}"
    smtp = SmtpServer()
    smtp.start()
    env = process_environment(
        "OUTBOX_", "EMAIL_", "CACHE_", "SECURE_",
        DJANGO_SETTINGS_MODULE="tests.portal.balanced_settings", SECRET_KEY=uuid.uuid4().hex * 2,
        DATABASE_URL=database_url(), ALLOWED_HOSTS=f"{HOST},127.0.0.1", CSRF_TRUSTED_ORIGINS=ORIGIN,
        WAGTAILADMIN_BASE_URL=ORIGIN, CACHE_URL=REDIS_URL, CACHE_KEY_PREFIX=prefix, TRUSTED_PROXY_COUNT="1",
        EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp.port), EMAIL_TIMEOUT="5",
        MEDIA_ROOT=str(tmp_path / "media"), PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
    )
    servers: dict[str, Server] = {}
    worker = balancer = None
    try:
        for name in ("app1", "app2"):
            servers[name] = start_server({**env, "SERVED_BY": name}, tmp_path / f"{name}.log")
        worker = start_worker({**env, "SERVED_BY": "worker"}, tmp_path / "worker.log")
        for server in servers.values():
            wait_until_ready(server)
        balancer = start_balancer(haproxy, servers, tmp_path)
        cluster = Cluster(balancer=balancer, servers=servers, smtp=smtp)
        wait_for(lambda: cluster.browser().request("GET", "/healthz")[0] == 200, seconds=15,
                 what=f"the balancer to answer:\n{(tmp_path / 'haproxy.log').read_text()}")
        yield cluster
    finally:
        if balancer is not None:
            stop_process(balancer.process)
        if worker is not None:
            stop_process(worker, seconds=20)
        for server in servers.values():
            stop_server(server)
        smtp.stop()
        redis_keys_delete(redis_client, prefix)


def served_by(headers) -> str:
    return headers["X-Served-By"]


def second_factor(browser: Browser, secret: str) -> None:
    status, _headers, page = browser.request("GET", "/accounts/2fa/authenticate/")
    assert status == 200, page[:500]
    if time.time() % 30 > 27:  # a code is valid in its 30 seconds only: take the next one rather than the last
        time.sleep(30 - time.time() % 30 + 0.1)
    status, headers, page = browser.request("POST", "/accounts/2fa/authenticate/",
                                            {"csrfmiddlewaretoken": csrf_token_in(page), "code": totp_code(secret)})
    assert (status, headers.get("Location")) == (302, "/"), page[:1000]


def leave_file(browser: Browser, form_path: str, *, weeks_ahead: int, server: str) -> tuple[str, str]:
    """Files five days of annual leave through the service page; the request's reference and who answered."""
    start = next_monday(weeks_ahead)
    token = browser.csrf_token(form_path)
    status, headers, page = browser.request(
        "POST", form_path,
        {"csrfmiddlewaretoken": token, "leave_type": leave_type_record("annual").pk, "start_date": start.isoformat(),
         "end_date": (start + datetime.timedelta(days=4)).isoformat(), "action": "submit"},
        headers={"X-Test-Server": server})
    assert status == 302, page[:2000]
    reference = headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    return reference, served_by(headers)


def leave_approve(browser: Browser, reference: str, *, server: str) -> str:
    status, _headers, page = browser.request("GET", f"/requests/{reference}/", headers={"X-Test-Server": server})
    assert status == 200, page[:500]
    status, headers, page = browser.request(
        "POST", f"/requests/{reference}/decide/",
        {"csrfmiddlewaretoken": csrf_token_in(page), "decision": "approve", "expected_step": "1"},
        headers={"X-Test-Server": server})
    assert (status, headers.get("Location")) == (302, "/queue/"), page[:2000]
    return served_by(headers)


def approved_label() -> str:
    with translation.override("de"):
        return escape(str(RequestStatus.APPROVED.label))


def test_a_journey_through_the_balancer_lands_on_both_servers_and_survives_one_of_them(cluster, applicant, approver,
                                                                                         colleague):
    leave_catalogue_ensure()
    form_path = build_site()["services"]["leave"].url
    secret = generate_totp_secret()
    TOTP.activate(approver, secret)
    landed: set[str] = set()

    # The worker sends the mails. The approver hears of a request only while it still waits (a mail the worker
    # reaches after the decision is rightly dropped), so the journey lets the approver hear of it before deciding.
    def mails_about(reference: str) -> set[str]:
        return {message["To"] for message in cluster.smtp.received if reference in message.as_string()}

    # The staff member files on one server ...
    anna = cluster.browser()
    assert anna.log_in(applicant.email, PASSWORD) == "in"
    reference, server = leave_file(anna, form_path, weeks_ahead=2, server="app1")
    landed.add(server)
    wait_for(lambda: approver.email in mails_about(reference), seconds=30, what="the approver's mail of the request")

    # ... the approver logs in with the second factor and decides on the other ...
    bernd = cluster.browser()
    assert bernd.log_in(approver.email, PASSWORD) == "second factor"
    second_factor(bernd, secret)
    landed.add(leave_approve(bernd, reference, server="app2"))
    assert landed == {"app1", "app2"}

    # ... and the staff member sees the decision at once, back on the first.
    status, headers, page = anna.request("GET", f"/requests/{reference}/", headers={"X-Test-Server": "app1"})
    assert (status, served_by(headers)) == (200, "app1")
    assert approved_label() in page
    assert ServiceRequest.objects.get(reference=reference).status == RequestStatus.APPROVED

    # The login rate limit counts on both servers together: the failures alternate between them, so that
    # neither sees more than three of the five itself.
    guesser = cluster.browser()
    failures_landed = []
    for attempt in range(ACCOUNT_FAILURES):
        token = guesser.csrf_token("/accounts/login/")
        status, headers, _page = guesser.request("POST", "/accounts/login/", {
            "csrfmiddlewaretoken": token, "login": colleague.email, "password": "guessed-wrong"},
            headers={"X-Test-Server": f"app{attempt % 2 + 1}"})
        assert status == 200
        failures_landed.append(served_by(headers))
    assert failures_landed == ["app1", "app2", "app1", "app2", "app1"]
    assert guesser.log_in(colleague.email, PASSWORD) == "refused"
    assert cluster.browser().log_in(colleague.email, PASSWORD) == "refused"
    refused = [event for server in cluster.servers.values() for event in server.security_events("login_rate_limited")]
    assert {event["account"] for event in refused} == {colleague.email}
    assert len(refused) == 2

    # The staff member heard of the decision.
    wait_for(lambda: applicant.email in mails_about(reference), seconds=30, what="the mail of the decision")

    # One app server dies mid-journey: the balancer retries on the other, and nobody notices.
    cluster.servers["app1"].kill()
    for _request in range(4):
        status, headers, _page = anna.request("GET", "/requests/")
        assert (status, served_by(headers)) == (200, "app2")
    second, server = leave_file(anna, form_path, weeks_ahead=4, server="app1")
    assert server == "app2"
    wait_for(lambda: approver.email in mails_about(second), seconds=30,
             what="the approver's mail of the request filed after the server died")
    assert leave_approve(bernd, second, server="app1") == "app2"
    status, headers, page = anna.request("GET", f"/requests/{second}/")
    assert (status, served_by(headers)) == (200, "app2")
    assert approved_label() in page
    wait_for(lambda: applicant.email in mails_about(second), seconds=30,
             what="the mail of the decision taken after the server died")
