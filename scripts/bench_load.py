#!/usr/bin/env python3
"""`make bench-load`: chibo's pages under wrk, beside a hello-world Django app.

Starts chibo as docs/deployment.md runs it (collectstatic, gunicorn with 2 sync
workers, DEBUG=0, Redis cache, behind the proxy's X-Forwarded-Proto header) on
the database of BENCH_DATABASE_URL, and scripts/bench/hello.py with the same
gunicorn options. Signs in as each role through the real sign-in form, then
for every page measures hello-world and the page one after the other (wrk,
16 connections, 10 s), waiting between runs until the server is idle, for
three rounds. Prints, per role, each page's req/s, p50, p99, non-2xx answers
and its req/s as a share of the hello-world run just before it.

This process never imports chibo: it talks HTTP to gunicorn and runs
manage.py in subprocesses (collectstatic, the migration check, finding the
secretary's draft). It writes to the database it is given (three sessions,
the sign-ins' access log, the autosaves' versions of one draft): give it a
copy of the scale database (createdb -T chibo_scale ...), not the original.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urljoin
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

BASE_DIR = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/chibo_scale"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEFAULT_PASSWORD = "chibo-scale"
# The accounts `manage.py seed_scale` creates, by role.
ACCOUNTS = {
    "province": "province-office",
    "commune": "commune-office",
    "secretary": "cell-secretary",
}
ROLE_TITLES = {
    "province": "province staff",
    "commune": "commune staff (40 cells)",
    "secretary": "cell secretary",
}
START_TIMEOUT = 120  # seconds for gunicorn's workers to answer
WRK_TIMEOUT = "60s"  # gunicorn's own timeout: a slow page is slow, not an error
RESULT_MARK = "BENCH-RESULT "


class BenchError(Exception):
    """Something that stops the benchmark, said plainly."""


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    path: str  # "{meeting}" is the secretary's meeting; the autosave's URL is found
    method: str = "GET"


PAGES = [
    Page("dashboard", "dashboard", "/"),
    Page("tree", "organization tree", "/org/"),
    Page("members", "member list", "/members/"),
    Page("search", "member search", "/members/?q=nguyen"),
    Page("meetings", "meeting list", "/meetings/"),
    Page("feedback", "feedback list", "/feedback/"),
    Page("quotas", "quota report", "/meetings/quotas/"),
    Page("report", "monthly report", "/reports/"),
    Page("meeting", "meeting page", "/meetings/{meeting}/"),
    Page("autosave", "autosave", "", "POST"),
]
PAGE_KEYS = [page.key for page in PAGES]


# wrk's results ---------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    non2xx: int  # answers outside 200-299 (wrk itself counts 3xx as good)
    socket_errors: int  # connect, read, write and timeout errors

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def failed(self) -> bool:
        return bool(self.non2xx or self.socket_errors)


def parse_wrk_output(text: str) -> Result:
    """The result line the generated script's done() prints among wrk's own output."""
    lines = [line for line in text.splitlines() if line.startswith(RESULT_MARK)]
    if not lines:
        raise BenchError(f"wrk printed no result line:\n{text[-2000:]}")
    data = json.loads(lines[-1].removeprefix(RESULT_MARK))
    return Result(
        requests=int(data["requests"]),
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        non2xx=int(data["non2xx"]),
        socket_errors=sum(int(data[kind]) for kind in ("connect", "read", "write", "timeout")),
    )


# The Lua script --------------------------------------------------------------


@dataclass(frozen=True)
class Autosave:
    """What the editor's script posts (static/js/minutes-autosave.js): the form's
    fields, the version the text started from, the page's editor token and a
    new id per save. One text field changes on every save, as when typing."""

    fields: list[tuple[str, str]]  # the form's own, without version and the typed field
    typed_field: str
    typed_text: str
    version: int
    editor_token: str


def lua_string(value: str) -> str:
    """A Lua string literal: only printable ASCII is written as is."""
    out = []
    for char in value:
        if char in '\\"':
            out.append("\\" + char)
        elif " " <= char <= "~":
            out.append(char)
        else:
            out.extend(f"\\{byte}" for byte in char.encode())
    return '"' + "".join(out) + '"'


LUA_COMMON = """
non2xx = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("non2xx") end
  local e = summary.errors
  io.write(string.format(
    '%s{"requests": %d, "duration_us": %d, "p50_us": %.0f, "p99_us": %.0f, "non2xx": %d, '
    .. '"connect": %d, "read": %d, "write": %d, "timeout": %d}\\n',
    RESULT_MARK, summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(99), bad, e.connect, e.read, e.write, e.timeout))
