"""Ledgers (台账): a model, one filter form, columns and an order; from them the page, the API
list, the Excel export and the counts for statistics.

A ledger is declared once per list, e.g. the hazard ledger (``hazards/ledger.py``)::

    HAZARD_LEDGER = Ledger(
        model=Hazard,
        form=HazardFilterForm,  # bound as form(data, user=user); apply(queryset, data, today)
        columns=[Column("number", _("Hazard number"), number, fields=("id", "found_at")), ...],
        ordering=("-found_at", "-id"),
        template="hazards/list.html",
        rows_template="hazards/_rows.html",
    )

and views and API routes call it: ``HAZARD_LEDGER.page(request)``,
``HAZARD_LEDGER.api_list(request.auth, filters, pagination)``, ``HAZARD_LEDGER.export(request)``,
``HAZARD_LEDGER.counts(user, data, by=("level",))``. Every one of them starts from
:meth:`Ledger.queryset`: ``Model.objects.visible_to(user)`` and the form's filters, written
once, so the page, the API, the export and the statistics of a ledger always agree.

The API list is one statement per page: the page's rows from ``.values()`` and the number of
rows as a scalar subquery, either a live ``COUNT`` or, when the ledger has a
:class:`CountSource` (a read model such as ``HazardTally``) that can answer for these filters,
the ``SUM`` of its numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol, cast

from django import forms
from django.conf import settings
from django.db.models import BigIntegerField, Count, F, Func, Model, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation

from anlan.core.excel import XLSX_CONTENT_TYPE, stream_workbook
from anlan.core.pagination import KnownCountPaginator, Pages, page_bounds
from anlan.core.scoping import ScopedQuerySet

Row = dict[str, Any]
Data = dict[str, Any]  # the valid filters: a filter form's cleaned_data
Filters = Callable[[QuerySet[Any], Data, date], QuerySet[Any]]  # (queryset, data, today)


class FilterForm(Protocol):
    """A ledger's filter form class, bound as ``form(data, user=user)``."""

    def __call__(self, data: Any, /, *, user: Any) -> forms.Form: ...


class FilteringForm(Protocol):
    """A filter form class that filters the rows itself (a ledger without ``filters``)."""

    def apply(self, queryset: QuerySet[Any], data: Data, today: date, /) -> QuerySet[Any]: ...


class InvalidFilters(Exception):
    """The filters do not validate; the API answers 422 with the form's errors (anlan.api)."""

    def __init__(self, form: forms.Form) -> None:
        super().__init__("invalid filters")
        self.form = form


@dataclass(frozen=True)
class Column:
    """One column of the ledger's export: ``label`` is an English msgid (gettext_lazy), shown
    translated. ``value`` is a field of the ``.values()`` row (by default ``name``) or a
    function of the row; a function names the fields it reads in ``fields``."""

    name: str
    label: Any
    value: str | Callable[[Row], Any] | None = None
    fields: tuple[str, ...] = ()

    def needs(self) -> tuple[str, ...]:
        if callable(self.value):
            return self.fields
        return (self.value or self.name,)

    def of(self, row: Row) -> Any:
        if callable(self.value):
            return self.value(row)
        return row[self.value or self.name]


