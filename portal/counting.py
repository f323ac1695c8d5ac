"""Several numbers of one page read in one query: each queryset's COUNT as a scalar subquery of a single SELECT.

A page that shows five counts from five places (the dashboard) would otherwise send five COUNT queries. Each place
keeps its own rule as a queryset; the page hands the querysets to `counts` and gets the numbers back together.
"""

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Func, IntegerField, QuerySet


class _CountRows(Func):
    """COUNT(*) of the rows a queryset selects, without the GROUP BY Django's aggregate `Count` would bring."""

    template = "COUNT(*)"
    output_field = IntegerField()


def counts(*, capped: dict[str, int] | None = None, **querysets: QuerySet) -> dict[str, int]:
    """The number of rows of each queryset, by name, in one query: `SELECT (SELECT COUNT(*) …), (SELECT COUNT(*) …)`.

    The same numbers as calling `.count()` on each, except that a name in `capped` is counted only up to the number
    given there (as `queryset[:n].count()`: a city-wide list is not counted to its end for one number). Querysets
    that match nothing by construction (`.none()`) count 0 without asking the database. All querysets must read the
    same database.
    """
    capped = capped or {}
    databases = {queryset.db for queryset in querysets.values()}
    if len(databases) > 1:
        raise ValueError(f"counts() reads one database, not {sorted(databases)}")
    numbers, columns, params = {}, {}, []
    for name, queryset in querysets.items():
        if queryset.query.distinct or queryset.query.is_sliced:
            raise ValueError("counts() counts plain querysets (no distinct(), no slice)")
        try:
            if name in capped:
                # Counted up to the cap: the rows of a LIMITed subquery, as `queryset[:cap].count()` does.
                rows = queryset.order_by().values("pk")[: capped[name]]
                sql, subquery_params = rows.query.get_compiler(using=queryset.db).as_sql()
                sql = f"SELECT COUNT(*) FROM ({sql}) AS capped"  # noqa: S608 -- compiled by Django, values as params
            else:
                counting = queryset.order_by().annotate(rows=_CountRows()).values("rows")
                sql, subquery_params = counting.query.get_compiler(using=queryset.db).as_sql()
        except EmptyResultSet:  # a condition that matches nothing (`.none()`, `pk__in=[]`): Django's count() says 0 too
            numbers[name] = 0
            continue
        columns[name] = f"({sql})"
        params.extend(subquery_params)
    if columns:
        with connections[databases.pop()].cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(columns.values())}", params)
            numbers.update(zip(columns, cursor.fetchone(), strict=True))
    return {name: numbers[name] for name in querysets}
