"""/healthz tells the load balancer the truth about the task queue's database."""

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_task_backend(settings):
    settings.TASKS = DATABASE_TASKS  # as in production: the queue is a table that the workers read


def test_healthz_checks_the_database_task_queue(client, db, database_task_backend):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "tasks": "ok", "cache": "ok"}


def test_healthz_reports_the_task_queue_when_its_table_cannot_be_read(client, db, database_task_backend):
    # The queue's table gone (migrations not run, or its database unreachable): tasks cannot be queued.
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {DBTaskResult._meta.db_table} RENAME TO kd_healthz_hidden_queue")
    response = client.get("/healthz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == "ok"
    assert checks["tasks"].startswith("error: ")
    assert "kd_healthz_hidden_queue" not in response.content.decode()  # a class name, no SQL

