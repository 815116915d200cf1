"""build_snapshot: every printed value, frozen as JSON, with the names of the meeting's day."""

import datetime
import json

import pytest

from chibo.tree import move_organization, rename_organization
from meetings.models import CadreVisit, Guest, MinutesState
from meetings.snapshot import build_snapshot, place_for
from tests.factories import (
    AttendanceFactory,
    CellFactory,
    CommitteeSeatFactory,
    MeetingFactory,
    MemberFactory,
    MinutesFactory,
    OrganizationFactory,
    PositionFactory,
    ResolutionTaskFactory,
    SpeechFactory,
)

pytestmark = pytest.mark.django_db

AFTER_MEETING = datetime.date(2026, 3, 1)  # the factories' meeting is on 05/02/2026


@pytest.fixture
def commune():
    return OrganizationFactory(name="Đảng bộ xã Cò Nòi", code="co-noi", place_name="Cò Nòi")


@pytest.fixture
def cell(commune):
    return CellFactory(parent=commune, name="Chi bộ bản Lếch", code="ban-lech")


@pytest.fixture
def minutes(cell):
    return MinutesFactory(
        meeting__cell=cell,
        number=5,
        term="2025-2030",
        votes_for=7,
        votes_against=1,
        votes_abstain=0,
        read_back_adopted=True,
    )


def present_officers(minutes):
    """The chair and the minute-taker are on the cell's roll: record them present."""
    AttendanceFactory(meeting=minutes.meeting, member=minutes.chair)
    AttendanceFactory(meeting=minutes.meeting, member=minutes.minute_taker)


def test_build_snapshot_is_plain_json(minutes):
    SpeechFactory(minutes=minutes)
    ResolutionTaskFactory(minutes=minutes)
    AttendanceFactory(meeting=minutes.meeting)

    snapshot = build_snapshot(minutes)

    assert json.loads(json.dumps(snapshot)) == snapshot


def test_build_snapshot_header(minutes):
    snapshot = build_snapshot(minutes)

    assert snapshot["schema"] == 2
    assert snapshot["header"] == {
        "superior": "ĐẢNG BỘ XÃ CÒ NÒI",
        "cell": "CHI BỘ BẢN LẾCH",
        "number": 5,
        "number_text": "Số 05-BB/CB",
        "term": "2025-2030",
        "party": "ĐẢNG CỘNG SẢN VIỆT NAM",
        "place": "Cò Nòi",
        "date": "2026-02-05",
        "date_line": "Cò Nòi, ngày 05 tháng 02 năm 2026",
    }
    assert snapshot["title"] == "BIÊN BẢN"
    assert snapshot["summary"] == "Sinh hoạt chi bộ thường kỳ tháng 02 năm 2026"
    assert snapshot["cell_name"] == "Chi bộ bản Lếch"
    assert snapshot["superior_name"] == "Đảng bộ xã Cò Nòi"
    assert snapshot["meeting_date"] == "2026-02-05"
    assert snapshot["amends"] is None


def test_build_snapshot_without_number_leaves_it_blank(cell):
    snapshot = build_snapshot(MinutesFactory(meeting__cell=cell))

    assert snapshot["header"]["number"] is None
    assert snapshot["header"]["number_text"] == "Số \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0-BB/CB"


def test_build_snapshot_keeps_answers_read_back_slot_empty(minutes):
    assert build_snapshot(minutes)["answers_read_back"] == []


