"""The demo's meetings (chibo/demo/meetings.py), seeded once for the module
on a fixed date so quotas and quarters do not depend on the day tests run."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from chibo import demo as demo_package
from chibo.demo import meetings as demo_meetings
from chibo.models import Organization
from meetings import calendar
from meetings.models import (
    Attendance,
    AttendanceStatus,
    CadreVisit,
    Guest,
    Meeting,
    MeetingKind,
    MeetingState,
    Minutes,
    MinutesState,
    ResolutionTask,
    Speech,
    TaskStatus,
)
from meetings.pdf import ArchiveError, archived_pdf
from meetings.selectors.attendance import attendance_sheet
from meetings.selectors.cadres import progress_of, quota_report
from meetings.selectors.schedule import subtree_month, thematic_cells, thematic_q
from meetings.services.planning import holidays_between

# The 24th (Mai Sơn's meeting day) has passed: October's minutes are the draft.
TODAY = datetime.date(2026, 10, 28)
THIS_MONTH = datetime.date(2026, 10, 1)
END_OF_TODAY = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(23, 59)))
YEAR = [calendar.add_months(THIS_MONTH, -n) for n in range(11, -1, -1)]
NAMED = demo_meetings.CELLS
MAI_SON = NAMED[:4]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module; every test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_package.build_demo(today=TODAY)
        transaction.set_rollback(True)


def org(code):
    return Organization.objects.get(code=code)


def local_day(meeting):
    return timezone.localdate(meeting.scheduled_at)


def user(username):
    return get_user_model().objects.get(username=username)


def past_regular(codes):
    return [
        m
        for m in Meeting.objects.filter(cell__code__in=codes, kind=MeetingKind.REGULAR)
        if local_day(m) < TODAY
    ]


def row_counts():
    models = [Meeting, Minutes, Attendance, CadreVisit, ResolutionTask, Speech, Guest]
    counts = {m.__name__: m.objects.count() for m in models}
    counts.update({f"history {m.__name__}": m.history.count() for m in models if m is not Guest})
    return counts


# --- idempotence -------------------------------------------------------------------


def test_demo_meetings_second_run_creates_nothing(seeded, db):
    before = row_counts()

    again = demo_package.build_demo(today=TODAY)

    assert row_counts() == before
    for key in ["meetings", "final minutes", "draft minutes", "resolution tasks", "cadre visits"]:
        assert again.created[key] == 0, key


def test_demo_meetings_second_run_keeps_what_the_secretary_wrote(seeded, db):
    draft = Minutes.objects.get(meeting__cell__code="cb-ban-lech", state=MinutesState.DRAFT)
    Minutes.objects.filter(pk=draft.pk).update(summary="Đang viết dở.")

    demo_package.build_demo(today=TODAY)

    draft.refresh_from_db()
    assert draft.summary == "Đang viết dở."
    assert draft.state == MinutesState.DRAFT


def test_demo_meetings_summary_counts_them(seeded, db):
    summary = demo_package.summary(seeded)

    assert summary["meetings"] == Meeting.objects.count()
    assert summary["draft minutes"] == 1
    assert summary["meetings cancelled"] == 1
    assert summary["final minutes"] == seeded.created["final minutes"]
    assert summary["cadre visits"] == 11


# --- the year of the named cells ------------------------------------------------------


def test_demo_ban_lech_meets_every_month_on_the_24th(seeded, db):
    regular = Meeting.objects.filter(cell__code="cb-ban-lech", kind=MeetingKind.REGULAR)

    periods = sorted(regular.values_list("period", flat=True))

    assert periods == [*YEAR, calendar.add_months(THIS_MONTH, 1)]
    for meeting in regular:
        local = timezone.localtime(meeting.scheduled_at)
        assert (local.day, local.hour, local.minute) == (24, 19, 30)
        assert meeting.place == "Nhà văn hóa bản Lếch"


def test_demo_hoa_ich_lam_meets_on_the_3rd_moved_off_holidays(seeded, db):
    holidays = holidays_between(YEAR[0], TODAY)

    days = [local_day(m) for m in past_regular(["cb-thon-hoa-ich-lam"])]

    assert len(days) == 12
    assert all(day not in holidays for day in days)
    assert all(day.day == 3 for day in days)


def test_demo_most_past_meetings_are_held_with_final_minutes(seeded, db):
    meetings = past_regular(NAMED)

    held = [m for m in meetings if m.state == MeetingState.HELD and m.minutes.filter(state="final")]

    assert len(meetings) == 5 * 12
    assert len(held) >= 0.85 * len(meetings)


def test_demo_final_minutes_have_their_archived_pdf(seeded, db):
    finals = Minutes.objects.filter(
        meeting__cell__code__in=NAMED, state=MinutesState.FINAL
    ).select_related("meeting")

    assert finals.count() >= 60
    for minutes in finals:
        assert archived_pdf(minutes).startswith(b"%PDF")
        assert minutes.term == "2025-2030"
        assert minutes.finalized_at is not None


def test_demo_archived_pdf_check_notices_a_wrong_hash(seeded, db):
    minutes = Minutes.objects.filter(state=MinutesState.FINAL).first()
    minutes.pdf_sha256 = "0" * 64

    with pytest.raises(ArchiveError, match="does not match"):
        archived_pdf(minutes)


def test_demo_minutes_obey_the_party_rules(seeded, db):
    finals = Minutes.objects.filter(
        meeting__cell__code__in=NAMED, state=MinutesState.FINAL
    ).select_related("meeting")

    for minutes in finals:
        snapshot = minutes.snapshot
        minimum = 120 if minutes.meeting.has_thematic_part else 90
        assert minimum < snapshot["duration_minutes"] <= 165, minutes.pk
        assert snapshot["warnings"] == []
        assert snapshot["vote"]["passed"] is True, minutes.pk
        assert minutes.votes_for * 2 > snapshot["attendance"]["official_voters"]
        assert minutes.read_back_adopted
        assert minutes.chair_id and minutes.minute_taker_id != minutes.chair_id


def test_demo_minutes_are_numbered_in_date_order_per_cell(seeded, db):
    for code in NAMED:
        numbers = list(
            Minutes.objects.filter(meeting__cell__code=code, state=MinutesState.FINAL)
            .order_by("meeting__scheduled_at")
            .values_list("number", flat=True)
        )
        assert numbers == list(range(1, len(numbers) + 1)), code


def test_demo_regular_minutes_follow_the_order_of_a_meeting(seeded, db):
    minutes = Minutes.objects.get(
        meeting__cell__code="cb-ban-lech",
        meeting__kind=MeetingKind.REGULAR,
        meeting__period=datetime.date(2026, 9, 1),
    )
    speakers = list(minutes.speeches.all())
    tasks = list(minutes.tasks.select_related("assignee"))

    assert minutes.party_fee_status.startswith("Thu đảng phí tháng 09/2026: ")
    assert "nghị quyết tháng 08/2026" in minutes.programme
    assert "Quán triệt" in minutes.news and "an ninh trật tự" in minutes.news
    assert minutes.assessment.startswith("Kết quả thực hiện nghị quyết tháng 08/2026:")
    assert minutes.criticism
    assert minutes.summary.startswith(f"Đồng chí {minutes.chair.full_name} ")
    assert minutes.resolution.startswith("Nghị quyết tháng 10/2026: ")
    assert 2 <= len([s for s in speakers if s.member_id]) <= 4
    assert 2 <= len(tasks) <= 3
    for task in tasks:
        assert task.assignee.cell.code == "cb-ban-lech"
        assert task.assignee.status == "official"
        assert datetime.date(2026, 9, 24) < task.due_on <= datetime.date(2026, 12, 31)


def test_demo_attendance_is_realistic(seeded, db):
    rows = Attendance.objects.filter(
        meeting__cell__code__in=NAMED, meeting__minutes__state=MinutesState.FINAL
    ).select_related("member")
    statuses = [a.status for a in rows]

    share = {s: statuses.count(s) / len(statuses) for s in AttendanceStatus.values}
    assert share[AttendanceStatus.PRESENT] > 0.6
    assert 0 < share[AttendanceStatus.LATE] < 0.12
    assert 0 < share[AttendanceStatus.ABSENT_EXCUSED] < 0.25
    assert share[AttendanceStatus.ABSENT_UNEXCUSED] < 0.03
    assert share[AttendanceStatus.EXEMPT] > 0
    for a in rows:
        if a.status == AttendanceStatus.ABSENT_EXCUSED:
            assert a.reason
        if a.status == AttendanceStatus.EXEMPT:
            assert a.member.is_exempt and a.reason == a.member.exempt_reason
        if a.member.is_exempt:
            assert a.status in (AttendanceStatus.EXEMPT, AttendanceStatus.PRESENT)
    away = rows.filter(member__is_away_for_work=True, status=AttendanceStatus.ABSENT_EXCUSED)
    assert away.exists()
    assert all("làm ăn xa" in a.reason or "làm công nhân" in a.reason for a in away)


def test_demo_has_exactly_one_draft_in_ban_lech_for_october(seeded, db):
    drafts = Minutes.objects.filter(state=MinutesState.DRAFT)

    draft = drafts.get()
    assert draft.meeting.cell.code == "cb-ban-lech"
    assert draft.meeting.period == THIS_MONTH
    assert draft.meeting.state == MeetingState.PLANNED  # held once the minutes are final
    assert draft.meeting.attendances.count() == attendance_sheet(draft.meeting).roll
    assert (draft.ended_at, draft.votes_for, draft.read_back_adopted) == (None, None, False)
    assert draft.news and draft.assessment and not draft.resolution
    assert draft.updated_by == user("secretary")


def test_demo_draft_is_last_months_minutes_before_the_meeting_day(seeded, db):
    before = demo_meetings.Context(
        demo=demo_package.Demo(today=datetime.date(2026, 10, 20)),
        holidays=set(),
        by_cell={},
        cadre_users={},
    )

    assert demo_meetings._draft_back(before, org("cb-ban-lech")) == 1
    assert demo_meetings._draft_back(before, org("cb-thon-hoa-ich-lam")) == 0


def test_demo_tasks_are_assessed_in_later_months(seeded, db):
    tasks = ResolutionTask.objects.filter(cell__code__in=NAMED).select_related(
        "minutes__meeting", "assessed_in__meeting"
    )
    assessed = tasks.exclude(status=TaskStatus.OPEN)

    assert {t.status for t in assessed} >= {TaskStatus.DONE, TaskStatus.LATE}
    for task in assessed:
        assert task.assessed_in.meeting.cell_id == task.cell_id
        assert task.assessed_in.meeting.scheduled_at > task.minutes.meeting.scheduled_at
        assert task.result_note
    carried = [
        t
        for t in assessed
        if calendar.add_months(t.minutes.meeting.period, 2) <= t.assessed_in.meeting.period
    ]
    assert carried  # some were carried over more than one month


def test_demo_postponed_and_cancelled_meetings_have_reasons(seeded, db):
    postponed = Meeting.objects.filter(cell__code__in=NAMED, state=MeetingState.POSTPONED)
    cancelled = Meeting.objects.filter(cell__code__in=NAMED, state=MeetingState.CANCELLED)
    moved = Meeting.objects.filter(
        cell__code__in=NAMED, state_reason__startswith="Tổ chức lại sau khi hoãn"
    )

    assert [(m.cell.code, m.state_reason) for m in postponed] == [
        ("cb-ban-dong-san", "Trùng lịch bầu cử trưởng bản nhiệm kỳ mới")
    ]
    assert cancelled.get().state_reason.startswith("Mưa bão gây ngập úng")
    assert not cancelled.get().attendances.exists()
    assert moved.count() == 2
    for meeting in moved:
        assert meeting.state == MeetingState.HELD
        assert meeting.history.filter(state=MeetingState.POSTPONED).exists()
        assert local_day(meeting).day != 24


def test_demo_thematic_meetings_every_quarter_but_one_gap(seeded, db):
    staff = user("staff")
    for code in NAMED:
        thematic = Meeting.objects.filter(thematic_q(), cell__code=code)
        quarters = {calendar.quarter_of(local_day(m)) for m in thematic}
        expected = {calendar.quarter_of(p) for p in YEAR}
        if code == demo_meetings.NO_THEMATIC_THIS_QUARTER:
            expected.discard(calendar.quarter_of(TODAY))
        assert quarters == expected, code
    assert Meeting.objects.filter(cell__code="cb-thon-hoa-ich-lam", has_thematic_part=True)

    missing = thematic_cells(staff, root=org("tinh-son-la"), year=2026, quarter=4, show="none")

    assert [c.code for c in missing] == ["cb-tieu-khu-co-noi"]
    widget = subtree_month(staff, root=org("tinh-son-la"), month=THIS_MONTH, now=END_OF_TODAY)
    assert widget["no_thematic"] == 1


def test_demo_thematic_minutes_carry_the_topic(seeded, db):
    minutes = Minutes.objects.filter(
        meeting__kind=MeetingKind.THEMATIC, state=MinutesState.FINAL
    ).select_related("meeting")

    assert minutes.count() >= 12
    for m in minutes:
        assert m.meeting.topic in m.programme and m.meeting.topic in m.resolution
        assert not m.tasks.exists()


# --- cadres --------------------------------------------------------------------------


def test_demo_cadre_visits_are_the_attendance_screens_rows(seeded, db):
    visits = CadreVisit.objects.filter(attended=True).select_related("meeting", "cadre__cell")

    assert visits.count() == 11
    for visit in visits:
        sheet = attendance_sheet(visit.meeting)
        assert visit.pk in [row.visit.pk for row in sheet.cadres if row.attended]
        assert visit.reported.startswith("Thông báo kết quả phát triển kinh tế - xã hội tháng ")
        assert visit.heard
        home = visit.cadre.cell
        if home.code in MAI_SON:  # all meet on the 24th: the cadre is away from home
            at_home = Attendance.objects.get(
                member=visit.cadre,
                meeting__cell=home,
                meeting__kind=MeetingKind.REGULAR,
                meeting__period=visit.meeting.period,
            )
            assert at_home.status == AttendanceStatus.ABSENT_EXCUSED
            assert at_home.reason.startswith(f"Dự sinh hoạt với {visit.meeting.cell.name}")


def test_demo_cadre_records_missed_meetings_but_the_recent_ones(seeded, db):
    cadre = user("cadre").member
    missed = CadreVisit.objects.filter(cadre=cadre, attended=False).select_related("meeting")

    assert missed.exists()
    assert all(m.meeting.state == MeetingState.HELD for m in missed)
    assert all(local_day(m.meeting) < TODAY - datetime.timedelta(days=40) for m in missed)
    assert all(not m.reported for m in missed)


@pytest.mark.parametrize(
    ("tag", "met", "behind", "at_risk"),
    [
        ("ms-bch-1", True, False, False),  # the demo cadre: three visits this year
        ("ms-bch-2", True, False, False),
        ("ms-bch-4", False, True, False),  # one visit by October: behind the pace
        ("ms-bch-5", False, True, False),  # only last December; two meetings left
        ("ms-bch-3", False, True, True),  # a province seat, no cell assigned
    ],
)
def test_demo_cadres_quota_progress(seeded, db, tag, met, behind, at_risk):
    progress = progress_of(seeded.member(tag), year=2026, today=TODAY)

    assert progress.quota in (2, 3)
    assert (progress.is_met, progress.is_behind, progress.is_at_risk) == (met, behind, at_risk)


def test_demo_quota_report_shows_cadres_behind_and_on_track(seeded, db):
    rows = quota_report(user("staff"), year=2026, today=TODAY)

    assert any(r.progress.is_behind for r in rows)
    assert any(r.progress.is_met for r in rows)


# --- Hương Khê town: light ---------------------------------------------------------


def test_demo_huong_khe_town_has_three_held_months_some_without_minutes(seeded, db):
    cells = Organization.objects.get_children(org("tt-huong-khe")).cells()
    months = YEAR[-3:]
    meetings = Meeting.objects.filter(
        cell__in=cells, kind=MeetingKind.REGULAR, period__in=months
    ).select_related("cell")

    assert meetings.count() == 25 * 3
    assert all(m.state == MeetingState.HELD for m in meetings)
    assert all(m.attendances.count() == attendance_sheet(m).roll for m in meetings)
    finals = Minutes.objects.filter(meeting__in=meetings, state=MinutesState.FINAL).count()
    assert 15 <= finals <= 60
    assert not Minutes.objects.filter(meeting__in=meetings, state=MinutesState.DRAFT).exists()
    widget = subtree_month(
        user("admin"), root=org("tt-huong-khe"), month=THIS_MONTH, now=END_OF_TODAY
    )
    assert widget["met"] == 25
    assert 0 < widget["minutes_missing"] < 25
