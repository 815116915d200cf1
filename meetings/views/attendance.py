"""Taking attendance: the whole cell on one screen."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chibo import access

from ..forms_attendance import AttendanceForm
from ..models import Meeting
from ..selectors.attendance import attendance_sheet
from ..selectors.minutes_facts import attendance_locked, minutes_chain
from ..services.attendance import AttendanceError, save_attendance


@login_required
def attendance_edit(request, pk):
    meeting = access.get_or_deny(request.user, Meeting, access.EDIT, pk=pk, related=["cell"])
    if attendance_locked(minutes_chain(meeting)):
        messages.error(
            request,
            _("The minutes of this meeting are final: amend them to correct the attendance."),
        )
        return redirect("meeting_detail", pk=meeting.pk)
    sheet = attendance_sheet(meeting)
    form = AttendanceForm(request.POST or None, sheet=sheet)
    if request.method == "POST" and form.is_valid():
        members, temporary, cadres, guests = form.entries()
        try:
            save_attendance(
                meeting=meeting,
                members=members,
                temporary=temporary,
                cadres=cadres,
                guests=guests,
                by=request.user,
            )
        except AttendanceError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("meeting_detail", pk=meeting.pk)
    return render(
        request,
        "meetings/attendance_form.html",
        {"meeting": meeting, "form": form, "sheet": sheet, "summary": sheet.summary()},
    )
