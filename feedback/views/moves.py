"""The workflow's buttons on an item's page: each a POST, a service call,
a message and a redirect back to the item."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chibo import access

from ..forms import DueDateForm, ForwardForm, LinkForm, NoteForm
from ..models import FeedbackItem
from ..services import (
    WorkflowError,
    answer_item,
    forward_item,
    link_item,
    return_item,
    set_due_date,
    start_item,
    unlink_item,
)
from ..workflow import ANSWER, FORWARD

NOTE_MOVES = {
    "start": lambda item, by, text: start_item(item=item, by=by, note=text),
    "return": lambda item, by, text: return_item(item=item, by=by, note=text),
    "answer": lambda item, by, text: answer_item(item=item, by=by, answer=text),
}


def _item(request, pk, action):
    return access.get_or_deny(
        request.user, FeedbackItem, action, pk=pk, related=["cell", "category"]
    )


def _done(request, item, message):
    messages.success(request, message)
    return redirect("feedback_detail", pk=item.pk)


@login_required
def feedback_forward(request, pk):
    item = _item(request, pk, FORWARD)
    form = ForwardForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            item = forward_item(item=item, by=request.user, **form.routing())
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, item, _("Forwarded to %(to)s.") % {"to": item.answering_party})
    return render(request, "feedback/item_forward.html", {"item": item, "form": form})


@login_required
def feedback_move(request, pk, action):
    """Take up, return for clarification, or answer (the answering side)."""
    if action not in NOTE_MOVES:
        raise Http404
    item = _item(request, pk, ANSWER)
    form = NoteForm(request.POST if request.method == "POST" else None, action=action)
    if request.method == "POST" and form.is_valid():
        try:
            item = NOTE_MOVES[action](item, request.user, form.cleaned_data["text"])
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, item, _("Now: %(state)s.") % {"state": item.get_state_display()})
    return render(
        request, "feedback/item_move.html", {"item": item, "form": form, "action": action}
    )


@login_required
def feedback_due_date(request, pk):
    item = _item(request, pk, FORWARD)
    form = DueDateForm(request.POST or None, initial={"due_on": item.due_on})
    if request.method == "POST" and form.is_valid():
        try:
            item = set_due_date(item=item, by=request.user, **form.cleaned_data)
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, item, _("Due date changed."))
    return render(request, "feedback/item_due_date.html", {"item": item, "form": form})


@login_required
@require_POST
def feedback_link(request, pk):
    item = _item(request, pk, FORWARD)
    form = LinkForm(request.POST, user=request.user, item=item)
    if not form.is_valid():
        messages.error(request, _("Choose an open item you may forward."))
        return redirect("feedback_detail", pk=item.pk)
    try:
        link_item(item=item, main=form.cleaned_data["main"], by=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("feedback_detail", pk=item.pk)
    return _done(request, item, _("Linked under #%(pk)s.") % {"pk": form.cleaned_data["main"].pk})


@login_required
@require_POST
def feedback_unlink(request, pk):
    item = _item(request, pk, FORWARD)
    try:
        unlink_item(item=item, by=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("feedback_detail", pk=item.pk)
    return _done(request, item, _("No longer linked."))
