"""The cheap autosave: what it reads and writes, and the history it keeps
(one row per editor page and minute, every explicit save and finalize);
autosaves that edit speeches, tasks or people: at most 10 queries, the
people named anew checked against the roll in one query, and the history
rows of speeches and tasks joined by the minutes' rule."""

import datetime
import io
import uuid
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.forms_minutes import changed_texts, posted_digests
from meetings.models import Minutes, ResolutionTask, Speech
from meetings.selectors.attendance import attendance_sheet, people_among
from meetings.selectors.history import minutes_history
from meetings.services.attendance import Entry, save_attendance
from meetings.services.finalize import finalize_minutes
from meetings.services.minutes import (
    RECENT_SAVES,
    SpeechData,
    save_minutes,
    show_version,
    start_minutes,
)
from members.models import TemporaryAttendance, Transfer
from tests.factories import CellFactory, MeetingFactory, MemberFactory, RoleFactory, UserFactory
from tests.meetings.test_minutes_views import complete, editor_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]


@pytest.fixture
def meeting(cell, members):
    meeting = MeetingFactory(cell=cell, state="planned")
    save_attendance(meeting=meeting, members=[Entry(m.pk, "present") for m in members], by=None)
    return meeting


def _user(cell, username, kind):
    user = UserFactory(username=username, first_name=username.capitalize())
    RoleFactory(user=user, organization=cell, kind=kind)
    return user


@pytest.fixture
def alice(cell):
    return _user(cell, "alice", "secretary")


@pytest.fixture
def bob(cell):
    return _user(cell, "bob", "deputy")


@pytest.fixture
def draft(meeting, alice):
    return start_minutes(meeting=meeting, by=alice)


def autosave(client, minutes, version, *, page="page-a", save=None, **fields):
    data = editor_data(version, **fields)
    data.update(editor_token=page, save_id=save or uuid.uuid4().hex)
    return client.post(reverse("minutes_autosave", args=[minutes.pk]), data)


def rows(minutes):
    """The minutes' history rows: version, who, the news, how saved."""
    return [
        (r.version, r.history_user.username if r.history_user else None, r.news, kind(r))
        for r in minutes.history.order_by("history_id")
    ]


def kind(record) -> str:
    reason = record.history_change_reason or ""
    return "auto" if reason.startswith("auto ") else ("save" if reason else "-")


def writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")
    ]


# What an autosave reads and writes ---------------------------------------------


def test_typing_autosave_takes_nine_queries(client, draft, alice, django_assert_num_queries):
    client.force_login(alice)
    assert autosave(client, draft, 1, news="Tin").status_code == 200

    # Session, user, roles, member, the minutes; a savepoint around the
    # UPDATE of the minutes and of the history row it joins.
    with django_assert_num_queries(9):
        response = autosave(client, draft, 2, news="Tin tức")

    assert response.status_code == 200
    assert response.json()["version"] == 3
    draft.refresh_from_db()
    assert (draft.news, draft.version, draft.updated_by) == ("Tin tức", 3, alice)


def test_typing_autosave_stays_within_ten_queries_when_it_adds_a_row(
    client, draft, alice, django_assert_max_num_queries
):
    client.force_login(alice)
    autosave(client, draft, 1, news="Tin")

    with django_assert_max_num_queries(10):
        response = autosave(client, draft, 2, page="page-b", news="Tin tức")

    assert response.status_code == 200
    assert [r[3] for r in rows(draft)] == ["-", "auto", "auto"]


def test_untouched_autosave_writes_nothing(client, draft, alice):
    client.force_login(alice)
    autosave(client, draft, 1, news="Tin", summary="Tóm tắt")
    draft.refresh_from_db()
    before = (draft.version, draft.updated_at, rows(draft))

    with CaptureQueriesContext(connection) as queries:
        response = autosave(client, draft, 2, news="Tin", summary="Tóm tắt")

    assert response.status_code == 200
    assert response.json() == {
        "version": 2,
        "saved_at": timezone.localtime(draft.updated_at).strftime("%H:%M"),
    }
    assert writes(queries) == []
    draft.refresh_from_db()
    assert (draft.version, draft.updated_at, rows(draft)) == before


def test_untouched_first_post_of_a_page_writes_only_its_digests(client, draft, alice):
    client.force_login(alice)

    with CaptureQueriesContext(connection) as queries:
        response = autosave(client, draft, 1)

    assert response.json()["version"] == 1
    assert len(writes(queries)) == 1  # the digests, so the next one compares
    draft.refresh_from_db()
    assert draft.posted_digests["news"] == posted_digests(editor_data(1))["news"]
    assert rows(draft) == [(1, "alice", "", "-")]


def test_text_autosave_of_an_over_long_section_is_refused_as_the_full_editor_does(
    client, draft, alice
):
    client.force_login(alice)
    full = autosave(client, draft, 1, news="x" * 8001)  # no digests yet: the whole editor
    autosave(client, draft, 1, news="Tin")

    quick = autosave(client, draft, 2, news="x" * 8001)

    assert (full.status_code, quick.status_code) == (400, 400)
    assert quick.json()["errors"] == full.json()["errors"]
    assert quick.json()["errors"]["news"] == [
        "“News and new documents disseminated” is too long: at most 8000 characters (it has 8001)."
    ]
    draft.refresh_from_db()
    assert (draft.version, draft.news) == (2, "Tin")


