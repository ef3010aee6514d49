"""CompiledQuery (core/compiled.py): the SQL is kept, the rows are read live and converted as
``.values()`` converts them, on SQLite and on PostgreSQL (prepared there, under names that
stand for their text)."""

from collections import OrderedDict
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from anlan.core import compiled as compiled_module
from anlan.core.compiled import CompiledQuery
from anlan.hazards.models import Hazard
from tests.hazards.factories import report

COLUMNS = ("id", "found_at", "deadline", "funds", "longitude", "enterprise__name", "closed_at")


@pytest.mark.parametrize("prepared", [True, False])
def test_rows_are_what_values_gives_and_are_read_each_time(personas, prepared):
    first = report(personas["ent-a"])
    Hazard.objects.filter(pk=first.pk).update(
        deadline=date(2026, 12, 31), funds=Decimal("1200.50"), longitude=Decimal("120.123456")
    )
    hazards = Hazard.objects.filter(enterprise=personas["ent-a"].enterprise).values(*COLUMNS)
    with override_settings(ANLAN_DB_PREPARED=prepared):
        compiled = CompiledQuery.of(hazards)
    assert (compiled.statement is not None) == (prepared and connection.vendor == "postgresql")
    assert compiled.rows() == list(hazards)
    row = next(r for r in compiled.rows() if r["id"] == first.pk)
    assert isinstance(row["found_at"], datetime) and row["found_at"].tzinfo is not None
    assert row["deadline"] == date(2026, 12, 31) and row["funds"] == Decimal("1200.50")

    second = report(personas["ent-a"])  # after compiling: the same statement finds it
    assert {r["id"] for r in compiled.rows()} >= {first.pk, second.pk}
    assert compiled.rows() == list(hazards.all())


def test_a_query_that_matches_nothing_compiles_to_none(personas):
    assert CompiledQuery.of(Hazard.objects.none().values("id")) is None
    assert CompiledQuery.of(Hazard.objects.filter(pk__in=[]).values("id")) is None


def test_values_with_quotes_and_percent_signs_are_written_in_safely(personas):
    text = "50% 'O''Brien' \\ %s %(x)s $1 _"
    hazard = report(personas["ent-a"], description=text)
    hazards = Hazard.objects.filter(description__contains=text).values("id", "description")
    compiled = CompiledQuery.of(hazards)
    for _ in range(3):
        assert compiled.rows() == [{"id": hazard.pk, "description": text}]


def test_the_statement_is_logged_and_prepared_once_on_postgresql(personas):
    compiled = CompiledQuery.of(Hazard.objects.filter(level="major").values("id")[:5])
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            compiled.rows()
    sql = [q["sql"] for q in queries]
    if connection.vendor != "postgresql":
        assert compiled.statement is None and len(sql) == 3
        return
    # assertNumQueries and the query log see it like any other: one PREPARE, then EXECUTEs.
    assert (
        sql
        == [f"PREPARE {compiled.statement} AS {compiled.literal_sql}"]
        + [f"EXECUTE {compiled.statement}"] * 3
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "select statement, generic_plans from pg_prepared_statements where name = %s",
            [compiled.statement],
        )
        statement, plans = cursor.fetchone()
    assert compiled.literal_sql in statement and plans == 3  # planned once, for its values


def test_a_connection_that_lost_or_already_has_the_statement_still_answers(personas):
    """Behind a pooler a server connection may lack a statement this client prepared, or have
    it from another client: outside a transaction the answer is the same either way."""
    compiled = CompiledQuery.of(Hazard.objects.filter(level="major").values("id")[:5])
    if connection.vendor != "postgresql":
        assert compiled.statement is None  # SQLite: nothing is prepared
        return
    expected = compiled.rows()
    other = connections.create_connection("default")  # autocommit, outside the test's transaction
    try:
        other.ensure_connection()
        names = compiled_module._prepared.setdefault(other.connection, OrderedDict())
        run = lambda: _rows_on(other, compiled)  # noqa: E731
        assert run() == expected  # prepared here
        names.clear()  # forgotten, while the server still has it: PREPARE finds it there
        assert run() == expected and compiled.statement in names
        with other.cursor() as cursor:
            cursor.execute(f"DEALLOCATE {compiled.statement}")  # lost behind our back
        assert run() == expected and not names  # ran as text, and forgot what it had
        assert run() == expected  # prepared again
        with other.cursor() as cursor:
            cursor.execute("select count(*) from pg_prepared_statements where name = %s",
                           [compiled.statement])  # fmt: skip
            assert cursor.fetchone() == (1,)
    finally:
        other.close()


def _rows_on(other, compiled):
    with other.cursor() as cursor:
        compiled_module._execute_prepared(other, cursor, compiled.statement, compiled.literal_sql)
        return [{"id": row[0]} for row in cursor.fetchall()]
