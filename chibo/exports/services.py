"""Recording, building, failing and deleting background files."""

import datetime
import logging
import uuid

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation

from chibo.models import ExportFailure, ExportFile, ExportStatus

from .registry import Progress, builder

log = logging.getLogger(__name__)
WAITING = (ExportStatus.QUEUED, ExportStatus.RUNNING)


class TooManyWaiting(Exception):
    """The owner already has EXPORT_MAX_WAITING files waiting or being built."""


def find_running(*, owner, kind: str, parameters: dict) -> ExportFile | None:
    """The owner's file of this kind and parameters still waiting or being built."""
    waiting = ExportFile.objects.filter(owner=owner, kind=kind, status__in=WAITING)
    return _with_parameters(waiting, parameters)


def find_stored(
    *, owner, kind: str, parameters: dict, version: str, language: str
) -> ExportFile | None:
    """The owner's finished file of this kind, parameters, data version and language."""
    if not version:
        return None
    done = ExportFile.objects.filter(
        owner=owner, kind=kind, version=version, language=language, status=ExportStatus.DONE
    ).exclude(file="")
    return _with_parameters(done.order_by("-finished_at", "-pk"), parameters)


def _with_parameters(exports, parameters: dict) -> ExportFile | None:
    # JSON equality in Python: the same on SQLite and PostgreSQL, over a user's few files.
    return next((export for export in exports if export.parameters == parameters), None)


def start(*, owner, kind: str, parameters: dict, filename: str) -> ExportFile:
    """Record a file for `owner` and queue its build once the row is committed.

    A second click while the same file is being built returns the first one,
    so a double click builds once; asked again while the data is unchanged
    (Builder.version), the stored file is returned. TooManyWaiting when the
    owner already waits for EXPORT_MAX_WAITING files: a clerk cannot fill
    the workers with province reports. The parameters must be what chibo.access
    allowed in the request; the build checks them again.
    """
    found = builder(kind)  # an unknown kind fails here, in the request, not in a worker
    running = find_running(owner=owner, kind=kind, parameters=parameters)
    if running is not None:
        return running
    version = found.version(user=owner, parameters=parameters) if found.version else ""
    language = translation.get_language() or settings.LANGUAGE_CODE
    stored = find_stored(
        owner=owner, kind=kind, parameters=parameters, version=version, language=language
    )
    if stored is not None:
        return stored
    waiting = ExportFile.objects.filter(owner=owner, status__in=WAITING).count()
    if waiting >= settings.EXPORT_MAX_WAITING:
        raise TooManyWaiting
    export = ExportFile.objects.create(
        owner=owner,
        kind=kind,
        parameters=parameters,
        filename=filename,
        language=language,
        version=version,
    )
    # robust: with Redis down the row stays queued; fail_stalled() tells the owner.
    transaction.on_commit(lambda: _enqueue(export.pk), robust=True)
    return export


def _enqueue(export_id: int) -> None:
    from chibo.tasks import build_export_task

    build_export_task.delay(export_id=export_id)


def rebuild(*, export: ExportFile) -> ExportFile:
    """The same file built again, with today's data (after a failure, or to refresh)."""
    # Never the stored file again: the owner asked for a new one.
    ExportFile.objects.filter(pk=export.pk).update(version="")
    return start(
        owner=export.owner,
        kind=export.kind,
        parameters=export.parameters,
        filename=export.filename,
    )


def run(*, export_id: int) -> bool:
    """Build a queued file; True when it is stored. Idempotent: only the run
    that moves the row from queued to running builds it."""
    now = timezone.now()
    claimed = ExportFile.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, started_at=now, updated_at=now
    )
    if not claimed:
        log.info("Export %s: not queued (missing or taken by another run)", export_id)
        return False
    export = ExportFile.objects.select_related("owner").get(pk=export_id)
    progress = Progress(export.pk)
    try:
        if not export.owner.is_active:
            raise PermissionDenied
        with translation.override(export.language):
            output = builder(export.kind).build(
                user=export.owner, parameters=export.parameters, progress=progress
            )
    except (Http404, PermissionDenied):
        _fail(export, ExportFailure.OUT_OF_SCOPE, "refused by chibo.access")
        return False
    except SoftTimeLimitExceeded:
        _fail(export, ExportFailure.TOO_LONG, f"soft time limit after {progress.done} rows")
        return False
    except Exception as exc:
        log.exception("Export %s (%s) failed", export.pk, export.kind)
        _fail(export, ExportFailure.ERROR, f"{type(exc).__name__}: {exc}"[:2000])
        return False
    return _store(export, output, progress)


def _store(export: ExportFile, output, progress: Progress) -> bool:
    suffix = builder(export.kind).suffix
    with output:
        export.file.save(f"{uuid.uuid4().hex}{suffix}", File(output), save=False)
    stored = ExportFile.objects.filter(pk=export.pk, status=ExportStatus.RUNNING).update(
        status=ExportStatus.DONE,
        file=export.file.name,
        size=export.file.size,
        done=progress.done,
        total=progress.done,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if not stored:
        # Declared stopped by fail_stalled() meanwhile: the owner was told so.
        export.file.delete(save=False)
    return bool(stored)


def _fail(export: ExportFile, failure: str, detail: str) -> None:
    now = timezone.now()
    ExportFile.objects.filter(pk=export.pk, status=ExportStatus.RUNNING).update(
        status=ExportStatus.FAILED,
        failure=failure,
        failure_detail=detail,
        finished_at=now,
        updated_at=now,
    )


def fail_stalled(*, now: datetime.datetime | None = None) -> int:
    """Fail the files whose build stopped moving (its worker died, or the task
    never reached one), so that their owners can try again."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.EXPORT_STALLED_AFTER)
    return ExportFile.objects.filter(status__in=WAITING, updated_at__lt=cutoff).update(
        status=ExportStatus.FAILED,
        failure=ExportFailure.STOPPED,
        failure_detail=f"no progress since {cutoff:%Y-%m-%d %H:%M:%S %Z}",
        finished_at=now,
        updated_at=now,
    )


def delete_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete the finished files older than EXPORT_KEEP_DAYS, stored file and row."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.EXPORT_KEEP_DAYS)
    expired = ExportFile.objects.filter(created_at__lt=cutoff).exclude(status__in=WAITING)
    count = 0
    for export in expired.only("pk", "file").iterator():
        if export.file:
            export.file.delete(save=False)
        export.delete()
        count += 1
    return count
