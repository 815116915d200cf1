"""scripts/bench_load.py (`make bench-load`) without wrk or gunicorn: parsing wrk's
output, the Lua it is given, the idle wait, the form reading, the sign-in and
the first autosave against a fake server, and the tables it prints."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest

from scripts import bench_load as bench
from scripts.bench_load import Autosave, BenchError, Measure, Page, Result, Target

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8765/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   512.10ms   80.22ms 900.13ms   70.00%
    Req/Sec    15.10      5.01    30.00     66.00%
  310 requests in 10.00s, 4.10MB read
  Non-2xx or 3xx responses: 2
Requests/sec:     30.99
Transfer/sec:    419.50KB
BENCH-RESULT {"requests": 310, "duration_us": 10003000, "p50_us": 498250, "p99_us": 870500, \
"non2xx": 3, "connect": 0, "read": 1, "write": 0, "timeout": 2}
"""


def result(rps: float = 10.0, *, p50=100.0, p99=200.0, non2xx=0, errors=0) -> Result:
    return Result(
        requests=int(rps * 10),
        seconds=10.0,
        p50_ms=p50,
        p99_ms=p99,
        non2xx=non2xx,
        socket_errors=errors,
    )


# wrk's output ------------------------------------------------------------------


def test_parse_wrk_output_reads_the_scripts_result_line():
    parsed = bench.parse_wrk_output(WRK_OUTPUT)

    assert parsed == Result(
        requests=310, seconds=10.003, p50_ms=498.25, p99_ms=870.5, non2xx=3, socket_errors=3
    )
    assert parsed.rps == pytest.approx(30.9907, abs=1e-4)
    assert parsed.failed is True


def test_parse_wrk_output_takes_the_last_result_line():
    line = (
        'BENCH-RESULT {"requests": 5, "duration_us": 1000000, "p50_us": 1000, "p99_us": 2000,'
        ' "non2xx": 0, "connect": 0, "read": 0, "write": 0, "timeout": 0}'
    )

    parsed = bench.parse_wrk_output(WRK_OUTPUT + line + "\n")

    assert (parsed.requests, parsed.rps, parsed.p50_ms, parsed.p99_ms) == (5, 5.0, 1.0, 2.0)
    assert parsed.failed is False


def test_parse_wrk_output_without_a_result_line_says_what_wrk_printed():
    with pytest.raises(BenchError, match="wrk printed no result line:\nunable to connect"):
        bench.parse_wrk_output("unable to connect to 127.0.0.1:8765 Connection refused\n")


def test_result_with_no_time_has_no_rate():
    assert Result(0, 0.0, 0.0, 0.0, 0, 0).rps == 0.0


# The Lua script --------------------------------------------------------------


def test_lua_string_escapes_quotes_backslashes_and_every_non_ascii_byte():
    assert bench.lua_string('a "b" \\ c') == '"a \\"b\\" \\\\ c"'
    assert bench.lua_string("x\ny") == '"x\\10y"'
    assert bench.lua_string("ễ") == '"\\225\\187\\133"'  # its three UTF-8 bytes


def test_lua_script_of_a_page_sends_the_headers_and_counts_non_2xx():
    script = bench.lua_script(headers={"Cookie": "sessionid=abc; csrftoken=def"})

    assert script.startswith(
        'RESULT_MARK = "BENCH-RESULT "\nwrk.headers["Cookie"] = "sessionid=abc; csrftoken=def"\n'
    )
    assert "if status < 200 or status > 299 then non2xx = non2xx + 1 end" in script
    assert "function request()" not in script  # wrk's own, prebuilt GET
    assert "wrk.method" not in script
    assert 'thread:set("thread_id", #threads)' in script
    assert "latency:percentile(50)" in script and "latency:percentile(99)" in script


def test_lua_script_of_the_autosave_posts_the_editors_fields_with_a_new_save_id():
    autosave = Autosave(
        fields=[("csrfmiddlewaretoken", "tok"), ("programme", "Chương trình & việc")],
        typed_field="summary",
        typed_text="Kết luận",
        version=41,
        editor_token="e1",
    )

    script = bench.lua_script(headers={"X-CSRFToken": "tok"}, autosave=autosave, nonce="n9")

    assert 'wrk.headers["X-CSRFToken"] = "tok"\n' in script
    assert 'wrk.method = "POST"\n' in script
    assert (
        'fixed = "csrfmiddlewaretoken=tok&programme=Ch%C6%B0%C6%A1ng+tr%C3%ACnh+%26+vi%E1%BB%87c'
        '&editor_token=e1"\n'
    ) in script
    assert 'typed_field = "summary"\n' in script
    assert 'typed_text = "K%E1%BA%BFt+lu%E1%BA%ADn"\n' in script
    assert "version = 41\n" in script
    assert 'nonce = "n9"\n' in script
    assert '"&save_id=" .. nonce .. "-" .. thread_id .. "-" .. counter' in script
    # The next save starts from the version the last answer gave.
    assert "if seen and seen > version then version = seen end" in script


