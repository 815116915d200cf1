"""HTML templates to PDF with WeasyPrint, reading only the project's own static files.

Documents are Django templates (so user text is escaped) rendered with a
`url_fetcher` that serves files under `static/` and nothing else: no network,
no `file://` outside `static/`, no `data:` URLs. Fonts are @font-face rules
pointing at `static/fonts/`, so every machine embeds the same files.

WeasyPrint is imported inside the functions: loading it (pango, fontconfig,
cffi) costs about half a second that most requests and commands never need.
"""

import logging
import mimetypes
import threading
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string

from chibo.text import strip_bidi_controls

# WeasyPrint reports each step at INFO (parsing its own stylesheets on
# import included): noise in the server's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# One FontConfiguration is shared by every render of the process (it caches
# the @font-face files it has loaded); fontconfig is not thread-safe, so
# renders take turns.
_render_lock = threading.Lock()


# A document's own generated images (a report's charts) are named `generated:<name>`:
# served from memory for that one render, never from disk or the network.
GENERATED = "generated:"


class ResourceRefused(ValueError):
    """A document asked for a resource that is not one of the project's static files."""


def static_root() -> Path:
    return (Path(settings.BASE_DIR) / "static").resolve()


def static_base_url() -> str:
    """Base URL of the documents: relative references resolve inside static/."""
    return static_root().as_uri() + "/"


def static_path(url: str) -> Path:
    """The file under static/ that `url` names, or ResourceRefused."""
    try:
        parts = urlsplit(url)
    except ValueError as error:
        raise ResourceRefused(f"Not a URL: {url!r}") from error
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise ResourceRefused(f"Only the project's static files may be fetched: {url!r}")
    try:
        # resolve() follows symlinks and '..', so neither can lead outside.
        path = Path(unquote(parts.path)).resolve()
    except (OSError, ValueError) as error:
        raise ResourceRefused(f"Bad path: {url!r}") from error
    root = static_root()
    if not path.is_relative_to(root) or not path.is_file():
        raise ResourceRefused(f"Not a static file of the project: {url!r}")
    return path


@cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        """Serves files under static/ and the render's generated images;
        refuses everything else."""

        def __init__(self, generated=None, **kwargs):
            super().__init__(**kwargs)
            self.generated = generated or {}

        def fetch(self, url, headers=None):
            if url.startswith(GENERATED):
                if url[len(GENERATED) :] not in self.generated:
                    raise ResourceRefused(f"No such generated image: {url!r}")
                body, mime_type = self.generated[url[len(GENERATED) :]]
                return URLFetcherResponse(url, body=body, headers={"Content-Type": mime_type})
            path = static_path(url)
            mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                path.as_uri(), body=path.read_bytes(), headers={"Content-Type": mime_type}
            )

    return StaticFilesFetcher


def url_fetcher(generated: dict[str, tuple[bytes, str]] | None = None):
    """A WeasyPrint URL fetcher limited to the project's static files and
    the images `generated` holds ({name: (bytes, MIME type)})."""
    return _fetcher_class()(generated=generated)


@cache
def font_configuration():
    """The process's one FontConfiguration: fonts are loaded on the first render only."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render_pdf(
    template_name: str, context: dict, *, generated: dict[str, tuple[bytes, str]] | None = None
) -> bytes:
    """Render a Django template to PDF bytes; `generated` holds the images the
    template names `generated:<name>` (url_fetcher).

    Bidirectional control characters are removed from the whole document, so
    no text, whoever typed it, can reorder what the PDF shows.
    """
    from weasyprint import HTML

    html = strip_bidi_controls(render_to_string(template_name, context))
    with _render_lock:
        font_config = font_configuration()
        fetcher = url_fetcher(generated)
        document = HTML(string=html, base_url=static_base_url(), url_fetcher=fetcher)
        return document.write_pdf(font_config=font_config)
