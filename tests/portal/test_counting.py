"""portal.counting: several counts in one query, each the number `.count()` gives."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.counting import counts
from portal.models import User
from tests.factories import UserFactory


@pytest.mark.django_db
def test_counts_are_those_of_count_and_are_read_in_one_query():
    UserFactory(first_name="Anna")
    UserFactory(first_name="Anna")
    UserFactory(first_name="Bernd")
    querysets = {"annas": User.objects.filter(first_name="Anna"), "all": User.objects.all(),
                 "nobody": User.objects.filter(first_name="Zoe")}
    with CaptureQueriesContext(connection) as context:
        numbers = counts(**querysets)
    assert len(context.captured_queries) == 1
    assert numbers == {name: queryset.count() for name, queryset in querysets.items()} == {"annas": 2, "all": 3, "nobody": 0}


@pytest.mark.django_db
def test_a_capped_count_stops_at_its_cap_in_the_same_query():
    for _ in range(4):
        UserFactory(first_name="Anna")
    with CaptureQueriesContext(connection) as context:
        numbers = counts(capped={"annas": 3, "few": 10}, annas=User.objects.filter(first_name="Anna"),
                         few=User.objects.filter(first_name="Anna"), all=User.objects.all())
    assert numbers == {"annas": 3, "few": 4, "all": 4}
    assert len(context.captured_queries) == 1 and "LIMIT 3" in context.captured_queries[0]["sql"]


@pytest.mark.django_db
def test_querysets_that_match_nothing_by_construction_count_zero_without_a_query():
    with CaptureQueriesContext(connection) as context:
        numbers = counts(none=User.objects.none(), empty_list=User.objects.filter(pk__in=[]))
    assert numbers == {"none": 0, "empty_list": 0}
    assert not context.captured_queries
