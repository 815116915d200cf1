"""All of a period's final minutes in one ZIP, built in the background, with an index."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from chibo.models import ExportFile
from reports import minutes_zip

from .conftest import staff_of

pytestmark = pytest.mark.django_db


def build_zip(client, user, organization, captured, period="2026-11"):
    client.force_login(user)
    url = f"{reverse('report_minutes_zip', args=[organization.pk])}?period={period}"
    with captured(execute=True):
        response = client.post(url)
    export = ExportFile.objects.get(owner=user)
    return response, export


def read(export) -> tuple[list[str], list[list[str]]]:
    with export.file.open("rb") as stored, zipfile.ZipFile(io.BytesIO(stored.read())) as archive:
        names = archive.namelist()
        index = archive.read(minutes_zip.INDEX).decode("utf-8-sig")
    return names, list(csv.reader(io.StringIO(index)))


def test_the_zip_holds_every_final_minutes_of_the_period_and_an_index(
    client, province, frozen, django_capture_on_commit_callbacks
):
    response, export = build_zip(
        client, province.staff, province.P, django_capture_on_commit_callbacks
    )

    assert response.status_code == 302 and export.status == "done"
    names, index = read(export)
    pdfs = [name for name in names if name.endswith(".pdf")]
    assert len(pdfs) == 3  # a1's regular and thematic meetings, b1's regular one
    assert index[0] == minutes_zip.INDEX_HEADER
    assert [row[0] for row in index[1:]] == [
        "Chi bộ bản Lếch",
        "Chi bộ bản Lếch",
        "Chi bộ bản Mòng",
    ]
    assert sorted(row[3] for row in index[1:]) == sorted(pdfs)
    assert len(set(pdfs)) == 3  # two minutes of one cell and month get two names
    assert export.filename == f"bien-ban-{province.P.code}-2026-11.zip"


def test_a_get_only_offers_the_zip(client, province, frozen):
    client.force_login(province.staff)

    response = client.get(
        reverse("report_minutes_zip", args=[province.A.pk]), {"period": "2026-11"}
    )

    assert response.status_code == 200
    assert ExportFile.objects.count() == 0
    assert response.context["total"] == 2


def test_a_commune_office_gets_only_its_minutes_and_no_other(
    client, province, frozen, django_capture_on_commit_callbacks
):
    office = staff_of(province.B)

    _response, export = build_zip(client, office, province.B, django_capture_on_commit_callbacks)
    names, index = read(export)

    assert [row[0] for row in index[1:]] == ["Chi bộ bản Mòng"]
    client.force_login(office)
    assert client.get(reverse("report_minutes_zip", args=[province.A.pk])).status_code == 404
