"""The minutes: the editor and its autosave, finalize, amend, history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chibo import access

from .. import rules
from ..forms_minutes import MinutesEditor
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
    TEXT_FIELDS,
    FinalizeRefused,
    MinutesConflict,
    MinutesError,
    MinutesFinal,
    amend_minutes,
    finalize_minutes,
    save_minutes,
    start_minutes,
)


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
    data, conflict, status = request.POST or None, None, 200
    editor = _editor(data, minutes, sheet)
    if request.method == "POST" and editor.is_valid():
        try:
            save_minutes(minutes=minutes, by=request.user, **editor.cleaned())
        except MinutesFinal:
            messages.error(request, _final_message())
            return redirect("meeting_detail", pk=meeting.pk)
        except MinutesConflict as error:
            # Keep what this user typed; saving again now overwrites knowingly.
            conflict, status = error, 409
            data = request.POST.copy()
            data["version"] = str(error.current.version)
            editor = _editor(data, minutes, sheet)
            editor.is_valid()
        else:
            messages.success(
                request,
                _("Saved at %(time)s.") % {"time": timezone.localtime().strftime("%H:%M")},
            )
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
            "conflict": conflict,
            "theirs": _theirs(conflict.current, editor) if conflict else [],
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
    try:
        minutes = save_minutes(minutes=minutes, by=request.user, **editor.cleaned())
    except MinutesFinal:
        return JsonResponse({"message": _final_message()}, status=403)
    except MinutesConflict as error:
        current = error.current
        return JsonResponse(
            {
                "conflict": True,
                "message": error.messages[0],
                "by": _name(current.updated_by),
                "at": timezone.localtime(current.updated_at).strftime("%H:%M"),
                "version": current.version,
                "theirs": [
                    {"label": label, "text": text} for label, text in _theirs(current, editor)
                ],
            },
            status=409,
        )
    return JsonResponse(
        {
            "version": minutes.version,
            "saved_at": timezone.localtime(minutes.updated_at).strftime("%H:%M"),
            "findings": [
                {"message": f.message, "blocking": f.blocking}
                for f in rules.draft_findings(minutes_facts(minutes, sheet))
            ],
        }
    )


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


def _theirs(current: Minutes, editor: MinutesEditor) -> list[tuple[str, str]]:
    """The other person's saved text, field by field, where it differs from ours."""
    ours = editor.cleaned()["content"] if editor.form.is_valid() else {}
    rows = []
    for name in TEXT_FIELDS:
        theirs = getattr(current, name)
        if (theirs != ours[name]) if name in ours else bool(theirs):
            rows.append((str(Minutes._meta.get_field(name).verbose_name).capitalize(), theirs))
    votes = (current.votes_for, current.votes_against, current.votes_abstain)
    if ours and votes != (ours["votes_for"], ours["votes_against"], ours["votes_abstain"]):
        rows.append((_("Vote (for / against / abstain)"), " / ".join(str(v or 0) for v in votes)))
    return rows
