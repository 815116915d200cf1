"""Minutes: drafts with optimistic locking, finalize, amend, carry-over."""

import datetime
import hashlib

import pytest
from django.utils import timezone

from meetings.models import Meeting, Minutes, ResolutionTask, Speech
from meetings.selectors.minutes_facts import carried_over_tasks, open_tasks_of_cell
from meetings.services.attendance import Entry, save_attendance
from meetings.services.finalize import amend_minutes, finalize_minutes, pending_archives
from meetings.services.minutes import (
    Assessment,
    FinalizeRefused,
    MinutesConflict,
    MinutesError,
    MinutesFinal,
    SpeechData,
    TaskData,
    save_minutes,
    start_minutes,
)
from meetings.tasks import archive_pending_pdfs_task
from members.models import Member
from tests.factories import (
    CellFactory,
    MeetingFactory,
    MemberFactory,
    OrganizationFactory,
    PositionFactory,
    ResolutionTaskFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TZ = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture
def cell():
    commune = OrganizationFactory(name="Đảng bộ xã Cò Nòi", place_name="Cò Nòi")
    return CellFactory(name="Chi bộ bản Lếch", parent=commune, code="ban-lech")


@pytest.fixture
def members(cell):
    """Four official members, one probationary: three official ones vote for."""
    return [
        MemberFactory(cell=cell, full_name="Lò Văn An"),
        MemberFactory(cell=cell, full_name="Lò Thị Bình"),
        MemberFactory(cell=cell, full_name="Cầm Văn Cường"),
        MemberFactory(cell=cell, full_name="Quàng Thị Dung"),
        MemberFactory(
            cell=cell,
            full_name="Sầm Văn Em",
            probationary=True,
            joined_on=datetime.date(2025, 8, 1),
        ),
    ]


def make_meeting(cell, day=datetime.date(2026, 2, 5), **kwargs) -> Meeting:
    return MeetingFactory(
        cell=cell,
        period=day.replace(day=1),
        scheduled_at=datetime.datetime.combine(day, datetime.time(19, 30), tzinfo=TZ),
        state="planned",
        **kwargs,
    )


def take_attendance(meeting, members, by=None):
    save_attendance(meeting=meeting, members=[Entry(m.pk, "present") for m in members], by=by)


def complete_content(meeting, members, **overrides) -> dict:
    start = meeting.scheduled_at
    content = {
        "chair_id": members[0].pk,
        "minute_taker_id": members[1].pk,
        "started_at": start,
        "ended_at": start + datetime.timedelta(minutes=100),
        "programme": "Thông qua chương trình",
        "news": "Quán triệt Nghị quyết",
        "resolution": "Mỗi đảng viên giúp đỡ một hộ nghèo",
        "votes_for": 4,
        "votes_against": 0,
        "votes_abstain": 0,
        "read_back_adopted": True,
    }
    return {**content, **overrides}


def written(meeting, members, by, **overrides) -> Minutes:
    """Draft minutes of an attended meeting, complete enough to finalize."""
    take_attendance(meeting, members, by)
    minutes = start_minutes(meeting=meeting, by=by)
    return save_minutes(
        minutes=minutes,
        version=minutes.version,
        content=complete_content(meeting, members, **overrides),
        speeches=[SpeechData("Nhất trí với báo cáo", member_id=members[2].pk)],
        tasks=[
            TaskData("Giúp hộ nghèo", assignee_id=members[3].pk, due_on=datetime.date(2026, 3, 3))
        ],
        by=by,
    )


# Drafts ---------------------------------------------------------------------------------


def test_start_minutes_puts_the_secretary_in_the_chair(cell, members, alice):
    PositionFactory(member=members[2], kind="secretary")
    meeting = make_meeting(cell)

    minutes = start_minutes(meeting=meeting, by=alice)

    assert (minutes.state, minutes.version, minutes.chair_id) == ("draft", 1, members[2].pk)
    assert start_minutes(meeting=meeting, by=alice).pk == minutes.pk
    assert minutes.history.get().history_user == alice


def test_save_minutes_bumps_version_and_records_history_user(cell, members, alice):
    meeting = make_meeting(cell)
    minutes = start_minutes(meeting=meeting, by=alice)

    saved = save_minutes(minutes=minutes, version=1, content={"news": "Tin mới"}, by=alice)

    assert (saved.version, saved.news, saved.updated_by) == (2, "Tin mới", alice)
    latest = saved.history.order_by("-history_date", "-history_id").first()
    assert (latest.history_type, latest.history_user, latest.news) == ("~", alice, "Tin mới")


def test_save_minutes_concurrent_edit_second_save_conflicts(cell, members, alice, bob):
    meeting = make_meeting(cell)
    minutes = start_minutes(meeting=meeting, by=alice)
    save_minutes(minutes=minutes, version=1, content={"news": "Alice's text"}, by=alice)

    with pytest.raises(MinutesConflict) as conflict:
        save_minutes(
            minutes=Minutes.objects.get(pk=minutes.pk),
            version=1,
            content={"news": "Bob's text"},
            speeches=[SpeechData("Bob's speech", speaker_name="Bob")],
            by=bob,
        )

    minutes.refresh_from_db()
    assert (minutes.news, minutes.version, minutes.updated_by) == ("Alice's text", 2, alice)
    assert Speech.objects.count() == 0
    assert conflict.value.current.updated_by == alice
    when = timezone.localtime(minutes.updated_at).strftime("%H:%M %d/%m/%Y")
    assert conflict.value.messages == [
        f"Lò Văn An saved these minutes at {when}, after you started editing. Nothing was "
        "overwritten: compare both texts and save again."
    ]


def test_save_minutes_rows_are_synced_in_order(cell, members, alice):
    meeting = make_meeting(cell)
    minutes = start_minutes(meeting=meeting, by=alice)
    save_minutes(
        minutes=minutes,
        version=1,
        content={},
        by=alice,
        speeches=[
            SpeechData("Một", member_id=members[0].pk),
            SpeechData("Hai", speaker_name="Khách"),
            SpeechData("Ba", member_id=members[1].pk),
        ],
    )
    first_ids = list(minutes.speeches.values_list("id", flat=True))

    save_minutes(
        minutes=minutes,
        version=2,
        content={},
        by=alice,
        speeches=[
            SpeechData("Một", member_id=members[0].pk),
            SpeechData("Hai, sửa", speaker_name="Khách"),
        ],
    )

    assert list(minutes.speeches.values_list("id", "text", "order")) == [
        (first_ids[0], "Một", 0),
        (first_ids[1], "Hai, sửa", 1),
    ]
    removed = Speech.history.get(history_type="-")
    assert (removed.text, removed.history_user) == ("Ba", alice)


def test_save_minutes_unknown_field_is_refused(cell, members, alice):
    minutes = start_minutes(meeting=make_meeting(cell), by=alice)
    with pytest.raises(ValueError, match="Not a content field of minutes: state"):
        save_minutes(minutes=minutes, version=1, content={"state": "final"}, by=alice)


# Finalizing --------------------------------------------------------------------------------


def test_finalize_minutes_freezes_numbers_archives_and_holds_meeting(
    cell, members, alice, django_capture_on_commit_callbacks
):
    meeting = make_meeting(cell)
    minutes = written(meeting, members, alice)

    # The PDF is archived once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        final = finalize_minutes(minutes=minutes, by=alice)

    final.refresh_from_db()
    assert (final.state, final.number, final.term, final.finalized_by) == (
        "final",
        1,
        "2025-2030",
        alice,
    )
    assert final.pdf.name.startswith("minutes/")
    with final.pdf.open("rb") as stored:
        data = stored.read()
    assert data.startswith(b"%PDF")
    assert final.pdf_sha256 == hashlib.sha256(data).hexdigest()
    assert final.snapshot["chair"]["name"] == "Lò Văn An"
    assert final.snapshot["header"]["number_text"] == "Số 01-BB/CB"
    assert final.snapshot["warnings"] == []
    assert final.snapshot["duration_minutes"] == 100
    meeting.refresh_from_db()
    assert meeting.state == "held"
    assert final.history.order_by("-history_id").first().history_user == alice


def test_finalize_minutes_numbers_follow_within_the_term(cell, members, alice):
    first = finalize_minutes(minutes=written(make_meeting(cell), members, alice), by=alice)
    second = finalize_minutes(
        minutes=written(make_meeting(cell, datetime.date(2026, 3, 5)), members, alice), by=alice
    )
    # The probationary member was admitted after June 2025: not on that roll.
    earlier_term = finalize_minutes(
        minutes=written(make_meeting(cell, datetime.date(2025, 6, 5)), members[:4], alice),
        by=alice,
    )

    assert (first.number, second.number) == (1, 2)
    assert (earlier_term.number, earlier_term.term) == (1, "2020-2025")


def test_finalize_minutes_later_rename_leaves_snapshot_and_pdf_unchanged(
    cell, members, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        final = finalize_minutes(minutes=written(make_meeting(cell), members, alice), by=alice)
    final.refresh_from_db()
    snapshot, digest = final.snapshot, final.pdf_sha256

    Member.objects.filter(pk=members[0].pk).update(full_name="Tên Mới")
    members[0].refresh_from_db()
    members[0].save()
    cell.name = "Chi bộ đổi tên"
    cell.save()

    final = Minutes.objects.get(pk=final.pk)
    assert final.snapshot == snapshot
    assert final.snapshot["chair"]["name"] == "Lò Văn An"
    assert final.snapshot["header"]["cell"] == "CHI BỘ BẢN LẾCH"
    with final.pdf.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == digest


def test_finalize_minutes_final_is_read_only_everywhere(cell, members, alice):
    final = finalize_minutes(minutes=written(make_meeting(cell), members, alice), by=alice)

    with pytest.raises(MinutesFinal):
        save_minutes(minutes=final, version=final.version, content={"news": "x"}, by=alice)
    with pytest.raises(MinutesFinal):
        finalize_minutes(minutes=final, by=alice)
    assert Minutes.objects.get(pk=final.pk).news == "Quán triệt Nghị quyết"


def test_finalize_minutes_future_meeting_is_refused(cell, members, alice):
    day = timezone.localdate() + datetime.timedelta(days=2)
    minutes = written(make_meeting(cell, day), members, alice)

    with pytest.raises(FinalizeRefused) as refused:
        finalize_minutes(minutes=minutes, by=alice)

    assert [f.code for f in refused.value.findings] == ["meeting_in_future"]
    minutes.refresh_from_db()
    assert (minutes.state, minutes.number, minutes.pdf.name) == ("draft", None, "")


def test_finalize_minutes_end_before_start_and_missing_majority(cell, members, alice):
    meeting = make_meeting(cell)
    minutes = written(
        meeting,
        members,
        alice,
        votes_for=2,
        votes_against=2,
        ended_at=meeting.scheduled_at - datetime.timedelta(minutes=1),
    )

    with pytest.raises(FinalizeRefused) as refused:
        finalize_minutes(minutes=minutes, by=alice)

    assert refused.value.messages == [
        "The meeting must end after it starts (started 19:30, ended 19:29).",
        "The resolution is not adopted: 2 votes for, but more than half of the cell's 4 "
        "official members (at least 3) must vote for it.",
    ]


def test_finalize_minutes_probationary_member_does_not_vote(cell, members, alice):
    # 5 present but only 4 are official: 5 votes cannot have been cast.
    minutes = written(make_meeting(cell), members, alice, votes_for=5)

    with pytest.raises(FinalizeRefused) as refused:
        finalize_minutes(minutes=minutes, by=alice)

    assert [f.code for f in refused.value.findings] == ["votes_exceed_voters"]


def test_finalize_minutes_short_meeting_is_stored_as_warning(cell, members, alice):
    meeting = make_meeting(cell)
    minutes = written(
        meeting, members, alice, ended_at=meeting.scheduled_at + datetime.timedelta(minutes=89)
    )

    final = finalize_minutes(minutes=minutes, by=alice)

    assert final.snapshot["warnings"] == [{"code": "short_meeting", "duration": 89, "minimum": 90}]


def test_finalize_minutes_pdf_failure_keeps_them_final_for_a_later_archive(
    cell, members, alice, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    # The PDF is printed after the commit: a failure there cannot undo the
    # final, numbered minutes; the beat archives them later.
    minutes = written(make_meeting(cell), members, alice)

    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint failed")

    monkeypatch.setattr("meetings.pdf.render_minutes_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        finalize_minutes(minutes=minutes, by=alice)

    minutes.refresh_from_db()
    assert (minutes.state, minutes.number, minutes.pdf_sha256, minutes.pdf.name) == (
        "final",
        1,
        "",
        "",
    )
    assert "WeasyPrint failed" in caplog.text
    assert list(pending_archives()) == [minutes]
    monkeypatch.undo()
    assert archive_pending_pdfs_task() == 1
    assert list(pending_archives()) == []


# Amending --------------------------------------------------------------------------------


def test_amend_minutes_copies_content_and_keeps_both(cell, members, alice):
    final = finalize_minutes(minutes=written(make_meeting(cell), members, alice), by=alice)

    draft = amend_minutes(minutes=final, by=alice)

    assert (draft.state, draft.amends_id, draft.news, draft.chair_id) == (
        "draft",
        final.pk,
        "Quán triệt Nghị quyết",
        members[0].pk,
    )
    assert list(draft.speeches.values_list("text", flat=True)) == ["Nhất trí với báo cáo"]
    assert list(draft.tasks.values_list("title", "assignee_id")) == [
        ("Giúp hộ nghèo", members[3].pk)
    ]
    assert amend_minutes(minutes=final, by=alice).pk == draft.pk

    save_minutes(minutes=draft, version=draft.version, content={"news": "Đính chính"}, by=alice)
    amended = finalize_minutes(minutes=Minutes.objects.get(pk=draft.pk), by=alice)

    final.refresh_from_db()
    assert (final.state, final.news, final.amendment.pk) == (
        "final",
        "Quán triệt Nghị quyết",
        amended.pk,
    )
    assert (amended.state, amended.number, amended.news) == ("final", 2, "Đính chính")
    assert amended.snapshot["amends"]["minutes_id"] == final.pk


def test_amend_minutes_of_a_draft_is_refused(cell, members, alice):
    draft = start_minutes(meeting=make_meeting(cell), by=alice)
    with pytest.raises(MinutesError) as error:
        amend_minutes(minutes=draft, by=alice)
    assert error.value.messages == ["Only final minutes can be amended; edit the draft instead."]


# Tasks carried over --------------------------------------------------------------------------


def test_carried_over_tasks_open_tasks_reach_next_month_and_get_marked(cell, members, alice):
    january = finalize_minutes(
        minutes=written(make_meeting(cell, datetime.date(2026, 1, 5)), members, alice), by=alice
    )
    [task] = january.tasks.all()
    february = written(make_meeting(cell), members, alice)

    assert list(carried_over_tasks(february)) == [task]

    save_minutes(
        minutes=february,
        version=february.version,
        content={},
        by=alice,
        assessments=[Assessment(task.pk, "done", "Đã giúp 2 hộ")],
    )

    task.refresh_from_db()
    assert (task.status, task.result_note, task.assessed_in_id) == (
        "done",
        "Đã giúp 2 hộ",
        february.pk,
    )
    assert list(carried_over_tasks(february)) == [task]  # still shown where it was marked
    assert list(open_tasks_of_cell(cell.pk, before=february.meeting.scheduled_at)) == []
    latest = task.history.order_by("-history_id").first()
    assert (latest.status, latest.history_user) == ("done", alice)


def test_carried_over_tasks_skip_drafts_other_cells_and_later_meetings(cell, members, alice):
    february = written(make_meeting(cell), members, alice)
    january_draft = start_minutes(meeting=make_meeting(cell, datetime.date(2026, 1, 5)), by=alice)
    ResolutionTask.objects.create(minutes=january_draft, cell=cell, title="Of a draft")
    ResolutionTaskFactory(minutes__state="final")  # another cell's
    extraordinary = make_meeting(cell, datetime.date(2026, 1, 20), kind="extraordinary")
    later = finalize_minutes(minutes=written(extraordinary, members, alice), by=alice)

    assert [t.minutes_id for t in carried_over_tasks(february)] == [later.pk]

    assert list(carried_over_tasks(Minutes.objects.get(pk=later.pk))) == []
    assert [t.title for t in open_tasks_of_cell(cell.pk, before=february.meeting.scheduled_at)] == [
        "Giúp hộ nghèo"
    ]


def test_carried_over_tasks_a_final_amendment_replaces_the_original_tasks(cell, members, alice):
    january = finalize_minutes(
        minutes=written(make_meeting(cell, datetime.date(2026, 1, 5)), members, alice), by=alice
    )
    draft = amend_minutes(minutes=january, by=alice)
    amended = finalize_minutes(minutes=draft, by=alice)
    february = written(make_meeting(cell), members, alice)

    assert [t.minutes_id for t in carried_over_tasks(february)] == [amended.pk]


def test_assessing_a_task_not_carried_over_is_refused(cell, members, alice):
    february = written(make_meeting(cell), members, alice)
    stranger = ResolutionTaskFactory(minutes__state="final")

    with pytest.raises(MinutesError):
        save_minutes(
            minutes=february,
            version=february.version,
            content={},
            by=alice,
            assessments=[Assessment(stranger.pk, "done")],
        )

    stranger.refresh_from_db()
    assert stranger.status == "open"
    assert ResolutionTask.objects.get(pk=stranger.pk).assessed_in_id is None
