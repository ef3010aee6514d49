"""Notifications store a message key and parameters instead of text (core/messages.py).

Rows written before keep their stored text as the parameters of the ``core.stored_text``
message, which shows it as it was; then the text columns go. Reversible: going back restores the
stored text (newer rows get their message key).
"""

from django.db import migrations, models

BATCH = 1000


def text_to_params(apps, schema_editor):
    Notification = apps.get_model("core", "Notification")
    last = 0
    while True:
        rows = list(Notification.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not rows:
            return
        for row in rows:
            row.message = "core.stored_text"
            row.params = {"title": row.title, "body": row.body}
        Notification.objects.bulk_update(rows, ["message", "params"])
        last = rows[-1].pk


def params_to_text(apps, schema_editor):
    """Rows from before get their text back; newer rows get their message key as title (the
    older code cannot render them)."""
    Notification = apps.get_model("core", "Notification")
    last = 0
    while True:
        rows = list(Notification.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not rows:
            return
        for row in rows:
            if row.message == "core.stored_text":
                row.title, row.body = row.params["title"], row.params["body"]
            else:
                row.title, row.body = row.message, ""
        Notification.objects.bulk_update(rows, ["title", "body"])
        last = rows[-1].pk


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="message",
            field=models.CharField(default="core.stored_text", max_length=100, verbose_name="message"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name="notification",
            name="title",
            field=models.CharField(blank=True, max_length=200, verbose_name="title"),
        ),
        migrations.RunPython(text_to_params, params_to_text),
        migrations.RemoveField(model_name="notification", name="title"),
        migrations.RemoveField(model_name="notification", name="body"),
    ]
