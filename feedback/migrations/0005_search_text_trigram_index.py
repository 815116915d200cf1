"""A trigram index for the feedback search and the similar-item look-up
(`search_text` contains / resembles the folded words), on PostgreSQL only."""

from django.db import migrations

INDEX = "feedback_item_search_text_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON feedback_feedbackitem "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("feedback", "0004_list_order_indexes")]

    operations = [migrations.RunPython(create, drop)]
