"""`journey watch` over plain HTTP: it listens on loopback only, refuses other host names
(DNS rebinding), other origins and other sites, serves the page under a strict CSP with a
fresh nonce, redraws on a save of the map or of a file it includes, keeps the last good picture
on an error, and writes no file."""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import time

import pytest

from journeymap.watch.preview import Preview
from journeymap.watch.server import PreviewServer, is_loopback
from watch.helpers import MAP, MORE, Watch, watched  # noqa: F401 (a fixture)


def _get(watch, path: str, headers: dict | None = None, method: str = "GET"):
    connection = http.client.HTTPConnection("127.0.0.1", watch.port, timeout=10)
    connection.putrequest(method, path, skip_host=True)
    sent = {"Host": f"127.0.0.1:{watch.port}", **(headers or {})}
    for name, value in sent.items():
        if value is not None:
            connection.putheader(name, value)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


class Events:
    """The preview's server-sent events, read as a page reads them."""

    def __init__(self, watch) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", watch.port, timeout=15)
        self.connection.request("GET", "/events")
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type").startswith("text/event-stream")

    def next(self) -> dict:
        data = None
        while True:
            line = self.response.fp.readline().decode("utf-8")
            if line.startswith("data: "):
                data = json.loads(line[6:])
            elif line == "\n" and data is not None:
                return data

    def until(self, predicate) -> dict:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            state = self.next()
            if predicate(state):
                return state
        raise AssertionError("the awaited state never came")

    def close(self) -> None:
        self.connection.close()


def test_the_page_has_a_strict_policy_and_a_fresh_nonce(watched):
    status, headers, body = _get(watched, "/")
    assert status == 200
    policy = headers["Content-Security-Policy"]
    nonce = re.search(r"script-src 'nonce-([^']+)'", policy).group(1)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy and "default-src 'none'" in policy
    page = body.decode("utf-8")
    assert page.count(f'<script nonce="{nonce}">') == 1 and page.count("<script") == 1
    assert not re.search(r"\son[a-z]+\s*=", page), "no inline event handlers"
    assert headers["X-Frame-Options"] == "DENY"
    _, again, _ = _get(watched, "/")
    assert again["Content-Security-Policy"] != policy  # a new nonce for every page
    status, headers, picture = _get(watched, "/picture")
    assert status == 200 and headers["Content-Type"] == "image/svg+xml"
    assert headers["Content-Security-Policy"].startswith("sandbox;") and "script-src" not in headers["Content-Security-Policy"]
    assert b"Searches flights" in picture and b"<script" not in picture


@pytest.mark.parametrize("headers, status", [
    ({"Host": "evil.example"}, 421),
    ({"Host": "evil.example:80"}, 421),
    ({"Host": None}, 421),
    ({"Origin": "http://evil.example"}, 403),
    ({"Origin": "null"}, 403),
    ({"Sec-Fetch-Site": "cross-site"}, 403),
    ({"Sec-Fetch-Site": "same-site"}, 403),
])
@pytest.mark.parametrize("path", ["/", "/picture", "/events"])
def test_requests_from_other_names_origins_and_sites_are_refused(watched, headers, status, path):
    got, _, body = _get(watched, path, headers)
    assert got == status, body
    assert b"Searches flights" not in body


def test_the_preview_answers_as_localhost_too_and_only_to_get(watched):
    assert _get(watched, "/", {"Host": f"localhost:{watched.port}", "Origin": f"http://localhost:{watched.port}"})[0] == 200
    assert _get(watched, "/", method="POST")[0] == 501
    assert _get(watched, "/map.journey")[0] == 404


def test_it_listens_on_loopback_only(watched):
    """The kernel's table of listening sockets: the port is bound to 127.0.0.1, nowhere else."""
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            address, port = local.split(":")
            if int(port, 16) == watched.port and state == "0A":  # LISTEN
                listening.append((table, address))
    assert listening == [("/proc/net/tcp", "0100007F")]  # 127.0.0.1, little-endian