# The idle wait -------------------------------------------------------------------

# /proc/net/tcp with chibo on 8765 (0x223D): a listening socket with 2 queued
# connections, one being served, one whose client hung up; beside them what
# does not count: a closed one, wrk's own side, another port.
PROC_NET_TCP = """\
  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:223D 00000000:0000 0A 00000000:00000002 00:00000000 00000000     0        0 1
   1: 0100007F:223D 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 2
   2: 0100007F:223D 0100007F:9C41 08 00000000:00000000 00:00000000 00000000     0        0 3
   3: 0100007F:223D 0100007F:9C42 06 00000000:00000000 03:00000F00 00000000     0        0 0
   4: 0100007F:9C43 0100007F:223D 01 00000000:00000000 00:00000000 00000000     0        0 4
   5: 0100007F:223E 00000000:0000 0A 00000000:00000007 00:00000000 00000000     0        0 5
"""


def test_pending_connections_counts_the_accept_queue_and_open_server_sockets():
    assert bench.pending_connections([PROC_NET_TCP], 8765) == 4
    assert bench.pending_connections([PROC_NET_TCP], 8766) == 7
    assert bench.pending_connections([PROC_NET_TCP], 8000) == 0


def test_pending_connections_reads_every_table_and_skips_short_lines():
    tcp6 = (
        "  sl  local_address                         remote_address  st tx_queue rx_queue\n"
        "   0: 00000000000000000000000001000000:223D 00000000000000000000000001000000:9C44 "
        "03 00000000:00000000\n"
        "garbage\n"
    )

    assert bench.pending_connections([PROC_NET_TCP, tcp6], 8765) == 5


class FakeClock:
    def __init__(self):
        self.now = 100.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def test_wait_idle_waits_for_the_queue_to_drain_then_three_fast_answers():
    clock = FakeClock()
    pending = iter([5, 2, 0, 0, 0, 0, 0])
    probes = iter([0.9, 0.01, 0.01, 0.01])  # the first, still slow, restarts the count

    waited = bench.wait_idle(
        pending=lambda: next(pending),
        probe=lambda: next(probes),
        clock=clock,
        sleep=clock.sleep,
    )

    assert clock.sleeps == [0.2, 0.2, 0.05, 0.05, 0.05]
    assert waited == pytest.approx(0.55)


def test_wait_idle_starts_the_count_again_when_connections_queue_up():
    clock = FakeClock()
    pending = iter([0, 0, 1, 0, 0, 0])
    probes = iter([0.01] * 5)

    bench.wait_idle(
        pending=lambda: next(pending),
        probe=lambda: next(probes),
        clock=clock,
        sleep=clock.sleep,
    )

    assert clock.sleeps == [0.05, 0.05, 0.2, 0.05, 0.05]


def test_wait_idle_gives_up_after_its_timeout():
    clock = FakeClock()

    with pytest.raises(BenchError, match="the server was still busy after 5 s"):
        bench.wait_idle(
            pending=lambda: 1, probe=lambda: 0.0, timeout=5, clock=clock, sleep=clock.sleep
        )

    assert len(clock.sleeps) == 25


def test_wait_idle_counts_an_unreachable_server_as_busy():
    clock = FakeClock()

    with pytest.raises(BenchError):
        bench.wait_idle(
            pending=lambda: 0,
            probe=lambda: float("inf"),
            timeout=1,
            clock=clock,
            sleep=clock.sleep,
        )


# Reading the editor's form ---------------------------------------------------------

