"""chibo.exports: background files, their progress, failures, sweeps and pages."""

import datetime
import io
from pathlib import Path

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from chibo import exports
from chibo.exports import registry
from chibo.models import ExportFailure, ExportFile
from chibo.tasks import build_export_task, delete_expired_exports_task, fail_stalled_exports_task
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
KIND = "test-lines"


def lines_builder(*, user, parameters, progress):
    """A text file of `count` lines, counted as it is written."""
    if parameters.get("raise"):
        raise {"404": Http404, "slow": SoftTimeLimitExceeded, "bug": ValueError}[
            parameters["raise"]
        ]("boom")
    count = parameters.get("count", 3)
    progress.start(count)
    text = "".join(f"{user.username} {n}\n" for n in progress.track(range(count)))
    return io.BytesIO(text.encode())


@pytest.fixture(autouse=True)
def lines_kind(monkeypatch):
    builder = exports.Builder(
        kind=KIND, title="Lines", build=lines_builder, content_type="text/plain", suffix=".txt"
    )
    monkeypatch.setitem(registry._BUILDERS, KIND, builder)
    return builder


@pytest.fixture
def owner():
    return UserFactory(username="alice")


def queued(owner, **parameters) -> ExportFile:
    return ExportFile.objects.create(
        owner=owner, kind=KIND, parameters=parameters, filename="lines.txt", language="en"
    )


def read(export: ExportFile) -> bytes:
    with export.file.open("rb") as stored:
        return stored.read()


def ago(**delta) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**delta)