def test_connections_from_other_addresses_are_refused(tmp_path):
    (tmp_path / "map.journey").write_text(MAP)
    (tmp_path / "more.journey").write_text(MORE)
    server = PreviewServer(Preview(str(tmp_path / "map.journey")), 0)
    try:
        assert server.server_address[0] == "127.0.0.1"
        assert server.verify_request(None, ("127.0.0.1", 5000))
        assert server.verify_request(None, ("127.8.9.10", 5000))
        for address in ("192.0.2.7", "10.0.0.1", "203.0.113.1", "::ffff:192.0.2.7", "2001:db8::1", "", "localhost"):
            assert not server.verify_request(None, (address, 5000)), address
    finally:
        server.server_close()
    assert is_loopback("::1")


def test_a_save_redraws_and_an_error_keeps_the_last_good_picture(watched):
    events = Events(watched)
    try:
        first = events.next()
        assert first["version"] == 1 and not first["failed"]
        watched.write("map.journey", MAP.replace("Searches flights", "Looks for a cheap flight"))
        state = events.until(lambda s: s["version"] == 2)
        assert not state["failed"]
        assert b"Looks for a cheap flight" in _get(watched, "/picture")[2]
        # A file the map includes is watched too.
        watched.write("more.journey", MORE.replace("Arrives on time", "Lands early"))
        events.until(lambda s: s["version"] == 3)
        assert b"Lands early" in _get(watched, "/picture")[2]
        # A broken map: the diagnostics, as `journey check` prints them, and the old picture.
        watched.write("map.journey", MAP.replace("search -> pay", "search -> pya"))
        state = events.until(lambda s: s["failed"])
        assert state["version"] == 3
        assert "map.journey:10:11: error[E011]: unknown touchpoint 'pya'" in state["problems"]
        assert "10 | search -> pya -> arrive" in state["problems"]
        assert "help: did you mean 'pay'?" in state["problems"]
        assert b"Lands early" in _get(watched, "/picture")[2]
        # Fixed again: a new picture, no problems.
        watched.write("map.journey", MAP)
        state = events.until(lambda s: not s["failed"])
        assert state["version"] == 4 and state["problems"] == ""
    finally:
        events.close()
    assert sorted(p.name for p in watched.folder.iterdir()) == ["map.journey", "more.journey"]  # it wrote nothing


def test_warnings_are_shown_with_the_picture(watched):
    events = Events(watched)
    try:
        events.next()
        watched.write("map.journey", MAP + 'stage empty "Nothing here"\n')
        state = events.until(lambda s: s["version"] == 2)
        assert not state["failed"] and "warning[W002]" in state["problems"]
    finally:
        events.close()


def test_a_view_it_cannot_draw_or_a_missing_map_stops_it_at_once(tmp_path):
    (tmp_path / "map.journey").write_text(MAP)
    (tmp_path / "more.journey").write_text(MORE)
    done = subprocess.run([sys.executable, "-m", "journeymap.cli", "watch", "map.journey", "--view", "gantt"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "gantt" in done.stderr and "Traceback" not in done.stderr
    done = subprocess.run([sys.executable, "-m", "journeymap.cli", "watch", "missing.journey"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "cannot read 'missing.journey'" in done.stderr


@pytest.mark.parametrize("view, content_type, text", [("lanes", "image/svg+xml", b"Searches flights"),
                                                       ("blueprint", "image/svg+xml", b"Line of internal interaction"),
                                                       ("html", "text/html; charset=utf-8", b"Searches flights")])
def test_other_views(tmp_path, view, content_type, text):
    (tmp_path / "map.journey").write_text(MAP)
    (tmp_path / "more.journey").write_text(MORE)
    watch = Watch(tmp_path, "--view", view)
    try:
        status, headers, body = _get(watch, "/picture")
        assert status == 200 and headers["Content-Type"] == content_type and text in body
    finally:
        watch.stop()