EDITOR = """
<form class="js-search"><input name="q" value="outside"></form>
<input name="stray" value="not in the form">
<form method="post" class="js-minutes other" data-autosave-url="/meetings/minutes/7/autosave/"
      data-minutes-id="7">
  <input type="hidden" name="csrfmiddlewaretoken" value="tok">
  <input type="hidden" name="version" value="4">
  <input name="started_time" value="19:30">
  <input type="checkbox" name="present" value="12" checked>
  <input type="checkbox" name="present" value="13">
  <input type="checkbox" name="flag" checked>
  <input type="radio" name="vote" value="yes">
  <input type="radio" name="vote" value="no" checked>
  <input name="locked" value="x" disabled>
  <input type="file" name="scan">
  <input value="no name">
  <select name="chair"><option value="">---</option><option value="9" selected>A</option></select>
  <select name="taker"><option value="3">B</option><option value="4">C</option></select>
  <select name="empty"></select>
  <textarea name="programme">
Chương trình &amp; việc</textarea>
  <textarea name="summary"></textarea>
  <template class="js-row-template"><input name="speeches-__prefix__-text" value="">
    <textarea name="speeches-__prefix__-note">x</textarea></template>
  <button type="submit" name="save" value="1">Save</button>
</form>
<form class="js-minutes"><input name="second" value="ignored"></form>
"""


def test_form_fields_are_what_formdata_holds():
    form = bench.FormFields(EDITOR, "js-minutes")

    assert form.fields == [
        ("csrfmiddlewaretoken", "tok"),
        ("version", "4"),
        ("started_time", "19:30"),
        ("present", "12"),
        ("flag", "on"),
        ("vote", "no"),
        ("chair", "9"),
        ("taker", "3"),
        ("programme", "Chương trình & việc"),
        ("summary", ""),
    ]
    assert form.textareas == ["programme", "summary"]
    assert form.data == {"autosave-url": "/meetings/minutes/7/autosave/", "minutes-id": "7"}


def test_form_fields_of_a_page_without_the_form_are_empty():
    form = bench.FormFields("<p>Forbidden</p>", "js-minutes")

    assert (form.fields, form.textareas, form.data) == ([], [], {})


def test_typed_field_prefers_what_is_typed_during_the_meeting():
    assert bench.typed_field(["party_fee_status", "criticism", "summary"]) == "summary"
    assert bench.typed_field(["party_fee_status", "resolution"]) == "resolution"
    assert bench.typed_field(["party_fee_status", "news"]) == "party_fee_status"


def test_csrf_input_reads_the_forms_token():
    html = '<input type="hidden" name="csrfmiddlewaretoken" value="abc123">'

    assert bench.csrf_input(html) == "abc123"
    assert bench.csrf_input("<p>no form</p>") == ""


# Against a fake server -------------------------------------------------------------


