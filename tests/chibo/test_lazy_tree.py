"""The lazy organization tree: roots, branches unfolded on demand, counts in
SQL over the materialized path, cached per node under a version the
services bump.

Tree (P province; cells lower-case, members on the roll in brackets):
  P ─┬─ A ─┬─ a1 (3, and one who left)      B ─┬─ S (sub-committee) ── s1 (4)
     │     ├─ a2 (2) dissolved in 2024         └─ b1 (1)
     │     └─ a3 (1) founded next year
     ├─ D founded next year ── d1 (2) founded in 2010
     └─ E (no cell)
"""

import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse

from chibo import access, figures, selectors, tree
from chibo.orgs import pages
from members import services
from members.models import Member
from tests.factories import (
    AssignmentFactory,
    CellFactory,
    MemberFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

from .python_tree import python_tree

pytestmark = pytest.mark.django_db
NEXT_YEAR = datetime.date.today() + datetime.timedelta(days=365)
HX = {"HX-Request": "true"}


@pytest.fixture
def w():
    p = OrganizationFactory(kind="province", name="Đảng bộ tỉnh Sơn La")
    a = OrganizationFactory(parent=p, name="Đảng bộ xã Cò Nòi")
    b = OrganizationFactory(parent=p, name="Đảng bộ xã Nà Bó")
    s = OrganizationFactory(parent=b, kind="subcommittee", name="Đảng bộ bộ phận Bản Mạt")
    d = OrganizationFactory(parent=p, name="Đảng bộ xã Mới", founded_on=NEXT_YEAR)
    world = {
        "P": p,
        "A": a,
        "B": b,
        "S": s,
        "D": d,
        "E": OrganizationFactory(parent=p, name="Đảng bộ xã Trống"),
        "a1": CellFactory(parent=a, name="Chi bộ bản Lếch"),
        "a2": CellFactory(parent=a, name="Chi bộ bản Nà"),
        "a3": CellFactory(parent=a, name="Chi bộ bản Mới", founded_on=NEXT_YEAR),
        "s1": CellFactory(parent=s, name="Chi bộ bản Mạt"),
        "b1": CellFactory(parent=b, name="Chi bộ bản Bó"),
        "d1": CellFactory(parent=d, name="Chi bộ bản Đông"),
    }
    for cell, n in {"a1": 3, "a2": 2, "a3": 1, "s1": 4, "b1": 1, "d1": 2}.items():
        MemberFactory.create_batch(n, cell=world[cell])
    MemberFactory(cell=world["a1"], left_on=datetime.date(2025, 1, 1))
    tree.dissolve_organization(organization=world["a2"], on=datetime.date(2024, 1, 1))
    for organization in world.values():  # siblings added in name order moved their paths
        organization.refresh_from_db()
    cache.clear()
    return world


def user_with(*roles, member=False):
    user = UserFactory()
    for kind, organization in roles:
        RoleFactory(user=user, organization=organization, kind=kind)
    if member:
        MemberFactory(user=user)
    return user


def cadre_of(w, at, *cells, **more):
    user = user_with(("cadre", w[at]), *more.get("roles", ()), member=True)
    for cell in cells:
        AssignmentFactory(cadre=user.member, cell=w[cell])
    return user


def lazy(user, rows=None):
    """The whole lazy tree, unfolded node by node as the pages do."""
    if rows is None:
        rows = pages.root_rows(user)[1]
    return sorted(
        (
            row.organization.name,
            row.cells,
            row.members,
            lazy(user, pages.child_rows(user, row.organization)[1]) if row.expandable else [],
        )
        for row in rows
    )


def eager(rows):
    return sorted((r.organization.name, r.cells, r.members, eager(r.children)) for r in rows)


USERS = {
    "province staff": lambda w: user_with(("staff", w["P"])),
    "commune staff": lambda w: user_with(("staff", w["A"])),
    "province admin and commune staff": lambda w: user_with(("admin", w["P"]), ("staff", w["A"])),
    "secretary": lambda w: user_with(("secretary", w["a1"])),
    "answerer": lambda w: user_with(("answerer", w["A"])),
    "cadre": lambda w: cadre_of(w, "B", "a1", "s1"),
    "cadre of the province, staff of a commune": lambda w: cadre_of(
        w, "P", "a1", roles=[("staff", w["B"])]
    ),
    "staff of a commune not yet founded": lambda w: user_with(("staff", w["D"])),
    "staff of a dissolved cell": lambda w: user_with(("staff", w["a2"])),
    "superuser": lambda w: UserFactory(is_superuser=True),
    "no role": lambda w: UserFactory(),
}


@pytest.mark.parametrize("who", USERS)
def test_the_lazy_tree_equals_the_python_tree(w, who):
    user = USERS[who](w)

    assert lazy(user) == eager(python_tree(user))


def test_the_province_staffs_tree_counts_each_subtree(w):
    user = user_with(("staff", w["P"]))

    assert lazy(user) == [
        (
            "Đảng bộ tỉnh Sơn La",
            4,
            10,
            [
                ("Chi bộ bản Đông", 1, 2, []),  # under D, not founded yet: lifted to P
                ("Đảng bộ xã Cò Nòi", 1, 3, [("Chi bộ bản Lếch", 1, 3, [])]),
                (
                    "Đảng bộ xã Nà Bó",
                    2,
                    5,
                    [
                        ("Chi bộ bản Bó", 1, 1, []),
                        ("Đảng bộ bộ phận Bản Mạt", 1, 4, [("Chi bộ bản Mạt", 1, 4, [])]),
                    ],
                ),
                ("Đảng bộ xã Trống", 0, 0, []),
            ],
        )
    ]


def test_a_cadre_sees_assigned_cells_under_the_commune_of_the_role(w):
    user = cadre_of(w, "B", "a1", "s1")

    assert lazy(user) == [
        ("Chi bộ bản Lếch", 1, 3, []),
        ("Đảng bộ xã Nà Bó", 1, 4, [("Chi bộ bản Mạt", 1, 4, [])]),
    ]


@pytest.mark.parametrize("n", [1, 6])
def test_counting_a_level_takes_a_fixed_number_of_queries_whatever_its_size(
    w, n, django_assert_num_queries
):
    user = user_with(("staff", w["P"]))
    for _ in range(n):
        MemberFactory(cell=CellFactory(parent=OrganizationFactory(parent=w["P"])))
    children = list(access.tree_children(user, w["P"]))  # the grants are read too

    # Two per depth: the communes, and d1 lifted from under D (not founded yet).
    with django_assert_num_queries(4):
        rows = pages.counted_rows(user, children)

    assert len(rows) == 4 + n
    with django_assert_num_queries(0):  # cached now
        pages.counted_rows(user, children)


def test_nodes_at_two_depths_take_two_queries_each(w, django_assert_num_queries):
    user = user_with(("staff", w["P"]))
    access.sees_subtree(user, w["P"])  # the grants, read once per request

    with django_assert_num_queries(4):
        rows = pages.counted_rows(user, [w["A"], w["S"], w["B"]])

    assert [(r.cells, r.members, r.below) for r in rows] == [(1, 3, 1), (1, 4, 1), (2, 5, 3)]


def test_a_partly_seen_node_is_counted_live_not_cached(w, django_assert_num_queries):
    user = cadre_of(w, "B", "s1")
    pages.counted_rows(user, [w["B"]])

    with django_assert_num_queries(2):
        (row,) = pages.counted_rows(user, [w["B"]])

    assert (row.cells, row.members) == (1, 4)


def test_counts_of_an_earlier_or_later_day_are_their_own(w):
    user = user_with(("staff", w["P"]))

    (today,) = pages.counted_rows(user, [w["A"]])
    counts = selectors.subtree_counts(
        user, [w["A"]], on=NEXT_YEAR, members=Member.objects.on_roll()
    )

    assert (today.cells, counts[w["A"].pk].cells) == (1, 2)


# --- the cache's invalidation ---------------------------------------------------------------


@pytest.fixture
def staff_tree(w):
    user = user_with(("staff", w["P"]))

    def counts(name="A"):
        (row,) = pages.counted_rows(user, [w[name]])
        return row.cells, row.members

    assert counts() == (1, 3)
    return counts


def test_the_cache_serves_until_a_service_changes_the_roll(w, staff_tree):
    MemberFactory(cell=w["a1"])  # written past the services: the cache does not know

    assert staff_tree() == (1, 3)


def test_a_member_added_shows_at_once(w, staff_tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.save_member(member=MemberFactory.build(cell=w["a1"]))

    assert staff_tree() == (1, 4)


def test_a_member_who_leaves_drops_at_once(w, staff_tree):
    member = Member.objects.filter(cell=w["a1"], left_on=None).first()
    member.left_on = datetime.date.today()

    services.save_member(member=member)

    assert staff_tree() == (1, 2)


def test_a_transfer_moves_the_count(w, staff_tree):
    member = Member.objects.filter(cell=w["a1"], left_on=None).first()

    services.transfer_member(member=member, to_cell=w["b1"], on=datetime.date.today())

    assert (staff_tree("A"), staff_tree("B")) == ((1, 2), (2, 6))


def test_a_reorganization_shows_at_once(w, staff_tree):
    staff_tree("B")

    tree.move_organization(organization=w["a1"], new_parent=w["B"], on=datetime.date.today())

    assert (staff_tree("A"), staff_tree("B")) == ((0, 0), (3, 8))


def test_a_cell_founded_or_dissolved_shows_at_once(w, staff_tree):
    CellFactory(parent=w["A"])
    assert staff_tree() == (2, 3)

    tree.dissolve_organization(organization=w["a1"], on=datetime.date.today())
    assert staff_tree() == (1, 0)


def test_the_version_is_bumped_again_at_commit(w, django_capture_on_commit_callbacks):
    """A count read by another request before the commit must not outlive it."""
    before = figures.version(figures.TREE)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        selectors.tree_changed()
    during = figures.version(figures.TREE)
    for callback in callbacks:
        callback()

    assert before < during < figures.version(figures.TREE)


def test_a_lost_version_never_meets_old_counts(w, staff_tree):
    MemberFactory(cell=w["a1"])
    cache.delete(figures.version_key(figures.TREE))

    assert staff_tree() == (1, 4)


def test_counts_are_read_from_sql_when_the_cache_is_down(w):
    user = user_with(("staff", w["P"]))
    down = mock.Mock(side_effect=ConnectionError("redis down"))

    with (
        mock.patch.object(cache, "get", down),
        mock.patch.object(cache, "get_many", down),
        mock.patch.object(cache, "set_many", down),
    ):
        (row,) = pages.counted_rows(user, [w["A"]])
        selectors.tree_changed()

    assert (row.cells, row.members) == (1, 3)


# --- the pages -------------------------------------------------------------------------------


def test_the_tree_page_opens_at_the_roots(client, w, english_pages):
    client.force_login(user_with(("staff", w["A"]), ("staff", w["B"])))

    response = client.get(reverse("organization_tree"))

    html = response.content.decode()
    assert [r.organization for r in response.context["rows"]] == [w["A"], w["B"]]
    assert "1 cell, 3 members" in html and "2 cells, 5 members" in html
    assert w["a1"].name not in html  # a branch comes on demand
    assert f'hx-get="{reverse("organization_children", args=[w["A"].pk])}"' in html
    assert f'href="{reverse("organization_tree")}?open={w["A"].pk}"' in html


def test_a_branch_unfolds_as_an_htmx_fragment(client, w, english_pages):
    client.force_login(user_with(("staff", w["P"])))

    response = client.get(reverse("organization_children", args=[w["B"].pk]), headers=HX)

    html = response.content.decode()
    assert [r.organization for r in response.context["rows"]] == [w["b1"], w["S"]]
    assert "<html" not in html and html.count("<li>") == 3  # two rows and S's fallback link
    assert f'hx-get="{reverse("organization_children", args=[w["S"].pk])}"' in html
    assert reverse("organization_children", args=[w["b1"].pk]) not in html  # a cell: a leaf


def test_a_branch_without_htmx_goes_to_the_tree_page_opened_there(client, w):
    client.force_login(user_with(("staff", w["P"])))
    url = reverse("organization_children", args=[w["B"].pk])

    response = client.get(url, {"page": "2"})

    assert response["Location"] == f"{reverse('organization_tree')}?open={w['B'].pk}&page=2"
    assert client.get(url, {"page": "x"})["Location"].endswith(f"?open={w['B'].pk}")


def test_the_opened_node_shows_its_children_and_its_ancestors(client, w, english_pages):
    client.force_login(user_with(("staff", w["P"])))

    response = client.get(reverse("organization_tree"), {"open": w["S"].pk})

    html = response.content.decode()
    assert response.context["opened"].organization == w["S"]
    assert list(response.context["ancestors"]) == [w["P"], w["B"]]
    assert [r.organization for r in response.context["rows"]] == [w["s1"]]
    assert "1 cell, 4 members" in html


@pytest.mark.parametrize("open_", ["S", "outside"])
def test_opening_a_node_out_of_sight_is_404(client, w, open_):
    client.force_login(user_with(("staff", w["A"])))
    other = OrganizationFactory() if open_ == "outside" else w[open_]

    tree_page = client.get(reverse("organization_tree"), {"open": other.pk})
    branch = client.get(reverse("organization_children", args=[other.pk]), headers=HX)

    assert (tree_page.status_code, branch.status_code) == (404, 404)


def test_a_bad_open_shows_the_roots(client, w):
    client.force_login(user_with(("staff", w["A"])))

    response = client.get(reverse("organization_tree"), {"open": "abc"})

    assert [r.organization for r in response.context["rows"]] == [w["A"]]


def test_a_secretary_cannot_unfold_the_commune_above(client, w):
    client.force_login(user_with(("secretary", w["a1"])))

    response = client.get(reverse("organization_children", args=[w["A"].pk]), headers=HX)

    assert response.status_code == 404


def test_an_answerer_unfolds_nothing_below_the_node(client, w):
    client.force_login(user_with(("answerer", w["A"])))

    response = client.get(reverse("organization_children", args=[w["A"].pk]), headers=HX)

    assert (response.status_code, response.context["rows"]) == (200, [])


def test_many_children_come_a_page_at_a_time(client, w, english_pages):
    client.force_login(user_with(("staff", w["E"])))
    for i in range(pages.CHILDREN_PER_PAGE + 2):
        OrganizationFactory(parent=w["E"], name=f"Chi bộ {i:03d}", kind="cell")
    url = reverse("organization_children", args=[w["E"].pk])

    first = client.get(url, headers=HX)
    second = client.get(url, {"page": 2}, headers=HX)

    assert len(first.context["rows"]) == pages.CHILDREN_PER_PAGE
    assert f'hx-get="{url}?page=2"' in first.content.decode()
    assert "Show more (50 of 52 shown)" in first.content.decode()
    assert [r.organization.name for r in second.context["rows"]] == ["Chi bộ 050", "Chi bộ 051"]
    assert "Show more" not in second.content.decode()


def test_an_organizations_page_lists_its_children_a_page_at_a_time(client, w):
    client.force_login(user_with(("staff", w["P"])))

    response = client.get(reverse("organization_detail", args=[w["B"].pk]))

    assert [(r.organization, r.cells, r.members) for r in response.context["children"]] == [
        (w["b1"], 1, 1),
        (w["S"], 1, 4),
    ]
    assert response.context["page"].number == 1


def test_the_dashboard_counts_each_roles_subtree(client, w):
    user = user_with(("staff", w["B"]), ("secretary", w["a1"]))
    client.force_login(user)

    response = client.get(reverse("dashboard"))

    cards = {card.organization.pk: (card.cells, card.members) for card in response.context["cards"]}
    assert cards == {w["B"].pk: (2, 5), w["a1"].pk: (1, 3)}


def test_the_dashboard_shows_a_member_added_at_once(client, w, django_capture_on_commit_callbacks):
    client.force_login(user_with(("staff", w["B"])))
    client.get(reverse("dashboard"))

    with django_capture_on_commit_callbacks(execute=True):
        services.save_member(member=MemberFactory.build(cell=w["b1"]))
    (card,) = client.get(reverse("dashboard")).context["cards"]

    assert (card.cells, card.members) == (2, 6)


# --- the size of a page does not follow the size of the scope --------------------------------


def province(cells_per_commune):
    p = OrganizationFactory(kind="province", name="Đảng bộ tỉnh Lai Châu")
    for c in range(10):
        commune = OrganizationFactory(parent=p, name=f"Đảng bộ xã Số {c:02d}")
        for _ in range(cells_per_commune):
            MemberFactory(cell=CellFactory(parent=commune))
    return p


@pytest.mark.parametrize("url", ["organization_tree", "dashboard", "children"])
def test_a_page_weighs_the_same_for_20_or_200_cells(client, url):
    sizes = []
    for cells in (2, 20):
        root = province(cells)
        client.force_login(user_with(("staff", root)))
        if url == "children":
            response = client.get(reverse("organization_children", args=[root.pk]), headers=HX)
        else:
            response = client.get(reverse(url))
        sizes.append(len(response.content))

    # Only digits grow: the counts, and the ids in the links.
    assert sizes[0] <= sizes[1] <= sizes[0] * 1.02


def test_a_member_changed_in_the_django_admin_shows_at_once(client, w, staff_tree):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    member = Member.objects.filter(cell=w["a1"], left_on=None).first()

    response = client.post(
        reverse("admin:members_member_delete", args=[member.pk]), {"post": "yes"}
    )

    assert (response.status_code, staff_tree()) == (302, (1, 2))


# --- the tree as it stood on a date, a level at a time ----------------------------------------


def test_the_tree_of_a_date_opens_at_the_roots_then(client, w):
    tree.move_organization(organization=w["S"], new_parent=w["A"], on=datetime.date(2025, 7, 1))
    client.force_login(user_with(("staff", w["A"]), ("staff", w["B"])))

    response = client.get(reverse("organization_tree"), {"on": "2025-06-30"})

    html = response.content.decode()
    assert [v.organization for v in response.context["historic"]] == [w["A"], w["B"]]
    assert f"?on=2025-06-30&amp;open={w['A'].pk}" in html
    assert w["S"].name not in html


@pytest.mark.parametrize("on, children", [("2025-06-30", ["b1", "S"]), ("2025-07-01", ["b1"])])
def test_a_node_of_a_date_shows_its_children_then(client, w, on, children):
    tree.move_organization(organization=w["S"], new_parent=w["A"], on=datetime.date(2025, 7, 1))
    client.force_login(user_with(("staff", w["P"])))

    response = client.get(reverse("organization_tree"), {"on": on, "open": w["B"].pk})

    assert [v.organization for v in response.context["historic"]] == [w[c] for c in children]
    assert response.context["historic_open"] == w["B"]


def test_a_cell_of_a_date_links_to_nothing_below(client, w):
    client.force_login(user_with(("staff", w["P"])))

    response = client.get(reverse("organization_tree"), {"on": "2026-01-01", "open": w["A"].pk})

    by_name = {v.name: v.has_children for v in response.context["historic"]}
    assert by_name == {"Chi bộ bản Lếch": False}  # a2 dissolved in 2024, a3 not founded yet
    assert f"open={w['a1'].pk}" not in response.content.decode()


def test_opening_a_node_of_a_date_out_of_sight_is_404(client, w):
    client.force_login(user_with(("staff", w["A"])))

    response = client.get(reverse("organization_tree"), {"on": "2026-01-01", "open": w["B"].pk})

    assert response.status_code == 404


def test_the_tree_of_a_date_comes_a_page_at_a_time(client, w, english_pages):
    client.force_login(user_with(("staff", w["E"])))
    for i in range(pages.CHILDREN_PER_PAGE + 1):
        OrganizationFactory(parent=w["E"], name=f"Chi bộ {i:03d}", kind="cell")
    query = {"on": datetime.date.today().isoformat(), "open": w["E"].pk}

    first = client.get(reverse("organization_tree"), query)
    second = client.get(reverse("organization_tree"), {**query, "page": 2})

    assert len(first.context["historic"]) == pages.CHILDREN_PER_PAGE
    assert "Show more (50 of 51 shown)" in first.content.decode()
    assert [v.name for v in second.context["historic"]] == ["Chi bộ 050"]
