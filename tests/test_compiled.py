"""CompiledQuery (core/compiled.py): the SQL is kept, the rows are read live and converted as
``.values()`` converts them, on SQLite and on PostgreSQL (prepared there)."""

from datetime import date, datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from anlan.core.compiled import CompiledQuery
from anlan.hazards.models import Hazard
from tests.hazards.factories import report

COLUMNS = ("id", "found_at", "deadline", "funds", "longitude", "enterprise__name", "closed_at")


def test_rows_are_what_values_gives_and_are_read_each_time(personas):
    first = report(personas["ent-a"])
    Hazard.objects.filter(pk=first.pk).update(
        deadline=date(2026, 12, 31), funds=Decimal("1200.50"), longitude=Decimal("120.123456")
    )
    hazards = Hazard.objects.filter(enterprise=personas["ent-a"].enterprise).values(*COLUMNS)
    compiled = CompiledQuery.of(hazards)
    assert compiled.rows() == list(hazards)
    row = compiled.rows()[0]
    assert isinstance(row["found_at"], datetime) and row["found_at"].tzinfo is not None
    assert row["deadline"] == date(2026, 12, 31) and row["funds"] == Decimal("1200.50")

    second = report(personas["ent-a"])  # after compiling: the same statement finds it
    assert {r["id"] for r in compiled.rows()} >= {first.pk, second.pk}
    assert compiled.rows() == list(hazards.all())


def test_a_query_that_matches_nothing_compiles_to_none(personas):
    assert CompiledQuery.of(Hazard.objects.none().values("id")) is None
    assert CompiledQuery.of(Hazard.objects.filter(pk__in=[]).values("id")) is None


def test_the_statement_is_logged_and_prepared_on_postgresql(personas):
    compiled = CompiledQuery.of(Hazard.objects.filter(level="major").values("id")[:5])
    with CaptureQueriesContext(connection) as queries:
        compiled.rows()
        compiled.rows()
    assert len(queries) == 2  # assertNumQueries and the query log see it like any other
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "select generic_plans + custom_plans from pg_prepared_statements"
                " where statement = %s",
                [compiled.literal_sql],
            )
            (uses,) = cursor.fetchone()
        assert uses >= 2  # planned once, executed from the prepared statement
    else:
        assert compiled.literal_sql is None
