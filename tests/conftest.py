import pytest
from django.utils import translation

from tests.factories import UserFactory


@pytest.fixture
def login(client):
    """Sign a user in on the test client; returns the user."""

    def _login(user=None):
        user = user or UserFactory()
        client.force_login(user)
        return user

    return _login


@pytest.fixture
def english():
    """Messages in their English source, whatever the Vietnamese catalog says."""
    with translation.override("en"):
        yield


@pytest.fixture
def english_pages(client, english):
    """The same, and the pages the test client asks for in English too."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
