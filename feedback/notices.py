"""What the feedback workflow tells people (chibo.notifications), written by
the services in the transaction of each move:

- forwarded: the users who answer for the body or committee it went to;
- returned for clarification: whoever forwarded it;
- answered: the cell's secretary and deputy, and whoever forwarded it;
- reopened (the cell was not satisfied): the answerers again.

The actor is never told of their own move.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from chibo import notifications
from chibo.models import Role
from chibo.models import RoleKind as R

from .models import AnsweringBody, FeedbackEvent, FeedbackItem

FORWARDED = "feedback_forwarded"
RETURNED = "feedback_returned"
ANSWERED = "feedback_answered"
REOPENED = "feedback_reopened"


def _excerpt(text: str, length: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _kind(name: str, label, subject: str, text: str) -> None:
    """A kind whose subject and text are gettext messages over the item's params."""
    notifications.register(
        notifications.Kind(
            name=name, label=label, subject=lambda p: _(subject) % p, text=lambda p: _(text) % p
        )
    )


# The messages are marked here (gettext_noop) and translated when drawn.
_kind(
    FORWARDED,
    gettext_lazy("Feedback to answer"),
    gettext_noop("Feedback #%(pk)s to answer by %(due)s"),
    gettext_noop("%(cell)s sent to %(target)s: “%(text)s”"),
)
_kind(
    RETURNED,
    gettext_lazy("Feedback returned for clarification"),
    gettext_noop("Feedback #%(pk)s: %(target)s asks what is meant"),
    gettext_noop("“%(text)s” (%(cell)s) came back for clarification."),
)
_kind(
    REOPENED,
    gettext_lazy("Feedback reopened"),
    gettext_noop("Feedback #%(pk)s reopened: answer by %(due)s"),
    gettext_noop("%(cell)s was not satisfied with the answer to “%(text)s”."),
)
_kind(
    ANSWERED,
    gettext_lazy("Feedback answered"),
    gettext_noop("Feedback #%(pk)s is answered"),
    gettext_noop("%(target)s answered “%(text)s”: read it back at the cell's next meeting."),
)


def _params(item: FeedbackItem) -> dict:
    target = item.routed_body or item.routed_organization
    return {
        "pk": item.pk,
        "cell": item.cell.name,
        "target": str(target) if target else "",
        "text": _excerpt(item.text),
        "due": item.due_on.strftime("%d/%m/%Y") if item.due_on else "",
    }


def _link(item: FeedbackItem) -> str:
    return reverse("feedback_detail", args=[item.pk])


def _answerers(item: FeedbackItem) -> set[int]:
    if item.routed_body_id:
        through = AnsweringBody.answerers.through.objects
        return set(
            through.filter(answeringbody_id=item.routed_body_id).values_list("user_id", flat=True)
        )
    return set(
        Role.objects.filter(kind=R.ANSWERER, organization_id=item.routed_organization_id)
        .values_list("user_id", flat=True)
        .order_by()
    )


def _forwarder(item: FeedbackItem) -> set[int]:
    by = (
        FeedbackEvent.objects.filter(item=item, action="forward")
        .order_by("-at", "-pk")
        .values_list("by_id", flat=True)
        .first()
    )
    return {by} - {None}


def _tell(kind: str, item: FeedbackItem, people: set[int], *, by, at) -> int:
    return notifications.notify(
        kind,
        people - {getattr(by, "pk", None)},
        event=f"{item.pk}:{at.isoformat()}",
        params=_params(item),
        link=_link(item),
    )


def forwarded(item: FeedbackItem, *, by) -> int:
    """After forward_item: the answerers of where it went."""
    return _tell(FORWARDED, item, _answerers(item), by=by, at=item.forwarded_at)


def returned(item: FeedbackItem, *, by, at) -> int:
    """After return_item: whoever forwarded it, to clarify and send it again."""
    return _tell(RETURNED, item, _forwarder(item), by=by, at=at)


def reopened(item: FeedbackItem, *, by, at) -> int:
    """After a read-back that was not satisfied: the answerers again."""
    return _tell(REOPENED, item, _answerers(item), by=by, at=at)


def answered(item: FeedbackItem, *, by) -> int:
    """After answer_item: the cell's secretary and deputy, and the forwarder."""
    people = set(
        Role.objects.filter(kind__in=[R.SECRETARY, R.DEPUTY], organization_id=item.cell_id)
        .values_list("user_id", flat=True)
        .order_by()
    )
    return _tell(ANSWERED, item, people | _forwarder(item), by=by, at=item.answered_at)
