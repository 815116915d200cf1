"""The quota report summarised by sub-organization, its drill-down to a
paginated list of cadres, and the figures behind both (computed in grouped
queries, counted by the one rule of meetings.quota).

Tree:  P (province) ─┬─ A (commune) ─┬─ A1, A2 (cells, meet on the 24th)
                     └─ B (commune) ─── B1 (cell, meets on the 24th)
A cadre sits on their commune's executive committee (2 visits a year) and
has their home cell in it.
"""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import CadreVisit, QuotaRule
from meetings.quota import QuotaTally, quota_progress, tally
from meetings.selectors.cadres import cadre_choices, quota_figures, quota_page, quota_rows
from tests.factories import (
    AssignmentFactory,
    CellFactory,
    CommitteeSeatFactory,
    MeetingFactory,
    MemberFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
SEPTEMBER = D(2026, 9, 15)


def local(day, hour=19):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))


def frozen(day):
    return mock.patch("django.utils.timezone.now", return_value=local(day, hour=8))


@pytest.fixture
def world():
    p = OrganizationFactory(kind="province", name="Đảng bộ tỉnh Sơn La")
    a = OrganizationFactory(parent=p, name="Đảng bộ xã Cò Nòi")
    b = OrganizationFactory(parent=p, name="Đảng bộ xã Mường Bon")
    return {
        "P": p,
        "A": a,
        "B": b,
        "A1": CellFactory(parent=a, name="Chi bộ bản Lếch", meeting_day=24),
        "A2": CellFactory(parent=a, name="Chi bộ bản Cang", meeting_day=24),
        "B1": CellFactory(parent=b, name="Chi bộ bản Mòng", meeting_day=24),
    }


def staff_of(organization):
    user = UserFactory()
    RoleFactory(user=user, organization=organization, kind="staff")
    return user


def make_cadre(world, home="A1", committee="A", cells=("A1",), seat="executive", name=None):
    member = MemberFactory(cell=world[home], **({"full_name": name} if name else {}))
    CommitteeSeatFactory(member=member, organization=world[committee], kind=seat)
    for code in cells:
        AssignmentFactory(cadre=member, cell=world[code], starts_on=D(2025, 1, 1))
    return member


def attended(member, cell, day, *, attended=True, state="held"):
    held = MeetingFactory(
        cell=cell,
        kind="extraordinary",
        state=state,
        period=day.replace(day=1),
        scheduled_at=local(day),
    )
    CadreVisit.objects.create(meeting=held, cadre=member, attended=attended)


@pytest.fixture
def cadres(world):
    """In A: one who met the quota, one behind, one at risk; in B: one met, one with no rule."""
    on_track = make_cadre(world, name="Lò Văn An")
    attended(on_track, world["A1"], D(2026, 3, 24))
    attended(on_track, world["A1"], D(2026, 6, 24))
    behind = make_cadre(world, home="A2", name="Lò Văn Bình")
    attended(behind, world["A1"], D(2026, 4, 24))
    at_risk = make_cadre(world, cells=(), name="Lò Văn Cường")
    met = make_cadre(world, home="B1", committee="B", cells=("B1",), name="Cà Văn Dũng")
    attended(met, world["B1"], D(2026, 2, 24))
    attended(met, world["B1"], D(2026, 5, 24))
    no_rule = make_cadre(world, home="B1", committee="B", seat="standing", name="Cà Văn Em")
    return {"on_track": on_track, "behind": behind, "at_risk": at_risk, "met": met, "none": no_rule}


def get(client, user, name="quota_report", **params):
    client.force_login(user)
    pk = params.pop("pk", None)
    url = reverse(name, kwargs={"pk": pk}) if pk else reverse(name)
    with frozen(SEPTEMBER):
        return client.get(url, {"year": 2026, **params})


def summary_of(response):
    return {g.organization.name: g.tally for g in response.context["summary"]}


# --- the pure tally -------------------------------------------------------------------


def test_tally_counts_each_flag_of_the_rule():
    progresses = [
        quota_progress(done=2, quota=2, meetings_left=4, year=2026, today=SEPTEMBER),
        quota_progress(done=0, quota=2, meetings_left=0, year=2026, today=SEPTEMBER),
        quota_progress(done=1, quota=2, meetings_left=4, year=2026, today=SEPTEMBER),
        quota_progress(done=0, quota=None, meetings_left=4, year=2026, today=SEPTEMBER),
    ]

    assert tally(progresses) == QuotaTally(cadres=4, met=1, behind=2, at_risk=1)
    assert tally([]) == QuotaTally(cadres=0, met=0, behind=0, at_risk=0)


# --- the summary by sub-organization ----------------------------------------------------


