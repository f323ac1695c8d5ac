"""The portal's settings plus the stock peer app: the settings module of the benchmarks' second server.

Extends the settings module named by BENCH_PORTAL_SETTINGS (default portal.settings.test, as the in-process
benchmarks run; tests.benchmarks.served_settings under gunicorn) and adds wagtail.contrib.forms and the stock
app. The product's INSTALLED_APPS never contain either.
"""

import importlib
import os

_portal = importlib.import_module(os.environ.get("BENCH_PORTAL_SETTINGS", "portal.settings.test"))
globals().update({name: value for name, value in vars(_portal).items() if name.isupper()})

INSTALLED_APPS = [*_portal.INSTALLED_APPS, "wagtail.contrib.forms", "tests.benchmarks.stock"]

# The request path as production runs it: background tasks (sending the outbox) are stored for a worker
# (django-tasks-db), not run inside the request as the test settings' immediate backend does. Set
# BENCH_TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend to time them in the request too.
TASKS = {"default": {"BACKEND": os.environ.get("BENCH_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
