"""The admin in Vietnamese: no column header or field label of chibo's models
reads the same as in English (that would be an untranslated label)."""

import datetime
import re

import pytest
from django.contrib import admin
from django.urls import reverse

from chibo.models import Notification
from feedback.models import FeedbackEvent
from meetings.models import CadreVisit
from members.models import TemporaryAttendance, Transfer
from tests.factories import (
    AnsweringBodyFactory,
    AssignmentFactory,
    CellFactory,
    CommitteeSeatFactory,
    FeedbackItemFactory,
    MeetingFactory,
    MemberFactory,
    OrganizationFactory,
    PositionFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
APPS = {"chibo", "members", "meetings", "feedback"}
# The same in both languages on purpose.
SAME_IN_BOTH = {"ID", "PDF"}


@pytest.fixture
def one_of_each():
    """A row of every model the admin lists, so each list shows its columns."""
    commune = OrganizationFactory(name="Đảng bộ xã Cò Nòi")
    cell = CellFactory(parent=commune, name="Chi bộ bản Lếch")
    other = CellFactory(parent=commune, name="Chi bộ bản Hẹo")
    user = UserFactory(username="bithu")
    RoleFactory(user=user, organization=cell, kind="secretary")
    member = MemberFactory(cell=cell)
    PositionFactory(member=member)
    CommitteeSeatFactory(member=member, organization=commune)
    TemporaryAttendance.objects.create(
        member=member, host_cell=other, starts_on=datetime.date(2026, 1, 1)
    )
    Transfer.objects.create(
        member=MemberFactory(cell=other), from_cell=cell, to_cell=other, date=datetime.date.today()
    )
    AssignmentFactory(cell=cell, cadre=member)
    meeting = MeetingFactory(cell=cell)
    CadreVisit.objects.create(meeting=meeting, cadre=member, updated_by=user)
    AnsweringBodyFactory(organization=commune)
    item = FeedbackItemFactory(meeting=meeting, recorded_by=user)
    FeedbackEvent.objects.create(item=item, action="record", to_state="new", by=user)
    Notification.objects.create(recipient=user, kind="feedback_forwarded", key="one", params={})


def labels(client, language: str) -> dict[str, set[str]]:
    """Column headers of every list, field labels of every change page."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    found = {}
    for model in admin.site._registry:
        if model._meta.app_label not in APPS:
            continue
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages = [reverse(f"{name}_changelist")]
        first = model._default_manager.first()
        assert first is not None, model  # the fixture left a model out
        pages.append(reverse(f"{name}_change", args=[first.pk]))
        texts = set()
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            head = re.search(r"<thead>(.*?)</thead>", html, re.S)
            cells = re.findall(r"<th[^>]*>(.*?)</th>", head.group(1), re.S) if head else []
            cells += re.findall(r"<label[^>]*>(.*?)</label>", html, re.S)
            texts |= {re.sub(r"<[^>]+>|:|\s+", " ", c).strip() for c in cells}
        found[model.__name__] = texts - {""}
    return found


def test_no_admin_label_is_left_in_english(client, one_of_each):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    vietnamese, english = labels(client, "vi"), labels(client, "en")

    untranslated = {
        model: sorted(vietnamese[model] & english[model] - SAME_IN_BOTH)
        for model in vietnamese
        if vietnamese[model] & english[model] - SAME_IN_BOTH
    }
    assert untranslated == {}
    assert "Người cập nhật" in vietnamese["CadreVisit"]
    assert "Thao tác" in vietnamese["FeedbackItem"]
