"""Vietnamese everywhere: the catalogue is complete, every message the code
uses is in it, every field has a translatable label, and the history pages
rendered in Vietnamese show no English word and no bare id."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise

from chibo.models import Organization
from meetings.models import Minutes
from tests.factories import (
    CellFactory,
    MeetingFactory,
    MemberFactory,
    MinutesFactory,
    OrganizationFactory,
    ResolutionTaskFactory,
    RoleFactory,
    SpeechFactory,
    UserFactory,
)

BASE = Path(settings.BASE_DIR)
PO = BASE / "locale/vi/LC_MESSAGES/django.po"
PRODUCT = ["manage.py", "chibo", "members", "meetings", "feedback", "reports", "templates"]
APPS = {"chibo", "members", "meetings", "feedback", "reports"}
# Columns of django-treebeard's materialized path: never shown.
TREE_COLUMNS = {"path", "depth", "numchild"}


def test_compiled_catalog_matches_the_po_file():
    source = polib.pofile(str(PO))
    with PO.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    stale = [
        entry.msgid
        for entry in source.translated_entries()
        if not entry.msgid_plural and compiled.gettext(entry.msgid) != entry.msgstr
    ]

    assert stale == []


def test_every_message_is_translated_to_vietnamese():
    source = polib.pofile(str(PO))

    missing = [entry.msgid for entry in source.untranslated_entries() + source.fuzzy_entries()]

    assert missing == []


def _extract_messages(into: Path) -> polib.POFile:
    """The messages the product's code and templates use, extracted by
    `makemessages` from a copy of the product with an empty catalogue: the
    real .po is never touched."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("xgettext is missing: install gettext", pytrace=False)
        pytest.skip("xgettext is missing: install gettext")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "vendor", "fonts", "migrations")
    for name in PRODUCT:
        source = BASE / name
        if source.is_dir():
            shutil.copytree(source, into / name, ignore=ignore)
        else:
            shutil.copy2(source, into / name)
    (into / "locale/vi/LC_MESSAGES").mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["DJANGO_SETTINGS_MODULE"] = "chibo.settings"
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-location"],
        cwd=into,
        env=env,
        check=True,
        capture_output=True,
    )
    return polib.pofile(str(into / "locale/vi/LC_MESSAGES/django.po"))


def test_every_message_the_code_uses_has_a_vietnamese_entry(tmp_path):
    used = _extract_messages(tmp_path)
    translated = {
        (entry.msgctxt, entry.msgid) for entry in polib.pofile(str(PO)).translated_entries()
    }

    missing = [entry.msgid for entry in used if (entry.msgctxt, entry.msgid) not in translated]

    assert len(used) > 800  # the extraction found the product's messages
    assert missing == []


def test_every_model_field_has_a_translatable_label():
    unlabelled = [
        f"{model.__name__}.{f.name}"
        for model in apps.get_models()
        if model._meta.app_label in APPS and not model.__name__.startswith("Historical")
        for f in model._meta.get_fields()
        if not f.auto_created
        and f.name not in TREE_COLUMNS
        and not isinstance(getattr(f, "verbose_name", None), Promise)
    ]
    unnamed_models = [
        model.__name__
        for model in apps.get_models()
        if model._meta.app_label in APPS and not isinstance(model._meta.verbose_name, Promise)
    ]

    assert unlabelled == []
    assert unnamed_models == []


# The pages, rendered in Vietnamese ---------------------------------------------------------

ENGLISH = re.compile(
    r"\b(Created|Changed|Deleted|Finalized|Finalized at|Finalized by|draft|final|Member"
    r"|open|Minutes|Speech|Task|weekday)\b"
)


def main_text(response) -> str:
    """The text of the page's main part (the footer offers "English" on purpose)."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


@pytest.fixture
def vietnamese(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "vi"
    return client


@pytest.fixture
def finalized(db):
    """Minutes drafted, with a speech and an open task, then finalized by a
    named user: every kind of value the history shows."""
    cell = CellFactory(parent=OrganizationFactory(name="Đảng bộ xã Cò Nòi"), name="Chi bộ bản Lếch")
    secretary = UserFactory(username="bithu", first_name="Lò Văn", last_name="Bình")
    RoleFactory(user=secretary, organization=cell, kind="secretary")
    minutes = MinutesFactory(meeting=MeetingFactory(cell=cell))
    SpeechFactory(minutes=minutes, member=MemberFactory(cell=cell, full_name="Cầm Thị Dung"))
    ResolutionTaskFactory(minutes=minutes, assignee=MemberFactory(cell=cell, full_name="Lò Văn Ân"))
    minutes = Minutes.objects.get(pk=minutes.pk)
    minutes.state, minutes.number, minutes.term = "final", 7, "2025-2030"
    minutes.finalized_at, minutes.finalized_by = timezone.now(), secretary
    minutes.save()
    return minutes, secretary


def test_the_minutes_history_in_vietnamese_has_no_english_and_no_ids(vietnamese, finalized):
    minutes, secretary = finalized
    vietnamese.force_login(secretary)

    text = main_text(vietnamese.get(reverse("minutes_history", args=[minutes.pk])))

    assert ENGLISH.findall(text) == []
    assert "Người hoàn tất — → Lò Văn Bình" in text
    assert "Trạng thái dự thảo → đã hoàn tất" in text
    assert "Kết quả đang thực hiện" in text
    assert "Đảng viên Cầm Thị Dung" in text
    assert f"→ {secretary.pk} " not in text


def test_the_member_history_in_vietnamese_has_no_english(vietnamese, finalized):
    minutes, secretary = finalized
    member = MemberFactory(cell=minutes.meeting.cell, full_name="Quàng Văn Em")
    member.phone = "0912345678"
    member.save()
    vietnamese.force_login(secretary)

    text = main_text(vietnamese.get(reverse("member_detail", args=[member.pk])))

    assert ENGLISH.findall(text) == []
    assert "· Sửa đổi" in text
    assert "· Tạo mới" in text


def test_a_weekday_is_chosen_and_shown_by_name(vietnamese, db):
    staff = UserFactory()
    commune = OrganizationFactory(name="Đảng bộ xã Cò Nòi")
    RoleFactory(user=staff, organization=commune, kind="staff")
    cell = CellFactory(parent=commune, meeting_week=5, meeting_weekday=4)
    vietnamese.force_login(staff)

    form = vietnamese.get(reverse("organization_edit", args=[cell.pk])).content.decode()
    page = main_text(vietnamese.get(reverse("organization_detail", args=[cell.pk])))

    assert '<option value="0">Thứ Hai</option>' in form
    assert '<option value="5" selected>tuần cuối</option>' in form
    assert "Sinh hoạt thường kỳ: Thứ Sáu tuần cuối hằng tháng" in page
    assert "0 = " not in form


def test_a_weekday_out_of_range_is_refused(vietnamese, db):
    staff = UserFactory()
    commune = OrganizationFactory()
    RoleFactory(user=staff, organization=commune, kind="staff")
    cell = CellFactory(parent=commune)
    vietnamese.force_login(staff)

    response = vietnamese.post(
        reverse("organization_edit", args=[cell.pk]),
        {
            "code": cell.code,
            "meeting_day": 3,
            "meeting_week": 2,
            "meeting_weekday": 7,
            "meeting_time": "19:30",
        },
    )

    assert "meeting_weekday" in response.context["form"].errors
    assert Organization.objects.get(pk=cell.pk).meeting_weekday is None
