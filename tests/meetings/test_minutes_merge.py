"""Two editors on one draft: merges, conflicts with choices, idempotent saves,
and the length of each part."""

import datetime

import pytest

from meetings.models import Minutes, ResolutionTask, Speech
from meetings.services.attendance import Entry, save_attendance
from meetings.services.finalize import finalize_minutes
from meetings.services.minutes import (
    Assessment,
    MinutesConflict,
    MinutesError,
    SpeechData,
    TaskData,
    save_minutes,
    start_minutes,
)
from tests.factories import MeetingFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TZ = datetime.timezone(datetime.timedelta(hours=7))


def meeting_on(cell, members, day):
    meeting = MeetingFactory(
        cell=cell,
        period=day.replace(day=1),
        scheduled_at=datetime.datetime.combine(day, datetime.time(19, 30), tzinfo=TZ),
        state="planned",
    )
    save_attendance(meeting=meeting, members=[Entry(m.pk, "present") for m in members], by=None)
    return meeting


@pytest.fixture
def draft(cell, members, alice):
    """A draft at version 2 with one speech (key s1) and one task (key t1)."""
    minutes = start_minutes(meeting=meeting_on(cell, members, datetime.date(2026, 2, 5)), by=alice)
    return save_minutes(
        minutes=minutes,
        version=1,
        content={"news": "Tin tức"},
        speeches=[SpeechData("Nhất trí", member_id=members[0].pk, key="s1")],
        tasks=[TaskData("Giúp hộ nghèo", key="t1", due_on=datetime.date(2026, 3, 3))],
        by=alice,
    )


def speeches_of(minutes):
    return list(minutes.speeches.values_list("key", "text", "order"))


def tasks_of(minutes):
    return list(minutes.tasks.order_by("id").values_list("key", "title", "due_on"))


T1 = TaskData("Giúp hộ nghèo", key="t1", due_on=datetime.date(2026, 3, 3))


def s1(members, text="Nhất trí"):
    return SpeechData(text, member_id=members[0].pk, key="s1")


# Merging --------------------------------------------------------------------------------


def test_save_minutes_speeches_and_tasks_added_by_two_editors_are_both_kept(
    draft, members, alice, bob
):
    save_minutes(
        minutes=draft,
        version=2,
        content={"news": "Tin tức"},
        speeches=[s1(members), SpeechData("Của Bình", speaker_name="Khách", key="s2")],
        tasks=[T1],
        by=bob,
    )

    saved = save_minutes(
        minutes=Minutes.objects.get(pk=draft.pk),
        version=2,
        content={"news": "Tin tức"},
        speeches=[s1(members), SpeechData("Của An", member_id=members[1].pk, key="s3")],
        tasks=[T1, TaskData("Thu đảng phí", key="t2")],
        by=alice,
    )

    assert saved.version == 4
    assert saved.merge is not None and saved.merge.conflicts == []
    assert speeches_of(saved) == [("s1", "Nhất trí", 0), ("s3", "Của An", 1), ("s2", "Của Bình", 2)]
    assert [t[:2] for t in tasks_of(saved)] == [("t1", "Giúp hộ nghèo"), ("t2", "Thu đảng phí")]


def test_save_minutes_a_part_changed_on_one_side_takes_that_side(draft, members, alice, bob):
    save_minutes(
        minutes=draft,
        version=2,
        content={"news": "Tin tức của Bình"},
        speeches=[s1(members, "Nhất trí, sửa bởi Bình")],
        tasks=[T1],
        by=bob,
    )

    saved = save_minutes(
        minutes=Minutes.objects.get(pk=draft.pk),
        version=2,
        content={"news": "Tin tức", "summary": "Tóm tắt của An"},
        speeches=[s1(members)],
        tasks=[TaskData("Giúp hộ nghèo, sửa bởi An", key="t1", due_on=T1.due_on)],
        by=alice,
    )

    assert (saved.news, saved.summary) == ("Tin tức của Bình", "Tóm tắt của An")
    assert speeches_of(saved) == [("s1", "Nhất trí, sửa bởi Bình", 0)]
    assert tasks_of(saved) == [("t1", "Giúp hộ nghèo, sửa bởi An", datetime.date(2026, 3, 3))]


def test_save_minutes_same_speech_changed_by_both_is_a_conflict_nothing_written(
    draft, members, alice, bob
):
    save_minutes(
        minutes=draft,
        version=2,
        content={"news": "Tin tức"},
        speeches=[s1(members, "Bản của Bình")],
        tasks=[T1],
        by=bob,
    )

    with pytest.raises(MinutesConflict) as error:
        save_minutes(
            minutes=Minutes.objects.get(pk=draft.pk),
            version=2,
            content={"news": "Tin tức"},
            speeches=[s1(members, "Bản của An")],
            tasks=[T1],
            by=alice,
        )

    [conflict] = error.value.merge.conflicts
    assert (conflict.key, conflict.label, conflict.mine, conflict.theirs) == (
        "speech:s1",
        "Speech",
        "Lò Văn An: Bản của An",
        "Lò Văn An: Bản của Bình",
    )
    assert conflict.choices == ("mine", "theirs", "both")
    assert speeches_of(Minutes.objects.get(pk=draft.pk)) == [("s1", "Bản của Bình", 0)]


