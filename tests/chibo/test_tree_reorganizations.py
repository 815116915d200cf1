"""Reorganizations of the tree and the dated history they leave.

Every change closes the current OrganizationVersion and opens the next, and
writes one Reorganization; refused changes leave both untouched.

    P (province) ── D (district) ─┬─ C (commune) ─┬─ L (cell)
                                  │               └─ T (cell)
                                  └─ N (commune) ── S (cell)
"""

import datetime
from types import SimpleNamespace

import pytest
from django.db.models import F
from django.utils import translation

from chibo.models import Organization, OrganizationVersion, Reorganization, ReorganizationKind
from chibo.tree import (
    TreeError,
    create_organization,
    dissolve_organization,
    historic_level,
    merge_organizations,
    move_organization,
    rename_organization,
    tree_on,
    update_organization_details,
)
from tests.factories import CellFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date
# NULL (valid since always) first, on SQLite and PostgreSQL alike.
OLDEST_FIRST = F("valid_from").asc(nulls_first=True)
REFORM = D(2025, 7, 1)


@pytest.fixture
def t():
    p = OrganizationFactory(kind="province", name="Đảng bộ tỉnh Sơn La", code="p")
    d = OrganizationFactory(parent=p, kind="district", name="Đảng bộ huyện Mai Sơn", code="d")
    c = OrganizationFactory(parent=d, name="Đảng bộ xã Cò Nòi", code="c")
    n = OrganizationFactory(parent=d, name="Đảng bộ xã Nà Bó", code="n")
    return SimpleNamespace(
        p=p,
        d=d,
        c=c,
        n=n,
        l=CellFactory(parent=c, name="Chi bộ bản Lếch", code="l"),
        t=CellFactory(parent=c, name="Chi bộ tiểu khu Cò Nòi", code="t"),
        s=CellFactory(parent=n, name="Chi bộ bản Đông Sàn", code="s"),
    )


def fresh(org):
    return Organization.objects.get(pk=org.pk)


def parent_of(org):
    return Organization.objects.get_parent(fresh(org))


def versions(org):
    """(name, parent's code, valid_from, valid_to) of each version, oldest first."""
    return [
        (v.name, v.parent.code if v.parent else None, v.valid_from, v.valid_to)
        for v in OrganizationVersion.objects.filter(organization=org).order_by(OLDEST_FIRST, "id")
    ]


def flat(nodes, depth=0):
    out = []
    for node in nodes:
        out.append(("  " * depth) + node.name)
        out.extend(flat(node.children, depth + 1))
    return out


def journal():
    return list(
        Reorganization.objects.order_by("id").values_list("kind", "organization__code", "date")
    )


# --- creation ------------------------------------------------------------------


def test_create_writes_the_first_version_and_a_founded_event(t):
    user = UserFactory()
    cell = create_organization(
        parent=t.c,
        by=user,
        founded_on=D(2021, 3, 1),
        code="new",
        name="Chi bộ bản Mới",
        kind="cell",
    )

    assert parent_of(cell) == t.c
    assert versions(cell) == [("Chi bộ bản Mới", "c", D(2021, 3, 1), None)]
    event = cell.reorganizations.get()
    assert (event.kind, event.date, event.target, event.new_name, event.recorded_by) == (
        ReorganizationKind.FOUNDED,
        D(2021, 3, 1),
        t.c,
        "Chi bộ bản Mới",
        user,
    )


def test_create_without_a_founding_date_is_valid_from_always_and_dated_today():
    root = create_organization(parent=None, code="r", name="Đảng bộ tỉnh Hà Tĩnh", kind="province")

    assert versions(root) == [("Đảng bộ tỉnh Hà Tĩnh", None, None, None)]
    assert root.reorganizations.get().date == datetime.date.today()
    assert root.name_on(D(1930, 2, 3)) == "Đảng bộ tỉnh Hà Tĩnh"
    assert root.is_active_on(D(1930, 2, 3))


