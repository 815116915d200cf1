"""Search text without Vietnamese diacritics.

"Nguyễn Văn" and "nguyen van" must find each other on SQLite and PostgreSQL
alike, so every searchable model keeps a folded copy of its name (indexed)
and queries are folded the same way.
"""

import unicodedata

# đ/Đ is a letter of its own, not d plus a combining mark: NFD leaves it alone.
_LETTERS = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str | None) -> str:
    """Lower case, no diacritics, single spaces."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())