@pytest.mark.parametrize(
    ("kind", "topic", "has_thematic_part", "summary"),
    [
        ("regular", "", False, "Sinh hoạt chi bộ thường kỳ tháng 11 năm 2026"),
        (
            "regular",
            "Chuyển đổi số",
            True,
            "Sinh hoạt chi bộ thường kỳ tháng 11 năm 2026 và sinh hoạt chuyên đề “Chuyển đổi số”",
        ),
        (
            "thematic",
            "Chuyển đổi số",
            False,
            "Sinh hoạt chuyên đề tháng 11 năm 2026: “Chuyển đổi số”",
        ),
        ("extraordinary", "", False, "Sinh hoạt chi bộ bất thường tháng 11 năm 2026"),
        (
            "extraordinary",
            "kết nạp đảng viên",
            False,
            "Sinh hoạt chi bộ bất thường tháng 11 năm 2026 về kết nạp đảng viên",
        ),
    ],
)
def test_build_snapshot_summary_by_kind(cell, kind, topic, has_thematic_part, summary):
    meeting = MeetingFactory(
        cell=cell,
        kind=kind,
        topic=topic,
        has_thematic_part=has_thematic_part,
        period=datetime.date(2026, 11, 1),
    )

    assert build_snapshot(MinutesFactory(meeting=meeting))["summary"] == summary


def test_build_snapshot_uses_cell_name_valid_on_meeting_date(minutes, cell):
    rename_organization(organization=cell, name="Chi bộ bản Lếch Mới", on=AFTER_MEETING)

    snapshot = build_snapshot(minutes)

    assert snapshot["header"]["cell"] == "CHI BỘ BẢN LẾCH"
    assert snapshot["cell_name"] == "Chi bộ bản Lếch"


def test_build_snapshot_uses_new_name_for_meeting_after_rename(cell):
    rename_organization(organization=cell, name="Chi bộ bản Lếch Mới", on=datetime.date(2026, 1, 1))

    snapshot = build_snapshot(MinutesFactory(meeting__cell=cell))

    assert snapshot["header"]["cell"] == "CHI BỘ BẢN LẾCH MỚI"


def test_build_snapshot_uses_superior_of_meeting_date(minutes, cell, commune):
    merged = OrganizationFactory(name="Đảng bộ xã Mường Bằng", code="muong-bang")
    move_organization(organization=cell, new_parent=merged, on=AFTER_MEETING)
    rename_organization(organization=commune, name="Đảng bộ xã Cò Nòi Cũ", on=AFTER_MEETING)

    snapshot = build_snapshot(minutes)

    assert snapshot["header"]["superior"] == "ĐẢNG BỘ XÃ CÒ NÒI"
    assert snapshot["header"]["date_line"] == "Cò Nòi, ngày 05 tháng 02 năm 2026"


def test_build_snapshot_place_prefers_cell_place_name(commune):
    cell = CellFactory(parent=commune, name="Chi bộ bản Lếch", place_name="Bản Lếch")

    assert build_snapshot(MinutesFactory(meeting__cell=cell))["header"]["place"] == "Bản Lếch"


def test_build_snapshot_place_falls_back_to_commune_name():
    commune = OrganizationFactory(name="Đảng bộ xã Chiềng Mung")
    cell = CellFactory(parent=commune, name="Chi bộ bản Púng")

    header = build_snapshot(MinutesFactory(meeting__cell=cell))["header"]

    assert header["place"] == "Chiềng Mung"
    assert header["date_line"] == "Chiềng Mung, ngày 05 tháng 02 năm 2026"


def test_place_for_root_cell_uses_own_name():
    cell = CellFactory(parent=None, name="Chi bộ thôn Đông")

    assert place_for([{"organization": cell, "name": cell.name, "kind": cell.kind}]) == "Đông"


