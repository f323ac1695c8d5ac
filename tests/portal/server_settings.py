"""Settings of the portal servers that tests/portal/test_rate_limits.py starts as processes of their own.

The test settings (fast password hashing, the test database from DATABASE_URL, the cache from CACHE_URL,
TRUSTED_PROXY_COUNT from the environment), with allauth's rate limits on as in production and the
security events printed on the console, where the test reads them.
"""

from portal.settings.base import ACCOUNT_RATE_LIMITS as PRODUCTION_RATE_LIMITS
from portal.settings.base import LOGGING as PRODUCTION_LOGGING
from portal.settings.test import *  # noqa: F403

ACCOUNT_RATE_LIMITS = PRODUCTION_RATE_LIMITS
LOGGING = PRODUCTION_LOGGING