@dataclass(frozen=True)
class CountSource:
    """A read model that counts the ledger's rows faster than a live COUNT (a tally: one row
    per group with its number). ``rows(user, data)`` gives its rows for these filters, already
    scoped, or None when it cannot answer for them (then the count is live). ``groups`` are
    the fields :meth:`Ledger.counts` may group its rows by."""

    rows: Callable[[Any, Data], QuerySet[Any] | None]
    number: str = "n"
    groups: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Ledger:
    model: type[Model]
    form: FilterForm  # a Form taking ``user=``; a FilteringForm unless ``filters``
    columns: Sequence[Column]
    ordering: Sequence[str] | Callable[[Data], Sequence[str]]  # or a function of the filters
    filters: Filters | None = None
    # The page: the whole page, and the part an htmx request (HX-Request) replaces.
    template: str = ""
    rows_template: str = ""
    related: tuple[str, ...] = ()  # select_related of the page's objects
    page_size: int | None = None  # the page's; None: settings.ANLAN_PAGE_SIZE
    # More of the page's context: ``page_context(request, page, form)``.
    page_context: Callable[[HttpRequest, Any, Any], dict[str, Any]] | None = None
    # The API list: rows of ``api_fields`` from ``.values()`` shaped by ``api_item(row, today)``;
    # without them, the objects themselves (the route's response schema reads them).
    api_fields: tuple[str, ...] = ()
    api_item: Callable[[Row, date], Row] | None = None
    api_page_size: int = 50
    # The export: sheet title and file name (a time stamp is added), in this language.
    export_title: str = ""
    export_name: str = "ledger"
    export_language: str = "zh-hans"
    annotations: dict[str, Any] = field(default_factory=dict)  # more for columns to read
    count_source: CountSource | None = None

    # Filtering: the one place a ledger's rows are chosen.

    def bind(self, user: Any, data: Mapping[str, Any] | None) -> forms.Form:
        """The filter form for ``data`` (unbound when there is none: the page's first view)."""
        return self.form(data or None, user=user)

    @staticmethod
    def cleaned(form: forms.Form) -> Data:
        """The valid filters, or none at all when any is invalid (the page then shows the
        whole ledger with the form's errors)."""
        return form.cleaned_data if form.is_bound and form.is_valid() else {}

    def queryset(self, user: Any, data: Data, today: date | None = None) -> QuerySet[Any]:
        """The user's rows of the ledger for the (valid) filters ``data``, in its order."""
        today = today or timezone.localdate()
        apply = self.filters or cast(FilteringForm, self.form).apply
        # A ledger's model is scoped: its manager (``objects``, the default) is a ScopedQuerySet's.
        scoped = cast(ScopedQuerySet, self.model._default_manager.all())
        rows = apply(scoped.visible_to(user), data, today)
        ordering = self.ordering(data) if callable(self.ordering) else self.ordering
        return rows.order_by(*ordering)

    def _source(self, user: Any, data: Data) -> tuple[CountSource, QuerySet[Any]] | None:
        """The count source with its rows for these filters, when it can answer for them."""
        if self.count_source is None:
            return None
        rows = self.count_source.rows(user, data)
        return None if rows is None else (self.count_source, rows)

    def count(self, user: Any, data: Data, today: date | None = None) -> int:
        found = self._source(user, data)
        if found is not None:
            counter, source = found
            total: int | None = source.aggregate(n=Sum(counter.number))["n"]
            return total or 0
        return self.queryset(user, data, today).count()

    def counts(
        self, user: Any, data: Data, by: Sequence[str], today: date | None = None
    ) -> list[Row]:
        """The number of rows per group of the fields ``by`` (``[{**group, "n": 12}, ...]``),
        for statistics: from the count source when it keeps those fields, else live."""
        found = self._source(user, data)
        if found is not None and set(by) <= found[0].groups:
            counter, source = found
            number = Sum(counter.number)
            groups = source.order_by().values(*by).annotate(n=number).filter(n__gt=0)
            return list(groups.order_by(*by))  # a tally keeps rows that fell to 0
        rows = self.queryset(user, data, today).order_by().values(*by)
        return list(rows.annotate(n=Count("pk")).order_by(*by))

    def _total(self, user: Any, data: Data, rows: QuerySet[Any]) -> Coalesce:
        """The count as a scalar subquery of the page's statement. SUM and COUNT as plain
        functions, not Django aggregates: one row over the whole set, without GROUP BY."""
        found = self._source(user, data)
        if found is not None:
            counter, source = found
            counted = source.order_by().annotate(total=Func(F(counter.number), function="SUM"))
        else:
            counted = rows.order_by().annotate(total=Func(F("pk"), function="COUNT"))
        return Coalesce(Subquery(counted.values("total")), 0, output_field=BigIntegerField())

    def values_page(self, user: Any, data: Data, fields: Iterable[str], start: int, end: int,
                    today: date | None = None) -> tuple[list[Row], int]:  # fmt: skip
        """One page of ``fields`` and the number of rows, in one statement (a second only
        for a page past the last)."""
        rows = self.queryset(user, data, today)
        page = list(rows.values(*fields, ledger_total=self._total(user, data, rows))[start:end])
        if not page:
            return [], self.count(user, data, today)
        count: int = page[0]["ledger_total"]
        for row in page:
            del row["ledger_total"]
        return page, count

    # What users see.

    def page(
        self,
        request: HttpRequest,
        data: Mapping[str, Any] | None = None,
        status: int = 200,
        **context: Any,
    ) -> HttpResponse:
        """The ledger page for the filters ``data`` (by default the query string); for htmx
        (HX-Request) only its rows."""
        user = request.user
        form = self.bind(user, request.GET if data is None else data)
        filters = self.cleaned(form)
        today = timezone.localdate()
        rows = self.queryset(user, filters, today).select_related(*self.related)
        paginator = KnownCountPaginator(
            rows,
            self.page_size or settings.ANLAN_PAGE_SIZE,
            known_count=self.count(user, filters, today),
        )
        page = paginator.get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "filter_form": form,
            "page": page,
            "query": query.urlencode(),
            "today": today,
            **context,
        }
        if self.page_context:
            context.update(self.page_context(request, page, form))
        if self.rows_template and getattr(request, "htmx", False):
            return render(request, self.rows_template, context, status=status)
        return render(request, self.template, context, status=status)

    def api_filters(self, user: Any, raw: Mapping[str, Any]) -> Data:
        """The API's filters, validated: invalid ones raise :class:`InvalidFilters` (422 in the
        API's error shape, anlan.api)."""
        form = self.form(raw, user=user)
        if not form.is_valid():
            raise InvalidFilters(form)
        return form.cleaned_data

    def api_list(
        self, user: Any, raw: Mapping[str, Any], pagination: Pages.Input
    ) -> dict[str, Any]:
        """``{"items": [...], "count": n}`` of one page of the filters ``raw``."""
        data, today = self.api_filters(user, raw), timezone.localdate()
        start, end = page_bounds(pagination, page_size=self.api_page_size)
        if not self.api_fields:
            rows = self.queryset(user, data, today).select_related(*self.related)
            return {"items": list(rows[start:end]), "count": self.count(user, data, today)}
        page, count = self.values_page(user, data, self.api_fields, start, end, today)
        item = self.api_item or (lambda row, today: row)
        return {"items": [item(row, today) for row in page], "count": count}

    def export_rows(self, user: Any, data: Data, today: date | None = None) -> Iterator[list[Any]]:
        """The export's rows of the filtered ledger, read in chunks (constant memory)."""
        fields = dict.fromkeys(name for column in self.columns for name in column.needs())
        names = [name for name in fields if name not in self.annotations]
        rows = self.queryset(user, data, today).values(*names, **self.annotations)
        for row in rows.iterator(chunk_size=2000):
            yield [column.of(row) for column in self.columns]

    def export(self, request: HttpRequest) -> FileResponse:
        """The filtered ledger as an Excel file, written row by row to a temporary file."""
        data = self.cleaned(self.bind(request.user, request.GET))
        with translation.override(self.export_language):
            headers = [str(column.label) for column in self.columns]
            path = stream_workbook(
                str(self.export_title), headers, self.export_rows(request.user, data)
            )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return workbook_response(path, f"{self.export_name}-{stamp}.xlsx")


def workbook_response(path: Path, filename: str) -> FileResponse:
    """A streamed workbook file as a download; the file is gone once the response is sent."""
    handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
    path.unlink()  # the open handle keeps the data until the response is sent
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