end
"""

LUA_GET = """
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
"""

LUA_AUTOSAVE = """
local counter = 0

function request()
  counter = counter + 1
  local body = fixed .. "&version=" .. version .. "&" .. typed_field .. "="
    .. typed_text .. "+" .. counter .. "&save_id=" .. nonce .. "-" .. thread_id .. "-" .. counter
  return wrk.format(nil, nil, nil, body)
end

-- Each answer carries the draft's new version: the next save starts from it,
-- as the page does (a 409 carries the current one too).
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
  local seen = tonumber(string.match(body, '"version"%s*:%s*(%d+)'))
  if seen and seen > version then version = seen end
end
"""


def lua_script(
    *, headers: dict[str, str], autosave: Autosave | None = None, nonce: str = ""
) -> str:
    """The wrk script of one run: the signed-in browser's headers, and for the
    autosave the editor's POST; it counts non-2xx answers and prints the result."""
    lines = [f"RESULT_MARK = {lua_string(RESULT_MARK)}"]
    lines += [f"wrk.headers[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items()]
    if autosave is None:
        return "\n".join(lines) + "\n" + LUA_COMMON + LUA_GET
    fixed = urlencode([*autosave.fields, ("editor_token", autosave.editor_token)], encoding="utf-8")
    lines += [
        'wrk.method = "POST"',
        f"fixed = {lua_string(fixed)}",
        f"typed_field = {lua_string(urlencode([(autosave.typed_field, '')])[:-1])}",
        f"typed_text = {lua_string(urlencode([('', autosave.typed_text)])[1:])}",
        f"version = {int(autosave.version)}",
        f"nonce = {lua_string(nonce)}",
    ]
    return "\n".join(lines) + "\n" + LUA_COMMON + LUA_AUTOSAVE


# Waiting for the server to be idle -------------------------------------------

# /proc/net/tcp states of a server's socket that still has a request to serve:
# ESTABLISHED, SYN_RECV, and CLOSE_WAIT (wrk hung up, the worker has not answered).
BUSY_STATES = {"01", "03", "08"}
LISTEN = "0A"


def pending_connections(tables: Iterable[str], port: int) -> int:
    """Zero when the server on `port` has nothing left to serve: no connection
    open on its side and an empty accept queue (a listening socket's rx_queue).
    A queued connection is counted twice, as itself and in the queue: only zero
    matters. Sync workers serve a queued request even when its client left."""
    pending = 0
    for table in tables:
        for line in table.splitlines()[1:]:
            columns = line.split()
            if len(columns) < 5 or not columns[1].endswith(f":{port:04X}"):
                continue
            state, queues = columns[3], columns[4]
            if state == LISTEN:
                pending += int(queues.split(":")[1], 16)
            elif state in BUSY_STATES:
                pending += 1
    return pending


def read_tcp_tables() -> list[str]:
    tables = []
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):  # no IPv6 here
            tables.append(Path(name).read_text())
    return tables