def test_nothing_is_created_under_a_cell(t):
    before = (Organization.objects.count(), OrganizationVersion.objects.count(), journal())

    with translation.override("en"), pytest.raises(TreeError) as error:
        create_organization(parent=t.l, code="x", name="X", kind="cell")

    assert str(error.value) == "A party cell cannot contain other organizations."

    assert (Organization.objects.count(), OrganizationVersion.objects.count(), journal()) == before


# --- renames -------------------------------------------------------------------


def test_two_renames_keep_three_dated_names(t):
    rename_organization(organization=t.c, name="Đảng bộ xã Mai Sơn", on=REFORM, decision="QĐ 1")
    rename_organization(organization=fresh(t.c), name="Đảng bộ xã Mai Sơn Mới", on=D(2026, 1, 1))

    assert versions(t.c) == [
        ("Đảng bộ xã Cò Nòi", "d", D(2010, 1, 1), REFORM),
        ("Đảng bộ xã Mai Sơn", "d", REFORM, D(2026, 1, 1)),
        ("Đảng bộ xã Mai Sơn Mới", "d", D(2026, 1, 1), None),
    ]
    c = fresh(t.c)
    assert [c.name_on(day) for day in (D(2025, 6, 30), REFORM, D(2025, 12, 31), D(2026, 1, 1))] == [
        "Đảng bộ xã Cò Nòi",
        "Đảng bộ xã Mai Sơn",
        "Đảng bộ xã Mai Sơn",
        "Đảng bộ xã Mai Sơn Mới",
    ]
    renamed = c.reorganizations.filter(kind=ReorganizationKind.RENAMED).order_by("date")
    assert [(r.old_name, r.new_name, r.decision) for r in renamed] == [
        ("Đảng bộ xã Cò Nòi", "Đảng bộ xã Mai Sơn", "QĐ 1"),
        ("Đảng bộ xã Mai Sơn", "Đảng bộ xã Mai Sơn Mới", ""),
    ]


def test_a_name_before_the_founding_is_the_current_one(t):
    # Before its first version an organization had no name of record: the
    # page shows today's rather than nothing.
    rename_organization(organization=t.c, name="Đảng bộ xã Mai Sơn", on=REFORM)

    assert fresh(t.c).name_on(D(2000, 1, 1)) == "Đảng bộ xã Mai Sơn"
    assert fresh(t.c).version_on(D(2000, 1, 1)) is None


@pytest.mark.parametrize("day", [D(2010, 1, 1), D(2009, 12, 31)])
def test_rename_on_or_before_the_current_versions_start_is_refused(t, day):
    before = (versions(t.c), journal())

    with translation.override("en"), pytest.raises(TreeError) as error:
        rename_organization(organization=t.c, name="X", on=day)

    assert str(error.value) == "The date must be after 01/01/2010."
    assert (versions(t.c), journal()) == before
    assert fresh(t.c).name == "Đảng bộ xã Cò Nòi"


def test_rename_refusal_is_in_vietnamese_for_vietnamese_users(t):
    with translation.override("vi"), pytest.raises(TreeError) as error:
        rename_organization(organization=t.c, name="X", on=D(2009, 1, 1))

    assert "01/01/2010" in str(error.value)
    assert str(error.value) != "The date must be after 01/01/2010."


def test_rename_of_an_organization_made_outside_the_tree_functions_opens_a_version(t):
    # The admin or a fixture may add a node without its first version.
    stray = Organization.objects.add_child(
        fresh(t.c), instance=Organization(code="stray", name="Chi bộ lạc", kind="cell")
    )
    assert versions(stray) == []

    rename_organization(organization=stray, name="Chi bộ bản Lạc", on=REFORM)

    assert versions(stray) == [
        ("Chi bộ lạc", "c", None, REFORM),
        ("Chi bộ bản Lạc", "c", REFORM, None),
    ]


# --- moves ---------------------------------------------------------------------


