"""Security events as structured log lines: one JSON object per line on the logger ``portal.security``.

Who logged in, failed to or logged out; who changed a second factor; who was refused another
person's object; who decided what on whose behalf; who changed who may decide; who exported the
audit trail. Each event is logged from one place (a signal receiver below or the service that makes
the change). A line names the account by its e-mail, the client address and the path, and never a
password, token, session id or anything of the request's query string or body.

Where the code that logs has no request at hand (the permission layer, the services), the address
and path are those of the request in progress, kept when Django starts it (``request_started``).
"""

import contextvars
import datetime
import ipaddress
import json
import logging
import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.handlers.wsgi import get_path_info, get_script_name
from django.core.signals import request_finished, request_started
from django.http import HttpRequest
from django.urls import Resolver404, resolve
from django.utils.functional import empty

logger = logging.getLogger("portal.security")

# A key holding any of these words is a secret wherever it appears ("csrftoken", "session_key")...
SECRET_WORDS = ("password", "passwd", "token", "secret", "session", "csrf", "cookie", "authorization", "credential")
# ...and these only as a whole part of the key ("otp_code", "apiKey"), so that "codenames" stays.
SECRET_PARTS = frozenset({"otp", "code", "codes", "key", "keys", "pin"})
BASE_KEYS = frozenset({"time", "level", "logger", "event", "user", "client", "path", "dropped"})
REDACTED = "[redacted]"
MAX_TEXT = 200

_origin: contextvars.ContextVar[Mapping[str, str] | None] = contextvars.ContextVar("security_log_origin", default=None)


def looks_secret(key: str) -> bool:
    """Whether a field name suggests a secret value: such fields are never written to the log."""
    lowered = key.lower()
    if any(word in lowered for word in SECRET_WORDS):
        return True
    parts = re.split(r"[^a-z0-9]+", re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", key).lower())
    return not SECRET_PARTS.isdisjoint(parts)


def client_address(meta: Mapping[str, str]) -> str | None:
    """The client's IP address from a request's META (or a WSGI environ): the one rule of the portal, which
    the security log, allauth's per-address rate limits and the "Sessions" page all use (AccountAdapter).

    Behind TRUSTED_PROXY_COUNT proxies (0: the portal is reached directly) each proxy appends the
    address it was contacted from to X-Forwarded-For, so the client is the N-th entry from the right;
    what lies further left the client may have written itself. When the header is shorter than that
    or the entry is no IP address, the request did not come through the proxies: REMOTE_ADDR.
    """
    remote = meta.get("REMOTE_ADDR") or None
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count > 0:
        forwarded = meta.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(forwarded) >= count:
            try:
                return str(ipaddress.ip_address(forwarded[-count].strip()))
            except ValueError:
                pass
    return remote


def _redacted_path(path: str, path_info: str) -> str:
    """The path with URL parts that are keys (the calendar token, a password-reset key) replaced."""
    try:
        match = resolve(path_info)
    except Resolver404:
        return path
    for name, value in match.kwargs.items():
        if isinstance(value, str) and value and looks_secret(name):
            path = path.replace(value, REDACTED)
    return path


def _where(request: HttpRequest | None) -> tuple[str | None, str | None]:
    """Client address and path (never the query string) of `request`, else of the request in progress."""
    if request is not None:
        return client_address(request.META), _redacted_path(request.path, request.path_info) if request.path else None
    origin = _origin.get()
    if origin is None:
        return None, None
    return client_address(origin), _redacted_path(origin["path"], origin["path_info"])


def _email(user: Any) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "email", None) or None


def _clean(value: Any, dropped: list[str], prefix: str = "") -> Any:
    """A field value fit for the log: secret-looking keys removed (their names noted), long text cut."""
    if isinstance(value, Mapping):
        kept = {}
        for key, item in value.items():
            if looks_secret(str(key)):
                dropped.append(f"{prefix}{key}")
            else:
                kept[str(key)] = _clean(item, dropped, prefix=f"{prefix}{key}.")
        return kept
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return [_clean(item, dropped, prefix) for item in items]
    if isinstance(value, str) and len(value) > MAX_TEXT:
        return value[:MAX_TEXT] + "…"
    return value


def security_event(event: str, *, request: HttpRequest | None = None, user: Any = None, **fields: Any) -> None:
    """Log one security event: `event`, the account (`user`, else the request's), client, path, `fields`.

    Fields whose name looks like a secret, or that would overwrite the line's own keys, are left out;
    their names are listed under "dropped" so that the mistake is seen without the value.
    """
    if user is None and request is not None:
        user = getattr(request, "user", None)
    client, path = _where(request)
    payload: dict[str, Any] = {"event": event, "user": _email(user), "client": client, "path": path}
    dropped: list[str] = []
    for key, value in fields.items():
        if key in BASE_KEYS or looks_secret(key):
            dropped.append(key)
        else:
            payload[key] = _clean(value, dropped, prefix=f"{key}.")
    if dropped:
        payload["dropped"] = sorted(dropped)
    logger.info(event, extra={"security": payload})


