# Leave types, occasions (TVöD §29) and municipal days off as records; LeaveRequest gets the new foreign keys
# beside the old code column, which 0005 maps and 0006 removes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('services', '0003_leave_cancellation_calendar_feed'),
    ]

    operations = [
        migrations.CreateModel(
            name='LeaveType',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(help_text='A stable key, e.g. annual.', max_length=32, unique=True, verbose_name='code')),
                ('name_de', models.CharField(max_length=100, verbose_name='name (German)')),
                ('name_en', models.CharField(blank=True, max_length=100, verbose_name='name (English)')),
                ('deducts_from_balance', models.BooleanField(default=False, verbose_name='counts against the annual leave')),
                ('half_days_allowed', models.BooleanField(default=True, verbose_name='half days allowed')),
                ('attachment_required', models.BooleanField(default=False, verbose_name='proof must be attached')),
                ('requires_occasion', models.BooleanField(default=False, help_text='For paid time off for an occasion (TVöD §29).', verbose_name='an occasion must be chosen')),
                ('max_days', models.DecimalField(blank=True, decimal_places=1, max_digits=5, null=True, verbose_name='at most days per request')),
                ('active', models.BooleanField(default=True, verbose_name='offered')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
            ],
            options={
                'verbose_name': 'type of leave',
                'verbose_name_plural': 'types of leave',
                'ordering': ['order', 'code'],
                'constraints': [models.CheckConstraint(condition=models.Q(('max_days__isnull', True), ('max_days__gt', 0), _connector='OR'), name='leave_type_max_days_positive')],
            },
        ),
        migrations.CreateModel(
            name='LeaveOccasion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=40, unique=True, verbose_name='code')),
                ('name_de', models.CharField(max_length=200, verbose_name='name (German)')),
                ('name_en', models.CharField(blank=True, max_length=200, verbose_name='name (English)')),
                ('legal_reference', models.CharField(blank=True, help_text='E.g. TVöD §29 (1) a.', max_length=60, verbose_name='legal reference')),
                ('max_days', models.DecimalField(blank=True, decimal_places=1, help_text='Empty: as much as needed.', max_digits=4, null=True, verbose_name='at most working days')),
                ('per_calendar_year', models.BooleanField(default=False, verbose_name='limit per calendar year')),
                ('active', models.BooleanField(default=True, verbose_name='offered')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
            ],
            options={
                'verbose_name': 'occasion for paid time off',
                'verbose_name_plural': 'occasions for paid time off',
                'ordering': ['order', 'code'],
            },
        ),
        migrations.CreateModel(
            name='MunicipalDayOff',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(unique=True, verbose_name='date')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('half_day', models.BooleanField(default=False, help_text='Only the afternoon is off, e.g. on 24 and 31 December.', verbose_name='half day only')),
            ],
            options={
                'verbose_name': 'municipal day off',
                'verbose_name_plural': 'municipal days off',
                'ordering': ['date'],
            },
        ),
        migrations.RemoveConstraint(
            model_name='leaverequest',
            name='leave_type_valid',
        ),
        migrations.AddField(
            model_name='leaverequest',
            name='leave_type_record',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='services.leavetype', verbose_name='type of leave'),
        ),
        migrations.AddField(
            model_name='leaverequest',
            name='occasion',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='services.leaveoccasion', verbose_name='occasion'),
        ),
    ]