def test_text_autosave_sends_findings_only_when_the_resolution_appears_or_goes(
    client, draft, alice
):
    client.force_login(alice)
    first = autosave(client, draft, 1, news="Tin").json()
    typed = autosave(client, draft, 2, news="Tin tức").json()
    resolved = autosave(client, draft, 3, news="Tin tức", resolution="Giúp hộ nghèo").json()
    longer = autosave(client, draft, 4, news="Tin tức", resolution="Giúp hai hộ nghèo").json()

    assert "findings" in first
    assert "findings" not in typed
    assert "findings" not in longer
    messages = [f["message"] for f in resolved["findings"]]
    assert "Choose who chaired the meeting." in messages
    assert messages != [f["message"] for f in first["findings"]]


def test_autosave_of_rows_reads_the_whole_editor_and_keeps_its_digests(
    client, draft, members, alice
):
    client.force_login(alice)
    autosave(client, draft, 1, news="Tin")
    speech = {
        "speeches-0-member": members[0].pk,
        "speeches-0-text": "Ý kiến",
    }

    response = autosave(client, draft, 2, news="Tin", **speech)

    assert response.status_code == 200
    assert list(draft.speeches.values_list("member_id", "text")) == [(members[0].pk, "Ý kiến")]
    draft.refresh_from_db()
    assert draft.posted_digests["speeches"] == posted_digests(editor_data(2, **speech))["speeches"]
    assert "findings" not in response.json()  # a speech changes nothing they check


def test_autosave_of_a_person_who_is_not_on_the_roll_is_refused(client, draft, alice):
    client.force_login(alice)
    autosave(client, draft, 1, news="Tin")

    response = autosave(client, draft, 2, news="Tin", chair=999_999)

    assert response.status_code == 400
    assert "chair" in response.json()["errors"]
    draft.refresh_from_db()
    assert (draft.version, draft.chair_id) == (2, None)


def test_autosave_for_an_outsider_is_404_and_for_a_reader_403(client, draft, commune):
    client.force_login(UserFactory(username="charlie"))
    outsider = autosave(client, draft, 1, news="Tin")
    reader = UserFactory(username="dora")
    RoleFactory(user=reader, organization=commune, kind="staff")
    client.force_login(reader)

    read_only = autosave(client, draft, 1, news="Tin")

    assert (outsider.status_code, read_only.status_code) == (404, 403)
    assert Minutes.objects.get(pk=draft.pk).news == ""


# One history row per editor page and minute ------------------------------------------


def test_autosaves_of_one_page_within_a_minute_make_one_row(client, draft, alice):
    client.force_login(alice)
    for version, text in enumerate(["Tin", "Tin tức", "Tin tức mới"], start=1):
        assert autosave(client, draft, version, news=text).status_code == 200

    assert rows(draft) == [(1, "alice", "", "-"), (4, "alice", "Tin tức mới", "auto")]
    last = draft.history.order_by("-history_id").first()
    assert last.updated_at == Minutes.objects.get(pk=draft.pk).updated_at


def test_another_user_or_page_or_minute_adds_a_row(client, draft, alice, bob):
    client.force_login(alice)
    autosave(client, draft, 1, news="Tin")
    autosave(client, draft, 2, page="page-b", news="Tin 2")  # alice's other tab
    client.force_login(bob)
    autosave(client, draft, 3, page="page-c", news="Tin 3")
    client.force_login(alice)
    autosave(client, draft, 4, page="page-a", news="Tin 4")  # page-a again, after bob
    draft.history.filter(version=5).update(
        history_date=F("history_date") - datetime.timedelta(minutes=1)
    )
    autosave(client, draft, 5, page="page-a", news="Tin 5")  # the next minute

    assert rows(draft) == [
        (1, "alice", "", "-"),
        (2, "alice", "Tin", "auto"),
        (3, "alice", "Tin 2", "auto"),
        (4, "bob", "Tin 3", "auto"),
        (5, "alice", "Tin 4", "auto"),
        (6, "alice", "Tin 5", "auto"),
    ]


def test_explicit_save_always_writes_its_own_row(client, draft, alice):
    client.force_login(alice)
    autosave(client, draft, 1, news="Tin")
    page = reverse("minutes_edit", args=[draft.meeting_id])
    marks = {"editor_token": "page-a", "save_id": "button-1"}

    saved = client.post(page, {**editor_data(2, news="Tin"), **marks})  # changes nothing
    autosave(client, draft, 3, news="Tin tức")

    assert saved.status_code == 302
    assert rows(draft) == [
        (1, "alice", "", "-"),
        (2, "alice", "Tin", "auto"),
        (3, "alice", "Tin", "save"),
        (4, "alice", "Tin tức", "auto"),
    ]


def test_save_button_through_the_script_always_writes_its_own_row(client, draft, alice):
    client.force_login(alice)
    autosave(client, draft, 1, news="Tin")

    button = autosave(client, draft, 2, news="Tin", explicit="1")  # changes nothing
    again = autosave(client, draft, 3, news="Tin tức", explicit="1")
    typed = autosave(client, draft, 4, news="Tin tức mới")

    assert [r.json()["version"] for r in (button, again, typed)] == [3, 4, 5]
    assert rows(draft) == [
        (1, "alice", "", "-"),
        (2, "alice", "Tin", "auto"),
        (3, "alice", "Tin", "save"),
        (4, "alice", "Tin tức", "save"),
        (5, "alice", "Tin tức mới", "auto"),
    ]