def test_move_carries_the_subtree_and_dates_the_parent(t):
    user = UserFactory()
    move_organization(organization=t.c, new_parent=t.p, on=REFORM, by=user, decision="294-QĐ/TW")

    assert parent_of(t.c) == t.p
    assert parent_of(t.l) == fresh(t.c)
    assert {o.code for o in fresh(t.p).subtree()} == {"p", "d", "c", "n", "l", "t", "s"}
    assert {o.code for o in fresh(t.d).subtree()} == {"d", "n", "s"}
    assert versions(t.c) == [
        ("Đảng bộ xã Cò Nòi", "d", D(2010, 1, 1), REFORM),
        ("Đảng bộ xã Cò Nòi", "p", REFORM, None),
    ]
    # The cells below did not change: their own versions still name C.
    assert versions(t.l) == [("Chi bộ bản Lếch", "c", D(2010, 1, 1), None)]
    event = fresh(t.c).reorganizations.get(kind=ReorganizationKind.MOVED)
    assert (event.target, event.old_name, event.recorded_by, event.decision) == (
        t.p,
        "Đảng bộ xã Cò Nòi",
        user,
        "294-QĐ/TW",
    )


def test_moved_commune_appears_under_the_old_parent_before_the_date(t):
    move_organization(organization=t.c, new_parent=t.p, on=REFORM)

    assert flat(tree_on(D(2025, 6, 30))) == [
        "Đảng bộ tỉnh Sơn La",
        "  Đảng bộ huyện Mai Sơn",
        "    Đảng bộ xã Cò Nòi",
        "      Chi bộ bản Lếch",
        "      Chi bộ tiểu khu Cò Nòi",
        "    Đảng bộ xã Nà Bó",
        "      Chi bộ bản Đông Sàn",
    ]
    assert flat(tree_on(REFORM)) == [
        "Đảng bộ tỉnh Sơn La",
        "  Đảng bộ huyện Mai Sơn",
        "    Đảng bộ xã Nà Bó",
        "      Chi bộ bản Đông Sàn",
        "  Đảng bộ xã Cò Nòi",
        "    Chi bộ bản Lếch",
        "    Chi bộ tiểu khu Cò Nòi",
    ]


def test_move_under_its_own_descendant_or_itself_is_refused(t):
    before = (versions(t.d), journal())

    for target in (t.d, t.c):
        with translation.override("en"), pytest.raises(TreeError) as error:
            move_organization(organization=t.d, new_parent=target, on=REFORM)
        assert str(error.value) == "An organization cannot be moved under itself."

    assert (versions(t.d), journal()) == before
    assert parent_of(t.d) == t.p


def test_move_to_a_sibling_whose_path_shares_a_prefix_is_allowed(t):
    # Paths are fixed-width steps: C's path is not a prefix of N's.
    move_organization(organization=t.s, new_parent=t.c, on=REFORM)

    assert parent_of(t.s) == fresh(t.c)
    assert {o.code for o in fresh(t.c).subtree()} == {"c", "l", "t", "s"}


def test_move_on_a_day_before_the_current_version_is_refused_and_changes_nothing(t):
    move_organization(organization=t.c, new_parent=t.p, on=REFORM)
    before = (versions(t.c), journal())

    with pytest.raises(TreeError):
        move_organization(organization=fresh(t.c), new_parent=t.d, on=D(2025, 1, 1))

    assert (versions(t.c), journal()) == before
    assert parent_of(t.c) == t.p


def test_a_dissolved_organization_cannot_be_moved_or_renamed(t):
    dissolve_organization(organization=t.s, on=REFORM)

    with translation.override("en"):
        for change in (
            lambda: move_organization(organization=fresh(t.s), new_parent=t.c, on=D(2026, 1, 1)),
            lambda: rename_organization(organization=fresh(t.s), name="X", on=D(2026, 1, 1)),
        ):
            with pytest.raises(TreeError) as error:
                change()
            assert str(error.value) == "Chi bộ bản Đông Sàn was dissolved on 01/07/2025."


def test_once_a_dissolution_is_recorded_no_earlier_change_is(t):
    # A rename dated before a recorded dissolution would open a second,
    # never-ending version beside the closed one: refused, history intact.
    dissolve_organization(organization=t.s, on=D(2026, 1, 1))

    with pytest.raises(TreeError):
        rename_organization(organization=fresh(t.s), name="Chi bộ bản Sàn", on=REFORM)
    with pytest.raises(TreeError):
        move_organization(organization=fresh(t.s), new_parent=t.c, on=REFORM)

    assert versions(t.s) == [("Chi bộ bản Đông Sàn", "n", D(2010, 1, 1), D(2026, 1, 1))]
    assert fresh(t.s).name_on(REFORM) == "Chi bộ bản Đông Sàn"


