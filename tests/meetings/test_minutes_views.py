"""The meeting page, the minutes editor and its autosave, finalize, amend, history."""

import datetime

import pytest
from django.urls import reverse

from chibo.access.roles import forget
from meetings.models import Minutes, ResolutionTask
from meetings.services.attendance import Entry, save_attendance
from meetings.services.finalize import finalize_minutes
from meetings.services.minutes import save_minutes, start_minutes
from tests.factories import (
    AssignmentFactory,
    CellFactory,
    MeetingFactory,
    MemberFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]
TZ = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture
def meeting(cell, members):
    meeting = MeetingFactory(cell=cell, state="planned")
    save_attendance(meeting=meeting, members=[Entry(m.pk, "present") for m in members], by=None)
    return meeting


def user_with(role, organization, username):
    user = UserFactory(username=username, first_name=username.capitalize())
    RoleFactory(user=user, organization=organization, kind=role)
    return user


@pytest.fixture
def alice(cell):
    return user_with("secretary", cell, "alice")


@pytest.fixture
def bob(cell):
    return user_with("deputy", cell, "bob")


def editor_data(version, **fields) -> dict:
    """What the editor posts: management forms, blank rows, and `fields`."""
    data = {
        "version": str(version),
        "speeches-TOTAL_FORMS": "1",
        "speeches-INITIAL_FORMS": "0",
        "speeches-0-member": "",
        "speeches-0-speaker_name": "",
        "speeches-0-text": "",
        "tasks-TOTAL_FORMS": "1",
        "tasks-INITIAL_FORMS": "0",
        "tasks-0-title": "",
        "tasks-0-assignee": "",
        "tasks-0-assignee_text": "",
        "tasks-0-due_on": "",
    }
    return {**data, **{k: str(v) for k, v in fields.items()}}


def complete(members, version, **fields):
    return editor_data(
        version,
        chair=members[0].pk,
        minute_taker=members[1].pk,
        started_time="19:30",
        ended_time="21:15",
        news="Quán triệt Nghị quyết",
        resolution="Mỗi đảng viên giúp một hộ nghèo",
        votes_for=3,
        votes_against=0,
        votes_abstain=0,
        read_back_adopted="on",
        **fields,
    )


# The editor ---------------------------------------------------------------------------


