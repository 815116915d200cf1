"""The access matrix, built from the URL resolver: every view × every kind of
user × own organization, a child, a sibling and the parent × GET and POST.

The expected answers live in access_matrix_table.py, one entry per view; a
new URL fails `test_every_url_is_in_the_table` until its row is written. The
world (access_world.py) is built once for the module; every request runs in
a savepoint that is rolled back, so a POST that writes leaves nothing behind.
"""

import io
from unittest import mock

import openpyxl
import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .access_matrix_table import TABLE
from .access_world import (
    CELL_PLACES,
    LEAK,
    ORGANIZATION_PLACES,
    RELATIONS,
    ROLES,
    USER_KIND,
    build_world,
)

# Framework URLs the matrix leaves out, each for its reason.
SKIPPED_URLCONFS = {
    # sign-in, sign-out and the password pages: Django's own, open to anyone by design
    "django.contrib.auth.urls",
    # set_language: Django's own, a POST that sets a cookie for anyone
    "django.conf.urls.i18n",
}
SKIPPED_NAMES = {
    # sign-out: Django's LogoutView (ours adds a Clear-Site-Data header), a POST for anyone
    "logout",
}
SKIPPED_NAMESPACES = {
    # the Django admin checks is_staff itself; the product's pages are the matrix
    "admin",
}
METHODS = ("GET", "POST")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def resolver_urls(patterns=None, prefix=""):
    """(name, route) of every product URL pattern, walking includes."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            module = getattr(pattern.urlconf_module, "__name__", None)
            if pattern.namespace in SKIPPED_NAMESPACES or module in SKIPPED_URLCONFS:
                continue
            yield from resolver_urls(pattern.url_patterns, route)
        else:
            assert isinstance(pattern, URLPattern)
            if pattern.name not in SKIPPED_NAMES:
                yield pattern.name, route


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once; the tests' own transactions nest inside this one."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _no_pdf_engine():
    # A draft's PDF is rendered on each download; the engine is not what is
    # tested here, and rendering it for every allowed user would take seconds.
    with mock.patch("meetings.views.pdf.render_minutes_pdf", return_value=b"%PDF-1.4 draft"):
        yield


def places_for(row, role) -> dict[str, str]:
    kind = USER_KIND[role]
    if row.place == "organization":
        return ORGANIZATION_PLACES["cell" if kind == "cell" else "node"]
    return CELL_PLACES[kind]


def ask(client, world, row, name, place, method) -> int:
    url = reverse(name, kwargs=row.kwargs(world, place) if row.kwargs else None)
    query = row.query(world, place) if row.query else {}
    with transaction.atomic():
        if method == "GET":
            response = client.get(url, query, headers=row.headers)
        else:
            response = client.post(
                url + ("?" + _encode(query) if query else ""), {}, headers=row.headers
            )
        transaction.set_rollback(True)
    if response.status_code == 200:
        assert LEAK not in _text(response), f"{method} {url} shows out-of-reach data"
    return response.status_code


def _text(response) -> str:
    """The page, or every cell of a spreadsheet (exports are where rolls leak)."""
    if not response.streaming:
        return response.content.decode()
    content = b"".join(response.streaming_content)
    if response["Content-Type"] != XLSX:
        return ""
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return " ".join(
        str(value)
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for value in row
    )


def _encode(query: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(query)


def answers(client, world, row, name, role, method):
    """What the views answer `role`: one status, or "own child sibling parent"."""
    if row.place is None:
        return ask(client, world, row, name, None, method)
    places = places_for(row, role)
    return " ".join(
        str(ask(client, world, row, name, places[rel], method)) if rel in places else "-"
        for rel in RELATIONS
    )


CASES = [pytest.param(name, role, id=f"{name}-{role}") for name in TABLE for role in ROLES]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), CASES)
def test_access(client, world, name, role):
    row = TABLE[name]
    client.force_login(world.users[role])

    actual = {method: answers(client, world, row, name, role, method) for method in METHODS}

    assert actual == {method: row.expected(method, role) for method in METHODS}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(TABLE))
def test_anonymous(client, world, name):
    row = TABLE[name]
    place = places_for(row, "stranger")["own"] if row.place else None
    for method in METHODS:
        url = reverse(name, kwargs=row.kwargs(world, place) if row.kwargs else None)
        response = getattr(client, method.lower())(url)
        expected = row.expected(method, "anonymous")
        assert response.status_code == expected, method
        if expected == 302:
            assert response["Location"].startswith(f"{reverse('login')}?next="), method


@pytest.mark.django_db
def test_leak_detector_sees_out_of_reach_data(client, world):
    """The LEAK check above is not vacuous: a superuser's lists show it."""
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True))
    for name in ("member_list", "meeting_list", "feedback_list"):
        assert LEAK in _text(client.get(reverse(name))), name
    # The tree is lazy: its out-of-reach commune shows when the province unfolds.
    province = world.orgs["P"]
    assert LEAK in _text(client.get(reverse("organization_tree"), {"open": province.pk}))
    children = reverse("organization_children", args=[province.pk])
    assert LEAK in _text(client.get(children, headers={"HX-Request": "true"}))
    for name in ("member_export", "organization_export"):
        assert LEAK in _text(client.get(reverse(name))), name


def test_every_url_is_in_the_table():
    """A new view fails here until its expected answers are written down."""
    urls = list(resolver_urls())
    unnamed = [route for name, route in urls if name is None]
    missing = sorted(name for name, _ in urls if name and name not in TABLE)
    assert (unnamed, missing) == ([], [])


def test_table_lists_only_existing_urls():
    names = {name for name, _ in resolver_urls()}
    assert sorted(set(TABLE) - names) == []


def test_table_rows_are_complete():
    """Every row answers every role and method, in the shape its place asks."""
    for name, row in TABLE.items():
        for method in METHODS:
            assert set(row.answers) == set(ROLES), name
            for role in ROLES:
                expected = row.expected(method, role)
                if row.place is None:
                    assert isinstance(expected, int), (name, method, role)
                else:
                    slots = ["-" if r not in places_for(row, role) else "code" for r in RELATIONS]
                    given = ["-" if s == "-" else "code" for s in expected.split()]
                    assert given == slots, (name, method, role)
