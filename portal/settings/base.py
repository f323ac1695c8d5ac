"""Settings shared by every environment of Kurzer Dienstweg.

Environment-specific modules (dev, test, production) import everything from here and override
what differs. Values that operators set come from the environment; a bad value raises
ImproperlyConfigured naming the variable.
"""

import datetime
import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_EVAL, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}.") from None


def env_float(name: str, default: float, *, minimum: float | None = None, maximum: float | None = None) -> float:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}.") from None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise ImproperlyConfigured(f"{name} must be between {minimum} and {maximum}, not {value!r}.")
    return number


def env_positive_int(name: str, default: int) -> int:
    number = env_int(name, default)
    if number < 1:
        raise ImproperlyConfigured(f"{name} must be a positive whole number, not {number!r}.")
    return number


def env_non_negative_int(name: str, default: int) -> int:
    number = env_int(name, default)
    if number < 0:
        raise ImproperlyConfigured(f"{name} must not be negative, not {number!r}.")
    return number


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def env_base_url(name: str, default: str, *, require_https: bool = False) -> str:
    """An absolute http(s) URL from environment variable `name`, without query or fragment: the portal's own
    address as links in e-mails show it. With `require_https`, http is allowed on the loopback interface only."""
    value = os.environ.get(name, "").strip() or default
    try:
        parts = urlsplit(value)
        _ = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be the portal's https:// address, not {value!r}.") from None
    insecure = parts.scheme == "http" and require_https and parts.hostname not in LOOPBACK_HOSTS
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment \
            or parts.username or parts.password or insecure:
        raise ImproperlyConfigured(f"{name} must be the portal's https:// address, not {value!r}.")
    return value.rstrip("/")


