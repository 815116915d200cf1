"""Seed Vietnam's public holidays 2025–2027 and the Mai Sơn quota rules.

Both are data, editable in the admin. Holidays list every day off, weekends
inside a break included, because only holidays move a meeting
(meetings/calendar.py). Tết follows the lunar calendar: 29/01/2025,
17/02/2026, 06/02/2027; Giỗ Tổ Hùng Vương is 10/3 lunar. The extra day of
Quốc khánh, the days around Tết and swapped days are set by a yearly
government notice: 2025 and Tết 2026 follow the published notices; Quốc
khánh 2026 and all of 2027 follow the usual pattern (the day before Tết and
the days after, compensatory days for holidays on a weekend) and should be
checked in the admin when the notice appears.
"""

import datetime

from django.db import migrations


def _days(first, last):
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


D = datetime.date
HOLIDAYS = [
    # 2025
    (D(2025, 1, 1), "Tết Dương lịch"),
    *((d, "Tết Nguyên đán Ất Tỵ (nghỉ Tết)") for d in _days(D(2025, 1, 25), D(2025, 2, 2))),
    (D(2025, 4, 7), "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
    (D(2025, 4, 30), "Ngày Giải phóng miền Nam, thống nhất đất nước"),
    (D(2025, 5, 1), "Ngày Quốc tế Lao động"),
    (D(2025, 5, 2), "Nghỉ hoán đổi (làm bù thứ Bảy 26/04/2025)"),
    (D(2025, 9, 1), "Quốc khánh (ngày nghỉ liền kề)"),
    (D(2025, 9, 2), "Quốc khánh"),
    # 2026
    (D(2026, 1, 1), "Tết Dương lịch"),
    *((d, "Tết Nguyên đán Bính Ngọ (nghỉ Tết)") for d in _days(D(2026, 2, 14), D(2026, 2, 22))),
    (D(2026, 4, 26), "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
    (D(2026, 4, 27), "Nghỉ bù Giỗ Tổ Hùng Vương"),
    (D(2026, 4, 30), "Ngày Giải phóng miền Nam, thống nhất đất nước"),
    (D(2026, 5, 1), "Ngày Quốc tế Lao động"),
    (D(2026, 9, 1), "Quốc khánh (ngày nghỉ liền kề)"),
    (D(2026, 9, 2), "Quốc khánh"),
    # 2027
    (D(2027, 1, 1), "Tết Dương lịch"),
    *((d, "Tết Nguyên đán Đinh Mùi (nghỉ Tết)") for d in _days(D(2027, 2, 5), D(2027, 2, 11))),
    (D(2027, 4, 16), "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
    (D(2027, 4, 30), "Ngày Giải phóng miền Nam, thống nhất đất nước"),
    (D(2027, 5, 1), "Ngày Quốc tế Lao động"),
    (D(2027, 5, 3), "Nghỉ bù Ngày Quốc tế Lao động"),
    (D(2027, 9, 2), "Quốc khánh"),
    (D(2027, 9, 3), "Quốc khánh (ngày nghỉ liền kề)"),
]

# Mai Sơn: district standing committee ≥ 2 visits a year, district executive
# ≥ 3, commune executive ≥ 2. Since 1 July 2025 there is no district level:
# the province-level committees get the same values so the rules still apply.
QUOTA_RULES = [
    ("district", "standing", 2),
    ("district", "executive", 3),
    ("commune", "executive", 2),
    ("province", "standing", 2),
    ("province", "executive", 3),
]


def seed(apps, schema_editor):
    Holiday = apps.get_model("meetings", "Holiday")
    QuotaRule = apps.get_model("meetings", "QuotaRule")
    for date, name in HOLIDAYS:
        Holiday.objects.get_or_create(date=date, defaults={"name": name})
    for organization_kind, seat_kind, visits in QUOTA_RULES:
        QuotaRule.objects.get_or_create(
            organization_kind=organization_kind,
            organization=None,
            seat_kind=seat_kind,
            defaults={"visits_per_year": visits},
        )


def unseed(apps, schema_editor):
    Holiday = apps.get_model("meetings", "Holiday")
    QuotaRule = apps.get_model("meetings", "QuotaRule")
    Holiday.objects.filter(date__in=[date for date, _ in HOLIDAYS]).delete()
    for organization_kind, seat_kind, _ in QUOTA_RULES:
        QuotaRule.objects.filter(
            organization_kind=organization_kind, organization=None, seat_kind=seat_kind
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("meetings", "0003_reminder_log")]

    operations = [migrations.RunPython(seed, unseed)]
