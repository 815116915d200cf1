"""An organization's edit and reorganize pages, as office staff use them:
the happy paths, bad input, choices limited to the user's scope, who may
post, and the messages in Vietnamese and in English.

    P ── D (staff here) ─┬─ C ─┬─ L (cell, secretary here)
                         │     └─ T (cell)
                         └─ N ── S (cell)
    Q (another province) ── X (commune)
"""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from chibo.models import Organization, OrganizationVersion, Reorganization
from chibo.orgs.forms import OrganizationForm, ReorganizeForm
from chibo.tree import create_organization, dissolve_organization
from tests.factories import CellFactory, OrganizationFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def t():
    p = OrganizationFactory(kind="province", name="Đảng bộ tỉnh Sơn La")
    d = OrganizationFactory(parent=p, kind="district", name="Đảng bộ huyện Mai Sơn")
    c = OrganizationFactory(parent=d, name="Đảng bộ xã Cò Nòi")
    n = OrganizationFactory(parent=d, name="Đảng bộ xã Nà Bó")
    q = OrganizationFactory(kind="province", name="Đảng bộ tỉnh Hà Tĩnh")
    world = SimpleNamespace(
        p=p,
        d=d,
        c=c,
        n=n,
        q=q,
        x=OrganizationFactory(parent=q, name="Đảng bộ xã Đức Lâm"),
        l=CellFactory(parent=c, name="Chi bộ bản Lếch"),
        t=CellFactory(parent=c, name="Chi bộ tiểu khu Cò Nòi"),
        s=CellFactory(parent=n, name="Chi bộ bản Đông Sàn"),
        staff=UserFactory(username="vp.maison"),
        secretary=UserFactory(username="bithu.lech"),
    )
    RoleFactory(user=world.staff, organization=d, kind="staff")
    RoleFactory(user=world.secretary, organization=world.l, kind="secretary")
    return world


def reorganize(client, org, **data):
    return client.post(reverse("organization_reorganize", args=[org.pk]), data)


def edit(client, org, **data):
    return client.post(reverse("organization_edit", args=[org.pk]), data)


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def fresh(org):
    return Organization.objects.get(pk=org.pk)


# --- reorganize: happy paths, in both languages ---------------------------------------


