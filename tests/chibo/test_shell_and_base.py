"""The small pieces of the base and the shell: signing out, the health
check, the navigation's role kinds, the query_replace tag, the shared date
and time widgets, dated periods on Vietnam's clock, the PDF fetcher's edges."""

import datetime
from types import SimpleNamespace
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from chibo import pdf
from chibo.context_processors import roles
from chibo.forms import DateInput, TimeInput
from members.models import Position
from tests.factories import (
    CellFactory,
    MemberFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")


# --- signing out ------------------------------------------------------------------------


@pytest.mark.django_db
def test_sign_out_wipes_the_browsers_storage_and_goes_to_sign_in(client):
    client.force_login(UserFactory())

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert response["Clear-Site-Data"] == '"storage"'
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_sign_out_by_a_link_is_refused(client):
    # A GET could be triggered by an image on another site.
    user = UserFactory()
    client.force_login(user)

    response = client.get(reverse("logout"))

    assert response.status_code == 405
    assert "Clear-Site-Data" not in response.headers
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_signing_out_when_signed_out_still_wipes(client):
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"storage"'


# --- health --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_health_is_never_cached(client):
    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_says_down_with_503_when_the_database_fails(client):
    with mock.patch("chibo.shell.views.connection") as connection:
        connection.cursor.side_effect = OSError("connection refused")
        response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.json() == {"database": "down"}


# --- the navigation's role kinds ------------------------------------------------------------


def test_role_kinds_of_a_request_without_a_user_are_empty():
    assert roles(SimpleNamespace()) == {"role_kinds": set()}
    assert roles(SimpleNamespace(user=AnonymousUser())) == {"role_kinds": set()}


@pytest.mark.django_db
def test_role_kinds_of_a_user_with_two_roles():
    user = UserFactory()
    commune = OrganizationFactory()
    RoleFactory(user=user, organization=commune, kind="staff")
    RoleFactory(user=user, organization=CellFactory(parent=commune), kind="secretary")

    assert roles(SimpleNamespace(user=user)) == {"role_kinds": {"staff", "secretary"}}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "office", "cells"),
    [("staff", True, False), ("admin", True, False), ("secretary", False, False)],
)
def test_the_navigation_shows_each_role_its_menus(client, kind, office, cells):
    user = UserFactory()
    commune = OrganizationFactory()
    where = CellFactory(parent=commune) if kind == "secretary" else commune
    RoleFactory(user=user, organization=where, kind=kind)
    client.force_login(user)

    html = client.get(reverse("feedback_list")).content.decode()

    assert (reverse("assignment_list") in html) is office
    assert (reverse("cadre_home") in html) is cells
    assert reverse("member_list") in html


@pytest.mark.django_db
def test_a_cadre_sees_my_cells_in_the_navigation(client):
    user = UserFactory()
    commune = OrganizationFactory()
    RoleFactory(user=user, organization=commune, kind="cadre")
    MemberFactory(cell=CellFactory(parent=commune), user=user)
    client.force_login(user)

    html = client.get(reverse("feedback_list")).content.decode()

    assert reverse("cadre_home") in html
    assert reverse("assignment_list") not in html


# --- query_replace -------------------------------------------------------------------------


def query_replace(query, **changes):
    template = Template(
        "{% load chibo %}{% query_replace "
        + " ".join(f"{k}={v}" for k, v in changes.items())
        + " %}"
    )
    return template.render(Context({"request": RequestFactory().get("/", query), **changes}))


def test_query_replace_keeps_the_filters_and_changes_the_page():
    assert query_replace({"state": "new", "page": "2"}, page=3) == "state=new&amp;page=3"


def test_query_replace_adds_a_missing_parameter_and_can_empty_one():
    assert query_replace({"q": "đất"}, page=2) == "q=%C4%91%E1%BA%A5t&amp;page=2"
    assert query_replace({"state": "new"}, state="''") == "state="


