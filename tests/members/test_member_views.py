import datetime

import pytest
from django.urls import reverse

from chibo.models import Organization
from members.models import Member, Transfer
from tests.factories import CellFactory, MemberFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cell():
    return CellFactory(name="Chi bộ bản Lếch")


@pytest.fixture
def secretary(client, cell):
    user = UserFactory()
    RoleFactory(user=user, organization=cell, kind="secretary")
    client.force_login(user)
    return user


def valid_data(cell, **changes):
    data = {
        "full_name": "Lò Văn  Thanh",
        "gender": "male",
        "birth_date": "1980-05-02",
        "cell": cell.pk,
        "status": "official",
        "party_card_number": "12345678",
        "joined_on": "2005-03-03",
        "official_on": "2006-03-03",
        "phone": "",
    }
    return {**data, **changes}


def test_create_member_saves_and_redirects(client, secretary, cell):
    response = client.post(reverse("member_create"), valid_data(cell))

    member = Member.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("member_detail", args=[member.pk])
    assert member.full_name == "Lò Văn Thanh"
    assert member.history.get().history_user == secretary


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"official_on": ""}, "official_on", "ngày trở thành đảng viên chính thức"),
        ({"official_on": "2004-01-01"}, "official_on", "không thể trước ngày vào Đảng"),
        ({"joined_on": "2090-01-01", "official_on": ""}, "joined_on", "trong tương lai"),
        ({"birth_date": "1995-01-01"}, "joined_on", "từ 18 tuổi"),
        ({"birth_date": "31/02/1980"}, "birth_date", "Nhập một ngày hợp lệ"),
        ({"full_name": ""}, "full_name", "bắt buộc"),
        ({"is_exempt": "on"}, "exempt_reason", "lý do miễn sinh hoạt"),
    ],
)
def test_create_member_rejects_bad_input_in_vietnamese(
    client, secretary, cell, changes, field, message
):
    response = client.post(reverse("member_create"), valid_data(cell, **changes))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Member.objects.count() == 0
    assert "Lò Văn  Thanh" in response.content.decode() or changes.get("full_name") == ""


def test_duplicate_card_number_is_refused(client, secretary, cell):
    MemberFactory(cell=cell, party_card_number="12345678")

    response = client.post(reverse("member_create"), valid_data(cell))

    assert "Số thẻ đảng viên này đã có" in response.content.decode()
    assert Member.objects.count() == 1


def test_cell_choices_are_limited_to_scope(client, secretary, cell):
    other = CellFactory()

    response = client.post(reverse("member_create"), valid_data(other))

    assert "cell" in response.context["form"].errors
    assert Member.objects.count() == 0


def test_changing_cell_records_a_transfer(client, cell):
    staff = UserFactory()
    RoleFactory(user=staff, organization=Organization.objects.get_parent(cell), kind="staff")
    target = CellFactory(parent=Organization.objects.get_parent(cell))
    member = MemberFactory(cell=cell)
    client.force_login(staff)

    data = valid_data(
        target, full_name=member.full_name, party_card_number=member.party_card_number
    )
    client.post(reverse("member_edit", args=[member.pk]), data)

    transfer = Transfer.objects.get()
    assert (transfer.from_cell, transfer.to_cell, transfer.recorded_by) == (cell, target, staff)
    assert transfer.date == datetime.date.today()


def test_member_list_search_without_diacritics(client, secretary, cell):
    MemberFactory(cell=cell, full_name="Nguyễn Văn Thọ")
    MemberFactory(cell=cell, full_name="Lò Thị Đức")

    response = client.get(reverse("member_list"), {"q": "nguyen van"})

    assert [m.full_name for m in response.context["page_obj"]] == ["Nguyễn Văn Thọ"]


def test_member_list_filters_by_status_and_paginates(client, secretary, cell):
    MemberFactory.create_batch(30, cell=cell)
    MemberFactory.create_batch(2, cell=cell, probationary=True)

    first = client.get(reverse("member_list"))
    probationary = client.get(reverse("member_list"), {"status": "probationary"})

    assert first.context["page_obj"].paginator.count == 32
    assert len(first.context["page_obj"]) == 25
    assert probationary.context["page_obj"].paginator.count == 2


@pytest.mark.parametrize("n", [1, 20])
def test_member_list_query_count_is_constant(client, secretary, cell, n, django_assert_num_queries):
    MemberFactory.create_batch(n, cell=cell)
    client.get(reverse("member_list"))  # warm the session

    # The page's ids, then its rows by id (chibo.pagination's ids_first).
    with django_assert_num_queries(8):
        response = client.get(reverse("member_list"))

    assert response.status_code == 200
