"""Test settings: fast password hashing, in-memory email (behind the outbox), immediate tasks, a throw-away private root."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, LOGGING, POST_OFFICE, STORAGES

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
POST_OFFICE = {**POST_OFFICE, "BACKENDS": {"default": EMAIL_DELIVERY_BACKEND}}
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="kd-private-"))
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="kd-media-"))
STORAGES = {
    **STORAGES,
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
}
ACCOUNT_RATE_LIMITS = False

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not Django's default in-memory test database. The in-memory one is shared between
    # threads only through SQLite's shared cache, which locks per table and fails at once with
    # "database table is locked" instead of waiting: the busy timeout and BEGIN IMMEDIATE from base
    # settings never come into play, so the concurrency tests (real threads, one connection each)
    # could not queue their writers as production does. One file per test process, in the system
    # temp directory, so that test runs side by side never share (and delete) each other's database;
    # Django removes it when the run ends.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"kd-test-{os.getpid()}.sqlite3"),
    }

# Security events stay off the console while tests run (every force_login is one) but reach pytest's
# caplog, which listens on the root logger; the root's console handler prints only warnings and errors.
LOGGING = {
    **LOGGING,
    "handlers": {**LOGGING["handlers"], "security": {**LOGGING["handlers"]["security"], "level": "CRITICAL"}},
    "loggers": {**LOGGING["loggers"], "portal.security": {**LOGGING["loggers"]["portal.security"], "propagate": True}},
}
