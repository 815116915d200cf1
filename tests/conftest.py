import pytest

from tests.factories import UserFactory


@pytest.fixture
def login(client):
    """Sign a user in on the test client; returns the user."""

    def _login(user=None):
        user = user or UserFactory()
        client.force_login(user)
        return user

    return _login
