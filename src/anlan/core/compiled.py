"""Hot read paths: build and compile a query once, run it fresh every time.

Django builds a queryset and compiles it to SQL on every request. For a page that is asked for
again and again (the hazard ledger's first page) that work is most of the request
(bench/RESULTS.md): the same scope and filters give the same SQL text and parameters each time.
A :class:`CompiledQuery` keeps that text, its parameters and the expressions of its columns;
:meth:`CompiledQuery.rows` executes it on the current thread's connection and converts the
values as ``QuerySet.values()`` would. Only the SQL is reused; the rows are always read live.

Compile from a queryset that has already gone through ``visible_to``: scoping stays where it is
decided, and the key a caller memoizes under must hold everything the queryset was built from
(the user's scope, the filters, the date).

On PostgreSQL the statement is also prepared, once per connection, with its values written in
(as Django's client-side binding sends them anyway): the plan is made for those values, so
partial indexes still apply, and PostgreSQL does not plan it again on every request.
``ANLAN_DB_PREPARED=0`` turns this off (a pgbouncer before 1.21 in transaction mode).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql import Query


@dataclass(frozen=True)
class CompiledQuery:
    query: Query
    using: str
    sql: str
    params: tuple
    names: tuple[str, ...]
    expressions: tuple
    literal_sql: str | None  # PostgreSQL: the statement with its values, to prepare

    @classmethod
    def of(cls, queryset: QuerySet) -> CompiledQuery | None:
        """The compiled form of a ``.values()`` queryset; None when it can match no row
        (``.none()``, or an ``__in`` of nothing)."""
        query = queryset.query
        compiler = query.get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return None
        names = query.selected or (
            *query.extra_select,
            *query.values_select,
            *query.annotation_select,
        )
        connection = connections[queryset.db]
        literal_sql = None
        if connection.vendor == "postgresql" and settings.ANLAN_DB_PREPARED:
            connection.ensure_connection()
            literal_sql = psycopg.ClientCursor(connection.connection).mogrify(sql, params)
        return cls(
            query=query,
            using=queryset.db,
            sql=sql,
            params=tuple(params),
            names=tuple(names),
            expressions=tuple(column for column, _sql, _alias in compiler.select),
            literal_sql=literal_sql,
        )

    def rows(self) -> list[dict[str, Any]]:
        """The rows as dicts of ``names``, read now."""
        connection = connections[self.using]
        if self.literal_sql is None:
            with connection.cursor() as cursor:
                cursor.execute(self.sql, self.params)
                rows = cursor.fetchall()
        else:
            with _prepared_cursor(connection) as cursor:
                cursor.execute(self.literal_sql)
                rows = cursor.fetchall()
        # Converters depend on the connection (SQLite returns text for dates and decimals),
        # so they are looked up on this thread's, not kept from the one that compiled.
        compiler = self.query.get_compiler(using=self.using)
        converters = compiler.get_converters(self.expressions)
        if converters:
            rows = compiler.apply_converters(rows, converters)
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in rows]


class PreparingCursor(psycopg.Cursor):
    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


def _prepared_cursor(connection):
    """A cursor whose statements psycopg prepares, wrapped as Django wraps its own (so the
    query log, ``assertNumQueries`` and execute wrappers see it)."""
    connection.ensure_connection()
    connection.validate_thread_sharing()
    cursor = PreparingCursor(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(cursor)
    return connection.make_cursor(cursor)
