"""The minutes: the editor and its autosave, finalize, amend, history."""

from types import MappingProxyType

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
from chibo.text import display_name

from .. import rules
from ..forms_minutes import (
    FACTS_KEY,
    PEOPLE_KEY,
    MinutesEditor,
    TextsForm,
    autosave_editor,
    changed_texts,
    facts_digest,
    posted_digests,
    state_data,
    unchanged_parts,
)
from ..models import Meeting, Minutes
from ..selectors.attendance import attendance_sheet
from ..selectors.history import minutes_history as history_entries
from ..selectors.minutes_facts import carried_over_tasks, minutes_facts
from ..services.finalize import amend_minutes, finalize_minutes
from ..services.minutes import (
    FinalizeRefused,
    MinutesConflict,
    MinutesError,
    MinutesFinal,
    draft_state,
    minutes_to_edit,
    save_minutes,
    show_version,
    start_minutes,
)

# Bump when the worker's caching changes: old copies are dropped on activation.
SERVICE_WORKER_VERSION = "1"
# save_minutes leaves these parts as they are (not even read).
ROWS_AS_SAVED = MappingProxyType({"speeches": None, "tasks": None, "assessments": None})


def _final_message() -> str:
    return _("These minutes are final and read-only. To correct them, make an amendment.")


@login_required
def minutes_edit(request, pk):
    meeting = access.get_or_deny(request.user, Meeting, access.EDIT, pk=pk, related=["cell"])
    # A GET writes nothing: with no minutes yet, the editor shows an unsaved
    # draft, which the first save (this form or the autosave) creates.
    minutes = minutes_to_edit(meeting=meeting)
    if minutes.is_final:
        messages.info(request, _final_message())
        return redirect("meeting_detail", pk=meeting.pk)
    if request.method != "POST":
        minutes = _shown(minutes, meeting)
    sheet = attendance_sheet(meeting)
    conflict, status = None, 200
    editor = _editor(request.POST or None, minutes, sheet)
    if request.method == "POST" and editor.is_valid():
        minutes = _started(minutes, request.user)
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
            show_version(error.current)
            editor = _editor(_merged_data(error, request.POST), minutes, sheet)
            editor.is_valid()
        except MinutesError as error:
            messages.error(request, error.messages[0])
            status = 400
        else:
            messages.success(request, _saved_message(saved))
            return redirect("minutes_edit", pk=meeting.pk)
    if minutes.pk is not None:
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
    related = ["meeting__cell", "updated_by"]
    # The autosave is the hottest write: one query when the user may edit,
    # get_or_deny's two (404 or 403) otherwise.
    minutes = (
        access.visible(request.user, Minutes, access.EDIT)
        .select_related(*related)
        .filter(pk=pk)
        .first()
    ) or access.get_or_deny(request.user, Minutes, access.EDIT, pk=pk, related=related)
    return _autosave(request, minutes, fresh=True)


@login_required
@require_POST
def minutes_autosave_first(request, pk):
    """The autosave of a meeting's editor opened before it had minutes: its
    first save creates the draft (later ones go to `minutes_autosave`)."""
    meeting = access.get_or_deny(request.user, Meeting, access.EDIT, pk=pk, related=["cell"])
    return _autosave(request, minutes_to_edit(meeting=meeting))


def _autosave(request, minutes: Minutes, *, fresh: bool = False) -> JsonResponse:
    if minutes.is_final:
        return JsonResponse({"message": _final_message()}, status=403)
    digests = posted_digests(request.POST)
    unchanged = unchanged_parts(request.POST, minutes, digests) if minutes.pk else set()
    texts = changed_texts(request.POST, minutes, digests) if unchanged else None
    if texts is not None:
        return _autosave_texts(request, minutes, texts, digests)
    editor = autosave_editor(request.POST, minutes=minutes, unchanged=unchanged)
    if not editor.is_valid():
        return JsonResponse(
            {
                "message": _("Not saved: please correct the marked fields."),
                "errors": editor.errors(),
            },
            status=400,
        )
    facts = facts_digest(editor)
    known_facts = minutes.posted_digests.get(FACTS_KEY)
    created = minutes.pk is None
    minutes = _started(minutes, request.user)
    saved = _save_or_refuse(
        request,
        minutes,
        **editor.cleaned(unchanged=unchanged),
        posted={**digests, PEOPLE_KEY: editor.people_named, FACTS_KEY: facts},
        fresh=fresh and not created,
    )
    if isinstance(saved, JsonResponse):
        return saved
    # The findings change only with what they read (the roll is not posted).
    settled = bool(_marks(request)["choices"])  # the draft saved is not the post
    recheck = created or settled or saved.merge is not None or facts != known_facts
    sheet = attendance_sheet(saved.meeting, visitors=False) if recheck else None
    answer = _saved_answer(request, saved, sheet)
    if created:
        # The page saves to the new draft from now on, and keeps its copy under it.
        answer["minutes_id"] = saved.pk
        answer["autosave_url"] = reverse("minutes_autosave", args=[saved.pk])
    return JsonResponse(answer)


