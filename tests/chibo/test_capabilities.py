"""The named capabilities: who holds each one, and require()'s 404 outside
sight / 403 inside, in the access matrix's world."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from chibo import access
from chibo.access import Capability as C
from tests.chibo.access_world import ROLES, build_world

pytestmark = pytest.mark.django_db

HOLDERS = {
    C.ADD_MEMBERS: {"admin", "staff", "secretary"},
    C.IMPORT_MEMBERS: {"admin", "staff", "secretary"},
    C.IMPORT_ORGANIZATIONS: {"admin", "staff"},
    # office staff read meetings but do not write them
    C.PLAN_MEETINGS: {"admin", "secretary", "deputy"},
    C.ASSIGN_CADRES: {"admin", "staff"},
    C.READ_REPORTS: {"admin", "staff"},
    C.RECORD_VISITS: {"cadre"},
}


@pytest.fixture
def world():
    return build_world()


def test_every_capability_has_its_holders_listed():
    assert set(HOLDERS) == set(C)


def test_who_holds_each_capability(world):
    held = {
        capability: {role for role in ROLES if access.has(world.users[role], capability)}
        for capability in C
    }
    assert held == HOLDERS


def test_anonymous_holds_nothing():
    assert [c for c in C if access.has(AnonymousUser(), c)] == []


def test_plan_meetings_at_a_cell(world):
    secretary, a1, a2 = world.users["secretary"], world.orgs["A1"], world.orgs["A2"]
    assert access.has(secretary, C.PLAN_MEETINGS, a1) is True
    assert access.has(secretary, C.PLAN_MEETINGS, a2) is False


def test_record_a_visit_only_where_and_when_assigned(world):
    cadre, today = world.users["cadre"], datetime.date.today()
    access.require(cadre, C.RECORD_VISITS, world.orgs["A1"], on=today)
    # A1 is in sight but the assignment began on 1 January 2020: 403
    with pytest.raises(PermissionDenied):
        access.require(cadre, C.RECORD_VISITS, world.orgs["A1"], on=datetime.date(2019, 12, 31))
    # A2 and B1 are out of the cadre's sight: 404
    for place in ("A2", "B1"):
        with pytest.raises(Http404):
            access.require(cadre, C.RECORD_VISITS, world.orgs[place], on=today)


def test_require_answers_403_in_sight_and_404_out_of_it(world):
    secretary = world.users["secretary"]
    with pytest.raises(PermissionDenied):
        access.require(secretary, C.RECORD_VISITS, world.orgs["A1"])
    with pytest.raises(Http404):
        access.require(secretary, C.RECORD_VISITS, world.orgs["B1"])
    with pytest.raises(PermissionDenied):
        access.require(secretary, C.ASSIGN_CADRES)
    access.require(world.users["staff"], C.ASSIGN_CADRES)


def test_role_kinds_and_member_id(world):
    assert access.role_kinds(world.users["cadre"]) == {"cadre"}
    assert access.role_kinds(world.users["stranger"]) == set()
    assert access.role_kinds(AnonymousUser()) == set()
    assert access.member_id(world.users["cadre"]) == world.assignments["A1"].cadre_id
    assert access.member_id(world.users["staff"]) is None