def test_minutes_edit_get_shows_an_unsaved_draft_and_sections_in_order(client, meeting, alice):
    client.force_login(alice)
    rows = Minutes.objects.count(), Minutes.history.count()

    response = client.get(reverse("minutes_edit", args=[meeting.pk]))

    assert response.status_code == 200
    assert (Minutes.objects.count(), Minutes.history.count()) == rows == (0, 0)
    html = response.content.decode()
    assert f'data-autosave-url="{reverse("minutes_autosave_first", args=[meeting.pk])}"' in html
    assert f'data-minutes-id="new-{meeting.pk}"' in html
    assert 'name="version" value="1"' in html
    headings = [
        "1. Opening",
        "Party fees",
        "2. Proceedings",
        "News and new documents",
        "Assessment of last month",
        "Discussion",
        "Self-criticism and criticism",
        "3. Closing",
        "Resolution for next month",
        "The vote",
        "read back and adopted",
        "Closed at",
    ]
    form = html[html.index('id="minutes-form"') :]
    positions = [form.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "Last saved at" in html


def test_minutes_edit_post_saves_rows_and_redirects(client, meeting, members, alice):
    client.force_login(alice)
    client.get(reverse("minutes_edit", args=[meeting.pk]))

    data = complete(
        members,
        1,
        **{
            "speeches-0-member": members[2].pk,
            "speeches-0-text": "Tôi nhất trí",
            "tasks-0-title": "Giúp hộ nghèo",
            "tasks-0-assignee": members[0].pk,
            "tasks-0-due_on": "2026-03-03",
        },
    )
    response = client.post(reverse("minutes_edit", args=[meeting.pk]), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("minutes_edit", args=[meeting.pk])
    minutes = Minutes.objects.get(meeting=meeting)
    assert (minutes.version, minutes.chair_id, minutes.votes_for) == (2, members[0].pk, 3)
    assert minutes.started_at == datetime.datetime(2026, 2, 5, 19, 30, tzinfo=TZ)
    assert minutes.ended_at == datetime.datetime(2026, 2, 5, 21, 15, tzinfo=TZ)
    assert list(minutes.speeches.values_list("member_id", "text")) == [
        (members[2].pk, "Tôi nhất trí")
    ]
    assert list(minutes.tasks.values_list("title", "assignee_id", "due_on", "cell_id")) == [
        ("Giúp hộ nghèo", members[0].pk, datetime.date(2026, 3, 3), meeting.cell_id)
    ]
    assert minutes.history.order_by("-history_id").first().history_user == alice


def test_minutes_edit_post_stale_version_keeps_both_texts(client, meeting, members, alice, bob):
    minutes = start_minutes(meeting=meeting, by=alice)
    save_minutes(minutes=minutes, version=1, content={"news": "Bob's news"}, by=bob)
    client.force_login(alice)

    response = client.post(
        reverse("minutes_edit", args=[meeting.pk]), editor_data(1, news="Alice's news")
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "Bob saved these minutes at" in html
    assert "Alice&#x27;s news</textarea>" in html
    assert "Bob&#x27;s news" in html
    assert 'name="version" value="2"' in html  # saving again now overwrites, knowingly
    minutes.refresh_from_db()
    assert (minutes.news, minutes.version) == ("Bob's news", 2)


def test_minutes_edit_final_minutes_redirects_read_only(client, meeting, members, alice):
    minutes = start_minutes(meeting=meeting, by=alice)
    Minutes.objects.filter(pk=minutes.pk).update(state="final")
    client.force_login(alice)

    response = client.get(reverse("minutes_edit", args=[meeting.pk]), follow=True)

    assert response.redirect_chain == [(reverse("meeting_detail", args=[meeting.pk]), 302)]
    assert (
        "These minutes are final and read-only. To correct them, make an amendment."
        in response.content.decode()
    )


# Autosave ---------------------------------------------------------------------------------


def autosave(client, minutes, data):
    return client.post(reverse("minutes_autosave", args=[minutes.pk]), data)


def test_minutes_autosave_saves_and_answers_version_and_time(client, meeting, alice):
    minutes = start_minutes(meeting=meeting, by=alice)
    client.force_login(alice)

    response = autosave(client, minutes, editor_data(1, news="Đang gõ", started_time="19:30"))

    assert response.status_code == 200
    body = response.json()
    minutes.refresh_from_db()
    assert body["version"] == 2 == minutes.version
    assert body["saved_at"] == minutes.updated_at.astimezone(TZ).strftime("%H:%M")
    assert minutes.news == "Đang gõ"
    assert "Choose who chaired the meeting." in [f["message"] for f in body["findings"]]


def test_minutes_first_autosave_creates_the_draft_and_names_it(client, meeting, members, alice):
    client.force_login(alice)
    url = reverse("minutes_autosave_first", args=[meeting.pk])

    assert client.get(url).status_code == 405
    assert client.post(url, editor_data(1, votes_for=-1)).status_code == 400
    assert Minutes.objects.count() == 0
    response = client.post(url, editor_data(1, news="Đang gõ"))

    assert response.status_code == 200
    minutes = Minutes.objects.get(meeting=meeting)
    body = response.json()
    assert (body["version"], body["minutes_id"], body["autosave_url"]) == (
        2,
        minutes.pk,
        reverse("minutes_autosave", args=[minutes.pk]),
    )
    assert (minutes.news, minutes.updated_by) == ("Đang gõ", alice)
    assert [h.history_user for h in minutes.history.order_by("history_id")] == [alice, alice]
    again = client.post(url, editor_data(2, news="Đang gõ tiếp")).json()
    assert (again["version"], "minutes_id" in again) == (3, False)


def test_minutes_edit_invalid_first_post_creates_nothing(client, meeting, alice):
    client.force_login(alice)

    response = client.post(reverse("minutes_edit", args=[meeting.pk]), editor_data(1, votes_for=-1))

    assert response.status_code == 200
    assert Minutes.objects.count() == 0


def test_minutes_autosave_conflict_answers_409_and_overwrites_nothing(client, meeting, alice, bob):
    minutes = start_minutes(meeting=meeting, by=alice)
    client.force_login(bob)
    assert autosave(client, minutes, editor_data(1, news="Bob's text")).status_code == 200
    client.force_login(alice)

    response = autosave(client, minutes, editor_data(1, news="Alice's text"))

    assert response.status_code == 409
    body = response.json()
    minutes.refresh_from_db()
    assert (body["conflict"], body["by"], body["version"]) == (True, "Bob", 2)
    assert body["at"] == minutes.updated_at.astimezone(TZ).strftime("%H:%M")
    assert {"label": "News and new documents disseminated", "text": "Bob's text"} in body["theirs"]
    assert (minutes.news, minutes.updated_by) == ("Bob's text", bob)


def test_minutes_autosave_invalid_input_answers_400_with_field_errors(client, meeting, alice):
    minutes = start_minutes(meeting=meeting, by=alice)
    client.force_login(alice)

    response = autosave(client, minutes, editor_data(1, votes_for=-1, news="kept?"))

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "votes_for": ["Ensure this value is greater than or equal to 0."]
    }
    minutes.refresh_from_db()
    assert (minutes.version, minutes.news) == (1, "")


def test_minutes_autosave_final_minutes_answers_403(client, meeting, alice):
    minutes = start_minutes(meeting=meeting, by=alice)
    Minutes.objects.filter(pk=minutes.pk).update(state="final")
    client.force_login(alice)

    response = autosave(client, minutes, editor_data(1, news="x"))

    assert response.status_code == 403
    assert response.json() == {
        "message": "These minutes are final and read-only. To correct them, make an amendment."
    }


def test_minutes_autosave_get_is_not_allowed(client, meeting, alice):
    minutes = start_minutes(meeting=meeting, by=alice)
    client.force_login(alice)
    assert client.get(reverse("minutes_autosave", args=[minutes.pk])).status_code == 405


# Finalize, amend, history, PDF ----------------------------------------------------------------


def test_minutes_finalize_makes_them_final_and_downloadable(
    client, meeting, members, alice, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    client.get(reverse("minutes_edit", args=[meeting.pk]))
    client.post(reverse("minutes_edit", args=[meeting.pk]), complete(members, 1))
    minutes = Minutes.objects.get(meeting=meeting)

    # As with a worker: the archive waits for the commit, outside the request.
    with django_capture_on_commit_callbacks() as after_commit:
        response = client.post(reverse("minutes_finalize", args=[minutes.pk]), follow=True)

    html = response.content.decode()
    assert response.redirect_chain == [(reverse("meeting_detail", args=[meeting.pk]), 302)]
    assert "The minutes are final (number 01-BB/CB); their PDF is being prepared." in html
    assert f'id="pdf-pending-{minutes.pk}"' in html
    assert reverse("minutes_pdf", args=[minutes.pk]) in html
    assert reverse("minutes_amend", args=[minutes.pk]) in html
    assert reverse("minutes_finalize", args=[minutes.pk]) not in html
    meanwhile = client.get(reverse("minutes_pdf", args=[minutes.pk]))
    assert meanwhile.content.startswith(b"%PDF")
    assert meanwhile["Cache-Control"] == "private, no-store"

    # The archive, and the figures' version bump that follows every commit.
    [archive] = [c for c in after_commit if "finalize_minutes" in c.__qualname__]
    for callback in after_commit:
        callback()

    html = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert f'id="pdf-pending-{minutes.pk}"' not in html
    pdf = client.get(reverse("minutes_pdf", args=[minutes.pk]))
    minutes.refresh_from_db()
    with minutes.pdf.open("rb") as stored:
        assert b"".join(pdf.streaming_content if pdf.streaming else [pdf.content]) == stored.read()


def test_minutes_finalize_refused_lists_the_reasons(client, meeting, alice):
    minutes = start_minutes(meeting=meeting, by=alice)
    client.force_login(alice)

    response = client.post(reverse("minutes_finalize", args=[minutes.pk]), follow=True)

    html = response.content.decode()
    assert "The minutes cannot be finalized yet:" in html
    assert "Enter the time the meeting started and ended." in html
    assert Minutes.objects.get(pk=minutes.pk).state == "draft"


def test_minutes_finalize_get_is_not_allowed(client, meeting, alice):
    minutes = start_minutes(meeting=meeting, by=alice)
    client.force_login(alice)
    assert client.get(reverse("minutes_finalize", args=[minutes.pk])).status_code == 405


def test_minutes_amend_opens_a_linked_draft_and_page_shows_both(client, meeting, members, alice):
    client.force_login(alice)
    client.get(reverse("minutes_edit", args=[meeting.pk]))
    client.post(reverse("minutes_edit", args=[meeting.pk]), complete(members, 1))
    original = finalize_minutes(minutes=Minutes.objects.get(meeting=meeting), by=alice)

    response = client.post(reverse("minutes_amend", args=[original.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("minutes_edit", args=[meeting.pk])
    amendment = Minutes.objects.get(amends=original)
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "Amendment" in page
    assert "Corrects the final minutes above; both are kept." in page
    assert reverse("minutes_pdf", args=[original.pk]) in page
    assert reverse("minutes_history", args=[amendment.pk]) in page
    assert reverse("minutes_finalize", args=[amendment.pk]) in page


def test_minutes_history_shows_who_when_what(client, meeting, alice, bob):
    minutes = start_minutes(meeting=meeting, by=alice)
    save_minutes(minutes=minutes, version=1, content={"news": "Bản đầu"}, by=alice)
    save_minutes(minutes=minutes, version=2, content={"news": "Bản sửa"}, by=bob)
    client.force_login(alice)

    response = client.get(reverse("minutes_history", args=[minutes.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<li class="border-bottom py-2">') == 3
    listed = html[html.index('id="history"') :]
    assert listed.index("Bob") < listed.index("Alice")  # newest first
    assert '<del class="text-body-secondary text-prewrap">Bản đầu</del> → ' in html


# The meeting page ------------------------------------------------------------------------------


def test_meeting_detail_lists_attendance_and_minutes(client, meeting, members, alice):
    client.force_login(alice)

    html = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()

    assert "Chi bộ bản Lếch" in html
    assert reverse("attendance_edit", args=[meeting.pk]) in html
    assert reverse("minutes_edit", args=[meeting.pk]) in html
    assert 'data-count="present">3<' in html
    assert "No minutes yet." in html


def test_meeting_detail_carries_open_tasks_to_next_month(client, cell, members, alice):
    january = MeetingFactory(
        cell=cell,
        period=datetime.date(2026, 1, 1),
        scheduled_at=datetime.datetime(2026, 1, 5, 19, 30, tzinfo=TZ),
    )
    save_attendance(meeting=january, members=[Entry(m.pk, "present") for m in members], by=None)
    draft = start_minutes(meeting=january, by=alice)
    client.force_login(alice)
    client.post(
        reverse("minutes_edit", args=[january.pk]),
        complete(
            members,
            draft.version,
            **{"tasks-0-title": "Vận động hộ nghèo", "tasks-0-assignee": members[1].pk},
        ),
    )
    finalize_minutes(minutes=Minutes.objects.get(pk=draft.pk), by=alice)
    february = MeetingFactory(cell=cell, state="planned")
    task = ResolutionTask.objects.get()

    editor = client.get(reverse("minutes_edit", args=[february.pk])).content.decode()
    assert "Vận động hộ nghèo" in editor
    assert f'name="assess-result_{task.pk}"' in editor

    response = client.post(
        reverse("minutes_edit", args=[february.pk]),
        editor_data(1, **{f"assess-result_{task.pk}": "late", f"assess-note_{task.pk}": "Trễ"}),
    )

    assert response.status_code == 302
    task.refresh_from_db()
    minutes = Minutes.objects.get(meeting=february)
    assert (task.status, task.result_note, task.assessed_in_id) == ("late", "Trễ", minutes.pk)
    page = client.get(reverse("meeting_detail", args=[february.pk])).content.decode()
    assert "Vận động hộ nghèo" in page
    assert "done late" in page


# Access ------------------------------------------------------------------------------------------


@pytest.fixture
def outsider():
    return user_with("secretary", CellFactory(), "mallory")


@pytest.fixture
def staff(commune):
    return user_with("staff", commune, "office")


@pytest.fixture
def cadre(cell, commune):
    user = user_with("cadre", commune, "cadre")
    AssignmentFactory(cadre=MemberFactory(user=user), cell=cell)
    forget(user)
    return user


@pytest.mark.parametrize(
    ("who", "detail", "edit", "autosave_status", "history"),
    [
        ("outsider", 404, 404, 404, 404),
        ("staff", 200, 403, 403, 200),
        ("cadre", 200, 403, 403, 200),
        ("alice", 200, 200, 200, 200),
    ],
)
def test_access_to_meeting_pages(
    client, request, meeting, who, detail, edit, autosave_status, history
):
    minutes = start_minutes(meeting=meeting, by=None)
    user = request.getfixturevalue(who)
    client.force_login(user)

    assert client.get(reverse("meeting_detail", args=[meeting.pk])).status_code == detail
    assert client.get(reverse("minutes_edit", args=[meeting.pk])).status_code == edit
    assert autosave(client, minutes, editor_data(1, news="x")).status_code == autosave_status
    assert client.get(reverse("minutes_history", args=[minutes.pk])).status_code == history
    assert client.post(reverse("minutes_finalize", args=[minutes.pk])).status_code in (
        {404} if detail == 404 else {403} if edit == 403 else {302}
    )


def test_meeting_detail_read_only_for_cadre(client, meeting, cadre):
    start_minutes(meeting=meeting, by=None)
    client.force_login(cadre)

    html = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()

    assert reverse("attendance_edit", args=[meeting.pk]) not in html
    assert reverse("minutes_edit", args=[meeting.pk]) not in html
    assert "Finalize" not in html


def test_meeting_detail_final_minutes_show_the_printed_names(client, meeting, members, alice):
    client.force_login(alice)
    client.get(reverse("minutes_edit", args=[meeting.pk]))
    client.post(reverse("minutes_edit", args=[meeting.pk]), complete(members, 1))
    finalize_minutes(minutes=Minutes.objects.get(meeting=meeting), by=alice)
    members[0].full_name = "Tên Đã Đổi"
    members[0].save()

    html = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()

    assert "As printed and archived; later changes to names do not alter it." in html
    assert "Lò Văn An" in html
    assert "Tên Đã Đổi" in html  # the attendance list shows today's name
    assert "Tán thành: 3/3 đồng chí" in html
