"""The organization tree, an organization's page, its details and reorganizations."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chibo import access, tree
from chibo.models import Organization

from . import pages
from .forms import OrganizationForm, ReorganizeForm


@login_required
def organization_tree(request):
    """The user's roots, or with `?open=<id>` one organization unfolded (the
    page without JavaScript; with it, rows unfold in place)."""
    on = _parse_date(request.GET.get("on"))
    context = {
        "on": on,
        "today": timezone.localdate(),
        "may_import": access.visible(request.user, Organization, access.EDIT).exists(),
    }
    page = request.GET.get("page")
    if on:
        context.update(pages.historic_page(request.user, on, request.GET.get("open"), page))
    elif request.GET.get("open", "").isdigit():
        opened = access.get_or_deny(request.user, Organization, pk=request.GET["open"])
        context["opened"] = pages.counted_rows(request.user, [opened])[0]
        context["ancestors"] = pages.ancestors(request.user, opened)
        context["page"], context["rows"] = pages.child_rows(request.user, opened, page=page)
    else:
        context["page"], context["rows"] = pages.root_rows(request.user, page=page)
    return render(request, "chibo/orgs/organization_tree.html", context)


@login_required
@require_GET
def organization_children(request, pk):
    """htmx fragment: the rows an organization unfolds into, a page of them."""
    organization = access.get_or_deny(request.user, Organization, pk=pk)
    page = request.GET.get("page")
    if not request.headers.get("HX-Request"):
        query = f"?open={pk}" + (f"&page={page}" if page and page.isdigit() else "")
        return redirect(reverse("organization_tree") + query)
    page, rows = pages.child_rows(request.user, organization, page=page)
    return render(
        request,
        "chibo/orgs/_tree_rows.html",
        {"rows": rows, "page": page, "parent": organization},
    )


@login_required
def organization_detail(request, pk):
    organization = access.get_or_deny(request.user, Organization, pk=pk)
    return render(
        request,
        "chibo/orgs/organization_detail.html",
        {
            **pages.organization_page(request.user, organization, page=request.GET.get("page")),
            "may_edit": access.can(request.user, access.EDIT, organization),
        },
    )


@login_required
def organization_edit(request, pk):
    organization = access.get_or_deny(request.user, Organization, access.EDIT, pk=pk)
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        tree.update_organization_details(
            organization=organization, by=request.user, **form.cleaned_data
        )
        messages.success(request, _("Saved."))
        return redirect("organization_detail", pk=pk)
    return render(
        request, "chibo/orgs/organization_form.html", {"form": form, "organization": organization}
    )


@login_required
def organization_reorganize(request, pk):
    organization = access.get_or_deny(request.user, Organization, access.EDIT, pk=pk)
    form = ReorganizeForm(request.POST or None, user=request.user, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            _apply(form.cleaned_data, organization, request.user)
        except tree.TreeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The change was recorded."))
            return redirect("organization_detail", pk=pk)
    return render(
        request,
        "chibo/orgs/organization_reorganize.html",
        {"form": form, "organization": organization},
    )


def _apply(data: dict, organization: Organization, user) -> None:
    common = {
        "organization": organization,
        "on": data["date"],
        "by": user,
        "decision": data["decision"],
    }
    if data["action"] == ReorganizeForm.RENAME:
        tree.rename_organization(name=data["new_name"].strip(), **common)
    elif data["action"] == ReorganizeForm.MOVE:
        tree.move_organization(new_parent=data["new_parent"], **common)
    else:
        tree.dissolve_organization(**common)


def _parse_date(text: str | None) -> datetime.date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text or "", pattern).date()
        except ValueError:
            continue
    return None
