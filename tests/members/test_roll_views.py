"""The roll's pages: list filters, a member's record, who may add and edit, messages."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from chibo.models import Organization
from members.models import Member, TemporaryAttendance, Transfer
from members.services import transfer_member
from tests.factories import (
    AssignmentFactory,
    CellFactory,
    CommitteeSeatFactory,
    MemberFactory,
    OrganizationFactory,
    PositionFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune():
    return OrganizationFactory(name="Đảng bộ xã Cò Nòi")


@pytest.fixture
def lech(commune):
    return CellFactory(parent=commune, name="Chi bộ bản Lếch")


@pytest.fixture
def dong_san(commune):
    return CellFactory(parent=commune, name="Chi bộ bản Đông Sàn")


@pytest.fixture
def staff(client, commune):
    user = UserFactory(username="vanphong")
    RoleFactory(user=user, organization=commune, kind="staff")
    client.force_login(user)
    return user


def listed(client, **query) -> list[str]:
    response = client.get(reverse("member_list"), query)
    assert response.status_code == 200
    return [m.full_name for m in response.context["page_obj"]]


def test_member_list_filters_by_cell(client, staff, lech, dong_san):
    MemberFactory(cell=lech, full_name="Lò Văn An")
    MemberFactory(cell=dong_san, full_name="Cầm Thị Bình")

    assert listed(client, cell=dong_san.pk) == ["Cầm Thị Bình"]
    assert listed(client) == ["Cầm Thị Bình", "Lò Văn An"]


def test_member_list_cell_choices_are_the_users_cells(client, staff, lech, dong_san):
    CellFactory(name="Chi bộ ngoài phạm vi")

    response = client.get(reverse("member_list"))

    choices = list(response.context["filter"].form.fields["cell"].queryset)
    assert choices == [lech, dong_san]  # in the tree's order
    assert "Chi bộ ngoài phạm vi" not in response.content.decode()


def test_member_list_filters_exempted_and_away(client, staff, lech):
    MemberFactory(cell=lech, full_name="Lò Văn An")
    MemberFactory(cell=lech, full_name="Quàng Văn Ốm", exempt=True)
    MemberFactory(cell=lech, full_name="Vì Văn Xa", is_away_for_work=True)

    assert listed(client, is_exempt="true") == ["Quàng Văn Ốm"]
    assert listed(client, is_away_for_work="true") == ["Vì Văn Xa"]
    assert listed(client, is_exempt="false", is_away_for_work="false") == ["Lò Văn An"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dang quoc", ["Đặng Quốc Hưng"]),
        ("ĐẶNG", ["Đặng Quốc Hưng"]),
        ("thi", ["Cầm Thị Bình"]),
        ("9300", ["Cầm Thị Bình", "Đặng Quốc Hưng"]),  # a card number's beginning
        ("93001", ["Đặng Quốc Hưng"]),
        ("  ", ["Cầm Thị Bình", "Đặng Quốc Hưng"]),
        ("không có ai", []),
    ],
)
def test_member_list_search_by_folded_name_or_card(client, staff, lech, query, expected):
    MemberFactory(cell=lech, full_name="Đặng Quốc Hưng", party_card_number="93001234")
    MemberFactory(cell=lech, full_name="Cầm Thị Bình", party_card_number="93000001")

    assert listed(client, q=query) == expected


def test_member_list_offers_add_only_to_those_who_keep_a_roll(client, lech):
    deputy = UserFactory()
    RoleFactory(user=deputy, organization=lech, kind="deputy")
    client.force_login(deputy)

    response = client.get(reverse("member_list"))

    assert response.context["may_add"] is False
    assert reverse("member_create") not in response.content.decode()


def test_member_detail_shows_the_whole_record(client, staff, commune, lech, dong_san):
    member = MemberFactory(
        cell=lech, full_name="Lò Văn Thanh", phone="0912345678", exempt=True, is_away_for_work=True
    )
    PositionFactory(member=member, cell=lech, kind="secretary", starts_on=datetime.date(2020, 1, 1))
    CommitteeSeatFactory(member=member, organization=commune, starts_on=datetime.date(2021, 1, 1))
    transfer_member(member=member, to_cell=dong_san, on=datetime.date(2026, 1, 5), reason="Chuyển")
    TemporaryAttendance.objects.create(
        member=member, host_cell=lech, starts_on=datetime.date(2026, 2, 1)
    )

    response = client.get(reverse("member_detail", args=[member.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["may_edit"] is True
    assert reverse("member_edit", args=[member.pk]) in page
    for text in [
        "Bí thư, Chi bộ bản Lếch (01/01/2020 – nay)",
        "Ban Thường vụ, Đảng bộ xã Cò Nòi (01/01/2021 – nay)",
        "05/01/2026: Chi bộ bản Lếch → Chi bộ bản Đông Sàn (Chuyển)",
        "Chi bộ bản Lếch (01/02/2026 – nay)",
        'href="tel:0912345678"',
        "Tuổi cao, sức yếu (01/01/2024)",
    ]:
        assert text in page, text


def test_member_detail_read_only_for_the_cells_cadre(client, commune, lech):
    cadre_user = UserFactory()
    RoleFactory(user=cadre_user, organization=commune, kind="cadre")
    AssignmentFactory(cadre=MemberFactory(user=cadre_user), cell=lech)
    member = MemberFactory(cell=lech)
    client.force_login(cadre_user)

    response = client.get(reverse("member_detail", args=[member.pk]))

    assert response.context["may_edit"] is False
    assert reverse("member_edit", args=[member.pk]) not in response.content.decode()


def test_member_detail_history_names_who_changed_it(client, staff, lech):
    staff.first_name, staff.last_name = "Hoàng Thị Thu", "Hà"
    staff.save()
    data = {
        "full_name": "Lò Văn Thanh",
        "cell": lech.pk,
        "status": "probationary",
        "joined_on": "2025-06-01",
    }
    created = client.post(reverse("member_create"), data)
    member = Member.objects.get()

    response = client.get(created["Location"])

    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "Đã lưu hồ sơ Lò Văn Thanh."
    ]
    assert "Hoàng Thị Thu Hà" in response.content.decode()
    assert member.history.get().history_user == staff


def test_member_create_is_refused_to_a_deputy(client, lech):
    deputy = UserFactory()
    RoleFactory(user=deputy, organization=lech, kind="deputy")
    client.force_login(deputy)

    assert client.get(reverse("member_create")).status_code == 403
    assert client.post(reverse("member_create"), {"full_name": "X"}).status_code == 403
    assert Member.objects.count() == 0


def test_member_edit_into_a_dissolved_cell_is_refused(client, staff, commune, lech):
    closed = CellFactory(parent=commune, name="Chi bộ bản Cũ")
    member = MemberFactory(cell=lech, full_name="Lò Văn Thanh")
    data = {
        "full_name": "Lò Văn Thanh",
        "cell": closed.pk,
        "status": "official",
        "party_card_number": member.party_card_number,
        "joined_on": "2005-03-03",
        "official_on": "2006-03-03",
    }
    Organization.objects.filter(pk=closed.pk).update(dissolved_on=datetime.date.today())
    # Dissolved since the form was shown: no longer a choice.
    response = client.post(reverse("member_edit", args=[member.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors["cell"] == [
        "Lựa chọn này không nằm trong phạm vi bạn được chọn; hãy tìm lại."
    ]
    assert Member.objects.get(pk=member.pk).cell == lech
    assert Transfer.objects.count() == 0
