"""The export benchmark: it times the background path and leaves the database as it was."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from chibo.models import ExportFile, Organization
from members.models import Member
from tests.factories import CellFactory, MemberFactory, RoleFactory

pytestmark = pytest.mark.django_db


def run(**options) -> list[str]:
    out = StringIO()
    call_command("bench_export", stdout=out, **options)
    return out.getvalue().splitlines()


def stored(settings) -> list[Path]:
    return sorted(Path(settings.MEDIA_ROOT).glob("exports/*/*/*.xlsx"))


def test_bench_export_generates_builds_and_rolls_back(settings):
    before = stored(settings)

    lines = run(members=30, cells=3, communes=1)

    assert lines[0].startswith("setup (30 members in 3 cells): ")
    assert lines[1].startswith("count in SQL: 30 rows in ")
    assert lines[2].startswith("build: ") and " rows/s, file 0.0 MB" in lines[2]
    assert lines[3].startswith("memory: peak RSS ")
    assert lines[4] == "file row: done, 30 of 30 rows"
    assert lines[5] == "Rolled back: the database is unchanged."
    assert (Member.objects.count(), Organization.objects.count()) == (0, 0)
    assert ExportFile.objects.count() == 0
    assert stored(settings) == before


def test_bench_export_for_an_existing_user_writes_nothing():
    cell = CellFactory()
    MemberFactory.create_batch(3, cell=cell)
    user = RoleFactory(organization=cell, kind="secretary").user

    lines = run(username=user.username, tracemalloc=True)

    assert lines[0].startswith("count in SQL: 3 rows in ")
    assert lines[1].startswith("build: ")
    assert "Python peak " in lines[2] and "(tracemalloc)" in lines[2]
    assert ExportFile.objects.count() == 0


def test_bench_export_refuses_an_unknown_user_and_a_database_with_members():
    with pytest.raises(CommandError) as unknown:
        run(username="nobody")
    MemberFactory()
    with pytest.raises(CommandError) as busy:
        run(members=2, cells=1, communes=1)

    assert str(unknown.value) == "No user 'nobody'."
    assert str(busy.value) == "This database already holds members: pass --yes to go on."


def test_bench_export_keep_commits_the_generated_province():
    lines = run(members=6, cells=2, communes=1, keep=True)

    username = lines[-1].removeprefix("Kept: measure again with --username ")
    assert lines[-1].startswith("Kept: ")
    assert Member.objects.count() == 6
    assert run(username=username)[0].startswith("count in SQL: 6 rows in ")
