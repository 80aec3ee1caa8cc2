"""Database triggers that make the audit trail append-only whatever the client.

SQLite: BEFORE UPDATE and BEFORE DELETE triggers that abort the statement.
PostgreSQL: a BEFORE UPDATE OR DELETE row trigger and a BEFORE TRUNCATE statement trigger
raising integrity_constraint_violation (SQLSTATE 23000).

Both raise an integrity error in Django (``django.db.IntegrityError``). Other database
engines are refused: the platform supports SQLite and PostgreSQL only.
"""

from django.db import migrations

from ecplan.audit.triggers import create_triggers, drop_triggers


def forwards(apps, schema_editor):
    create_triggers(schema_editor.connection)


def backwards(apps, schema_editor):
    drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
