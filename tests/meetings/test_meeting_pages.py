"""Every page of a meeting, before and after its minutes are final, when the
minutes hold every optional shape (issue 7, item 2): a guest speaker (a name
typed by hand, no member), a task without an assignee or deadline, an empty
resolution text, a member absent, and an assigned cadre who did not attend."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meetings.models import Minutes
from meetings.services.attendance import Entry, save_attendance
from meetings.services.finalize import finalize_minutes
from meetings.services.minutes import SpeechData, TaskData, save_minutes, start_minutes
from tests.factories import (
    AssignmentFactory,
    CellFactory,
    MeetingFactory,
    MemberFactory,
    OrganizationFactory,
    PositionFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]

GUEST = "Ông Lường Văn Ơn, trưởng bản"
GUEST_TEXT = "Đề nghị chi bộ vận động làm đường nội đồng."
TASK = "Sửa đường nội đồng trước mùa mưa"


def user_with(kind, organization, username):
    user = UserFactory(username=username)
    RoleFactory(user=user, organization=organization, kind=kind)
    return user


@pytest.fixture
def world():
    commune = OrganizationFactory(name="Đảng bộ xã Cò Nòi", place_name="Cò Nòi")
    cell = CellFactory(parent=commune, name="Chi bộ bản Lếch")
    elsewhere = CellFactory(parent=commune, name="Chi bộ bản Nà Sản")
    chair = MemberFactory(cell=cell, full_name="Lò Văn An")
    PositionFactory(member=chair, kind="secretary")
    taker = MemberFactory(cell=cell, full_name="Quàng Thị Bình")
    speaker = MemberFactory(cell=cell, full_name="Cà Văn Cường")
    absent = MemberFactory(cell=cell, full_name="Tòng Văn Dũng")
    cadres = {}
    for key, name in (("came", "Cầm Văn Thưởng"), ("away", "Hoàng Thị Vắng")):
        user = user_with("cadre", commune, f"cadre-{key}")
        cadres[key] = MemberFactory(cell=elsewhere, full_name=name, user=user)
        AssignmentFactory(cadre=cadres[key], cell=cell, starts_on=datetime.date(2025, 1, 1))
    secretary = user_with("secretary", cell, "bithu")
    meeting = MeetingFactory(cell=cell, state="planned")
    save_attendance(
        meeting=meeting,
        members=[
            Entry(chair.pk, "present"),
            Entry(taker.pk, "present"),
            Entry(speaker.pk, "present"),
            Entry(absent.pk, "absent_excused", "Đi làm ăn xa"),
        ],
        cadres={cadres["came"].pk: True},  # the other assigned cadre did not come
        guests=[("Lường Văn Ơn", "Trưởng bản")],
        by=secretary,
    )
    minutes = start_minutes(meeting=meeting, by=secretary)
    save_minutes(
        minutes=minutes,
        version=minutes.version,
        content={
            "chair_id": chair.pk,
            "minute_taker_id": taker.pk,
            "started_at": meeting.scheduled_at,
            "ended_at": meeting.scheduled_at + datetime.timedelta(minutes=100),
            "resolution": "",  # the resolution is its one task
            "votes_for": 3,
            "votes_against": 0,
            "votes_abstain": 0,
            "read_back_adopted": True,
        },
        speeches=[
            SpeechData(text=GUEST_TEXT, speaker_name=GUEST),
            SpeechData(text="Nhất trí.", member_id=speaker.pk),
        ],
        tasks=[TaskData(title=TASK)],  # nobody assigned, no deadline
        by=secretary,
    )
    return {"meeting": meeting, "secretary": secretary, "cadres": cadres}


def pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def get(client, user, name, *args):
    client.force_login(user)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, (name, response.status_code)
    return response


def html(client, user, name, *args) -> str:
    return get(client, user, name, *args).content.decode()


def assert_pages(client, world, minutes):
    """Every page of the meeting renders, and shows each optional shape as it should."""
    meeting, secretary = world["meeting"], world["secretary"]
    came, away = world["cadres"]["came"], world["cadres"]["away"]

    page = html(client, secretary, "meeting_detail", meeting.pk)
    assert f'<li class="mb-2"><b>{GUEST}:</b> {GUEST_TEXT}</li>' in page
    assert '<li class="mb-2"><b>Cà Văn Cường:</b> Nhất trí.</li>' in page
    assert TASK in page
    assert "Tòng Văn Dũng: absent with reason – Đi làm ăn xa" in page
    assert "Cầm Văn Thưởng" in page and "Hoàng Thị Vắng" not in page

    history = html(client, secretary, "minutes_history", minutes.pk)
    assert GUEST in history and TASK in history

    pdf = get(client, secretary, "minutes_pdf", minutes.pk)
    text = pdf_text(pdf.content)
    assert f"{GUEST}: {GUEST_TEXT}" in text
    assert "Đồng chí Cà Văn Cường: Nhất trí." in text
    assert f"Nghị quyết tháng tới … Nhiệm vụ cụ thể: {TASK}. " in text
    assert "Vắng có lý do: 1 đồng chí (Tòng Văn Dũng – Đi làm ăn xa)." in text
    assert "Đồng chí Cầm Văn Thưởng" in text and "Hoàng Thị Vắng" not in text

    readback = html(client, secretary, "feedback_readback", meeting.pk)
    assert "No answer is waiting to be read back to this cell." in readback
    listing = html(client, secretary, "meeting_list")
    assert reverse("meeting_detail", args=[meeting.pk]) in listing
    for cadre in (came, away):
        visit = html(client, cadre.user, "visit_edit", meeting.pk)
        assert "Chi bộ bản Lếch" in visit
        assert "Chi bộ bản Lếch" in html(client, cadre.user, "cadre_home")
    assert "Chi bộ bản Lếch" in html(client, came.user, "meeting_detail", meeting.pk)
    return page, text


def test_every_page_of_a_draft_with_every_optional_shape(client, world):
    meeting, secretary = world["meeting"], world["secretary"]
    minutes = Minutes.objects.get(meeting=meeting)

    page, text = assert_pages(client, world, minutes)

    # The draft's own body: the task with nobody and no date, the vote adopted.
    assert (
        f'<li class="list-group-item">{TASK}<br><small class="text-body-secondary">— · due —'
        "</small></li>"
    ) in page
    assert '<span class="badge text-bg-success">adopted</span>' in page
    assert "DỰ THẢO" in text
    editor = html(client, secretary, "minutes_edit", meeting.pk)
    assert f'value="{GUEST}"' in editor
    assert TASK in editor
    attendance = html(client, secretary, "attendance_edit", meeting.pk)
    assert "Hoàng Thị Vắng" in attendance and "Lường Văn Ơn" in attendance
    assert "Chi bộ bản Lếch" in html(client, secretary, "meeting_reschedule", meeting.pk)


def test_every_page_of_final_minutes_with_every_optional_shape(
    client, world, django_capture_on_commit_callbacks
):
    meeting, secretary = world["meeting"], world["secretary"]
    with django_capture_on_commit_callbacks(execute=True):
        minutes = finalize_minutes(
            minutes=Minutes.objects.get(meeting=meeting), by=world["secretary"]
        )

    page, text = assert_pages(client, world, minutes)

    # Final minutes show their snapshot: the same shapes, as printed.
    assert (
        f'<li class="list-group-item">{TASK}<br><small class="text-body-secondary">— · due —'
        "</small></li>"
    ) in page
    assert minutes.snapshot["speeches"][0] == {"speaker": GUEST, "label": GUEST, "text": GUEST_TEXT}
    assert minutes.snapshot["tasks"] == [
        {"title": TASK, "assignee": "", "due_on": None, "due_on_text": ""}
    ]
    assert "DỰ THẢO" not in text
    assert "Nghị quyết được thông qua" in text
    client.force_login(secretary)
    # The editor and the attendance of final minutes send back to the meeting's page.
    for name in ("minutes_edit", "attendance_edit"):
        response = client.get(reverse(name, args=[meeting.pk]))
        assert response.status_code == 302
        assert response["Location"] == reverse("meeting_detail", args=[meeting.pk])
    assert timezone.localdate(meeting.scheduled_at) == datetime.date(2026, 2, 5)