class JsonFormatter(logging.Formatter):
    """Renders a log record as one line of JSON: time, level, logger, then the security event's keys or
    the message, and an exception's traceback as text. Meant for a console read by gunicorn or journald."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        event = getattr(record, "security", None)
        if isinstance(event, Mapping):
            line.update(event)
        else:
            line["message"] = record.getMessage()
            line.update(self.request_fields(record))
            fields = getattr(record, "fields", None)  # structured keys of an ordinary line (ids, counts, kinds)
            if isinstance(fields, Mapping):
                line.update(fields)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=True, default=str)

    @staticmethod
    def request_fields(record: logging.LogRecord) -> dict[str, Any]:
        """What Django's request logging (a 500, a refused host) says about the request: status, method, the path
        without query string and the account's id; never headers, cookies, the query or the body."""
        fields: dict[str, Any] = {}
        status = getattr(record, "status_code", None)
        if isinstance(status, int):
            fields["status"] = status
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest):
            fields["method"] = request.method
            fields["path"] = _redacted_path(request.path, request.path_info) if request.path else None
            # Only an account already looked up: logging must not query a database that may be the error's cause.
            user = getattr(request.__dict__.get("user"), "_wrapped", None)
            if user is not None and user is not empty and getattr(user, "is_authenticated", False):
                fields["user_id"] = user.pk
        return fields


# --- Receivers (connected by portal.apps) -----------------------------------------------------------

def _keep_origin(sender, environ: Mapping | None = None, scope: Mapping | None = None, **kwargs) -> None:
    """Keep what the log needs of the request that starts: client headers and path, nothing of its content."""
    if environ is not None:
        path_info = get_path_info(environ)
        origin = {"REMOTE_ADDR": environ.get("REMOTE_ADDR", ""), "HTTP_X_FORWARDED_FOR": environ.get("HTTP_X_FORWARDED_FOR", ""),
                  "path_info": path_info, "path": get_script_name(environ).rstrip("/") + path_info}
    elif scope is not None:
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope.get("headers", [])}
        client = scope.get("client") or ("", 0)
        origin = {"REMOTE_ADDR": client[0] or "", "HTTP_X_FORWARDED_FOR": headers.get("x-forwarded-for", ""),
                  "path_info": scope.get("path", "/"), "path": scope.get("root_path", "") + scope.get("path", "/")}
    else:
        origin = None
    _origin.set(origin)


def _forget_origin(sender, **kwargs) -> None:
    _origin.set(None)


def _logged_in(sender, request: HttpRequest, user, **kwargs) -> None:
    # An administrator's or editor's login is the one to watch: it is tagged for the log's readers.
    security_event("login_succeeded", request=request, user=user, outcome="succeeded",
                   staff=bool(user.is_staff or user.is_superuser))


def _login_failed(sender, credentials: Mapping, request: HttpRequest | None = None, **kwargs) -> None:
    account = credentials.get("email") or credentials.get("username") or credentials.get("login")
    security_event("login_failed", request=request, account=account, outcome="failed")


def _logged_out(sender, request: HttpRequest, user, **kwargs) -> None:
    security_event("logout", request=request, user=user)


def _mfa_changed(action: str):
    def receiver(sender, request: HttpRequest, user, authenticator, **kwargs) -> None:
        security_event("mfa_changed", request=request, user=user, action=action, authenticator=authenticator.type)

    return receiver


_mfa_added, _mfa_removed, _mfa_reset = _mfa_changed("added"), _mfa_changed("removed"), _mfa_changed("reset")


def _mfa_failed(sender, request: HttpRequest, user, authenticator, reauthentication: bool = False, **kwargs) -> None:
    # A wrong second factor after a right password: the password may be known to someone else.
    security_event("mfa_failed", request=request, user=user, authenticator=authenticator.type,
                   reauthentication=bool(reauthentication))


def connect_receivers() -> None:
    """Connect every receiver once; called from PortalConfig.ready (allauth's MFA is importable only then)."""
    from allauth.mfa import signals as mfa_signals

    request_started.connect(_keep_origin, dispatch_uid="portal.security_log.origin")
    request_finished.connect(_forget_origin, dispatch_uid="portal.security_log.origin")
    user_logged_in.connect(_logged_in, dispatch_uid="portal.security_log")
    user_login_failed.connect(_login_failed, dispatch_uid="portal.security_log")
    user_logged_out.connect(_logged_out, dispatch_uid="portal.security_log")
    mfa_signals.authenticator_added.connect(_mfa_added, dispatch_uid="portal.security_log")
    mfa_signals.authenticator_removed.connect(_mfa_removed, dispatch_uid="portal.security_log")
    mfa_signals.authenticator_reset.connect(_mfa_reset, dispatch_uid="portal.security_log")
    mfa_signals.authentication_failed.connect(_mfa_failed, dispatch_uid="portal.security_log")
