"""A prefix-searchable index on the unit path, for "this unit and all below" (path LIKE 'prefix%').

The path's unique index uses the database's collation, which PostgreSQL cannot use for LIKE 'prefix%';
varchar_pattern_ops can. SQLite needs nothing: its LIKE prefix search is served by the ordinary index.
"""

from django.db import migrations

INDEX = "portal_orgunit_path_prefix"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON portal_orgunit (path varchar_pattern_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0007_handle_kummerkasten"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
