"""Who sees and writes meetings, minutes, cadre visits and assignments, and
who plans, assigns, reports and records visits: registered with chibo.access
by MeetingsConfig.ready()."""

from django.db.models import Q
from django.utils import timezone

from chibo import access
from chibo.access import Capability, register, register_capability
from chibo.access.policies import admin_subtrees_q, cell_q, is_cadre, organization_q, own_cell_ids
from chibo.access.roles import EDIT, VIEW, Grants, register_assigned_cells
from chibo.models import Organization

from .models import Assignment, CadreVisit, Meeting, Minutes


def meeting_cell_q(grants: Grants, action: str, prefix: str = "cell__") -> Q:
    """Cells whose meetings and minutes the grants cover for `action`.

    Everyone who sees a cell sees its meetings; only the cell's secretary and
    deputy (and administrators above) write them: office staff read.
    """
    if action == VIEW:
        return cell_q(grants, VIEW, prefix)
    if grants.is_superuser:
        return Q()
    return admin_subtrees_q(grants, prefix) | Q(**{f"{prefix}pk__in": own_cell_ids(grants)})


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


@access.register_cells(Meeting)
def meeting_cells(grants: Grants, action: str) -> Q:
    return meeting_cell_q(grants, action, prefix="")


def _assigned_today(member_id: int) -> list[int]:
    return list(
        Assignment.objects.current(timezone.localdate())
        .filter(cadre_id=member_id)
        .values_list("cell_id", flat=True)
    )


register_assigned_cells(_assigned_today)


@register_capability(Capability.PLAN_MEETINGS)
def plan_meetings(user, grants: Grants, organization, on) -> bool:
    cells = access.cells(user, EDIT, of=Meeting)
    if organization is not None:
        cells = cells.filter(pk=organization.pk)
    return cells.exists()


@register_capability(Capability.ASSIGN_CADRES)
def assign_cadres(user, grants: Grants, organization, on) -> bool:
    """Office staff and administrators of a subtree with active cells."""
    return access.visible(user, Organization, EDIT).cells().active().exists()


@register_capability(Capability.READ_REPORTS)
def read_reports(user, grants: Grants, organization, on) -> bool:
    """Office staff and administrators watch a subtree's reports."""
    return access.visible(user, Organization, EDIT).exclude(kind="cell").exists()


@register_capability(Capability.RECORD_VISITS)
def record_visits(user, grants: Grants, organization, on) -> bool:
    """A cadre's own visits; at a cell, only while assigned there on `on`."""
    if not is_cadre(grants):
        return False
    if organization is None:
        return True
    day = on or timezone.localdate()
    return (
        Assignment.objects.current(day)
        .filter(cadre_id=grants.member_id, cell_id=organization.pk)
        .exists()
    )
