"""Every role × (own organization, a child, a sibling, the parent), for viewing
and editing organizations and members, through the real views.

Tree:  P (province) ─┬─ A (commune) ─┬─ A1 (cell)
                     │               ├─ A2 (cell)
                     │               └─ S (sub-committee) ── S1 (cell)
                     ├─ B (commune) ── B1 (cell)
                     └─ P1 (cell directly under the province)
Node roles (admin, staff, answerer, cadre) sit on A; cell roles (secretary,
deputy) on A1. The cadre is assigned to A2 only.
"""

import pytest
from django.urls import reverse

from tests.factories import (
    AssignmentFactory,
    CellFactory,
    MemberFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    p = OrganizationFactory(kind="province", name="Đảng bộ tỉnh P")
    a = OrganizationFactory(parent=p, name="Đảng bộ xã A")
    b = OrganizationFactory(parent=p, name="Đảng bộ xã B")
    s = OrganizationFactory(parent=a, kind="subcommittee", name="Đảng bộ bộ phận S")
    cells = {
        "A1": CellFactory(parent=a),
        "A2": CellFactory(parent=a),
        "S1": CellFactory(parent=s),
        "B1": CellFactory(parent=b),
        "P1": CellFactory(parent=p),
    }
    orgs = {"P": p, "A": a, "B": b, "S": s, **cells}
    members = {name: MemberFactory(cell=cell) for name, cell in cells.items()}
    return orgs, members


def user_with(role: str, orgs):
    user = UserFactory()
    if role in ("secretary", "deputy"):
        RoleFactory(user=user, organization=orgs["A1"], kind=role)
    else:
        RoleFactory(user=user, organization=orgs["A"], kind=role)
    if role == "cadre":
        AssignmentFactory(cadre=MemberFactory(cell=orgs["P1"], user=user), cell=orgs["A2"])
    return user


# Which organization is own / child / sibling / parent for each kind of role.
TARGETS = {
    "node": {"own": "A", "child": "S", "sibling": "B", "parent": "P"},
    "cell": {"own": "A1", "sibling": "A2", "parent": "A"},
}
# expected (view status, edit status) for organizations
ORG_EXPECTED = {
    "admin": {"own": (200, 200), "child": (200, 200), "sibling": (404, 404), "parent": (404, 404)},
    "staff": {"own": (200, 200), "child": (200, 200), "sibling": (404, 404), "parent": (404, 404)},
    "answerer": {
        "own": (200, 403),
        "child": (404, 404),
        "sibling": (404, 404),
        "parent": (404, 404),
    },
    "cadre": {"own": (200, 403), "child": (404, 404), "sibling": (404, 404), "parent": (404, 404)},
    "secretary": {"own": (200, 403), "sibling": (404, 404), "parent": (404, 404)},
    "deputy": {"own": (200, 403), "sibling": (404, 404), "parent": (404, 404)},
}
# Members: the member of a cell that is own / in a child / sibling / parent.
MEMBER_TARGETS = {
    "node": {"own": "A1", "child": "S1", "sibling": "B1", "parent": "P1"},
    "cell": {"own": "A1", "sibling": "A2", "parent": "P1"},
}
MEMBER_EXPECTED = {
    "admin": {"own": (200, 200), "child": (200, 200), "sibling": (404, 404), "parent": (404, 404)},
    "staff": {"own": (200, 200), "child": (200, 200), "sibling": (404, 404), "parent": (404, 404)},
    "answerer": {
        "own": (404, 404),
        "child": (404, 404),
        "sibling": (404, 404),
        "parent": (404, 404),
    },
    "cadre": {"own": (404, 404), "child": (404, 404), "sibling": (404, 404), "parent": (404, 404)},
    "secretary": {"own": (200, 200), "sibling": (404, 404), "parent": (404, 404)},
    "deputy": {"own": (200, 403), "sibling": (404, 404), "parent": (404, 404)},
}


def cases(expected):
    for role, rows in expected.items():
        for relation, statuses in rows.items():
            yield pytest.param(role, relation, statuses, id=f"{role}-{relation}")


def kind_of(role):
    return "cell" if role in ("secretary", "deputy") else "node"


@pytest.mark.parametrize(("role", "relation", "statuses"), list(cases(ORG_EXPECTED)))
def test_organization_access(client, world, role, relation, statuses):
    orgs, _ = world
    client.force_login(user_with(role, orgs))
    target = orgs[TARGETS[kind_of(role)][relation]]

    view = client.get(reverse("organization_detail", args=[target.pk]))
    edit = client.get(reverse("organization_edit", args=[target.pk]))

    assert (view.status_code, edit.status_code) == statuses


@pytest.mark.parametrize(("role", "relation", "statuses"), list(cases(MEMBER_EXPECTED)))
def test_member_access(client, world, role, relation, statuses):
    orgs, members = world
    client.force_login(user_with(role, orgs))
    target = members[MEMBER_TARGETS[kind_of(role)][relation]]

    view = client.get(reverse("member_detail", args=[target.pk]))
    edit = client.get(reverse("member_edit", args=[target.pk]))

    assert (view.status_code, edit.status_code) == statuses


def test_cadre_sees_members_of_assigned_cell_read_only(client, world):
    orgs, members = world
    client.force_login(user_with("cadre", orgs))

    view = client.get(reverse("member_detail", args=[members["A2"].pk]))
    edit = client.get(reverse("member_edit", args=[members["A2"].pk]))

    assert (view.status_code, edit.status_code) == (200, 403)


def test_edit_post_out_of_scope_changes_nothing(client, world):
    orgs, members = world
    client.force_login(user_with("staff", orgs))
    target = members["B1"]

    response = client.post(reverse("member_edit", args=[target.pk]), {"full_name": "Hacked"})

    target.refresh_from_db()
    assert response.status_code == 404
    assert target.full_name != "Hacked"


def test_member_list_shows_only_scope(client, world):
    orgs, members = world
    client.force_login(user_with("secretary", orgs))

    response = client.get(reverse("member_list"))

    shown = {m.pk for m in response.context["page_obj"]}
    assert shown == {members["A1"].pk}


def test_anonymous_is_sent_to_sign_in(client, world):
    orgs, members = world

    response = client.get(reverse("member_detail", args=[members["A1"].pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_superuser_sees_everything(client, world):
    orgs, members = world
    client.force_login(UserFactory(is_superuser=True))

    response = client.get(reverse("member_list"))

    assert response.context["page_obj"].paginator.count == len(members)
