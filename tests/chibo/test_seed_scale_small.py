"""seed_scale on a small province: every row in a state the product allows
(snapshots, attendance, offices) and the accounts' view through chibo.access."""

import datetime

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db.models import Count

from chibo import access
from chibo.demo.scale import USERNAMES
from chibo.models import Organization, OrganizationKind, Role
from feedback.models import FeedbackEvent, FeedbackItem
from meetings import rules
from meetings.models import (
    Assignment,
    Attendance,
    Meeting,
    MeetingState,
    Minutes,
)
from meetings.selectors.attendance import attendance_sheet, roll_on
from meetings.selectors.minutes_facts import minutes_facts
from meetings.snapshot import build_snapshot
from members.models import CommitteeSeat, Member, Position, PositionKind
from tests.chibo.scale_data import NOW, module_province
from tests.factories import OrganizationFactory

small = module_province()  # 20 cells, 400 members, 3 months


def user(username):
    return get_user_model().objects.get(username=username)


def test_counts_follow_the_options(small, db):
    cells = Organization.objects.filter(kind=OrganizationKind.CELL)
    assert cells.count() == 20
    assert Member.objects.count() == 400
    assert Organization.objects.filter(kind=OrganizationKind.PROVINCE).count() == 1
    assert Organization.objects.filter(kind=OrganizationKind.COMMUNE).count() == 2
    assert Organization.objects.filter(kind=OrganizationKind.SUBCOMMITTEE).count() == 0
    # one regular meeting a cell and month: three past months and the current one
    assert Meeting.objects.count() == 20 * 4
    assert Meeting.objects.filter(period=datetime.date(2026, 12, 1)).count() == 20
    assert set(Meeting.objects.values_list("period", flat=True)) == {
        datetime.date(2026, 9, 1),
        datetime.date(2026, 10, 1),
        datetime.date(2026, 11, 1),
        datetime.date(2026, 12, 1),
    }


def test_the_counts_printed_are_the_rows_in_the_tables(small, db):
    assert small.counts["members_member"] == Member.objects.count()
    assert small.counts["meetings_meeting"] == Meeting.objects.count()
    assert small.counts["meetings_attendance"] == Attendance.objects.count()
    assert small.counts["meetings_minutes"] == Minutes.objects.count()
    assert small.counts["feedback_feedbackitem"] == FeedbackItem.objects.count()
    assert small.counts["feedback_feedbackevent"] == FeedbackEvent.objects.count()
    assert small.counts["chibo_organization"] == Organization.objects.count()
    assert small.counts["auth_user"] == get_user_model().objects.count()
    assert sum(small.feedback_states.values()) == FeedbackItem.objects.count()


def test_every_stage_is_timed(small):
    names = [name for name, _seconds in small.stages]
    assert names == [
        "check",
        "tree and members (memory)",
        "organizations",
        "accounts",
        "members, positions, seats, assignments",
        "meetings",
        "sequences",
        "analyze",
    ]
    assert all(seconds >= 0 for _name, seconds in small.stages)
    assert small.seconds == pytest.approx(sum(s for _n, s in small.stages))


def test_the_tree_is_a_valid_treebeard_tree(small, db):
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    root = Organization.objects.get(kind=OrganizationKind.PROVINCE)
    assert Organization.objects.get_children(root).count() == 2
    for node in Organization.objects.all():
        assert node.numchild == Organization.objects.get_children(node).count()
        assert node.versions.get().name == node.name
        assert node.reorganizations.get().kind == "founded"


def test_sequences_move_past_the_keys_written(small, db):
    top = Organization.objects.order_by("-pk").first().pk
    assert OrganizationFactory().pk > top


def test_final_minutes_hold_the_snapshot_finalize_would_store(small, db):
    finals = Minutes.objects.filter(state="final").select_related("meeting__cell")
    assert finals.count() > 40
    for minutes in finals:
        sheet = attendance_sheet(minutes.meeting)
        findings = rules.finalize_findings(minutes_facts(minutes, sheet), now=minutes.finalized_at)
        assert rules.blocking(findings) == [], minutes.pk
        expected = build_snapshot(minutes, sheet=sheet)
        expected["warnings"] = [f.as_stored() for f in rules.warnings(findings)]
        expected["duration_minutes"] = rules.duration_minutes(minutes.started_at, minutes.ended_at)
        assert minutes.snapshot == expected, minutes.pk


def test_every_held_meeting_has_attendance_for_its_whole_roll(small, db):
    held = Meeting.objects.filter(minutes__isnull=False, minutes__started_at__isnull=False)
    assert held.count() > 50
    for meeting in held:
        sheet = attendance_sheet(meeting)
        assert sum(sheet.counts.values()) == sheet.roll, meeting.pk
        assert all(row.attendance is not None for row in sheet.members)
        assert not sheet.temporary
        assert Attendance.objects.filter(meeting=meeting).count() == len(
            roll_on(meeting.cell_id, sheet.on)
        )


