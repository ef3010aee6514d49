# State only (no SQL): the maximum lengths of free-text fields (a TextField's max_length is
# checked by forms and the API, not by the database; SQLite would otherwise rebuild the tables).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('risks', '0004_investigation_task_events'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='assessment',
                    name='note',
                    field=models.TextField(blank=True, max_length=1000, verbose_name='note'),
                ),
                migrations.AlterField(
                    model_name='checkresult',
                    name='item',
                    field=models.TextField(max_length=2000, verbose_name='check item'),
                ),
                migrations.AlterField(
                    model_name='checkresult',
                    name='note',
                    field=models.TextField(blank=True, max_length=1000, verbose_name='finding'),
                ),
                migrations.AlterField(
                    model_name='controlmeasure',
                    name='archive_reason',
                    field=models.TextField(blank=True, editable=False, max_length=500, verbose_name='archive reason'),
                ),
                migrations.AlterField(
                    model_name='controlmeasure',
                    name='check_items',
                    field=models.TextField(blank=True, help_text='One item per line; empty: the measure itself is the one item.', max_length=2000, verbose_name='check items'),
                ),
                migrations.AlterField(
                    model_name='controlmeasure',
                    name='description',
                    field=models.TextField(max_length=2000, verbose_name='control measure'),
                ),
                migrations.AlterField(
                    model_name='historicalcontrolmeasure',
                    name='archive_reason',
                    field=models.TextField(blank=True, editable=False, max_length=500, verbose_name='archive reason'),
                ),
                migrations.AlterField(
                    model_name='historicalcontrolmeasure',
                    name='check_items',
                    field=models.TextField(blank=True, help_text='One item per line; empty: the measure itself is the one item.', max_length=2000, verbose_name='check items'),
                ),
                migrations.AlterField(
                    model_name='historicalcontrolmeasure',
                    name='description',
                    field=models.TextField(max_length=2000, verbose_name='control measure'),
                ),
                migrations.AlterField(
                    model_name='historicalriskevent',
                    name='archive_reason',
                    field=models.TextField(blank=True, editable=False, max_length=500, verbose_name='archive reason'),
                ),
                migrations.AlterField(
                    model_name='historicalriskevent',
                    name='factor',
                    field=models.TextField(max_length=2000, verbose_name='hazardous factors'),
                ),
                migrations.AlterField(
                    model_name='historicalriskobject',
                    name='archive_reason',
                    field=models.TextField(blank=True, editable=False, max_length=500, verbose_name='archive reason'),
                ),
                migrations.AlterField(
                    model_name='historicalriskobject',
                    name='description',
                    field=models.TextField(blank=True, max_length=1000, verbose_name='description'),
                ),
                migrations.AlterField(
                    model_name='historicalriskunit',
                    name='archive_reason',
                    field=models.TextField(blank=True, editable=False, max_length=500, verbose_name='archive reason'),
                ),
                migrations.AlterField(
                    model_name='historicalriskunit',
                    name='emergency_actions',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='emergency actions'),
                ),
                migrations.AlterField(
                    model_name='riskevent',
                    name='archive_reason',
                    field=models.TextField(blank=True, editable=False, max_length=500, verbose_name='archive reason'),
                ),
                migrations.AlterField(
                    model_name='riskevent',
                    name='factor',
                    field=models.TextField(max_length=2000, verbose_name='hazardous factors'),
                ),
                migrations.AlterField(
                    model_name='riskobject',
                    name='archive_reason',
                    field=models.TextField(blank=True, editable=False, max_length=500, verbose_name='archive reason'),
                ),
                migrations.AlterField(
                    model_name='riskobject',
                    name='description',
                    field=models.TextField(blank=True, max_length=1000, verbose_name='description'),
                ),
                migrations.AlterField(
                    model_name='riskunit',
                    name='archive_reason',
                    field=models.TextField(blank=True, editable=False, max_length=500, verbose_name='archive reason'),
                ),
                migrations.AlterField(
                    model_name='riskunit',
                    name='emergency_actions',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='emergency actions'),
                ),
                migrations.AlterField(
                    model_name='taskevent',
                    name='comment',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='comment'),
                ),
    
            ],
        ),
    ]