def test_finalize_writes_its_own_row_after_autosaves(client, draft, members, alice):
    client.force_login(alice)
    first = {**complete(members, 1), "editor_token": "page-a", "save_id": "s1"}
    client.post(reverse("minutes_autosave", args=[draft.pk]), first)
    autosave_data = {**complete(members, 2, summary="Tóm tắt"), "editor_token": "page-a"}
    client.post(reverse("minutes_autosave", args=[draft.pk]), autosave_data)
    assert [r[0] for r in rows(draft)] == [1, 3]

    final = finalize_minutes(minutes=Minutes.objects.get(pk=draft.pk), by=alice)

    assert final.is_final
    assert [(r[0], r[1], r[3]) for r in rows(draft)] == [
        (1, "alice", "-"),
        (3, "alice", "auto"),
        (4, "alice", "-"),
    ]


def test_a_version_shown_to_a_page_keeps_its_row_and_that_page_merges(client, draft, alice, bob):
    client.force_login(alice)
    autosave(client, draft, 1, news="Tin")
    client.force_login(bob)
    assert client.get(reverse("minutes_edit", args=[draft.meeting_id])).status_code == 200
    client.force_login(alice)
    autosave(client, draft, 2, news="Tin tức")  # bob was shown version 2: a new row
    autosave(client, draft, 3, news="Tin tức mới")  # joins alice's row of version 3
    client.force_login(bob)

    response = autosave(client, draft, 2, page="page-b", news="Tin", summary="Tóm tắt của Bình")

    assert response.status_code == 200
    draft.refresh_from_db()
    assert (draft.news, draft.summary) == ("Tin tức mới", "Tóm tắt của Bình")
    assert response.json()["message"].endswith("together with the changes Alice saved before.")
    assert [r[:3] for r in rows(draft)] == [
        (1, "alice", ""),
        (2, "alice", "Tin"),
        (4, "alice", "Tin tức mới"),
        (5, "bob", "Tin tức mới"),
    ]


def test_a_shown_version_still_conflicts_where_both_changed_the_same_part(
    client, draft, alice, bob
):
    client.force_login(alice)
    autosave(client, draft, 1, news="Tin")
    client.force_login(bob)
    client.get(reverse("minutes_edit", args=[draft.meeting_id]))
    client.force_login(alice)
    autosave(client, draft, 2, news="Tin của An")
    client.force_login(bob)

    response = autosave(client, draft, 2, page="page-b", news="Tin của Bình")

    assert response.status_code == 409
    assert [(c["mine"], c["theirs"]) for c in response.json()["conflicts"]] == [
        ("Tin của Bình", "Tin của An")
    ]
    assert Minutes.objects.get(pk=draft.pk).shown_version == 3  # bob's page saves from it next


def test_show_version_keeps_the_row_only_of_the_version_read(draft):
    stale = Minutes.objects.get(pk=draft.pk)
    Minutes.objects.filter(pk=draft.pk).update(version=2)

    assert show_version(stale) is False
    fresh = Minutes.objects.get(pk=draft.pk)
    assert show_version(fresh) is True
    assert Minutes.objects.get(pk=draft.pk).shown_version == 2
    assert show_version(fresh) is True  # already shown: nothing written


def test_a_save_sent_again_after_its_row_was_joined_is_written_once(client, draft, alice):
    client.force_login(alice)
    autosave(client, draft, 1, save="s1", news="Tin")
    autosave(client, draft, 2, save="s2", news="Tin tức")  # joins the row of s1

    again = autosave(client, draft, 1, save="s1", news="Tin")  # s1 delivered late

    assert again.status_code == 200
    assert again.json()["version"] == 3
    draft.refresh_from_db()
    assert draft.news == "Tin tức"
    assert draft.posted_digests["_saves"] == ["s1", "s2"]


def test_only_the_latest_save_ids_are_kept(client, draft, alice):
    client.force_login(alice)
    for version in range(1, RECENT_SAVES + 3):
        autosave(client, draft, version, save=f"s{version}", news=f"Tin {version}")

    draft.refresh_from_db()
    assert draft.posted_digests["_saves"] == [f"s{n}" for n in range(3, RECENT_SAVES + 3)]


def test_history_page_shows_a_joined_entry_from_its_first_save_to_its_last(client, draft, alice):
    client.force_login(alice)
    autosave(client, draft, 1, news="Tin")
    autosave(client, draft, 2, news="Tin tức")
    row = draft.history.get(version=3)
    start = row.history_date - datetime.timedelta(seconds=30)
    draft.history.filter(pk=row.pk).update(history_date=start)
    created = start - datetime.timedelta(minutes=1)
    draft.history.filter(version=1).update(history_date=created, updated_at=created)

    entries = minutes_history(draft)
    html = client.get(reverse("minutes_history", args=[draft.pk])).content.decode()

    assert [(e.kind, e.user, e.until) for e in entries] == [
        ("~", alice, row.updated_at),
        ("+", alice, None),
    ]
    assert entries[0].changes == [("news and new documents disseminated", "—", "Tin tức")]
    shown = (
        f"{timezone.localtime(start):%d/%m/%Y %H:%M:%S}–"
        f"{timezone.localtime(row.updated_at):%H:%M:%S}"
    )
    assert shown in html
    assert html.count('<li class="border-bottom py-2">') == 2


