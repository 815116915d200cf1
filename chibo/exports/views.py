"""The owner's background files: the list, one file's progress, its download."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from chibo.access import get_or_deny, visible
from chibo.models import ExportFile, ExportStatus

from . import services
from .registry import builder

RECENT = 50


def offer(request, *, kind: str, parameters: dict, filename: str, total: int, size_text: str = ""):
    """What an export view answers for a large scope: on GET a page that says
    why the file is built in the background (`size_text`, else the rows it
    has), whose button POSTs back here; on POST the file is queued and its
    page shown, or, when the data has not changed since it was built, the
    stored file sent. Never a side effect on GET."""
    if request.method != "POST":
        return render(
            request,
            "exports/export_offer.html",
            {
                "title": builder(kind).title,
                "total": total,
                "size_text": size_text,
                "keep_days": settings.EXPORT_KEEP_DAYS,
            },
        )
    return queue(request, kind=kind, parameters=parameters, filename=filename)


def queue(request, *, kind: str, parameters: dict, filename: str):
    """Start the file (services.start) and show where it stands: its page
    while it is built, the download when it is stored already, the owner's
    files with a message when too many are waiting."""
    try:
        export = services.start(
            owner=request.user, kind=kind, parameters=parameters, filename=filename
        )
    except services.TooManyWaiting:
        return _too_many(request)
    if export.status == ExportStatus.DONE:
        return redirect("export_download", pk=export.pk)
    return redirect("export_detail", pk=export.pk)


def _too_many(request):
    most = settings.EXPORT_MAX_WAITING
    messages.error(
        request,
        ngettext(
            "You already have %(n)d file being built. Wait until it is ready, then ask again.",
            "You already have %(n)d files being built. Wait until one is ready, then ask again.",
            most,
        )
        % {"n": most},
    )
    return redirect("export_list")


@login_required
@require_GET
def export_list(request):
    exports = visible(request.user, ExportFile).defer("failure_detail")[:RECENT]
    return render(
        request,
        "exports/export_list.html",
        {"exports": exports, "keep_days": settings.EXPORT_KEEP_DAYS},
    )


@login_required
@require_GET
def export_detail(request, pk: int):
    export = get_or_deny(request.user, ExportFile, pk=pk)
    template = (
        "exports/includes/export_status.html"
        if request.headers.get("HX-Request")
        else "exports/export_detail.html"
    )
    return render(request, template, {"export": export, "title": _title(export)})


@login_required
@require_GET
def export_download(request, pk: int):
    export = get_or_deny(request.user, ExportFile, pk=pk)
    if export.status != ExportStatus.DONE or not export.file:
        raise Http404
    return private_file(export.file.open("rb"), export.filename, _content_type(export))


def private_file(output, filename: str, content_type: str) -> FileResponse:
    """A download of personal data (a roll, a report): no shared cache or
    browser cache keeps a copy."""
    response = FileResponse(
        output, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def export_rebuild(request, pk: int):
    export = get_or_deny(request.user, ExportFile, pk=pk)
    try:
        again = services.rebuild(export=export)
    except services.TooManyWaiting:
        return _too_many(request)
    if again.pk != export.pk:
        messages.info(request, _("The file is being built again."))
    return redirect("export_detail", pk=again.pk)


def _title(export: ExportFile):
    try:
        return builder(export.kind).title
    except LookupError:  # an app that registered it was removed
        return export.kind


def _content_type(export: ExportFile) -> str:
    try:
        return builder(export.kind).content_type
    except LookupError:
        return "application/octet-stream"