def wait_idle(
    *,
    pending: Callable[[], int],
    probe: Callable[[], float],
    quiet: int = 3,
    fast: float = 0.25,
    timeout: float = 600.0,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> float:
    """Seconds waited until nothing is pending on the server's port and a cheap
    request answered within `fast` seconds `quiet` times in a row; raises
    BenchError after `timeout` seconds."""
    start = clock()
    streak = 0
    while clock() - start < timeout:
        if pending():
            streak = 0
            sleep(0.2)
            continue
        if probe() <= fast:
            streak += 1
            if streak >= quiet:
                return clock() - start
        else:
            streak = 0
        sleep(0.05)
    raise BenchError(f"the server was still busy after {timeout:.0f} s")


# A browser's HTTP side ---------------------------------------------------------


class _BehindHTTPS(DefaultCookiePolicy):
    """The browser talks HTTPS to the proxy: it sends Secure cookies back."""

    def return_ok_secure(self, cookie, request):
        return True


class _NoRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Client:
    """Cookies, CSRF and the proxy's headers, as the browser behind nginx sends them."""

    def __init__(self, base: str):
        self.base = base
        self.origin = "https://" + base.split("://", 1)[1].rstrip("/")
        self.jar = CookieJar(policy=_BehindHTTPS())
        self._opener = build_opener(HTTPCookieProcessor(self.jar), _NoRedirects())

    def get(self, path: str, timeout: float = 120) -> Answer:
        return self._send(Request(urljoin(self.base, path)), timeout)

    def post(self, path: str, data: list[tuple[str, str]], timeout: float = 120) -> Answer:
        request = Request(urljoin(self.base, path), data=urlencode(data).encode(), method="POST")
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        request.add_header("Origin", self.origin)
        request.add_header("X-CSRFToken", self.cookie("csrftoken"))
        request.add_header("Accept", "application/json")
        return self._send(request, timeout)

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.jar if c.name == name), "")

    def headers(self, *, post: bool = False) -> dict[str, str]:
        """What wrk sends on every request: this client's cookies and the proxy's
        headers; for a POST also what the editor's fetch() adds (CSRF, origin)."""
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.jar)
        headers = {**PROXY_HEADERS, "Cookie": cookies}
        if post:
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": self.origin,
                    "X-CSRFToken": self.cookie("csrftoken"),
                    "Accept": "application/json",
                }
            )
        return headers

    def _send(self, request: Request, timeout: float) -> Answer:
        for name, value in PROXY_HEADERS.items():
            request.add_header(name, value)
        try:
            with self._opener.open(request, timeout=timeout) as answer:
                return Answer(answer.status, _lower(answer.headers), answer.read())
        except HTTPError as answer:
            return Answer(answer.code, _lower(answer.headers), answer.read())


# The documented nginx's headers: plain HTTP on 127.0.0.1 stands for the HTTPS site.
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}


