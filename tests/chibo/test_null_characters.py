"""A NUL byte typed or pasted into a form is refused with a Vietnamese message."""

import pytest
from django.urls import reverse

from chibo.text import fold
from members.models import Member
from tests.factories import CellFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

MESSAGE = "Không được dùng ký tự NUL (ký tự rỗng) trong nội dung."


def test_member_form_with_a_nul_byte_shows_the_vietnamese_message(client):
    cell = CellFactory()
    user = UserFactory()
    RoleFactory(user=user, organization=cell, kind="secretary")
    client.force_login(user)

    response = client.post(
        reverse("member_create"),
        {
            "full_name": "Lò Văn\x00 Thanh",
            "gender": "male",
            "cell": cell.pk,
            "status": "official",
            "party_card_number": "12345678",
            "joined_on": "2005-03-03",
            "official_on": "2006-03-03",
        },
    )

    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert "Null characters" not in response.content.decode()
    assert Member.objects.count() == 0


def test_sign_in_form_with_a_nul_byte_shows_the_vietnamese_message(client):
    response = client.post(reverse("login"), {"username": "bi\x00thu", "password": "x"})

    assert response.status_code == 200
    assert MESSAGE in response.content.decode()


def test_search_keys_drop_nul_so_a_query_never_carries_it():
    # PostgreSQL refuses NUL in a query parameter: a search typed with one must not crash.
    assert fold("Lò\x00 Văn\x00Minh") == "lo vanminh"
