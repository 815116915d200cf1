"""Attachments: type by extension and content, size, count."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from feedback.uploads import MAX_BYTES, validate_upload

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 20


def office(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<x/>")
    return buffer.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("don.pdf", PDF, "application/pdf"),
        ("anh.PNG", PNG, "image/png"),
        ("anh.jpeg", JPEG, "image/jpeg"),
        ("anh.jpg", JPEG, "image/jpeg"),
        (
            "bao-cao.docx",
            office("word/"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "so-lieu.xlsx",
            office("xl/"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_allowed_files_accepted(name, content, content_type):
    assert validate_upload(upload(name, content)) == content_type


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "only these file types are accepted"),
        ("trang.html", b"<script>alert(1)</script>", "only these file types are accepted"),
        ("gia.pdf", b"<html><script>alert(1)</script>", "is not the kind of file its name says"),
        ("anh.png", JPEG, "is not the kind of file its name says"),
        ("bang.xlsx", office("word/"), "is not the kind of file its name says"),
        ("hong.docx", b"PK\x03\x04broken", "is not the kind of file its name says"),
        ("rong.pdf", b"", "is empty"),
    ],
)
def test_bad_files_refused(name, content, message):
    with pytest.raises(ValidationError) as error:
        validate_upload(upload(name, content))
    assert message in error.value.messages[0]


def test_too_large_file_refused():
    big = upload("lon.pdf", PDF + b"0" * MAX_BYTES)
    with pytest.raises(ValidationError) as error:
        validate_upload(big)
    assert error.value.messages == ["“lon.pdf” is larger than 5 MB."]
