from django.db import migrations, models

from chibo.text import fold


def fill(apps, schema_editor):
    AnsweringBody = apps.get_model("feedback", "AnsweringBody")
    bodies = list(AnsweringBody.objects.only("pk", "name"))
    for body in bodies:
        body.search_name = fold(body.name)
    AnsweringBody.objects.bulk_update(bodies, ["search_name"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0005_search_text_trigram_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="answeringbody",
            name="search_name",
            field=models.CharField(
                db_index=True,
                default="",
                editable=False,
                max_length=200,
                verbose_name="name without accents",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