def test_nothing_is_moved_under_a_dissolved_organization(t):
    dissolve_organization(organization=t.s, on=D(2024, 1, 1))
    merge_organizations(source=t.n, into=t.c, on=D(2024, 6, 1))
    before = (versions(t.l), journal())

    with translation.override("en"), pytest.raises(TreeError) as error:
        move_organization(organization=t.l, new_parent=fresh(t.n), on=REFORM)

    assert str(error.value) == "Đảng bộ xã Nà Bó was dissolved on 01/06/2024."
    assert (versions(t.l), journal()) == before
    assert parent_of(t.l) == fresh(t.c)


# --- dissolutions --------------------------------------------------------------


def test_dissolve_closes_the_version_and_dates_the_event(t):
    user = UserFactory()
    dissolved = dissolve_organization(organization=t.s, on=REFORM, by=user, decision="QĐ 7")

    assert dissolved.dissolved_on == REFORM
    assert versions(t.s) == [("Chi bộ bản Đông Sàn", "n", D(2010, 1, 1), REFORM)]
    event = dissolved.reorganizations.get(kind=ReorganizationKind.DISSOLVED)
    assert (event.target, event.old_name, event.recorded_by, event.decision) == (
        None,
        "Chi bộ bản Đông Sàn",
        user,
        "QĐ 7",
    )
    assert fresh(t.s).is_active_on(D(2025, 6, 30)) is True
    assert fresh(t.s).is_active_on(REFORM) is False
    assert list(Organization.objects.active(REFORM).filter(code="s")) == []
    assert list(Organization.objects.active(D(2025, 6, 30)).filter(code="s")) == [fresh(t.s)]
    # Nodes are never deleted: it keeps its place.
    assert parent_of(t.s) == t.n


def test_dissolving_twice_is_refused(t):
    dissolve_organization(organization=t.s, on=REFORM)

    with pytest.raises(TreeError):
        dissolve_organization(organization=fresh(t.s), on=D(2026, 1, 1))
    assert fresh(t.s).dissolved_on == REFORM
    assert fresh(t.s).reorganizations.filter(kind=ReorganizationKind.DISSOLVED).count() == 1


def test_dissolve_with_children_names_their_number(t):
    with translation.override("en"), pytest.raises(TreeError) as error:
        dissolve_organization(organization=t.c, on=REFORM)

    assert str(error.value) == "Move or dissolve its 2 organizations first."
    assert fresh(t.c).dissolved_on is None
    assert versions(t.c)[-1][3] is None


def test_children_dissolved_earlier_do_not_block_the_parent(t):
    dissolve_organization(organization=t.l, on=D(2024, 1, 1))
    dissolve_organization(organization=t.t, on=D(2024, 1, 1))

    dissolve_organization(organization=t.c, on=REFORM)

    assert fresh(t.c).dissolved_on == REFORM


def test_a_child_dissolved_the_same_day_does_not_block_the_parent(t):
    dissolve_organization(organization=t.s, on=REFORM)

    dissolve_organization(organization=t.n, on=REFORM)

    assert fresh(t.n).dissolved_on == REFORM


def test_a_child_dissolved_later_still_blocks_the_parent(t):
    dissolve_organization(organization=t.s, on=D(2026, 1, 1))

    with pytest.raises(TreeError):
        dissolve_organization(organization=t.n, on=REFORM)
    assert fresh(t.n).dissolved_on is None


@pytest.mark.parametrize("day", [D(2010, 1, 1), D(2009, 6, 1)])
def test_dissolving_on_or_before_the_current_versions_start_is_refused(t, day):
    # A version may not end before it began: the tree of any date would lose it.
    before = (versions(t.s), journal())

    with translation.override("en"), pytest.raises(TreeError) as error:
        dissolve_organization(organization=t.s, on=day)

    assert str(error.value) == "The date must be after 01/01/2010."
    assert (versions(t.s), journal()) == before
    assert fresh(t.s).dissolved_on is None