class FakeSite:
    """Answers each (method, path) with a canned answer and records the requests."""

    def __init__(self, answers):
        self.answers = answers
        self.requests = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, method):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                site.requests.append((method, self.path, dict(self.headers), body))
                status, headers, content = site.answers[(method, self.path)]
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def do_GET(self):
                self.answer("GET")

            def do_POST(self):
                self.answer("POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


LOGIN_FORM = b'<form method="post"><input name="csrfmiddlewaretoken" value="masked"></form>'
SESSION = {"Set-Cookie": "sessionid=s1; Path=/; Secure; HttpOnly"}
CSRF = {"Set-Cookie": "csrftoken=c1; Path=/; Secure"}


@pytest.fixture
def site():
    sites = []

    def make(answers):
        sites.append(FakeSite(answers))
        return sites[-1]

    yield make
    for each in sites:
        each.close()


def test_sign_in_posts_the_real_form_once_and_keeps_the_cookies(site):
    fake = site(
        {
            ("GET", "/accounts/login/"): (200, CSRF, LOGIN_FORM),
            ("POST", "/accounts/login/"): (302, {"Location": "/", **SESSION}, b""),
        }
    )

    client = bench.sign_in(fake.base, "province-office", "pw")

    (_, _, get_headers, _), (method, path, headers, body) = fake.requests
    assert get_headers["X-Forwarded-Proto"] == "https"
    assert (method, path) == ("POST", "/accounts/login/")
    assert dict(parse_qsl(body, keep_blank_values=True)) == {
        "username": "province-office",
        "password": "pw",
        "csrfmiddlewaretoken": "masked",
        "next": "",
    }
    assert headers["X-Csrftoken"] == "c1"
    assert headers["Origin"] == "https://" + fake.base.removeprefix("http://")
    assert client.headers() == {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": "127.0.0.1",
        "Cookie": "csrftoken=c1; sessionid=s1",
    }


def test_sign_in_refused_stops_at_once_so_as_not_to_lock_the_account(site):
    fake = site(
        {
            ("GET", "/accounts/login/"): (200, CSRF, LOGIN_FORM),
            ("POST", "/accounts/login/"): (200, {}, LOGIN_FORM),
        }
    )

    with pytest.raises(BenchError, match=r"signing in as 'cell-secretary' failed \(200\)"):
        bench.sign_in(fake.base, "cell-secretary", "wrong")

    assert [request[0] for request in fake.requests] == ["GET", "POST"]


def test_sign_in_without_its_page_fails(site):
    fake = site({("GET", "/accounts/login/"): (503, {}, b"down")})

    with pytest.raises(BenchError, match="the sign-in page answered 503"):
        bench.sign_in(fake.base, "commune-office", "pw")


def test_client_headers_for_a_post_add_what_the_editors_fetch_sends(site):
    fake = site({("GET", "/"): (200, CSRF, b"")})
    client = bench.Client(fake.base)
    client.get("/")

    assert client.headers(post=True) == {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": "127.0.0.1",
        "Cookie": "csrftoken=c1",
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": "https://" + fake.base.removeprefix("http://"),
        "X-CSRFToken": "c1",
        "Accept": "application/json",
    }


def editor_site(site, *, first_answer):
    editor = EDITOR.replace("/meetings/minutes/7/autosave/", "/meetings/7/minutes/autosave/")
    return site(
        {
            ("GET", "/"): (200, CSRF, b""),
            ("GET", "/meetings/7/minutes/"): (200, {}, editor.encode()),
            ("POST", "/meetings/7/minutes/autosave/"): first_answer,
        }
    )


def test_editor_autosave_saves_once_and_gives_the_drafts_url_and_version(site):
    created = {"version": 5, "minutes_id": 3, "autosave_url": "/meetings/minutes/3/autosave/"}
    fake = editor_site(site, first_answer=(200, {}, json.dumps(created).encode()))
    client = bench.Client(fake.base)
    client.get("/")

    autosave, url = bench.editor_autosave(client, 7, nonce="n1")

    assert url == "/meetings/minutes/3/autosave/"
    assert (autosave.typed_field, autosave.typed_text, autosave.version) == ("summary", "", 5)
    assert ("version", "4") not in autosave.fields
    assert autosave.fields[:3] == [
        ("csrfmiddlewaretoken", "tok"),
        ("started_time", "19:30"),
        ("present", "12"),
    ]
    posted = dict(parse_qsl(fake.requests[-1][3], keep_blank_values=True))
    assert posted["version"] == "4"
    assert posted["save_id"] == "n1-0"
    assert posted["editor_token"] == autosave.editor_token
    assert len(autosave.editor_token) == 16


def test_editor_autosave_keeps_the_url_of_a_draft_that_existed(site):
    fake = editor_site(site, first_answer=(200, {}, b'{"version": 9}'))

    _, url = bench.editor_autosave(bench.Client(fake.base), 7, nonce="n1")

    assert url == "/meetings/7/minutes/autosave/"


def test_editor_autosave_refused_stops_the_benchmark(site):
    fake = editor_site(site, first_answer=(400, {}, b'{"message": "Not saved"}'))

    with pytest.raises(BenchError, match='the first autosave answered 400: {"message"'):
        bench.editor_autosave(bench.Client(fake.base), 7, nonce="n1")


def test_editor_autosave_of_a_user_who_may_not_edit_is_none(site):
    fake = site({("GET", "/meetings/7/minutes/"): (403, {}, b"Forbidden")})

    assert bench.editor_autosave(bench.Client(fake.base), 7, nonce="n1") is None


def test_editor_autosave_of_a_page_without_the_editor_fails(site):
    fake = site({("GET", "/meetings/7/minutes/"): (200, {}, b"<p>no editor</p>")})

    with pytest.raises(BenchError, match="the minutes editor of meeting 7 has no autosave form"):
        bench.editor_autosave(bench.Client(fake.base), 7, nonce="n1")


# Ratios and tables -----------------------------------------------------------------


def measure(key="dashboard", label="dashboard", runs=(), hello=(), html=5_100) -> Measure:
    target = Target("province", Page(key, label, "/"), "/", html)
    return Measure(target, list(runs), list(hello))


def test_ratios_pair_each_run_with_the_hello_world_run_before_it():
    m = measure(runs=[result(2.5), result(3.0)], hello=[result(3500), result(0)])

    assert m.ratios == [pytest.approx(2.5 / 3500), 0.0]


def test_median_of_nothing_is_zero():
    assert bench.median([]) == 0.0
    assert bench.median([3, 1, 2]) == 2


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0.912, "0.91"), (9.994, "9.99"), (12.34, "12.3"), (99.94, "99.9"), (3512.4, "3,512")],
)
def test_format_number_keeps_three_significant_digits(value, shown):
    assert bench.format_number(value) == shown


