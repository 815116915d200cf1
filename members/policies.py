"""Who sees and keeps party members: registered with chibo.access by
MembersConfig.ready()."""

from chibo import access
from chibo.access import Capability, register, register_capability
from chibo.access.policies import cell_q
from chibo.access.roles import EDIT, Grants

from .models import Member


@register(Member)
def members(grants: Grants, action: str):
    return Member.objects.filter(cell_q(grants, action))


@register_capability(Capability.ADD_MEMBERS)
@register_capability(Capability.IMPORT_MEMBERS)
def keeps_members(user, grants: Grants, organization, on) -> bool:
    """Some active cell whose members the user keeps (and so may add or import)."""
    return access.cells(user, EDIT).exists()
