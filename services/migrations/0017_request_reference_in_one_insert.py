"""The database completes a request's reference in the INSERT that files it (services.workflow._reference_prefix).

The portal inserts "KD-<year>-" and the row's own id is appended, six digits at least, before the row is
visible to anyone: one INSERT instead of an INSERT and an UPDATE, and as unique as the id. A reference that
is not exactly such a prefix (test data, imports) is left as it is.
"""

from django.db import migrations

POSTGRESQL_CREATE = r"""
CREATE FUNCTION services_request_reference_complete() RETURNS trigger AS $$
BEGIN
    IF NEW.reference ~ '^KD-[0-9]{4}-$' THEN
        NEW.reference := NEW.reference || CASE WHEN NEW.id < 1000000 THEN lpad(NEW.id::text, 6, '0') ELSE NEW.id::text END;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER services_request_reference BEFORE INSERT ON services_servicerequest
    FOR EACH ROW EXECUTE FUNCTION services_request_reference_complete();
"""
POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS services_request_reference ON services_servicerequest;
DROP FUNCTION IF EXISTS services_request_reference_complete();
"""
# SQLite cannot change NEW in a BEFORE trigger; an AFTER trigger's UPDATE is part of the same statement, and
# SQLite lets one writer at a time, so nobody sees the row with its bare prefix.
SQLITE_CREATE = """
CREATE TRIGGER services_request_reference AFTER INSERT ON services_servicerequest
WHEN NEW.reference GLOB 'KD-[0-9][0-9][0-9][0-9]-'
BEGIN
    UPDATE services_servicerequest SET reference = NEW.reference || printf('%06d', NEW.id) WHERE id = NEW.id;
END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS services_request_reference;"


def _run(schema_editor, statements: dict[str, str]) -> None:
    sql = statements.get(schema_editor.connection.vendor)
    if sql is None:
        raise RuntimeError(f"No reference trigger for the database {schema_editor.connection.vendor}.")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(sql)  # no parameters: the SQL's own % signs stay as they are


def create_trigger(apps, schema_editor) -> None:
    _run(schema_editor, {"postgresql": POSTGRESQL_CREATE, "sqlite": SQLITE_CREATE})


def drop_trigger(apps, schema_editor) -> None:
    _run(schema_editor, {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP})


class Migration(migrations.Migration):

    dependencies = [
        ("services", "0016_kummerkasten_closed_on"),
    ]

    operations = [
        migrations.RunPython(create_trigger, drop_trigger),
    ]
