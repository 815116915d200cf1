"""The cheap autosave: what it reads and writes, and the history it keeps
(one row per editor page and minute, every explicit save and finalize)."""

import datetime
import io
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.forms_minutes import changed_texts, posted_digests
from meetings.models import Minutes
from meetings.selectors.history import minutes_history
from meetings.services.attendance import Entry, save_attendance
from meetings.services.minutes import (
    RECENT_SAVES,
    SpeechData,
    finalize_minutes,
    save_minutes,
    show_version,
    start_minutes,
)
from tests.factories import MeetingFactory, RoleFactory, UserFactory
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