@pytest.mark.parametrize(
    ("ratio", "shown"),
    [
        (0.00004, "0.004 %"),
        (0.0007, "0.070 %"),
        (0.0012, "0.12 %"),
        (0.05, "5.0 %"),
        (0.0999, "10.0 %"),
        (0.1, "10 %"),
        (0.42, "42 %"),
    ],
)
def test_format_ratio_as_a_percentage(ratio, shown):
    assert bench.format_ratio(ratio) == shown


def test_format_size_in_kilobytes():
    assert bench.format_size(1_600_000) == "1,600.0 KB"
    assert bench.format_size(None) == ""


def test_table_shows_medians_errors_and_what_was_skipped():
    hello = [
        result(3500, p50=4.1, p99=12.0),
        result(3400, p50=4.0, p99=11.0),
        result(3600, p50=4.3, p99=13.0),
    ]
    dashboard = measure(
        runs=[
            result(2.5, p50=5400, p99=6100),
            result(2.4, p50=5600, p99=6000),
            result(2.6, p50=5000, p99=6300),
        ],
        hello=hello,
    )
    autosave = Measure(
        Target("province", Page("autosave", "autosave", "", "POST"), ""),
        [
            result(40, p50=350.0, p99=800.0, non2xx=2),
            result(41, p50=340.0, p99=700.0, errors=1),
            result(39, p50=360.0, p99=900.0),
        ],
        hello,
    )

    text = bench.table(
        "province staff (province-office)", [dashboard, autosave], [("quota report", "403")]
    )

    assert text.splitlines() == [
        "province staff (province-office)",
        "page           req/s  p50 ms  p99 ms  non-2xx  vs hello    HTML",
        "-------------  -----  ------  ------  -------  --------  ------",
        "dashboard       2.50   5,400   6,100        0   0.071 %  5.1 KB",
        "autosave !      40.0     350     800        3     1.1 %",
        "(hello-world)  3,500    4.10    12.0        0",
        "quota report: 403",
        "! some answers were not 2xx, or connections failed: see non-2xx",
    ]


def test_table_of_a_role_without_pages_lists_only_what_was_skipped():
    text = bench.table("cell secretary (cell-secretary)", [], [("quota report", "403")])

    assert text.splitlines() == [
        "cell secretary (cell-secretary)",
        "page  req/s  p50 ms  p99 ms  non-2xx  vs hello  HTML",
        "----  -----  ------  ------  -------  --------  ----",
        "quota report: 403",
    ]


def test_to_json_keeps_every_run():
    m = measure(runs=[result(2.0)], hello=[result(3000)])

    (row,) = bench.to_json([("province", None, [m], [])])

    assert row["role"] == "province" and row["page"] == "dashboard"
    assert row["html_bytes"] == 5_100
    assert row["runs"] == [
        {
            "requests": 20,
            "seconds": 10.0,
            "p50_ms": 100.0,
            "p99_ms": 200.0,
            "non2xx": 0,
            "socket_errors": 0,
            "rps": 2.0,
        }
    ]
    assert row["hello"][0]["rps"] == 3000.0


# Options and settings --------------------------------------------------------------


def test_parse_args_defaults_are_the_issues_benchmark(monkeypatch):
    for name in ("BENCH_DATABASE_URL", "BENCH_REDIS_URL", "BENCH_PASSWORD"):
        monkeypatch.delenv(name, raising=False)

    args = bench.parse_args([])

    assert (args.rounds, args.duration, args.connections, args.workers) == (3, 10, 16, 2)
    assert args.pages == bench.PAGE_KEYS
    assert args.roles == ["province", "commune", "secretary"]
    assert args.accounts == bench.ACCOUNTS
    assert args.database_url == "postgres://postgres@127.0.0.1:5432/chibo_scale"
    assert args.password == "chibo-scale"
    assert (args.port, args.hello_port) == (8765, 8766)


