"""The report pages: the roll-up of an organization for a period on screen,
its official PDF, and its spreadsheet (at once when small, in the
background when large)."""

import io

from csp.decorators import csp_update
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo import access, exports
from chibo.access import Capability
from chibo.exports.views import offer, private_file, queue
from chibo.models import Organization
from meetings.selectors.schedule import report_roots

from . import charts, minutes_zip, page, pdf, services, xlsx
from .forms import PeriodForm, SignatureForm
from .rollup import SHOWN, cached_rollup, cached_trends, cells_in, report_root
from .then import NOW, THEN

PAGE_SIZE = 25


@login_required
@require_GET
def report_home(request):
    """The report of the user's own organization (an office's topmost)."""
    access.require(request.user, Capability.READ_REPORTS)
    root = report_roots(request.user).order_by("depth", "path").first()
    if root is None:
        raise Http404
    return _report_page(request, root)


@login_required
@require_GET
def report(request, pk):
    return _report_page(request, report_root(request.user, pk))


def _report_page(request, organization: Organization):
    form = PeriodForm(request.GET or None, today=timezone.localdate())
    period = form.period_or_default()
    result = cached_rollup(
        request.user, root=organization, period=period, tree=form.tree_or_default()
    )
    return render(request, "reports/report.html", _context(request, result, form, SignatureForm()))


def _asked_period(request):
    """The period and tree a file is asked for: a link from the page always
    names good ones, so a bad one is a bad link (404), not a form to correct."""
    form = PeriodForm(request.GET or None, today=timezone.localdate())
    if request.GET and not form.is_valid():
        raise Http404
    return form, form.period_or_default(), form.tree_or_default()


def _file_parameters(organization: Organization, period, tree: str) -> dict:
    """What a background file of the report is built from (the tree only when
    it is the one of then, so files asked before it existed still match)."""
    parameters = {"organization": organization.pk, "period": period.code}
    return {**parameters, "tree": tree} if tree != NOW else parameters


def _context(request, result, period_form, signature_form) -> dict:
    context = {
        "form": period_form,
        "signature_form": signature_form,
        "report": result,
        "period": result.period,
        "page_obj": Paginator(result.rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "lineage": _lineage(request.user, result.root),
        "shown": SHOWN,
        "charts": charts.shown(result),
        # What every link of the page carries after `?period=`: the period and the tree.
        "query": result.period.code + ("&tree=then" if result.tree == THEN else ""),
        "tree_query": "&tree=then" if result.tree == THEN else "",
        "issued": services.issued(result.root, result.period),
    }
    return {
        **context,
        "body": page.figures_part(request, result, context),
        "period_fields": page.fields("reports/includes/period_fields.html", period_form),
        "signature_fields": page.fields("reports/includes/signature_fields.html", signature_form),
    }


@login_required
@require_GET
# matplotlib writes style attributes; an SVG shown as an image runs no script.
@csp_update({"style-src": ["'self'", "'unsafe-inline'"]})
def report_chart(request, pk, name):
    """One of the report's charts, as an SVG image."""
    organization = report_root(request.user, pk)
    _form, period, tree = _asked_period(request)
    result = cached_rollup(request.user, root=organization, period=period, tree=tree)
    if name not in {chart.name for chart in charts.shown(result)}:
        raise Http404
    trends = cached_trends(request.user, root=organization, period=period, tree=tree)
    response = HttpResponse(
        charts.cached_svg(request.user, name, result, trends), content_type="image/svg+xml"
    )
    # Private figures; a few minutes' staleness is what the roll-up's cache allows too.
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_POST
def report_pdf(request, pk):
    """The official PDF of the report, with what the clerk typed in (a POST:
    the text may be long): at once for a small report, by a worker for a
    large one (the worker's parameters keep the text until the file expires)."""
    organization = report_root(request.user, pk)
    period_form, period, tree = _asked_period(request)
    form = SignatureForm(request.POST)
    if not form.is_valid():
        result = cached_rollup(request.user, root=organization, period=period, tree=tree)
        return render(request, "reports/report.html", _context(request, result, period_form, form))
    name = pdf.filename(organization, period)
    typed = dict(form.cleaned_data)
    today = timezone.localdate()
    number = None
    if typed.pop("issue"):
        number = services.issue(
            organization=organization, period=period, on=today, by=request.user
        ).number
    if cells_in(request.user, organization, period) > settings.REPORT_BACKGROUND_CELLS:
        parameters = {
            **_file_parameters(organization, period, tree),
            "on": today.isoformat(),
            "number": number,
            **typed,
        }
        return queue(request, kind=pdf.REPORT_PDF, parameters=parameters, filename=name)
    result = cached_rollup(request.user, root=organization, period=period, tree=tree)
    content = pdf.render(
        result,
        user=request.user,
        trends=cached_trends(request.user, root=organization, period=period, tree=tree),
        superior=Organization.objects.get_parent(organization),
        on=today,
        number=number,
        **typed,
    )
    return private_file(io.BytesIO(content), name, "application/pdf")


@login_required
@require_http_methods(["GET", "POST"])
def report_minutes_zip(request, pk):
    """Every final minutes of the period in one ZIP: always built by a worker
    (the GET says so and offers the button; the POST queues it)."""
    organization = report_root(request.user, pk)
    _form, period, _tree = _asked_period(request)  # the minutes of today's subtree
    total = 0
    if request.method != "POST":
        total = minutes_zip.final_minutes(request.user, organization, period).count()
    return offer(
        request,
        kind=minutes_zip.MINUTES_ZIP,
        parameters={"organization": organization.pk, "period": period.code},
        filename=minutes_zip.filename(organization, period),
        total=total,
        size_text=ngettext(
            "The archive holds %(n)d set of final minutes: it is built in the background.",
            "The archive holds %(n)d sets of final minutes: it is built in the background.",
            total,
        )
        % {"n": total},
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_xlsx(request, pk):
    organization = report_root(request.user, pk)
    _form, period, tree = _asked_period(request)
    parameters = _file_parameters(organization, period, tree)
    name = xlsx.filename(organization, period)
    cells = cells_in(request.user, organization, period)
    if request.method == "POST" or cells > settings.REPORT_BACKGROUND_CELLS:
        size_text = ngettext(
            "The report covers %(n)d cell: it is built in the background.",
            "The report covers %(n)d cells: it is built in the background.",
            cells,
        ) % {"n": cells}
        return offer(
            request,
            kind=xlsx.REPORT,
            parameters=parameters,
            filename=name,
            total=cells,
            size_text=size_text,
        )
    output = xlsx.build(user=request.user, parameters=parameters, progress=exports.Progress(None))
    return private_file(output, name, xlsx.CONTENT_TYPE)


def _lineage(user, organization: Organization) -> list[Organization]:
    """The organizations above `organization` whose reports the user may read
    (the way back up a drill-down)."""
    above = Organization.objects.get_ancestors(organization)
    return [org for org in above if access.has(user, Capability.READ_REPORTS, org)]