def test_save_minutes_choosing_both_keeps_both_speeches(draft, members, alice, bob):
    save_minutes(
        minutes=draft,
        version=2,
        content={"news": "Tin tức"},
        speeches=[s1(members, "Bản của Bình")],
        tasks=[T1],
        by=bob,
    )

    saved = save_minutes(
        minutes=Minutes.objects.get(pk=draft.pk),
        version=3,
        content={"news": "Tin tức"},
        speeches=[s1(members, "Bản của An")],
        tasks=[T1],
        choices={"speech:s1": "both"},
        by=alice,
    )

    assert [text for _key, text, _order in speeches_of(saved)] == ["Bản của An", "Bản của Bình"]


def test_save_minutes_text_changed_by_both_offers_both_and_keeps_both_texts(
    draft, members, alice, bob
):
    save_minutes(
        minutes=draft,
        version=2,
        content={"news": "Của Bình"},
        by=bob,
        tasks=[T1],
        speeches=[s1(members)],
    )
    with pytest.raises(MinutesConflict) as error:
        save_minutes(
            minutes=draft,
            version=2,
            content={"news": "Của An"},
            by=alice,
            tasks=[T1],
            speeches=[s1(members)],
        )
    [conflict] = error.value.merge.conflicts
    assert (conflict.key, conflict.mine, conflict.theirs) == ("field:news", "Của An", "Của Bình")

    saved = save_minutes(
        minutes=draft,
        version=error.value.current.version,
        content={"news": "Của An"},
        tasks=[T1],
        speeches=[s1(members)],
        choices={"field:news": "both"},
        by=alice,
    )

    assert saved.news == "Của An\n\nCủa Bình"


def test_save_minutes_row_removed_by_one_and_changed_by_the_other_is_a_conflict(
    draft, members, alice, bob
):
    save_minutes(
        minutes=draft, version=2, content={}, by=bob, tasks=[T1], speeches=[s1(members, "Bình sửa")]
    )

    with pytest.raises(MinutesConflict) as error:
        save_minutes(minutes=draft, version=2, content={}, by=alice, tasks=[T1], speeches=[])

    [conflict] = error.value.merge.conflicts
    assert (conflict.key, conflict.mine, conflict.theirs) == (
        "speech:s1",
        "(removed)",
        "Lò Văn An: Bình sửa",
    )
    saved = save_minutes(
        minutes=draft,
        version=3,
        content={},
        by=alice,
        tasks=[T1],
        speeches=[],
        choices={"speech:s1": "theirs"},
    )
    assert speeches_of(saved) == [("s1", "Bình sửa", 0)]


def test_save_minutes_results_of_last_months_tasks_conflict_and_merge(cell, members, alice, bob):
    january = start_minutes(meeting=meeting_on(cell, members, datetime.date(2026, 1, 5)), by=alice)
    start = january.meeting.scheduled_at
    january = save_minutes(
        minutes=january,
        version=1,
        content={
            "chair_id": members[0].pk,
            "minute_taker_id": members[1].pk,
            "started_at": start,
            "ended_at": start + datetime.timedelta(minutes=100),
            "resolution": "Giúp hộ nghèo",
            "votes_for": 3,
            "votes_against": 0,
            "votes_abstain": 0,
            "read_back_adopted": True,
        },
        tasks=[TaskData("Giúp hộ nghèo", key="a"), TaskData("Sửa nhà văn hóa", key="b")],
        by=alice,
    )
    finalize_minutes(minutes=january, by=alice)
    first, second = ResolutionTask.objects.filter(minutes=january).order_by("id")
    february = start_minutes(meeting=meeting_on(cell, members, datetime.date(2026, 2, 5)), by=alice)
    save_minutes(
        minutes=february,
        version=1,
        content={},
        assessments=[Assessment(first.pk, "done", "Bình ghi"), Assessment(second.pk, "open")],
        by=bob,
    )

    with pytest.raises(MinutesConflict) as error:
        save_minutes(
            minutes=february,
            version=1,
            content={},
            assessments=[Assessment(first.pk, "late", "An ghi"), Assessment(second.pk, "dropped")],
            by=alice,
        )

    [conflict] = error.value.merge.conflicts
    assert conflict.label == "Result of a task of last month: Giúp hộ nghèo"
    assert (conflict.key, conflict.mine, conflict.theirs) == (
        f"assess:{first.pk}",
        "done late · An ghi",
        "done · Bình ghi",
    )
    save_minutes(
        minutes=february,
        version=2,
        content={},
        assessments=[Assessment(first.pk, "late", "An ghi"), Assessment(second.pk, "dropped")],
        choices={f"assess:{first.pk}": "theirs"},
        by=alice,
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.result_note, second.status) == ("done", "Bình ghi", "dropped")


