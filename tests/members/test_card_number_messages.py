"""A party card number held outside the user's scope is refused without saying it exists."""

import pytest
from django.urls import reverse

from members.models import Member
from tests.factories import CellFactory, MemberFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cell(client):
    cell = CellFactory()
    user = UserFactory()
    RoleFactory(user=user, organization=cell, kind="secretary")
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return cell


def create(client, cell, card):
    return client.post(
        reverse("member_create"),
        {
            "full_name": "Lò Văn Thanh",
            "gender": "male",
            "cell": cell.pk,
            "status": "official",
            "party_card_number": card,
            "joined_on": "2005-03-03",
            "official_on": "2006-03-03",
        },
    )


def test_member_form_card_of_another_province_reads_cannot_be_used(client, cell):
    MemberFactory(party_card_number="93000007", full_name="Bí Mật")  # another province's cell

    response = create(client, cell, "93000007")

    page = response.content.decode()
    assert response.context["form"].errors["party_card_number"] == [
        "This party card number cannot be used."
    ]
    assert "already" not in page and "Bí Mật" not in page
    assert Member.objects.count() == 1


def test_member_form_card_in_own_cell_says_it_is_already_recorded(client, cell):
    MemberFactory(cell=cell, party_card_number="93000008")

    response = create(client, cell, "93000008")

    assert response.context["form"].errors["party_card_number"] == [
        "This party card number is already recorded."
    ]
