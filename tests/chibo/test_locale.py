"""The compiled Vietnamese catalog must match its source (run `make messages`)."""

import gettext
from pathlib import Path

import polib
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale/vi/LC_MESSAGES/django.po"


def test_compiled_catalog_matches_the_po_file():
    source = polib.pofile(str(PO))
    with PO.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    stale = [
        entry.msgid
        for entry in source.translated_entries()
        if not entry.msgid_plural and compiled.gettext(entry.msgid) != entry.msgstr
    ]

    assert stale == []


def test_every_message_is_translated_to_vietnamese():
    source = polib.pofile(str(PO))

    missing = [entry.msgid for entry in source.untranslated_entries() + source.fuzzy_entries()]

    assert missing == []
