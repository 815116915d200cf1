"""bench_tree builds a province in bulk and prints one line per page and state."""

import io

import pytest
from django.core.management import CommandError, call_command

from chibo.models import Organization, Role
from members.models import Member

pytestmark = pytest.mark.django_db


def test_bench_tree_builds_a_province_and_times_its_pages():
    out = io.StringIO()

    call_command("bench_tree", build=True, communes=3, cells=2, members=2, times=1, stdout=out)

    lines = out.getvalue().splitlines()
    province = Organization.objects.get(kind="province")
    assert lines[0] == f"Built {province.name}: 10 organizations."
    assert Organization.objects.filter(path__startswith=province.path, kind="cell").count() == 6
    assert Member.objects.filter(cell__path__startswith=province.path).count() == 12
    assert sorted(Role.objects.values_list("user__username", "organization__depth")) == [
        ("bench-commune", 2),
        ("bench-province", 1),
    ]
    pages = [line.split()[2:4] for line in lines[1:]]
    assert len(lines) == 1 + 2 * 4 * 2
    assert pages[:8] == [
        ["tree", "cold"],
        ["tree", "warm"],
        ["branch", "cold"],
        ["branch", "warm"],
        ["commune", "page"],
        ["commune", "page"],
        ["dashboard", "cold"],
        ["dashboard", "warm"],
    ]
    assert all(line.endswith("KB") for line in lines[1:])


def test_a_built_province_is_a_valid_tree():
    call_command(
        "bench_tree", build=True, communes=2, cells=3, members=1, times=1, stdout=io.StringIO()
    )

    province = Organization.objects.get(kind="province")
    communes = list(Organization.objects.get_children(province))
    assert [c.numchild for c in communes] == [3, 3]
    assert [len(Organization.objects.get_children(c)) for c in communes] == [3, 3]
    assert Organization.objects.find_problems() == ([], [], [], [], [])


def test_bench_tree_without_accounts_says_to_build():
    with pytest.raises(CommandError, match="run with --build first"):
        call_command("bench_tree", times=1, stdout=io.StringIO())
