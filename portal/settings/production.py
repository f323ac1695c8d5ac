"""Production: everything that differs comes from the environment; missing essentials fail loudly."""

import os

from django.core.checks.security.base import SECRET_KEY_INSECURE_PREFIX, SECRET_KEY_MIN_LENGTH, SECRET_KEY_MIN_UNIQUE_CHARACTERS
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    CACHES,
    MIDDLEWARE,
    POST_OFFICE,
    SILENCED_SYSTEM_CHECKS,
    STORAGES,
    env_base_url,
    env_bool,
    env_int,
    env_list,
    env_non_negative_int,
    env_positive_int,
)

DEBUG = False
# The key signs sessions, password-reset links and the decision documents' codes: a guessable one forges them.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
if (len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH or len(set(SECRET_KEY)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or SECRET_KEY.startswith(SECRET_KEY_INSECURE_PREFIX)):
    raise ImproperlyConfigured(
        f"SECRET_KEY must be at least {SECRET_KEY_MIN_LENGTH} random characters (not a generated "
        f"'{SECRET_KEY_INSECURE_PREFIX}' key): python -c 'import secrets; print(secrets.token_urlsafe(64))'.")
if not os.environ.get("DATABASE_URL", "").strip():
    raise ImproperlyConfigured("DATABASE_URL must be set in production (postgres://…).")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the portal's host names.")
for _host in ALLOWED_HOSTS:
    if _host == "*" or "/" in _host or "*" in _host:
        raise ImproperlyConfigured(f"ALLOWED_HOSTS must list host names (portal.musterstadt.de, .musterstadt.de), not {_host!r}.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("https://", "http://")) or _origin.rstrip("/").count("/") != 2:
        raise ImproperlyConfigured(f"CSRF_TRUSTED_ORIGINS must list origins (https://portal.musterstadt.de), not {_origin!r}.")
# Links in e-mails point here: required, and https:// (http:// only on the loopback interface).
if not os.environ.get("WAGTAILADMIN_BASE_URL", "").strip():
    raise ImproperlyConfigured("WAGTAILADMIN_BASE_URL must be set in production (https://portal.musterstadt.de).")
WAGTAILADMIN_BASE_URL = env_base_url("WAGTAILADMIN_BASE_URL", "", require_https=True)

MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
# "__Host-" cookies are only accepted over HTTPS, for the whole host and without a Domain: no subdomain can set them.
if SESSION_COOKIE_SECURE:
    SESSION_COOKIE_NAME = "__Host-sessionid"
if CSRF_COOKIE_SECURE:
    CSRF_COOKIE_NAME = "__Host-csrftoken"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
if LANGUAGE_COOKIE_SECURE:
    LANGUAGE_COOKIE_NAME = "__Host-language"

# Behind the load balancer, which ends TLS and sets X-Forwarded-Proto. Every http:// request is redirected
# to https://, except the load balancer's own health check (it asks the app servers over plain http).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# HSTS: browsers keep to https:// for a year, on every subdomain too. Preloading (browsers ship the domain
# as https-only) binds the whole domain for a long time: the city decides it, so it is a setting, off.
SECURE_HSTS_SECONDS = env_non_negative_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # check --deploy warns (W021) whenever preload is off; here that is a decision, not an oversight.
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]

# The outbox (base settings) hands its mails to the city's SMTP server.
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
POST_OFFICE = {**POST_OFFICE, "BACKENDS": {"default": EMAIL_DELIVERY_BACKEND}}
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# A mail server that does not answer must not hold a worker for long: the outbox tries again later.
EMAIL_TIMEOUT = env_positive_int("EMAIL_TIMEOUT", 30)

# A real worker backend: tasks are stored in PostgreSQL and run by `manage.py db_worker` processes.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Several app servers share one count of failed logins and other rate-limited actions: without a shared
# cache each would count on its own, and an attacker would get as many tries as there are servers.
if CACHES["default"]["BACKEND"] != "django.core.cache.backends.redis.RedisCache":
    raise ImproperlyConfigured("CACHE_URL must be set in production (redis://host:6379/0): the app servers share the rate limits.")
