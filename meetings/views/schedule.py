"""The meeting calendar: list, add, change, and the thematic report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chibo import access
from chibo.access import Capability
from chibo.pagination import BoundedPaginator
from meetings import calendar
from meetings.forms_schedule import (
    MeetingChangeForm,
    MeetingCreateForm,
    MeetingFilterForm,
    ThematicReportForm,
)
from meetings.models import Meeting
from meetings.selectors import schedule as selectors
from meetings.selectors.schedule import editable_among, meetings_for, report_roots
from meetings.services import planning

PAGE_SIZE = 25
THEMATIC_PAGE_SIZE = 25


@login_required
def meeting_list(request):
    form = MeetingFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid() and form.has_error("cell", "invalid_choice"):
        raise Http404  # a cell outside the user's scope does not exist for them
    # A search that names no single cell leaves the other fields' filters.
    data = form.cleaned_data if form.is_bound else {}
    year = data.get("year") or timezone.localdate().year
    meetings = meetings_for(request.user, cell=data.get("cell"), year=year)
    page = BoundedPaginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    editable, may_plan = editable_among(request.user, {m.cell_id for m in page})
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "form": form,
            "page_obj": page,
            "year": year,
            "editable_cells": editable,
            "may_plan": may_plan,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    access.require(request.user, Capability.PLAN_MEETINGS)
    form = MeetingCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = planning.create_meeting(
                cell=form.cleaned_data["cell"],
                kind=form.cleaned_data["kind"],
                topic=form.cleaned_data["topic"],
                scheduled_at=form.cleaned_data["scheduled_at"],
                place=form.cleaned_data["place"],
                by=request.user,
            )
        except planning.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Added: %(meeting)s.") % {"meeting": meeting})
            return redirect(f"{reverse('meeting_list')}?cell={meeting.cell_id}")
    return render(request, "meetings/meeting_create.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_reschedule(request, pk):
    meeting = access.get_or_deny(request.user, Meeting, access.EDIT, pk=pk, related=["cell"])
    form = MeetingChangeForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            _apply_change(request.user, meeting, form)
        except planning.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The meeting was changed."))
            return redirect("meeting_detail", pk=meeting.pk)
    return render(request, "meetings/meeting_reschedule.html", {"form": form, "meeting": meeting})


def _apply_change(user, meeting, form):
    data, action = form.cleaned_data, form.cleaned_data["action"]
    if action == form.MOVE:
        return planning.move_meeting(
            meeting=meeting,
            scheduled_at=data["scheduled_at"],
            place=data["place"],
            reason=data["reason"],
            by=user,
        )
    if action == form.POSTPONE:
        return planning.postpone_meeting(meeting=meeting, reason=data["reason"], by=user)
    return planning.cancel_meeting(meeting=meeting, reason=data["reason"], by=user)


@login_required
def thematic_report(request):
    access.require(request.user, Capability.READ_REPORTS)
    roots = report_roots(request.user)
    today = timezone.localdate()
    form = ThematicReportForm(request.GET or None, user=request.user, today=today)
    if form.is_bound and not form.is_valid() and form.has_error("root", "invalid_choice"):
        raise Http404
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    root = data.get("root") or roots.order_by("depth", "path").first()
    year, quarter = (
        calendar.parse_quarter(data["quarter"])
        if data.get("quarter")
        else calendar.quarter_of(today)
    )
    if root is not None and not data.get("root"):
        # The picker shows the organization reported on, as chosen.
        if form.is_bound:
            form.data = form.data.copy()
            form.data["root"] = root.pk
        else:
            form.initial["root"] = root.pk
    if root is None:
        raise Http404  # report_roots is empty only without READ_REPORTS anywhere
    report = selectors.thematic_report(
        request.user, root=root, year=year, quarter=quarter, show=request.GET.get("show")
    )
    page = BoundedPaginator(report.rows, THEMATIC_PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    figures = selectors.tallies(request.user, shown, year=year, quarter=quarter)
    return render(
        request,
        "meetings/thematic_report.html",
        {
            "form": form,
            "report": report,
            "root": root,
            "page_obj": page,
            "rows": [(row, figures.get(row.pk)) for row in shown],
            "quarter": f"{year}-Q{quarter}",
        },
    )