def test_rename_through_the_page_in_vietnamese(client, t):
    client.force_login(t.staff)

    response = reorganize(
        client, t.c, action="rename", date="2025-07-01", new_name="  Đảng bộ xã Mai Sơn  "
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("organization_detail", args=[t.c.pk])
    assert texts(response) == ["Đã ghi nhận thay đổi."]
    event = Reorganization.objects.get(kind="renamed")
    assert (event.old_name, event.new_name, event.date, event.recorded_by) == (
        "Đảng bộ xã Cò Nòi",
        "Đảng bộ xã Mai Sơn",
        D(2025, 7, 1),
        t.staff,
    )


def test_move_through_the_page_in_english(client, english_pages, t):
    client.force_login(t.staff)

    response = reorganize(
        client, t.s, action="move", date="2025-07-01", new_parent=t.c.pk, decision="QĐ 15"
    )

    assert texts(response) == ["The change was recorded."]
    assert Organization.objects.get_parent(fresh(t.s)) == fresh(t.c)
    event = Reorganization.objects.get(kind="moved")
    assert (event.target, event.decision) == (t.c, "QĐ 15")


def test_dissolve_a_cell_without_members_through_the_page(client, t):
    client.force_login(t.staff)

    response = reorganize(client, t.t, action="dissolve", date="2025-07-01")

    assert response.status_code == 302
    assert fresh(t.t).dissolved_on == D(2025, 7, 1)


def test_the_form_offers_today_as_the_date(client, t):
    client.force_login(t.staff)

    response = client.get(reverse("organization_reorganize", args=[t.c.pk]))

    form = response.context["form"]
    assert form.fields["date"].initial == datetime.date.today()
    assert f'value="{datetime.date.today():%Y-%m-%d}"' in response.content.decode()


# --- reorganize: the choices of a new parent -----------------------------------------


def test_new_parent_choices_are_the_users_live_non_cells_outside_the_subtree(client, t):
    dissolve_organization(organization=t.s, on=D(2024, 1, 1))
    dissolve_organization(organization=t.n, on=D(2024, 6, 1))

    form = ReorganizeForm(user=t.staff, organization=fresh(t.c))

    # Not C itself or its cells, not the dissolved N, not the province above
    # the user's reach, not the other province.
    assert list(form.fields["new_parent"].queryset) == [t.d]


@pytest.mark.parametrize("target", ["l", "c", "x", "p"])
def test_a_parent_outside_the_choices_is_refused(client, english_pages, t, target):
    client.force_login(t.staff)
    before = list(Reorganization.objects.values_list("pk", flat=True))

    response = reorganize(
        client, t.c, action="move", date="2025-07-01", new_parent=getattr(t, target).pk
    )

    assert response.status_code == 200
    assert "new_parent" in response.context["form"].errors
    assert list(Reorganization.objects.values_list("pk", flat=True)) == before


# --- reorganize: bad input --------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"action": "rename", "date": "2025-07-01", "new_name": "   "},
            "new_name",
            "Hãy nhập tên mới.",
        ),
        ({"action": "move", "date": "2025-07-01"}, "new_parent", "Hãy chọn tổ chức cấp trên mới."),
        ({"action": "rename", "new_name": "X"}, "date", None),
        ({"action": "rename", "date": "31/02/2025", "new_name": "X"}, "date", None),
        ({"action": "split", "date": "2025-07-01"}, "action", None),
        ({"action": "rename", "date": "2025-07-01", "new_name": "X" * 201}, "new_name", None),
    ],
)
def test_bad_input_is_refused_field_by_field(client, t, data, field, message):
    client.force_login(t.staff)
    versions = OrganizationVersion.objects.count()

    response = reorganize(client, t.c, **data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert errors[field] == [message]
    assert OrganizationVersion.objects.count() == versions
    assert fresh(t.c).name == "Đảng bộ xã Cò Nòi"


def test_a_rename_dated_too_early_says_why_in_vietnamese(client, t):
    client.force_login(t.staff)

    response = reorganize(client, t.c, action="rename", date="2009-01-01", new_name="X")

    assert response.context["form"].non_field_errors() == ["Ngày phải sau 01/01/2010."]
    assert texts(response) == []


def test_a_rename_dated_too_early_says_why_in_english(client, english_pages, t):
    client.force_login(t.staff)

    response = reorganize(client, t.c, action="rename", date="2009-01-01", new_name="X")

    assert response.context["form"].non_field_errors() == ["The date must be after 01/01/2010."]


def test_changing_a_dissolved_organization_says_when_it_was_dissolved(client, english_pages, t):
    dissolve_organization(organization=t.t, on=D(2024, 1, 1))
    client.force_login(t.staff)

    response = reorganize(client, t.t, action="rename", date="2025-07-01", new_name="X")

    assert response.context["form"].non_field_errors() == [
        "Chi bộ tiểu khu Cò Nòi was dissolved on 01/01/2024."
    ]
    assert fresh(t.t).name == "Chi bộ tiểu khu Cò Nòi"


def test_dissolving_a_commune_with_cells_is_refused_in_english(client, english_pages, t):
    client.force_login(t.staff)

    response = reorganize(client, t.c, action="dissolve", date="2025-07-01")

    assert response.context["form"].non_field_errors() == [
        "Move or dissolve its 2 organizations first."
    ]
    assert fresh(t.c).dissolved_on is None


# --- reorganize and edit: who may ---------------------------------------------------------


@pytest.mark.parametrize("name", ["organization_reorganize", "organization_edit"])
def test_secretary_sees_the_cell_but_may_not_change_it(client, t, name):
    client.force_login(t.secretary)

    assert client.get(reverse(name, args=[t.l.pk])).status_code == 403
    assert client.post(reverse(name, args=[t.l.pk]), {"action": "dissolve"}).status_code == 403
    assert client.get(reverse(name, args=[t.t.pk])).status_code == 404
    assert fresh(t.l).dissolved_on is None


@pytest.mark.parametrize("name", ["organization_reorganize", "organization_edit"])
def test_staff_of_one_district_cannot_reach_another_province(client, t, name):
    client.force_login(t.staff)

    assert client.get(reverse(name, args=[t.x.pk])).status_code == 404
    assert client.get(reverse(name, args=[t.p.pk])).status_code == 404
    assert client.get(reverse(name, args=[10**9])).status_code == 404


@pytest.mark.parametrize("name", ["organization_reorganize", "organization_edit"])
def test_anonymous_users_are_sent_to_sign_in(client, t, name):
    url = reverse(name, args=[t.c.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


# --- edit ----------------------------------------------------------------------------------


def test_edit_of_a_commune_has_no_meeting_fields():
    form = OrganizationForm(instance=Organization(kind="commune"))
    assert list(form.fields) == ["code", "place_name"]


def test_edit_of_a_cell_has_the_meeting_fields():
    form = OrganizationForm(instance=Organization(kind="cell"))
    assert list(form.fields) == [
        "code",
        "place_name",
        "meeting_day",
        "meeting_week",
        "meeting_weekday",
        "meeting_time",
        "meeting_place",
    ]


def test_edit_a_commune_saves_and_says_so(client, english_pages, t):
    client.force_login(t.staff)

    response = edit(client, t.c, code="xa-co-noi", place_name="Cò Nòi")

    assert response.status_code == 302
    assert texts(response) == ["Saved."]
    assert (fresh(t.c).code, fresh(t.c).place_name) == ("xa-co-noi", "Cò Nòi")
    assert Reorganization.objects.filter(organization=t.c).count() == 1  # founded only


def test_edit_a_cell_to_the_nth_weekday(client, t):
    client.force_login(t.staff)

    response = edit(
        client,
        t.l,
        code=t.l.code,
        meeting_day=3,
        meeting_week=5,
        meeting_weekday=6,
        meeting_time="08:00",
        meeting_place="Nhà văn hóa bản Lếch",
    )

    assert texts(response) == ["Đã lưu."]
    cell = fresh(t.l)
    assert (cell.meeting_week, cell.meeting_weekday, cell.meeting_time) == (
        5,
        6,
        datetime.time(8, 0),
    )
    assert cell.meeting_place == "Nhà văn hóa bản Lếch"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"meeting_day": 0}, "meeting_day", "Ngày trong tháng phải từ 1 đến 31."),
        ({"meeting_day": 32}, "meeting_day", "Ngày trong tháng phải từ 1 đến 31."),
        ({"meeting_day": "ba"}, "meeting_day", None),
        ({"meeting_time": "25:00"}, "meeting_time", None),
        ({"meeting_weekday": 9}, "meeting_weekday", None),
        ({"meeting_week": 7}, "meeting_week", None),
        ({"code": "có dấu"}, "code", None),
        ({"code": ""}, "code", None),
    ],
)
def test_edit_refuses_bad_input_and_changes_nothing(client, t, data, field, message):
    client.force_login(t.staff)
    history = fresh(t.l).history.count()
    values = {"code": t.l.code, "meeting_day": 3, "meeting_time": "19:30", **data}

    response = edit(client, t.l, **values)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert errors[field] == [message]
    cell = fresh(t.l)
    assert (cell.code, cell.meeting_day, cell.history.count()) == (t.l.code, 3, history)


