"""The member roll and the organizations, built in the background when large
(chibo.exports): the same scope, rows and workbook as the immediate export."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.access import get_or_deny, visible
from chibo.exports import Builder, register
from chibo.models import Organization

from .models import Member
from .xlsx import exporter

MEMBERS = "members"
ORGANIZATIONS = "organizations"


def members_in_scope(user, *, cell_id: int | None):
    """The members on the roll `user` sees, of one cell if given (404 when the
    cell is out of sight): the request and the worker both ask this."""
    members = visible(user, Member).on_roll()
    if cell_id is not None:
        members = members.filter(cell=get_or_deny(user, Organization, pk=cell_id))
    return members


def organizations_in_scope(user):
    return visible(user, Organization)


def member_filename() -> str:
    return f"dang-vien-{timezone.localdate():%Y%m%d}.xlsx"


def organization_filename() -> str:
    return f"to-chuc-{timezone.localdate():%Y%m%d}.xlsx"


def build_members(*, user, parameters: dict, progress):
    members = members_in_scope(user, cell_id=parameters.get("cell"))
    progress.start(members.count())
    return exporter.export_members(members, progress=progress)


def build_organizations(*, user, parameters: dict, progress):
    organizations = organizations_in_scope(user)
    progress.start(organizations.count())
    return exporter.export_organizations(organizations, progress=progress)


# Both are spreadsheets of the roll's XLSX writer.
for kind, title, build in (
    (MEMBERS, _("Party members"), build_members),
    (ORGANIZATIONS, _("Organizations"), build_organizations),
):
    register(
        Builder(
            kind=kind, title=title, build=build, content_type=exporter.CONTENT_TYPE, suffix=".xlsx"
        )
    )