# One editor, a lost reply ----------------------------------------------------------------


def test_save_minutes_the_same_save_sent_twice_is_written_once(draft, members, alice):
    marks = {"editor_token": "tab1", "save_id": "save1"}
    kwargs = {"content": {"news": "Một lần"}, "speeches": [s1(members)], "tasks": [T1], "by": alice}
    save_minutes(minutes=draft, version=2, **kwargs, **marks)

    again = save_minutes(minutes=Minutes.objects.get(pk=draft.pk), version=2, **kwargs, **marks)

    assert (again.version, again.news) == (3, "Một lần")
    assert Minutes.history.filter(id=draft.pk).count() == 3


def test_save_minutes_after_a_lost_reply_the_next_save_is_no_conflict(draft, members, alice):
    new_row = SpeechData("Đồng chí", speaker_name="Khách", key="s9")
    save_minutes(
        minutes=draft,
        version=2,
        content={"news": "Tin"},
        speeches=[s1(members), new_row],
        tasks=[T1],
        by=alice,
        editor_token="tab1",
        save_id="a",
    )  # the reply to this one never reached the phone: it still says version 2

    saved = save_minutes(
        minutes=Minutes.objects.get(pk=draft.pk),
        version=2,
        content={"news": "Tin tức mới"},
        speeches=[s1(members), SpeechData("Đồng chí Minh nói", speaker_name="Khách", key="s9")],
        tasks=[T1],
        by=alice,
        editor_token="tab1",
        save_id="b",
    )

    assert (saved.version, saved.news, saved.merge) == (4, "Tin tức mới", None)
    assert speeches_of(saved) == [("s1", "Nhất trí", 0), ("s9", "Đồng chí Minh nói", 1)]


def test_save_minutes_same_user_in_another_page_is_merged_not_overwritten(draft, members, alice):
    save_minutes(
        minutes=draft,
        version=2,
        content={"news": "Trang một"},
        speeches=[s1(members)],
        tasks=[T1],
        by=alice,
        editor_token="tab1",
        save_id="a",
    )

    with pytest.raises(MinutesConflict):
        save_minutes(
            minutes=draft,
            version=2,
            content={"news": "Trang hai"},
            speeches=[s1(members)],
            tasks=[T1],
            by=alice,
            editor_token="tab2",
            save_id="b",
        )

    assert Minutes.objects.get(pk=draft.pk).news == "Trang một"


# Limits -------------------------------------------------------------------------------------


def test_save_minutes_over_long_text_is_refused_naming_the_field(draft, members, alice):
    with pytest.raises(MinutesError) as error:
        save_minutes(minutes=draft, version=2, content={"news": "x" * 8001}, by=alice)

    assert error.value.messages == [
        "“News and new documents disseminated” is too long: at most 8000 characters (it has 8001)."
    ]
    assert Minutes.objects.get(pk=draft.pk).version == 2


def test_save_minutes_over_long_speech_is_refused(draft, members, alice):
    with pytest.raises(MinutesError) as error:
        save_minutes(
            minutes=draft,
            version=2,
            content={},
            speeches=[SpeechData("x" * 4001, speaker_name="Khách")],
            by=alice,
        )

    assert error.value.messages == ["“Opinion” is too long: at most 4000 characters (it has 4001)."]
    assert Speech.objects.filter(minutes=draft).count() == 1


def test_save_minutes_a_save_landing_between_read_and_write_is_merged_too(
    draft, members, alice, bob, monkeypatch
):
    from meetings.services import minutes as service

    write = service._write
    landed = []

    def another_save_lands_first(minutes, version, state, by, *, reason, posted):
        if not landed:
            landed.append(True)
            theirs = service.draft_state(minutes)
            theirs.content["summary"] = "Tóm tắt của Bình"
            write(Minutes.objects.get(pk=minutes.pk), version, theirs, bob, reason="", posted=None)
        return write(minutes, version, state, by, reason=reason, posted=posted)

    monkeypatch.setattr(service, "_write", another_save_lands_first)

    saved = save_minutes(
        minutes=draft,
        version=2,
        content={"news": "Tin của An"},
        speeches=[s1(members)],
        tasks=[T1],
        by=alice,
    )

    assert (saved.version, saved.news, saved.summary) == (4, "Tin của An", "Tóm tắt của Bình")
    assert saved.merge is not None
