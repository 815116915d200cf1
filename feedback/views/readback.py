"""Reading answers back to the cell at its meeting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chibo import access
from meetings.models import Meeting

from ..forms import ReadBackForm
from ..models import FeedbackItem
from ..selectors import answers_read_back, awaiting_read_back
from ..services import WorkflowError, read_back_item, readback_refusal
from ..workflow import READBACK


@login_required
def feedback_readback(request, pk):
    """The cell's answered items with "read back" and "satisfied?" for each,
    and the answers already read back at this meeting."""
    meeting = access.get_or_deny(request.user, Meeting, access.EDIT, pk=pk, related=["cell"])
    allowed = access.visible(request.user, FeedbackItem, READBACK)
    form = ReadBackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = allowed.filter(pk=form.cleaned_data["item"], cell_id=meeting.cell_id).first()
        if item is None:
            messages.error(request, _("That item is not waiting to be read back here."))
            return redirect("feedback_readback", pk=meeting.pk)
        try:
            read_back_item(
                item=item,
                meeting=meeting,
                by=request.user,
                is_satisfied=form.cleaned_data["is_satisfied"],
                note=form.cleaned_data["note"],
            )
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            message = (
                _("#%(pk)s read back: the cell is satisfied, the item is closed.")
                if form.cleaned_data["is_satisfied"]
                else _("#%(pk)s read back: the cell is not satisfied, the item is reopened.")
            )
            messages.success(request, message % {"pk": item.pk})
        return redirect("feedback_readback", pk=meeting.pk)
    return render(
        request,
        "feedback/meeting_readback.html",
        {
            "meeting": meeting,
            "awaiting": awaiting_read_back(allowed, cell_id=meeting.cell_id),
            "read_back": answers_read_back(meeting),
            "form": form,
            # Shown instead of the forms: nothing can be read back here yet (or any more).
            "refusal": readback_refusal(meeting),
        },
    )