def test_province_summary_per_commune_has_exact_figures(client, world, cadres, english_pages):
    response = get(client, staff_of(world["P"]))

    assert response.status_code == 200
    assert response.context["organization"] == world["P"]
    assert summary_of(response) == {
        "Đảng bộ xã Cò Nòi": QuotaTally(cadres=3, met=1, behind=2, at_risk=1),
        "Đảng bộ xã Mường Bon": QuotaTally(cadres=2, met=1, behind=0, at_risk=0),
    }
    assert response.context["total"] == QuotaTally(cadres=5, met=2, behind=2, at_risk=1)
    html = response.content.decode()
    drill = reverse("quota_report_org", kwargs={"pk": world["A"].pk})
    assert f'href="{drill}?year=2026&amp;show=at_risk"' in html
    assert f'href="{drill}?year=2026&amp;show=behind"' in html


def test_summary_agrees_with_the_cadres_rows_of_each_drill_down(client, world, cadres):
    province = get(client, staff_of(world["P"]))

    for group in province.context["summary"]:
        drill = get(client, staff_of(world["P"]), "quota_report_org", pk=group.organization.pk)
        assert tally(row.progress for row in drill.context["rows"]) == group.tally
        assert drill.context["total"] == group.tally


def test_commune_drill_down_lists_its_cadres_and_sums_by_home_cell(client, world, cadres):
    response = get(client, staff_of(world["P"]), "quota_report_org", pk=world["A"].pk)

    rows = {row.pk: row.progress for row in response.context["rows"]}
    assert {pk: (p.done, p.quota, p.is_behind, p.is_at_risk) for pk, p in rows.items()} == {
        cadres["on_track"].pk: (2, 2, False, False),
        cadres["behind"].pk: (1, 2, True, False),
        cadres["at_risk"].pk: (0, 2, True, True),
    }
    assert summary_of(response) == {
        "Chi bộ bản Cang": QuotaTally(cadres=1, met=0, behind=1, at_risk=0),
        "Chi bộ bản Lếch": QuotaTally(cadres=2, met=1, behind=1, at_risk=1),
    }
    assert [row.full_name for row in response.context["rows"]] == [
        "Lò Văn An",
        "Lò Văn Bình",
        "Lò Văn Cường",
    ]


def test_commune_staff_see_their_commune_directly(client, world, cadres):
    response = get(client, staff_of(world["A"]))

    assert response.context["organization"] == world["A"]
    assert {row.pk for row in response.context["rows"]} == {
        cadres["on_track"].pk,
        cadres["behind"].pk,
        cadres["at_risk"].pk,
    }
    assert (response.context["behind"], response.context["at_risk"]) == (2, 1)


def test_staff_of_two_communes_get_one_summary_row_per_commune(client, world, cadres):
    user = staff_of(world["A"])
    RoleFactory(user=user, organization=world["B"], kind="staff")

    response = get(client, user)

    assert response.context["organization"] is None
    assert summary_of(response) == {
        "Đảng bộ xã Cò Nòi": QuotaTally(cadres=3, met=1, behind=2, at_risk=1),
        "Đảng bộ xã Mường Bon": QuotaTally(cadres=2, met=1, behind=0, at_risk=0),
    }
    assert len(response.context["rows"]) == 5


@pytest.mark.parametrize(
    ("show", "expected"), [("behind", {"behind", "at_risk"}), ("at_risk", {"at_risk"})]
)
def test_drill_down_shows_only_the_flagged_cadres(client, world, cadres, show, expected):
    response = get(client, staff_of(world["P"]), "quota_report_org", pk=world["A"].pk, show=show)

    assert {row.pk for row in response.context["rows"]} == {cadres[k].pk for k in expected}
    assert response.context["show"] == show
    # The summary and totals keep every cadre.
    assert response.context["total"].cadres == 3


def test_drill_down_shows_the_met_and_a_bogus_filter_shows_all(client, world, cadres):
    user = staff_of(world["P"])

    met = get(client, user, "quota_report_org", pk=world["B"].pk, show="met")
    bogus = get(client, user, "quota_report_org", pk=world["B"].pk, show="nonsense")

    assert [row.pk for row in met.context["rows"]] == [cadres["met"].pk]
    assert len(bogus.context["rows"]) == 2
    assert bogus.context["show"] is None


def test_drill_down_with_no_flagged_cadre_says_so(client, world, cadres, english_pages):
    response = get(
        client, staff_of(world["P"]), "quota_report_org", pk=world["B"].pk, show="behind"
    )

    assert list(response.context["rows"]) == []
    assert "No cadre here is in this state." in response.content.decode()


