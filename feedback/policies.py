"""Who sees and moves feedback items (see feedback/models.py for who answers):
registered with chibo.access by FeedbackConfig.ready().

Actions beyond VIEW/EDIT, checked with `access.can(user, action, item)`:
- FORWARD: route, re-route, set the due date, link items: the cadre assigned
  to the cell (or who recorded the item at their visit), office staff and
  administrators of a subtree containing the cell;
- ANSWER: take up, return for clarification, answer: the users who answer
  for the routed organization or body, administrators above it;
- READBACK: read an answer back to the cell: the cell's secretary or deputy,
  administrators above.
VIEW adds, for answerers, the items routed to them and those linked under
them, and the overdue items of the bodies below them (escalation).
"""

from django.db.models import Q
from django.utils import timezone

from chibo.access import any_of, register, subtree_q
from chibo.access.roles import EDIT, VIEW, Grants
from chibo.models import RoleKind as R

from .models import AWAITING_ANSWER, AnsweringBody, Attachment, FeedbackEvent, FeedbackItem
from .workflow import ANSWER, FORWARD, READBACK

__all__ = ["FORWARD", "ANSWER", "READBACK", "item_q"]

NOTHING = Q(pk__in=[])


def _answerer_q(grants: Grants, prefix: str = "") -> Q:
    """Items routed to a body or an organization this user answers for."""
    bodies = AnsweringBody.objects.filter(answerers__id=grants.user_id).values("pk")
    return Q(**{f"{prefix}routed_body__in": bodies}) | Q(
        **{
            f"{prefix}routed_body__isnull": True,
            f"{prefix}routed_organization_id__in": grants.ids_of(R.ANSWERER),
        }
    )


def _escalated_q(grants: Grants) -> Q:
    """Overdue items owed at or below an organization where the user answers."""
    paths = grants.paths_of(R.ANSWERER)
    if not paths:
        return NOTHING
    return subtree_q(paths, "answer_organization__") & Q(
        state__in=AWAITING_ANSWER, due_on__lt=timezone.localdate()
    )


def item_q(grants: Grants, action: str) -> Q:
    if grants.is_superuser:
        return Q()
    own_cells = grants.ids_of(R.SECRETARY, R.DEPUTY)
    cadre_cells = grants.assigned_cell_ids
    own_visits = Q(visit__cadre_id=grants.member_id) if grants.member_id else NOTHING
    admins = grants.paths_of(R.ADMIN)
    offices = grants.paths_of(R.ADMIN, R.STAFF)
    if action == VIEW:
        # One arm per way of seeing an item (see chibo.access.any_of): the
        # list starts from the scope, not from every item of the table.
        return any_of(
            FeedbackItem,
            subtree_q(offices, "cell__"),
            Q(cell_id__in=own_cells + cadre_cells),
            own_visits,
            _answerer_q(grants),
            Q(main_item__in=FeedbackItem.objects.filter(_answerer_q(grants)).values("pk")),
            _escalated_q(grants),
        )
    if action == EDIT:
        return any_of(
            FeedbackItem,
            subtree_q(admins, "cell__"),
            Q(cell_id__in=own_cells + cadre_cells),
            own_visits,
        )
    if action == FORWARD:
        return any_of(
            FeedbackItem, subtree_q(offices, "cell__"), Q(cell_id__in=cadre_cells), own_visits
        )
    if action == ANSWER:
        return any_of(FeedbackItem, _answerer_q(grants), subtree_q(admins, "answer_organization__"))
    if action == READBACK:
        return any_of(FeedbackItem, subtree_q(admins, "cell__"), Q(cell_id__in=own_cells))
    return NOTHING


@register(FeedbackItem)
def feedback_items(grants: Grants, action: str):
    return FeedbackItem.objects.filter(item_q(grants, action))


@register(FeedbackEvent)
def feedback_events(grants: Grants, action: str):
    # The timeline is written by the services only.
    if action != VIEW:
        return FeedbackEvent.objects.none()
    return FeedbackEvent.objects.filter(item__in=feedback_items(grants, VIEW).values("pk"))


@register(Attachment)
def attachments(grants: Grants, action: str):
    """Files follow their item: whoever sees the item may download them;
    whoever may edit it may add or remove them."""
    return Attachment.objects.filter(item__in=feedback_items(grants, action).values("pk"))


@register(AnsweringBody)
def answering_bodies(grants: Grants, action: str):
    """Bodies are public knowledge to anyone with a role; offices keep the list."""
    if grants.is_superuser:
        return AnsweringBody.objects.all()
    if action == VIEW:
        if not grants.is_anything:
            return AnsweringBody.objects.filter(answerers__id=grants.user_id)
        return AnsweringBody.objects.all()
    if action == EDIT:
        return AnsweringBody.objects.filter(
            subtree_q(grants.paths_of(R.ADMIN, R.STAFF), "organization__")
        )
    return AnsweringBody.objects.none()
