"""The export benchmark: it times the build of what a user sees and writes nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from chibo.models import ExportFile
from members.models import Member
from tests.factories import CellFactory, MemberFactory, RoleFactory

pytestmark = pytest.mark.django_db


def run(**options) -> list[str]:
    out = StringIO()
    call_command("bench_export", stdout=out, **options)
    return out.getvalue().splitlines()


def stored(settings) -> list[Path]:
    return sorted(Path(settings.MEDIA_ROOT).glob("exports/*/*/*.xlsx"))


@pytest.fixture
def secretary():
    cell = CellFactory()
    MemberFactory.create_batch(3, cell=cell)
    return RoleFactory(organization=cell, kind="secretary").user


def test_bench_export_times_the_build_and_writes_nothing(secretary):
    lines = run(username=secretary.username, tracemalloc=True)

    assert lines[0].startswith("count in SQL: 3 rows in ")
    assert lines[1].startswith("build: ") and " rows/s, file 0.0 MB" in lines[1]
    assert lines[2].startswith("memory: peak RSS ")
    assert "Python peak " in lines[2] and "(tracemalloc)" in lines[2]
    assert len(lines) == 3
    assert ExportFile.objects.count() == 0


def test_bench_export_store_runs_the_background_path_and_rolls_back(settings, secretary):
    before = stored(settings)

    lines = run(username=secretary.username, store=True)

    assert lines[0].startswith("count in SQL: 3 rows in ")
    assert lines[3] == "file row: done, 3 of 3 rows"
    assert lines[4] == "Rolled back: the database is unchanged."
    assert ExportFile.objects.count() == 0
    assert Member.objects.count() == 3
    assert stored(settings) == before


def test_bench_export_refuses_an_unknown_user():
    with pytest.raises(CommandError) as unknown:
        run()

    assert str(unknown.value) == (
        "No user 'province-office': build the province with seed_scale first."
    )
