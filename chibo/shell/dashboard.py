"""What each role sees first: one card per role the user holds.

Each card costs a fixed number of queries, whatever the size of the data:
the meeting widgets are one or two queries per card (aggregates in SQL).
"""

from dataclasses import dataclass, field

from django.utils import timezone

from chibo import access, selectors
from chibo.models import Organization, Role, RoleKind

UPCOMING_ON_CARD = 5


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
    upcoming: list = field(default_factory=list)
    progress: object = None
    month: dict | None = None


def dashboard_cards(user) -> list[Card]:
    roles = list(user.chibo_roles.select_related("organization").order_by("kind"))
    counts = _counts_by_organization(selectors.organization_tree(user))
    cards = []
    for role in roles:
        cells, members = counts.get(role.organization_id, (0, 0))
        card = Card(role, role.organization, cells, members)
        if role.kind == RoleKind.CADRE:
            card.assigned_cells = list(
                access.cells(user)
                .filter(
                    assignments__cadre__user=user,
                    assignments__in=_current_assignments(),
                )
                .distinct()
            )
        _add_meeting_widgets(user, card)
        cards.append(card)
    if not roles and user.is_superuser:
        cards.append(Card(None, None, sum(c for c, _ in counts.values() if c), 0))
    return cards


def _add_meeting_widgets(user, card: Card) -> None:
    from meetings.models import Meeting, MeetingState
    from meetings.selectors.cadres import progress_of
    from meetings.selectors.schedule import cell_month, subtree_month

    today = timezone.localdate()
    kind = card.role.kind
    if kind in (RoleKind.SECRETARY, RoleKind.DEPUTY) and card.organization.is_cell:
        widget = cell_month(user, cell=card.organization, today=today)
        card.this_month, card.next_meeting = widget["this_month"], widget["next"]
    elif kind in (RoleKind.STAFF, RoleKind.ADMIN):
        card.month = subtree_month(user, root=card.organization, today=today)
    elif kind == RoleKind.CADRE:
        member_id = access.grants_for(user).member_id
        card.upcoming = list(
            access.visible(user, Meeting)
            .filter(
                cell__in=card.assigned_cells,
                state=MeetingState.PLANNED,
                scheduled_at__gte=timezone.now(),
            )
            .select_related("cell")
            .order_by("scheduled_at")[:UPCOMING_ON_CARD]
        )
        if member_id:
            card.progress = progress_of(user.member, year=today.year, today=today)


def _current_assignments():
    from meetings.models import Assignment

    return Assignment.objects.current(timezone.localdate())


def _counts_by_organization(rows) -> dict[int, tuple[int, int]]:
    counts, stack = {}, list(rows)
    while stack:
        row = stack.pop()
        counts[row.organization.pk] = (row.cells, row.members)
        stack.extend(row.children)
    return counts
