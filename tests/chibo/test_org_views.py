import datetime

import pytest
from django.urls import reverse

from chibo.models import Organization, Reorganization
from tests.factories import (
    CellFactory,
    MemberFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    district = OrganizationFactory(kind="district", name="Đảng bộ huyện Mai Sơn")
    for commune_name in ("Đảng bộ xã Cò Nòi", "Đảng bộ xã Nà Bó"):
        commune = OrganizationFactory(parent=district, name=commune_name)
        for _ in range(2):
            MemberFactory.create_batch(3, cell=CellFactory(parent=commune))
    return district


@pytest.fixture
def staff(client, district):
    user = UserFactory()
    RoleFactory(user=user, organization=district, kind="staff")
    client.force_login(user)
    return user


def test_tree_counts_cells_and_members_per_node(client, staff, district):
    response = client.get(reverse("organization_tree"))

    (root,) = response.context["rows"]
    assert (root.organization, root.cells, root.members) == (district, 4, 12)
    assert "4 chi bộ, 12 đảng viên" in response.content.decode()
    branch = client.get(
        reverse("organization_children", args=[district.pk]), headers={"HX-Request": "true"}
    )
    assert [(c.cells, c.members) for c in branch.context["rows"]] == [(2, 6), (2, 6)]
    assert branch.content.decode().count("2 chi bộ, 6 đảng viên") == 2


@pytest.mark.parametrize("cells", [1, 6])
def test_tree_query_count_does_not_grow(client, staff, district, cells, django_assert_num_queries):
    commune = Organization.objects.get(name="Đảng bộ xã Nà Bó")
    CellFactory.create_batch(cells, parent=commune)

    with django_assert_num_queries(11):
        client.get(reverse("organization_tree"))


def test_tree_of_an_earlier_date_shows_the_names_of_then(client, staff, district):
    commune = Organization.objects.get(name="Đảng bộ xã Cò Nòi")
    client.post(
        reverse("organization_reorganize", args=[commune.pk]),
        {
            "action": "rename",
            "date": "2025-07-01",
            "new_name": "Đảng bộ xã Mai Sơn",
        },
    )

    then = client.get(
        reverse("organization_tree"), {"on": "2025-06-30", "open": district.pk}
    ).content.decode()
    now = client.get(reverse("organization_tree"), {"open": district.pk}).content.decode()

    assert "Đảng bộ xã Cò Nòi" in then and "Đảng bộ xã Mai Sơn" not in then
    assert "Đảng bộ xã Mai Sơn" in now
    assert Reorganization.objects.filter(kind="renamed", organization=commune).count() == 1


def test_reorganize_refuses_a_bad_move_with_a_message(client, staff, district):
    commune = Organization.objects.get(name="Đảng bộ xã Cò Nòi")

    response = client.post(
        reverse("organization_reorganize", args=[commune.pk]),
        {
            "action": "move",
            "date": "2025-07-01",
        },
    )

    assert response.status_code == 200
    assert "Hãy chọn tổ chức cấp trên mới." in response.content.decode()


def test_dissolving_a_commune_with_cells_is_refused(client, staff, district):
    commune = Organization.objects.get(name="Đảng bộ xã Cò Nòi")

    response = client.post(
        reverse("organization_reorganize", args=[commune.pk]),
        {
            "action": "dissolve",
            "date": "2025-07-01",
        },
    )

    commune.refresh_from_db()
    assert "Cần chuyển hoặc giải thể 2 tổ chức trực thuộc trước." in response.content.decode()
    assert commune.dissolved_on is None


def test_cell_page_lists_members_and_schedule(client, staff, district):
    cell = Organization.objects.cells().first()
    Organization.objects.filter(pk=cell.pk).update(meeting_day=24)

    response = client.get(reverse("organization_detail", args=[cell.pk]))

    body = response.content.decode()
    assert "ngày 24 hằng tháng" in body
    assert len(response.context["members"]) == 3


def test_cell_schedule_edit_validates(client, staff, district):
    cell = Organization.objects.cells().first()

    response = client.post(
        reverse("organization_edit", args=[cell.pk]),
        {
            "code": cell.code,
            "meeting_day": 32,
            "meeting_time": "19:30",
            "meeting_week": 2,
        },
    )

    form = response.context["form"]
    assert "meeting_day" in form.errors
    assert "Để sinh hoạt vào thứ cố định" in " ".join(form.non_field_errors())


def test_dashboard_shows_a_card_per_role(client, district):
    user = UserFactory()
    RoleFactory(user=user, organization=district, kind="staff")
    RoleFactory(user=user, organization=Organization.objects.cells().first(), kind="secretary")
    client.force_login(user)

    response = client.get(reverse("dashboard"))

    assert [c.role.kind for c in response.context["cards"]] == ["secretary", "staff"]


def test_dashboard_without_role_says_so(client):
    client.force_login(UserFactory())

    response = client.get(reverse("dashboard"))

    assert "chưa được phân quyền" in response.content.decode()


def test_health_reports_database(client):
    response = client.get(reverse("health"))

    assert response.json() == {"database": "ok"}


def test_dates_are_shown_day_first(client, staff, district):
    commune = Organization.objects.get(name="Đảng bộ xã Cò Nòi")
    Organization.objects.filter(pk=commune.pk).update(dissolved_on=datetime.date(2025, 7, 1))

    response = client.get(reverse("organization_detail", args=[commune.pk]))

    assert "01/07/2025" in response.content.decode()


def test_organization_edit_get_changes_nothing(client, staff, district):
    cell = Organization.objects.cells().first()
    rows = Organization.objects.count(), Organization.history.count()

    response = client.get(reverse("organization_edit", args=[cell.pk]))

    assert response.status_code == 200
    assert (Organization.objects.count(), Organization.history.count()) == rows


def test_organization_edit_saves_through_the_service_with_its_user(client, staff, district):
    cell = Organization.objects.cells().first()

    response = client.post(
        reverse("organization_edit", args=[cell.pk]),
        {"code": cell.code, "place_name": "Cò Nòi", "meeting_day": 24, "meeting_time": "19:30"},
    )

    assert response.status_code == 302
    cell.refresh_from_db()
    assert (cell.place_name, cell.meeting_day) == ("Cò Nòi", 24)
    assert cell.history.first().history_user == response.wsgi_request.user
