"""Attendance: the roll on the meeting date, the service and the screen."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from chibo.access.roles import forget
from meetings.models import Attendance, CadreVisit, Guest
from meetings.selectors.meeting_page import attendance_sheet, roll_on
from meetings.services.attendance import AttendanceError, Entry, save_attendance
from members.models import TemporaryAttendance, Transfer
from tests.factories import (
    AssignmentFactory,
    CellFactory,
    MeetingFactory,
    MemberFactory,
    MinutesFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
# Session, user, roles, access (3), minutes, the sheet for the form (7), then in
# the service: lock, minutes, the sheet again (7), attendance, one bulk UPDATE
# and its history, guests replaced (2), savepoints (2): the same for any size.
QUERIES_TO_SAVE_ATTENDANCE = 29


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def commune():
    return OrganizationFactory(name="Đảng bộ xã Cò Nòi")


@pytest.fixture
def cell(commune):
    return CellFactory(name="Chi bộ bản Lếch", parent=commune)


@pytest.fixture
def meeting(cell):
    return MeetingFactory(cell=cell, state="planned")


@pytest.fixture
def people(cell):
    """Three official members, one probationary, one exempted."""
    return {
        "an": MemberFactory(cell=cell, full_name="Lò Văn An"),
        "binh": MemberFactory(cell=cell, full_name="Lò Thị Bình"),
        "cuong": MemberFactory(cell=cell, full_name="Cầm Văn Cường"),
        "dung": MemberFactory(
            cell=cell,
            full_name="Quàng Văn Dũng",
            probationary=True,
            joined_on=datetime.date(2025, 8, 1),
        ),
        "ha": MemberFactory(cell=cell, full_name="Lò Thị Hà", exempt=True),
    }


@pytest.fixture
def secretary(cell):
    user = UserFactory(username="bithu", first_name="Lò Văn", last_name="An")
    RoleFactory(user=user, organization=cell, kind="secretary")
    return user


def all_present(people, **overrides):
    entries = []
    for key, member in people.items():
        status = "exempt" if member.is_exempt else "present"
        status, reason = overrides.get(key, (status, ""))
        entries.append(Entry(member.pk, status, reason))
    return entries


# The roll on the meeting date ------------------------------------------------------------


def test_roll_on_follows_joins_departures_and_transfers(cell, meeting):
    day = datetime.date(2026, 2, 5)
    stays = MemberFactory(cell=cell)
    MemberFactory(cell=cell, joined_on=datetime.date(2026, 3, 1), probationary=True)
    MemberFactory(cell=cell, left_on=datetime.date(2026, 1, 10))
    other = CellFactory()
    moved_away_later = MemberFactory(cell=other)
    Transfer.objects.create(
        member=moved_away_later, from_cell=cell, to_cell=other, date=datetime.date(2026, 4, 1)
    )
    came_later = MemberFactory(cell=cell)
    Transfer.objects.create(
        member=came_later, from_cell=other, to_cell=cell, date=datetime.date(2026, 3, 1)
    )
    came_before = MemberFactory(cell=cell)
    Transfer.objects.create(
        member=came_before, from_cell=other, to_cell=cell, date=datetime.date(2025, 3, 1)
    )

    roll = roll_on(cell.pk, day)

    assert sorted(m.pk for m in roll) == sorted([stays.pk, moved_away_later.pk, came_before.pk])


def test_attendance_sheet_counts_official_exempt_and_probationary(meeting, people):
    save_attendance(meeting=meeting, members=all_present(people, cuong=("late", "")), by=None)

    sheet = attendance_sheet(meeting)

    assert sheet.summary() == {
        "roll": 5,
        "expected": 4,
        "present": 3,
        "late": 1,
        "absent_excused": 0,
        "absent_unexcused": 0,
        "exempt": 1,
        "exempt_present": 0,
        "official": 4,
        "probationary": 1,
        "official_members": 3,
        "official_present": 3,
        "temporary_present": 0,
        "cadres": 0,
        "cadres_present": 0,
        "guests": 0,
    }


def test_attendance_sheet_exempt_member_who_comes_votes_and_counts(meeting, people):
    save_attendance(meeting=meeting, members=all_present(people, ha=("present", "")), by=None)

    summary = attendance_sheet(meeting).summary()

    assert (summary["exempt"], summary["exempt_present"], summary["expected"]) == (1, 1, 4)
    assert (summary["official_members"], summary["official_present"]) == (4, 4)


# The service ---------------------------------------------------------------------------


def test_save_attendance_records_every_member_with_history_user(meeting, people, secretary):
    entries = all_present(people, binh=("absent_excused", "Đi làm ăn xa"))

    save_attendance(meeting=meeting, members=entries, by=secretary)

    rows = {
        a.member.full_name: (a.status, a.reason, a.is_temporary)
        for a in Attendance.objects.filter(meeting=meeting)
    }
    assert rows == {
        "Lò Văn An": ("present", "", False),
        "Lò Thị Bình": ("absent_excused", "Đi làm ăn xa", False),
        "Cầm Văn Cường": ("present", "", False),
        "Quàng Văn Dũng": ("present", "", False),
        "Lò Thị Hà": ("exempt", "", False),
    }
    histories = Attendance.history.filter(meeting_id=meeting.pk)
    assert histories.count() == 5
    assert set(histories.values_list("history_user__username", flat=True)) == {"bithu"}


def test_save_attendance_again_updates_only_changed_rows(meeting, people, secretary):
    save_attendance(meeting=meeting, members=all_present(people), by=secretary)

    save_attendance(
        meeting=meeting, members=all_present(people, an=("late", "20 phút")), by=secretary
    )

    an = Attendance.objects.get(meeting=meeting, member=people["an"])
    assert (an.status, an.reason) == ("late", "20 phút")
    assert Attendance.objects.filter(meeting=meeting).count() == 5
    assert Attendance.history.filter(meeting_id=meeting.pk, history_type="~").count() == 1


def test_save_attendance_missing_member_is_refused(meeting, people):
    entries = [e for e in all_present(people) if e.member_id != people["binh"].pk]

    with pytest.raises(AttendanceError) as error:
        save_attendance(meeting=meeting, members=entries, by=None)

    assert error.value.messages == [
        "Choose an attendance for: Lò Thị Bình.",
        "Attendance is not complete: 1 of the 5 members on the roll have no status yet.",
    ]
    assert Attendance.objects.count() == 0


def test_save_attendance_excused_absence_needs_a_reason(meeting, people):
    with pytest.raises(AttendanceError) as error:
        save_attendance(
            meeting=meeting, members=all_present(people, an=("absent_excused", " ")), by=None
        )
    assert error.value.messages == ["Give the reason for Lò Văn An's absence."]


def test_save_attendance_exempt_only_for_exempted_members(meeting, people):
    with pytest.raises(AttendanceError) as error:
        save_attendance(meeting=meeting, members=all_present(people, an=("exempt", "")), by=None)
    assert error.value.messages == [
        "Lò Văn An is not exempted from meetings: choose present or absent."
    ]


def test_save_attendance_member_of_another_cell_is_refused(meeting, people):
    stranger = MemberFactory()
    entries = [*all_present(people), Entry(stranger.pk, "present")]

    with pytest.raises(AttendanceError) as error:
        save_attendance(meeting=meeting, members=entries, by=None)

    assert "A member who is not expected at this meeting was listed." in error.value.messages
    assert "Attendance lists 6 members of the cell but only 5 are on its roll." in (
        error.value.messages
    )


def test_save_attendance_temporary_members_cadres_and_guests(meeting, people, secretary, cell):
    visitor = MemberFactory(full_name="Sầm Văn Khách")
    TemporaryAttendance.objects.create(
        member=visitor, host_cell=cell, starts_on=datetime.date(2025, 10, 1)
    )
    cadre = AssignmentFactory(cell=cell, cadre__full_name="Hoàng Văn Cán").cadre
    absent_cadre = AssignmentFactory(cell=cell).cadre

    save_attendance(
        meeting=meeting,
        members=all_present(people),
        temporary=[Entry(visitor.pk, "present")],
        cadres={cadre.pk: True, absent_cadre.pk: False},
        guests=[("Trưởng bản Lò Văn Minh", "Trưởng bản"), ("  ", "ignored")],
        by=secretary,
    )

    temporary = Attendance.objects.get(meeting=meeting, member=visitor)
    assert (temporary.status, temporary.is_temporary) == ("present", True)
    assert list(CadreVisit.objects.filter(meeting=meeting).values_list("cadre_id", "attended")) == [
        (cadre.pk, True)
    ]
    assert list(Guest.objects.filter(meeting=meeting).values_list("name", "title")) == [
        ("Trưởng bản Lò Văn Minh", "Trưởng bản")
    ]
    sheet = attendance_sheet(meeting)
    assert [r.member.pk for r in sheet.temporary] == [visitor.pk]
    assert sheet.summary()["temporary_present"] == 1
    assert sheet.summary()["cadres_present"] == 1
    # Members in temporary attendance do not vote here.
    assert sheet.official_present == 3


def test_save_attendance_cadre_unticked_keeps_their_report(meeting, people, cell):
    cadre = AssignmentFactory(cell=cell).cadre
    visit = CadreVisit.objects.create(meeting=meeting, cadre=cadre, reported="Báo cáo tình hình")

    save_attendance(meeting=meeting, members=all_present(people), cadres={cadre.pk: False}, by=None)

    visit.refresh_from_db()
    assert (visit.attended, visit.reported) == (False, "Báo cáo tình hình")


def test_save_attendance_refused_when_minutes_are_final(meeting, people):
    MinutesFactory(meeting=meeting, state="final")

    with pytest.raises(AttendanceError) as error:
        save_attendance(meeting=meeting, members=all_present(people), by=None)

    assert error.value.messages == [
        "The minutes of this meeting are final: amend them to correct the attendance."
    ]


# The screen --------------------------------------------------------------------------


def form_data(people, **overrides) -> dict:
    data = {
        "guests-TOTAL_FORMS": "1",
        "guests-INITIAL_FORMS": "0",
        "guests-0-name": "",
        "guests-0-title": "",
    }
    for entry in all_present(people, **overrides):
        data[f"status_{entry.member_id}"] = entry.status
        data[f"reason_{entry.member_id}"] = entry.reason
    return data


def test_attendance_edit_shows_every_member_as_big_buttons(client, meeting, people, secretary):
    client.force_login(secretary)

    response = client.get(reverse("attendance_edit", args=[meeting.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    for member in people.values():
        assert member.full_name in html
    assert html.count('class="btn-check js-status"') == 4 * 4 + 3
    assert f'id="id_status_{people["ha"].pk}_0" required checked' in html


def test_attendance_edit_post_saves_and_redirects(client, meeting, people, secretary):
    client.force_login(secretary)

    response = client.post(
        reverse("attendance_edit", args=[meeting.pk]),
        form_data(people, cuong=("absent_unexcused", "")),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("meeting_detail", args=[meeting.pk])
    assert Attendance.objects.get(meeting=meeting, member=people["cuong"]).status == (
        "absent_unexcused"
    )


def test_attendance_edit_post_missing_reason_shows_error(client, meeting, people, secretary):
    client.force_login(secretary)

    response = client.post(
        reverse("attendance_edit", args=[meeting.pk]),
        form_data(people, an=("absent_excused", "")),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "Give the reason for Lò Văn An&#x27;s absence." in response.content.decode()
    assert Attendance.objects.count() == 0


@pytest.mark.parametrize("size", [10, 40])
def test_attendance_edit_post_constant_queries(
    client, cell, meeting, secretary, size, django_assert_num_queries
):
    members = MemberFactory.create_batch(size, cell=cell)
    client.force_login(secretary)
    url = reverse("attendance_edit", args=[meeting.pk])
    data = {"guests-TOTAL_FORMS": "1", "guests-INITIAL_FORMS": "0", "guests-0-name": "Khách"}
    data.update({f"status_{m.pk}": "present" for m in members})
    client.post(url, data)  # first save creates; the second updates every row
    data.update({f"status_{m.pk}": "late" for m in members})

    with django_assert_num_queries(QUERIES_TO_SAVE_ATTENDANCE):
        response = client.post(url, data)

    assert response.status_code == 302
    assert Attendance.objects.filter(meeting=meeting, status="late").count() == size


@pytest.mark.parametrize(
    ("role", "status"), [("other_secretary", 404), ("staff", 403), ("cadre", 403)]
)
def test_attendance_edit_access(client, commune, cell, meeting, role, status):
    user = UserFactory()
    if role == "other_secretary":
        RoleFactory(user=user, organization=CellFactory(), kind="secretary")
    elif role == "staff":
        RoleFactory(user=user, organization=commune, kind="staff")
    else:
        cadre = MemberFactory(user=user)
        AssignmentFactory(cadre=cadre, cell=cell)
        RoleFactory(user=user, organization=commune, kind="cadre")
    forget(user)
    client.force_login(user)

    response = client.get(reverse("attendance_edit", args=[meeting.pk]))

    assert response.status_code == status


def test_attendance_edit_final_minutes_redirects_with_message(client, meeting, people, secretary):
    MinutesFactory(meeting=meeting, state="final")
    client.force_login(secretary)

    response = client.get(
        reverse("attendance_edit", args=[meeting.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.redirect_chain == [(reverse("meeting_detail", args=[meeting.pk]), 302)]
    assert (
        "The minutes of this meeting are final: amend them to correct the attendance."
        in response.content.decode()
    )
