"""Writes to the member roll."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from chibo.models import Organization
from chibo.selectors import tree_changed
from chibo.tree import TreeError, dissolve_organization

from .models import Member, Transfer


class MemberError(ValueError):
    """A change to the roll that the rules do not allow."""


@transaction.atomic
def transfer_member(
    *, member: Member, to_cell: Organization, on: datetime.date, by=None, reason: str = ""
) -> Member:
    """Move a member's home cell, keeping the transfer in their history."""
    if not to_cell.is_cell:
        raise MemberError(_("Members can only belong to a party cell."))
    if not to_cell.is_active_on(on):
        raise MemberError(_("%(cell)s is not active on that date.") % {"cell": to_cell})
    if member.cell_id == to_cell.pk:
        raise MemberError(_("The member already belongs to %(cell)s.") % {"cell": to_cell})
    Transfer.objects.create(
        member=member,
        from_cell_id=member.cell_id,
        to_cell=to_cell,
        date=on,
        reason=reason,
        recorded_by=by,
    )
    member.cell = to_cell
    member.save()
    tree_changed()
    return member


@transaction.atomic
def dissolve_cell(
    *,
    cell: Organization,
    destinations: dict[int, Organization],
    on: datetime.date,
    by=None,
    decision: str = "",
) -> Organization:
    """Dissolve a cell, moving each of its members to a destination cell.

    destinations maps member id to cell; every member on the roll needs one
    (the Na Hang case: commune-agency cells dissolved into village cells).
    """
    if not cell.is_cell:
        raise TreeError(_("Only a party cell can be dissolved into other cells."))
    members = list(Member.objects.on_roll().filter(cell=cell))
    missing = [m.full_name for m in members if m.pk not in destinations]
    if missing:
        raise MemberError(_("Choose a new cell for: %(names)s.") % {"names": ", ".join(missing)})
    reason = decision or _("Cell dissolved")
    for member in members:
        transfer_member(member=member, to_cell=destinations[member.pk], on=on, by=by, reason=reason)
    return dissolve_organization(organization=cell, on=on, by=by, decision=decision)


@transaction.atomic
def save_member(*, member: Member, by=None, on: datetime.date | None = None) -> Member:
    """Save a new or edited member; a changed home cell becomes a Transfer."""
    from django.utils import timezone

    previous_cell_id = (
        Member.objects.filter(pk=member.pk).values_list("cell_id", flat=True).first()
        if member.pk
        else None
    )
    if previous_cell_id is None or previous_cell_id == member.cell_id:
        member.save()
        tree_changed()  # a new member, or one who left the roll, changes the counts
        return member
    new_cell = member.cell
    member.cell_id = previous_cell_id
    member.save()
    return transfer_member(
        member=member,
        to_cell=new_cell,
        on=on or timezone.localdate(),
        by=by,
        reason=_("Changed on the member's record"),
    )
