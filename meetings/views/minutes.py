"""The minutes: the editor and its autosave, finalize, amend, history."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chibo import access

from .. import rules
from ..forms_minutes import MinutesEditor, state_data
from ..models import Meeting, Minutes
from ..selectors.meeting_page import (
    attendance_sheet,
    carried_over_tasks,
    minutes_facts,
)
from ..selectors.meeting_page import (
    minutes_history as history_entries,
)
from ..services.minutes import (
    FinalizeRefused,
    MinutesConflict,
    MinutesError,
    MinutesFinal,
    amend_minutes,
    draft_state,
    finalize_minutes,
    save_minutes,
    start_minutes,
)

# Bump when the worker's caching changes: old copies are dropped on activation.
SERVICE_WORKER_VERSION = "1"


def _final_message() -> str:
    return _("These minutes are final and read-only. To correct them, make an amendment.")


@login_required
def minutes_edit(request, pk):
    meeting = access.get_or_deny(request.user, Meeting, access.EDIT, pk=pk, related=["cell"])
    minutes = start_minutes(meeting=meeting, by=request.user)
    if minutes.is_final:
        messages.info(request, _final_message())
        return redirect("meeting_detail", pk=meeting.pk)
    sheet = attendance_sheet(meeting)
    conflict, status = None, 200
    editor = _editor(request.POST or None, minutes, sheet)
    if request.method == "POST" and editor.is_valid():
        try:
            saved = save_minutes(
                minutes=minutes, by=request.user, **editor.cleaned(), **_marks(request)
            )
        except MinutesFinal:
            messages.error(request, _final_message())
            return redirect("meeting_detail", pk=meeting.pk)
        except MinutesConflict as error:
            # The form now holds the merged draft, this user's text in each
            # conflict; saving it again applies the choices made beside it.
            conflict, status = error, 409
            editor = _editor(_merged_data(error, request.POST), minutes, sheet)
            editor.is_valid()
        except MinutesError as error:
            messages.error(request, error.messages[0])
            status = 400
        else:
            messages.success(request, _saved_message(saved))
            return redirect("minutes_edit", pk=meeting.pk)
    minutes.refresh_from_db()
    return render(
        request,
        "meetings/minutes_form.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "editor": editor,
            "sheet": sheet,
            "findings": rules.draft_findings(minutes_facts(minutes, sheet)),
            **_conflict_context(conflict, meeting),
        },
        status=status,
    )


@login_required
@require_POST
def minutes_autosave(request, pk):
    minutes = access.get_or_deny(
        request.user, Minutes, access.EDIT, pk=pk, related=["meeting__cell"]
    )
    if minutes.is_final:
        return JsonResponse({"message": _final_message()}, status=403)
    sheet = attendance_sheet(minutes.meeting)
    editor = _editor(request.POST, minutes, sheet)
    if not editor.is_valid():
        return JsonResponse(
            {
                "message": _("Not saved: please correct the marked fields."),
                "errors": editor.errors(),
            },
            status=400,
        )
    marks = _marks(request)
    try:
        minutes = save_minutes(minutes=minutes, by=request.user, **editor.cleaned(), **marks)
    except MinutesFinal:
        return JsonResponse({"message": _final_message()}, status=403)
    except MinutesConflict as error:
        return _conflict_response(request, error, minutes.meeting)
    except MinutesError as error:
        return JsonResponse({"message": error.messages[0], "errors": {}}, status=400)
    answer = {
        "version": minutes.version,
        "saved_at": timezone.localtime(minutes.updated_at).strftime("%H:%M"),
        "findings": [
            {"message": f.message, "blocking": f.blocking}
            for f in rules.draft_findings(minutes_facts(minutes, sheet))
        ],
    }
    if minutes.merge or marks["choices"]:
        # The page takes the saved draft, which has more than it sent.
        answer["message"] = _saved_message(minutes)
        answer["fields"] = list(state_data(draft_state(minutes), version=minutes.version).items())
    return JsonResponse(answer)


@require_GET
def minutes_service_worker(request):
    """The editor's service worker, served from above the editor's URLs so
    that its scope covers them (a static file's scope would be /static/)."""
    scope = reverse("meeting_list")
    script = render_to_string(
        "meetings/js/minutes-sw.js",
        {"scope": scope, "static_url": settings.STATIC_URL, "version": SERVICE_WORKER_VERSION},
    )
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = scope
    response["Cache-Control"] = "no-cache"
    return response


@login_required
@require_POST
def minutes_finalize(request, pk):
    minutes = access.get_or_deny(request.user, Minutes, access.EDIT, pk=pk)
    try:
        minutes = finalize_minutes(minutes=minutes, by=request.user)
    except FinalizeRefused as error:
        messages.error(request, _("The minutes cannot be finalized yet:"))
        for message in error.messages:
            messages.error(request, message)
    except MinutesError as error:
        messages.error(request, error.messages[0])
    else:
        minutes.refresh_from_db(fields=["pdf_sha256"])  # archived inline without a worker
        message = (
            _("The minutes are final (number %(number)s) and archived as PDF.")
            if minutes.pdf_sha256
            else _("The minutes are final (number %(number)s); their PDF is being prepared.")
        )
        messages.success(request, message % {"number": rules.document_number(minutes.number)})
    return redirect("meeting_detail", pk=minutes.meeting_id)


@login_required
@require_POST
def minutes_amend(request, pk):
    minutes = access.get_or_deny(request.user, Minutes, access.EDIT, pk=pk)
    try:
        amend_minutes(minutes=minutes, by=request.user)
    except MinutesError as error:
        messages.error(request, error.messages[0])
        return redirect("meeting_detail", pk=minutes.meeting_id)
    messages.info(request, _("Write the correction below; the final minutes stay as they were."))
    return redirect("minutes_edit", pk=minutes.meeting_id)


@login_required
def minutes_history(request, pk):
    minutes = access.get_or_deny(request.user, Minutes, pk=pk, related=["meeting__cell"])
    return render(
        request,
        "meetings/minutes_history.html",
        {"minutes": minutes, "meeting": minutes.meeting, "entries": history_entries(minutes)},
    )


def _editor(data, minutes, sheet) -> MinutesEditor:
    return MinutesEditor(
        data, minutes=minutes, sheet=sheet, carried_over=carried_over_tasks(minutes)
    )


def _name(user) -> str:
    if user is None:
        return _("someone")
    return user.get_full_name() or user.username


def _marks(request) -> dict:
    """What the page says about this save: its editor token, its id, and
    the choices made in a conflict (resolve-<conflict key> = mine/theirs/both)."""
    post = request.POST
    return {
        "editor_token": post.get("editor_token", "")[:40],
        "save_id": post.get("save_id", "")[:40],
        "choices": {
            name.removeprefix("resolve-"): value
            for name, value in post.items()
            if name.startswith("resolve-")
        },
    }


def _saved_message(minutes: Minutes) -> str:
    time = timezone.localtime().strftime("%H:%M")
    if minutes.merge:
        return _("Saved at %(time)s, together with the changes %(who)s saved before.") % {
            "time": time,
            "who": _name(minutes.merge.by),
        }
    return _("Saved at %(time)s.") % {"time": time}


def _merged_data(error: MinutesConflict, posted):
    if error.merge is None:
        data = posted.copy()  # saved in the same instant: keep what was typed
        data["version"] = str(error.current.version)
        return data
    return state_data(error.merge.state, version=error.current.version)


def _conflict_context(conflict: MinutesConflict | None, meeting) -> dict:
    if conflict is None:
        return {"conflict": None}
    merge = conflict.merge
    return {
        "conflict": conflict,
        "conflicts": merge.conflicts if merge else [],
        "taken": merge.taken if merge else [],
        "their_name": _name(conflict.current.updated_by),
        "meeting": meeting,
    }


def _conflict_response(request, error: MinutesConflict, meeting) -> JsonResponse:
    current, merge = error.current, error.merge
    context = _conflict_context(error, meeting)
    return JsonResponse(
        {
            "conflict": True,
            "message": error.messages[0],
            "by": _name(current.updated_by),
            "at": timezone.localtime(current.updated_at).strftime("%H:%M"),
            "version": current.version,
            "theirs": [{"label": c.label, "text": c.theirs} for c in context["conflicts"]],
            "conflicts": [
                {"key": c.key, "label": c.label, "mine": c.mine, "theirs": c.theirs}
                for c in context["conflicts"]
            ],
            "fields": list(_merged_data(error, request.POST).items()) if merge else None,
            "html": render_to_string("meetings/_conflict.html", context, request=request),
        },
        status=409,
    )