# The service: parts left as they were ------------------------------------------------


def test_save_with_parts_left_as_they_were_merges_with_what_others_saved(draft, members, bob):
    alice_page = Minutes.objects.get(pk=draft.pk)
    save_minutes(
        minutes=draft,
        version=1,
        content={"news": "Tin của Bình"},
        speeches=[SpeechData("Ý kiến", member_id=members[0].pk, key="k1")],
        by=bob,
    )

    saved = save_minutes(
        minutes=alice_page,
        version=1,
        content={"summary": "Tóm tắt của An"},
        speeches=None,
        tasks=None,
        assessments=None,
        by=draft.updated_by,
        autosave=True,
        editor_token="page-a",
    )

    assert saved.merge is not None and saved.merge.conflicts == []
    assert (saved.version, saved.news, saved.summary) == (3, "Tin của Bình", "Tóm tắt của An")
    assert list(saved.speeches.values_list("key", "text")) == [("k1", "Ý kiến")]


def test_explicit_save_that_changes_nothing_still_leaves_a_row(draft, alice):
    saved = save_minutes(minutes=draft, version=1, content={}, by=alice)

    assert saved.version == 2
    assert [r[0] for r in rows(draft)] == [1, 2]


def test_autosave_that_changes_nothing_leaves_no_row(draft, alice):
    saved = save_minutes(minutes=draft, version=1, content={"news": ""}, by=alice, autosave=True)

    assert saved.version == 1
    assert [r[0] for r in rows(draft)] == [1]


# Digests of the post ------------------------------------------------------------------


def test_posted_digests_change_only_for_the_part_that_changed():
    before = posted_digests(editor_data(1, news="Tin"))
    after = posted_digests(
        {**editor_data(7, news="Tin tức"), "csrfmiddlewaretoken": "x", "save_id": "s"}
    )

    assert [part for part in before if before[part] != after[part]] == ["news"]
    assert set(before) >= {"chair", "news", "speeches", "tasks", "assess"}
    row = posted_digests(editor_data(1, news="Tin", **{"speeches-0-text": "Ý kiến"}))
    assert [part for part in before if before[part] != row[part]] == ["speeches"]


def test_changed_texts_reads_the_whole_editor_unless_only_texts_changed(draft):
    saved = editor_data(1, news="Tin")
    draft.posted_digests = posted_digests(saved)

    def changed(data):
        return changed_texts(data, draft, posted_digests(data))

    assert changed(saved) == []
    assert changed(editor_data(1, news="Tin tức", summary="Tóm")) == ["news", "summary"]
    assert changed(editor_data(1, news="Tin", votes_for=3)) is None
    assert changed(editor_data(2, news="Tin tức")) is None  # another version
    assert changed({**editor_data(1, news="Tin tức"), "resolve-field:news": "mine"}) is None
    draft.posted_digests = {}
    assert changed(saved) is None


# The benchmark -------------------------------------------------------------------------


def test_bench_autosave_prints_queries_times_and_editors_per_worker():
    out = io.StringIO()

    call_command("bench_autosave", times=2, stdout=out)

    text = out.getvalue()
    assert "typing (one word more): queries 7 (max 7)" in text
    assert "untouched (the same text again): queries 5 (max 5)" in text
    assert "a speech edited: queries 10 (max 10)" in text
    assert "a task edited: queries 10 (max 10)" in text
    assert "the chair changed: queries " in text
    assert "co-editors in turn (merged)" in text and "status [200]" in text
    assert "editors one sync worker carries" in text
    assert text.endswith("Sample data rolled back.\n")
    assert Minutes.objects.count() == 0


# Merges across joined rows -------------------------------------------------------------


def test_a_page_that_saved_from_before_a_run_merges_with_the_run_and_its_rows(
    client, draft, members, alice, bob
):
    client.force_login(bob)
    client.get(reverse("minutes_edit", args=[draft.meeting_id]))  # bob's page: version 1
    client.force_login(alice)
    autosave(client, draft, 1, news="Tin")
    speech = {"speeches-0-member": members[0].pk, "speeches-0-text": "Ý kiến của An"}
    autosave(client, draft, 2, news="Tin tức", **speech)
    autosave(client, draft, 3, news="Tin tức mới", **speech)  # joins alice's row
    client.force_login(bob)

    response = autosave(client, draft, 1, page="page-b", summary="Tóm tắt của Bình")

    assert response.status_code == 200
    draft.refresh_from_db()
    assert (draft.news, draft.summary, draft.version) == ("Tin tức mới", "Tóm tắt của Bình", 5)
    assert list(draft.speeches.values_list("text", flat=True)) == ["Ý kiến của An"]
    assert [r[:2] for r in rows(draft)] == [(1, "alice"), (4, "alice"), (5, "bob")]


def test_a_page_whose_replies_were_lost_merges_from_its_own_last_save(client, draft, alice, bob):
    client.force_login(alice)
    autosave(client, draft, 1, save="s1", news="Tin")  # reply lost: the page stays at 1
    autosave(client, draft, 1, save="s2", news="Tin tức")  # its own: joins the row
    client.force_login(bob)
    client.get(reverse("minutes_edit", args=[draft.meeting_id]))
    autosave(client, draft, 3, page="page-b", news="Tin tức", summary="Tóm tắt của Bình")
    client.force_login(alice)

    response = autosave(client, draft, 1, save="s3", news="Tin tức mới")

    assert response.status_code == 200
    draft.refresh_from_db()
    assert (draft.news, draft.summary) == ("Tin tức mới", "Tóm tắt của Bình")
    assert response.json()["fields"]  # the page takes the merged draft