def test_dissolving_before_a_rename_is_refused(t):
    rename_organization(organization=t.s, name="Chi bộ bản Sàn", on=REFORM)

    with pytest.raises(TreeError):
        dissolve_organization(organization=fresh(t.s), on=D(2025, 1, 1))

    assert versions(t.s)[-1] == ("Chi bộ bản Sàn", "n", REFORM, None)


# --- merges --------------------------------------------------------------------


def test_merge_moves_the_live_children_and_closes_the_source(t):
    dissolve_organization(organization=t.t, on=D(2024, 1, 1))
    user = UserFactory()

    merged = merge_organizations(source=t.c, into=t.n, on=REFORM, by=user, decision="NQ 12")

    assert merged.dissolved_on == REFORM
    assert parent_of(t.l) == fresh(t.n)
    # The cell dissolved before stays where it was.
    assert parent_of(t.t) == fresh(t.c)
    assert versions(t.l) == [
        ("Chi bộ bản Lếch", "c", D(2010, 1, 1), REFORM),
        ("Chi bộ bản Lếch", "n", REFORM, None),
    ]
    events = list(
        Reorganization.objects.filter(date=REFORM)
        .order_by("id")
        .values_list("kind", "organization__code", "target__code", "decision", "recorded_by")
    )
    assert events == [
        ("moved", "l", "n", "NQ 12", user.pk),
        ("merged", "c", "n", "NQ 12", user.pk),
    ]


def test_merge_into_itself_is_refused(t):
    with translation.override("en"), pytest.raises(TreeError) as error:
        merge_organizations(source=t.c, into=fresh(t.c), on=REFORM)

    assert str(error.value) == "An organization cannot be merged into itself."
    assert fresh(t.c).dissolved_on is None


def test_merge_into_its_own_child_is_refused_and_rolled_back(t):
    before = (versions(t.l), versions(t.t), journal())

    with pytest.raises(TreeError):
        merge_organizations(source=t.c, into=t.l, on=REFORM)

    assert (versions(t.l), versions(t.t), journal()) == before
    assert fresh(t.c).dissolved_on is None


def test_merge_into_a_dissolved_organization_is_refused(t):
    dissolve_organization(organization=t.s, on=D(2024, 1, 1))
    merge_organizations(source=t.n, into=t.c, on=D(2024, 6, 1))
    before = journal()

    with translation.override("en"), pytest.raises(TreeError) as error:
        merge_organizations(source=t.d, into=fresh(t.n), on=REFORM)

    assert str(error.value) == "Đảng bộ xã Nà Bó was dissolved on 01/06/2024."
    assert journal() == before
    assert fresh(t.d).dissolved_on is None


def test_a_failed_move_in_a_merge_rolls_back_the_moves_before_it(t):
    # T's current version starts after the merge date, so moving T fails
    # after L was already moved: nothing of the merge may remain.
    rename_organization(organization=t.t, name="Chi bộ tiểu khu Mới", on=D(2026, 1, 1))
    before = (versions(t.l), versions(t.t), journal())

    with pytest.raises(TreeError):
        merge_organizations(source=t.c, into=t.n, on=REFORM)

    assert (versions(t.l), versions(t.t), journal()) == before
    assert parent_of(t.l) == t.c
    assert fresh(t.c).dissolved_on is None


def test_abolishing_the_district_level_as_in_2025(t):
    merge_organizations(source=t.d, into=t.p, on=REFORM, decision="294-QĐ/TW")

    assert flat(tree_on(D(2025, 6, 30))) == [
        "Đảng bộ tỉnh Sơn La",
        "  Đảng bộ huyện Mai Sơn",
        "    Đảng bộ xã Cò Nòi",
        "      Chi bộ bản Lếch",
        "      Chi bộ tiểu khu Cò Nòi",
        "    Đảng bộ xã Nà Bó",
        "      Chi bộ bản Đông Sàn",
    ]
    assert flat(tree_on(REFORM)) == [
        "Đảng bộ tỉnh Sơn La",
        "  Đảng bộ xã Cò Nòi",
        "    Chi bộ bản Lếch",
        "    Chi bộ tiểu khu Cò Nòi",
        "  Đảng bộ xã Nà Bó",
        "    Chi bộ bản Đông Sàn",
    ]
    assert [k for k, *_ in journal()[-3:]] == ["moved", "moved", "merged"]


