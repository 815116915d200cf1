"""Every file the product hands out is private: no shared or browser cache keeps it."""

import pathlib
import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import CellFactory, MemberFactory, OrganizationFactory, RoleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    [
        "member_export",
        "organization_export",
        "member_import_template",
        "organization_import_template",
    ],
)
def test_xlsx_downloads_are_private_and_not_stored(client, name):
    commune = OrganizationFactory(code="co-noi")
    MemberFactory(cell=CellFactory(parent=commune, code="ban-lech"))
    client.force_login(RoleFactory(organization=commune, kind="staff").user)

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"


ATTACHMENT = re.compile(r"FileResponse\(|Content-Disposition|as_attachment=True")


def test_every_module_that_sends_a_file_marks_it_private_and_not_stored():
    """A new download view must set the header too (the views above and the PDFs)."""
    root = pathlib.Path(settings.BASE_DIR)
    senders, offenders = [], []
    for app in ("chibo", "members", "meetings", "feedback", "reports"):
        for path in (root / app).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            if ATTACHMENT.search(source):
                senders.append(path.relative_to(root).as_posix())
                if '"private, no-store"' not in source:
                    offenders.append(path.relative_to(root).as_posix())
    # The spreadsheets, the reports and the background files all answer through
    # chibo.exports.views.private_file.
    assert "chibo/exports/views.py" in senders
    for module in ("members/views/xlsx.py", "reports/views.py"):
        assert "private_file(" in (root / module).read_text(encoding="utf-8"), module
    assert offenders == []
