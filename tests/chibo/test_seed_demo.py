"""`manage.py seed_demo`: the demo built from the seed articles, and run twice."""

import datetime
import re
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from chibo import demo as demo_package
from chibo.access import VIEW, visible
from chibo.models import Organization, Reorganization, Role
from chibo.tree import create_organization, tree_on
from meetings.models import Assignment
from members.models import CommitteeSeat, Member, MemberStatus, Position, SeatKind, Transfer

BEFORE_REFORM = datetime.date(2024, 6, 1)
REFORM = datetime.date(2025, 7, 1)
ACCOUNTS = {
    "admin": {("admin", "tinh-son-la"), ("admin", "tinh-ha-tinh")},
    "staff": {("staff", "tinh-son-la")},
    "cadre": {("cadre", "xa-co-noi")},
    "secretary": {("secretary", "cb-ban-lech")},
    "answerer": {("answerer", "xa-co-noi")},
}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module; every test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def today():
    return timezone.localdate()


def org(code):
    return Organization.objects.get(code=code)


def parent_code(code):
    return Organization.objects.get_parent(org(code)).code


def names_in(nodes):
    for node in nodes:
        yield node.name
        yield from names_in(node.children)


def table_sizes():
    """Rows in every table the demo writes, history tables included."""
    labels = ["chibo", "members", "meetings", "auth"]
    return {
        model._meta.label: model._default_manager.count()
        for label in labels
        for model in apps.get_app_config(label).get_models()
    }


def test_seed_demo_output_counts_what_it_created(seeded):
    assert seeded.splitlines()[:9] == [
        "organizations: 42 (42 new)",
        "active cells: 30",
        "members: 891 (891 new)",
        "positions: 138 (138 new)",
        "committee seats: 17 (17 new)",
        "assignments: 8 (8 new)",
        "reorganizations: 11 (11 new)",
        "users: 5 (5 new)",
        "roles: 6 (6 new)",
    ]


def test_seed_demo_twice_changes_nothing(seeded, db):
    sizes = table_sizes()
    passwords = dict(get_user_model().objects.values_list("username", "password"))
    out = StringIO()

    call_command("seed_demo", stdout=out)

    assert table_sizes() == sizes
    assert dict(get_user_model().objects.values_list("username", "password")) == passwords
    assert "new" not in out.getvalue()
    assert "members: 891\n" in out.getvalue()


def test_seed_demo_keeps_a_password_changed_after_seeding(seeded, db, rf):
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("something-else")
    admin.save()

    call_command("seed_demo", stdout=StringIO())

    admin.refresh_from_db()
    assert admin.check_password("something-else")


def test_build_demo_rolls_back_when_a_step_fails(db, monkeypatch):
    def probe(demo):
        create_organization(parent=None, code="probe", name="Probe", kind="province")

    def broken(demo):
        raise RuntimeError("step failed")

    monkeypatch.setattr(demo_package, "STEPS", [probe, broken])

    with pytest.raises(RuntimeError, match="step failed"):
        demo_package.build_demo()

    assert not Organization.objects.filter(code="probe").exists()


@pytest.mark.parametrize("username", sorted(ACCOUNTS))
def test_demo_account_signs_in_with_the_demo_password(seeded, db, rf, username):
    request = rf.post("/accounts/login/")

    user = authenticate(request=request, username=username, password="chibo-demo")

    assert user is not None and user.username == username
    assert user.first_name and user.last_name


def test_demo_account_refuses_a_wrong_password(seeded, db, rf):
    request = rf.post("/accounts/login/")

    assert authenticate(request=request, username="secretary", password="chibo-test") is None


def test_demo_accounts_have_their_roles(seeded, db):
    for username, expected in ACCOUNTS.items():
        roles = set(
            Role.objects.filter(user__username=username).values_list("kind", "organization__code")
        )
        assert roles == expected, username
    admin = get_user_model().objects.get(username="admin")
    assert (admin.is_superuser, admin.is_staff) == (True, True)
    assert (
        not get_user_model()
        .objects.filter(username__in=["staff", "cadre", "secretary", "answerer"], is_superuser=True)
        .exists()
    )


def test_demo_secretary_is_the_secretary_of_ban_lech(seeded, db, today):
    user = get_user_model().objects.get(username="secretary")

    position = Position.objects.current(today).get(member=user.member, kind="secretary")

    assert position.cell.code == "cb-ban-lech"
    assert user.member.cell.code == "cb-ban-lech"
    assert user.get_full_name() == user.member.full_name


def test_demo_staff_sees_the_former_mai_son_communes_only(seeded, db):
    staff = get_user_model().objects.get(username="staff")

    codes = set(visible(staff, Organization, VIEW).values_list("code", flat=True))

    assert {"xa-co-noi", "xa-muong-chanh", "cb-ban-lech", "cb-ban-dong-san"} <= codes
    assert "tt-huong-khe" not in codes