def test_query_replace_keeps_repeated_parameters_it_does_not_change():
    assert (
        query_replace({"cell": ["1", "2"], "page": "1"}, page=2) == "cell=1&amp;cell=2&amp;page=2"
    )


def test_query_replace_escapes_what_the_query_carried():
    html = query_replace({"q": '"><script>'}, page=2)
    assert "<script>" not in html
    assert html == "q=%22%3E%3Cscript%3E&amp;page=2"


# --- the shared widgets ----------------------------------------------------------------------


class WhenForm(forms.Form):
    day = forms.DateField(widget=DateInput())
    at = forms.TimeField(widget=TimeInput())


def test_the_widgets_render_iso_values_for_native_inputs():
    form = WhenForm(initial={"day": datetime.date(2026, 12, 31), "at": datetime.time(19, 30, 45)})

    html = str(form["day"]) + str(form["at"])

    assert 'type="date"' in html and 'value="2026-12-31"' in html
    assert 'type="time"' in html and 'value="19:30"' in html


def test_the_widgets_read_back_what_the_browser_posts():
    form = WhenForm({"day": "2026-12-31", "at": "07:05"})

    assert form.is_valid()
    assert form.cleaned_data == {"day": datetime.date(2026, 12, 31), "at": datetime.time(7, 5)}


def test_the_widgets_keep_their_own_attributes():
    assert 'class="x"' in DateInput(attrs={"class": "x"}).render("d", None)


# --- dated periods on Vietnam's clock ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "current"),
    [
        # 16:59 UTC on 28 February is 23:59 in Vietnam: still the last day.
        (datetime.datetime(2026, 2, 28, 23, 59, tzinfo=VN), True),
        # 17:00 UTC the same day is already 1 March in Vietnam: it has ended.
        (datetime.datetime(2026, 3, 1, 0, 0, tzinfo=VN), False),
    ],
)
def test_current_by_default_is_today_in_vietnam(moment, current):
    member = MemberFactory()
    position = Position.objects.create(
        member=member,
        cell=member.cell,
        kind="secretary",
        starts_on=datetime.date(2021, 1, 1),
        ends_on=datetime.date(2026, 3, 1),
    )

    with mock.patch("django.utils.timezone.now", return_value=moment):
        assert list(Position.objects.current()) == ([position] if current else [])


@pytest.mark.django_db
def test_a_period_of_one_day_holds_on_that_day_only():
    member = MemberFactory()
    day = datetime.date(2026, 3, 3)
    position = Position.objects.create(
        member=member,
        cell=member.cell,
        kind="deputy",
        starts_on=day,
        ends_on=day + datetime.timedelta(days=1),
    )

    assert [position.is_current(day + datetime.timedelta(days=n)) for n in (-1, 0, 1)] == [
        False,
        True,
        False,
    ]


# --- the PDF fetcher's edges ------------------------------------------------------------------


def test_the_base_url_is_the_static_folder_with_a_slash():
    assert pdf.static_base_url() == pdf.static_root().as_uri() + "/"


def test_a_static_file_through_localhost_is_served():
    path = pdf.static_root() / "pdf" / "minutes.css"
    url = "file://localhost" + path.as_posix()

    assert pdf.static_path(url) == path


@pytest.mark.parametrize(
    "make_url",
    [
        lambda root: (root / "pdf").as_uri(),  # a folder, not a file
        lambda root: (root / "pdf" / "missing.css").as_uri(),
        lambda root: "file://evil.example" + (root / "pdf" / "minutes.css").as_posix(),
        lambda root: (root / "pdf").as_uri() + "/%2e%2e/%2e%2e/manage.py",
        lambda root: "data:text/css,body{}",
        lambda root: "http://[::1",
        lambda root: "file:///etc/passwd",
    ],
)
def test_anything_but_a_static_file_is_refused(make_url):
    with pytest.raises(pdf.ResourceRefused):
        pdf.static_path(make_url(pdf.static_root()))


def test_the_font_configuration_is_made_once():
    assert pdf.font_configuration() is pdf.font_configuration()
