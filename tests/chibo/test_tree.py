import datetime

import pytest

from chibo.models import Organization, ReorganizationKind
from chibo.tree import (
    TreeError,
    create_organization,
    dissolve_organization,
    merge_organizations,
    move_organization,
    rename_organization,
    tree_on,
    update_organization_details,
)
from members.services import MemberError, dissolve_cell
from tests.factories import CellFactory, MemberFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def reform():
    """A province with a district and its commune, as before 1 July 2025."""
    province = OrganizationFactory(kind="province", name="Đảng bộ tỉnh Sơn La")
    district = OrganizationFactory(parent=province, kind="district", name="Đảng bộ huyện Mai Sơn")
    commune = OrganizationFactory(parent=district, name="Đảng bộ xã Cò Nòi")
    cell = CellFactory(parent=commune, name="Chi bộ bản Lếch")
    return province, district, commune, cell


def names(nodes):
    out = []
    for node in nodes:
        out.append(node.name)
        out.extend(names(node.children))
    return out


def test_subtree_is_one_query(reform, django_assert_num_queries):
    province, *_ = reform
    with django_assert_num_queries(1):
        assert len(list(province.subtree())) == 4


def test_district_abolished_keeps_tree_of_then(reform):
    province, district, commune, cell = reform

    merge_organizations(source=district, into=province, on=D(2025, 7, 1))

    before = names(tree_on(D(2025, 6, 30)))
    after = names(tree_on(D(2025, 7, 1)))
    assert "Đảng bộ huyện Mai Sơn" in before
    assert "Đảng bộ huyện Mai Sơn" not in after
    assert Organization.objects.get_parent(Organization.objects.get(pk=commune.pk)) == province
    assert Organization.objects.get_parent(Organization.objects.get(pk=cell.pk)).pk == commune.pk
    assert district.reorganizations.first().kind == ReorganizationKind.MERGED


def test_rename_keeps_the_earlier_name_for_earlier_dates(reform):
    *_, commune, _ = reform

    rename_organization(organization=commune, name="Đảng bộ xã Mai Sơn", on=D(2025, 7, 1))

    commune.refresh_from_db()
    assert commune.name == "Đảng bộ xã Mai Sơn"
    assert commune.name_on(D(2025, 6, 1)) == "Đảng bộ xã Cò Nòi"
    assert commune.name_on(D(2025, 7, 1)) == "Đảng bộ xã Mai Sơn"
    assert commune.search_name == "dang bo xa mai son"


def test_rename_before_the_current_version_is_refused(reform):
    *_, commune, _ = reform
    rename_organization(organization=commune, name="X", on=D(2025, 7, 1))

    with pytest.raises(TreeError):
        rename_organization(organization=commune, name="Y", on=D(2025, 1, 1))


def test_cannot_move_under_itself_or_a_cell(reform):
    province, district, commune, cell = reform

    with pytest.raises(TreeError):
        move_organization(organization=district, new_parent=commune, on=D(2025, 7, 1))
    with pytest.raises(TreeError):
        move_organization(organization=commune, new_parent=cell, on=D(2025, 7, 1))


def test_dissolving_with_live_children_is_refused(reform):
    _, district, *_ = reform

    with pytest.raises(TreeError):
        dissolve_organization(organization=district, on=D(2025, 7, 1))


def test_dissolve_cell_moves_members_and_keeps_history(reform):
    *_, commune, cell = reform
    agency = CellFactory(parent=commune, name="Chi bộ Cơ quan xã")
    village = CellFactory(parent=commune, name="Chi bộ bản Nà Hạ")
    a, b = MemberFactory(cell=agency), MemberFactory(cell=agency)

    dissolve_cell(cell=agency, destinations={a.pk: village, b.pk: cell}, on=D(2019, 9, 1))

    a.refresh_from_db(), b.refresh_from_db(), agency.refresh_from_db()
    assert (a.cell, b.cell) == (village, cell)
    assert agency.dissolved_on == D(2019, 9, 1)
    assert a.transfers.get().from_cell == agency
    assert not agency.is_active_on(D(2019, 9, 1))
    assert agency.is_active_on(D(2019, 8, 31))


def test_dissolve_cell_needs_a_destination_for_every_member(reform):
    *_, commune, cell = reform
    agency = CellFactory(parent=commune)
    MemberFactory(cell=agency, full_name="Lò Văn Pấng")

    with pytest.raises(MemberError, match="Lò Văn Pấng"):
        dissolve_cell(cell=agency, destinations={}, on=D(2019, 9, 1))
    agency.refresh_from_db()
    assert agency.dissolved_on is None


def test_cell_cannot_contain_organizations(reform):
    *_, cell = reform
    with pytest.raises(TreeError):
        OrganizationFactory(parent=cell)


def test_update_organization_details_refuses_a_reorganization_field():
    root = create_organization(parent=None, code="p", name="Tỉnh", kind="province")

    with pytest.raises(ValueError, match="Not a detail of an organization: name"):
        update_organization_details(organization=root, by=None, name="Khác")

    update_organization_details(organization=root, by=None, place_name="Sơn La")
    root.refresh_from_db()
    assert (root.name, root.place_name) == ("Tỉnh", "Sơn La")