def test_parse_args_for_a_quick_run(monkeypatch):
    monkeypatch.setenv("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/copy")

    args = bench.parse_args(
        ["--rounds", "1", "--duration", "2", "--pages", "tree, search", "--roles", "commune"]
    )

    assert (args.rounds, args.duration, args.pages, args.roles) == (
        1,
        2,
        ["tree", "search"],
        ["commune"],
    )
    assert args.database_url == "postgres://postgres@127.0.0.1:5432/copy"


def test_parse_args_takes_other_accounts():
    args = bench.parse_args(["--account", "secretary=bt-ban-lech"])

    assert args.accounts["secretary"] == "bt-ban-lech"
    assert args.accounts["province"] == "province-office"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--pages", "dashboard,nope"], "unknown page ['nope']"),
        (["--roles", ","], "unknown role []"),
        (["--account", "mayor=x"], "--account 'mayor=x': expected one of"),
        (["--account", "province="], "--account 'province=': expected one of"),
        (["--rounds", "0"], "must be >= 1"),
        (["--connections", "1"], "--threads cannot exceed --connections"),
    ],
)
def test_parse_args_refuses_bad_options(argv, message, capsys):
    with pytest.raises(SystemExit) as stopped:
        bench.parse_args(argv)

    assert message in str(stopped.value.code) + capsys.readouterr().err


