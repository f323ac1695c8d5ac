"""Settings of the scale benchmark: the portal's test settings, persistent connections, and Django's admin as the peer.

The admin (django.contrib.admin, which the portal itself does not install) lists the requests table with a stock
ModelAdmin (see urls.py): the changelist every Django project gets for free, measured beside the portal's pages.
"""

from portal.settings.test import *  # noqa: F403
from portal.settings.test import DATABASES, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.admin"]
ROOT_URLCONF = "tests.benchmarks.scale.urls"
ALLOWED_HOSTS = ["testserver", "localhost"]
# An app server keeps its connection (as production does with DATABASE_CONN_MAX_AGE): the benchmark measures
# the queries, not the connection set-up.
DATABASES["default"]["CONN_MAX_AGE"] = 600
