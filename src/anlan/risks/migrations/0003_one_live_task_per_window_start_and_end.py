from django.db import migrations, models
from django.db.migrations.exceptions import IrreversibleError
from django.db.models import Count, Q

# A task's window is its start and its end (issue 10 point 4): a new schedule's first window can
# start where a finished task of the old schedule started (hourly 12–13 missed, then every 12
# hours from 13:10: 12–24). With the start alone in the constraint the job's insert was dropped
# and the window left without a task. The new constraint is weaker than the old one, so existing
# rows always satisfy it.


def refuse_overlapping_windows(apps, schema_editor):
    """Rolling back restores one live task per (measure, frequency, start): refused, with the
    reason, once two live tasks share a start with different ends."""
    task = apps.get_model("risks", "InvestigationTask")
    doubles = (
        task.objects.exclude(state="cancelled")
        .values("measure", "frequency", "window_start")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    if doubles.exists():
        raise IrreversibleError(
            "Some measures have two live investigation tasks starting at the same time (a "
            "change of hours); the old constraint (one per start) cannot be restored."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("risks", "0002_investigation_frequencies_as_data"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="investigationtask",
            name="one_live_task_per_window",
        ),
        migrations.RunPython(migrations.RunPython.noop, refuse_overlapping_windows),
        migrations.AddConstraint(
            model_name="investigationtask",
            constraint=models.UniqueConstraint(
                condition=~Q(state="cancelled"),
                fields=("measure", "frequency", "window_start", "window_end"),
                name="one_live_task_per_window",
            ),
        ),
    ]
