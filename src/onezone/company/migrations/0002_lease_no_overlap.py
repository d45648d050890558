"""On PostgreSQL, the database itself refuses two leases of one asset for overlapping periods.

The service already locks the asset row and checks; this exclusion constraint is a second guard.
It needs the btree_gist extension: where the database user may not create it, the migration
leaves the constraint out and the locked check in ``lease_sign`` stands alone. Other databases
skip it.
"""

from django.db import DatabaseError, migrations, transaction

CONSTRAINT = "company_lease_no_overlap"


def add_constraint(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        except DatabaseError:
            return
        cursor.execute(
            f"ALTER TABLE company_lease ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
            "(asset_id WITH =, daterange(start, COALESCE(terminated_on, \"end\"), '[]') WITH &&)"
        )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE company_lease DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("company", "0001_initial")]

    operations = [migrations.RunPython(add_constraint, drop_constraint)]
