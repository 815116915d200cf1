"""The sign-in throttle behind a reverse proxy: who counts as the same client."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from chibo.client_ip import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"


def sign_in(client, password, forwarded_for=None):
    headers = {"REMOTE_ADDR": PROXY}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(reverse("login"), {"username": "bithu", "password": password}, **headers)


def test_behind_a_trusted_proxy_a_strangers_failures_do_not_lock_the_user_out(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="bithu")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong", forwarded_for="203.0.113.5")
    stranger = sign_in(client, "chibo-test", forwarded_for="203.0.113.5")

    response = sign_in(client, "chibo-test", forwarded_for="198.51.100.7")

    assert stranger.status_code == 429
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_behind_a_trusted_proxy_a_spoofed_left_entry_does_not_escape_the_lock(client, settings):
    # nginx appends the real address: whatever the client wrote comes first.
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="bithu")
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong", forwarded_for=f"10.0.0.{n}, 203.0.113.5")

    response = sign_in(client, "chibo-test", forwarded_for="10.9.9.9, 203.0.113.5")

    assert response.status_code == 429


def test_without_a_trusted_proxy_the_header_is_ignored(client, settings):
    assert settings.TRUSTED_PROXY_COUNT == 0
    UserFactory(username="bithu")
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong", forwarded_for=f"203.0.113.{n}")

    response = sign_in(client, "chibo-test", forwarded_for="198.51.100.7")

    assert response.status_code == 429


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "198.51.100.7", PROXY),
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),
        (2, "6.6.6.6, 198.51.100.7, 192.0.2.1", "198.51.100.7"),
        (2, "198.51.100.7", PROXY),  # did not pass through both proxies
        (1, "", PROXY),
        (1, "not-an-address", PROXY),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_client_ip_reads_only_what_trusted_proxies_wrote(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected
