"""Cadre assignments (office staff), the cadre's page, visits and quotas."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chibo import access
from chibo.access import Capability
from chibo.models import Organization
from meetings.forms_cadres import (
    AssignmentBulkForm,
    AssignmentEndForm,
    AssignmentForm,
    VisitForm,
    YearForm,
)
from meetings.models import Assignment, CadreVisit, Meeting
from meetings.selectors import cadres as selectors
from meetings.services import assignments as service
from meetings.services.visits import VisitError, check_visit_allowed, record_visit

PAGE_SIZE = 50
# The quota report lists cadres a page at a time; its summary stays whole.
QUOTA_PAGE_SIZE = 25


@login_required
def assignment_list(request):
    show_all = request.GET.get("show") == "all"
    assignments = selectors.assignments_for(request.user, current_only=not show_all)
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    may_assign = access.has(request.user, Capability.ASSIGN_CADRES)
    return render(
        request,
        "meetings/assignment_list.html",
        {"page_obj": page, "show_all": show_all, "may_assign": may_assign},
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_create(request):
    access.require(request.user, Capability.ASSIGN_CADRES)
    form = AssignmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = service.assign_cadre(**form.cleaned_data, by=request.user)
        except service.AssignmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Assigned: %(a)s.") % {"a": assignment})
            return redirect("assignment_list")
    return render(request, "meetings/assignment_form.html", {"form": form, "bulk": False})


@login_required
@require_http_methods(["GET", "POST"])
def assignment_bulk(request):
    access.require(request.user, Capability.ASSIGN_CADRES)
    form = AssignmentBulkForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            created = service.assign_in_bulk(
                cadres=list(form.cleaned_data["cadres"]),
                cells=list(form.cleaned_data["cells"]),
                per_cadre=form.cleaned_data["per_cadre"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                by=request.user,
            )
        except service.AssignmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(n)s assignments saved.") % {"n": len(created)})
            return redirect("assignment_list")
    return render(request, "meetings/assignment_form.html", {"form": form, "bulk": True})


@login_required
@require_http_methods(["GET", "POST"])
def assignment_end(request, pk):
    assignment = access.get_or_deny(
        request.user, Assignment, access.EDIT, pk=pk, related=["cadre", "cell"]
    )
    form = AssignmentEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service.end_assignment(
                assignment=assignment, ends_on=form.cleaned_data["ends_on"], by=request.user
            )
        except service.AssignmentError as error:
            form.add_error("ends_on", str(error))
        else:
            messages.success(
                request,
                _("The assignment ends on %(date)s.")
                % {"date": f"{form.cleaned_data['ends_on']:%d/%m/%Y}"},
            )
            return redirect("assignment_list")
    return render(request, "meetings/assignment_end.html", {"form": form, "assignment": assignment})


@login_required
def cadre_home(request):
    access.require(request.user, Capability.RECORD_VISITS)
    member = request.user.member
    context = selectors.cadre_page(request.user, member, today=timezone.localdate())
    return render(request, "meetings/cadre_home.html", context)


@login_required
def quota_report(request):
    access.require(request.user, Capability.READ_REPORTS)
    return _quota_report(request, within=None)


@login_required
def quota_report_org(request, pk):
    """The drill-down: one organization's summary by its sub-organizations
    and its cadres."""
    organization = access.get_or_deny(request.user, Organization, access.EDIT, pk=pk)
    access.require(request.user, Capability.READ_REPORTS, organization)
    return _quota_report(request, within=organization)


def _quota_report(request, *, within):
    today = timezone.localdate()
    form = YearForm(request.GET or None)
    year = form.year_or(today)
    report = selectors.quota_view(
        request.user,
        year=year,
        today=today,
        within=within,
        show=request.GET.get("show"),
        page=request.GET.get("page"),
        # A province's summary has a line per commune: paged apart from the cadres.
        orgs=request.GET.get("orgs"),
        per_page=QUOTA_PAGE_SIZE,
    )
    page = report["cadres"].page(QUOTA_PAGE_SIZE)
    groups = report["summary"].page(QUOTA_PAGE_SIZE)
    return render(
        request,
        "meetings/quota_report.html",
        {
            **report,
            "form": form,
            "year": year,
            "page_obj": page,
            "rows": page.object_list,
            "cadres": page.object_list,
            "summary": groups.object_list,
            "summary_page": groups,
            "behind": report["total"].behind,
            "at_risk": report["total"].at_risk,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_edit(request, pk):
    meeting = access.get_or_deny(request.user, Meeting, pk=pk, related=["cell"])
    # Only the cadre assigned to the cell on the meeting's day (not, say, its secretary).
    access.require(
        request.user,
        Capability.RECORD_VISITS,
        meeting.cell,
        on=timezone.localdate(meeting.scheduled_at),
    )
    member = request.user.member
    try:
        check_visit_allowed(meeting=meeting, cadre=member)
    except VisitError as error:
        messages.error(request, str(error))
        return redirect("cadre_home")
    visit = (
        access.visible(request.user, CadreVisit, access.EDIT)
        .filter(meeting=meeting, cadre=member)
        .first()
    )
    form = VisitForm(
        request.POST or None, instance=visit or CadreVisit(meeting=meeting, cadre=member)
    )
    if request.method == "POST" and form.is_valid():
        try:
            visit = record_visit(
                meeting=meeting, cadre=member, by=request.user, **form.cleaned_data
            )
        except VisitError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _saved_message(visit, meeting))
            return redirect("cadre_home")
    return render(request, "meetings/visit_edit.html", {"form": form, "meeting": meeting})


def _saved_message(visit: CadreVisit, meeting: Meeting) -> str:
    """The confirmation; when something was heard, it offers to record it as
    feedback with the text already filled in, so nothing is typed twice."""
    saved = _("Your visit to %(cell)s is recorded.") % {"cell": meeting.cell}
    if not visit.heard.strip():
        return saved
    return format_html(
        '{} <a class="alert-link" href="{}?visit={}">{}</a>',
        saved,
        reverse("feedback_create"),
        visit.pk,
        _("Record the feedback heard"),
    )
