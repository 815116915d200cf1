"""The import benchmark: it times a generated file and leaves the database as it was."""

import pytest
from django.core.management import CommandError, call_command

from chibo.models import Organization
from members.models import Member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def run(**options) -> list[str]:
    from io import StringIO

    out = StringIO()
    call_command("bench_import", stdout=out, **options)
    return out.getvalue().splitlines()


def test_bench_import_creates_then_updates_and_rolls_back():
    lines = run(members=24, cells=4, communes=2)

    assert lines[0].startswith("setup (tree of 4 cells): ")
    assert lines[1].startswith("file generated (")
    assert lines[2].startswith("first import (creates): 24 created, 0 updated; validating ")
    assert lines[3].startswith("second import (updates): 0 created, 24 updated; validating ")
    assert lines[4] == "Rolled back: the database is unchanged."
    assert (Member.objects.count(), Organization.objects.count()) == (0, 0)


def test_bench_import_refuses_a_database_with_members():
    MemberFactory()

    with pytest.raises(CommandError) as error:
        run(members=2, cells=1, communes=1)

    assert str(error.value).startswith("This database already holds members.")
    assert Member.objects.count() == 1


def test_bench_import_runs_beside_members_when_asked():
    kept = MemberFactory()

    lines = run(members=12, cells=2, communes=1, yes=True)

    assert lines[-1] == "Rolled back: the database is unchanged."
    assert list(Member.objects.all()) == [kept]
