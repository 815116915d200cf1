"""Checks on uploaded attachments: extension, content (magic bytes) and size."""

import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_FILES_PER_ITEM = 5

# extension -> (content type, check of the first bytes / the file)
PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TYPES = {
    ".pdf": PDF,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".png": PNG,
    ".docx": DOCX,
    ".xlsx": XLSX,
}
# An Office file is a zip holding this folder.
OFFICE_FOLDERS = {DOCX: "word/", XLSX: "xl/"}


def _sniff(head: bytes, upload) -> str | None:
    """The type the content shows, whatever the name says."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        try:
            upload.seek(0)
            names = zipfile.ZipFile(upload).namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        for content_type, folder in OFFICE_FOLDERS.items():
            if "[Content_Types].xml" in names and any(n.startswith(folder) for n in names):
                return content_type
    return None


def validate_upload(upload) -> str:
    """The file's content type, or ValidationError saying what is wrong."""
    name = PurePath(upload.name or "").name
    suffix = PurePath(name).suffix.lower()
    allowed = ", ".join(sorted({s.lstrip(".") for s in TYPES}))
    if suffix not in TYPES:
        raise ValidationError(
            _("“%(name)s”: only these file types are accepted: %(types)s.")
            % {"name": name, "types": allowed}
        )
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is larger than %(mb)s MB.") % {"name": name, "mb": MAX_BYTES // 2**20}
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if _sniff(head, upload) != TYPES[suffix]:
        raise ValidationError(
            _("“%(name)s” is not the kind of file its name says.") % {"name": name}
        )
    return TYPES[suffix]