def _lower(headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


class FormFields(HTMLParser):
    """The fields a browser's FormData(form) holds, for the first form matching
    `css_class`, and the form's data-* attributes. A <template>'s inputs (the
    formsets' empty rows) are not the form's."""

    def __init__(self, html: str, css_class: str):
        super().__init__(convert_charrefs=True)
        self.css_class = css_class
        self.fields: list[tuple[str, str]] = []
        self.data: dict[str, str] = {}
        self.textareas: list[str] = []
        self._state = "before"  # before, inside, after
        self._textarea: list | None = None
        self._select: dict | None = None
        self._templates = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "template":
            self._templates += 1
        if self._templates:
            return
        if tag == "form" and self._state == "before":
            if self.css_class in attrs.get("class", "").split():
                self._state = "inside"
                self.data = {k[5:]: v for k, v in attrs.items() if k.startswith("data-")}
            return
        if self._state != "inside" or "disabled" in attrs or not attrs.get("name"):
            if tag == "option" and self._select is not None:
                self._option(attrs)
            return
        name = attrs["name"]
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.fields.append((name, attrs.get("value", default)))
        elif tag == "textarea":
            self._textarea = [name, []]
        elif tag == "select":
            self._select = {"name": name, "chosen": [], "first": None}

    def _option(self, attrs):
        value = attrs.get("value", "")
        if self._select["first"] is None:
            self._select["first"] = value
        if "selected" in attrs:
            self._select["chosen"].append(value)

    def handle_data(self, data):
        if self._textarea is not None and not self._templates:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "template":
            self._templates = max(self._templates - 1, 0)
        elif self._templates:
            return
        elif tag == "form" and self._state == "inside":
            self._state = "after"
        elif tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            # The HTML parser keeps the newline a browser drops after <textarea>.
            self.fields.append((name, "".join(parts).removeprefix("\n")))
            self.textareas.append(name)
            self._textarea = None
        elif tag == "select" and self._select is not None:
            select = self._select
            chosen = select["chosen"] or ([] if select["first"] is None else [select["first"]])
            self.fields.extend((select["name"], value) for value in chosen[-1:])
            self._select = None


def csrf_input(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""


def sign_in(base: str, username: str, password: str) -> Client:
    """Through the real sign-in form, once: a refusal stops the benchmark at
    once, so that django-axes (5 failures lock an account) is never tripped."""
    client = Client(base)
    form = client.get("/accounts/login/")
    if form.status != 200:
        raise BenchError(f"the sign-in page answered {form.status}")
    answer = client.post(
        "/accounts/login/",
        [
            ("username", username),
            ("password", password),
            ("csrfmiddlewaretoken", csrf_input(form.text)),
            ("next", ""),
        ],
    )
    if answer.status != 302 or not client.cookie("sessionid"):
        raise BenchError(
            f"signing in as {username!r} failed ({answer.status}): is the scale data seeded "
            "(manage.py seed_scale) and the password right (--password)? Not retried, "
            "so as not to lock the account."
        )
    return client


# The part of the minutes a secretary types in during the meeting, when the
# editor has it (meetings/forms_minutes.py); else its first text area.
TYPED_FIELDS = ("summary", "resolution", "criticism")


def typed_field(textareas: list[str]) -> str:
    return next((name for name in TYPED_FIELDS if name in textareas), textareas[0])


def editor_autosave(client: Client, meeting: int, *, nonce: str) -> tuple[Autosave, str] | None:
    """The editor of the meeting's minutes as this user's page sees it, after
    one save (which creates the draft if there was none), and the URL its next
    saves go to; None when the user may not edit them."""
    page = client.get(f"/meetings/{meeting}/minutes/")
    if page.status != 200:
        return None
    form = FormFields(page.text, "js-minutes")
    if not form.textareas or "autosave-url" not in form.data:
        raise BenchError(f"the minutes editor of meeting {meeting} has no autosave form")
    token = secrets.token_hex(8)
    typed = typed_field(form.textareas)
    fields = [(k, v) for k, v in form.fields if k not in ("version", typed)]
    text = dict(form.fields)[typed]
    version = int(dict(form.fields).get("version", "1"))
    url = form.data["autosave-url"]
    first = client.post(
        url,
        [
            *fields,
            ("version", str(version)),
            (typed, text),
            ("editor_token", token),
            ("save_id", f"{nonce}-0"),
        ],
    )
    if first.status != 200:
        raise BenchError(f"the first autosave answered {first.status}: {first.text[:500]}")
    saved = json.loads(first.body)
    return Autosave(
        fields=fields,
        typed_field=typed,
        typed_text=text,
        version=saved["version"],
        editor_token=token,
    ), saved.get("autosave_url", url)


# Servers -----------------------------------------------------------------------


def production_env(*, database_url: str, redis_url: str, port: int, work: Path) -> dict[str, str]:
    """docs/deployment.md's production environment, on this machine's loopback."""
    text = (BASE_DIR / "docs" / "deployment.md").read_text()
    block = re.search(r"<!-- production-env[^>]*-->\s*```sh\n(.*?)```", text, re.DOTALL)
    if not block:
        raise BenchError("docs/deployment.md lost its production-env block")
    settings = dict(line.split("=", 1) for line in block.group(1).splitlines() if "=" in line)
    settings.pop("EMAIL_URL", None)  # no mail is sent by the pages measured
    settings.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{port}",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        STATIC_ROOT=str(work / "static"),
        MEDIA_ROOT=str(work / "media"),
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="chibo.settings",
    )
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TZ")}
    return {**keep, **settings}


def manage(*args: str, env: dict[str, str], timeout: float = 600) -> str:
    run = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if run.returncode:
        raise BenchError(f"manage.py {' '.join(args)} failed:\n{(run.stdout + run.stderr)[-3000:]}")
    return run.stdout


# Run by `manage.py shell` against the benchmark's database: for each role, the
# meeting page to open (the secretary's draft when the role sees it, so that
# every role opens the same page) and the draft it may edit (for the autosave).
FIND_MEETINGS = """
import json
from django.contrib.auth import get_user_model
from django.utils import timezone
from chibo import access
from meetings.models import Minutes

accounts = {accounts!r}
users = get_user_model().objects.in_bulk(accounts.values(), field_name="username")
month = timezone.localdate().replace(day=1)

def draft(user, action, prefer=None):
    if user is None:
        return None
    drafts = access.visible(user, Minutes, action).filter(state="draft")
    drafts = drafts.order_by("-meeting__scheduled_at").values_list("meeting_id", flat=True)
    if prefer and drafts.filter(meeting_id=prefer).exists():
        return prefer
    return drafts.filter(meeting__period=month).first() or drafts.first()

edited = draft(users.get(accounts["secretary"]), access.EDIT)
found = {{
    role: {{
        "meeting": draft(users.get(username), access.VIEW, edited),
        "autosave": draft(users.get(username), access.EDIT, edited),
    }}
    for role, username in accounts.items()
}}
print("BENCH-MEETINGS", json.dumps(found))
"""


def find_meetings(env: dict[str, str], accounts: dict[str, str]) -> dict[str, dict]:
    """Per role, the meeting of draft minutes it sees and the one it edits (or
    None): this month's if there is one, else the latest."""
    code = FIND_MEETINGS.format(accounts=accounts)
    output = manage("shell", "--no-imports", "-c", code, env=env)
    found = re.search(r"^BENCH-MEETINGS (.*)$", output, re.MULTILINE)
    if not found:
        raise BenchError(f"finding the meetings printed nothing usable:\n{output[-2000:]}")
    return json.loads(found.group(1))


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def gunicorn(app: str, *, port: int, workers: int, env: dict, log: Path, chdir: Path):
    """gunicorn as docs/deployment.md's unit starts it (sync workers, 60 s timeout)."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        app,
        "--chdir",
        str(chdir),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "60",
        "--access-logfile",
        str(log.with_suffix(".access.log")),
    ]
    with log.open("w") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_answering(process, url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(
                f"gunicorn exited with {process.returncode}:\n{log.read_text()[-3000:]}"
            )
        try:
            if Client(url).get("", timeout=10).status == 200:
                return
        except (URLError, OSError):
            pass
        time.sleep(0.3)
    raise BenchError(f"gunicorn did not answer {url} within {START_TIMEOUT} s")


def stop(process) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# The benchmark -------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One measured URL of one role."""

    role: str
    page: Page
    url: str  # for the autosave, the editor's page
    html_bytes: int | None = None  # None for the autosave's JSON
    meeting: int | None = None


@dataclass
class Measure:
    target: Target
    runs: list[Result] = field(default_factory=list)
    hello: list[Result] = field(default_factory=list)  # the run just before each

    @property
    def ratios(self) -> list[float]:
        return [
            run.rps / h.rps if h.rps else 0.0 for run, h in zip(self.runs, self.hello, strict=True)
        ]


def median(values: Iterable[float]) -> float:
    values = list(values)
    return statistics.median(values) if values else 0.0


def format_number(value: float) -> str:
    """Three significant digits at most, thousands separated."""
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def format_latency(milliseconds: list[float]) -> str:
    """The median; none when no request finished within any run (wrk only
    times those: the page then takes longer than a run)."""
    return format_number(median(milliseconds)) if milliseconds else "none"


def format_ratio(ratio: float) -> str:
    percent = ratio * 100
    if percent >= 10:
        return f"{percent:.0f} %"
    if percent >= 1:
        return f"{percent:.1f} %"
    if percent >= 0.1:
        return f"{percent:.2f} %"
    return f"{percent:.3f} %"  # the province's pages today: 0.004 % is not 0


def format_size(size: int | None) -> str:
    return "" if size is None else f"{size / 1000:,.1f} KB"


def table(title: str, measures: list[Measure], skipped: list[tuple[str, str]]) -> str:
    """One role's table: medians over the rounds, the ratio's median too."""
    header = ["page", "req/s", "p50 ms", "p99 ms", "non-2xx", "vs hello", "HTML"]
    rows = []
    for m in measures:
        flag = " !" if any(run.failed for run in m.runs) else ""
        rows.append(
            [
                m.target.page.label + flag,
                format_number(median(r.rps for r in m.runs)),
                format_latency([r.p50_ms for r in m.runs if r.requests]),
                format_latency([r.p99_ms for r in m.runs if r.requests]),
                str(sum(r.non2xx + r.socket_errors for r in m.runs)),
                format_ratio(median(m.ratios)),
                format_size(m.target.html_bytes),
            ]
        )
    hello = [h for m in measures for h in m.hello]
    if hello:
        rows.append(
            [
                "(hello-world)",
                format_number(median(h.rps for h in hello)),
                format_number(median(h.p50_ms for h in hello)),
                format_number(median(h.p99_ms for h in hello)),
                str(sum(h.non2xx + h.socket_errors for h in hello)),
                "",
                "",
            ]
        )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells):
        first = cells[0].ljust(widths[0])
        return "  ".join(
            [first, *(c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))]
        ).rstrip()

    out = [title, line(header), line(["-" * w for w in widths]), *map(line, rows)]
    out += [f"{label}: {reason}" for label, reason in skipped]
    if any(not run.requests for m in measures for run in m.runs):
        out.append("none: no request finished within a run; its req/s counts as 0")
    if any(run.failed for m in measures for run in m.runs):
        out.append("! some answers were not 2xx, or connections failed: see non-2xx")
    return "\n".join(out)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench_load",
        description="chibo's pages under wrk, as a share of a hello-world Django app's req/s.",
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers, each server")
    parser.add_argument("--pages", default=",".join(PAGE_KEYS), help="comma-separated")
    parser.add_argument("--roles", default=",".join(ACCOUNTS), help="comma-separated")
    parser.add_argument(
        "--account", action="append", default=[], metavar="ROLE=USERNAME", help="another account"
    )
    parser.add_argument("--password", default=os.environ.get("BENCH_PASSWORD", DEFAULT_PASSWORD))
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--meeting", type=int, help="the meeting of the meeting page and autosave")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--hello-port", type=int, default=8766)
    parser.add_argument("--json", type=Path, help="also write every run's numbers here")
    args = parser.parse_args(argv)
    args.pages = _choices(args.pages, PAGE_KEYS, "page")
    args.roles = _choices(args.roles, list(ACCOUNTS), "role")
    args.accounts = dict(ACCOUNTS)
    for pair in args.account:
        role, _, username = pair.partition("=")
        if role not in ACCOUNTS or not username:
            parser.error(f"--account {pair!r}: expected one of {', '.join(ACCOUNTS)}=USERNAME")
        args.accounts[role] = username
    if min(args.rounds, args.duration, args.connections, args.threads, args.workers) < 1:
        parser.error("--rounds, --duration, --connections, --threads and --workers must be >= 1")
    if args.threads > args.connections:
        parser.error("--threads cannot exceed --connections")
    return args