def test_production_env_is_the_documented_one_on_the_loopback(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///not-this-one")

    env = bench.production_env(
        database_url="postgres://h/db", redis_url="redis://h/12", port=8765, work=tmp_path
    )

    assert env["DEBUG"] == "0"
    assert env["CONN_MAX_AGE"] == "60"
    assert env["TRUSTED_PROXY_COUNT"] == "1"
    assert (env["DATABASE_URL"], env["REDIS_URL"]) == ("postgres://h/db", "redis://h/12")
    assert env["ALLOWED_HOSTS"] == "127.0.0.1"
    assert env["CSRF_TRUSTED_ORIGINS"] == "https://127.0.0.1:8765"
    assert env["STATIC_ROOT"] == str(tmp_path / "static")
    assert len(env["SECRET_KEY"]) >= 50
    assert "EMAIL_URL" not in env


def test_find_meetings_reads_the_query_s_answer(monkeypatch):
    calls = []
    found = {
        "province": {"meeting": 1234, "autosave": None},
        "secretary": {"meeting": 1234, "autosave": 1234},
    }

    def fake_manage(*args, env):
        calls.append(args)
        return "42 objects imported automatically\nBENCH-MEETINGS " + json.dumps(found) + "\n"

    monkeypatch.setattr(bench, "manage", fake_manage)

    assert bench.find_meetings({}, {"province": "p", "secretary": "s"}) == found
    ((command, option, flag, code),) = calls
    assert (command, option, flag) == ("shell", "--no-imports", "-c")
    assert "accounts = {'province': 'p', 'secretary': 's'}" in code
    compile(code, "find_meetings", "exec")  # the braces of the template came out right


def test_find_meetings_without_an_answer_says_what_was_printed(monkeypatch):
    monkeypatch.setattr(bench, "manage", lambda *args, env: "Traceback: no such table\n")

    with pytest.raises(BenchError, match="printed nothing usable:\nTraceback: no such table"):
        bench.find_meetings({}, {"secretary": "s"})


def test_main_without_wrk_says_how_to_install_it(monkeypatch, capsys):
    monkeypatch.setattr(bench.shutil, "which", lambda name: None)

    assert bench.main(["--rounds", "1"]) == 2
    assert "wrk is missing: scripts/system-deps.sh bench installs it" in capsys.readouterr().err


# The benchmark's course, with wrk and the servers faked ------------------------------


class FakeClient:
    """A signed-in client: pages by URL, answered with a status and a body size."""

    def __init__(self, pages: dict[str, tuple[int, int]]):
        self.pages = pages
        self.opened = []

    def get(self, url, timeout=120):
        self.opened.append(url)
        status, size = self.pages.get(url, (404, 0))
        return bench.Answer(status, {}, b"x" * size)

    def headers(self, *, post=False):
        return {"Cookie": "sessionid=s1", **({"X-CSRFToken": "c1"} if post else {})}


class FakeBench(bench.Bench):
    """wrk answers from a list of results; the idle wait is recorded, not waited."""

    def __init__(self, argv, tmp_path, results):
        super().__init__(bench.parse_args(argv), tmp_path)
        self.results = iter(results)
        self.calls = []

    def wrk(self, url, script):
        self.calls.append(("wrk", url, script))
        return next(self.results)

    def idle(self, base, port):
        self.calls.append(("idle", port))
        return 1.5


SECRETARY_PAGES = {
    "/": (200, 6_300),
    "/org/": (200, 4_200),
    "/meetings/quotas/": (403, 100),
    "/meetings/7/": (200, 14_500),
    "/meetings/7/minutes/": (200, 30_000),
}


def test_targets_are_the_pages_that_answer_with_their_size_and_notes(tmp_path):
    runner = FakeBench(["--pages", "dashboard,tree,quotas,meeting,autosave"], tmp_path, [])
    client = FakeClient(SECRETARY_PAGES)

    targets, notes = runner.targets("secretary", client, {"meeting": 7, "autosave": 7})

    assert [(t.page.key, t.url, t.html_bytes, t.meeting) for t in targets] == [
        ("dashboard", "/", 6_300, None),
        ("tree", "/org/", 4_200, None),
        ("meeting", "/meetings/7/", 14_500, 7),
        ("autosave", "/meetings/7/minutes/", None, 7),
    ]
    assert notes == [
        ("quota report", "not open to this role (403)"),
        ("meeting page", "meeting 7"),
        ("autosave", "meeting 7"),
    ]


def test_targets_without_a_draft_skip_the_meeting_and_the_autosave(tmp_path):
    runner = FakeBench(["--pages", "meeting,autosave"], tmp_path, [])
    client = FakeClient(SECRETARY_PAGES)

    targets, notes = runner.targets("province", client, {"meeting": None, "autosave": None})

    assert targets == []
    assert notes == [("meeting page", "none seen"), ("autosave", "no draft minutes it may edit")]
    assert client.opened == []


def test_measure_runs_hello_world_then_the_page_each_followed_by_the_idle_wait(tmp_path, capsys):
    runner = FakeBench([], tmp_path, [result(3500), result(2.5, non2xx=1)])
    m = measure()

    runner.measure(m, FakeClient({}))

    (hello, url, hello_script), idle_hello, (page, app_url, script), idle_app = runner.calls
    assert (hello, url, idle_hello) == ("wrk", "http://127.0.0.1:8766/", ("idle", 8766))
    assert (page, app_url, idle_app) == ("wrk", "http://127.0.0.1:8765/", ("idle", 8765))
    assert "Cookie" not in hello_script
    assert 'wrk.headers["Cookie"] = "sessionid=s1"' in script
    assert "wrk.method" not in script
    assert (m.hello, m.runs) == ([result(3500)], [result(2.5, non2xx=1)])
    assert capsys.readouterr().out == (
        "  province  dashboard               2.50 req/s p50    100.0 ms  p99    200.0 ms  "
        "non-2xx 1  (hello 3,500 req/s; idle after 1.5 s)\n"
    )


def test_measure_of_the_autosave_reopens_the_editor_and_posts_to_its_draft(tmp_path, monkeypatch):
    runner = FakeBench([], tmp_path, [result(3500), result(40)])
    autosave = Autosave([("a", "b")], "summary", "", 12, "e1")
    opened = []

    def fake_editor(client, meeting, *, nonce):
        opened.append((meeting, nonce))
        return autosave, "/meetings/minutes/3/autosave/"

    monkeypatch.setattr(bench, "editor_autosave", fake_editor)
    target = Target("secretary", Page("autosave", "autosave", "", "POST"), "/x/", None, 7)

    runner.measure(Measure(target), FakeClient({}))

    assert opened == [(7, f"{runner.nonce}-0")]
    _, url, script = runner.calls[2]
    assert url == "http://127.0.0.1:8765/meetings/minutes/3/autosave/"
    assert 'wrk.headers["X-CSRFToken"] = "c1"' in script
    assert "version = 12\n" in script


def test_measure_of_an_autosave_no_longer_allowed_stops(tmp_path, monkeypatch):
    runner = FakeBench([], tmp_path, [])
    monkeypatch.setattr(bench, "editor_autosave", lambda client, meeting, nonce: None)
    target = Target("secretary", Page("autosave", "autosave", "", "POST"), "/x/", None, 7)

    with pytest.raises(BenchError, match="the editor of meeting 7 closed to secretary"):
        runner.measure(Measure(target), FakeClient({}))

    assert runner.calls == []


def test_measure_all_signs_in_once_per_role_and_prints_a_table_each(tmp_path, monkeypatch, capsys):
    argv = ["--rounds", "2", "--pages", "dashboard,quotas", "--roles", "province,secretary"]
    argv += ["--json", str(tmp_path / "runs.json")]
    # Per round: province dashboard, province quotas, secretary dashboard.
    results = [result(3500), result(2.5), result(3400), result(12.0), result(3500), result(2.5)]
    results *= 2
    runner = FakeBench(argv, tmp_path, results)
    signed_in = []

    def fake_sign_in(base, username, password):
        signed_in.append(username)
        pages = {"/": (200, 6_300), "/meetings/quotas/": (200, 800_000)}
        if username == "cell-secretary":
            pages["/meetings/quotas/"] = (403, 100)
        return FakeClient(pages)

    monkeypatch.setattr(bench, "sign_in", fake_sign_in)

    text = runner.measure_all({"province": {}, "secretary": {}})

    assert signed_in == ["province-office", "cell-secretary"]
    out = capsys.readouterr().out
    assert "bench-load: 3 pages x 2 rounds: 2 min of wrk, plus the waits for idle" in out
    assert [line for line in out.splitlines() if line.startswith("round")] == [
        "round 1",
        "round 2",
    ]
    assert text.splitlines()[0] == (
        "median of 2 round(s); 16 connections, 2 wrk threads, 10 s a run, gunicorn 2 sync "
        "workers; vs hello = req/s / hello-world's req/s in the run just before (median of rounds)"
    )
    province, secretary = text.split("\n\n")[1:]
    assert province.splitlines()[0] == "province staff (province-office)"
    assert province.splitlines()[3].split() == [
        "dashboard",
        "2.50",
        "100",
        "200",
        "0",
        "0.071",
        "%",
        "6.3",
        "KB",
    ]
    assert province.splitlines()[4].split()[:3] == ["quota", "report", "12.0"]
    assert secretary.splitlines()[-1] == "quota report: not open to this role (403)"
    rows = json.loads((tmp_path / "runs.json").read_text())
    assert [(row["role"], row["page"], len(row["runs"])) for row in rows] == [
        ("province", "dashboard", 2),
        ("province", "quotas", 2),
        ("secretary", "dashboard", 2),
    ]


def test_measure_all_keeps_the_rounds_done_when_a_later_one_fails(tmp_path, monkeypatch):
    argv = ["--rounds", "2", "--pages", "dashboard", "--roles", "province"]
    argv += ["--json", str(tmp_path / "runs.json")]
    runner = FakeBench(argv, tmp_path, [result(3500), result(2.5)])
    monkeypatch.setattr(bench, "sign_in", lambda *args: FakeClient({"/": (200, 6_300)}))

    def wrk(url, script):
        if len(runner.calls) == 4:  # round 2: after round 1's two runs and idle waits
            raise BenchError("wrk failed (1): unable to connect")
        return FakeBench.wrk(runner, url, script)

    runner.wrk = wrk

    with pytest.raises(BenchError, match="unable to connect"):
        runner.measure_all({"province": {}})

    (row,) = json.loads((tmp_path / "runs.json").read_text())
    assert [run["rps"] for run in row["runs"]] == [2.5]


def test_format_latency_of_no_finished_request_is_none():
    assert bench.format_latency([]) == "none"
    assert bench.format_latency([120.0, 80.0, 100.0]) == "100"


def test_table_of_a_page_slower_than_a_run_says_none_finished():
    slow = measure(runs=[result(0), result(0.1, p50=9_000, p99=9_500)], hello=[result(2000)] * 2)
    never = measure("tree", "organization tree", runs=[result(0)], hello=[result(1800)])

    lines = bench.table("province staff (province-office)", [slow, never], []).splitlines()

    assert lines[3].split()[:4] == ["dashboard", "0.05", "9,000", "9,500"]
    assert lines[4].split()[:5] == ["organization", "tree", "0.00", "none", "none"]
    assert lines[-1] == "none: no request finished within a run; its req/s counts as 0"


def test_sigterm_stops_through_the_cleanup():
    with pytest.raises(SystemExit) as stopped:
        bench._stop_on_sigterm(15, None)

    assert stopped.value.code == 143
