"""Importing organizations matches on code and warns about a name already used under the parent."""

import datetime

import pytest
from django.urls import reverse

from chibo.models import Organization
from chibo.tree import create_organization
from members.xlsx.organizations import import_organizations
from tests.factories import OrganizationFactory, RoleFactory
from tests.members.test_xlsx import ORG_HEADERS, xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TOWN = "Đảng bộ thị trấn Hương Khê"


@pytest.fixture
def province():
    return OrganizationFactory(code="ha-tinh", name="Đảng bộ tỉnh Hà Tĩnh", kind="province")


@pytest.fixture
def town(province):
    return OrganizationFactory(parent=province, code="huong-khe", name=TOWN)


@pytest.fixture
def staff(province):
    return RoleFactory(organization=province, kind="staff").user


def org_row(code, name, parent="ha-tinh", kind="Đảng bộ xã"):
    return [code, name, kind, parent, "", "", "", ""]


def test_a_new_code_with_a_name_already_under_the_parent_is_created_with_a_warning(town, staff):
    file = xlsx([org_row("tt-huong-khe", "Đảng bộ thị trấn  hương khê")], headers=ORG_HEADERS)

    result = import_organizations(file=file, user=staff)

    assert (result.created, result.errors) == (1, [])
    assert [(w.row, w.column, w.message) for w in result.warnings] == [
        (
            2,
            "Tên",
            "An organization of this name already exists under the same parent, with the code "
            "huong-khe. If it is the same one, write its code to update it instead of creating "
            "another.",
        )
    ]


def test_the_existing_code_matches_the_town_and_creates_nothing(town, staff):
    file = xlsx([org_row("huong-khe", TOWN)], headers=ORG_HEADERS)

    result = import_organizations(file=file, user=staff)

    assert (result.created, result.unchanged, result.errors, result.warnings) == (0, 1, [], [])
    assert Organization.objects.filter(name=TOWN).count() == 1


def test_two_new_rows_of_one_name_under_one_parent_are_warned(town, staff):
    file = xlsx(
        [
            org_row("xa-moi", "Đảng bộ xã Mới"),
            org_row("thon-1", "Chi bộ thôn 1", parent="xa-moi", kind="Chi bộ"),
            org_row("thon-1b", "Chi bộ Thôn 1", parent="xa-moi", kind="Chi bộ"),
            org_row("thon-1c", "Chi bộ thôn 1", parent="huong-khe", kind="Chi bộ"),
        ],
        headers=ORG_HEADERS,
    )

    result = import_organizations(file=file, user=staff)

    assert (result.created, result.errors) == (4, [])
    assert [(w.row, w.column, w.message) for w in result.warnings] == [
        (4, "Tên", "Row 3 creates an organization of the same name under the same parent.")
    ]


def test_a_dissolved_namesake_or_one_under_another_parent_is_not_warned(province, staff):
    other = OrganizationFactory(code="can-loc", name="Đảng bộ huyện Can Lộc", kind="district")
    OrganizationFactory(parent=other, code="hk-khac", name=TOWN)
    old = create_organization(
        parent=province, code="huong-khe-cu", name=TOWN, kind="commune", by=None
    )
    Organization.objects.filter(pk=old.pk).update(dissolved_on=datetime.date(2025, 7, 1))
    file = xlsx([org_row("tt-huong-khe", TOWN)], headers=ORG_HEADERS)

    result = import_organizations(file=file, user=staff)

    assert (result.created, result.errors, result.warnings) == (1, [], [])


def test_organization_import_page_shows_the_warning_after_import(client, town, staff, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(staff)
    file = xlsx([org_row("tt-huong-khe", TOWN)], headers=ORG_HEADERS)

    response = client.post(reverse("organization_import"), {"file": file})

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["1 created, 0 updated."]
    page = response.content.decode()
    assert "The file was imported with 1 warning" in page
    assert "with the code huong-khe" in page
    assert reverse("organization_tree") in page
