"""`manage.py seed_scale`: options, determinism, refusals, reset, output."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from chibo.demo.scale import USERNAMES, Refused, build_scale, empty_product_tables
from chibo.models import Organization, OrganizationKind
from meetings.models import QuotaRule
from members.models import Member
from tests.chibo.scale_data import NOW, fingerprint, seed
from tests.factories import OrganizationFactory


def test_a_fourth_commune_has_sub_committees_of_about_ten_cells(db):
    build_scale(cells=160, members=480, months=1, now=NOW)
    fourth = Organization.objects.get(code="scale-x004")
    subcommittees = Organization.objects.get_children(fourth)
    assert [s.kind for s in subcommittees] == [OrganizationKind.SUBCOMMITTEE] * 4
    assert [Organization.objects.get_children(s).count() for s in subcommittees] == [10] * 4
    assert Organization.objects.filter(kind=OrganizationKind.CELL).count() == 160
    assert Member.objects.count() == 480


def test_the_same_seed_gives_the_same_rows(db):
    seed()
    first = fingerprint()
    seed(reset=True)
    assert fingerprint() == first


def test_another_seed_gives_another_province(db):
    seed()
    first = fingerprint()
    seed(reset=True, seed=2)
    assert fingerprint() != first


def test_refuses_a_database_with_organizations(db):
    OrganizationFactory()
    with pytest.raises(Refused, match="already holds 1 organizations"):
        seed()
    assert Member.objects.count() == 0


def test_the_command_refuses_without_reset(db):
    OrganizationFactory()
    with pytest.raises(CommandError, match="Pass --reset"):
        call_command("seed_scale", "--cells", "2", "--members", "6", "--months", "1")
    assert Organization.objects.count() == 1


def test_refuses_when_a_benchmark_username_is_taken(db):
    get_user_model().objects.create(username="scale-cadre")
    with pytest.raises(Refused, match="scale-cadre"):
        seed()


def test_reset_empties_the_tables_first(db):
    stray = OrganizationFactory()
    get_user_model().objects.create(username="someone")
    seed(reset=True)
    assert not Organization.objects.filter(pk=stray.pk, code=stray.code).exists()
    assert not get_user_model().objects.filter(username="someone").exists()
    assert Member.objects.count() == 400


def test_reset_keeps_the_reference_data_of_the_migrations(db):
    from feedback.models import Category
    from meetings.models import Holiday

    rules_before = set(QuotaRule.objects.values_list("organization_kind", "seat_kind"))
    holidays, categories = Holiday.objects.count(), Category.objects.count()
    own = QuotaRule.objects.create(
        organization_kind="commune",
        organization=OrganizationFactory(),
        seat_kind="standing",
        visits_per_year=4,
    )
    empty_product_tables()
    assert set(QuotaRule.objects.values_list("organization_kind", "seat_kind")) == rules_before
    assert not QuotaRule.objects.filter(pk=own.pk).exists()
    assert (Holiday.objects.count(), Category.objects.count()) == (holidays, categories)
    assert holidays > 0 and categories == 8


@pytest.mark.parametrize(
    "options",
    [
        {"cells": 0, "members": 10, "months": 1},
        {"cells": 5, "members": 14, "months": 1},
        {"cells": 5, "members": 100, "months": 0},
    ],
)
def test_refuses_sizes_it_cannot_build(db, options):
    with pytest.raises(ValueError, match="three members per cell"):
        build_scale(now=NOW, **options)


def test_the_command_prints_counts_stages_and_the_password(db, rf):
    out = StringIO()
    call_command(
        "seed_scale", "--cells", "4", "--members", "40", "--months", "2",
        "--password", "s3cret-pass", stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    assert "meetings_attendance: " in text
    assert "members_member: 40\n" in text
    assert "members, positions, seats, assignments: " in text
    assert "feedback items by state: " in text
    assert "password s3cret-pass." in text
    assert ", ".join(USERNAMES) in text
    request = rf.post("/accounts/login/")
    assert authenticate(request, username="province-office", password="s3cret-pass") is not None


# What reset empties, and the command's defaults ---------------------------------------------


def test_reset_empties_history_and_many_to_many_tables_but_not_the_reference_data():
    from chibo.demo.scale import _tables

    labels = {model._meta.label_lower for model in _tables()}
    assert {
        "chibo.organization",
        "chibo.historicalorganization",
        "meetings.historicalminutes",
        "meetings.attendance",
        "feedback.feedbackitem",
        "feedback.answeringbody_answerers",
        "auth.user",
        "sessions.session",
    } <= labels
    assert not labels & {"meetings.holiday", "meetings.quotarule", "feedback.category"}
    assert "contenttypes.contenttype" not in labels


def test_the_first_month_is_as_many_months_back_as_asked():
    from chibo.demo.scale import _first_month

    assert _first_month(datetime.date(2026, 12, 1), 36) == datetime.date(2023, 12, 1)
    assert _first_month(datetime.date(2026, 3, 31), 3) == datetime.date(2025, 12, 1)


def test_the_result_adds_up_its_stages():
    from chibo.demo.scale import Result

    result = Result(counts={}, stages=[("a", 1.5), ("b", 2.25)])
    assert result.seconds == 3.75
    assert Result(counts={}).seconds == 0


def test_the_command_defaults_to_the_province_size():
    from chibo.management.commands.seed_scale import Command

    parser = Command().create_parser("manage.py", "seed_scale")
    options = vars(parser.parse_args([]))
    assert (options["cells"], options["members"], options["months"]) == (10_000, 200_000, 36)
    assert (options["seed"], options["password"], options["reset"]) == (1, "chibo-scale", False)
    options = vars(parser.parse_args(["--cells", "20", "--seed", "5", "--reset"]))
    assert (options["cells"], options["seed"], options["reset"]) == (20, 5, True)


def test_the_command_turns_bad_sizes_into_a_command_error(db):
    with pytest.raises(CommandError, match="three members per cell"):
        call_command("seed_scale", "--cells", "10", "--members", "5", "--months", "1")
    assert Organization.objects.count() == 0


def test_the_stages_are_logged_as_they_end(db):
    lines = []
    seed(cells=2, members=6, months=1, log=lines.append)
    assert [line.split(":")[0] for line in lines] == [
        "check",
        "tree and members (memory)",
        "organizations",
        "accounts",
        "members, positions, seats, assignments",
        "meetings",
        "sequences",
        "analyze",
    ]
    assert all(line.endswith(" s") for line in lines)


def test_a_province_of_4800_cells_has_the_agencies_committee_of_480_cells(db):
    build_scale(cells=4800, members=14400, months=1, now=NOW)

    bloc = Organization.objects.get(code="scale-khoi")
    province = Organization.objects.get(code="scale-tinh")
    assert Organization.objects.get_parent(bloc) == province
    subcommittees = Organization.objects.get_children(bloc)
    assert [s.kind for s in subcommittees] == [OrganizationKind.SUBCOMMITTEE] * 12
    cells = Organization.objects.filter(path__startswith=bloc.path, kind=OrganizationKind.CELL)
    assert cells.count() == 480 and cells.first().name.startswith("Chi bộ cơ quan ")
    assert Organization.objects.filter(kind=OrganizationKind.CELL).count() == 4800
    # The commune office still runs the first commune of about 40 cells.
    first = Organization.objects.get(code="scale-x001")
    assert Organization.objects.filter(path__startswith=first.path, kind="cell").count() == 40
