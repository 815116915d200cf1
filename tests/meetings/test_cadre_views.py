"""Assignment pages (office staff), the cadre's page, visits, quotas, and the
dashboard's meeting widgets.

Tree:  P ─┬─ A (commune Liên Khê) ─┬─ A1, A2, A3 (cells)
          └─ B (commune) ── B1 (cell)
Staff sit on A (and another staff on B). The cadre has an executive seat on A
and is assigned to A1; a second cadre is assigned to A1 too.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from chibo import access
from meetings import calendar
from meetings.models import Assignment, CadreVisit
from tests.factories import (
    AssignmentFactory,
    CellFactory,
    CommitteeSeatFactory,
    MeetingFactory,
    MemberFactory,
    MinutesFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def in_days(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def meeting_at(cell, when, state="planned", kind="extraordinary", **kwargs):
    return MeetingFactory(
        cell=cell,
        state=state,
        kind=kind,
        period=timezone.localdate(when).replace(day=1),
        scheduled_at=when,
        **kwargs,
    )


def user_with(kind, organization):
    user = UserFactory()
    RoleFactory(user=user, organization=organization, kind=kind)
    return user


@pytest.fixture
def world():
    p = OrganizationFactory(kind="province", name="Đảng bộ tỉnh Bắc Ninh")
    a = OrganizationFactory(parent=p, name="Đảng bộ xã Liên Khê")
    b = OrganizationFactory(parent=p, name="Đảng bộ xã Lưu Kiếm")
    orgs = {
        "P": p,
        "A": a,
        "B": b,
        "A1": CellFactory(parent=a, name="Chi bộ thôn Đông"),
        "A2": CellFactory(parent=a, name="Chi bộ thôn Tây"),
        "A3": CellFactory(parent=a, name="Chi bộ thôn Nam"),
        "B1": CellFactory(parent=b, name="Chi bộ thôn Bắc"),
    }
    return orgs


SINCE_2025 = D(2025, 1, 1)


def make_cadre(orgs, cell="A1", *, seat="executive", starts_on=SINCE_2025):
    user = UserFactory()
    member = MemberFactory(cell=orgs["A2"], user=user)
    CommitteeSeatFactory(member=member, organization=orgs["A"], kind=seat)
    RoleFactory(user=user, organization=orgs["A"], kind="cadre")
    if cell:
        AssignmentFactory(cadre=member, cell=orgs[cell], starts_on=starts_on)
    return user, member


@pytest.fixture
def cadre(world, client):
    user, member = make_cadre(world)
    client.force_login(user)
    return member


@pytest.fixture
def staff(world, client):
    user = user_with("staff", world["A"])
    client.force_login(user)
    return user


# --- the cadre's page -------------------------------------------------------------


def test_cadre_home_lists_upcoming_meetings_of_assigned_cells(client, world, cadre):
    soon = meeting_at(world["A1"], in_days(10))
    meeting_at(world["A1"], in_days(70))  # beyond 60 days
    meeting_at(world["A1"], in_days(12), state="cancelled")
    meeting_at(world["A2"], in_days(5))  # not assigned
    done = meeting_at(world["A1"], in_days(-20), state="held")
    unrecorded = meeting_at(world["A1"], in_days(-10), state="held")
    CadreVisit.objects.create(meeting=done, cadre=cadre)

    response = client.get(reverse("cadre_home"))

    assert [m.pk for m in response.context["upcoming"]] == [soon.pk]
    assert [m.pk for m in response.context["unrecorded"]] == [unrecorded.pk]
    assert [c.name for c in response.context["cells"]] == ["Chi bộ thôn Đông"]
    assert reverse("visit_edit", args=[unrecorded.pk]) in response.content.decode()


def test_cadre_home_shows_quota_progress(client, world, cadre):
    for days in (-30, -60):
        m = meeting_at(world["A1"], in_days(days), state="held")
        CadreVisit.objects.create(meeting=m, cadre=cadre)
    year = timezone.localdate().year
    counted = sum(1 for days in (-30, -60) if timezone.localdate(in_days(days)).year == year)

    response = client.get(reverse("cadre_home"))

    progress = response.context["progress"]
    assert (progress.done, progress.quota) == (counted, 2)


def test_cadre_home_leaves_out_meetings_held_before_the_assignment(client, world):
    user, member = make_cadre(world, starts_on=timezone.localdate() - datetime.timedelta(days=5))
    client.force_login(user)
    meeting_at(world["A1"], in_days(-10), state="held")

    response = client.get(reverse("cadre_home"))

    assert list(response.context["unrecorded"]) == []


def test_cadre_home_for_a_secretary_is_403(client, world):
    client.force_login(user_with("secretary", world["A1"]))

    assert client.get(reverse("cadre_home")).status_code == 403


@pytest.mark.parametrize("n", [1, 5])
def test_cadre_home_query_count_is_constant(client, world, cadre, django_assert_num_queries, n):
    for i in range(n):
        meeting_at(world["A1"], in_days(i + 1))
        meeting_at(world["A1"], in_days(-i - 1), state="held")

    with django_assert_num_queries(15):
        response = client.get(reverse("cadre_home"))

    assert len(response.context["upcoming"]) == n


# --- visits ------------------------------------------------------------------------


def post_visit(client, meeting, **data):
    data = {"attended": "on", "reported": "", "heard": "", **data}
    return client.post(reverse("visit_edit", args=[meeting.pk]), data)


def test_cadre_records_a_visit(client, world, cadre):
    meeting = meeting_at(world["A1"], in_days(-3), state="held")

    response = post_visit(
        client,
        meeting,
        reported="Kết quả tháng 10 của xã; kế hoạch tháng 11",
        heard="Đề nghị sửa đường liên thôn",
    )

    visit = CadreVisit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cadre_home")
    assert (visit.meeting, visit.cadre, visit.attended) == (meeting, cadre, True)
    assert (visit.reported, visit.heard) == (
        "Kết quả tháng 10 của xã; kế hoạch tháng 11",
        "Đề nghị sửa đường liên thôn",
    )
    assert visit.updated_by == cadre.user


def test_saving_a_visit_again_updates_the_same_row(client, world, cadre):
    meeting = meeting_at(world["A1"], in_days(-3), state="held")
    post_visit(client, meeting, heard="Lần một")

    response = client.get(reverse("visit_edit", args=[meeting.pk]))
    post_visit(client, meeting, heard="Lần hai", attended="")

    visit = CadreVisit.objects.get()
    assert response.context["form"].initial["heard"] == "Lần một"
    assert (visit.heard, visit.attended) == ("Lần hai", False)


def test_the_secretary_sees_the_cadres_record(client, world, cadre):
    meeting = meeting_at(world["A1"], in_days(-3), state="held")
    post_visit(client, meeting, heard="Ý kiến về đất đai")
    secretary = user_with("secretary", world["A1"])

    rows = access.visible(secretary, CadreVisit, access.EDIT).filter(meeting=meeting)

    assert [(v.cadre, v.heard) for v in rows] == [(cadre, "Ý kiến về đất đai")]


def test_a_cadre_never_touches_another_cadres_visit(client, world, cadre):
    _, other = make_cadre(world)
    meeting = meeting_at(world["A1"], in_days(-3), state="held")
    theirs = CadreVisit.objects.create(meeting=meeting, cadre=other, heard="Của người khác")

    post_visit(client, meeting, heard="Của tôi")

    theirs.refresh_from_db()
    assert theirs.heard == "Của người khác"
    assert CadreVisit.objects.get(cadre=cadre).heard == "Của tôi"


def test_visit_to_an_unassigned_cell_is_404(client, world, cadre):
    meeting = meeting_at(world["A2"], in_days(-3), state="held")

    assert post_visit(client, meeting).status_code == 404
    assert CadreVisit.objects.count() == 0


def test_visit_by_the_cells_secretary_is_403(client, world):
    client.force_login(user_with("secretary", world["A1"]))
    meeting = meeting_at(world["A1"], in_days(-3), state="held")

    assert client.get(reverse("visit_edit", args=[meeting.pk])).status_code == 403


def test_visit_before_the_assignment_started_is_403(client, world):
    user, _ = make_cadre(world, starts_on=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(user)
    meeting = meeting_at(world["A1"], in_days(-3), state="held")

    assert post_visit(client, meeting).status_code == 403
    assert CadreVisit.objects.count() == 0


def test_visit_to_a_future_meeting_is_refused_with_a_message(client, world, cadre):
    meeting = meeting_at(world["A1"], in_days(3))

    response = client.post(
        reverse("visit_edit", args=[meeting.pk]), {"attended": "on"}, follow=True
    )

    with translation.override("vi"):
        expected = gettext("The meeting has not taken place yet.")
    assert response.redirect_chain == [(reverse("cadre_home"), 302)]
    assert [str(m) for m in response.context["messages"]] == [expected]
    assert CadreVisit.objects.count() == 0


# --- assignments (office staff) ---------------------------------------------------


def test_assignment_list_shows_the_staffs_subtree(client, world, staff):
    mine = AssignmentFactory(cell=world["A1"])
    AssignmentFactory(cell=world["B1"])
    AssignmentFactory(cell=world["A2"], starts_on=D(2024, 1, 1), ends_on=D(2025, 1, 1))

    current = client.get(reverse("assignment_list"))
    everything = client.get(reverse("assignment_list"), {"show": "all"})

    assert [a.pk for a in current.context["page_obj"]] == [mine.pk]
    assert len(everything.context["page_obj"]) == 2
    assert reverse("assignment_end", args=[mine.pk]) in current.content.decode()


@pytest.mark.parametrize("n", [1, 5])
def test_assignment_list_query_count_is_constant(
    client, world, staff, django_assert_num_queries, n
):
    AssignmentFactory.create_batch(n, cell=world["A1"])

    with django_assert_num_queries(8):
        response = client.get(reverse("assignment_list"))

    assert len(response.context["page_obj"]) == n


def test_staff_assigns_a_cadre(client, world, staff):
    _, member = make_cadre(world, cell=None)

    response = client.post(
        reverse("assignment_create"),
        {"cadre": member.pk, "cell": world["A3"].pk, "starts_on": "2026-01-01"},
    )

    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.cadre, assignment.cell, assignment.starts_on, assignment.assigned_by) == (
        member,
        world["A3"],
        D(2026, 1, 1),
        staff,
    )


def test_assign_a_cell_outside_the_subtree_is_refused(client, world, staff):
    _, member = make_cadre(world, cell=None)

    response = client.post(
        reverse("assignment_create"),
        {"cadre": member.pk, "cell": world["B1"].pk, "starts_on": "2026-01-01"},
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["cell"]
    assert Assignment.objects.count() == 0


def test_assign_a_member_without_seat_or_role_is_refused(client, world, staff):
    plain = MemberFactory(cell=world["A1"])

    response = client.post(
        reverse("assignment_create"),
        {"cadre": plain.pk, "cell": world["A3"].pk, "starts_on": "2026-01-01"},
    )

    assert list(response.context["form"].errors) == ["cadre"]


def test_a_duplicate_assignment_is_refused_with_a_clear_message(client, world, staff):
    _, member = make_cadre(world)  # already on A1 since 01/01/2025

    response = client.post(
        reverse("assignment_create"),
        {"cadre": member.pk, "cell": world["A1"].pk, "starts_on": "2026-01-01"},
    )

    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1
    assert "Chi bộ thôn Đông" in errors[0]
    assert "01/01/2025" in errors[0]
    assert Assignment.objects.count() == 1


def test_assignment_create_by_a_secretary_is_403(client, world):
    client.force_login(user_with("secretary", world["A1"]))

    assert client.get(reverse("assignment_create")).status_code == 403
    assert client.get(reverse("assignment_bulk")).status_code == 403


def test_bulk_assignment_five_cells_per_standing_member(client, world, staff):
    cells = [CellFactory(parent=world["A"]) for _ in range(7)] + [
        world["A1"],
        world["A2"],
        world["A3"],
    ]
    standing = [make_cadre(world, cell=None, seat="standing")[1] for _ in range(2)]

    response = client.post(
        reverse("assignment_bulk"),
        {
            "cadres": [m.pk for m in standing],
            "cells": [c.pk for c in cells],
            "per_cadre": 5,
            "starts_on": "2026-01-01",
        },
    )

    assert response.status_code == 302
    assert [Assignment.objects.filter(cadre=m).count() for m in standing] == [5, 5]
    assert set(Assignment.objects.values_list("cell", flat=True)) == {c.pk for c in cells}


def test_bulk_assignment_with_a_bad_period_is_refused(client, world, staff):
    standing = make_cadre(world, cell=None, seat="standing")[1]

    response = client.post(
        reverse("assignment_bulk"),
        {
            "cadres": [standing.pk],
            "cells": [world["A1"].pk],
            "starts_on": "2026-01-01",
            "ends_on": "2025-12-31",
        },
    )

    assert list(response.context["form"].errors) == ["ends_on"]
    assert Assignment.objects.count() == 0


def test_staff_ends_an_assignment(client, world, staff):
    assignment = AssignmentFactory(cell=world["A1"])

    response = client.post(
        reverse("assignment_end", args=[assignment.pk]), {"ends_on": "2026-12-01"}
    )

    assignment.refresh_from_db()
    assert response.status_code == 302
    assert assignment.ends_on == D(2026, 12, 1)


def test_end_an_assignment_of_another_subtree_is_404(client, world, staff):
    assignment = AssignmentFactory(cell=world["B1"])

    response = client.post(
        reverse("assignment_end", args=[assignment.pk]), {"ends_on": "2026-12-01"}
    )

    assert response.status_code == 404


def test_end_an_assignment_by_the_cells_secretary_is_403(client, world):
    client.force_login(user_with("secretary", world["A1"]))
    assignment = AssignmentFactory(cell=world["A1"])

    response = client.post(
        reverse("assignment_end", args=[assignment.pk]), {"ends_on": "2026-12-01"}
    )

    assignment.refresh_from_db()
    assert response.status_code == 403
    assert assignment.ends_on is None


# --- quota report -------------------------------------------------------------------


def test_quota_report_flags_cadres_behind(client, world, staff):
    _, behind = make_cadre(world)
    _, met = make_cadre(world, cell="A2")
    _, no_rule = make_cadre(world, seat="standing")  # no rule for commune standing seats
    for month in (3, 9):
        meeting = MeetingFactory(cell=world["A2"], period=D(2025, month, 1))
        CadreVisit.objects.create(meeting=meeting, cadre=met)
    CommitteeSeatFactory(organization=world["B"], kind="executive")  # B's, not A's

    response = client.get(reverse("quota_report"), {"year": 2025})

    rows = {r.pk: r.progress for r in response.context["rows"]}
    assert set(rows) == {behind.pk, met.pk, no_rule.pk}
    assert (rows[behind.pk].done, rows[behind.pk].quota, rows[behind.pk].is_behind) == (0, 2, True)
    assert (rows[met.pk].done, rows[met.pk].is_met, rows[met.pk].is_behind) == (2, True, False)
    assert (rows[no_rule.pk].quota, rows[no_rule.pk].is_behind) == (None, False)
    assert response.context["behind"] == 1


def test_quota_report_counts_visits_of_the_chosen_year(client, world, staff):
    _, member = make_cadre(world)
    CadreVisit.objects.create(meeting=MeetingFactory(cell=world["A1"]), cadre=member)

    response = client.get(reverse("quota_report"), {"year": 2026})
    row = response.context["rows"][0]
    earlier = client.get(reverse("quota_report"), {"year": 2025}).context["rows"][0]

    assert (row.progress.done, row.progress.quota) == (1, 2)
    assert earlier.progress.done == 0


def test_quota_report_for_a_secretary_is_403(client, world):
    client.force_login(user_with("secretary", world["A1"]))

    assert client.get(reverse("quota_report")).status_code == 403


@pytest.mark.parametrize("n", [1, 5])
def test_quota_report_query_count_is_constant(client, world, staff, django_assert_num_queries, n):
    for i in range(n):
        _, member = make_cadre(world)
        meeting = MeetingFactory(cell=world["A1"], period=D(2026, i + 1, 1))
        CadreVisit.objects.create(meeting=meeting, cadre=member)

    with django_assert_num_queries(14):
        response = client.get(reverse("quota_report"), {"year": 2026})

    assert len(response.context["rows"]) == n


# --- dashboard widgets ----------------------------------------------------------------


def month_start() -> datetime.datetime:
    first = calendar.first_of_month(timezone.localdate())
    return timezone.make_aware(datetime.datetime.combine(first, datetime.time(1, 0)))


def card_of(response, kind):
    return next(c for c in response.context["cards"] if c.role.kind == kind)


def test_dashboard_secretary_sees_this_months_meeting_and_the_next(client, world):
    client.force_login(user_with("secretary", world["A1"]))
    this_month = meeting_at(world["A1"], month_start(), state="held", kind="regular")
    upcoming = meeting_at(world["A1"], in_days(40), kind="extraordinary")

    response = client.get(reverse("dashboard"))

    card = card_of(response, "secretary")
    assert (card.this_month, card.next_meeting) == (this_month, upcoming)
    assert reverse("meeting_detail", args=[this_month.pk]) in response.content.decode()


def test_dashboard_staff_sees_the_months_counts(client, world, staff):
    met = meeting_at(world["A1"], month_start(), state="held")
    meeting_at(world["A2"], month_start(), state="held")
    MinutesFactory(meeting=met, state="final")
    meeting_at(world["B1"], month_start(), state="held")  # another commune

    response = client.get(reverse("dashboard"))

    assert card_of(response, "staff").month == {
        "cells": 3,
        "met": 2,
        "minutes_missing": 1,
        "no_thematic": 3,
        "other_months": [],
    }


def test_dashboard_cadre_sees_upcoming_meetings_and_quota(client, world, cadre):
    soon = meeting_at(world["A1"], in_days(3))
    meeting_at(world["A2"], in_days(3))

    response = client.get(reverse("dashboard"))

    card = card_of(response, "cadre")
    assert card.upcoming == [soon]
    assert (card.progress.done, card.progress.quota) == (0, 2)


@pytest.mark.parametrize("n", [1, 5])
def test_dashboard_query_count_is_constant(client, world, django_assert_num_queries, n):
    user = user_with("staff", world["A"])
    RoleFactory(user=user, organization=world["A1"], kind="secretary")
    client.force_login(user)
    for _ in range(n):
        cell = CellFactory(parent=world["A"])
        meeting_at(cell, month_start(), state="held")
        MemberFactory(cell=cell)

    # A cold cache: the subtree's counts and figures are read, not remembered.
    with django_assert_num_queries(20):
        response = client.get(reverse("dashboard"))

    assert card_of(response, "staff").month["met"] == n
