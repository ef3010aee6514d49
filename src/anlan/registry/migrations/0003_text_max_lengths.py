# State only (no SQL): the maximum lengths of free-text fields (a TextField's max_length is
# checked by forms and the API, not by the database; SQLite would otherwise rebuild the tables).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0002_default_supervision_categories'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='enterprise',
                    name='archive_reason',
                    field=models.TextField(blank=True, editable=False, max_length=500, verbose_name='archive reason'),
                ),
                migrations.AlterField(
                    model_name='historicalenterprise',
                    name='archive_reason',
                    field=models.TextField(blank=True, editable=False, max_length=500, verbose_name='archive reason'),
                ),
    
            ],
        ),
    ]
