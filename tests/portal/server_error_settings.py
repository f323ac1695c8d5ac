"""The production settings with one more address that fails, for tests/portal/test_logging.py's server error."""

from portal.settings.production import *  # noqa: F403
from portal.settings.production import STORAGES

ROOT_URLCONF = "tests.portal.server_error_urls"
# The 500 page links the favicon; without collectstatic there is no manifest to look it up in.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
