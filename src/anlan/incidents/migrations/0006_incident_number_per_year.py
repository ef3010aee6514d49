"""Incident numbers per year (SG2026-0001), stored, in place of the id.

Until now the number shown was made from the database id (SG2026000042). Each incident now
stores its number, given when it is created from the counters official documents use
(core.models.Numbered): SG, the local year (ANLAN_TIME_ZONE) of its occurrence, and its place
in that year (SG2026-0001).

Existing incidents are numbered per year in the order of (occurred_at, id), the counters set to the
last number of each year, the history rows given their record's number; then the number is made
unique. Notifications that quoted the old number (SG2026000042) quote the new one.
Reversible: going back drops the numbers and the counters (notifications keep the new numbers).
"""

import re

from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

BATCH = 1000
APP, MODEL = "incidents", "Incident"
PREFIX, DATE_FIELD = "SG", "occurred_at"
OLD_NUMBER = re.compile(r"^SG\d{4}(\d{6,})$")  # the id on the old number's last digits
ISSUER, KIND = "anlan", "incidents.incident"


def number_existing(apps, schema_editor):
    """Number every row per local year in (occurred_at, id) order and set the year counters."""
    Model = apps.get_model(APP, MODEL)
    History = apps.get_model(APP, "Historical" + MODEL)
    Counter = apps.get_model("core", "DocumentCounter")
    tz = timezone.get_default_timezone()
    last: dict[int, int] = {}
    after = None  # keyset pagination on (date, id): no offset, no cursor held across updates
    while True:
        rows = Model.objects.order_by(DATE_FIELD, "pk")
        if after is not None:
            moment, pk = after
            rows = rows.filter(
                Q(**{f"{DATE_FIELD}__gt": moment}) | Q(**{DATE_FIELD: moment, "pk__gt": pk})
            )
        batch = list(rows.values_list("pk", DATE_FIELD)[:BATCH])
        if not batch:
            break
        updates = []
        for pk, moment in batch:
            year = timezone.localtime(moment, tz).year
            last[year] = last.get(year, 0) + 1
            updates.append(Model(pk=pk, number=f"{PREFIX}{year}-{last[year]:04d}"))
        Model.objects.bulk_update(updates, ["number"])
        after = batch[-1][1], batch[-1][0]
    for year, n in last.items():
        Counter.objects.update_or_create(issuer=ISSUER, kind=KIND, year=year, defaults={"last": n})
    renumber_notifications(apps, Model)
    # A history row keeps its record's number ("" for a record no longer there).
    record = Model.objects.filter(pk=OuterRef("id")).values("number")[:1]
    History.objects.update(number=Coalesce(Subquery(record), Value("")))


def renumber_notifications(apps, Model):
    """Notifications store their parameters: the old number becomes the record's new one."""
    Notification = apps.get_model("core", "Notification")
    last = 0
    while True:
        rows = list(
            Notification.objects.filter(pk__gt=last, params__has_key="number").order_by("pk")[
                :BATCH
            ]
        )
        if not rows:
            return
        old = {r.pk: OLD_NUMBER.match(str(r.params["number"])) for r in rows}
        ids = {int(m[1]) for m in old.values() if m}
        new = dict(Model.objects.filter(pk__in=ids).values_list("pk", "number"))
        changed = []
        for row in rows:
            match = old[row.pk]
            if match and int(match[1]) in new:
                row.params["number"] = new[int(match[1])]
                changed.append(row)
        Notification.objects.bulk_update(changed, ["params"])
        last = rows[-1].pk


def drop_counters(apps, schema_editor):
    apps.get_model("core", "DocumentCounter").objects.filter(issuer=ISSUER, kind=KIND).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0005_text_max_lengths"),
        ("core", "0002_notification_message"),
    ]

    operations = [
        migrations.AddField(
            model_name="incident",
            name="number",
            field=models.CharField(editable=False, max_length=20, null=True, verbose_name="number"),
        ),
        migrations.AddField(
            model_name="historicalincident",
            name="number",
            field=models.CharField(
                db_index=True, editable=False, max_length=20, null=True, verbose_name="number"
            ),
        ),
        migrations.RunPython(number_existing, drop_counters, elidable=False),
        migrations.AlterField(
            model_name="incident",
            name="number",
            field=models.CharField(
                editable=False, max_length=20, unique=True, verbose_name="number"
            ),
        ),
        migrations.AlterField(
            model_name="historicalincident",
            name="number",
            field=models.CharField(
                db_index=True, editable=False, max_length=20, verbose_name="number"
            ),
        ),
    ]