def test_cell_drill_down_has_no_summary(client, world, cadres):
    response = get(client, staff_of(world["P"]), "quota_report_org", pk=world["A2"].pk)

    assert response.context["summary"] == []
    assert [row.pk for row in response.context["rows"]] == [cadres["behind"].pk]


# --- pagination, queries, size --------------------------------------------------------


def many_cadres(world, n):
    for i in range(n):
        make_cadre(world, name=f"Lò Văn Số {i:03d}")


def test_drill_down_paginates_the_cadres_by_25(client, world):
    many_cadres(world, 30)
    user = staff_of(world["P"])

    first = get(client, user, "quota_report_org", pk=world["A"].pk)
    second = get(client, user, "quota_report_org", pk=world["A"].pk, page=2)
    beyond = get(client, user, "quota_report_org", pk=world["A"].pk, page=99)

    assert [r.full_name for r in first.context["rows"]][:2] == ["Lò Văn Số 000", "Lò Văn Số 001"]
    assert len(first.context["rows"]) == 25
    assert [r.full_name for r in second.context["rows"]] == [
        f"Lò Văn Số {i:03d}" for i in range(25, 30)
    ]
    assert beyond.context["page_obj"].number == 2
    assert first.context["total"].cadres == 30
    assert "page=2" in first.content.decode()


@pytest.mark.parametrize("n", [1, 6])
def test_drill_down_query_count_is_constant(client, world, django_assert_num_queries, n):
    for i in range(n):
        member = make_cadre(world)
        attended(member, world["A1"], D(2026, i + 1, 24))
    user = staff_of(world["P"])
    client.force_login(user)
    url = reverse("quota_report_org", kwargs={"pk": world["A"].pk})

    with frozen(SEPTEMBER), django_assert_num_queries(16):
        response = client.get(url, {"year": 2026})

    assert response.context["total"].cadres == n


@pytest.mark.parametrize("n", [1, 6])
def test_province_summary_query_count_is_constant(client, world, django_assert_num_queries, n):
    for _ in range(n):
        make_cadre(world, home="B1", committee="B", cells=("B1",))
        make_cadre(world)
    client.force_login(staff_of(world["P"]))

    with frozen(SEPTEMBER), django_assert_num_queries(14):
        response = client.get(reverse("quota_report"), {"year": 2026})

    assert response.context["total"].cadres == 2 * n


def commune_with_cells(n):
    commune = OrganizationFactory(name="Đảng bộ xã Chiềng Mung")
    cells = [CellFactory(parent=commune, name=f"Chi bộ bản {i:03d}") for i in range(n)]
    for i in range(3):
        member = MemberFactory(cell=cells[0], full_name=f"Lò Văn Cán Bộ {i}")
        CommitteeSeatFactory(member=member, organization=commune, kind="executive")
        for cell in cells[i * 5 : (i + 1) * 5]:
            AssignmentFactory(cadre=member, cell=cell, starts_on=D(2025, 1, 1))
    return commune


def test_report_size_does_not_grow_with_the_cells(client):
    sizes = []
    for n in (20, 200):
        commune = commune_with_cells(n)
        response = get(client, staff_of(commune))
        assert response.context["total"].cadres == 3
        sizes.append(len(response.content))

    assert abs(sizes[1] - sizes[0]) < 0.02 * sizes[0]


# --- access -------------------------------------------------------------------------


def test_drill_down_outside_the_scope_is_404(client, world, cadres):
    user = staff_of(world["B"])

    assert get(client, user, "quota_report_org", pk=world["A"].pk).status_code == 404
    assert get(client, user, "quota_report_org", pk=world["A1"].pk).status_code == 404
    assert get(client, user, "quota_report_org", pk=world["P"].pk).status_code == 404


def test_drill_down_of_a_missing_organization_is_404(client, world):
    assert get(client, staff_of(world["P"]), "quota_report_org", pk=999999).status_code == 404


def test_drill_down_for_a_secretary_of_the_cell_is_403(client, world, cadres):
    user = UserFactory()
    RoleFactory(user=user, organization=world["A1"], kind="secretary")

    assert get(client, user, "quota_report_org", pk=world["A1"].pk).status_code == 403


def test_drill_down_never_lists_cadres_outside_the_scope(client, world, cadres):
    response = get(client, staff_of(world["A"]), "quota_report_org", pk=world["A"].pk)

    names = response.content.decode()
    assert "Cà Văn Dũng" not in names
    assert "Lò Văn An" in names


# --- the figures ------------------------------------------------------------------------


