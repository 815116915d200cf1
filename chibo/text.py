"""Search text without Vietnamese diacritics, and text made safe to print.

"Nguyễn Văn" and "nguyen van" must find each other on SQLite and PostgreSQL
alike, so every searchable model keeps a folded copy of its name (indexed)
and queries are folded the same way.
"""

import re
import unicodedata

from django.utils.translation import gettext

# đ/Đ is a letter of its own, not d plus a combining mark: NFD leaves it alone.
_LETTERS = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str | None) -> str:
    """Lower case, no diacritics, single spaces, no NUL (PostgreSQL refuses it in a query)."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS).replace("\x00", ""))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())


# Bidirectional controls: embeddings and overrides (U+202A-U+202E), isolates
# (U+2066-U+2069), the left-to-right, right-to-left and Arabic letter marks.
# Vietnamese never needs them; in an official document a right-to-left
# override would print a name or a vote count backwards.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def strip_bidi_controls(text: str) -> str:
    return _BIDI_CONTROLS.sub("", text)


def display_name(person) -> str:
    """How a person is named on a page: a user by full name (or username), a
    member by full name, anything else by its own text; nobody is "someone"."""
    if person is None:
        return gettext("someone")
    if hasattr(person, "get_full_name"):
        return person.get_full_name() or person.get_username()
    return getattr(person, "full_name", None) or str(person)
