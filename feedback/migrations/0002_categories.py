"""The eight categories of the Đức Thọ feedback, with default days to answer.

Editable afterwards in the admin; this only seeds them.
"""

from django.db import migrations

CATEGORIES = [
    ("dat-dai", "Đất đai", 30),
    ("tai-nguyen-moi-truong", "Tài nguyên, môi trường", 30),
    ("giai-phong-mat-bang", "Giải phóng mặt bằng", 30),
    ("nong-thon-moi", "Xây dựng nông thôn mới", 20),
    ("an-sinh-xa-hoi", "An sinh xã hội", 15),
    ("an-ninh-trat-tu", "An ninh, trật tự", 10),
    ("xay-dung-dang", "Xây dựng Đảng", 20),
    ("khac", "Khác", 30),
]


def seed(apps, schema_editor):
    Category = apps.get_model("feedback", "Category")
    for order, (code, name, days) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(
            code=code, defaults={"name": name, "default_days": days, "order": order}
        )


def unseed(apps, schema_editor):
    Category = apps.get_model("feedback", "Category")
    Category.objects.filter(code__in=[c[0] for c in CATEGORIES], items__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
