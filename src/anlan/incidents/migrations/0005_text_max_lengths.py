# State only (no SQL): the maximum lengths of free-text fields (a TextField's max_length is
# checked by forms and the API, not by the database; SQLite would otherwise rebuild the tables).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('incidents', '0004_coordinate_validators'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='historicalincident',
                    name='description',
                    field=models.TextField(max_length=2000, verbose_name='what happened'),
                ),
                migrations.AlterField(
                    model_name='historicalincident',
                    name='measures_taken',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='measures taken'),
                ),
                migrations.AlterField(
                    model_name='incident',
                    name='description',
                    field=models.TextField(max_length=2000, verbose_name='what happened'),
                ),
                migrations.AlterField(
                    model_name='incident',
                    name='measures_taken',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='measures taken'),
                ),
                migrations.AlterField(
                    model_name='incidentevent',
                    name='comment',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='comment'),
                ),
                migrations.AlterField(
                    model_name='incidentreport',
                    name='description',
                    field=models.TextField(max_length=2000),
                ),
                migrations.AlterField(
                    model_name='incidentreport',
                    name='measures_taken',
                    field=models.TextField(blank=True, max_length=2000),
                ),
                migrations.AlterField(
                    model_name='incidentreport',
                    name='note',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='note'),
                ),
    
            ],
        ),
    ]
