"""bench_reports times the reports of seed_scale's offices: one line per measure."""

import io

import pytest
from django.core.management import CommandError, call_command

from chibo.models import ExportFile, Organization
from tests.chibo.scale_data import module_province

province = module_province(cells=20, members=400, months=2)


@pytest.mark.django_db
def test_bench_reports_prints_each_measure_for_both_offices(province):
    out = io.StringIO()

    call_command("bench_reports", period="2026-11", naive=True, times=1, stdout=out)

    lines = out.getvalue().splitlines()
    measures = [
        "roll-up, cold",
        "roll-up, cached",
        "page, cached",
        "trends, cold",
        "chart months",
        "chart attendance",
        "chart feedback",
        "PDF, summary",
        "PDF, naive",
        "XLSX build",
        "PDF by a worker",
        "stored, again",
    ]
    assert len(lines) == 2 * len(measures)
    for line, measure in zip(lines, measures * 2, strict=True):
        assert measure in line and " ms" in line
    assert " queries, database " in lines[0] and "(2026-11)" in lines[0]
    assert "x faster" in lines[8] and lines[9].endswith(" MB")
    assert lines[11].endswith("HTTP 200")
    assert not ExportFile.objects.exists()  # the stored file it made is gone


@pytest.mark.django_db
def test_bench_reports_names_the_account_it_lacks(province):
    with pytest.raises(CommandError, match="No staff account 'nobody'"):
        call_command("bench_reports", users="nobody", stdout=io.StringIO())


@pytest.mark.django_db
def test_bench_reports_also_measures_a_sub_organization_for_the_last_office(province):
    out = io.StringIO()

    call_command("bench_reports", period="2026-11", also="scale-x002", times=1, stdout=out)

    roots = [line.split(" (2026-11)")[0] for line in out.getvalue().splitlines()]
    names = list(dict.fromkeys(roots))
    assert len(names) == 3 and len(roots) == 3 * 11  # no naive PDF without --naive
    assert names[1] == Organization.objects.get(code="scale-x002").name
