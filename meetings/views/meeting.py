"""The hub page of a meeting: its state, attendance and minutes."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from chibo import access

from .. import extensions
from ..models import Meeting
from ..selectors.meeting_page import meeting_page


@login_required
def meeting_detail(request, pk):
    meeting = access.get_or_deny(request.user, Meeting, pk=pk, related=["cell"])
    may_edit = access.can(request.user, access.EDIT, meeting)
    context = {**meeting_page(meeting, may_edit=may_edit), "panels": extensions.page_panels()}
    return render(request, "meetings/meeting_detail.html", context)