def test_build_snapshot_attendance_figures(minutes):
    meeting = minutes.meeting
    AttendanceFactory(meeting=meeting, member__full_name="Lò Văn An")
    AttendanceFactory(meeting=meeting, member__full_name="Lò Văn Bình", status="late")
    AttendanceFactory(meeting=meeting, member__probationary=True, member__full_name="Cà Thị Dự")
    AttendanceFactory(
        meeting=meeting,
        member__full_name="Quàng Văn Ốm",
        status="absent_excused",
        reason="Ốm",
    )
    AttendanceFactory(meeting=meeting, member__full_name="Tòng Văn Vắng", status="absent_unexcused")
    AttendanceFactory(
        meeting=meeting,
        member__exempt=True,
        member__full_name="Điêu Văn Già",
        status="exempt",
        reason="Tuổi cao",
    )
    AttendanceFactory(
        meeting=meeting,
        member__full_name="Lường Thị Khách",
        member__cell=CellFactory(name="Chi bộ bản Nà Sản"),
        is_temporary=True,
    )
    present_officers(minutes)

    attendance = build_snapshot(minutes)["attendance"]

    # The roll of the meeting's day: the six above plus the chair and the minute-taker.
    assert attendance == {
        "total": 8,
        "official": 7,
        "probationary": 1,
        "exempt": 1,
        "exempt_present": 0,
        "expected": 7,
        "present": 5,
        "late": [{"name": "Lò Văn Bình", "reason": ""}],
        "absent_excused": [{"name": "Quàng Văn Ốm", "reason": "Ốm"}],
        "absent_unexcused": [{"name": "Tòng Văn Vắng", "reason": ""}],
        "exempt_names": [{"name": "Điêu Văn Già", "reason": "Tuổi cao", "present": False}],
        "temporary": [{"name": "Lường Thị Khách", "home_cell": "Chi bộ bản Nà Sản"}],
        "official_present": 4,
        "official_voters": 6,
    }


def test_build_snapshot_exempt_member_who_attends_counts_and_votes(minutes):
    # The case of issue 7: 11 official members expected, and one exempted who came.
    for _ in range(9):
        AttendanceFactory(meeting=minutes.meeting)
    AttendanceFactory(
        meeting=minutes.meeting, member__exempt=True, member__full_name="Điêu Văn Già"
    )
    present_officers(minutes)
    minutes.votes_for, minutes.votes_against, minutes.votes_abstain = 6, 6, 0
    minutes.resolution = "Tiếp tục giúp đỡ hộ nghèo."

    snapshot = build_snapshot(minutes)

    attendance = snapshot["attendance"]
    assert (attendance["exempt"], attendance["exempt_present"], attendance["expected"]) == (
        1,
        1,
        11,
    )
    assert (attendance["present"], attendance["official_voters"]) == (12, 12)
    assert attendance["exempt_names"] == [
        {"name": "Điêu Văn Già", "reason": "Tuổi cao, sức yếu", "present": True}
    ]
    assert snapshot["vote"]["passed"] is False


def test_build_snapshot_counts_member_official_only_from_official_date(minutes):
    # Official today, but still probationary on the meeting's day: no vote then.
    AttendanceFactory(meeting=minutes.meeting, member__official_on=datetime.date(2026, 2, 20))
    present_officers(minutes)

    attendance = build_snapshot(minutes)["attendance"]

    # The chair and the minute-taker are the official members.
    assert (attendance["official"], attendance["probationary"]) == (2, 1)
    assert (attendance["official_voters"], attendance["official_present"]) == (2, 2)


def test_build_snapshot_vote_line_out_of_official_members(minutes):
    for _ in range(6):
        AttendanceFactory(meeting=minutes.meeting)
    AttendanceFactory(meeting=minutes.meeting, member__probationary=True)
    present_officers(minutes)

    vote = build_snapshot(minutes)["vote"]

    assert vote == {
        "for": 7,
        "against": 1,
        "abstain": 0,
        "voters": 8,
        "present": 8,
        "has_resolution": False,
        "basis": "Số đảng viên chính thức có quyền biểu quyết: 8 đồng chí; có mặt: 8 đồng chí.",
        "line": "Tán thành: 7/8 đồng chí (87,5%); không tán thành: 1/8 đồng chí (12,5%); "
        "không biểu quyết: 0/8 đồng chí (0%).",
        "passed": True,
        "outcome": "Nghị quyết được thông qua (quá nửa số đảng viên chính thức tán thành).",
    }


def test_build_snapshot_vote_half_is_not_passed(cell):
    minutes = MinutesFactory(meeting__cell=cell, votes_for=2, votes_against=2, votes_abstain=0)
    for _ in range(4):
        AttendanceFactory(meeting=minutes.meeting)

    vote = build_snapshot(minutes)["vote"]

    assert vote["passed"] is False
    assert vote["outcome"].startswith("Nghị quyết chưa được thông qua")


