"""Attachments with hostile names and sizes on the edge, through the checks,
the services that store them and the download that hands them back."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from feedback import services
from feedback.models import Attachment, FeedbackItem
from feedback.uploads import MAX_BYTES, MAX_FILES_PER_ITEM, validate_upload
from feedback.workflow import WorkflowError

from .conftest import routed_item

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


def upload(name, content=PDF):
    return SimpleUploadedFile(name, content)


def zipped(*names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name", ["DON.PDF", "Đơn kiến nghị.pdf", "don.exe.pdf", "don.Pdf", "a b  c.pdf"]
)
def test_names_that_are_pdfs_are_accepted(name):
    assert validate_upload(upload(name)) == "application/pdf"


@pytest.mark.parametrize(
    "name",
    [
        "don.pdf.exe",
        "don.pdf ",
        "don.pdf.",
        ".pdf",
        "don",
        "don.pdf;.exe",
        "don.svg",
        "don.pdf%00.exe",
        "don.htm",
    ],
)
def test_names_that_are_not_an_accepted_type_are_refused(name):
    with pytest.raises(ValidationError) as error:
        validate_upload(upload(name))
    assert error.value.messages == [
        f"“{SimpleUploadedFile(name, b'').name}”: only these file types are accepted: "
        "docx, jpeg, jpg, pdf, png, xlsx."
    ]


def test_a_path_in_the_name_is_dropped_before_anything_else():
    hostile = upload("../../../etc/cron.d/don.pdf")

    assert hostile.name == "don.pdf"
    assert validate_upload(hostile) == "application/pdf"


def test_a_windows_path_in_the_name_is_not_a_folder():
    # On Linux a backslash is a character of the name, and the extension still decides.
    assert validate_upload(upload("C:\\Users\\x\\don.pdf")) == "application/pdf"


def test_the_refusal_names_only_the_file_not_its_path():
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("../../virus.exe"))
    assert error.value.messages[0].startswith("“virus.exe”:")


def test_exactly_the_limit_is_accepted_one_byte_more_is_not():
    assert validate_upload(upload("don.pdf", PDF + b"0" * (MAX_BYTES - len(PDF)))) == (
        "application/pdf"
    )
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("don.pdf", PDF + b"0" * (MAX_BYTES - len(PDF) + 1)))
    assert error.value.messages == ["“don.pdf” is larger than 5 MB."]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bao-cao.docx", zipped("word/document.xml")),  # no [Content_Types].xml
        ("bao-cao.docx", zipped("[Content_Types].xml")),  # no word/ folder
        ("bao-cao.docx", zipped("[Content_Types].xml", "xl/workbook.xml")),
        ("so-lieu.xlsx", zipped("[Content_Types].xml", "word/document.xml")),
        ("so-lieu.xlsx", b"PK\x03\x04" + b"\x00" * 40),
        ("anh.jpg", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20),
        ("anh.png", PDF),
        ("don.pdf", b" %PDF-1.7"),  # a leading space is not a PDF
        ("don.pdf", b"%PDF"),
    ],
)
def test_content_that_is_not_what_the_name_says_is_refused(name, content):
    with pytest.raises(ValidationError) as error:
        validate_upload(upload(name, content))
    assert error.value.messages == [f"“{name}” is not the kind of file its name says."]


def test_the_check_leaves_the_file_at_its_start():
    # The file is saved after the check: a moved cursor would save it truncated.
    office = upload("bao-cao.docx", zipped("[Content_Types].xml", "word/document.xml"))

    validate_upload(office)

    assert office.tell() == 0
    assert office.read(4) == b"PK\x03\x04"


# --- through the services -------------------------------------------------------------


@pytest.mark.django_db
def test_a_stored_file_keeps_its_name_for_the_user_and_a_random_one_on_disk(world):
    item = routed_item(world, "new")

    services.update_item(
        item=item,
        by=world.secretary,
        category=item.category,
        text=item.text,
        raiser_kind="citizens",
        raiser_name="Bà con",
        files=[upload("../../Đơn của bà con.pdf")],
    )

    attachment = Attachment.objects.get(item=item)
    assert attachment.original_name == "Đơn của bà con.pdf"
    assert (attachment.content_type, attachment.size, attachment.uploaded_by) == (
        "application/pdf",
        len(PDF),
        world.secretary,
    )
    assert ".." not in attachment.file.name
    assert "Đơn" not in attachment.file.name


@pytest.mark.django_db
def test_a_very_long_name_is_cut_from_the_left_keeping_the_extension(world):
    item = routed_item(world, "new")
    name = "đ" * 300 + ".pdf"

    services.update_item(
        item=item,
        by=world.secretary,
        category=item.category,
        text=item.text,
        raiser_kind="citizens",
        raiser_name="Bà con",
        files=[upload(name)],
    )

    stored = Attachment.objects.get(item=item).original_name
    assert len(stored) == 200
    assert stored.endswith("đđđ.pdf")


@pytest.mark.django_db
def test_more_files_than_allowed_are_refused_and_none_is_kept(world):
    category = routed_item(world, "new").category
    count = FeedbackItem.objects.count()

    with pytest.raises(WorkflowError) as error:
        services.record_item(
            meeting=world.meeting_a1,
            by=world.secretary,
            category=category,
            text="Đề nghị lắp đèn đường",
            raiser_kind="citizens",
            raiser_name="Bà con",
            files=[upload(f"don-{n}.pdf") for n in range(MAX_FILES_PER_ITEM + 1)],
        )

    assert str(error.value) == "At most 5 files can be attached to an item."
    assert (FeedbackItem.objects.count(), Attachment.objects.count()) == (count, 0)


@pytest.mark.django_db
def test_files_added_later_count_with_those_already_there(world):
    item = routed_item(world, "new")

    def add(n):
        services.update_item(
            item=item,
            by=world.secretary,
            category=item.category,
            text=item.text,
            raiser_kind="citizens",
            raiser_name="Bà con",
            files=[upload(f"don-{i}.pdf") for i in range(n)],
        )

    add(MAX_FILES_PER_ITEM - 1)
    with pytest.raises(WorkflowError):
        add(2)
    add(1)
    assert Attachment.objects.filter(item=item).count() == MAX_FILES_PER_ITEM
    with pytest.raises(WorkflowError):
        add(1)


@pytest.mark.django_db
def test_one_bad_file_among_good_ones_keeps_none(world):
    item = routed_item(world, "new", text="Trước")

    with pytest.raises(WorkflowError) as error:
        services.update_item(
            item=item,
            by=world.secretary,
            category=item.category,
            text="Sau",
            raiser_kind="citizens",
            raiser_name="Bà con",
            files=[upload("don.pdf"), upload("anh.png", PDF)],
        )

    assert str(error.value) == "“anh.png” is not the kind of file its name says."
    assert Attachment.objects.filter(item=item).count() == 0
    assert FeedbackItem.objects.get(pk=item.pk).text == "Trước"


# --- the download ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "disposition"),
    [
        ("don.pdf", 'attachment; filename="don.pdf"'),
        ('a"b.pdf', 'attachment; filename="a\\"b.pdf"'),
        ("Đơn.pdf", "attachment; filename*=utf-8''%C4%90%C6%A1n.pdf"),
        (
            "don\r\nSet-Cookie: x=1.pdf",
            "attachment; filename*=utf-8''don%0D%0ASet-Cookie%3A%20x%3D1.pdf",
        ),
    ],
)
def test_the_download_cannot_be_made_to_write_headers(client, world, name, disposition):
    item = routed_item(world, "new")
    attachment = Attachment(
        item=item, original_name=name, content_type="application/pdf", size=len(PDF)
    )
    attachment.file.save("x.pdf", SimpleUploadedFile("x.pdf", PDF), save=True)
    client.force_login(world.secretary)

    response = client.get(reverse("feedback_attachment", args=[attachment.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == disposition
    assert "Set-Cookie" not in response.headers
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.django_db
def test_a_file_missing_from_storage_is_404_not_500(client, world):
    item = routed_item(world, "new")
    attachment = Attachment(
        item=item, original_name="don.pdf", content_type="application/pdf", size=len(PDF)
    )
    attachment.file.save("x.pdf", SimpleUploadedFile("x.pdf", PDF), save=True)
    attachment.file.storage.delete(attachment.file.name)
    client.force_login(world.secretary)

    response = client.get(reverse("feedback_attachment", args=[attachment.pk]))

    assert response.status_code == 404
