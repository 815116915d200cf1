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


@pytest.fixture(autouse=True)
def celery_tasks_inline(request):
    """Tasks run in the test's process, with or without REDIS_URL: CI's Redis
    has no worker for them (a finalize would wait for its PDF for ever). Only
    the tests marked `redis` talk to a real worker."""
    if request.node.get_closest_marker("redis"):
        yield
        return
    from chibo.celery import app

    was = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = was


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: the tree's counts are cached by
    organization id, and ids come back after a rolled-back test."""
    from django.core.cache import cache

    cache.clear()
    yield