def test_build_snapshot_vote_not_recorded(cell):
    vote = build_snapshot(MinutesFactory(meeting__cell=cell))["vote"]

    assert vote["passed"] is None
    # No resolution, no vote: the record says so.
    assert vote["outcome"] == "Chi bộ không ra nghị quyết nên không biểu quyết."
    assert vote["line"] == (
        "Tán thành: …/2 đồng chí; không tán thành: …/2 đồng chí; không biểu quyết: …/2 đồng chí."
    )


def test_build_snapshot_people_and_positions(minutes, cell, commune):
    PositionFactory(member=minutes.chair, cell=cell, kind="committee")
    PositionFactory(member=minutes.chair, cell=cell, kind="secretary")
    PositionFactory(
        member=minutes.minute_taker,
        cell=cell,
        kind="deputy",
        ends_on=datetime.date(2026, 1, 1),  # no longer deputy on the meeting's day
    )
    cadre = MemberFactory(full_name="Cầm Văn Thưởng")
    CommitteeSeatFactory(member=cadre, organization=commune, kind="standing")
    CadreVisit.objects.create(meeting=minutes.meeting, cadre=cadre)
    CadreVisit.objects.create(meeting=minutes.meeting, cadre=MemberFactory(), attended=False)
    Guest.objects.create(meeting=minutes.meeting, name="Lường Văn Ơn", title="Trưởng bản")

    snapshot = build_snapshot(minutes)

    assert snapshot["chair"] == {"name": minutes.chair.full_name, "position": "Bí thư chi bộ"}
    assert snapshot["minute_taker"] == {"name": minutes.minute_taker.full_name, "position": ""}
    assert snapshot["cadres"] == [
        {"name": "Cầm Văn Thưởng", "title": "Ủy viên Ban Thường vụ Đảng ủy xã Cò Nòi"}
    ]
    assert snapshot["guests"] == [{"name": "Lường Văn Ơn", "title": "Trưởng bản"}]
    assert snapshot["signatures"] == {
        "left": {"title": "THƯ KÝ", "name": minutes.minute_taker.full_name},
        "right": {"title": "CHỦ TRÌ", "name": minutes.chair.full_name},
    }


def test_build_snapshot_without_chair_or_minute_taker(cell):
    minutes = MinutesFactory(meeting__cell=cell, chair=None, minute_taker=None)

    snapshot = build_snapshot(minutes)

    assert snapshot["chair"] == {"name": "", "position": ""}
    assert snapshot["signatures"]["right"] == {"title": "CHỦ TRÌ", "name": ""}


def test_build_snapshot_times_and_sections(minutes):
    minutes.news = "Quán triệt Nghị quyết 57."
    minutes.save()

    snapshot = build_snapshot(minutes)

    assert snapshot["opening"] == {
        "started_at": "2026-02-05T19:30:00+07:00",
        "text": "19 giờ 30 phút, ngày 05 tháng 02 năm 2026",
        "place": "Nhà văn hóa bản",
    }
    assert snapshot["closing"] == {
        "ended_at": "2026-02-05T21:15:00+07:00",
        "text": "Buổi sinh hoạt kết thúc vào hồi 21 giờ 15 phút cùng ngày.",
    }
    assert snapshot["sections"]["news"] == "Quán triệt Nghị quyết 57."
    assert list(snapshot["sections"]) == [
        "party_fees",
        "programme",
        "news",
        "assessment",
        "criticism",
        "summary",
        "resolution",
    ]


def test_build_snapshot_closing_unknown(cell):
    minutes = MinutesFactory(meeting__cell=cell, ended_at=None)

    assert build_snapshot(minutes)["closing"] == {
        "ended_at": None,
        "text": "Buổi sinh hoạt kết thúc vào hồi … giờ … phút.",
    }