def _autosave_texts(request, minutes: Minutes, texts: list[str], digests) -> JsonResponse:
    """An autosave that changed only text sections since the post that saved
    this version (or nothing): written without reading the roll, the rows
    or last month's tasks; the findings are sent again only when the
    resolution's text appears or goes (the only one they read)."""
    if not texts and _is_autosave(request):
        return JsonResponse(_saved_answer(request, minutes, None))
    form = TextsForm(request.POST, names=texts)
    if not form.is_valid():
        return JsonResponse(
            {
                "message": _("Not saved: please correct the marked fields."),
                "errors": form.errors_by_name(),
            },
            status=400,
        )
    had_resolution = bool(minutes.resolution.strip())
    resolution = form.cleaned_data.get("resolution", minutes.resolution)
    # The people are as the last post named them; the facts too, unless the
    # resolution's text appears or goes (then the next full post checks again).
    kept = [PEOPLE_KEY] if had_resolution != bool(resolution.strip()) else [PEOPLE_KEY, FACTS_KEY]
    digests = {
        **digests,
        **{k: minutes.posted_digests[k] for k in kept if k in minutes.posted_digests},
    }
    saved = _save_or_refuse(
        request,
        minutes,
        version=minutes.version,
        content=form.cleaned_data,
        **ROWS_AS_SAVED,
        posted=digests,
        fresh=True,
    )
    if isinstance(saved, JsonResponse):
        return saved
    changed_rules = had_resolution != bool(saved.resolution.strip())
    sheet = attendance_sheet(saved.meeting, visitors=False) if changed_rules else None
    return JsonResponse(_saved_answer(request, saved, sheet))


def _save_or_refuse(request, minutes: Minutes, **arguments) -> Minutes | JsonResponse:
    """save_minutes for the editor's script, or the answer that it refused."""
    try:
        return save_minutes(
            minutes=minutes,
            by=request.user,
            autosave=_is_autosave(request),
            **_marks(request),
            **arguments,
        )
    except MinutesFinal:
        return JsonResponse({"message": _final_message()}, status=403)
    except MinutesConflict as error:
        return _conflict_response(request, error, minutes.meeting)
    except MinutesError as error:
        return JsonResponse({"message": error.messages[0], "errors": {}}, status=400)


def _is_autosave(request) -> bool:
    """The editor's script posts its save button's saves here too, marked."""
    return request.POST.get("explicit") != "1"


def _saved_answer(request, minutes: Minutes, sheet) -> dict:
    """The version saved and when; the findings when `sheet` is given (else
    the page keeps those it shows); the saved draft when it has more than
    the page sent (merged, or conflicts settled)."""
    answer = {
        "version": minutes.version,
        "saved_at": timezone.localtime(minutes.updated_at).strftime("%H:%M"),
    }
    if sheet is not None:
        answer["findings"] = [
            {"message": f.message, "blocking": f.blocking}
            for f in rules.draft_findings(minutes_facts(minutes, sheet))
        ]
    if getattr(minutes, "merge", None) or _marks(request)["choices"]:
        answer["message"] = _saved_message(minutes)
        answer["fields"] = list(state_data(draft_state(minutes), version=minutes.version).items())
    return answer


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


def _shown(minutes: Minutes, meeting) -> Minutes:
    """The draft as the page will show it, its version kept as the base of
    a later merge (show_version); read again if it changed meanwhile."""
    for _attempt in range(3):
        if show_version(minutes):
            break
        minutes = minutes_to_edit(meeting=meeting)
    return minutes


def _started(minutes: Minutes, by) -> Minutes:
    """The draft to save into: created now when the editor showed an unsaved one."""
    return minutes if minutes.pk is not None else start_minutes(meeting=minutes.meeting, by=by)


def _editor(data, minutes, sheet) -> MinutesEditor:
    return MinutesEditor(
        data, minutes=minutes, sheet=sheet, carried_over=carried_over_tasks(minutes)
    )


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
            "who": display_name(minutes.merge.by),
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
        "their_name": display_name(conflict.current.updated_by),
        "meeting": meeting,
    }


def _conflict_response(request, error: MinutesConflict, meeting) -> JsonResponse:
    current, merge = error.current, error.merge
    show_version(current)  # the page saves from this version next
    context = _conflict_context(error, meeting)
    return JsonResponse(
        {
            "conflict": True,
            "message": error.messages[0],
            "by": display_name(current.updated_by),
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
