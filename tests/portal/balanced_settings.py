"""Settings of the app servers that tests/portal/test_load_balancer.py starts behind HAProxy.

The production settings, read from the environment as deployed, with three changes a test needs: every
response names its server (X-Served-By, from SERVED_BY), the test's fast password hash is accepted
(its users are made by the test process), and static files are served without a collected manifest.
"""

from django.conf import global_settings

from portal.settings.production import *  # noqa: F403
from portal.settings.production import MIDDLEWARE, STORAGES

MIDDLEWARE = [*MIDDLEWARE, "tests.portal.served_by.served_by_middleware"]
PASSWORD_HASHERS = [*global_settings.PASSWORD_HASHERS, "django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
