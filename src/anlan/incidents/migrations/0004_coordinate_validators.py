# State only (no SQL): the coordinate validators of core.models.Located,
# the base these models now share.

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('incidents', '0003_written_report_channel_ungraded_kinds'),
    ]

    # Validators and upload paths live in Python only: nothing to change in the database.
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='historicalincident',
                    name='latitude',
                    field=models.DecimalField(blank=True, decimal_places=6, max_digits=9, null=True, validators=[django.core.validators.MinValueValidator(-90), django.core.validators.MaxValueValidator(90)], verbose_name='latitude'),
                ),
                migrations.AlterField(
                    model_name='historicalincident',
                    name='longitude',
                    field=models.DecimalField(blank=True, decimal_places=6, max_digits=9, null=True, validators=[django.core.validators.MinValueValidator(-180), django.core.validators.MaxValueValidator(180)], verbose_name='longitude'),
                ),
                migrations.AlterField(
                    model_name='incident',
                    name='latitude',
                    field=models.DecimalField(blank=True, decimal_places=6, max_digits=9, null=True, validators=[django.core.validators.MinValueValidator(-90), django.core.validators.MaxValueValidator(90)], verbose_name='latitude'),
                ),
                migrations.AlterField(
                    model_name='incident',
                    name='longitude',
                    field=models.DecimalField(blank=True, decimal_places=6, max_digits=9, null=True, validators=[django.core.validators.MinValueValidator(-180), django.core.validators.MaxValueValidator(180)], verbose_name='longitude'),
                ),
    
            ],
        ),
    ]