def test_text_autosave_merges_a_save_that_lands_while_it_writes(
    client, draft, alice, bob, monkeypatch
):
    from meetings.services import minutes as service

    client.force_login(alice)
    autosave(client, draft, 1, news="Tin")
    write = service._write
    landed = []

    def another_save_lands_first(current, version, state, by, *, reason, posted):
        if not landed:
            landed.append(True)
            theirs = service.draft_state(current)
            theirs.content["summary"] = "Tóm tắt của Bình"
            write(Minutes.objects.get(pk=current.pk), version, theirs, bob, reason="", posted=None)
        return write(current, version, state, by, reason=reason, posted=posted)

    monkeypatch.setattr(service, "_write", another_save_lands_first)

    response = autosave(client, draft, 2, news="Tin tức")

    assert response.status_code == 200
    assert response.json()["version"] == 4
    assert response.json()["message"].endswith("together with the changes Bob saved before.")
    draft.refresh_from_db()
    assert (draft.news, draft.summary) == ("Tin tức", "Tóm tắt của Bình")


def test_history_page_diffs_a_joined_row_against_the_row_before_it(client, draft, alice, bob):
    client.force_login(alice)
    autosave(client, draft, 1, news="Tin")
    client.force_login(bob)
    autosave(client, draft, 2, page="page-b", news="Tin của Bình")
    autosave(client, draft, 3, page="page-b", news="Tin của Bình, sửa")

    entries = minutes_history(draft)

    assert [(e.user, e.changes) for e in entries[:2]] == [
        (bob, [("news and new documents disseminated", "Tin", "Tin của Bình, sửa")]),
        (alice, [("news and new documents disseminated", "—", "Tin")]),
    ]


def test_first_autosave_creates_the_draft_then_the_next_takes_the_text_path(
    client, meeting, alice, django_assert_num_queries
):
    client.force_login(alice)
    first = client.post(
        reverse("minutes_autosave_first", args=[meeting.pk]),
        {**editor_data(1, news="Lần đầu"), "editor_token": "page-a", "save_id": "s1"},
    ).json()
    minutes = Minutes.objects.get(meeting=meeting)

    with django_assert_num_queries(9):
        second = autosave(client, minutes, first["version"], news="Lần hai")

    assert (first["version"], first["minutes_id"], second.json()["version"]) == (2, minutes.pk, 3)
    assert Minutes.objects.get(pk=minutes.pk).news == "Lần hai"


def test_autosave_of_final_minutes_is_refused_whatever_changed(client, draft, members, alice):
    client.force_login(alice)
    client.post(
        reverse("minutes_autosave", args=[draft.pk]),
        {**complete(members, 1), "editor_token": "page-a", "save_id": "s1"},
    )
    finalize_minutes(minutes=Minutes.objects.get(pk=draft.pk), by=alice)

    untouched = client.post(
        reverse("minutes_autosave", args=[draft.pk]),
        {**complete(members, 2), "editor_token": "page-a", "save_id": "s2"},
    )
    typed = autosave(client, draft, 2, news="Sửa sau khi hoàn tất")

    assert (untouched.status_code, typed.status_code) == (403, 403)
    assert Minutes.objects.get(pk=draft.pk).news == "Quán triệt Nghị quyết"


def test_posted_digests_take_every_value_of_a_repeated_field():
    from django.http import QueryDict

    one = QueryDict("news=Tin&news=Tin+tức")
    other = QueryDict("news=Tin&news=Tin+khác")

    assert posted_digests(one)["news"] != posted_digests(other)["news"]
    assert posted_digests(one)["summary"] == posted_digests(other)["summary"]
    assert posted_digests(one) == posted_digests(QueryDict("news=Tin&news=Tin+tức&save_id=x"))


# The roll without visitors ---------------------------------------------------------------


def test_attendance_sheet_without_visitors_skips_cadres_and_guests(
    meeting, members, django_assert_num_queries
):
    from meetings.models import Guest
    from meetings.selectors.attendance import attendance_sheet

    Guest.objects.create(meeting=meeting, name="Lường Văn Ơn", title="Trưởng bản")
    full = attendance_sheet(meeting)

    with django_assert_num_queries(4):
        lean = attendance_sheet(meeting, visitors=False)

    assert [r.member for r in lean.members] == [r.member for r in full.members]
    assert lean.figures == full.figures
    assert (lean.cadres, lean.guests, [g.name for g in full.guests]) == ([], [], ["Lường Văn Ơn"])


def test_show_version_writes_nothing_for_unsaved_or_final_minutes(
    meeting, draft, members, alice, django_assert_num_queries
):
    unsaved = Minutes(meeting=meeting)  # not saved: no pk
    save_minutes(minutes=draft, version=1, content=complete_content(members), by=alice)
    final = finalize_minutes(minutes=Minutes.objects.get(pk=draft.pk), by=alice)

    with django_assert_num_queries(0):
        assert (show_version(unsaved), show_version(final)) == (True, True)
    assert Minutes.objects.get(pk=draft.pk).shown_version == 0


