# State only (no SQL): the coordinate validators of core.models.Located and the upload path
# of core.models.Attachment (the same folders as before), the bases these models now share.

import anlan.core.models
import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('hazards', '0006_hazard_confirmed_at_and_running_deadlines'),
    ]

    # Validators and upload paths live in Python only: nothing to change in the database.
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='hazard',
                    name='latitude',
                    field=models.DecimalField(blank=True, decimal_places=6, max_digits=9, null=True, validators=[django.core.validators.MinValueValidator(-90), django.core.validators.MaxValueValidator(90)], verbose_name='latitude'),
                ),
                migrations.AlterField(
                    model_name='hazard',
                    name='longitude',
                    field=models.DecimalField(blank=True, decimal_places=6, max_digits=9, null=True, validators=[django.core.validators.MinValueValidator(-180), django.core.validators.MaxValueValidator(180)], verbose_name='longitude'),
                ),
                migrations.AlterField(
                    model_name='hazardphoto',
                    name='image',
                    field=models.ImageField(upload_to=anlan.core.models.attachment_path, verbose_name='photo'),
                ),
                migrations.AlterField(
                    model_name='hazardphoto',
                    name='thumbnail',
                    field=models.ImageField(upload_to=anlan.core.models.attachment_path),
                ),
                migrations.AlterField(
                    model_name='historicalhazard',
                    name='latitude',
                    field=models.DecimalField(blank=True, decimal_places=6, max_digits=9, null=True, validators=[django.core.validators.MinValueValidator(-90), django.core.validators.MaxValueValidator(90)], verbose_name='latitude'),
                ),
                migrations.AlterField(
                    model_name='historicalhazard',
                    name='longitude',
                    field=models.DecimalField(blank=True, decimal_places=6, max_digits=9, null=True, validators=[django.core.validators.MinValueValidator(-180), django.core.validators.MaxValueValidator(180)], verbose_name='longitude'),
                ),
    
            ],
        ),
    ]
