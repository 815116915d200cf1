"""The inbox: the user's notifications, newest first, with filters; opening
one marks it read and goes to its page; all can be marked read at once."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from chibo import access
from chibo.models import Notification
from chibo.pagination import BoundedPaginator

from . import kind_of, kinds, mark_read, subject_of, text_of

PAGE_SIZE = 25


@login_required
@require_GET
def inbox(request):
    rows = access.visible(request.user, Notification)
    unread = request.GET.get("unread") == "1"
    kind = request.GET.get("kind", "")
    if unread:
        rows = rows.filter(read_at__isnull=True)
    if kind_of(kind):
        rows = rows.filter(kind=kind)
    else:
        kind = ""
    page = BoundedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = [
        {"notification": n, "subject": subject_of(n), "text": text_of(n)} for n in page.object_list
    ]
    return render(
        request,
        "chibo/notifications/inbox.html",
        {"page_obj": page, "shown": shown, "unread": unread, "kind": kind, "kinds": kinds()},
    )


@login_required
@require_POST
def notification_open(request, pk):
    """Mark it read and go where the user acts (a POST: GET writes nothing)."""
    notification = access.get_or_deny(request.user, Notification, pk=pk)
    mark_read(request.user, pks=[notification.pk])
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("inbox")


@login_required
@require_POST
def notifications_read(request):
    mark_read(request.user)
    return redirect("inbox")
