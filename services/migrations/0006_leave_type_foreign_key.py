# LeaveRequest.leave_type becomes the foreign key (PROTECT) to the record that 0005 filled in.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('services', '0005_leave_types_data'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='leaverequest',
            name='leave_type',
        ),
        migrations.RenameField(
            model_name='leaverequest',
            old_name='leave_type_record',
            new_name='leave_type',
        ),
        migrations.AlterField(
            model_name='leaverequest',
            name='leave_type',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='services.leavetype', verbose_name='type of leave'),
        ),
    ]