def complete_content(members) -> dict:
    at = timezone.make_aware(datetime.datetime(2026, 2, 5, 19, 30))
    return {
        "chair_id": members[0].pk,
        "minute_taker_id": members[1].pk,
        "started_at": at,
        "ended_at": at + datetime.timedelta(minutes=105),
        "news": "Quán triệt Nghị quyết",
        "resolution": "Mỗi đảng viên giúp một hộ nghèo",
        "votes_for": 3,
        "votes_against": 0,
        "votes_abstain": 0,
        "read_back_adopted": True,
    }


# Speeches, tasks and people ----------------------------------------------------------


def counted(queries) -> list[str]:
    """The queries of a request, without the savepoints that only the test's
    transaction adds (in production save_minutes' atomic block is the
    transaction itself)."""
    return [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"].upper()]


def speech(members, text, *, key="", index=0, member=0):
    fields = {
        f"speeches-{index}-member": members[member].pk,
        f"speeches-{index}-text": text,
        f"speeches-{index}-key": key,
    }
    return fields


def task(members, title, *, key="", assignee=0):
    return {
        "tasks-0-title": title,
        "tasks-0-assignee": members[assignee].pk,
        "tasks-0-key": key,
    }


def history_of(model, minutes):
    return [
        (r.history_type, r.history_user.username, r.text if model is Speech else r.title)
        for r in model.history.filter(minutes_id=minutes.pk).order_by("history_id")
    ]


@pytest.fixture
def with_speech(client, draft, members, alice):
    """A draft with one speech, saved by alice's page-a; returns its key."""
    client.force_login(alice)
    autosave(client, draft, 1, news="Tin")
    autosave(client, draft, 2, news="Tin", **speech(members, "Ý kiến", key="k1"))
    return "k1"


# Query counts --------------------------------------------------------------------


@pytest.fixture
def in_one_minute():
    """Every save of the test in one minute of the clock: an autosave joins
    the history row of the same minute (services.minutes._join_rule), so two
    saves that straddle a minute's end write one row more, and a count that
    holds within a minute would fail now and then on a slow machine."""
    moment = timezone.now().replace(second=20, microsecond=0)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


def test_speech_edit_takes_ten_queries(in_one_minute, client, draft, members, with_speech):
    with CaptureQueriesContext(connection) as queries:
        response = autosave(client, draft, 3, news="Tin", **speech(members, "Ý kiến hay", key="k1"))

    assert response.status_code == 200
    assert "findings" not in response.json()
    # Session, user, roles, member, minutes; the speeches with their last
    # history row; the minutes and their joined row; the speech and its row.
    assert len(counted(queries)) == 10
    sql = " ".join(counted(queries))
    assert "members_transfer" not in sql and "meetings_attendance" not in sql  # no roll
    assert list(draft.speeches.values_list("key", "text")) == [("k1", "Ý kiến hay")]


def test_task_edit_takes_ten_queries(in_one_minute, client, draft, members, alice):
    client.force_login(alice)
    autosave(client, draft, 1, news="Tin")
    autosave(client, draft, 2, news="Tin", **task(members, "Giúp hộ nghèo", key="t1"))

    with CaptureQueriesContext(connection) as queries:
        response = autosave(
            client, draft, 3, news="Tin", **task(members, "Giúp hai hộ nghèo", key="t1")
        )

    assert response.status_code == 200
    assert len(counted(queries)) == 10
    assert list(draft.tasks.values_list("key", "title", "assignee_id")) == [
        ("t1", "Giúp hai hộ nghèo", members[0].pk)
    ]


def test_chair_change_checks_only_the_new_chair(in_one_minute, client, draft, members, alice):
    client.force_login(alice)
    autosave(client, draft, 1, news="Tin", chair=members[0].pk)

    with CaptureQueriesContext(connection) as queries:
        response = autosave(client, draft, 2, news="Tin", chair=members[1].pk)

    assert response.status_code == 200
    assert "findings" not in response.json()  # a chair still: the same findings
    # Session, user, roles, member, minutes; the new chair checked; the
    # minutes and their joined history row.
    assert len(counted(queries)) == 8
    assert sum("members_member" in q for q in counted(queries)) == 2  # the user's, the chair's
    assert Minutes.objects.get(pk=draft.pk).chair_id == members[1].pk


def test_first_chair_sends_the_findings_again(client, draft, members, alice):
    client.force_login(alice)
    autosave(client, draft, 1, news="Tin")

    response = autosave(client, draft, 2, news="Tin", chair=members[0].pk)

    messages = [f["message"] for f in response.json()["findings"]]
    assert "Choose who chaired the meeting." not in messages
    assert "Choose the minute-taker." in messages


def test_a_new_speaker_is_checked_in_one_query_and_stays_within_eleven(
    in_one_minute, client, draft, members, with_speech
):
    with CaptureQueriesContext(connection) as queries:
        response = autosave(
            client, draft, 3, news="Tin", **speech(members, "Ý kiến", key="k1", member=2)
        )

    assert response.status_code == 200
    assert len(counted(queries)) == 11  # the one above, and the new speaker checked
    assert draft.speeches.get().member_id == members[2].pk


def test_untouched_rows_autosave_is_five_queries_and_writes_nothing(
    client, draft, members, with_speech
):
    before = history_of(Speech, draft)

    with CaptureQueriesContext(connection) as queries:
        response = autosave(client, draft, 3, news="Tin", **speech(members, "Ý kiến", key="k1"))

    assert response.json()["version"] == 3
    assert len(counted(queries)) == 5
    assert history_of(Speech, draft) == before


# People outside the roll -----------------------------------------------------------


def test_a_speaker_outside_the_roll_is_refused_with_the_editors_message(
    client, draft, members, with_speech
):
    outsider = MemberFactory(cell=CellFactory(name="Chi bộ bản Pá"), full_name="Lò Văn Ngoài")
    data = speech(members, "Ý kiến", key="k1")
    data["speeches-0-member"] = outsider.pk

    response = autosave(client, draft, 3, news="Tin", **data)

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "speeches-0-member": [
            f"Select a valid choice. {outsider.pk} is not one of the available choices.",
            "Who said this?",  # as the editor with the whole roll says
        ]
    }
    assert draft.speeches.get().member_id == members[0].pk
    assert Minutes.objects.get(pk=draft.pk).version == 3


