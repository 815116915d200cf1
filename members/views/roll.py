"""The member roll: list, record, create and edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chibo import access
from chibo.access import Capability
from chibo.pagination import BoundedPaginator

from ..filters import MemberFilter
from ..forms import MemberForm
from ..models import Member
from ..selectors import member_history, member_record
from ..services import MemberError, save_member

PAGE_SIZE = 25


@login_required
def member_list(request):
    members = access.visible(request.user, Member).select_related("cell")
    members_filter = MemberFilter(request.GET, queryset=members, user=request.user)
    paginator = BoundedPaginator(members_filter.qs, PAGE_SIZE, ids_first=True)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "members/member_list.html",
        {
            "filter": members_filter,
            "page_obj": page,
            "may_add": access.has(request.user, Capability.ADD_MEMBERS),
        },
    )


@login_required
def member_detail(request, pk):
    member = access.get_or_deny(request.user, Member, pk=pk, related=["cell"])
    return render(
        request,
        "members/member_detail.html",
        {
            **member_record(member),
            "history": member_history(member),
            "may_edit": access.can(request.user, access.EDIT, member),
        },
    )


@login_required
def member_create(request):
    access.require(request.user, Capability.ADD_MEMBERS)
    return _edit(request, Member(), created=True)


@login_required
def member_edit(request, pk):
    return _edit(
        request, access.get_or_deny(request.user, Member, access.EDIT, pk=pk), created=False
    )


def _edit(request, member, *, created):
    form = MemberForm(request.POST or None, instance=member, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            member = save_member(member=form.save(commit=False), by=request.user)
        except MemberError as error:
            form.add_error("cell", str(error))
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": member.full_name})
            return redirect("member_detail", pk=member.pk)
    return render(
        request, "members/member_form.html", {"form": form, "created": created, "member": member}
    )