def _choices(text: str, known: list[str], what: str) -> list[str]:
    chosen = [item.strip() for item in text.split(",") if item.strip()]
    unknown = [item for item in chosen if item not in known]
    if unknown or not chosen:
        raise SystemExit(f"bench_load: unknown {what} {unknown}; choose among {', '.join(known)}")
    return chosen


class Bench:
    def __init__(self, args: argparse.Namespace, work: Path):
        self.args = args
        self.work = work
        self.app = f"http://127.0.0.1:{args.port}"
        self.hello = f"http://127.0.0.1:{args.hello_port}"
        self.nonce = secrets.token_hex(4)
        self.runs = 0

    def wrk(self, url: str, script: str) -> Result:
        self.runs += 1
        path = self.work / f"run-{self.runs}.lua"
        path.write_text(script)
        command = [
            "wrk",
            f"--threads={self.args.threads}",
            f"--connections={self.args.connections}",
            f"--duration={self.args.duration}s",
            f"--timeout={WRK_TIMEOUT}",
            f"--script={path}",
            url,
        ]
        run = subprocess.run(
            command, capture_output=True, text=True, timeout=self.args.duration + 120
        )
        if run.returncode:
            raise BenchError(f"wrk failed ({run.returncode}): {run.stderr[-2000:]}")
        return parse_wrk_output(run.stdout)

    def idle(self, base: str, port: int) -> float:
        """Seconds until the server has served what wrk left queued (see wait_idle)."""
        client = Client(base)
        path = "health/" if base == self.app else ""

        def probe() -> float:
            started = time.monotonic()
            try:
                client.get(path, timeout=60)
            except (URLError, OSError):
                return float("inf")
            return time.monotonic() - started

        return wait_idle(pending=lambda: pending_connections(read_tcp_tables(), port), probe=probe)

    def measure(self, measure: Measure, client: Client) -> None:
        """One pair of runs: hello-world, then the page, each followed by the idle wait."""
        target = measure.target
        autosave, url = None, target.url
        if target.page.key == "autosave":
            # The editor opened again now: its version is the draft's.
            editor = editor_autosave(client, target.meeting, nonce=f"{self.nonce}-{self.runs}")
            if editor is None:
                raise BenchError(f"the editor of meeting {target.meeting} closed to {target.role}")
            autosave, url = editor
        script = lua_script(
            headers=client.headers(post=autosave is not None), autosave=autosave, nonce=self.nonce
        )
        hello = self.wrk(self.hello + "/", lua_script(headers=dict(PROXY_HEADERS)))
        self.idle(self.hello, self.args.hello_port)
        run = self.wrk(urljoin(self.app, url), script)
        waited = self.idle(self.app, self.args.port)
        measure.hello.append(hello)
        measure.runs.append(run)
        errors = f" socket errors {run.socket_errors}" if run.socket_errors else ""
        print(
            f"  {target.role:<9} {target.page.label:<18} {run.rps:9.2f} req/s "
            f"p50 {run.p50_ms:8.1f} ms  p99 {run.p99_ms:8.1f} ms  non-2xx {run.non2xx}{errors}"
            f"{'' if run.requests else ' (no request finished)'}"
            f"  (hello {hello.rps:,.0f} req/s; idle after {waited:.1f} s)",
            flush=True,
        )

    def targets(self, role: str, client: Client, found: dict):
        """The role's pages that answer 200 (one GET each, for the HTML size),
        and notes: the pages it skips, with why, and the meeting it opens."""
        targets, skipped = [], []
        for key in self.args.pages:
            page = next(p for p in PAGES if p.key == key)
            meeting = found.get(key) if key in ("meeting", "autosave") else None
            if key in ("meeting", "autosave") and meeting is None:
                reason = "no draft minutes it may edit" if key == "autosave" else "none seen"
                skipped.append((page.label, reason))
                continue
            url = f"/meetings/{meeting}/minutes/" if key == "autosave" else page.path
            url = url.format(meeting=meeting)
            answer = client.get(url)
            if answer.status != 200:
                skipped.append((page.label, f"not open to this role ({answer.status})"))
                continue
            size = None if key == "autosave" else len(answer.body)
            targets.append(Target(role, page, url, size, meeting))
            if meeting is not None:
                skipped.append((page.label, f"meeting {meeting}"))
        return targets, skipped

    def run(self) -> str:
        args = self.args
        env = production_env(
            database_url=args.database_url, redis_url=args.redis_url, port=args.port, work=self.work
        )
        print(f"bench-load: database {args.database_url}, Redis {args.redis_url}", flush=True)
        manage("migrate", "--check", env=env)
        print("bench-load: collectstatic", flush=True)
        manage("collectstatic", "--no-input", "--verbosity", "0", env=env)
        if args.meeting is not None:
            found = {role: {"meeting": args.meeting, "autosave": args.meeting} for role in ACCOUNTS}
        elif {"meeting", "autosave"} & set(args.pages):
            found = find_meetings(env, args.accounts)
        else:
            found = {role: {} for role in ACCOUNTS}
        for port in (args.port, args.hello_port):
            if not port_is_free(port):
                raise BenchError(f"port {port} is in use")
        hello_env = {k: v for k, v in env.items() if k in ("PATH", "HOME", "LANG", "TZ")}
        servers = [
            ("chibo.wsgi:application", args.port, env, BASE_DIR, "/health/"),
            ("hello:application", args.hello_port, hello_env, BASE_DIR / "scripts" / "bench", "/"),
        ]
        started = []
        try:
            for app, port, server_env, chdir, _probe in servers:
                log = self.work / f"gunicorn-{port}.log"
                process = gunicorn(
                    app, port=port, workers=args.workers, env=server_env, log=log, chdir=chdir
                )
                started.append((process, log))
            for (process, log), (*_, port, _env, _chdir, probe) in zip(
                started, servers, strict=True
            ):
                wait_answering(process, f"http://127.0.0.1:{port}{probe}", log)
            return self.measure_all(found)
        finally:
            for process, _log in started:
                stop(process)

    def measure_all(self, found: dict[str, dict]) -> str:
        """Every role signs in once; then the rounds, each going through every
        role's pages in turn; then the tables."""
        args = self.args
        plan = []
        for role in args.roles:
            client = sign_in(self.app, args.accounts[role], args.password)
            targets, skipped = self.targets(role, client, found[role])
            plan.append((role, client, [Measure(t) for t in targets], skipped))
        count = sum(len(measures) for *_, measures, _ in plan)
        minutes = count * 2 * args.rounds * args.duration / 60
        print(
            f"bench-load: {count} pages x {args.rounds} rounds: {minutes:.0f} min of wrk, "
            "plus the waits for idle",
            flush=True,
        )
        for round_number in range(1, args.rounds + 1):
            print(f"round {round_number}", flush=True)
            for _role, client, measures, _skipped in plan:
                for measure in measures:
                    self.measure(measure, client)
            if args.json:  # after every round: a run stopped early keeps what it measured
                args.json.write_text(json.dumps(to_json(plan), indent=1))
        settings = (
            f"median of {args.rounds} round(s); {args.connections} connections, {args.threads} "
            f"wrk threads, {args.duration} s a run, gunicorn {args.workers} sync workers; "
            "vs hello = req/s / hello-world's req/s in the run just before (median of rounds)"
        )
        tables = [
            table(f"{ROLE_TITLES[role]} ({args.accounts[role]})", measures, skipped)
            for role, _client, measures, skipped in plan
        ]
        return settings + "\n\n" + "\n\n".join(tables)


def to_json(plan) -> list[dict]:
    return [
        {
            "role": m.target.role,
            "page": m.target.page.key,
            "html_bytes": m.target.html_bytes,
            "runs": [run.__dict__ | {"rps": run.rps} for run in m.runs],
            "hello": [h.__dict__ | {"rps": h.rps} for h in m.hello],
        }
        for _role, _client, measures, _skipped in plan
        for m in measures
    ]


def _stop_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)  # so that the servers are stopped on the way out


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    if shutil.which("wrk") is None:
        print(
            "bench_load: wrk is missing: scripts/system-deps.sh bench installs it", file=sys.stderr
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="chibo-bench-") as work:
        try:
            print(Bench(args, Path(work)).run())
        except BenchError as error:
            print(f"bench_load: {error}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
