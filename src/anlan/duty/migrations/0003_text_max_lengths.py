# State only (no SQL): the maximum lengths of free-text fields (a TextField's max_length is
# checked by forms and the API, not by the database; SQLite would otherwise rebuild the tables).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('duty', '0002_roster_events'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='dutylogentry',
                    name='action_taken',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='action taken'),
                ),
                migrations.AlterField(
                    model_name='dutylogentry',
                    name='content',
                    field=models.TextField(max_length=2000, verbose_name='content'),
                ),
                migrations.AlterField(
                    model_name='handover',
                    name='notes',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='notes'),
                ),
                migrations.AlterField(
                    model_name='handover',
                    name='open_matters',
                    field=models.TextField(max_length=2000, verbose_name='open matters'),
                ),
                migrations.AlterField(
                    model_name='historicaldutylogentry',
                    name='action_taken',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='action taken'),
                ),
                migrations.AlterField(
                    model_name='historicaldutylogentry',
                    name='content',
                    field=models.TextField(max_length=2000, verbose_name='content'),
                ),
                migrations.AlterField(
                    model_name='historicalhandover',
                    name='notes',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='notes'),
                ),
                migrations.AlterField(
                    model_name='historicalhandover',
                    name='open_matters',
                    field=models.TextField(max_length=2000, verbose_name='open matters'),
                ),
                migrations.AlterField(
                    model_name='historicalroster',
                    name='note',
                    field=models.TextField(blank=True, max_length=1000, verbose_name='note'),
                ),
                migrations.AlterField(
                    model_name='historicalswap',
                    name='reason',
                    field=models.TextField(max_length=1000, verbose_name='reason'),
                ),
                migrations.AlterField(
                    model_name='roster',
                    name='note',
                    field=models.TextField(blank=True, max_length=1000, verbose_name='note'),
                ),
                migrations.AlterField(
                    model_name='rosterevent',
                    name='comment',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='comment'),
                ),
                migrations.AlterField(
                    model_name='swap',
                    name='reason',
                    field=models.TextField(max_length=1000, verbose_name='reason'),
                ),
                migrations.AlterField(
                    model_name='swapevent',
                    name='comment',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='comment'),
                ),
    
            ],
        ),
    ]