def test_chair_and_assignee_outside_the_roll_are_refused_as_before(client, draft, members, alice):
    client.force_login(alice)
    autosave(client, draft, 1, news="Tin", chair=members[0].pk)
    outsider = MemberFactory(cell=CellFactory(name="Chi bộ bản Pá"))

    chair = autosave(client, draft, 2, news="Tin", chair=outsider.pk)
    assignee = autosave(client, draft, 2, news="Tin", chair=members[0].pk, **task(members, "Việc"))
    bad_task = autosave(
        client,
        draft,
        2,
        news="Tin",
        chair=members[0].pk,
        **{**task(members, "Việc"), "tasks-0-assignee": outsider.pk},
    )

    assert chair.status_code == 400
    assert chair.json()["errors"] == {
        "chair": [f"Select a valid choice. {outsider.pk} is not one of the available choices."]
    }
    assert assignee.status_code == 200
    assert bad_task.status_code == 400
    assert list(bad_task.json()["errors"]) == ["tasks-0-assignee"]
    assert Minutes.objects.get(pk=draft.pk).chair_id == members[0].pk


def test_a_person_named_before_but_not_posted_is_not_trusted_for_another(
    client, draft, members, alice
):
    client.force_login(alice)
    autosave(client, draft, 1, news="Tin", chair=members[0].pk)
    draft.refresh_from_db()
    assert draft.posted_digests["_people"] == [members[0].pk]

    response = autosave(client, draft, 2, news="Tin", chair="abc")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["chair"]


def test_people_among_agrees_with_the_attendance_sheet(meeting, commune, cell, members):
    elsewhere = CellFactory(name="Chi bộ bản Pá", parent=commune)
    visitor = MemberFactory(cell=elsewhere, full_name="Quàng Văn Khách")
    TemporaryAttendance.objects.create(
        member=visitor,
        host_cell=cell,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2027, 1, 1),
    )
    moved_away = MemberFactory(cell=elsewhere, full_name="Lò Văn Đi")
    Transfer.objects.create(
        member=moved_away, from_cell=cell, to_cell=elsewhere, date=datetime.date(2026, 6, 1)
    )
    stranger = MemberFactory(cell=elsewhere, full_name="Lò Văn Lạ")
    sheet = attendance_sheet(meeting, visitors=False)
    on_sheet = {r.member.pk for r in sheet.members + sheet.temporary}
    everyone = {m.pk for m in [*members, visitor, moved_away, stranger]} | {999_999}

    assert people_among(meeting, everyone) == on_sheet
    assert on_sheet == {m.pk for m in [*members, visitor, moved_away]}
    assert people_among(meeting, set()) == set()


# History rows of speeches and tasks ----------------------------------------------------


def test_speech_edits_of_one_page_within_a_minute_make_one_row(client, draft, members, with_speech):
    autosave(client, draft, 3, news="Tin", **speech(members, "Ý kiến hay", key="k1"))
    autosave(client, draft, 4, news="Tin", **speech(members, "Ý kiến rất hay", key="k1"))

    assert history_of(Speech, draft) == [("+", "alice", "Ý kiến rất hay")]
    assert [r[0] for r in rows(draft)] == [1, 5]


def test_task_edits_of_one_page_within_a_minute_make_one_row(client, draft, members, alice):
    client.force_login(alice)
    autosave(client, draft, 1, news="Tin")
    for version, title in enumerate(["Việc", "Việc một", "Việc một hai"], start=2):
        autosave(client, draft, version, news="Tin", **task(members, title, key="t1"))

    assert history_of(ResolutionTask, draft) == [("+", "alice", "Việc một hai")]


def test_speech_rows_join_only_what_the_minutes_row_joins(
    client, draft, members, alice, bob, with_speech
):
    # Another page of alice's, then bob: each a row of its own.
    autosave(client, draft, 3, page="page-b", news="Tin", **speech(members, "Ý kiến 2", key="k1"))
    client.force_login(bob)
    autosave(client, draft, 4, page="page-c", news="Tin", **speech(members, "Ý kiến 3", key="k1"))
    client.force_login(alice)
    autosave(client, draft, 5, news="Tin", **speech(members, "Ý kiến 4", key="k1"))
    # The next minute: a new row, though the page and user are the same.
    past = F("history_date") - datetime.timedelta(minutes=1)
    draft.history.filter(version=6).update(history_date=past)
    Speech.history.filter(minutes_id=draft.pk, text="Ý kiến 4").update(history_date=past)
    autosave(client, draft, 6, news="Tin", **speech(members, "Ý kiến 5", key="k1"))

    assert history_of(Speech, draft) == [
        ("+", "alice", "Ý kiến"),
        ("~", "alice", "Ý kiến 2"),
        ("~", "bob", "Ý kiến 3"),
        ("~", "alice", "Ý kiến 4"),
        ("~", "alice", "Ý kiến 5"),
    ]


