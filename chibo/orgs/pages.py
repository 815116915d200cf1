"""What the tree's pages show: the tree (chibo.selectors) composed with the
apps' data about each cell, its members and its cadres. This is the top
layer: the base's tree reads import no app."""

import datetime

from django.db.models import F

from chibo import access, selectors
from chibo.models import Organization
from chibo.selectors import STEP, TreeRow
from members.models import Member
from members.selectors import on_roll_per_cell


def tree_with_members(user, *, on: datetime.date | None = None) -> list[TreeRow]:
    """The user's tree, each row counting the members on the roll below it."""
    return selectors.organization_tree(user, on=on, count_members=on_roll_per_cell)


def organization_page(user, organization: Organization) -> dict:
    """What an organization's page shows: children or members, and history."""
    today = datetime.date.today()
    context = {
        "organization": organization,
        "ancestors": access.visible(user, Organization).filter(
            path__in=[organization.path[:end] for end in range(STEP, len(organization.path), STEP)]
        ),
        # Newest first; a version valid since always (NULL) is the oldest on
        # PostgreSQL too, which would otherwise put NULL first.
        "versions": organization.versions.select_related("parent").order_by(
            F("valid_from").desc(nulls_last=True)
        ),
        "events": organization.reorganizations.select_related("target", "recorded_by"),
    }
    if organization.is_cell:
        context["members"] = (
            access.visible(user, Member).filter(cell=organization).on_roll().order_by("search_name")
        )
        context["positions"] = organization.positions.current(today).select_related("member")
        context["assignments"] = organization.assignments.current(today).select_related("cadre")
    else:
        context["children"] = selectors.children_of(tree_with_members(user), organization.pk)
    return context
