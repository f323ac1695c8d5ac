"""Production logs one JSON object per line on stdout: a server error with its traceback, without personal data."""

import json
import os
import subprocess
import sys

from tests.portal.test_configuration import BASE_DIR, OWN_VARIABLES, PRODUCTION

SCRIPT = """
import django
django.setup()
from django.test import Client
response = Client(raise_request_exception=False).get(
    "/kaputt/?email=anna.schmidt@musterstadt.example&token=Geheim-4711", secure=True,
    headers={"authorization": "Bearer Geheim-4711", "x-api-key": "Sitzung-0815"})
print("status=%d" % response.status_code, file=sys.stderr)
"""


def test_a_server_error_is_one_json_line_with_its_traceback_on_stdout(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in OWN_VARIABLES and not key.startswith("SECURE_")}
    env.update({**PRODUCTION, "DJANGO_SETTINGS_MODULE": "tests.portal.server_error_settings", "ALLOWED_HOSTS": "testserver",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}"})
    result = subprocess.run([sys.executable, "-c", "import sys\n" + SCRIPT], cwd=BASE_DIR, env=env,  # noqa: S603
                            capture_output=True, text=True, timeout=120, check=False)
    assert "status=500" in result.stderr, result.stderr[-3000:]
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    errors = [line for line in lines if line["logger"] == "django.request" and line["level"] == "ERROR"]
    assert len(errors) == 1, result.stdout
    error = errors[0]
    assert error["message"] == "Internal Server Error: /kaputt/"
    assert error["status"] == 500
    assert error["method"] == "GET"
    assert error["path"] == "/kaputt/"
    assert "Traceback (most recent call last)" in error["exception"]
    assert "RuntimeError: the decision document of request 42 could not be rendered" in error["exception"]
    assert "failing_view" in error["exception"]
    for secret in ("anna.schmidt", "Geheim-4711", "Sitzung-0815"):
        assert secret not in result.stdout
    assert set(error) <= {"time", "level", "logger", "message", "status", "method", "path", "user_id", "exception"}
