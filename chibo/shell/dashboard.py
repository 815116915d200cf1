"""What each role sees first: one card per role the user holds, and one per
answering body the user answers for (a body is data, not a role).

Each card costs a fixed number of queries, whatever the size of the data:
the meeting widgets are a few queries per card (aggregates in SQL).
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from chibo import access
from chibo.access import Capability
from chibo.models import Organization, Role, RoleKind
from chibo.orgs.pages import counted_rows
from meetings import calendar

UPCOMING_ON_CARD = 5
# The cards whose figures follow the month picker.
MONTHLY_CARDS = {RoleKind.SECRETARY, RoleKind.DEPUTY, RoleKind.STAFF, RoleKind.ADMIN}


@dataclass
class Card:
    role: Role | None
    organization: Organization | None
    cells: int = 0
    members: int = 0
    assigned_cells: list = field(default_factory=list)
    # Meeting widgets, filled per role (see _add_meeting_widgets).
    this_month: object = None
    next_meeting: object = None
    unfinished: list = field(default_factory=list)
    upcoming: list = field(default_factory=list)
    progress: object = None
    month: dict | None = None
    body: object = None  # an answering body the user answers for

    @property
    def kind(self) -> str:
        """The template's switch: the role's kind, "body" or "superuser"."""
        if self.role is not None:
            return self.role.kind
        return "body" if self.body is not None else "superuser"


def pick_month(text: str | None, *, today: datetime.date) -> datetime.date:
    """The dashboard's month from `?month=YYYY-MM`; this month when absent or bad."""
    try:
        return calendar.parse_month(text or "")
    except ValueError:
        return calendar.first_of_month(today)


def dashboard_cards(
    user, *, month: datetime.date | None = None, now: datetime.datetime | None = None
) -> list[Card]:
    now = now or timezone.now()
    month = month or calendar.first_of_month(timezone.localdate(now))
    roles = list(user.chibo_roles.select_related("organization").order_by("kind"))
    # Counted in SQL over each role's subtree (cached for staff and admins).
    rows = counted_rows(user, {role.organization for role in roles})
    counts = {row.organization.pk: row for row in rows}
    cards = []
    for role in roles:
        row = counts[role.organization_id]
        card = Card(role, role.organization, row.cells, row.members)
        if role.kind == RoleKind.CADRE:
            card.assigned_cells = list(
                access.cells(user)
                .filter(
                    assignments__cadre__user=user,
                    assignments__in=_current_assignments(timezone.localdate(now)),
                )
                .distinct()
            )
        _add_meeting_widgets(user, card, month=month, now=now)
        cards.append(card)
    for body in user.answering_bodies.filter(is_active=True).select_related("organization"):
        cards.append(Card(None, body.organization, body=body))
    if not roles and user.is_superuser:
        cards.append(Card(None, None))
    return cards


def _add_meeting_widgets(user, card: Card, *, month: datetime.date, now) -> None:
    from meetings.models import Meeting, MeetingState
    from meetings.selectors.cadres import progress_of
    from meetings.selectors.schedule import cell_month, subtree_month

    today = timezone.localdate(now)
    kind = card.role.kind
    if kind in (RoleKind.SECRETARY, RoleKind.DEPUTY) and card.organization.is_cell:
        widget = cell_month(user, cell=card.organization, month=month, now=now)
        card.this_month, card.next_meeting = widget["this_month"], widget["next"]
        card.unfinished = widget["unfinished"]
    elif kind in (RoleKind.STAFF, RoleKind.ADMIN):
        card.month = subtree_month(user, root=card.organization, month=month, now=now)
    elif kind == RoleKind.CADRE:
        card.upcoming = list(
            access.visible(user, Meeting)
            .filter(
                cell__in=card.assigned_cells,
                state=MeetingState.PLANNED,
                scheduled_at__gte=now,
            )
            .select_related("cell")
            .order_by("scheduled_at")[:UPCOMING_ON_CARD]
        )
        if access.has(user, Capability.RECORD_VISITS):
            card.progress = progress_of(user.member, year=today.year, today=today)


def _current_assignments(today: datetime.date):
    from meetings.models import Assignment

    return Assignment.objects.current(today)
