"""The rules, one function per model. Each returns a queryset for (grants, action)."""

from django.db.models import Q

from chibo.models import Organization, RoleKind
from members.models import Member

from . import register, subtree_q
from .roles import EDIT, VIEW, Grants

R = RoleKind


def organization_q(grants: Grants, action: str, prefix: str = "") -> Q:
    """Organizations (reached through `prefix`) the grants cover for `action`."""
    if grants.is_superuser:
        return Q()
    if action == VIEW:
        q = subtree_q(grants.paths_of(R.ADMIN, R.STAFF), prefix)
        node_ids = grants.ids_of(R.SECRETARY, R.DEPUTY, R.CADRE, R.ANSWERER)
        return q | Q(**{f"{prefix}pk__in": node_ids + grants.assigned_cell_ids})
    if action == EDIT:
        return subtree_q(grants.paths_of(R.ADMIN, R.STAFF), prefix)
    return Q(pk__in=[])


def cell_q(grants: Grants, action: str, prefix: str = "cell__") -> Q:
    """Cells whose records (members, meetings) the grants cover for `action`.

    Secretaries keep their cell's records; deputies and cadres read them.
    """
    if grants.is_superuser:
        return Q()
    q = subtree_q(grants.paths_of(R.ADMIN, R.STAFF), prefix)
    if action == VIEW:
        cells = grants.ids_of(R.SECRETARY, R.DEPUTY) + grants.assigned_cell_ids
    else:
        cells = grants.ids_of(R.SECRETARY)
    return q | Q(**{f"{prefix}pk__in": cells})


@register(Organization)
def organizations(grants: Grants, action: str):
    return Organization.objects.filter(organization_q(grants, action))


@register(Member)
def members(grants: Grants, action: str):
    return Member.objects.filter(cell_q(grants, action))


def cells(grants: Grants, action: str):
    return Organization.objects.cells().active().filter(cell_q(grants, action, prefix=""))
