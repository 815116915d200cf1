"""chibo as docs/deployment.md runs it: collectstatic, gunicorn, DEBUG=0, behind a proxy.

The server gets its own SQLite database, seeded with the demo, so the smoke
test is the same whatever database the rest of the suite uses (CI: PostgreSQL).
Requests carry the headers the documented nginx sets (X-Forwarded-Proto:
https), so plain HTTP on 127.0.0.1 stands for the HTTPS site.
"""

import gzip
import os
import re
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookiejar import Cookie, CookieJar, DefaultCookiePolicy
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urljoin, urlsplit
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

import brotli

from tests.chibo.test_settings import SETTINGS_VARIABLES, production_env

BASE_DIR = Path(__file__).resolve().parents[2]
STEP_TIMEOUT = 300  # seconds for one manage.py step on a busy machine
START_TIMEOUT = 60  # seconds for gunicorn to answer
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+?)['"]?\s*\)""")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(work: Path, port: int) -> dict[str, str]:
    """The documented production environment, on this machine's loopback."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the browser tests' flag
    settings = production_env()
    # No Redis (tasks inline, cache per process) and no SMTP: what is under
    # test is the web process.
    for name in ("REDIS_URL", "EMAIL_URL"):
        settings.pop(name, None)
    settings.update(
        DJANGO_SETTINGS_MODULE="chibo.settings",
        ALLOWED_HOSTS="127.0.0.1",
        CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{port}",
        DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}",
        STATIC_ROOT=str(work / "static"),
        MEDIA_ROOT=str(work / "media"),
        LOG_LEVEL="WARNING",
    )
    env.update(settings)
    return env


def manage(*sequences: list[list[str]], env: dict[str, str]) -> None:
    """Runs manage.py commands: those of a sequence in turn, the sequences side by side."""

    def run_in_turn(sequence: list[list[str]]) -> None:
        for command in sequence:
            run = subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=BASE_DIR,
                env=env,
                capture_output=True,
                text=True,
                timeout=STEP_TIMEOUT,
            )
            if run.returncode:
                output = (run.stdout + run.stderr)[-4000:]
                raise AssertionError(f"manage.py {' '.join(command)} failed:\n{output}")

    with ThreadPoolExecutor() as pool:
        for done in [pool.submit(run_in_turn, sequence) for sequence in sequences]:
            done.result()


class _BehindHTTPS(DefaultCookiePolicy):
    """The browser talks HTTPS to the proxy: it sends Secure cookies back."""

    def return_ok_secure(self, cookie, request):
        return True


class _NoRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the caller sees the 302 itself


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes  # as transferred (compressed)

    @property
    def text(self) -> str:
        encoding = self.headers.get("content-encoding", "")
        body = {"br": brotli.decompress, "gzip": gzip.decompress}.get(encoding, bytes)(self.body)
        return body.decode("utf-8")


@dataclass
class Client:
    """A browser's HTTP side: cookies, CSRF, compression, the proxy's headers."""

    base: str
    jar: CookieJar = field(default_factory=lambda: CookieJar(policy=_BehindHTTPS()))

    def __post_init__(self):
        self._opener = build_opener(HTTPCookieProcessor(self.jar), _NoRedirects())
        self.origin = "https://" + urlsplit(self.base).netloc

    def get(self, url: str) -> Response:
        return self._send(Request(urljoin(self.base, url)))

    def post(self, url: str, data: dict[str, str]) -> Response:
        body = urlencode(data).encode()
        request = Request(urljoin(self.base, url), data=body, method="POST")
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        request.add_header("Origin", self.origin)
        return self._send(request)

    def cookie(self, name: str) -> Cookie:
        return next(cookie for cookie in self.jar if cookie.name == name)

    def _send(self, request: Request) -> Response:
        request.add_header("X-Forwarded-Proto", "https")
        request.add_header("X-Forwarded-For", "127.0.0.1")
        request.add_header("Accept-Encoding", "br, gzip")
        try:
            with self._opener.open(request, timeout=30) as answer:
                return Response(answer.status, _lower(answer.headers), answer.read())
        except HTTPError as answer:
            return Response(answer.code, _lower(answer.headers), answer.read())


def _lower(headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


class PageLinks(HTMLParser):
    """What a page links to: its menu (links inside <nav>), its static files, its CSRF token."""

    def __init__(self, html: str):
        super().__init__()
        self.menu: list[str] = []
        self.assets: list[str] = []
        self.csrf_token = ""
        self._in_nav = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav":
            self._in_nav += 1
        elif tag == "a" and self._in_nav and attrs.get("href", "#").startswith("/"):
            self.menu.append(attrs["href"])
        elif tag == "link" and attrs.get("href"):
            self.assets.append(attrs["href"])
        elif tag in ("script", "img") and attrs.get("src"):
            self.assets.append(attrs["src"])
        elif tag == "input" and attrs.get("name") == "csrfmiddlewaretoken":
            self.csrf_token = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_nav -= 1


def css_references(css_url: str, css: str) -> list[str]:
    """The files a stylesheet loads (fonts, images), as absolute paths."""
    return [
        urlsplit(urljoin(css_url, ref))._replace(fragment="", query="").geturl()
        for ref in CSS_URL.findall(css)
        if not ref.startswith("data:")
    ]


@dataclass
class Server:
    base: str
    log: Path
    # Static files are the same for every page and role: fetched once.
    assets: dict[str, Response] = field(default_factory=dict)

    def client(self) -> Client:
        return Client(self.base)

    def asset(self, client: Client, url: str) -> Response:
        if url not in self.assets:
            self.assets[url] = client.get(url)
        return self.assets[url]

    def assets_of(self, client: Client, html: str) -> dict[str, Response]:
        """Every static file a page needs: its links, and what its stylesheets load."""
        needed = {url: self.asset(client, url) for url in PageLinks(html).assets}
        for url, response in list(needed.items()):
            if response.status == 200 and response.headers.get("content-type", "").startswith(
                "text/css"
            ):
                for ref in css_references(url, response.text):
                    needed[ref] = self.asset(client, ref)
        return needed


def start_gunicorn(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    """gunicorn as the systemd unit of docs/deployment.md starts it (fewer workers)."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "chibo.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--timeout",
        "60",
        "--access-logfile",
        "-",
    ]
    with log.open("w") as out:
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    # Answering, not only listening: the workers have imported the project.
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}:\n{log.read_text()}")
        try:
            Client(f"http://127.0.0.1:{port}").get("/accounts/login/")
        except (URLError, OSError):
            time.sleep(0.2)
        else:
            return process
    process.kill()
    raise AssertionError(f"gunicorn did not answer within {START_TIMEOUT} s:\n{log.read_text()}")
