import pytest
from django.contrib.auth.models import User
from django.utils import translation

from chibo.models import Organization
from chibo.text import display_name, fold
from members.models import Member
from tests.factories import CellFactory, MemberFactory, OrganizationFactory


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nguyễn Văn Thọ", "nguyen van tho"),
        ("ĐỨC THỌ", "duc tho"),
        ("Đảng bộ xã Cò Nòi", "dang bo xa co noi"),
        ("  Lò   Thị  Ơn ", "lo thi on"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_strips_diacritics_case_and_spaces(text, folded):
    assert fold(text) == folded


@pytest.mark.django_db
def test_member_search_ignores_diacritics_and_case():
    cell = CellFactory()
    MemberFactory(cell=cell, full_name="Nguyễn Văn Thọ")
    MemberFactory(cell=cell, full_name="Lò Thị Đức")

    assert [m.full_name for m in Member.objects.search("nguyen van")] == ["Nguyễn Văn Thọ"]
    assert [m.full_name for m in Member.objects.search("DUC")] == ["Lò Thị Đức"]
    assert [m.full_name for m in Member.objects.search("đức")] == ["Lò Thị Đức"]


@pytest.mark.django_db
def test_organization_search_ignores_diacritics():
    OrganizationFactory(name="Đảng bộ huyện Đức Thọ", kind="district")
    OrganizationFactory(name="Đảng bộ xã Đức Lâm")

    found = Organization.objects.search("duc tho")

    assert [o.name for o in found] == ["Đảng bộ huyện Đức Thọ"]


def test_display_name_names_users_members_and_nobody():
    assert display_name(User(username="lan", first_name="Lan", last_name="Lò")) == "Lan Lò"
    assert display_name(User(username="lan")) == "lan"
    assert display_name(Member(full_name="Lò Văn An")) == "Lò Văn An"
    with translation.override("en"):
        assert display_name(None) == "someone"


@pytest.mark.django_db
def test_the_folded_field_fills_itself_on_save_and_bulk_create():
    cell = CellFactory(name="Chi bộ bản Lếch")
    [member] = Member.objects.bulk_create(
        [MemberFactory.build(cell=cell, full_name="Đỗ Thị Ơn", search_name="")]
    )

    assert Organization.objects.get(pk=cell.pk).search_name == "chi bo ban lech"
    assert Member.objects.get(pk=member.pk).search_name == "do thi on"
    assert list(Member.objects.search("ĐỖ thi")) == [member]
