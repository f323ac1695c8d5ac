"""The production settings with one more address that fails, for tests/portal/test_logging.py's server error."""

from portal.settings.production import *  # noqa: F403

ROOT_URLCONF = "tests.portal.server_error_urls"
