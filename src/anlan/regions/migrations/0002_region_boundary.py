# The outline of a division (GeoJSON geometry), drawn on the maps; empty for existing rows
# (reversible: removing the field drops the loaded outlines, which the file can reload).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalregion",
            name="boundary",
            field=models.JSONField(blank=True, null=True, verbose_name="boundary"),
        ),
        migrations.AddField(
            model_name="region",
            name="boundary",
            field=models.JSONField(blank=True, null=True, verbose_name="boundary"),
        ),
    ]
