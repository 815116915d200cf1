"""XLSX import and export of the member roll and of organizations."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from chibo import access
from chibo.access import Capability
from chibo.exports.views import offer, private_file

from .. import exports
from ..forms_xlsx import ImportForm
from ..xlsx import exporter
from ..xlsx.importer import import_members
from ..xlsx.organizations import import_organizations
from ..xlsx.reader import ImportFileError

# A file of 9,200 bad rows would make a page nobody reads; the count is still shown.
# The same cap applies to the warnings.
MAX_ERRORS_SHOWN = 500


@dataclass(frozen=True)
class Spreadsheet:
    title: str
    importer: object
    template_url: str
    export_url: str
    success_url: str


MEMBERS = Spreadsheet(
    gettext_lazy("Import party members"),
    import_members,
    "member_import_template",
    "member_export",
    "member_list",
)
ORGANIZATIONS = Spreadsheet(
    gettext_lazy("Import organizations"),
    import_organizations,
    "organization_import_template",
    "organization_export",
    "organization_tree",
)


def _xlsx_response(output, name: str) -> FileResponse:
    return private_file(output, name, exporter.CONTENT_TYPE)


def _import(request, sheet: Spreadsheet):
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    result = None
    if form.is_bound and form.is_valid():
        try:
            result = sheet.importer(file=form.cleaned_data["file"], user=request.user)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            if not result.errors:
                messages.success(request, _imported_message(result))
                if not result.warnings:
                    return redirect(sheet.success_url)
                # The warnings are the page: a redirect would lose them.
                form = ImportForm()
    errors = result.errors if result else []
    warnings = result.warnings if result else []
    return render(
        request,
        "members/xlsx_import.html",
        {
            "sheet": sheet,
            "form": form,
            "imported": result is not None and not errors,
            "errors": errors[:MAX_ERRORS_SHOWN],
            "error_count": len(errors),
            "warnings": warnings[:MAX_ERRORS_SHOWN],
            "warning_count": len(warnings),
        },
    )


def _imported_message(result) -> str:
    counts = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
    text = (
        _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
        if result.unchanged
        else _("%(created)d created, %(updated)d updated.")
    )
    return text % counts


@login_required
@require_http_methods(["GET", "POST"])
def member_import(request):
    access.require(request.user, Capability.IMPORT_MEMBERS)
    return _import(request, MEMBERS)


@login_required
@require_http_methods(["GET", "POST"])
def organization_import(request):
    access.require(request.user, Capability.IMPORT_ORGANIZATIONS)
    return _import(request, ORGANIZATIONS)


@login_required
@require_http_methods(["GET", "POST"])
def member_export(request):
    """The file at once for a small scope; a large one (or a POST) is built
    in the background (chibo.exports)."""
    cell = request.GET.get("cell", "")
    if cell and not cell.isdigit():
        raise Http404
    cell_id = int(cell) if cell else None
    members = exports.members_in_scope(request.user, cell_id=cell_id)
    name = exports.member_filename()
    total = None if request.method == "POST" else members.count()
    if total is None or total > settings.EXPORT_BACKGROUND_ROWS:
        return offer(
            request,
            kind=exports.MEMBERS,
            parameters={"cell": cell_id},
            filename=name,
            total=total,
        )
    return _xlsx_response(exporter.export_members(members), name)


@login_required
@require_http_methods(["GET", "POST"])
def organization_export(request):
    organizations = exports.organizations_in_scope(request.user)
    name = exports.organization_filename()
    total = None if request.method == "POST" else organizations.count()
    if total is None or total > settings.EXPORT_BACKGROUND_ROWS:
        return offer(request, kind=exports.ORGANIZATIONS, parameters={}, filename=name, total=total)
    return _xlsx_response(exporter.export_organizations(organizations), name)


@login_required
@require_GET
def member_import_template(request):
    return _xlsx_response(exporter.member_template(), "mau-nhap-dang-vien.xlsx")


@login_required
@require_GET
def organization_import_template(request):
    return _xlsx_response(exporter.organization_template(), "mau-nhap-to-chuc.xlsx")