def env_database(name: str, default: str, *, conn_max_age: int) -> dict:
    """Django's DATABASES entry from environment variable `name` (postgres://user:pass@host:5432/portal).

    The message of a bad value names the variable but never repeats the value: it may hold a password.
    """
    value = os.environ.get(name, "").strip() or default
    try:
        config = dj_database_url.parse(value, conn_max_age=conn_max_age)
    except dj_database_url.UnknownSchemeError:
        scheme = value.partition("://")[0] if "://" in value else ""
        scheme = scheme if scheme.isascii() and scheme.replace("+", "").replace("-", "").isalnum() else "nothing"
        raise ImproperlyConfigured(f"{name} must start with postgres:// (or sqlite:///), not {scheme}://.") from None
    except ValueError:
        raise ImproperlyConfigured(f"{name} is not a valid database URL (postgres://user:password@host:5432/name).") from None
    if not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} must name the database (postgres://user:password@host:5432/name).")
    return config


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_days_per_kind(name: str, default: dict[str, int]) -> dict[str, int]:
    """Working days per request kind, e.g. `default=5,leave=3` (`default` applies to every kind not named)."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return dict(default)
    result: dict[str, int] = {}
    for item in value.split(","):
        kind, separator, days = item.strip().partition("=")
        if not separator or not kind.strip() or not days.strip().isdigit() or int(days) < 1:
            raise ImproperlyConfigured(f"{name} must be kind=days pairs such as default=5,leave=3, not {value!r}.")
        result[kind.strip()] = int(days)
    if "default" not in result:
        raise ImproperlyConfigured(f"{name} must name a default (default=5,...), not {value!r}.")
    return result


def env_month_days(name: str, default: list[str]) -> list[tuple[int, int]]:
    """Days of the year as MM-DD, comma-separated (e.g. `01-02,03-01`)."""
    days = []
    for item in env_list(name, default):
        try:
            day = datetime.date.fromisoformat(f"2000-{item}")
        except ValueError:
            raise ImproperlyConfigured(f"{name} must be days of the year as MM-DD, comma-separated, not {item!r}.") from None
        days.append((day.month, day.day))
    return sorted(days)


CACHE_SCHEMES = frozenset({"redis", "rediss", "unix"})


def env_cache(name: str, *, key_prefix: str) -> dict | None:
    """The cache that environment variable `name` names (redis://host:port/db, rediss:// for TLS, unix:///path),
    as a CACHES entry for Django's own Redis backend; None when the variable is unset or empty.

    The message of a bad value names the variable but never repeats the value: it may hold a password.
    """
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    try:
        parts = urlsplit(value)
        if "," in parts.netloc:
            raise ImproperlyConfigured(f"{name} must name one Redis server (redis://host:port/db).")
        _ = parts.port  # a port that is no number, or out of range, raises ValueError
    except ValueError:
        raise ImproperlyConfigured(f"{name} is not a valid URL (redis://host:port/db).") from None
    if parts.scheme not in CACHE_SCHEMES:
        raise ImproperlyConfigured(f"{name} must start with redis://, rediss:// or unix://, not {parts.scheme or 'nothing'}://.")
    if parts.scheme == "unix":
        if not parts.path:
            raise ImproperlyConfigured(f"{name} must name the socket's path (unix:///run/redis/redis.sock).")
    else:
        if not parts.hostname:
            raise ImproperlyConfigured(f"{name} must name one Redis server (redis://host:port/db).")
        database = parts.path.lstrip("/")
        if database and not database.isdigit():
            raise ImproperlyConfigured(f"{name} must end in the number of the Redis database (/0), not /{database}.")
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": value,
        "KEY_PREFIX": key_prefix,
        # An unreachable Redis answers within a second instead of holding every login that counts an attempt.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }


# --- Core ---------------------------------------------------------------------------------------

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SILENCED_SYSTEM_CHECKS: list[str] = []
SITE_ID = 1

INSTALLED_APPS = [
    "portal",
    "services",
    "home",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.locales",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "csp",
    "django_tasks_db",
    "post_office",
    "guardian",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.security_headers.PortalCSPMiddleware",
    "portal.security_headers.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "portal.sessions.SessionLifetimeMiddleware",
    "portal.mfa.AdminMfaMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "portal.cache.CacheUnavailableMiddleware",
    "services.middleware.GrantsOncePerPageMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "wagtail.contrib.settings.context_processors.settings",
                "services.notifications.context_processors.notifications",
            ],
        },
    },
]

# --- Security headers ---------------------------------------------------------------------------
# Content-Security-Policy (django-csp, portal.security_headers): the portal's pages load scripts, styles,
# fonts and images from the portal only; an inline <script> or <style> runs only with the request's nonce
# (`nonce="{{ CSP_NONCE }}"`), inline style="" attributes and event handlers never. The Wagtail admin
# still needs inline scripts and styles and eval() in its choosers: under CSP_ADMIN_PATH_PREFIXES it gets
# CSP_ADMIN_POLICY, which allows those there and nowhere else. HSTS, the SSL redirect and the `__Host-`
# cookies are switched on in production.py.

CSP_SSO_ORIGINS = [  # the login form's POST is redirected to the city's provider: form-action must allow it
    f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"
    for url in [os.environ.get("OIDC_SERVER_URL", "").strip()] if url.startswith(("https://", "http://"))
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],  # KERN's icons are data: SVGs in its stylesheet
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF, *CSP_SSO_ORIGINS],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
CSP_ADMIN_PATH_PREFIXES = ["/admin/"]
CSP_ADMIN_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, UNSAFE_INLINE, UNSAFE_EVAL],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],  # blob: previews of images being uploaded
        "frame-src": [SELF],  # the live preview of a page
        "frame-ancestors": [SELF],
    },
}
# Permissions-Policy: nothing of the device's hardware or sensors; passkeys (WebAuthn) on the portal itself.
PERMISSIONS_POLICY = {
    "accelerometer": [], "autoplay": [], "bluetooth": [], "browsing-topics": [], "camera": [],
    "display-capture": [], "geolocation": [], "gyroscope": [], "hid": [], "magnetometer": [],
    "microphone": [], "midi": [], "payment": [], "serial": [], "usb": [],
    "fullscreen": ["self"], "publickey-credentials-create": ["self"], "publickey-credentials-get": ["self"],
}
# Django's defaults, said once here: no MIME sniffing, no framing, no referrer to other sites.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # the Wagtail admin's preview allows its own frame (same origin) itself

# --- Database -----------------------------------------------------------------------------------
# DATABASE_URL selects the database (postgres://… in production); SQLite is the embedded default.

DATABASES = {
    "default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
                            conn_max_age=env_non_negative_int("DATABASE_CONN_MAX_AGE", 0)),
}
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # The portal's queries are short and index-backed: PostgreSQL's JIT compilation cost more than the queries
    # themselves (160–230 ms of a queue at a million requests, 202 of a 204 ms "my requests").
    # Parallel workers likewise: starting them cost more than the few index reads of a page they would share, and
    # under load every request would wait for a worker process. Reports that need them can ask for them per session.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off -c max_parallel_workers_per_gather=0")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue up at BEGIN instead of failing mid-transaction: state guards then see the
    # committed state, as they do behind PostgreSQL's row locks.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})

# --- Cache and rate limits ----------------------------------------------------------------------
# allauth counts failed logins and other rate-limited actions in the default cache. With several app
# servers (production) that must be one Redis that every server shares (CACHE_URL, required there); with
# CACHE_URL unset (development, tests) each process counts in its own memory. CACHE_KEY_PREFIX keeps
# portals that share one Redis (staging beside production) apart.

CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "").strip() or "kd"
CACHES = {
    "default": env_cache("CACHE_URL", key_prefix=CACHE_KEY_PREFIX)
    or {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "KEY_PREFIX": CACHE_KEY_PREFIX},
}

# --- Accounts and login -------------------------------------------------------------------------

AUTH_USER_MODEL = "portal.User"
# Django's and allauth's backends, loading the person's unit with the person (portal.auth_backends). A session
# names the backend it logged in with: renaming one here ends the sessions opened under the old name.
AUTHENTICATION_BACKENDS = [
    "portal.auth_backends.PortalModelBackend",
    "portal.auth_backends.PortalAuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# A login ends after 30 minutes without activity and 12 hours after it began (portal.sessions); the
# cookie lives as long as the longest login. "Log out everywhere" is allauth's sessions page.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
if not 0 < SESSION_IDLE_SECONDS <= SESSION_ABSOLUTE_SECONDS:
    raise ImproperlyConfigured("SESSION_IDLE_SECONDS must be positive and not longer than SESSION_ABSOLUTE_SECONDS.")
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
USERSESSIONS_TRACK_ACTIVITY = False

ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, spelled out so that operators see them and tests can rely on them.
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
# Everyone who decides, delegates, edits or administers needs a second factor (portal.mfa): an authenticator
# app (TOTP) or a passkey (WebAuthn), with recovery codes for the day the phone is lost.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
# Passkeys need HTTPS, except on the developer's own machine (DEBUG, http://127.0.0.1).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
# Delegating, granting, bulk approval and the audit export ask for the password (or a code) again, at most
# every 15 minutes (portal.mfa.require_reauthentication).
ACCOUNT_REAUTHENTICATION_TIMEOUT = env_int("ACCOUNT_REAUTHENTICATION_TIMEOUT", 15 * 60)
if not 0 < ACCOUNT_REAUTHENTICATION_TIMEOUT <= 15 * 60:
    raise ImproperlyConfigured("ACCOUNT_REAUTHENTICATION_TIMEOUT must be between 1 and 900 seconds.")
MFA_TOTP_ISSUER = "Kurzer Dienstweg"
# allauth refuses 2FA while an address is unverified, against strangers who sign up with someone else's address.
# Here nobody signs up: addresses come from the staff import, and allauth records them as unverified.
MFA_ALLOW_UNVERIFIED_EMAIL = True

# --- Single sign-on ------------------------------------------------------------------------------
# The city's OpenID Connect provider (Keycloak, Entra ID, ...) through allauth's generic OpenID Connect
# provider, configured only when OIDC_SERVER_URL is set. Accounts are never created from a login at the
# provider: portal.sso matches it to an active member of staff from the HR import (by the claim named in
# OIDC_MATCH_CLAIM, else the verified e-mail) and refuses everyone else. allauth's SOCIALACCOUNT_ONLY
# (no local accounts at all) is not used: it cannot be combined with allauth.mfa, and local password
# login stays offered beside the provider unless OIDC_LOCAL_LOGIN is false.

OIDC_PROVIDER_ID = "stadt"  # part of the callback URL: /accounts/oidc/stadt/login/callback/
OIDC_DEFAULT_MFA_AMR = ["mfa", "otp", "hwk", "sc"]  # RFC 8176 methods that are, or include, a second factor


def oidc_app(environ: Mapping[str, str]) -> dict | None:
    """allauth's app configuration for the city's provider from the OIDC_* variables, or None when unset.

    OIDC_SERVER_URL is the issuer (its /.well-known/openid-configuration is read); https is required except
    on the loopback interface. OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are the portal's registration there.
    """
    server_url = environ.get("OIDC_SERVER_URL", "").strip().rstrip("/")
    if not server_url:
        for name in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"):
            if environ.get(name, "").strip():
                raise ImproperlyConfigured(f"{name} is set but OIDC_SERVER_URL is not.")
        return None
    parts = urlsplit(server_url)
    loopback = parts.hostname in {"127.0.0.1", "localhost", "::1"}
    if parts.scheme not in {"https", "http"} or not parts.hostname or (parts.scheme == "http" and not loopback) \
            or parts.query or parts.fragment:
        raise ImproperlyConfigured(f"OIDC_SERVER_URL must be the provider's https:// issuer URL, not {server_url!r}.")
    client_id = environ.get("OIDC_CLIENT_ID", "").strip()
    if not client_id:
        raise ImproperlyConfigured("OIDC_CLIENT_ID must be set when OIDC_SERVER_URL is.")
    secret = environ.get("OIDC_CLIENT_SECRET", "").strip()
    if not secret:
        raise ImproperlyConfigured("OIDC_CLIENT_SECRET must be set when OIDC_SERVER_URL is.")
    match_claim = environ.get("OIDC_MATCH_CLAIM", "").strip()
    if match_claim and not match_claim.replace("_", "").replace("-", "").replace(":", "").replace(".", "").isalnum():
        raise ImproperlyConfigured(f"OIDC_MATCH_CLAIM must be a claim name, not {match_claim!r}.")
    if match_claim in {"email", "sub"}:
        raise ImproperlyConfigured("OIDC_MATCH_CLAIM names the personnel-number claim; leave it empty to match by e-mail.")
    name = environ.get("OIDC_PROVIDER_NAME", "").strip() or "Stadt"
    return {
        "provider_id": OIDC_PROVIDER_ID,
        "name": name,
        "client_id": client_id,
        "secret": secret,
        "settings": {
            "server_url": server_url,
            "oauth_pkce_enabled": True,
            "match_claim": match_claim,
            "mfa_amr": _env_values(environ, "OIDC_MFA_AMR", OIDC_DEFAULT_MFA_AMR),
            "mfa_acr": _env_values(environ, "OIDC_MFA_ACR", []),
        },
    }


def _env_values(environ: Mapping[str, str], name: str, default: list[str]) -> list[str]:
    value = environ.get(name, "")
    if not value.strip():
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


OIDC_APP = oidc_app(os.environ)
# Whether the e-mail and password form stays on the login page beside the provider. When false (and the
# provider is configured), password logins are refused: staff log in at the provider only.
OIDC_LOCAL_LOGIN = env_bool("OIDC_LOCAL_LOGIN", True)

SOCIALACCOUNT_ADAPTER = "portal.sso.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [OIDC_APP] if OIDC_APP else [],
    },
}
# Nobody signs up through the provider; no address is trusted just because the provider sent it (portal.sso
# decides what is verified); allauth's own e-mail matching stays off, portal.sso matches.
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
# A GET of the provider's login URL shows a confirmation form (allauth's default): a login is started by POST only.
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 5)

# django-guardian: accounts log in by email, so no anonymous pseudo-user with a username.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False

# --- Language and time --------------------------------------------------------------------------

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static and private files -------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("kern", BASE_DIR / "node_modules" / "@kern-ux" / "native" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Attachments and decision documents: never under a web root, served only by permission-checked views.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

# --- Background work ----------------------------------------------------------------------------

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Email --------------------------------------------------------------------------------------

# Every mail, the portal's own and allauth's (password reset, MFA), goes into an outbox in the database
# (django-post-office), in the transaction of whatever caused it; services.outbox sends it as background
# work through EMAIL_DELIVERY_BACKEND, retrying with a doubling wait until OUTBOX_MAX_TRIES have failed.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kurzer Dienstweg <portal@musterstadt.example>")
EMAIL_BACKEND = "post_office.EmailBackend"
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.console.EmailBackend"
# How often a mail is tried before it is given up (and shown as failed in the admin's outbox).
OUTBOX_MAX_TRIES = env_positive_int("OUTBOX_MAX_TRIES", 10)
# The wait after the first failed try; it doubles with every further one, up to OUTBOX_RETRY_MAX_SECONDS.
OUTBOX_RETRY_SECONDS = env_positive_int("OUTBOX_RETRY_SECONDS", 60)
OUTBOX_RETRY_MAX_SECONDS = env_positive_int("OUTBOX_RETRY_MAX_SECONDS", 3600)
if OUTBOX_RETRY_MAX_SECONDS < OUTBOX_RETRY_SECONDS:
    raise ImproperlyConfigured("OUTBOX_RETRY_MAX_SECONDS must not be shorter than OUTBOX_RETRY_SECONDS.")
POST_OFFICE = {
    # The transport post-office hands the mails to; the environments choose it through EMAIL_DELIVERY_BACKEND.
    "BACKENDS": {"default": EMAIL_DELIVERY_BACKEND},
    "DEFAULT_PRIORITY": "medium",
    "MESSAGE_ID_ENABLED": True,
    "LOG_LEVEL": 2,
}

# --- Wagtail ------------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "Kurzer Dienstweg"
WAGTAILADMIN_BASE_URL = env_base_url("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Editors' avatars are not fetched from a third party: the admin shows initials unless an avatar is uploaded.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
# Passwords are reset through allauth (rate-limited, one place); Wagtail's own reset form stays off.
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # PostgreSQL's German text-search configuration stems words, so "Anträge" finds "Antrag" and
    # "Urlaubs" finds "Urlaub". SQLite's full-text index matches whole words only.
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "german"
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# --- Portal rules (operators may tune these) ------------------------------------------------------

# Longest remote-work arrangement in months; an open-ended one is allowed when the end is left empty.
REMOTE_WORK_MAX_MONTHS = env_positive_int("REMOTE_WORK_MAX_MONTHS", 24)
# Longest period any dated request may span, in days.
REQUEST_MAX_SPAN_DAYS = env_positive_int("REQUEST_MAX_SPAN_DAYS", 366)
# The first year whose leave the portal keeps (services.leave_selectors): nothing is carried into it,
# because the portal does not know what was taken on paper before.
LEAVE_LEDGER_START_YEAR = env_int("LEAVE_LEDGER_START_YEAR", 2026)
ATTACHMENT_MAX_BYTES = env_positive_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
ATTACHMENT_CONTENT_TYPES = ["application/pdf", "image/png", "image/jpeg"]
# Largest `.eml` file a phishing report may upload (services.phishing); it is parsed as data, never kept.
PHISHING_EML_MAX_BYTES = env_positive_int("PHISHING_EML_MAX_BYTES", 10 * 1024 * 1024)
# Long lists (the queue, the decided list, the dashboard's queue count) count their rows only up to this many;
# beyond, they say "more than" and the pages end there (40 pages of 25). Counting a department's 15,000 open cases
# to the end cost more than the page that shows 25 of them.
LIST_COUNT_CAP = env_positive_int("LIST_COUNT_CAP", 1_000)
# Approvers are warned when more than this share of the applicant's unit would be absent on one day (0.3 = 30 %).
TEAM_ABSENCE_WARNING_SHARE = env_float("TEAM_ABSENCE_WARNING_SHARE", 0.3, minimum=0.0, maximum=1.0)

# Pulse surveys show a unit's results for a round only where at least this many answered (and no difference of
# two shown groups reveals fewer): services.surveys.suppression.
SURVEY_MIN_GROUP_SIZE = env_int("SURVEY_MIN_GROUP_SIZE", 5)
if SURVEY_MIN_GROUP_SIZE < 2:
    raise ImproperlyConfigured("SURVEY_MIN_GROUP_SIZE must be at least 2.")

FORM_RENDERER = "portal.forms.KernFormRenderer"

# --- Retention ----------------------------------------------------------------------------------
# `manage.py apply_retention` (daily, from cron) removes finished requests with their details, events,
# attachments and notifications once their period is over (services.privacy.retention). A period in
# years runs from the end of the year in which the record closed: a leave request closes when it was
# finished and its last day of leave has passed, so leave taken and decided in 2026 goes on 1 January
# 2030 with three years. §113 BBG keeps leave records three years; Länder that keep five set 5.
RETENTION_LEAVE_YEARS = env_positive_int("RETENTION_LEAVE_YEARS", 3)
# Remote work, VPN access, equipment loans and the services editors build.
RETENTION_REQUEST_YEARS = env_positive_int("RETENTION_REQUEST_YEARS", 3)
# Notifications in the portal, counted in days from when they were sent (those of a removed request go with it).
RETENTION_NOTIFICATION_DAYS = env_positive_int("RETENTION_NOTIFICATION_DAYS", 365)
# The record of who was given or passed on which responsibility; it outlives the decisions taken under it.
RETENTION_AUDIT_YEARS = env_positive_int("RETENTION_AUDIT_YEARS", 10)
if RETENTION_AUDIT_YEARS < max(RETENTION_LEAVE_YEARS, RETENTION_REQUEST_YEARS):
    raise ImproperlyConfigured("RETENTION_AUDIT_YEARS must not be shorter than RETENTION_LEAVE_YEARS and RETENTION_REQUEST_YEARS.")
# The trust channels, in days (services.privacy.retention): a Kummerkasten message with its conversation and
# attachments, counted from the day a handler closed it; a phishing case with its reports, counted from its
# classification and its last report (a warning page already published stays, it is the editors' content);
# the free texts of a pulse survey round (as written and as released), counted from the round's last day. The
# scores stay: they name nobody and are only ever shown aggregated above the k-threshold.
KUMMERKASTEN_RETENTION_DAYS = env_positive_int("KUMMERKASTEN_RETENTION_DAYS", 180)
PHISHING_RETENTION_DAYS = env_positive_int("PHISHING_RETENTION_DAYS", 365)
SURVEY_FREE_TEXT_RETENTION_DAYS = env_positive_int("SURVEY_FREE_TEXT_RETENTION_DAYS", 180)

# --- Reminders and statutory clocks ------------------------------------------------------------------
# `manage.py run_scheduled_jobs` (services/reminders, services/leave/expiry.py). A request waiting for a decision
# for this many full working days (Mon-Fri, without the public holidays of the applicant's federal state and the
# city's days off) reminds everyone who may decide it; after the second limit the holders at the root of their
# delegations are told too. Per kind (its slug), `default` for the others.
REMINDER_AFTER_WORKING_DAYS = env_days_per_kind("REMINDER_AFTER_WORKING_DAYS", {"default": 5, "leave": 3})
ESCALATION_AFTER_WORKING_DAYS = env_days_per_kind("ESCALATION_AFTER_WORKING_DAYS", {"default": 10, "leave": 6})
for _kind, _days in REMINDER_AFTER_WORKING_DAYS.items():
    if ESCALATION_AFTER_WORKING_DAYS.get(_kind, ESCALATION_AFTER_WORKING_DAYS["default"]) <= _days:
        raise ImproperlyConfigured(f"ESCALATION_AFTER_WORKING_DAYS must be longer than REMINDER_AFTER_WORKING_DAYS ({_kind}).")
# Barrier reports (§12b (4) BGG: an answer within a month): the editors are reminded after these calendar days.
BARRIER_REPORT_REMINDER_DAYS = (14, 28)
# The conciliation body the answer to a barrier report names (§16 BGG).
BARRIER_CONCILIATION_BODY = {
    "name": os.environ.get("BARRIER_CONCILIATION_NAME", "Schlichtungsstelle nach dem Behindertengleichstellungsgesetz"),
    "address": os.environ.get("BARRIER_CONCILIATION_ADDRESS",
                              "bei dem Beauftragten der Bundesregierung für die Belange von Menschen mit Behinderungen,"
                              " Mauerstraße 53, 10117 Berlin"),
    "url": os.environ.get("BARRIER_CONCILIATION_URL", "https://www.schlichtungsstelle-bgg.de/"),
}
if not BARRIER_CONCILIATION_BODY["url"].startswith(("https://", "http://")):
    raise ImproperlyConfigured("BARRIER_CONCILIATION_URL must be an http(s):// address.")
# BAG 19.2.2019, 9 AZR 423/16: staff are told in time how much leave is left and when it expires. From each of
# these days (MM-DD) on, until the carry-over deadline, everyone with leave left gets the notice once a year.
LEAVE_EXPIRY_NOTICE_DAYS = env_month_days("LEAVE_EXPIRY_NOTICE_DAYS", ["01-02", "03-01"])

# --- Kummerkasten (services.kummerkasten) ---------------------------------------------------------
# Longest message or reply, in characters.
KUMMERKASTEN_MAX_CHARS = env_positive_int("KUMMERKASTEN_MAX_CHARS", 5000)
# Messages and replies one account may send per day (counted apart from the messages, see limits.py).
KUMMERKASTEN_DAILY_LIMIT = env_positive_int("KUMMERKASTEN_DAILY_LIMIT", 5)
# Wrong receipt codes one account may type per hour before it has to wait.
KUMMERKASTEN_CODE_ATTEMPTS_PER_HOUR = env_positive_int("KUMMERKASTEN_CODE_ATTEMPTS_PER_HOUR", 10)
# The key of the receipt codes' and the flood counters' HMAC; SECRET_KEY when empty. Set it so that SECRET_KEY
# can be rotated without making every receipt code unreadable.
KUMMERKASTEN_HASH_KEY = os.environ.get("KUMMERKASTEN_HASH_KEY", "")
# The city's whistle-blowing channel under the HinSchG (Hinweisgeberschutzgesetz), to which the Kummerkasten
# points messages that read as a report of a legal violation.
WHISTLEBLOWING_CHANNEL_NAME = os.environ.get("WHISTLEBLOWING_CHANNEL_NAME", "Interne Meldestelle nach dem HinSchG")
WHISTLEBLOWING_CHANNEL_ADDRESS = os.environ.get("WHISTLEBLOWING_CHANNEL_ADDRESS", "meldestelle@musterstadt.example")

# --- Logging ------------------------------------------------------------------------------------
# One JSON object per line on the console, for gunicorn or journald to pass on. Security events
# (portal.security_log) have a logger and handler of their own; everything else from WARNING, and
# of django.request only the errors (a 500 with its traceback), not every 404.

# How many proxies in front of the portal append to X-Forwarded-For (0: clients connect directly).
# Only then is the client address taken from that header, N-th from the right: one rule
# (portal.security_log.client_address) for the security log, allauth's per-address rate limits and the
# addresses on the "Sessions" page (portal.adapters.AccountAdapter.get_client_ip).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must not be negative.")
# The same for allauth's own reading of the header, should any part of it bypass the adapter; no
# header of another name (X-Real-IP, CF-Connecting-IP) is trusted.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "portal.security_log.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json", "level": "WARNING"},
        "security": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json", "level": "INFO"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "portal.security": {"handlers": ["security"], "level": "INFO", "propagate": False},
        "django.request": {"level": "ERROR"},
    },
}

# --- Decision documents --------------------------------------------------------------------------

# The letterhead's logo is embedded in every decision document: refused above these limits.
LETTERHEAD_LOGO_MAX_BYTES = env_int("LETTERHEAD_LOGO_MAX_BYTES", 512 * 1024)
LETTERHEAD_LOGO_MAX_PIXELS = env_int("LETTERHEAD_LOGO_MAX_PIXELS", 2000)
# Guessing at /verify/: attempts per client address, and wrong codes per reference, in each window.
VERIFY_CLIENT_LIMIT = env_int("VERIFY_CLIENT_LIMIT", 20)
VERIFY_REFERENCE_LIMIT = env_int("VERIFY_REFERENCE_LIMIT", 5)
VERIFY_WINDOW_SECONDS = env_int("VERIFY_WINDOW_SECONDS", 15 * 60)
VERIFY_UPLOAD_MAX_BYTES = env_int("VERIFY_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
