"""What the tree's pages show: the tree (chibo.selectors) composed with the
apps' data about each cell, its members and its cadres. This is the top
layer: the base's tree reads import no app.

The tree is lazy: a page shows one level (the user's roots, or one node's
children, a page of them at a time) with the counts of each row's subtree,
and a row unfolds on demand."""

import datetime

from django.core.paginator import Page, Paginator
from django.db.models import F

from chibo import access, selectors, tree
from chibo.models import Organization
from chibo.selectors import STEP, TreeRow
from members.models import Member

# A province has about 250 communes: its children come a page at a time.
CHILDREN_PER_PAGE = 50


def counted_rows(user, organizations, *, on: datetime.date | None = None) -> list[TreeRow]:
    """Rows for these organizations, each counting the members on the roll below it."""
    return selectors.rows(user, organizations, on=on, members=Member.objects.on_roll())


def _page(user, organizations, number) -> tuple[Page, list[TreeRow]]:
    page = Paginator(organizations.order_by("name", "pk"), CHILDREN_PER_PAGE).get_page(number)
    return page, counted_rows(user, page.object_list)


def root_rows(user, *, page: str | int | None = None) -> tuple[Page, list[TreeRow]]:
    """Where the user's tree opens: their roots, a page of them."""
    return _page(user, access.tree_roots(user), page)


def child_rows(
    user, organization: Organization, *, page: str | int | None = None
) -> tuple[Page, list[TreeRow]]:
    """What `organization` unfolds into for the user, a page of it."""
    return _page(user, access.tree_children(user, organization), page)


def historic_page(user, on: datetime.date, open_id: str | None, page) -> dict:
    """The tree as it stood on `on`, one level at a time: the roots then, or
    with `open_id` the children then of that organization (404 out of sight)."""
    visible = access.visible(user, Organization)
    opened = None
    if open_id and open_id.isdigit():
        opened = access.get_or_deny(user, Organization, pk=open_id)
    level = tree.historic_level(on, visible, parent=opened)
    found = Paginator(level, CHILDREN_PER_PAGE).get_page(page)
    return {"historic": found.object_list, "page": found, "historic_open": opened}


def ancestors(user, organization: Organization):
    """The organizations above, those the user sees, from the top."""
    return access.visible(user, Organization).filter(
        path__in=[organization.path[:end] for end in range(STEP, len(organization.path), STEP)]
    )


def organization_page(user, organization: Organization, *, page=None) -> dict:
    """What an organization's page shows: children or members, and history."""
    today = datetime.date.today()
    context = {
        "organization": organization,
        "ancestors": ancestors(user, organization),
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
        context["page"], context["children"] = child_rows(user, organization, page=page)
    return context