# --- the tree of a date ----------------------------------------------------------


def test_tree_on_a_day_before_a_founding_leaves_the_organization_out(t):
    create_organization(
        parent=t.c, founded_on=D(2020, 1, 1), code="late", name="Chi bộ bản Muộn", kind="cell"
    )

    assert "      Chi bộ bản Muộn" not in flat(tree_on(D(2019, 12, 31)))
    assert "      Chi bộ bản Muộn" in flat(tree_on(D(2020, 1, 1)))


def test_tree_on_with_a_root_is_that_subtree_or_nothing(t):
    assert flat(tree_on(REFORM, root=t.c)) == [
        "Đảng bộ xã Cò Nòi",
        "  Chi bộ bản Lếch",
        "  Chi bộ tiểu khu Cò Nòi",
    ]
    dissolve_organization(organization=t.s, on=D(2024, 1, 1))
    assert tree_on(REFORM, root=t.s) == []


def test_tree_on_is_one_query_whatever_its_size(t, django_assert_num_queries):
    for n in range(5):
        CellFactory(parent=t.n, name=f"Chi bộ bản Thêm {n}")

    with django_assert_num_queries(1):
        nodes = tree_on(REFORM)

    assert len(flat(nodes)) == 12


def test_historic_level_starts_at_the_visible_nodes_whose_parent_then_is_hidden(t):
    seen = Organization.objects.filter(pk__in=[t.l.pk, t.t.pk, t.s.pk, t.n.pk])

    roots = historic_level(REFORM, seen)
    below = historic_level(REFORM, seen, parent=t.n)

    assert [(v.name, v.has_children) for v in roots] == [
        ("Chi bộ bản Lếch", False),
        ("Chi bộ tiểu khu Cò Nòi", False),
        ("Đảng bộ xã Nà Bó", True),
    ]
    assert [v.name for v in below] == ["Chi bộ bản Đông Sàn"]
    assert list(historic_level(REFORM, Organization.objects.none())) == []


# --- details ---------------------------------------------------------------------


def test_details_change_writes_history_but_no_event(t):
    user = UserFactory()
    events = journal()

    update_organization_details(
        organization=fresh(t.l), by=user, meeting_day=24, meeting_place="Nhà văn hóa bản"
    )

    cell = fresh(t.l)
    assert (cell.meeting_day, cell.meeting_place) == (24, "Nhà văn hóa bản")
    assert journal() == events
    assert versions(t.l) == [("Chi bộ bản Lếch", "c", D(2010, 1, 1), None)]
    assert cell.history.first().history_user == user


@pytest.mark.parametrize("field", ["name", "kind", "parent", "dissolved_on", "founded_on"])
def test_details_refuse_what_only_a_reorganization_changes(t, field):
    with pytest.raises(ValueError, match=f"Not a detail of an organization: {field}"):
        update_organization_details(organization=fresh(t.l), by=None, **{field: None})
    assert fresh(t.l).name == "Chi bộ bản Lếch"


def test_reorganization_and_version_text(t):
    rename_organization(organization=t.c, name="Đảng bộ xã Mai Sơn", on=REFORM)

    with translation.override("en"):
        event = fresh(t.c).reorganizations.get(kind=ReorganizationKind.RENAMED)
        assert str(event) == "01/07/2025 renamed: Đảng bộ xã Mai Sơn"
    assert [str(v) for v in OrganizationVersion.objects.filter(organization=t.c)] == [
        "Đảng bộ xã Cò Nòi (2010-01-01 – 2025-07-01)",
        "Đảng bộ xã Mai Sơn (2025-07-01 – …)",
    ]