def test_demo_tree_before_the_reform_shows_the_districts(seeded, db):
    names = set(names_in(tree_on(BEFORE_REFORM)))

    assert {
        "Đảng bộ huyện Mai Sơn",
        "Đảng bộ huyện Đức Thọ",
        "Đảng bộ huyện Hương Khê",
        "Đảng bộ xã Nà Bó",
        "Chi bộ Văn phòng Huyện ủy Mai Sơn",
    } <= names
    assert "Chi bộ Cơ quan xã Cò Nòi" not in names  # dissolved in 2019


def test_demo_tree_today_has_no_districts(seeded, db, today):
    roots = {node.name: node for node in tree_on(today)}
    names = set(names_in(roots.values()))

    assert "Đảng bộ huyện Mai Sơn" not in names
    assert "Đảng bộ huyện Hương Khê" not in names
    assert "Đảng bộ xã Nà Bó" not in names
    assert sorted(child.name for child in roots["Đảng bộ tỉnh Sơn La"].children) == [
        "Đảng bộ xã Cò Nòi",
        "Đảng bộ xã Mường Chanh",
    ]
    assert sorted(child.name for child in roots["Đảng bộ tỉnh Hà Tĩnh"].children) == [
        "Đảng bộ thị trấn Hương Khê",
        "Đảng bộ xã Đức Lâm",
    ]


def test_demo_cells_stand_where_the_articles_put_them(seeded, db):
    assert parent_code("cb-ban-lech") == "xa-co-noi"
    assert parent_code("cb-ban-cang-muong") == "xa-muong-chanh"
    assert parent_code("cb-thon-hoa-ich-lam") == "xa-duc-lam"
    assert org("cb-ban-dong-san").version_on(BEFORE_REFORM).parent.code == "xa-na-bo"
    assert parent_code("cb-ban-dong-san") == "xa-muong-chanh"
    assert org("cb-ban-dong-san").place_name == "Mường Chanh"


def test_demo_reorganizations_are_dated_events(seeded, db):
    events = set(
        Reorganization.objects.exclude(kind="founded").values_list(
            "date", "kind", "organization__code"
        )
    )

    assert (datetime.date(2019, 5, 1), "dissolved", "cb-co-quan-xa-co-noi") in events
    assert (REFORM, "dissolved", "cb-vp-huyen-uy-mai-son") in events
    assert (REFORM, "merged", "xa-na-bo") in events
    for district in ["huyen-mai-son", "huyen-duc-tho", "huyen-huong-khe"]:
        assert (REFORM, "merged", district) in events
        assert org(district).dissolved_on == REFORM
    assert len(events) == 11


def test_demo_commune_agency_cell_went_to_village_cells_in_2019(seeded, db):
    cell = org("cb-co-quan-xa-co-noi")

    transfers = Transfer.objects.filter(from_cell=cell)

    assert cell.dissolved_on == datetime.date(2019, 5, 1)
    assert not Member.objects.filter(cell=cell).exists()
    assert transfers.count() == 7
    assert set(transfers.values_list("date", flat=True)) == {datetime.date(2019, 5, 1)}
    assert set(transfers.values_list("to_cell__code", flat=True)) == {
        "cb-ban-lech",
        "cb-tieu-khu-co-noi",
    }
    assert not Position.objects.current(datetime.date(2020, 1, 1)).filter(cell=cell).exists()


def test_demo_huong_khe_town_has_25_cells_and_about_800_members(seeded, db):
    town = org("tt-huong-khe")
    cells = Organization.objects.get_children(town).filter(kind="cell")

    residential = cells.filter(name__startswith="Chi bộ tổ dân phố ")

    assert cells.count() == 25
    assert residential.count() == 19
    assert Member.objects.filter(cell__in=residential).count() == 687
    assert Member.objects.filter(cell__in=cells).count() == 794


def test_demo_mai_son_cells_meet_on_the_24th(seeded, db):
    cells = org("tinh-son-la").subtree().cells()

    assert cells.count() == 6
    assert set(cells.values_list("meeting_day", flat=True)) == {24}
    assert org("cb-thon-hoa-ich-lam").meeting_day == 3


def test_demo_cells_outside_huong_khe_have_8_to_25_members(seeded, db, today):
    town = org("tt-huong-khe")
    cells = Organization.objects.cells().active(today).exclude(path__startswith=town.path)

    sizes = {cell.code: cell.members.on_roll().count() for cell in cells}

    assert len(sizes) == 5
    assert all(8 <= size <= 25 for size in sizes.values()), sizes


