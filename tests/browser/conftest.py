"""A real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright.

Playwright never downloads a browser here: it launches the system one. In CI
(CI=true) a missing Chromium fails the tests; elsewhere they are skipped.
"""

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio loop running in this thread, which makes
# Django refuse ORM calls from the test body (factories) without this.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("CHIBO_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
TIMEOUT_MS = 15_000


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config, items):
    """Browser tests run last: while Playwright runs, this thread has a running
    event loop, which other tests (asyncio.run, async views) must not see."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session", autouse=True)
def _live_server_media_url():
    """Django's live server wraps a media-file handler that needs MEDIA_URL as a
    string; chibo sets None so that no stored file ever gets a URL. Autouse, so
    it runs before live_server starts; the storage keeps its None base URL."""
    from django.conf import settings

    original = settings.MEDIA_URL
    settings.MEDIA_URL = "/test-media-not-served/"
    yield
    settings.MEDIA_URL = original


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = (
            f"Chromium is not installed at {CHROMIUM}: run `scripts/system-deps.sh test` "
            "as root, or `apt-get install chromium`."
        )
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh phone-sized, Vietnamese-speaking browser tab on the live server."""
    context = browser.new_context(viewport=PHONE, locale="vi-VN", base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def sign_in(live_server):
    """sign_in(page, username, password): through the login form, onto the dashboard."""
    dashboard = re.compile(re.escape(live_server.url) + r"/(\?.*)?$")

    def _sign_in(page, username: str, password: str) -> None:
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.locator("form:has(#id_username) [type=submit]").click()
        try:
            page.wait_for_url(dashboard)
        except Exception as error:  # Playwright's TimeoutError: say where we ended up
            raise AssertionError(
                f"signing in as {username!r} did not reach the dashboard; the browser is on "
                f"{page.url}"
            ) from error

    return _sign_in
