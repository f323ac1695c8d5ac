"""Settings shared by every environment of Kurzer Dienstweg.

Environment-specific modules (dev, test, production) import everything from here and override
what differs. Values that operators set come from the environment; a bad value raises
ImproperlyConfigured naming the variable.
"""

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
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


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# --- Core ---------------------------------------------------------------------------------------

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
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
    "django_tasks_db",
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
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
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
                "wagtail.contrib.settings.context_processors.settings",
                "services.notifications.context_processors.notifications",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
# DATABASE_URL selects the database (postgres://… in production); SQLite is the embedded default.

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue up at BEGIN instead of failing mid-transaction: state guards then see the
    # committed state, as they do behind PostgreSQL's row locks.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})

# --- Accounts and login -------------------------------------------------------------------------

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
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
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
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

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kurzer Dienstweg <portal@musterstadt.example>")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Wagtail ------------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "Kurzer Dienstweg"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
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
REMOTE_WORK_MAX_MONTHS = env_int("REMOTE_WORK_MAX_MONTHS", 24)
# Longest period any dated request may span, in days.
REQUEST_MAX_SPAN_DAYS = env_int("REQUEST_MAX_SPAN_DAYS", 366)
# The first year whose leave the portal keeps (services.leave_selectors): nothing is carried into it,
# because the portal does not know what was taken on paper before.
LEAVE_LEDGER_START_YEAR = env_int("LEAVE_LEDGER_START_YEAR", 2026)
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
ATTACHMENT_CONTENT_TYPES = ["application/pdf", "image/png", "image/jpeg"]
# Approvers are warned when more than this share of the applicant's unit would be absent on one day (0.3 = 30 %).
TEAM_ABSENCE_WARNING_SHARE = env_float("TEAM_ABSENCE_WARNING_SHARE", 0.3, minimum=0.0, maximum=1.0)

FORM_RENDERER = "portal.forms.KernFormRenderer"

# --- Logging ------------------------------------------------------------------------------------
# One JSON object per line on the console, for gunicorn or journald to pass on. Security events
# (portal.security_log) have a logger and handler of their own; everything else from WARNING, and
# of django.request only the errors (a 500 with its traceback), not every 404.

# How many proxies in front of the portal append to X-Forwarded-For (0: clients connect directly).
# Only then is the client address in the security log taken from that header, N-th from the right.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must not be negative.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "portal.security_log.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "level": "WARNING"},
        "security": {"class": "logging.StreamHandler", "formatter": "json", "level": "INFO"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "portal.security": {"handlers": ["security"], "level": "INFO", "propagate": False},
        "django.request": {"level": "ERROR"},
    },
}