def test_demo_members_are_mostly_official_with_some_probationary_exempt_and_away(seeded, db):
    members = Member.objects.all()
    probationary = members.filter(status=MemberStatus.PROBATIONARY)
    exempt = members.filter(is_exempt=True)

    assert members.count() == 891
    assert 40 <= probationary.count() <= 90
    assert not probationary.filter(party_card_number__isnull=False).exists()
    assert not probationary.filter(official_on__isnull=False).exists()
    assert 30 <= exempt.count() <= 90
    assert not exempt.filter(exempt_since__isnull=True).exists()
    assert set(exempt.values_list("exempt_reason", flat=True)) <= {
        "Tuổi cao, sức yếu",
        "Ốm đau dài ngày",
    }
    assert 30 <= members.filter(is_away_for_work=True).count() <= 100
    cards = list(
        members.exclude(party_card_number=None).values_list("party_card_number", flat=True)
    )
    assert len(cards) == len(set(cards)) == 891 - probationary.count()
    assert all(re.fullmatch(r"\d{8}", card) for card in cards)


def test_demo_member_dates_are_plausible(seeded, db, today):
    for m in Member.objects.all():
        assert m.birth_date.replace(year=m.birth_date.year + 18) <= m.joined_on <= today, m
        if m.official_on:
            assert m.official_on > m.joined_on
        else:
            assert (today - m.joined_on).days < 365, m


def test_demo_names_are_vietnamese_by_province(seeded, db):
    son_la = Member.objects.filter(cell__path__startswith=org("tinh-son-la").path)
    ha_tinh = Member.objects.filter(cell__path__startswith=org("tinh-ha-tinh").path)

    thai = son_la.filter(full_name__regex=r"^(Lò|Cầm|Quàng|Lường|Tòng|Vì) ").count()

    assert thai >= 20
    assert not ha_tinh.filter(full_name__regex=r"^(Lò|Cầm|Quàng|Lường|Tòng|Vì|Mùa) ").exists()
    assert Member.objects.filter(cell__code="cb-ban-dong-san", full_name__contains=" A ").exists()


def test_demo_cells_have_a_secretary_and_a_deputy_when_large(seeded, db, today):
    for cell in Organization.objects.cells().active(today):
        officials = cell.members.on_roll().filter(status=MemberStatus.OFFICIAL).count()
        current = Position.objects.current(today).filter(cell=cell)
        assert current.filter(kind="secretary").count() == 1, cell
        assert current.filter(kind="deputy").count() == (1 if officials >= 9 else 0), cell
        assert not current.filter(member__status=MemberStatus.PROBATIONARY).exists()


def test_demo_mai_son_committees_seat_3_standing_and_5_executive(seeded, db, today):
    district = org("huyen-mai-son")

    seats = CommitteeSeat.objects.current(BEFORE_REFORM).filter(organization=district)

    assert seats.filter(kind=SeatKind.STANDING).count() == 3
    assert seats.filter(kind=SeatKind.EXECUTIVE).count() == 5
    assert not CommitteeSeat.objects.current(today).filter(organization=district).exists()
    assert set(
        CommitteeSeat.objects.filter(organization=district).values_list("ends_on", flat=True)
    ) == {REFORM}
    commune = CommitteeSeat.objects.current(today).filter(organization__code="xa-co-noi")
    assert commune.filter(kind=SeatKind.EXECUTIVE).count() == 4


def test_demo_cadre_sits_on_a_standing_committee_and_has_assignments(seeded, db, today):
    cadre = get_user_model().objects.get(username="cadre")
    member = cadre.member

    assignments = Assignment.objects.current(today).filter(cadre=member)

    assert (
        CommitteeSeat.objects.current(today)
        .get(member=member, kind=SeatKind.STANDING)
        .organization.code
        == "xa-co-noi"
    )
    assert (
        CommitteeSeat.objects.current(BEFORE_REFORM)
        .filter(member=member, kind=SeatKind.STANDING, organization__code="huyen-mai-son")
        .exists()
    )
    assert set(assignments.values_list("cell__code", flat=True)) == {
        "cb-ban-lech",
        "cb-ban-dong-san",
        "cb-ban-cang-muong",
    }
    assert set(assignments.values_list("starts_on", flat=True)) == {datetime.date(2025, 1, 1)}
    assert set(visible(cadre, Organization, VIEW).values_list("code", flat=True)) == {
        "xa-co-noi",
        "cb-ban-lech",
        "cb-ban-dong-san",
        "cb-ban-cang-muong",
    }


def test_demo_cadres_are_never_assigned_to_their_own_cell(seeded, db, today):
    assignments = Assignment.objects.current(today).select_related("cadre")

    assert assignments.count() == 8
    assert all(a.cadre.cell_id != a.cell_id for a in assignments)
