"""bench_tree times the pages of seed_scale's province for its office accounts."""

import io

import pytest
from django.core.management import CommandError, call_command

from chibo.models import Organization
from tests.chibo.scale_data import module_province

province = module_province(cells=20, members=400, months=1)


def run(**options) -> list[str]:
    out = io.StringIO()
    call_command("bench_tree", times=1, stdout=out, **options)
    return out.getvalue().splitlines()


@pytest.mark.django_db
def test_bench_tree_times_each_page_cold_and_warm_for_both_offices(province):
    organizations = Organization.objects.count()

    lines = run()

    assert len(lines) == 2 * 4 * 2
    assert [line.split()[:2] for line in lines[::8]] == [
        ["province", "staff"],
        ["commune", "staff"],
    ]
    assert [line.split()[2:4] for line in lines[:8]] == [
        ["tree", "cold"],
        ["tree", "warm"],
        ["branch", "cold"],
        ["branch", "warm"],
        ["commune", "page"],
        ["commune", "page"],
        ["dashboard", "cold"],
        ["dashboard", "warm"],
    ]
    assert all(line.endswith("KB") and " queries " in line for line in lines)
    assert Organization.objects.count() == organizations  # it writes nothing


@pytest.mark.django_db
def test_bench_tree_names_the_account_it_lacks(province):
    with pytest.raises(CommandError) as missing:
        run(commune_user="nobody")
    with pytest.raises(CommandError) as not_staff:
        run(province_user="cell-secretary")

    assert str(missing.value) == (
        "No staff account 'nobody': build the province with seed_scale first."
    )
    assert "'cell-secretary'" in str(not_staff.value)
