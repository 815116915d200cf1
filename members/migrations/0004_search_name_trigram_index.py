"""A trigram index for the member search (`search_name` contains the folded
words), on PostgreSQL only: a LIKE '%...%' cannot use the b-tree, so without
it a rare name scans every member of the scope. SQLite needs nothing."""

from django.db import migrations

INDEX = "members_member_search_name_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_member "
        "USING gin (search_name gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("members", "0003_field_labels")]

    operations = [migrations.RunPython(create, drop)]