def test_explicit_save_always_writes_speech_rows(client, draft, members, with_speech):
    button = autosave(
        client, draft, 3, news="Tin", explicit="1", **speech(members, "Ý kiến hay", key="k1")
    )
    typed = autosave(client, draft, 4, news="Tin", **speech(members, "Ý kiến rất hay", key="k1"))

    assert (button.status_code, typed.status_code) == (200, 200)
    assert history_of(Speech, draft) == [
        ("+", "alice", "Ý kiến"),
        ("~", "alice", "Ý kiến hay"),
        ("~", "alice", "Ý kiến rất hay"),
    ]
    assert (
        Speech.history.filter(minutes_id=draft.pk)
        .last()
        .history_change_reason.startswith("auto editor:page-a ")
    )


def test_a_speech_row_of_an_earlier_run_is_not_joined(client, draft, members, alice, bob):
    """A page given the version ends the run (show_version): the next save
    starts a minutes row, and the speech's row of the run before stays."""
    client.force_login(alice)
    autosave(client, draft, 1, news="Tin")
    autosave(client, draft, 2, news="Tin", **speech(members, "Ý kiến", key="k1"))
    client.force_login(bob)
    client.get(reverse("minutes_edit", args=[draft.meeting_id]))
    client.force_login(alice)

    autosave(client, draft, 3, news="Tin", **speech(members, "Ý kiến hay", key="k1"))

    assert history_of(Speech, draft) == [("+", "alice", "Ý kiến"), ("~", "alice", "Ý kiến hay")]
    assert [r[0] for r in rows(draft)] == [1, 3, 4]


def test_new_and_removed_speeches_leave_their_rows(client, draft, members, with_speech):
    two = {
        **speech(members, "Ý kiến", key="k1"),
        **speech(members, "Ý kiến khác", key="k2", index=1, member=1),
        "speeches-TOTAL_FORMS": "2",
    }
    autosave(client, draft, 3, news="Tin", **two)
    autosave(client, draft, 4, news="Tin", **speech(members, "Ý kiến khác", key="k2", member=1))

    assert sorted(history_of(Speech, draft)) == sorted(
        [
            ("+", "alice", "Ý kiến"),
            ("+", "alice", "Ý kiến khác"),
            ("-", "alice", "Ý kiến"),
        ]
    )
    assert list(draft.speeches.values_list("key", "text")) == [("k2", "Ý kiến khác")]


def test_a_page_merging_after_a_joined_run_of_speech_edits_takes_their_last_state(
    client, draft, members, alice, bob
):
    client.force_login(bob)
    client.get(reverse("minutes_edit", args=[draft.meeting_id]))  # bob's page: version 1
    client.force_login(alice)
    autosave(client, draft, 1, news="Tin")
    autosave(client, draft, 2, news="Tin", **speech(members, "Ý kiến", key="k1"))
    autosave(client, draft, 3, news="Tin", **speech(members, "Ý kiến của An", key="k1"))
    client.force_login(bob)

    response = autosave(client, draft, 1, page="page-b", summary="Tóm tắt của Bình")

    assert response.status_code == 200
    draft.refresh_from_db()
    assert (draft.news, draft.summary) == ("Tin", "Tóm tắt của Bình")
    assert list(draft.speeches.values_list("text", flat=True)) == ["Ý kiến của An"]


def test_history_page_shows_one_entry_for_a_joined_speech(client, draft, members, with_speech):
    autosave(client, draft, 3, news="Tin", **speech(members, "Ý kiến hay", key="k1"))

    speeches = [e for e in minutes_history(draft) if e.subject == "Speech"]

    assert [(e.kind, e.user.username) for e in speeches] == [("+", "alice")]
    assert ("opinion", "—", "Ý kiến hay") in [
        (label.lower(), old, new) for label, old, new in speeches[0].changes
    ]


def test_a_settled_conflict_sends_the_findings_of_the_draft_saved(client, draft, alice, bob):
    client.force_login(alice)
    autosave(client, draft, 1, news="Tin")
    client.force_login(bob)
    client.get(reverse("minutes_edit", args=[draft.meeting_id]))
    client.force_login(alice)
    autosave(client, draft, 2, news="Tin của An")
    client.force_login(bob)
    conflict = autosave(client, draft, 2, page="page-b", news="Tin của Bình")
    assert conflict.status_code == 409

    settled = autosave(
        client, draft, 3, page="page-b", news="Tin của Bình", **{"resolve-field:news": "theirs"}
    )

    assert settled.status_code == 200
    assert [f["message"] for f in settled.json()["findings"]] == [
        "Enter the time the meeting started and ended.",
        "Choose who chaired the meeting.",
        "Choose the minute-taker.",
        "The minutes must be read back and adopted at the meeting before closing.",
    ]
    assert Minutes.objects.get(pk=draft.pk).news == "Tin của An"
