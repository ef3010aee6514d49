# State only (no SQL): the maximum lengths of free-text fields (a TextField's max_length is
# checked by forms and the API, not by the database; SQLite would otherwise rebuild the tables).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('hazards', '0007_located_and_attachment_bases'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='extensionrequest',
                    name='decision_comment',
                    field=models.TextField(blank=True, max_length=1000),
                ),
                migrations.AlterField(
                    model_name='extensionrequest',
                    name='reason',
                    field=models.TextField(max_length=1000, verbose_name='reason'),
                ),
                migrations.AlterField(
                    model_name='hazard',
                    name='assessment',
                    field=models.TextField(blank=True, help_text='Major hazards: who assessed the treatment (experts or a qualified body) and their conclusion.', max_length=2000, verbose_name='assessment after treatment'),
                ),
                migrations.AlterField(
                    model_name='hazard',
                    name='description',
                    field=models.TextField(max_length=2000, verbose_name='description'),
                ),
                migrations.AlterField(
                    model_name='hazard',
                    name='legal_basis',
                    field=models.TextField(blank=True, max_length=1000, verbose_name='legal basis or standard clause'),
                ),
                migrations.AlterField(
                    model_name='hazard',
                    name='measures',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='rectification measures'),
                ),
                migrations.AlterField(
                    model_name='hazard',
                    name='plan_goal',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='goal and tasks'),
                ),
                migrations.AlterField(
                    model_name='hazard',
                    name='plan_organisation',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='organisation and people'),
                ),
                migrations.AlterField(
                    model_name='hazard',
                    name='plan_requirements',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='time limits and requirements'),
                ),
                migrations.AlterField(
                    model_name='hazard',
                    name='plan_resources',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='funds and materials'),
                ),
                migrations.AlterField(
                    model_name='hazard',
                    name='plan_safety_measures',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='safety measures and emergency plan'),
                ),
                migrations.AlterField(
                    model_name='hazard',
                    name='rectification_note',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='rectification result'),
                ),
                migrations.AlterField(
                    model_name='hazard',
                    name='suggested_measures',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='suggested measures'),
                ),
                migrations.AlterField(
                    model_name='hazardevent',
                    name='comment',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='comment'),
                ),
                migrations.AlterField(
                    model_name='historicalextensionrequest',
                    name='decision_comment',
                    field=models.TextField(blank=True, max_length=1000),
                ),
                migrations.AlterField(
                    model_name='historicalextensionrequest',
                    name='reason',
                    field=models.TextField(max_length=1000, verbose_name='reason'),
                ),
                migrations.AlterField(
                    model_name='historicalhazard',
                    name='assessment',
                    field=models.TextField(blank=True, help_text='Major hazards: who assessed the treatment (experts or a qualified body) and their conclusion.', max_length=2000, verbose_name='assessment after treatment'),
                ),
                migrations.AlterField(
                    model_name='historicalhazard',
                    name='description',
                    field=models.TextField(max_length=2000, verbose_name='description'),
                ),
                migrations.AlterField(
                    model_name='historicalhazard',
                    name='legal_basis',
                    field=models.TextField(blank=True, max_length=1000, verbose_name='legal basis or standard clause'),
                ),
                migrations.AlterField(
                    model_name='historicalhazard',
                    name='measures',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='rectification measures'),
                ),
                migrations.AlterField(
                    model_name='historicalhazard',
                    name='plan_goal',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='goal and tasks'),
                ),
                migrations.AlterField(
                    model_name='historicalhazard',
                    name='plan_organisation',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='organisation and people'),
                ),
                migrations.AlterField(
                    model_name='historicalhazard',
                    name='plan_requirements',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='time limits and requirements'),
                ),
                migrations.AlterField(
                    model_name='historicalhazard',
                    name='plan_resources',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='funds and materials'),
                ),
                migrations.AlterField(
                    model_name='historicalhazard',
                    name='plan_safety_measures',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='safety measures and emergency plan'),
                ),
                migrations.AlterField(
                    model_name='historicalhazard',
                    name='rectification_note',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='rectification result'),
                ),
                migrations.AlterField(
                    model_name='historicalhazard',
                    name='suggested_measures',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='suggested measures'),
                ),
                migrations.AlterField(
                    model_name='majorhazardcriterion',
                    name='text',
                    field=models.TextField(max_length=1000, verbose_name='criterion'),
                ),
    
            ],
        ),
    ]