def test_build_snapshot_speeches_tasks_and_assessed_tasks(minutes, cell):
    SpeechFactory(minutes=minutes, member__full_name="Lò Văn Nói", text="Nhất trí.", order=2)
    SpeechFactory(
        minutes=minutes, member=None, speaker_name="Ông Lường Văn Ơn", text="Đề nghị.", order=1
    )
    ResolutionTaskFactory(
        minutes=minutes,
        title="Giúp 2 hộ nghèo",
        assignee__full_name="Cà Văn Làm",
        due_on=datetime.date(2026, 3, 3),
    )
    ResolutionTaskFactory(
        minutes=minutes,
        title="Sửa đường",
        assignee=None,
        assignee_text="Đoàn thanh niên",
        due_on=None,
    )
    earlier = MinutesFactory(meeting=MeetingFactory(cell=cell, period=datetime.date(2026, 1, 1)))
    ResolutionTaskFactory(
        minutes=earlier,
        title="Thu đảng phí",
        assignee__full_name="Lò Thị Thu",
        due_on=datetime.date(2026, 2, 3),
        status="late",
        result_note="Xong ngày 04/02",
        assessed_in=minutes,
    )

    snapshot = build_snapshot(minutes)

    assert snapshot["speeches"] == [
        {"speaker": "Ông Lường Văn Ơn", "label": "Ông Lường Văn Ơn", "text": "Đề nghị."},
        {"speaker": "Lò Văn Nói", "label": "Đồng chí Lò Văn Nói", "text": "Nhất trí."},
    ]
    assert snapshot["tasks"] == [
        {
            "title": "Giúp 2 hộ nghèo",
            "assignee": "Cà Văn Làm",
            "due_on": "2026-03-03",
            "due_on_text": "03/03/2026",
        },
        {"title": "Sửa đường", "assignee": "Đoàn thanh niên", "due_on": None, "due_on_text": ""},
    ]
    assert snapshot["assessed_tasks"] == [
        {
            "title": "Thu đảng phí",
            "assignee": "Lò Thị Thu",
            "due_on": "2026-02-03",
            "due_on_text": "03/02/2026",
            "result": "Hoàn thành chậm",
            "result_note": "Xong ngày 04/02",
        }
    ]


def test_build_snapshot_of_amendment_names_corrected_minutes(minutes):
    minutes.state = MinutesState.FINAL
    minutes.snapshot = build_snapshot(minutes)
    minutes.save()
    amendment = MinutesFactory(
        meeting=minutes.meeting,
        amends=minutes,
        finalized_at=datetime.datetime(2026, 2, 20, 9, 0, tzinfo=datetime.UTC),
    )

    snapshot = build_snapshot(amendment)

    assert snapshot["amends"] == {
        "minutes_id": minutes.pk,
        "number_text": "Số 05-BB/CB",
        "date": "2026-02-05",
        "text": "Biên bản này đính chính Biên bản số 05-BB/CB ngày 05 tháng 02 năm 2026.",
    }
    # The amendment is dated the day it was written, still with the meeting's names.
    assert snapshot["header"]["date_line"] == "Cò Nòi, ngày 20 tháng 02 năm 2026"


@pytest.mark.parametrize("n", [1, 5])
def test_build_snapshot_query_count_does_not_grow(minutes, commune, django_assert_num_queries, n):
    for _ in range(n):
        AttendanceFactory(meeting=minutes.meeting)
        SpeechFactory(minutes=minutes)
        ResolutionTaskFactory(minutes=minutes)
        cadre = MemberFactory()
        CommitteeSeatFactory(member=cadre, organization=commune)
        CadreVisit.objects.create(meeting=minutes.meeting, cadre=cadre)
        Guest.objects.create(meeting=minutes.meeting, name="Khách")

    # The attendance sheet (rules.count_roll's rows) takes seven, the feedback
    # answers read back at the meeting one.
    with django_assert_num_queries(16):
        build_snapshot(minutes)