def test_start_records_a_queued_file_and_builds_it_after_commit(
    owner, django_capture_on_commit_callbacks, english
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        export = exports.start(owner=owner, kind=KIND, parameters={"count": 2}, filename="l.txt")

    assert len(callbacks) == 1
    export.refresh_from_db()
    assert (export.kind, export.parameters, export.language) == (KIND, {"count": 2}, "en")
    assert (export.status, export.done, export.total) == ("done", 2, 2)
    assert read(export) == b"alice 0\nalice 1\n"
    assert export.size == 16
    assert export.file.name.startswith("exports/") and export.file.name.endswith(".txt")
    assert export.finished_at is not None and export.failure == ""


def test_start_of_the_same_file_while_it_is_built_returns_the_first(owner):
    first = exports.start(owner=owner, kind=KIND, parameters={"count": 2}, filename="l.txt")
    again = exports.start(owner=owner, kind=KIND, parameters={"count": 2}, filename="l.txt")
    other = exports.start(owner=owner, kind=KIND, parameters={"count": 3}, filename="l.txt")
    someone_else = exports.start(
        owner=UserFactory(), kind=KIND, parameters={"count": 2}, filename="l.txt"
    )

    assert again.pk == first.pk
    assert len({first.pk, other.pk, someone_else.pk}) == 3
    assert ExportFile.objects.filter(status="queued").count() == 3


def test_start_of_an_unknown_kind_fails_in_the_request(owner):
    with pytest.raises(LookupError):
        exports.start(owner=owner, kind="nothing", parameters={}, filename="x")

    assert ExportFile.objects.count() == 0


def test_register_refuses_a_second_builder_for_a_kind(lines_kind):
    assert exports.register(lines_kind) is lines_kind
    with pytest.raises(ValueError):
        exports.register(
            exports.Builder(
                kind=KIND, title="Other", build=lines_builder, content_type="x", suffix=".x"
            )
        )


def test_run_builds_once(owner):
    export = queued(owner)

    assert exports.run(export_id=export.pk) is True
    assert exports.run(export_id=export.pk) is False  # a re-delivered message
    assert exports.run(export_id=0) is False  # a deleted row

    export.refresh_from_db()
    assert (export.status, read(export)) == ("done", b"alice 0\nalice 1\nalice 2\n")


def test_the_task_runs_the_build(owner):
    export = queued(owner, count=1)

    assert build_export_task.delay(export_id=export.pk).get() is True
    export.refresh_from_db()
    assert export.status == "done"


def test_build_export_task_takes_keyword_arguments_only():
    with pytest.raises(TypeError):
        build_export_task(1)


def test_progress_is_written_every_n_items_not_every_row(owner):
    export = queued(owner)
    ExportFile.objects.filter(pk=export.pk).update(status="running")
    progress = exports.Progress(export.pk, every=3)
    seen = []

    with CaptureQueriesContext(connection) as queries:
        progress.start(7)
        for _ in progress.track(range(7)):
            seen.append(ExportFile.objects.values_list("done", flat=True).get(pk=export.pk))

    # the total, then after the 3rd and the 6th item; 3 shows from the 4th item on
    assert [q["sql"].split()[0] for q in queries].count("UPDATE") == 3
    assert seen == [0, 0, 0, 3, 3, 3, 6]
    assert progress.done == 7


def test_progress_counts_query_free_without_a_file():
    progress = exports.Progress(None, every=1)

    progress.start(2)
    assert list(progress.track("ab")) == ["a", "b"]
    assert progress.done == 2


def test_progress_default_step_is_the_setting(settings):
    settings.EXPORT_PROGRESS_EVERY = 123

    assert exports.Progress(None).every == 123


def test_progress_of_a_file_no_longer_running_is_not_written(owner):
    export = queued(owner)
    ExportFile.objects.filter(pk=export.pk).update(status="failed")

    exports.Progress(export.pk, every=1).start(5)

    export.refresh_from_db()
    assert (export.status, export.total) == ("failed", None)


@pytest.mark.parametrize(
    ("raised", "failure", "detail"),
    [
        ("bug", ExportFailure.ERROR, "ValueError: boom"),
        ("404", ExportFailure.OUT_OF_SCOPE, "refused by chibo.access"),
        ("slow", ExportFailure.TOO_LONG, "soft time limit after 0 rows"),
    ],
)
def test_a_builder_error_fails_the_file_with_its_reason(owner, raised, failure, detail):
    export = queued(owner, **{"raise": raised})

    assert exports.run(export_id=export.pk) is False

    export.refresh_from_db()
    assert (export.status, export.failure, export.failure_detail) == ("failed", failure, detail)
    assert export.finished_at is not None
    assert not export.file


def test_a_deactivated_owner_gets_no_file(owner):
    export = queued(owner)
    owner.is_active = False
    owner.save()

    exports.run(export_id=export.pk)

    export.refresh_from_db()
    assert (export.status, export.failure) == ("failed", ExportFailure.OUT_OF_SCOPE)


def stored_files(settings) -> list[str]:
    root = Path(settings.MEDIA_ROOT) / "exports"
    return sorted(str(p) for p in root.rglob("*") if p.is_file())


def test_a_file_declared_stopped_while_built_is_dropped(owner, monkeypatch, settings):
    export = queued(owner)

    def stopped_meanwhile(*, user, parameters, progress):
        ExportFile.objects.filter(pk=export.pk).update(status="failed", failure="stopped")
        return io.BytesIO(b"late")

    monkeypatch.setitem(
        registry._BUILDERS,
        KIND,
        exports.Builder(
            kind=KIND, title="L", build=stopped_meanwhile, content_type="t", suffix=".txt"
        ),
    )
    before = stored_files(settings)

    assert exports.run(export_id=export.pk) is False

    export.refresh_from_db()
    assert (export.status, export.failure, export.file.name) == ("failed", "stopped", "")
    assert stored_files(settings) == before


def test_fail_stalled_fails_builds_that_stopped_moving(owner, settings):
    settings.EXPORT_STALLED_AFTER = 600
    dead, alive, lost, done = (queued(owner, count=n) for n in range(4))
    ExportFile.objects.filter(pk=dead.pk).update(status="running", updated_at=ago(minutes=11))
    ExportFile.objects.filter(pk=alive.pk).update(status="running", updated_at=ago(minutes=9))
    ExportFile.objects.filter(pk=lost.pk).update(updated_at=ago(hours=1))  # never started
    ExportFile.objects.filter(pk=done.pk).update(status="done", updated_at=ago(days=1))

    assert fail_stalled_exports_task.delay().get() == 2

    states = dict(ExportFile.objects.values_list("pk", "status"))
    assert states == {dead.pk: "failed", alive.pk: "running", lost.pk: "failed", done.pk: "done"}
    dead.refresh_from_db()
    assert dead.failure == ExportFailure.STOPPED
    assert dead.failure_detail.startswith("no progress since ")
    assert dead.finished_at is not None


def test_a_stalled_file_can_be_built_again(owner, client, django_capture_on_commit_callbacks):
    export = queued(owner)
    ExportFile.objects.filter(pk=export.pk).update(status="running", updated_at=ago(hours=2))
    exports.fail_stalled()
    client.force_login(owner)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("export_rebuild", args=[export.pk]))

    again = ExportFile.objects.exclude(pk=export.pk).get()
    assert response["Location"] == reverse("export_detail", args=[again.pk])
    assert (again.status, again.parameters, again.filename) == ("done", {}, "lines.txt")