def test_meeting_states_follow_their_minutes(small, db):
    for meeting in Meeting.objects.prefetch_related("minutes"):
        minutes = list(meeting.minutes.all())
        if meeting.state == MeetingState.HELD:
            assert [m.state for m in minutes] == ["final"]
        elif meeting.state == MeetingState.CANCELLED:
            assert minutes == [] and meeting.state_reason
        else:
            assert meeting.state == MeetingState.PLANNED
            assert all(m.state == "draft" for m in minutes)
    current = Meeting.objects.filter(period=datetime.date(2026, 12, 1))
    assert set(current.values_list("state", flat=True)) == {MeetingState.PLANNED}
    assert not Attendance.objects.filter(meeting__in=current).exists()
    assert Minutes.objects.filter(meeting__in=current, state="draft").exists()


def test_every_minutes_has_one_history_row(small, db):
    history = Minutes.history.model.objects
    assert history.count() == Minutes.objects.count()
    for minutes in Minutes.objects.all()[:30]:
        record = history.get(id=minutes.pk)
        assert (record.history_type, record.version, record.state) == (
            "+",
            minutes.version,
            minutes.state,
        )
        assert record.history_user_id == minutes.updated_by_id


def test_assignments_stay_inside_the_cadres_committee(small, db):
    assert Assignment.objects.count() >= 20
    for assignment in Assignment.objects.select_related("cell", "cadre"):
        seats = CommitteeSeat.objects.filter(member=assignment.cadre).select_related("organization")
        assert seats.exists()
        assert any(assignment.cell.path.startswith(s.organization.path) for s in seats)
    cells_without = Organization.objects.filter(kind=OrganizationKind.CELL, assignments=None)
    assert not cells_without.exists()


def test_every_cell_has_one_secretary_with_an_account(small, db):
    for cell in Organization.objects.filter(kind=OrganizationKind.CELL):
        secretaries = Position.objects.filter(cell=cell, kind=PositionKind.SECRETARY)
        assert secretaries.count() == 1
        secretary = secretaries.get().member
        assert secretary.cell_id == cell.pk and secretary.user_id is not None
        assert Role.objects.filter(user_id=secretary.user_id, organization=cell).exists()


def test_members_are_as_the_import_would_leave_them(small, db):
    for member in Member.objects.all():
        assert member.search_name == member.search_name.lower()
        if member.status == "official":
            assert member.party_card_number and member.official_on <= NOW.date()
        else:
            assert member.party_card_number is None
            assert member.joined_on > NOW.date() - datetime.timedelta(days=365)
    sizes = Member.objects.values("cell").annotate(n=Count("id")).values_list("n", flat=True)
    assert min(sizes) >= 3


def test_the_accounts_sign_in_with_the_password(small, db, rf):
    for username in USERNAMES:
        request = rf.post("/accounts/login/")
        assert authenticate(request, username=username, password="chibo-scale") is not None
    wrong = authenticate(rf.post("/accounts/login/"), username="province-office", password="x")
    assert wrong is None


def test_province_office_sees_the_whole_province(small, db):
    staff = user("province-office")
    assert access.cells(staff).count() == 20
    assert access.visible(staff, Member).count() == 400
    assert access.visible(staff, Meeting).count() == 80


def test_commune_office_sees_its_commune_only(small, db):
    staff = user("commune-office")
    commune = Organization.objects.get(code="scale-x001")
    seen = set(access.cells(staff).values_list("pk", flat=True))
    inside = set(commune.subtree().filter(kind="cell").values_list("pk", flat=True))
    assert seen == inside and len(seen) == 10
    assert access.visible(staff, Member).count() == Member.objects.filter(cell__in=inside).count()
    outside = Member.objects.exclude(cell__in=inside).first()
    assert not access.visible(staff, Member).filter(pk=outside.pk).exists()


def test_cell_secretary_has_a_meeting_this_month_with_draft_minutes(small, db):
    secretary = user("cell-secretary")
    cells = list(access.cells(secretary, access.EDIT))
    assert len(cells) == 1
    assert cells[0].path.startswith(Organization.objects.get(code="scale-x001").path)
    meeting = Meeting.objects.get(cell=cells[0], period=datetime.date(2026, 12, 1))
    assert meeting.state == MeetingState.PLANNED
    assert meeting.minutes.get().state == "draft"
    assert access.can(secretary, access.EDIT, meeting)
    assert secretary.member.positions.get().kind == PositionKind.SECRETARY


def test_scale_cadre_has_several_assigned_cells(small, db):
    cadre = user("scale-cadre")
    assert cadre.member is not None
    assigned = Assignment.objects.filter(cadre=cadre.member)
    assert assigned.count() >= 2
    seen = set(access.cells(cadre).values_list("pk", flat=True))
    assert set(assigned.values_list("cell_id", flat=True)) <= seen
    assert CommitteeSeat.objects.filter(member=cadre.member, kind="standing").exists()


def test_an_outsider_sees_nothing(small, db):
    outsider = get_user_model().objects.create(username="outsider")
    assert access.cells(outsider).count() == 0
    assert access.visible(outsider, Member).count() == 0
