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

On PostgreSQL the statement is also prepared on each connection that runs it (``PREPARE`` /
``EXECUTE``), with its values written in as Django's client-side binding sends them anyway: the
plan is made for those values, so partial indexes still apply, and PostgreSQL does not plan it
again on every request. A prepared statement is named after a hash of its text, so a name
can only ever stand for that text: a connection pooler that hands a request another client's
server connection (pgbouncer in transaction mode) can make a name missing, never make it run
someone else's statement. ``ANLAN_DB_PREPARED=0`` turns preparing off.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

import psycopg
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DatabaseError, connections
from django.db.models import QuerySet
from django.db.models.sql import Query

# How many statements one connection keeps prepared; the least recently run one goes first.
MAX_PREPARED = 256
DUPLICATE_PREPARED_STATEMENT = "42P05"
INVALID_SQL_STATEMENT_NAME = "26000"


@dataclass(frozen=True)
class CompiledQuery:
    query: Query
    using: str
    sql: str
    params: tuple
    names: tuple[str, ...]
    expressions: tuple
    literal_sql: str | None  # PostgreSQL: the statement with its values, to prepare
    statement: str | None  # its prepared statement's name

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
        literal_sql = statement = None
        if connection.vendor == "postgresql" and settings.ANLAN_DB_PREPARED:
            connection.ensure_connection()
            with psycopg.ClientCursor(connection.connection) as cursor:
                literal_sql = cursor.mogrify(sql, params)
            statement = "anlan_" + hashlib.sha256(literal_sql.encode()).hexdigest()[:32]
        return cls(
            query=query,
            using=queryset.db,
            sql=sql,
            params=tuple(params),
            names=tuple(names),
            expressions=tuple(column for column, _sql, _alias in compiler.select),
            literal_sql=literal_sql,
            statement=statement,
        )

    def rows(self) -> list[dict[str, Any]]:
        """The rows as dicts of ``names``, read now."""
        connection = connections[self.using]
        with connection.cursor() as cursor:
            if self.statement is None:
                cursor.execute(self.sql, self.params)
            else:
                _execute_prepared(connection, cursor, self.statement, self.literal_sql)
            rows = cursor.fetchall()
        # Converters depend on the connection (SQLite returns text for dates and decimals),
        # so they are looked up on this thread's, not kept from the one that compiled.
        compiler = self.query.get_compiler(using=self.using)
        converters = compiler.get_converters(self.expressions)
        if converters:
            rows = compiler.apply_converters(rows, converters)
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in rows]


# The statements prepared on each open connection (PREPARE outlives a rollback; a new
# connection starts with none).
_prepared: WeakKeyDictionary[Any, OrderedDict[str, None]] = WeakKeyDictionary()


def _execute_prepared(connection, cursor, name: str, sql: str) -> None:
    names = _prepared.setdefault(connection.connection, OrderedDict())
    try:
        if name not in names:
            _prepare(connection, cursor, names, name, sql)
        names.move_to_end(name)
        cursor.execute(f"EXECUTE {name}")
    except DatabaseError as exc:
        state = getattr(exc.__cause__, "sqlstate", None)
        if connection.in_atomic_block or state != INVALID_SQL_STATEMENT_NAME:
            raise
        # The server connection is not the one it was prepared on (a pooler between us and
        # PostgreSQL): forget what this connection thought it had and run the text itself.
        names.clear()
        cursor.execute(sql)


def _prepare(connection, cursor, names: OrderedDict[str, None], name: str, sql: str) -> None:
    if len(names) >= MAX_PREPARED:
        oldest, _ = names.popitem(last=False)
        cursor.execute(f"DEALLOCATE {oldest}")
    try:
        cursor.execute(f"PREPARE {name} AS {sql}")
    except DatabaseError as exc:
        # Already there (prepared through another client of a pooler): by its name, the same
        # text. Outside a transaction nothing was aborted, so it can simply be run.
        state = getattr(exc.__cause__, "sqlstate", None)
        if connection.in_atomic_block or state != DUPLICATE_PREPARED_STATEMENT:
            raise
    names[name] = None