def test_delete_expired_removes_old_files_and_rows(owner, settings):
    settings.EXPORT_KEEP_DAYS = 7
    old, recent, old_failed, old_running = (queued(owner, count=n) for n in range(4))
    for export in (old, recent):
        exports.run(export_id=export.pk)
        export.refresh_from_db()
    ExportFile.objects.filter(pk__in=[old.pk, old_failed.pk, old_running.pk]).update(
        created_at=ago(days=8)
    )
    ExportFile.objects.filter(pk=old_failed.pk).update(status="failed")
    ExportFile.objects.filter(pk=old_running.pk).update(status="running")
    storage = old.file.storage

    assert delete_expired_exports_task.delay().get() == 2

    assert set(ExportFile.objects.values_list("pk", flat=True)) == {recent.pk, old_running.pk}
    assert not storage.exists(old.file.name)
    assert storage.exists(recent.file.name)


def test_beat_runs_the_sweeps(settings):
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert {"chibo.fail_stalled_exports", "chibo.delete_expired_exports"} <= schedule


def test_percent_follows_progress(owner):
    export = ExportFile(owner=owner, kind=KIND, status="running", done=50, total=200)
    assert export.percent == 25
    export.done = 200
    assert export.percent == 99  # not 100 until stored
    export.status, export.total = "queued", None
    assert export.percent == 0
    export.status = "done"
    assert (export.percent, export.is_finished) == (100, True)


# --- Pages --------------------------------------------------------------------


@pytest.fixture
def built(owner):
    export = queued(owner)
    exports.run(export_id=export.pk)
    export.refresh_from_db()
    return export


def test_list_shows_only_the_users_own_files(client, owner, built, english_pages):
    theirs = queued(UserFactory(), count=1)
    ExportFile.objects.filter(pk=theirs.pk).update(filename="theirs.txt")
    client.force_login(owner)

    response = client.get(reverse("export_list"))

    assert response.status_code == 200
    assert list(response.context["exports"]) == [built]
    assert "lines.txt" in response.content.decode()
    assert "theirs.txt" not in response.content.decode()
    assert "kept for 7 days" in response.content.decode()


def test_list_without_files_says_so(client, owner, english_pages):
    client.force_login(owner)

    response = client.get(reverse("export_list"))

    assert "No file yet." in response.content.decode()


def test_detail_of_a_file_being_built_polls_and_reloads_without_js(client, owner, english_pages):
    export = queued(owner)
    ExportFile.objects.filter(pk=export.pk).update(status="running", done=40, total=160)
    client.force_login(owner)

    page = client.get(reverse("export_detail", args=[export.pk])).content.decode()
    fragment = client.get(
        reverse("export_detail", args=[export.pk]), headers={"HX-Request": "true"}
    ).content.decode()

    url = reverse("export_detail", args=[export.pk])
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert "htmx.min.js" in page
    assert f'hx-get="{url}" hx-trigger="every 2s" hx-swap="outerHTML"' in page
    assert "40 of 160 rows written" in page
    assert '<progress class="w-100" max="100" value="25">' in page
    assert f'<a href="{url}">Refresh</a>' in page
    assert fragment.startswith('<div id="export-status"')
    assert "<html" not in fragment
    assert "40 of 160 rows written" in fragment