@pytest.mark.parametrize("given", [{"meeting_week": 2}, {"meeting_weekday": 4}])
def test_a_week_without_a_weekday_or_the_reverse_is_refused_in_english(
    client, english_pages, t, given
):
    client.force_login(t.staff)

    response = edit(client, t.l, code=t.l.code, meeting_day=3, meeting_time="19:30", **given)

    assert response.context["form"].non_field_errors() == [
        "For a meeting on the nth weekday, give both the week and the weekday."
    ]


def test_a_code_already_taken_is_refused(client, t):
    client.force_login(t.staff)

    response = edit(client, t.l, code=t.t.code, meeting_day=3, meeting_time="19:30")

    assert "code" in response.context["form"].errors
    assert fresh(t.l).code != t.t.code


def test_the_edit_form_shows_the_time_as_the_native_input_wants(client, t):
    client.force_login(t.staff)

    body = client.get(reverse("organization_edit", args=[t.l.pk])).content.decode()

    assert 'type="time"' in body
    assert 'value="19:30"' in body


# --- the cell's page ------------------------------------------------------------------------


def test_the_cell_page_shows_its_dated_history(client, english_pages, t):
    client.force_login(t.staff)
    reorganize(client, t.l, action="rename", date="2025-07-01", new_name="Chi bộ bản Lếch Mới")

    response = client.get(reverse("organization_detail", args=[t.l.pk]))

    assert [v.name for v in response.context["versions"]] == [
        "Chi bộ bản Lếch Mới",
        "Chi bộ bản Lếch",
    ]
    assert [e.kind for e in response.context["events"]] == ["renamed", "founded"]
    assert response.context["may_edit"] is True
    assert [o.name for o in response.context["ancestors"]] == [
        "Đảng bộ huyện Mai Sơn",
        "Đảng bộ xã Cò Nòi",
    ]


def test_the_secretary_sees_the_cell_page_without_edit_links(client, t):
    client.force_login(t.secretary)

    response = client.get(reverse("organization_detail", args=[t.l.pk]))

    assert response.status_code == 200
    assert response.context["may_edit"] is False
    assert list(response.context["ancestors"]) == []
    assert reverse("organization_edit", args=[t.l.pk]) not in response.content.decode()


def test_the_history_of_an_organization_without_a_founding_date_is_newest_first(client, t):
    # Organizations imported from a spreadsheet have no founding date: their
    # first version is valid since always (NULL), the oldest on any database.
    imported = create_organization(parent=t.c, code="nhap", name="Chi bộ bản Nhập", kind="cell")
    client.force_login(t.staff)
    reorganize(client, imported, action="rename", date="2025-07-01", new_name="Chi bộ bản Mới")
    reorganize(client, imported, action="rename", date="2026-01-01", new_name="Chi bộ bản Mới Hơn")

    response = client.get(reverse("organization_detail", args=[imported.pk]))

    assert [(v.name, v.valid_from) for v in response.context["versions"]] == [
        ("Chi bộ bản Mới Hơn", D(2026, 1, 1)),
        ("Chi bộ bản Mới", D(2025, 7, 1)),
        ("Chi bộ bản Nhập", None),
    ]
