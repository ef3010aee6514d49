"""Hazard and incident numbers (YH2026-0001, SG2026-0001): per local year from 1, from the
counters official documents use, stored on the record, searchable; and the migration that
numbered the records made before."""

import datetime as dt
import importlib
import threading

import pytest
import time_machine
from django.apps import apps
from django.db import connection, transaction
from django.test import TestCase
from django.urls import reverse

from anlan.core.documents import (
    REGISTER_ISSUER,
    format_register_number,
    parse_register_number,
    register_year,
    reserve_numbers,
)
from anlan.core.models import DocumentCounter, Notification
from anlan.hazards.models import Hazard
from anlan.incidents.models import Incident
from tests.hazards.factories import report
from tests.incidents.factories import incident

BEIJING = dt.timezone(dt.timedelta(hours=8))


def beijing(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BEIJING)


@pytest.mark.parametrize(
    ("moment", "year"),
    [
        (beijing(2026, 12, 31, 23, 59), 2026),
        (beijing(2027, 1, 1, 0, 30), 2027),  # 2026-12-31 16:30 in UTC
        (dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC), 2027),
    ],
)
def test_the_year_is_the_local_one(moment, year):
    assert register_year(moment) == year


def test_format_and_parse():
    assert format_register_number("YH", 2026, 1) == "YH2026-0001"
    assert format_register_number("YH", 2026, 12345) == "YH2026-12345"
    assert parse_register_number("YH", "YH2026-0012") == "YH2026-0012"
    assert parse_register_number("YH", " yh2026-12 ") == "YH2026-0012"
    assert parse_register_number("YH", "YH20260012") == "YH2026-0012"
    assert parse_register_number("SG", "SG2027－3") == "SG2027-0003"  # a full-width hyphen
    assert parse_register_number("YH", "SG2026-0001") is None
    assert parse_register_number("YH", "冲床 2026") is None


def test_hazards_are_numbered_per_local_year_from_one(personas):
    found = [
        beijing(2031, 3, 1, 9, 0),
        beijing(2031, 12, 31, 23, 59),
        beijing(2032, 1, 1, 0, 30),  # 31 December in UTC: next year's
        beijing(2032, 2, 1, 9, 0),
    ]
    with time_machine.travel(beijing(2032, 2, 2, 9, 0), tick=False):
        numbers = [report(personas["ent-a"], found_at=at).number for at in found]
    assert numbers == ["YH2031-0001", "YH2031-0002", "YH2032-0001", "YH2032-0002"]
    kind = Hazard.number_kind()
    assert DocumentCounter.objects.get(issuer=REGISTER_ISSUER, kind=kind, year=2031).last == 2
    assert DocumentCounter.objects.get(issuer=REGISTER_ISSUER, kind=kind, year=2032).last == 2


def test_incidents_are_numbered_per_local_year(personas):
    with time_machine.travel(beijing(2033, 1, 1, 0, 10), tick=False):
        # Occurred at 23:50 on 31 December (local): last year's number, though reported now.
        first = incident(personas["ent-a"])
        second = incident(personas["ent-a"], occurred_at=beijing(2033, 1, 1, 0, 5))
    assert (first.number, second.number) == ("SG2032-0001", "SG2033-0001")


def test_numbers_continue_from_the_shared_counter(personas):
    """Records take their numbers from core.documents' counters, the ones whose concurrency
    test_counters_are_safe_under_concurrent_issuing checks."""
    DocumentCounter.objects.create(
        issuer=REGISTER_ISSUER, kind=Hazard.number_kind(), year=2034, last=41
    )
    with time_machine.travel(beijing(2034, 5, 1, 9, 0), tick=False):
        hazard = report(personas["ent-a"])
    assert hazard.number == "YH2034-0042"


def test_a_failed_creation_gives_its_number_back(personas):
    with time_machine.travel(beijing(2035, 5, 1, 9, 0), tick=False):
        try:
            with transaction.atomic():
                report(personas["ent-a"])
                raise RuntimeError("the request failed after saving")
        except RuntimeError:
            pass
        assert report(personas["ent-a"]).number == "YH2035-0001"


@pytest.mark.django_db(transaction=True)
def test_counters_are_safe_under_concurrent_issuing():
    got: list[int] = []
    errors: list[BaseException] = []

    def issue():
        try:
            for _ in range(5):
                got.extend(reserve_numbers(REGISTER_ISSUER, "tests.concurrent", 2030, 2))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(got) == list(range(1, 61))


