"""The portal's production settings as the throughput benchmark serves them under gunicorn.

Read from the environment as deployed, with two changes a benchmark needs (as tests/portal/balanced_settings.py):
the fast password hash of the users the benchmark creates is accepted, and static files need no collected manifest.
"""

from django.conf import global_settings

from portal.settings.production import *  # noqa: F403
from portal.settings.production import STORAGES

PASSWORD_HASHERS = [*global_settings.PASSWORD_HASHERS, "django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
