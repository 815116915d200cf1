import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, password):
    return client.post(reverse("login"), {"username": "bithu", "password": password})


def test_sign_in_reaches_the_dashboard(client):
    UserFactory(username="bithu")

    response = sign_in(client, "chibo-test")

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_wrong_password_gets_a_vietnamese_message(client):
    UserFactory(username="bithu")

    response = sign_in(client, "wrong")

    assert "mật khẩu chính xác" in response.content.decode()


def test_repeated_failures_are_throttled_even_with_the_right_password(client, settings):
    UserFactory(username="bithu")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong")

    response = sign_in(client, "chibo-test")

    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()


def test_sign_out_needs_post_and_ends_the_session(client):
    client.force_login(UserFactory())

    client.post(reverse("logout"))

    assert client.get(reverse("dashboard")).status_code == 302


def test_change_password(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "chibo-test",
            "new_password1": "bản-Lếch-2026",
            "new_password2": "bản-Lếch-2026",
        },
    )

    user.refresh_from_db()
    assert response.status_code == 302
    assert user.check_password("bản-Lếch-2026")


def test_vietnamese_by_default_and_english_selectable(client):
    client.force_login(UserFactory())

    default = client.get(reverse("dashboard")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("dashboard")).content.decode()

    assert "Trang chính" in default
    assert ">Dashboard<" in english