def test_search_by_number(personas, client_for):
    with time_machine.travel(beijing(2036, 5, 1, 9, 0), tick=False):
        first = report(personas["ent-a"])
        second = report(personas["ent-a"])
        page = client_for("county").get(reverse("hazards:list"), {"q": "yh2036-2"})
        assert [h.pk for h in page.context["page"].object_list] == [second.pk]
        body = client_for("county").get("/api/v1/hazards/", {"q": first.number}).json()
        assert [item["number"] for item in body["items"]] == ["YH2036-0001"]
        # The enterprise of another town finds nothing by number: still scoped.
        page = client_for("ent-b").get(reverse("hazards:list"), {"q": first.number})
        assert list(page.context["page"].object_list) == []
        item = incident(personas["ent-a"])
        page = client_for("county").get(reverse("incidents:list"), {"q": item.number.lower()})
        assert [i.pk for i in page.context["page"].object_list] == [item.pk]
        assert item.number in page.content.decode()


def _migration(name: str):
    return importlib.import_module(name)


@pytest.mark.parametrize(
    ("module", "model", "date_field", "prefix"),
    [
        ("anlan.hazards.migrations.0009_hazard_number_per_year", Hazard, "found_at", "YH"),
        ("anlan.incidents.migrations.0006_incident_number_per_year", Incident, "occurred_at", "SG"),
    ],
)
def test_the_migration_numbers_existing_records_per_year(
    personas, module, model, date_field, prefix
):
    moments = [
        beijing(2037, 6, 1, 9, 0),
        beijing(2037, 1, 1, 0, 30),  # earlier in the year, made later
        beijing(2036, 12, 31, 23, 30),
        beijing(2037, 6, 1, 9, 0),  # the same moment: by id
    ]
    with time_machine.travel(beijing(2037, 7, 1, 9, 0), tick=False):
        for at in moments:
            if model is Hazard:
                report(personas["ent-a"], found_at=at)
            else:
                incident(personas["ent-a"], occurred_at=at)
    records = list(model.objects.order_by("pk"))
    # A notice that quoted the last record's number as it was made from the id.
    year = register_year(getattr(records[-1], date_field))
    old_number = (
        f"{prefix}{year}{records[-1].pk:07d}"
        if model is Hazard
        else (f"{prefix}{year}{records[-1].pk:06d}")
    )
    notice = Notification.objects.create(
        recipient=personas["county"], key=f"test-old-number-{prefix}", message="hazard.reported",
        params={"number": old_number, "subject": "甲"},
    )  # fmt: skip
    # As the records stood before the migration: no numbers (placeholders here, the column
    # being unique now), no counters.
    for record in records:
        model.objects.filter(pk=record.pk).update(number=f"old-{record.pk}")
    DocumentCounter.objects.filter(issuer=REGISTER_ISSUER, kind=model.number_kind()).delete()

    _migration(module).number_existing(apps, None)

    numbers = dict(model.objects.values_list("pk", "number"))
    by_date = sorted(records, key=lambda r: (getattr(r, date_field), r.pk))
    expected, seen = {}, {}
    for record in by_date:
        year = register_year(getattr(record, date_field))
        seen[year] = seen.get(year, 0) + 1
        expected[record.pk] = format_register_number(prefix, year, seen[year])
    assert numbers == expected
    mine = [numbers[r.pk] for r in records[-4:]]
    assert mine[1] == f"{prefix}2037-0001" and mine[2].startswith(f"{prefix}2036-")
    counters = dict(
        DocumentCounter.objects.filter(
            issuer=REGISTER_ISSUER, kind=model.number_kind()
        ).values_list("year", "last")
    )
    assert counters == seen
    notice.refresh_from_db()
    assert notice.params == {"number": numbers[records[-1].pk], "subject": "甲"}
    # History rows carry their record's number; the next record continues the year.
    history = model.history.filter(id=records[-1].pk).values_list("number", flat=True)
    assert set(history) == {numbers[records[-1].pk]}
    with time_machine.travel(beijing(2037, 7, 1, 9, 0), tick=False):
        if model is Hazard:
            new = report(personas["ent-a"], found_at=beijing(2037, 7, 1, 8, 0))
        else:
            with TestCase.captureOnCommitCallbacks(execute=True):
                new = incident(personas["ent-a"])
    assert new.number == f"{prefix}2037-{seen[2037] + 1:04d}"
