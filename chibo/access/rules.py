"""The rules, one function per model. Each returns a queryset for (grants, action)."""

from django.db.models import Q

from chibo.models import Organization, RoleKind
from meetings.models import Assignment, CadreVisit, Meeting, Minutes
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


def meeting_cell_q(grants: Grants, action: str, prefix: str = "cell__") -> Q:
    """Cells whose meetings and minutes the grants cover for `action`.

    Everyone who sees a cell sees its meetings; only the cell's secretary and
    deputy (and administrators above) write them: office staff read.
    """
    if action == VIEW:
        return cell_q(grants, VIEW, prefix)
    if grants.is_superuser:
        return Q()
    own_cells = grants.ids_of(R.SECRETARY, R.DEPUTY)
    return subtree_q(grants.paths_of(R.ADMIN), prefix) | Q(**{f"{prefix}pk__in": own_cells})


@register(Meeting)
def meetings(grants: Grants, action: str):
    return Meeting.objects.filter(meeting_cell_q(grants, action))


@register(Minutes)
def minutes(grants: Grants, action: str):
    return Minutes.objects.filter(meeting_cell_q(grants, action, prefix="meeting__cell__"))


@register(CadreVisit)
def cadre_visits(grants: Grants, action: str):
    """Cadres edit their own visits; the cell's secretary records attendance."""
    q = meeting_cell_q(grants, action, prefix="meeting__cell__")
    if grants.member_id:
        q |= Q(cadre_id=grants.member_id)
    return CadreVisit.objects.filter(q)


@register(Assignment)
def assignments(grants: Grants, action: str):
    """Office staff assign cadres in their subtree; cadres see their own."""
    q = organization_q(grants, EDIT, prefix="cell__")
    if action == VIEW:
        q |= cell_q(grants, VIEW) | Q(cadre_id=grants.member_id or 0)
    return Assignment.objects.filter(q)
