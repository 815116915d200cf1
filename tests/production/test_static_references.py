"""The static files that templates and stylesheets name exist.

With DEBUG=0 a `{% static %}` name missing from the manifest makes its page
answer 500, and collectstatic refuses a file whose source map is missing.
The smoke test sees the menu pages only; these checks see every template.
"""

import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

BASE_DIR = Path(settings.BASE_DIR)
STATIC_TAG = re.compile(r"""\{%\s*static\s+['"]([^'"]+)['"]\s*%\}""")
SOURCE_MAP = re.compile(r"sourceMappingURL=([^\s*]+)")


def template_files() -> list[Path]:
    folders = [BASE_DIR / "templates", *BASE_DIR.glob("*/templates")]
    return [path for folder in folders for path in folder.rglob("*.html")]


def test_static_every_static_tag_names_an_existing_file():
    named = {
        (str(path.relative_to(BASE_DIR)), name)
        for path in template_files()
        for name in STATIC_TAG.findall(path.read_text(encoding="utf-8"))
    }

    assert {"templates/base.html"} <= {template for template, _ in named}
    assert {(template, name) for template, name in named if not finders.find(name)} == set()


def test_static_source_maps_named_by_css_and_js_exist():
    static = BASE_DIR / "static"
    dangling = {
        str(path.relative_to(static)): target
        for path in [*static.rglob("*.css"), *static.rglob("*.js")]
        for target in SOURCE_MAP.findall(path.read_text(encoding="utf-8", errors="replace"))
        if not (path.parent / target).is_file()
    }

    assert dangling == {}
