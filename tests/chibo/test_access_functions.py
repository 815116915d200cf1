"""chibo.access itself: visible, get_or_deny, can, cells, has/require at a
place, the grants cache, and users who are not (or no longer) anyone.

Runs in the access matrix's world (tests/chibo/access_world.py): node roles
on commune A, cell roles on cell A1, the cadre assigned to A1.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from chibo import access
from chibo.access import Capability as C
from chibo.access.roles import forget, grants_for
from chibo.models import Organization
from meetings.models import Meeting
from members.models import Member
from tests.chibo.access_world import ROLES, build_world
from tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db
OK, FORBIDDEN, HIDDEN = "ok", 403, 404
PLACES = ("A", "A1", "A2", "S", "S1", "B", "B1", "P", "P1")


@pytest.fixture
def world():
    return build_world()


def codes(world, queryset):
    by_pk = {org.pk: name for name, org in world.orgs.items()}
    return {by_pk[pk] for pk in queryset.values_list("pk", flat=True)}


def outcome(user, capability, organization):
    try:
        access.require(user, capability, organization, on=datetime.date.today())
    except Http404:
        return HIDDEN
    except PermissionDenied:
        return FORBIDDEN
    return OK


# --- which organizations each role sees and edits ---------------------------------

SEES = {
    "admin": {"A", "A1", "A2", "S", "S1"},
    "staff": {"A", "A1", "A2", "S", "S1"},
    "secretary": {"A1"},
    "deputy": {"A1"},
    "cadre": {"A", "A1"},
    "answerer": {"A"},
    "body": set(),
    "stranger": set(),
}
EDITS = {"admin": SEES["admin"], "staff": SEES["staff"]}


@pytest.mark.parametrize("role", ROLES)
def test_organizations_each_role_sees_and_edits(world, role):
    user = world.users[role]
    assert codes(world, access.visible(user, Organization)) == SEES[role]
    assert codes(world, access.visible(user, Organization, access.EDIT)) == EDITS.get(role, set())


CELLS_KEPT = {
    "admin": ({"A1", "A2", "S1"}, {"A1", "A2", "S1"}),
    "staff": ({"A1", "A2", "S1"}, {"A1", "A2", "S1"}),
    "secretary": ({"A1"}, {"A1"}),
    "deputy": ({"A1"}, set()),
    "cadre": ({"A1"}, set()),
}


@pytest.mark.parametrize("role", ROLES)
def test_cells_whose_members_each_role_reads_and_keeps(world, role):
    user = world.users[role]
    read, kept = CELLS_KEPT.get(role, (set(), set()))
    assert codes(world, access.cells(user)) == read
    assert codes(world, access.cells(user, access.EDIT)) == kept


MEETING_CELLS = {
    "admin": {"A1", "A2", "S1"},
    "secretary": {"A1"},
    "deputy": {"A1"},
}


@pytest.mark.parametrize("role", ROLES)
def test_cells_whose_meetings_each_role_writes(world, role):
    # Office staff read meetings but do not write them.
    user = world.users[role]
    assert codes(world, access.cells(user, access.EDIT, of=Meeting)) == MEETING_CELLS.get(
        role, set()
    )


def test_cells_leave_out_dissolved_cells(world):
    Organization.objects.filter(pk=world.orgs["A2"].pk).update(
        dissolved_on=datetime.date(2020, 1, 1)
    )
    staff = world.users["staff"]

    assert codes(world, access.cells(staff)) == {"A1", "S1"}
    # The dissolved cell itself is still visible (its records are history).
    assert "A2" in codes(world, access.visible(staff, Organization))


# --- get_or_deny and can ------------------------------------------------------------


def test_get_or_deny_gives_404_out_of_sight_and_403_in_sight_without_the_right(world):
    secretary = world.users["secretary"]
    a1, b1 = world.orgs["A1"], world.orgs["B1"]

    assert access.get_or_deny(secretary, Organization, pk=a1.pk) == a1
    with pytest.raises(PermissionDenied):
        access.get_or_deny(secretary, Organization, access.EDIT, pk=a1.pk)
    with pytest.raises(Http404):
        access.get_or_deny(secretary, Organization, access.EDIT, pk=b1.pk)
    with pytest.raises(Http404):
        access.get_or_deny(secretary, Organization, pk=10**9)


def test_get_or_deny_selects_related_rows(world, django_assert_num_queries):
    staff = world.users["staff"]
    access.visible(staff, Member)  # reads the grants once

    member = access.get_or_deny(staff, Member, related=("cell",), pk=world.members["A1"].pk)

    with django_assert_num_queries(0):
        assert member.cell.name == "Chi bộ A1"


def test_can_per_action(world):
    staff, deputy = world.users["staff"], world.users["deputy"]
    member = world.members["A1"]

    assert access.can(staff, access.EDIT, member) is True
    assert access.can(deputy, access.VIEW, member) is True
    assert access.can(deputy, access.EDIT, member) is False
    assert access.can(staff, access.VIEW, world.members["B1"]) is False


def test_an_unknown_model_has_no_scope(world):
    from chibo.models import Reorganization

    with pytest.raises(LookupError, match="No access scope for Reorganization"):
        access.visible(world.users["admin"], Reorganization)


# --- capabilities at a place ---------------------------------------------------------

# require(user, capability, organization) for each place: 404 out of sight,
# 403 in sight without the capability. Capabilities that are about "some
# cell" (adding, importing, assigning, reports) do not depend on the place
# once it is in sight; planning and visits do.
AT_PLACE = {
    "admin": {
        C.ADD_MEMBERS: OK,
        C.IMPORT_MEMBERS: OK,
        C.IMPORT_ORGANIZATIONS: OK,
        C.PLAN_MEETINGS: {"A": FORBIDDEN, "S": FORBIDDEN},
        C.ASSIGN_CADRES: OK,
        C.READ_REPORTS: OK,
        C.RECORD_VISITS: FORBIDDEN,
    },
    "staff": {
        C.ADD_MEMBERS: OK,
        C.IMPORT_MEMBERS: OK,
        C.IMPORT_ORGANIZATIONS: OK,
        C.PLAN_MEETINGS: FORBIDDEN,
        C.ASSIGN_CADRES: OK,
        C.READ_REPORTS: OK,
        C.RECORD_VISITS: FORBIDDEN,
    },
    "secretary": {
        C.ADD_MEMBERS: OK,
        C.IMPORT_MEMBERS: OK,
        C.IMPORT_ORGANIZATIONS: FORBIDDEN,
        C.PLAN_MEETINGS: OK,
        C.ASSIGN_CADRES: FORBIDDEN,
        C.READ_REPORTS: FORBIDDEN,
        C.RECORD_VISITS: FORBIDDEN,
    },
    "deputy": {
        C.ADD_MEMBERS: FORBIDDEN,
        C.IMPORT_MEMBERS: FORBIDDEN,
        C.IMPORT_ORGANIZATIONS: FORBIDDEN,
        C.PLAN_MEETINGS: OK,
        C.ASSIGN_CADRES: FORBIDDEN,
        C.READ_REPORTS: FORBIDDEN,
        C.RECORD_VISITS: FORBIDDEN,
    },
    "cadre": {
        C.ADD_MEMBERS: FORBIDDEN,
        C.IMPORT_MEMBERS: FORBIDDEN,
        C.IMPORT_ORGANIZATIONS: FORBIDDEN,
        C.PLAN_MEETINGS: FORBIDDEN,
        C.ASSIGN_CADRES: FORBIDDEN,
        C.READ_REPORTS: FORBIDDEN,
        # assigned to A1 only; A (the cadre's own node) is not a cell of theirs
        C.RECORD_VISITS: {"A": FORBIDDEN},
    },
    "answerer": dict.fromkeys(C, FORBIDDEN),
}


def expected(role, capability, place):
    if place not in SEES[role]:
        return HIDDEN
    rule = AT_PLACE.get(role, {}).get(capability, FORBIDDEN)
    return rule.get(place, OK) if isinstance(rule, dict) else rule


@pytest.mark.parametrize("capability", list(C))
@pytest.mark.parametrize("role", ROLES)
def test_require_at_every_place(world, role, capability):
    user = world.users[role]
    got = {place: outcome(user, capability, world.orgs[place]) for place in PLACES}
    assert got == {place: expected(role, capability, place) for place in PLACES}


def test_plan_meetings_at_a_dissolved_cell_is_refused(world):
    Organization.objects.filter(pk=world.orgs["A1"].pk).update(
        dissolved_on=datetime.date(2020, 1, 1)
    )
    secretary = UserFactory()
    RoleFactory(user=secretary, organization=world.orgs["A1"], kind="secretary")

    assert access.has(secretary, C.PLAN_MEETINGS, world.orgs["A1"]) is False
    assert outcome(secretary, C.PLAN_MEETINGS, world.orgs["A1"]) == FORBIDDEN


def test_record_visits_after_the_assignment_ended(world):
    assignment = world.assignments["A1"]
    assignment.ends_on = datetime.date(2025, 1, 1)
    assignment.save()
    cadre = world.users["cadre"]

    assert access.has(cadre, C.RECORD_VISITS, world.orgs["A1"], on=datetime.date(2024, 12, 31))
    assert not access.has(cadre, C.RECORD_VISITS, world.orgs["A1"], on=datetime.date(2025, 1, 1))


def test_a_cadre_role_without_a_member_records_no_visit(world):
    user = UserFactory()
    RoleFactory(user=user, organization=world.orgs["A"], kind="cadre")

    assert access.has(user, C.RECORD_VISITS) is False


# --- users who are nobody -------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "inactive", "none"])
def test_nobody_sees_or_holds_anything(world, who):
    user = {
        "anonymous": AnonymousUser(),
        "inactive": world.users["admin"],
        "none": None,
    }[who]
    if who == "inactive":
        user.is_active = False

    assert access.visible(user, Organization).count() == 0
    assert access.cells(user).count() == 0
    assert [c for c in C if access.has(user, c)] == []
    assert access.role_kinds(user) == set()
    assert access.member_id(user) is None
    with pytest.raises(Http404):
        access.require(user, C.ADD_MEMBERS, world.orgs["A1"])
    with pytest.raises(PermissionDenied):
        access.require(user, C.ADD_MEMBERS)


def test_a_superuser_sees_everything_and_counts_as_admin(world):
    root = UserFactory(is_superuser=True)

    assert codes(world, access.visible(root, Organization)) == set(PLACES)
    assert codes(world, access.cells(root, access.EDIT)) == {"A1", "A2", "S1", "B1", "P1"}
    assert access.role_kinds(root) == {"admin"}
    access.require(root, C.IMPORT_ORGANIZATIONS, world.orgs["B1"])


# --- the grants cache ------------------------------------------------------------------


def test_grants_are_read_once_per_user_object(world, django_assert_num_queries):
    user = UserFactory()
    RoleFactory(user=user, organization=world.orgs["A"], kind="staff")
    grants_for(user)

    with django_assert_num_queries(1):  # the organizations themselves only
        assert codes(world, access.visible(user, Organization)) == SEES["staff"]


def test_a_new_role_counts_after_forget(world):
    user = UserFactory()
    assert access.visible(user, Organization).count() == 0

    RoleFactory(user=user, organization=world.orgs["B"], kind="staff")
    assert access.visible(user, Organization).count() == 0  # still the cached grants

    forget(user)
    assert codes(world, access.visible(user, Organization)) == {"B", "B1"}
    forget(user)  # forgetting twice is harmless


def test_roles_on_two_places_add_up(world):
    user = UserFactory()
    RoleFactory(user=user, organization=world.orgs["S"], kind="staff")
    RoleFactory(user=user, organization=world.orgs["B1"], kind="secretary")

    assert codes(world, access.visible(user, Organization)) == {"S", "S1", "B1"}
    assert codes(world, access.cells(user, access.EDIT)) == {"S1", "B1"}
    assert access.role_kinds(user) == {"staff", "secretary"}
