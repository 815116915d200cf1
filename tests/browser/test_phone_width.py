"""Every main page of every kind of user fits a 360 px phone (no sideways
scrolling), and the attendance page's cadre switches say what they mean."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from chibo.models import OrganizationKind
from meetings.models import CadreVisit
from meetings.services.minutes import start_minutes
from tests.factories import (
    AssignmentFactory,
    CellFactory,
    CommitteeSeatFactory,
    FeedbackItemFactory,
    MeetingFactory,
    MemberFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Ban-Lech-360px"  # noqa: S105 - a test fixture


@pytest.fixture
def scene():
    """A commune, one cell with a meeting held last week (draft minutes, a
    cadre's visit, a feedback item), and one user of each kind."""
    commune = OrganizationFactory(kind=OrganizationKind.COMMUNE, name="Đảng bộ xã Cò Nòi")
    cell = CellFactory(parent=commune, name="Chi bộ bản Lếch")
    users = {
        kind: UserFactory(username=kind, password=PASSWORD, first_name="Lò Văn", last_name=kind)
        for kind in ("secretary", "cadre", "staff", "answerer", "admin")
    }
    RoleFactory(user=users["secretary"], organization=cell, kind="secretary")
    RoleFactory(user=users["staff"], organization=commune, kind="staff")
    RoleFactory(user=users["admin"], organization=commune, kind="admin")
    RoleFactory(user=users["answerer"], organization=commune, kind="answerer")
    RoleFactory(user=users["cadre"], organization=commune, kind="cadre")
    members = [
        MemberFactory(cell=cell, full_name=name)
        for name in ("Nguyễn Văn Thọ", "Lò Thị Đức", "Quàng Thị Yến")
    ]
    cadre = MemberFactory(cell=cell, full_name="Hoàng Văn Cán", user=users["cadre"])
    CommitteeSeatFactory(member=cadre, organization=commune, kind="executive")
    AssignmentFactory(cadre=cadre, cell=cell)
    AssignmentFactory(cell=cell, cadre__full_name="Vì Thị Vắng")
    held = timezone.now() - datetime.timedelta(days=7)
    meeting = MeetingFactory(
        cell=cell, state="held", period=timezone.localdate(held).replace(day=1), scheduled_at=held
    )
    visit = CadreVisit.objects.create(
        meeting=meeting, cadre=cadre, heard="Đề nghị sửa đường liên thôn."
    )
    minutes = start_minutes(meeting=meeting, by=users["secretary"])
    item = FeedbackItemFactory(meeting=meeting, recorded_by=users["secretary"])
    return {
        "users": users,
        "commune": commune,
        "cell": cell,
        "member": members[0],
        "meeting": meeting,
        "minutes": minutes,
        "visit": visit,
        "item": item,
    }


def pages_of(role: str, s: dict) -> list[str]:
    """The pages a user of `role` works on, beyond the menu's."""
    meeting, item, member = s["meeting"].pk, s["item"].pk, s["member"].pk
    cell = reverse("organization_detail", args=[s["cell"].pk])
    office = [
        cell,
        reverse("assignment_create"),
        reverse("assignment_bulk"),
        reverse("member_import"),
        reverse("organization_import"),
        reverse("organization_edit", args=[s["commune"].pk]),
        reverse("organization_reorganize", args=[s["commune"].pk]),
        reverse("member_detail", args=[member]),
        reverse("feedback_detail", args=[item]),
        reverse("feedback_forward", args=[item]),
    ]
    return [reverse("password_change")] + {
        "secretary": [
            cell,
            reverse("meeting_detail", args=[meeting]),
            reverse("attendance_edit", args=[meeting]),
            reverse("minutes_edit", args=[meeting]),
            reverse("minutes_history", args=[s["minutes"].pk]),
            reverse("meeting_create"),
            reverse("meeting_reschedule", args=[meeting]),
            reverse("member_detail", args=[member]),
            reverse("member_edit", args=[member]),
            reverse("member_create"),
            f"{reverse('feedback_create')}?meeting={meeting}",
            reverse("feedback_detail", args=[item]),
            reverse("feedback_edit", args=[item]),
        ],
        "cadre": [
            cell,
            reverse("meeting_detail", args=[meeting]),
            reverse("visit_edit", args=[meeting]),
            f"{reverse('feedback_create')}?visit={s['visit'].pk}",
            reverse("member_detail", args=[member]),
        ],
        "staff": office,
        "admin": [*office, reverse("meeting_detail", args=[meeting])],
        "answerer": [reverse("organization_detail", args=[s["commune"].pk])],
    }[role]


def wider_than_the_phone(page, role: str, s: dict) -> list[tuple[str, int]]:
    page.goto("/")
    menu = page.eval_on_selector_all(
        "nav a.nav-link[href^='/'], nav a.dropdown-item[href^='/']",
        "links => links.map(a => a.getAttribute('href'))",
    )
    urls = list(dict.fromkeys(["/", *menu, *pages_of(role, s)]))
    wide = []
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, (role, url, response.status)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide.append((url, width))
    assert len(urls) >= 7, urls  # the menu was found
    return wide


@pytest.mark.parametrize("role", ["secretary", "cadre", "staff", "answerer", "admin"])
def test_main_pages_fit_a_360_px_phone(page, sign_in, scene, role):
    sign_in(page, role, PASSWORD)

    assert wider_than_the_phone(page, role, scene) == []


def test_a_cadre_switch_reads_what_it_is_and_the_count_follows(page, sign_in, scene):
    meeting, visit = scene["meeting"], scene["visit"]
    sign_in(page, "secretary", PASSWORD)
    page.goto(reverse("attendance_edit", args=[meeting.pk]))
    came = page.locator(f"label[for='id_cadre_{visit.cadre_id}']")
    switches = page.locator("input.js-cadre")
    away = page.locator("label.form-check-label").filter(has_text="Vì Thị Vắng")
    count = page.locator(".attendance-counts [data-count='cadres']")

    expect(switches).to_have_count(2)
    expect(came).to_have_text("Hoàng Văn Cán · đã dự", use_inner_text=True)
    expect(away).to_have_text("Vì Thị Vắng · không dự", use_inner_text=True)
    expect(count).to_have_text("1")

    came.click()

    expect(came).to_have_text("Hoàng Văn Cán · không dự", use_inner_text=True)
    expect(count).to_have_text("0")
    away.click()
    expect(away).to_have_text("Vì Thị Vắng · đã dự", use_inner_text=True)
    expect(count).to_have_text("1")
