"""The icon subset (manage.py subset_icons) has every icon chibo's code uses."""

from pathlib import Path

from django.conf import settings
from fontTools.ttLib import TTFont

from chibo.management.commands.subset_icons import (
    FULL_CSS,
    SUBSET_CSS,
    SUBSET_FONT,
    icon_codepoints,
    used_icons,
)


def test_icons_every_used_icon_is_in_the_subset_stylesheet():
    known = set(icon_codepoints(FULL_CSS.read_text(encoding="utf-8")))
    used = used_icons(Path(settings.BASE_DIR), known)

    missing = used - set(icon_codepoints(SUBSET_CSS.read_text(encoding="utf-8")))
    assert missing == set(), f"run `manage.py subset_icons`: {sorted(missing)} are not in it"


def test_icons_subset_font_draws_every_icon_of_the_subset_stylesheet():
    codepoints = set(icon_codepoints(SUBSET_CSS.read_text(encoding="utf-8")).values())

    with TTFont(SUBSET_FONT) as font:
        assert codepoints - set(font.getBestCmap()) == set()


def test_icons_scan_finds_classes_in_templates_and_python(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text('<i class="bi bi-star-fill"></i> bi-weekly')
    (tmp_path / "forms.py").write_text('attrs = {"class": "bi-trash"}')
    (tmp_path / "static" / "vendor").mkdir(parents=True)
    (tmp_path / "static" / "vendor" / "lib.js").write_text('"bi-alarm"')

    found = used_icons(tmp_path, {"bi-star-fill", "bi-trash", "bi-alarm", "bi-lock"})

    assert found == {"bi-star-fill", "bi-trash"}