def test_quota_figures_count_attended_visits_of_held_meetings_in_the_year(world):
    member = make_cadre(world)
    attended(member, world["A1"], D(2026, 3, 24))
    attended(member, world["A1"], D(2026, 4, 24), attended=False)
    attended(member, world["A1"], D(2025, 4, 24))
    attended(member, world["A1"], D(2026, 5, 24), state="cancelled")

    assert quota_figures([member.pk], year=2026, on=SEPTEMBER) == {member.pk: (1, 2)}
    assert quota_figures([member.pk], year=2025, on=D(2025, 12, 31)) == {member.pk: (1, 2)}


def test_quota_figures_take_the_highest_seat_and_a_committee_rule_first(world):
    both = make_cadre(world)
    CommitteeSeatFactory(member=both, organization=world["P"], kind="executive")  # 3 a year
    own_rule = make_cadre(world, committee="B")
    QuotaRule.objects.create(
        organization=world["B"],
        organization_kind="commune",
        seat_kind="executive",
        visits_per_year=5,
    )
    without = MemberFactory(cell=world["A1"])
    standing = make_cadre(world, seat="standing")  # no rule for commune standing seats

    figures = quota_figures(
        [both.pk, own_rule.pk, without.pk, standing.pk], year=2026, on=SEPTEMBER
    )

    assert figures == {
        both.pk: (0, 3),
        own_rule.pk: (0, 5),
        without.pk: (0, None),
        standing.pk: (0, None),
    }


def test_quota_figures_ignore_seats_not_current_on_the_day(world):
    member = make_cadre(world)
    CommitteeSeatFactory(
        member=member,
        organization=world["P"],
        kind="executive",
        starts_on=D(2020, 1, 1),
        ends_on=D(2026, 1, 1),
    )

    assert quota_figures([member.pk], year=2026, on=SEPTEMBER)[member.pk] == (0, 2)
    assert quota_figures([member.pk], year=2025, on=D(2025, 12, 31))[member.pk] == (0, 3)


def test_cadre_choices_are_seated_or_cadre_role_members_on_the_roll(world):
    seated = make_cadre(world)
    role_user = UserFactory()
    with_role = MemberFactory(cell=world["A1"], user=role_user)
    RoleFactory(user=role_user, organization=world["A"], kind="cadre")
    left = make_cadre(world)
    left.left_on = D(2026, 1, 1)
    left.save()
    elsewhere = make_cadre(world, home="B1", committee="B")
    MemberFactory(cell=world["A1"])  # neither seat nor role

    found = set(cadre_choices(staff_of(world["A"]), on=SEPTEMBER))

    assert found == {seated, with_role}
    assert elsewhere in set(cadre_choices(staff_of(world["P"]), on=SEPTEMBER))


def test_quota_rows_within_keep_to_the_subtree_and_the_page_to_one_root(world, cadres):
    user = staff_of(world["P"])

    rows = quota_rows(user, year=2026, today=SEPTEMBER, within=world["B"])
    page = quota_page(user, year=2026, today=SEPTEMBER)

    assert {row.pk for row in rows} == {cadres["met"].pk, cadres["none"].pk}
    assert page["organization"] == world["P"]
    assert [g.organization for g in page["summary"]] == [world["A"], world["B"]]


def test_a_province_of_many_communes_pages_its_summary_apart_from_the_cadres(client):
    province = OrganizationFactory(kind="province", name="Đảng bộ tỉnh Điện Biên")
    for i in range(30):
        commune = OrganizationFactory(parent=province, name=f"Đảng bộ xã {i:02d}")
        cell = CellFactory(parent=commune, meeting_day=24)
        member = MemberFactory(cell=cell, full_name=f"Lò Văn {i:02d}")
        CommitteeSeatFactory(member=member, organization=commune, kind="executive")
        AssignmentFactory(cadre=member, cell=cell, starts_on=D(2025, 1, 1))
    client.force_login(staff_of(province))

    with frozen(SEPTEMBER):
        first = client.get(reverse("quota_report"), {"year": 2026})
        second = client.get(reverse("quota_report"), {"year": 2026, "orgs": 2, "page": 2})

    names = [[g.organization.name for g in r.context["summary"]] for r in (first, second)]
    assert names == [
        [f"Đảng bộ xã {i:02d}" for i in range(25)],
        [f"Đảng bộ xã {i:02d}" for i in range(25, 30)],
    ]
    assert first.context["total"].cadres == 30  # the totals count every commune
    assert [r.context["summary_page"].number for r in (first, second)] == [1, 2]
    assert [r.context["page_obj"].number for r in (first, second)] == [1, 2]
    html = first.content.decode()
    assert "orgs=2" in html and "page=2" in html  # each list has its own next link
    next_orgs = second.content.decode()
    assert "orgs=1" in next_orgs and "page=2" in next_orgs  # paging one keeps the other
