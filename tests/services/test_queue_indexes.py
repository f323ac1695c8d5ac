"""The queue and "my requests" at city scale are served by indexes, and PostgreSQL does not JIT-compile them.

The figures behind these choices are in the README (City scale); here: the indexes exist where the planner
needs them, and the plan of the queue's first page reads the pending-requests index instead of sorting the table.
"""

import pytest
from django.db import connection

from services import selectors
from services.models import ServiceRequest
from services.statuses import ALLOWED_FROM, Step
from tests.factories import leave_request

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner and settings")


def test_the_pending_requests_index_holds_only_what_waits_for_a_decision():
    index = next(index for index in ServiceRequest._meta.indexes if index.name == "services_req_pending_queue")
    assert index.fields == ["submitted_at", "id"]
    # Exactly the statuses the queue asks for: a status added to one but not the other would bypass the index.
    assert set(dict(index.condition.children)["status__in"]) == set(ALLOWED_FROM[Step.DECIDE])


def test_the_per_unit_index_answers_the_queues_filters_by_itself():
    index = next(index for index in ServiceRequest._meta.indexes if index.name == "services_req_pending_unit2")
    # The unit and the order first; then what the queue filters on, so that no table page is read to filter.
    assert index.fields[:3] == ["unit", "submitted_at", "id"]
    assert {"step_permission", "applicant"} <= set(index.fields)
    assert set(dict(index.condition.children)["status__in"]) == set(ALLOWED_FROM[Step.DECIDE])


@postgres_only
@pytest.mark.django_db
def test_postgresql_runs_without_jit_and_without_parallel_workers():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


@postgres_only
@pytest.mark.django_db
def test_the_unit_path_has_a_prefix_searchable_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'portal_orgunit_path_prefix'")
        row = cursor.fetchone()
    assert row is not None and "varchar_pattern_ops" in row[0]


@postgres_only
def test_the_queue_reads_the_pending_index_not_the_whole_table(approver, applicant):
    for _ in range(3):
        leave_request(applicant=applicant, step_permission="decide_leave")
    queue = selectors.queue_for(approver)[:25]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny test table: make the planner show what it can use
        sql, params = queue.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # One of the two pending-requests indexes (in queue order, or per unit), never the whole table.
    assert "services_req_pending_queue" in plan or "services_req_pending_unit2" in plan, plan
    assert "Seq Scan on services_servicerequest" not in plan, plan
