"""A report over the tree as it was then: cells count where they lay in the
period, under the names of then; today's tree stays the default."""

import datetime

import pytest
from django.urls import reverse

from chibo.models import Organization
from chibo.tree import move_organization, rename_organization
from reports import periods
from reports.rollup import cell_figures, rollup, trends
from reports.then import NOW, THEN, then_scope

from .conftest import NOVEMBER, staff_of
from .conftest import NOW as MOMENT

pytestmark = pytest.mark.django_db

DEC_1 = datetime.date(2026, 12, 1)
NOV = periods.month(NOVEMBER)


@pytest.fixture
def reorganized(province):
    """After November: a2 moved from commune A to commune B, and A renamed."""
    move_organization(organization=province.a2, new_parent=province.B, on=DEC_1)
    rename_organization(
        organization=Organization.objects.get(pk=province.A.pk),
        name="Đảng bộ xã Cò Nòi Mới",
        on=DEC_1,
    )
    return province


def fresh(org):
    return Organization.objects.get(pk=org.pk)


def by_name(report):
    return {row.organization.name: row.figures for row in report.rows}


def test_today_the_moved_cell_counts_under_its_new_commune(reorganized, frozen):
    p = reorganized
    report = rollup(p.staff, root=fresh(p.P), period=NOV, now=MOMENT)

    rows = by_name(report)
    assert set(rows) == {"Đảng bộ xã Cò Nòi Mới", "Đảng bộ xã Mường Bon"}
    assert rows["Đảng bộ xã Cò Nòi Mới"].cells == 1 and rows["Đảng bộ xã Mường Bon"].cells == 3
    assert report.tree == NOW


def test_then_it_counts_under_the_commune_it_belonged_to_with_its_name_of_then(reorganized, frozen):
    p = reorganized
    now = rollup(p.staff, root=fresh(p.P), period=NOV, now=MOMENT)
    then = rollup(p.staff, root=fresh(p.P), period=NOV, now=MOMENT, tree=THEN)

    rows = by_name(then)
    assert set(rows) == {"Đảng bộ xã Cò Nòi", "Đảng bộ xã Mường Bon"}
    cong_noi = rows["Đảng bộ xã Cò Nòi"]
    assert (cong_noi.cells, cong_noi.regular_owed, cong_noi.regular_held) == (2, 2, 1)
    assert cong_noi.minutes_missing == 1  # a2's extraordinary meeting, under A then
    assert rows["Đảng bộ xã Mường Bon"].cells == 2
    assert then.total == now.total  # the same cells, grouped as they were
    assert fresh(p.A).name == "Đảng bộ xã Cò Nòi Mới"  # nothing renamed in the database


def test_a_commune_report_of_then_holds_the_cells_it_had_then(reorganized, frozen):
    p = reorganized
    then = rollup(p.staff, root=fresh(p.A), period=NOV, now=MOMENT, tree=THEN)

    assert then.root.name == "Đảng bộ xã Cò Nòi"
    assert {row.organization.pk for row in then.rows} == {p.a1.pk, p.a2.pk}
    assert then.total.cells == 2
    later = periods.month(DEC_1)
    assert {
        row.organization.pk
        for row in rollup(p.staff, root=fresh(p.A), period=later, tree=THEN).rows
    } == {p.a1.pk}


def test_the_cells_sheet_and_the_trends_follow_the_tree_of_then(reorganized, frozen):
    p = reorganized
    cells = cell_figures(p.staff, root=fresh(p.A), period=NOV, now=MOMENT, tree=THEN)
    found = trends(p.staff, root=fresh(p.A), period=NOV, now=MOMENT, tree=THEN)

    assert {row.organization.pk for row in cells} == {p.a1.pk, p.a2.pk}
    assert {m.month: r for m, r, _t in found.by_month}[11] == 1  # a1's regular meeting


def test_the_tree_of_then_keeps_to_what_the_user_sees(reorganized, frozen):
    p = reorganized
    b_staff = staff_of(fresh(p.B))

    scope = then_scope(b_staff, fresh(p.P), NOV)
    # B's office sees a2 (under B today) but not the rest of A.
    assert set(scope.cell_ids) == {p.a2.pk, p.b1.pk, p.b2.pk}


def test_the_page_and_its_links_carry_the_tree_of_then(client, reorganized, frozen, english_pages):
    p = reorganized
    client.force_login(p.staff)

    response = client.get(reverse("report", args=[p.P.pk]), {"period": "2026-11", "tree": "then"})

    html = response.content.decode()
    assert response.context["report"].tree == THEN
    assert "Đảng bộ xã Cò Nòi</a>" in html and "Cò Nòi Mới" not in html
    a_report = reverse("report", args=[p.A.pk])
    assert f'href="{a_report}?period=2026-11&amp;tree=then"' in html
    assert 'href="?period=2026-10&amp;tree=then"' in html
    chart = reverse("report_chart", args=[p.P.pk, "months"])
    assert f'src="{chart}?period=2026-11&amp;tree=then"' in html
    sheet = client.get(reverse("report_xlsx", args=[p.P.pk]), {"period": "2026-11", "tree": "then"})
    assert sheet.status_code == 200
    assert (
        client.get(reverse("report", args=[p.P.pk]), {"tree": "later"})
        .context["form"]
        .errors["tree"]
    )