def test_detail_of_a_finished_file_stops_polling(client, owner, built, english_pages):
    client.force_login(owner)

    page = client.get(reverse("export_detail", args=[built.pk])).content.decode()

    assert "hx-get" not in page and "refresh" not in page
    assert reverse("export_download", args=[built.pk]) in page
    assert "3 rows, 24\xa0bytes" in page
    assert "Build again with today's data" in page


def test_detail_of_a_failed_file_says_why_in_the_owners_language(client, owner):
    export = queued(owner, **{"raise": "bug"})
    exports.run(export_id=export.pk)
    client.force_login(owner)
    url = reverse("export_detail", args=[export.pk])

    english = client.get(url, headers={"Accept-Language": "en"}).content.decode()
    vietnamese = client.get(url, headers={"Accept-Language": "vi"}).content.decode()

    assert "The file could not be built. Try again; if it fails again" in english
    assert "ValueError" not in english  # the detail is for the operators
    assert "Try again" in english
    assert "Không tạo được tệp. Hãy thử lại" in vietnamese


def test_download_is_the_owners_with_no_cache(client, owner, built):
    client.force_login(owner)

    response = client.get(reverse("export_download", args=[built.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"alice 0\nalice 1\nalice 2\n"
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"] == 'attachment; filename="lines.txt"'
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("other", [{}, {"is_superuser": True, "is_staff": True}])
@pytest.mark.parametrize("name", ["export_detail", "export_download"])
def test_another_user_even_a_superuser_gets_404(client, built, other, name):
    client.force_login(UserFactory(**other))

    assert client.get(reverse(name, args=[built.pk])).status_code == 404
    assert client.post(reverse("export_rebuild", args=[built.pk])).status_code == 404
    assert ExportFile.objects.count() == 1


@pytest.mark.parametrize("name", ["export_list", "export_detail", "export_download"])
def test_anonymous_is_sent_to_sign_in(client, built, name):
    kwargs = {} if name == "export_list" else {"pk": built.pk}
    url = reverse(name, kwargs=kwargs)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("status", ["queued", "running", "failed"])
def test_download_of_an_unfinished_or_failed_file_is_404(client, owner, status):
    export = queued(owner)
    ExportFile.objects.filter(pk=export.pk).update(status=status)
    client.force_login(owner)

    assert client.get(reverse("export_download", args=[export.pk])).status_code == 404


def test_rebuild_of_a_file_being_built_shows_that_file(client, owner):
    export = queued(owner)
    client.force_login(owner)

    response = client.post(reverse("export_rebuild", args=[export.pk]))

    assert response["Location"] == reverse("export_detail", args=[export.pk])
    assert ExportFile.objects.count() == 1


def test_rebuild_only_by_post(client, owner, built):
    client.force_login(owner)

    assert client.get(reverse("export_rebuild", args=[built.pk])).status_code == 405


def test_a_file_of_an_unregistered_kind_still_shows_and_downloads(client, owner, built):
    ExportFile.objects.filter(pk=built.pk).update(kind="gone")
    client.force_login(owner)

    page = client.get(reverse("export_detail", args=[built.pk]))
    download = client.get(reverse("export_download", args=[built.pk]))

    assert page.context["title"] == "gone"
    assert download["Content-Type"] == "application/octet-stream"


# The stored file served again, and the limit of files waiting -------------------------


@pytest.fixture
def versioned(monkeypatch):
    """The lines kind with a data version the test moves."""
    state = {"version": "v1"}
    builder = exports.Builder(
        kind=KIND,
        title="Lines",
        build=lines_builder,
        content_type="text/plain",
        suffix=".txt",
        version=lambda *, user, parameters: state["version"],
    )
    monkeypatch.setitem(registry._BUILDERS, KIND, builder)
    return state


def build_now(owner, captured, **parameters) -> ExportFile:
    with captured(execute=True):
        export = exports.start(owner=owner, kind=KIND, parameters=parameters, filename="l.txt")
    export.refresh_from_db()
    return export


def test_asked_again_with_unchanged_data_the_stored_file_is_served(
    owner, versioned, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    first = build_now(owner, django_capture_on_commit_callbacks, count=2)
    assert (first.status, first.version) == ("done", "v1")

    with django_assert_max_num_queries(3):
        again = exports.start(owner=owner, kind=KIND, parameters={"count": 2}, filename="l.txt")
    assert again.pk == first.pk
    other = build_now(owner, django_capture_on_commit_callbacks, count=3)  # other parameters
    assert other.pk != first.pk
    versioned["version"] = "v2"  # a meeting changed
    fresh = build_now(owner, django_capture_on_commit_callbacks, count=2)
    assert fresh.pk != first.pk and fresh.version == "v2"


def test_a_file_is_served_again_only_to_its_owner_and_in_its_language(
    owner, versioned, django_capture_on_commit_callbacks
):
    first = build_now(owner, django_capture_on_commit_callbacks, count=2)

    assert build_now(UserFactory(), django_capture_on_commit_callbacks, count=2).pk != first.pk
    with translation.override("en" if first.language != "en" else "vi"):
        assert build_now(owner, django_capture_on_commit_callbacks, count=2).pk != first.pk


def test_without_a_version_or_after_a_failure_the_file_is_built_again(
    owner, lines_kind, versioned, django_capture_on_commit_callbacks
):
    failed = build_now(owner, django_capture_on_commit_callbacks, count=2, **{"raise": "bug"})
    assert failed.status == "failed"
    assert build_now(owner, django_capture_on_commit_callbacks, count=2, **{"raise": "bug"}).pk != (
        failed.pk
    )
    versioned["version"] = ""  # the cache could not say
    first = build_now(owner, django_capture_on_commit_callbacks, count=2)
    assert build_now(owner, django_capture_on_commit_callbacks, count=2).pk != first.pk


def test_rebuilding_a_stored_file_builds_a_new_one(
    owner, versioned, django_capture_on_commit_callbacks
):
    first = build_now(owner, django_capture_on_commit_callbacks, count=2)

    with django_capture_on_commit_callbacks(execute=True):
        again = exports.services.rebuild(export=first)
    assert again.pk != first.pk
    first.refresh_from_db()
    assert first.version == "" and again.version == "v1"


def test_a_user_may_not_have_more_than_a_few_files_waiting(owner, settings):
    settings.EXPORT_MAX_WAITING = 2
    queued(owner, count=1)
    queued(owner, count=2)

    with pytest.raises(exports.services.TooManyWaiting):
        exports.start(owner=owner, kind=KIND, parameters={"count": 3}, filename="l.txt")
    # The same file again is the one waiting, not a new one; another user is not held up.
    assert exports.start(owner=owner, kind=KIND, parameters={"count": 2}, filename="l").pk
    assert exports.start(owner=UserFactory(), kind=KIND, parameters={"count": 3}, filename="l")


def test_the_pages_say_when_too_many_files_are_waiting(client, owner, settings, english_pages):
    settings.EXPORT_MAX_WAITING = 1
    queued(owner, count=1)
    failed = queued(owner, count=2)
    ExportFile.objects.filter(pk=failed.pk).update(status="failed")
    client.force_login(owner)

    response = client.post(reverse("export_rebuild", args=[failed.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("export_list")
    assert (
        "You already have 1 file being built. Wait until it is ready" in response.content.decode()
    )
    assert ExportFile.objects.count() == 2
