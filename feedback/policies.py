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

from django.db.models import Q, Value
from django.utils import timezone

from chibo.access import register, subtree_q
from chibo.access.roles import EDIT, VIEW, Grants
from chibo.models import Organization
from chibo.models import RoleKind as R
from meetings.models import CadreVisit

from .models import AWAITING_ANSWER, AnsweringBody, Attachment, FeedbackEvent, FeedbackItem
from .workflow import ANSWER, FORWARD, READBACK

__all__ = ["FORWARD", "ANSWER", "READBACK", "item_q"]

NOTHING = Q(pk__in=[])


# Every condition below tests a column of the item itself against a list
# computed once (literal ids read with the grants, or chibo.access.InArray
# over a subquery), never a join or a correlated subquery: OR-ed together
# they stay indexable, so the list's cost follows the scope (see
# docs/deployment.md for the plans).


def _in_subtrees(paths: list[str], column: str, *, alone: bool = False) -> Q:
    """Items whose `column` (an organization) lies in any of these subtrees.

    `alone`: no other arm is OR-ed with this one. A plain IN (a semi-join)
    is then estimated from the subtree's own size, where an array from a
    subquery is estimated blind (58 items for a province's 57,000): the
    province's list then sorted every item instead of walking the newest
    first (570 ms against 13)."""
    if not paths:
        return NOTHING
    organizations = Organization.objects.filter(subtree_q(paths)).order_by().values("pk")
    return Q(**{f"{column}__{'in' if alone else 'in_array'}": organizations})


def _only_offices(grants: Grants, *cell_lists: list[int]) -> bool:
    """Whether the user's office subtrees are all they see: no cell, visit,
    body or answering organization of their own adds an arm."""
    ids = _own_ids(grants)
    return not (any(cell_lists) or ids[_BODY] or ids[_VISIT] or grants.ids_of(R.ANSWERER))


_BODY, _VISIT = 0, 1


def _own_ids(grants: Grants) -> dict[int, list[int]]:
    """The bodies the user answers for and the visits they recorded, read in
    one query, once per request. As literal lists an empty arm drops out of
    the OR and PostgreSQL estimates the others right; an array built from a
    subquery is estimated blind, which sent a secretary's one-cell list
    through a scan of every item in the province."""

    def compute():
        bodies = (
            AnsweringBody.answerers.through.objects.filter(user_id=grants.user_id)
            .annotate(kind=Value(_BODY))
            .values_list("kind", "answeringbody_id")
            .order_by()
        )
        if grants.member_id:
            visits = (
                CadreVisit.objects.filter(cadre_id=grants.member_id)
                .annotate(kind=Value(_VISIT))
                .values_list("kind", "pk")
                .order_by()
            )
            bodies = bodies.union(visits, all=True)
        found = {_BODY: [], _VISIT: []}
        for kind, pk in bodies:
            found[kind].append(pk)
        return found

    return grants.once("feedback-own-ids", compute)


def _answerer_q(grants: Grants) -> Q:
    """Items routed to a body or an organization this user answers for."""
    return Q(routed_body_id__in=_own_ids(grants)[_BODY]) | Q(
        routed_body__isnull=True, routed_organization_id__in=grants.ids_of(R.ANSWERER)
    )


def _linked_under_answerer_q(grants: Grants) -> Q:
    """Items linked under one the user answers for (answered with it)."""
    if not (_own_ids(grants)[_BODY] or grants.ids_of(R.ANSWERER)):
        return NOTHING
    mains = FeedbackItem.objects.filter(_answerer_q(grants)).order_by().values("pk")
    return Q(main_item_id__in_array=mains)


def _own_visits_q(grants: Grants) -> Q:
    return Q(visit_id__in=_own_ids(grants)[_VISIT])


def _escalated_q(grants: Grants) -> Q:
    """Overdue items owed at or below an organization where the user answers."""
    paths = grants.paths_of(R.ANSWERER)
    if not paths:
        return NOTHING
    return _in_subtrees(paths, "answer_organization_id") & Q(
        state__in=AWAITING_ANSWER, due_on__lt=timezone.localdate()
    )


def item_q(grants: Grants, action: str) -> Q:
    if grants.is_superuser:
        return Q()
    own_cells = grants.ids_of(R.SECRETARY, R.DEPUTY)
    cadre_cells = grants.assigned_cell_ids
    own_visits = _own_visits_q(grants)
    admins = grants.paths_of(R.ADMIN)
    offices = grants.paths_of(R.ADMIN, R.STAFF)
    if action == VIEW:
        alone = _only_offices(grants, own_cells, cadre_cells)
        return (
            _in_subtrees(offices, "cell_id", alone=alone)
            | Q(cell_id__in=own_cells + cadre_cells)
            | own_visits
            | _answerer_q(grants)
            | _linked_under_answerer_q(grants)
            | _escalated_q(grants)
        )
    if action == EDIT:
        return _in_subtrees(admins, "cell_id") | Q(cell_id__in=own_cells + cadre_cells) | own_visits
    if action == FORWARD:
        return _in_subtrees(offices, "cell_id") | Q(cell_id__in=cadre_cells) | own_visits
    if action == ANSWER:
        return _answerer_q(grants) | _in_subtrees(admins, "answer_organization_id")
    if action == READBACK:
        return _in_subtrees(admins, "cell_id") | Q(cell_id__in=own_cells)
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
