"""What each role sees first: one card per role the user holds."""

from dataclasses import dataclass, field

from django.utils import timezone

from chibo import access, selectors
from chibo.models import Organization, Role, RoleKind


@dataclass
class Card:
    role: Role | None
    organization: Organization | None
    cells: int = 0
    members: int = 0
    assigned_cells: list = field(default_factory=list)


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
        cards.append(card)
    if not roles and user.is_superuser:
        cards.append(Card(None, None, sum(c for c, _ in counts.values() if c), 0))
    return cards


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
