"""Malformed configuration is refused at start-up, naming the variable and never repeating a secret.

Each case loads the settings in a fresh interpreter with its own environment, as a server starts.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent
GOOD_SECRET = "kd-configuration-test-" + "Zq3vX9pLm2Rt8wYb4nKc7hJd6fGs1aEu" * 2
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": GOOD_SECRET,
    "DATABASE_URL": "postgres://portal:Geheim-4711@db.musterstadt.example:5432/portal",
    "ALLOWED_HOSTS": "portal.musterstadt.example",
    "CSRF_TRUSTED_ORIGINS": "https://portal.musterstadt.example",
    "WAGTAILADMIN_BASE_URL": "https://portal.musterstadt.example",
    "CACHE_URL": "redis://127.0.0.1:6379/7",
}
# Every variable the settings read that this process may have set (the test run's own database, cache, …).
OWN_VARIABLES = {"DATABASE_URL", "CACHE_URL", "CACHE_KEY_PREFIX", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS",
                 "WAGTAILADMIN_BASE_URL", "TRUSTED_PROXY_COUNT", "DJANGO_SETTINGS_MODULE",
                 # Set by the browser tests for Playwright's event loop; a deployment never has it (async.E001).
                 "DJANGO_ALLOW_ASYNC_UNSAFE"}


def load_settings(environ: dict[str, str], *names: str) -> subprocess.CompletedProcess:
    """Import the settings of `environ` in a fresh interpreter and print the values of `names` as JSON."""
    env = {key: value for key, value in os.environ.items() if key not in OWN_VARIABLES and not key.startswith("SECURE_")}
    env.update(environ)
    script = ("import json, sys; from django.conf import settings; settings.DEBUG; "
              "print(json.dumps({name: getattr(settings, name) for name in sys.argv[1:]}, default=str))")
    return subprocess.run([sys.executable, "-c", script, *names], cwd=BASE_DIR, env=env,  # noqa: S603 - our own interpreter
                          capture_output=True, text=True, timeout=60, check=False)


def refusal(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0, f"the settings were accepted: {result.stdout}"
    lines = [line for line in result.stderr.splitlines() if line.startswith("django.core.exceptions.ImproperlyConfigured")]
    assert lines, result.stderr[-2000:]
    return lines[-1]


def test_a_correct_production_environment_is_accepted_with_hardened_defaults():
    result = load_settings(PRODUCTION, "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
                           "SECURE_SSL_REDIRECT", "SECURE_REDIRECT_EXEMPT", "SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME",
                           "LANGUAGE_COOKIE_NAME", "WAGTAILADMIN_BASE_URL")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "SECURE_HSTS_SECONDS": 31536000, "SECURE_HSTS_INCLUDE_SUBDOMAINS": True, "SECURE_HSTS_PRELOAD": False,
        "SECURE_SSL_REDIRECT": True, "SECURE_REDIRECT_EXEMPT": ["^healthz$"],
        "SESSION_COOKIE_NAME": "__Host-sessionid", "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "LANGUAGE_COOKIE_NAME": "__Host-language", "WAGTAILADMIN_BASE_URL": "https://portal.musterstadt.example",
    }


def test_preload_and_redirect_are_settings():
    result = load_settings({**PRODUCTION, "SECURE_HSTS_PRELOAD": "true", "SECURE_SSL_REDIRECT": "false"},
                           "SECURE_HSTS_PRELOAD", "SECURE_SSL_REDIRECT", "SILENCED_SYSTEM_CHECKS")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"SECURE_HSTS_PRELOAD": True, "SECURE_SSL_REDIRECT": False, "SILENCED_SYSTEM_CHECKS": []}


@pytest.mark.parametrize(("variable", "value", "reason"), [
    ("SECRET_KEY", "kurz", "SECRET_KEY must be at least 50 random characters"),
    ("SECRET_KEY", "django-insecure-" + "h3x9!q2#z8v@k1m5n7b4c6x0l9p2o4i8u6y3t1r5e7w9q0a2s", "SECRET_KEY must be at least 50"),
    ("SECRET_KEY", "a" * 60, "SECRET_KEY must be at least 50 random characters"),
    ("ALLOWED_HOSTS", "*", "ALLOWED_HOSTS must list host names"),
    ("ALLOWED_HOSTS", "portal.musterstadt.example,*", "ALLOWED_HOSTS must list host names"),
    ("ALLOWED_HOSTS", "https://portal.musterstadt.example", "ALLOWED_HOSTS must list host names"),
    ("CSRF_TRUSTED_ORIGINS", "portal.musterstadt.example", "CSRF_TRUSTED_ORIGINS must list origins"),
    ("SECURE_HSTS_SECONDS", "-1", "SECURE_HSTS_SECONDS must not be negative"),
    ("SECURE_HSTS_SECONDS", "ein Jahr", "SECURE_HSTS_SECONDS must be an integer"),
    ("SECURE_HSTS_PRELOAD", "vielleicht", "SECURE_HSTS_PRELOAD must be a boolean"),
    ("SECURE_SSL_REDIRECT", "2", "SECURE_SSL_REDIRECT must be a boolean"),
    ("ATTACHMENT_MAX_BYTES", "-1", "ATTACHMENT_MAX_BYTES must be a positive whole number"),
    ("ATTACHMENT_MAX_BYTES", "0", "ATTACHMENT_MAX_BYTES must be a positive whole number"),
    ("REQUEST_MAX_SPAN_DAYS", "0", "REQUEST_MAX_SPAN_DAYS must be a positive whole number"),
    ("REMOTE_WORK_MAX_MONTHS", "-3", "REMOTE_WORK_MAX_MONTHS must be a positive whole number"),
    ("DATABASE_CONN_MAX_AGE", "-5", "DATABASE_CONN_MAX_AGE must not be negative"),
    ("WAGTAILADMIN_BASE_URL", "javascript:alert(document.cookie)", "WAGTAILADMIN_BASE_URL must be the portal's https:// address"),
    ("WAGTAILADMIN_BASE_URL", "http://portal.musterstadt.example", "WAGTAILADMIN_BASE_URL must be the portal's https://"),
    ("WAGTAILADMIN_BASE_URL", "https://portal.musterstadt.example/?next=x", "WAGTAILADMIN_BASE_URL must be the portal's"),
    ("WAGTAILADMIN_BASE_URL", "", "WAGTAILADMIN_BASE_URL must be set in production"),
    ("DATABASE_URL", "postgres//portal:Geheim-4711@db/portal", "DATABASE_URL must start with postgres://"),
    ("DATABASE_URL", "mongodb://portal:Geheim-4711@db/portal", "DATABASE_URL must start with postgres://"),
    ("DATABASE_URL", "postgres://portal:Geheim-4711@db:port/portal", "DATABASE_URL is not a valid database URL"),
    ("DATABASE_URL", "postgres://portal:Geheim-4711@db:5432", "DATABASE_URL must name the database"),
    ("DATABASE_URL", "", "DATABASE_URL must be set in production"),
])
def test_production_refuses_a_malformed_value_naming_the_variable(variable, value, reason):
    result = load_settings({**PRODUCTION, variable: value})
    assert reason in refusal(result)
    assert "Geheim-4711" not in result.stderr  # the database password, nowhere in the traceback
    if variable == "SECRET_KEY":
        assert value not in result.stderr


@pytest.mark.parametrize(("variable", "value", "reason"), [
    ("ATTACHMENT_MAX_BYTES", "-1", "ATTACHMENT_MAX_BYTES must be a positive whole number"),
    ("REQUEST_MAX_SPAN_DAYS", "0", "REQUEST_MAX_SPAN_DAYS must be a positive whole number"),
    ("WAGTAILADMIN_BASE_URL", "javascript:alert(1)", "WAGTAILADMIN_BASE_URL must be the portal's https:// address"),
    ("DATABASE_URL", "postgres://portal:Geheim-4711@db:99999/portal", "DATABASE_URL is not a valid database URL"),
])
def test_every_environment_refuses_a_malformed_value(variable, value, reason):
    result = load_settings({"DJANGO_SETTINGS_MODULE": "portal.settings.dev", variable: value})
    assert reason in refusal(result)
    assert "Geheim-4711" not in result.stderr


def test_development_keeps_plain_http_on_the_own_machine():
    result = load_settings({"DJANGO_SETTINGS_MODULE": "portal.settings.dev"}, "WAGTAILADMIN_BASE_URL", "SECURE_SSL_REDIRECT")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"WAGTAILADMIN_BASE_URL": "http://127.0.0.1:8000", "SECURE_SSL_REDIRECT": False}


def test_check_deploy_passes_with_a_production_environment():
    env = {key: value for key, value in os.environ.items() if key not in OWN_VARIABLES and not key.startswith("SECURE_")}
    env.update(PRODUCTION)
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],  # noqa: S603
                            cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
