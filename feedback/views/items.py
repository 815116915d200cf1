"""Feedback lists, an item's page, recording and correcting items, files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo import access
from chibo.pagination import rows_by_ids
from meetings.models import CadreVisit, Meeting
from members.models import Member

from ..filters import FeedbackFilter
from ..forms import ItemForm
from ..models import Attachment, FeedbackItem
from ..selectors import (
    for_list,
    item_page,
    listed_count,
    newest_first,
    similar_items,
    tab_counts,
)
from ..services import WorkflowError, record_item, update_item

PAGE_SIZE = 25


@login_required
def feedback_list(request):
    items = newest_first(for_list(access.visible(request.user, FeedbackItem)), user=request.user)
    item_filter = FeedbackFilter(request.GET, queryset=items, user=request.user)
    # The counts per state ignore the state filter, so they work as tabs.
    others = request.GET.copy()
    others.pop("state", None)
    counts = tab_counts(
        request.user, others, lambda: FeedbackFilter(others, queryset=items, user=request.user).qs
    )
    paginator = Paginator(item_filter.qs, PAGE_SIZE)
    # The tabs already counted the list: no second COUNT over the scope.
    paginator.count = listed_count(counts, item_filter.form.cleaned_data.get("state"))
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = rows_by_ids(item_filter.qs, page.object_list)
    return render(
        request,
        "feedback/item_list.html",
        {"filter": item_filter, "page_obj": page, "counts": counts, "today": timezone.localdate()},
    )


@login_required
def feedback_detail(request, pk):
    item = access.get_or_deny(
        request.user,
        FeedbackItem,
        pk=pk,
        related=[
            "category",
            "cell",
            "meeting",
            "visit__cadre",
            "raiser_member",
            "routed_body",
            "routed_organization",
            "answered_by",
            "main_item",
        ],
    )
    return render(request, "feedback/item_detail.html", item_page(item, request.user))


def _source(request):
    """The meeting (and visit) the new item comes from: ?meeting= or ?visit=."""
    if request.GET.get("visit", "").isdigit():
        visit = access.get_or_deny(
            request.user, CadreVisit, access.EDIT, pk=request.GET["visit"], related=["meeting"]
        )
        return visit.meeting, visit
    if request.GET.get("meeting", "").isdigit():
        return access.get_or_deny(
            request.user, Meeting, access.EDIT, pk=request.GET["meeting"]
        ), None
    raise Http404


def _heard_at(visit: CadreVisit | None, user) -> dict:
    """The text the cadre wrote down at the visit, so it is not typed twice.
    Only the cadre's own visit fills it in: a secretary who may also open the
    visit's meeting starts from an empty form."""
    if visit is None or visit.cadre_id != access.member_id(user):
        return {}
    return {"text": visit.heard.strip()}


def _raisers(user, cell_id: int):
    """The cell's members on the roll whom the user sees: the raiser's choices."""
    return access.visible(user, Member).on_roll().filter(cell_id=cell_id)


@login_required
def feedback_create(request):
    meeting, visit = _source(request)
    form = ItemForm(
        request.POST or None,
        request.FILES or None,
        initial=_heard_at(visit, request.user),
        members=_raisers(request.user, meeting.cell_id),
        similar_url=reverse("feedback_similar"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = record_item(meeting=meeting, visit=visit, by=request.user, **_item_data(form))
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Feedback #%(pk)s recorded.") % {"pk": item.pk})
            return redirect("feedback_detail", pk=item.pk)
    return render(
        request,
        "feedback/item_form.html",
        {"form": form, "meeting": meeting, "visit": visit, "item": None},
    )


@login_required
def feedback_edit(request, pk):
    item = access.get_or_deny(request.user, FeedbackItem, access.EDIT, pk=pk, related=["meeting"])
    initial = {
        "raiser_kind": item.raiser_kind,
        "raiser_member": item.raiser_member_id,
        "raiser_name": item.raiser_name,
        "category": item.category_id,
        "text": item.text,
    }
    form = ItemForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        members=_raisers(request.user, item.cell_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_item(item=item, by=request.user, **_item_data(form))
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Feedback #%(pk)s saved.") % {"pk": item.pk})
            return redirect("feedback_detail", pk=item.pk)
    return render(
        request,
        "feedback/item_form.html",
        {"form": form, "meeting": item.meeting, "visit": None, "item": item},
    )


def _item_data(form) -> dict:
    data = form.cleaned_data
    return {
        "category": data["category"],
        "text": data["text"],
        "raiser_kind": data["raiser_kind"],
        "raiser_member": data.get("raiser_member"),
        "raiser_name": data.get("raiser_name", ""),
        "files": data.get("files") or [],
    }


@login_required
def feedback_similar(request):
    """htmx fragment: open items like the text being typed, among those the user sees."""
    items = similar_items(
        text=request.GET.get("text", ""), queryset=access.visible(request.user, FeedbackItem)
    )
    return render(request, "feedback/_similar.html", {"similar": items})


@login_required
def attachment_download(request, pk):
    attachment = access.get_or_deny(request.user, Attachment, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
