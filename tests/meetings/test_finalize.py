"""Finalizing (issue 7, items 6, 7 and 8): the check counts the roll as the
PDF does, a vote needs a resolution, and the PDF is archived after the
commit, never inside the request."""

import datetime
import hashlib
import io

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

from meetings.models import Meeting, Minutes
from meetings.services.attendance import Entry, save_attendance
from meetings.services.finalize import archive_minutes_pdf, finalize_minutes
from meetings.services.minutes import FinalizeRefused, save_minutes, start_minutes
from meetings.tasks import archive_minutes_pdf_task
from tests.factories import (
    CellFactory,
    MeetingFactory,
    MemberFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def cell():
    commune = OrganizationFactory(name="Đảng bộ xã Cò Nòi", place_name="Cò Nòi")
    return CellFactory(name="Chi bộ bản Lếch", parent=commune)


@pytest.fixture
def alice(cell):
    user = UserFactory(username="alice")
    RoleFactory(user=user, organization=cell, kind="secretary")
    return user


def draft(cell, by, *, official=4, exempt_attending=0, resolution="Giúp đỡ hộ nghèo", **votes):
    """Draft minutes, complete but for what the test varies: `official`
    members present, and exempted members who came all the same."""
    meeting = MeetingFactory(cell=cell, state="planned")
    members = [MemberFactory(cell=cell) for _ in range(official)]
    exempt = [MemberFactory(cell=cell, exempt=True) for _ in range(exempt_attending)]
    save_attendance(
        meeting=meeting, members=[Entry(m.pk, "present") for m in members + exempt], by=by
    )
    minutes = start_minutes(meeting=meeting, by=by)
    content = {
        "chair_id": members[0].pk,
        "minute_taker_id": members[1].pk,
        "started_at": meeting.scheduled_at,
        "ended_at": meeting.scheduled_at + datetime.timedelta(minutes=100),
        "resolution": resolution,
        "votes_for": official,
        "votes_against": 0,
        "votes_abstain": 0,
        "read_back_adopted": True,
        **votes,
    }
    return save_minutes(minutes=minutes, version=minutes.version, content=content, by=by)


# The rules: one roll, a vote only on a resolution --------------------------------------


def test_finalize_counts_an_exempt_member_who_attends_as_the_pdf_does(cell, alice):
    # Issue 7: the check counted 11 and passed 6/6/0; the PDF counted 12 and
    # said "not adopted". Both now count 12: 6 of 12 is not more than half.
    minutes = draft(cell, alice, official=11, exempt_attending=1, votes_for=6, votes_against=6)

    with pytest.raises(FinalizeRefused) as refused:
        finalize_minutes(minutes=minutes, by=alice)

    assert [f.code for f in refused.value.findings] == ["resolution_not_adopted"]
    assert refused.value.messages == [
        "The resolution is not adopted: 6 votes for, but more than half of the cell's 12 "
        "official members (at least 7) must vote for it."
    ]
    assert Minutes.objects.get(pk=minutes.pk).state == "draft"


def test_finalize_with_an_exempt_attendee_prints_what_the_check_counted(
    cell, alice, django_capture_on_commit_callbacks
):
    minutes = draft(cell, alice, official=11, exempt_attending=1, votes_for=7, votes_against=5)

    with django_capture_on_commit_callbacks(execute=True):
        final = finalize_minutes(minutes=minutes, by=alice)

    attendance, vote = final.snapshot["attendance"], final.snapshot["vote"]
    assert (attendance["exempt"], attendance["exempt_present"]) == (1, 1)
    assert (attendance["official_voters"], attendance["official_present"]) == (12, 12)
    assert vote["passed"] is True
    assert vote["outcome"] == (
        "Nghị quyết được thông qua (quá nửa số đảng viên chính thức tán thành)."
    )


def test_finalize_refuses_a_vote_without_a_resolution(cell, alice):
    # Issue 7: an empty resolution, no tasks, and a 5/4/2 vote was finalized.
    minutes = draft(
        cell, alice, official=11, resolution="", votes_for=5, votes_against=4, votes_abstain=2
    )

    with pytest.raises(FinalizeRefused) as refused:
        finalize_minutes(minutes=minutes, by=alice)

    assert [f.code for f in refused.value.findings] == ["vote_without_resolution"]
    assert Minutes.objects.get(pk=minutes.pk).state == "draft"


def test_finalize_without_a_resolution_records_no_vote(
    cell, alice, django_capture_on_commit_callbacks
):
    minutes = draft(
        cell, alice, resolution="", votes_for=None, votes_against=None, votes_abstain=None
    )

    with django_capture_on_commit_callbacks(execute=True):
        final = finalize_minutes(minutes=minutes, by=alice)

    assert final.snapshot["vote"]["passed"] is None
    assert final.snapshot["vote"]["outcome"] == "Chi bộ không ra nghị quyết nên không biểu quyết."


def test_meeting_page_shows_the_vote_without_resolution_finding(client, cell, alice):
    minutes = draft(cell, alice, resolution="", votes_for=5, votes_against=4, votes_abstain=2)
    client.force_login(alice)

    html = client.get(reverse("meeting_detail", args=[minutes.meeting_id])).content.decode()

    assert "Chưa có nghị quyết thì không biểu quyết" in html


# The PDF after the commit ----------------------------------------------------------------


def test_finalize_does_not_print_the_pdf_inside_the_request(
    cell, alice, monkeypatch, django_capture_on_commit_callbacks
):
    printed = []
    real = __import__("meetings.pdf", fromlist=["render_minutes_pdf"]).render_minutes_pdf
    monkeypatch.setattr(
        "meetings.pdf.render_minutes_pdf", lambda *a, **k: printed.append(1) or real(*a, **k)
    )
    minutes = draft(cell, alice)

    with django_capture_on_commit_callbacks() as after_commit:
        final = finalize_minutes(minutes=minutes, by=alice)
        # Final, numbered and frozen in the transaction; nothing printed yet.
        assert (final.state, final.number, final.pdf_sha256) == ("final", 1, "")
        assert final.snapshot["header"]["number_text"] == "Số 01-BB/CB"
        assert printed == []

    # The archive, and the figures' version bumped again (chibo.figures).
    archive = [c for c in after_commit if "finalize_minutes" in c.__qualname__]
    assert len(after_commit) == 2 and len(archive) == 1
    archive[0]()
    final.refresh_from_db()
    assert printed == [1]
    with final.pdf.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == final.pdf_sha256


def test_archive_minutes_pdf_is_idempotent(cell, alice):
    final = finalize_minutes(minutes=draft(cell, alice), by=alice)

    assert archive_minutes_pdf(minutes_id=final.pk) is True
    final.refresh_from_db()
    name, digest, version = final.pdf.name, final.pdf_sha256, final.version
    assert archive_minutes_pdf(minutes_id=final.pk) is False
    assert archive_minutes_pdf_task(minutes_id=final.pk) is False

    final.refresh_from_db()
    assert (final.pdf.name, final.pdf_sha256, final.version) == (name, digest, version)


def test_archive_minutes_pdf_keeps_the_first_of_two_concurrent_runs(cell, alice, monkeypatch):
    final = finalize_minutes(minutes=draft(cell, alice), by=alice)
    storage = Minutes._meta.get_field("pdf").storage
    real = __import__("meetings.pdf", fromlist=["render_minutes_pdf"]).render_minutes_pdf

    def meanwhile_another_worker(minutes, *args, **kwargs):
        Minutes.objects.filter(pk=minutes.pk).update(pdf="minutes/theirs.pdf", pdf_sha256="f" * 64)
        return real(minutes, *args, **kwargs)

    monkeypatch.setattr("meetings.pdf.render_minutes_pdf", meanwhile_another_worker)
    saved = []
    original_save = storage.save
    monkeypatch.setattr(
        storage,
        "save",
        lambda name, *a, **k: saved.append(original_save(name, *a, **k)) or saved[-1],
    )

    assert archive_minutes_pdf(minutes_id=final.pk) is False

    final.refresh_from_db()
    assert (final.pdf.name, final.pdf_sha256) == ("minutes/theirs.pdf", "f" * 64)
    assert len(saved) == 1 and not storage.exists(saved[0])


def test_archive_of_unknown_or_draft_minutes_does_nothing(cell, alice):
    minutes = draft(cell, alice)
    assert archive_minutes_pdf(minutes_id=minutes.pk) is False
    assert archive_minutes_pdf_task(minutes_id=999_999) is False


def test_finalize_without_redis_archives_inline_once_committed(
    cell, alice, django_capture_on_commit_callbacks
):
    # REDIS_URL unset: the task runs in the process, right after the commit
    # (captured here rather than a transactional test, whose flush would drop
    # the data migrations' rows that later tests read).
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        final = finalize_minutes(minutes=draft(cell, alice), by=alice)
        final.refresh_from_db()
        assert not final.pdf_sha256  # nothing printed inside the transaction

    assert len([c for c in callbacks if "finalize_minutes" in c.__qualname__]) == 1
    final.refresh_from_db()
    assert final.pdf_sha256 and final.pdf.name.startswith("minutes/")


def test_pdf_download_while_the_archive_is_pending_prints_the_snapshot(client, cell, alice):
    final = finalize_minutes(minutes=draft(cell, alice), by=alice)
    client.force_login(alice)

    response = client.get(reverse("minutes_pdf", args=[final.pk]))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"
    assert Minutes.objects.get(pk=final.pk).pdf_sha256 == ""  # a download stores nothing


def test_meeting_page_finalize_button_says_it_is_working(client, cell, alice):
    minutes = draft(cell, alice)
    client.force_login(alice)

    html = client.get(reverse("meeting_detail", args=[minutes.meeting_id])).content.decode()

    assert (
        f'<form method="post" action="{reverse("minutes_finalize", args=[minutes.pk])}" '
        'class="js-finalize-form">'
    ) in html
    assert 'data-busy-text="Đang hoàn tất biên bản… xin chờ"' in html
    assert '<script src="/static/js/finalize.js"></script>' in html
    script = finders.find("js/finalize.js")
    with open(script, encoding="utf-8") as source:
        assert "button.disabled = true;" in source.read()


def test_bench_pdf_finalize_times_the_request_and_the_archive():
    meetings_before = Meeting.objects.count()
    out = io.StringIO()

    call_command("bench_pdf", "--finalize", "-n", "1", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Finalized minutes ") and lines[0].endswith(
        " 1 times after a first run."
    )
    assert lines[1].startswith("finalize (the request), first run: ")
    assert lines[2].startswith("finalize (the request), warm: min ")
    assert lines[3].startswith("archive the PDF (after the commit), first: ")
    assert lines[4].startswith("archive the PDF (after the commit), warm: min ")
    assert lines[5] == "Sample data rolled back."
    assert Meeting.objects.count() == meetings_before
