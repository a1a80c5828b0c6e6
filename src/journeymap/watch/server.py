"""`journey watch`: the preview's HTTP server. It listens on 127.0.0.1 only, answers only
loopback clients that name it as 127.0.0.1 or localhost (a page elsewhere cannot reach it by
DNS rebinding or ask it from another origin), serves GET alone, and writes no file.

    /          the page (page.py), with a fresh nonce for its script
    /picture   the last good picture
    /events    server-sent events: the state after every save
"""

from __future__ import annotations

import ipaddress
import os
import queue
import secrets
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from .page import PICTURE_POLICY, page, page_policy
from .preview import Preview, watch_files

HOST = "127.0.0.1"
KEEP_ALIVE_SECONDS = 15


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False  # never share the port with another process

    def __init__(self, preview: Preview, port: int) -> None:
        self.preview = preview
        self.stopping = threading.Event()
        super().__init__((HOST, port), PreviewHandler)

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def verify_request(self, request, client_address) -> bool:
        """Only this machine: the socket is bound to loopback, and the peer is checked too."""
        return is_loopback(client_address[0])

    def allowed_hosts(self) -> set[str]:
        return {f"{HOST}:{self.port}", f"localhost:{self.port}"}

    def allowed_origins(self) -> set[str]:
        return {f"http://{host}" for host in self.allowed_hosts()}


def is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    timeout = 30  # seconds a connection may stay silent (or a page unread) before it is dropped

    def version_string(self) -> str:
        return "journey-watch"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass  # requests are not news; problems are printed by serve()

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        refusal = self.refusal()
        if refusal is not None:
            self.plain(*refusal)
            return
        path = urlsplit(self.path).path
        if path == "/":
            self.send_page()
        elif path == "/picture":
            self.send_picture()
        elif path == "/events":
            self.send_events()
        else:
            self.plain(404, "not found")

    def refusal(self) -> tuple[int, str] | None:
        """Why this request is refused, or None: a Host other than this server's own name (DNS
        rebinding), a request made by a page of another origin."""
        host = self.headers.get("Host", "")
        if host.lower() not in self.server.allowed_hosts():
            return 421, "this preview answers only as 127.0.0.1 or localhost"
        origin = self.headers.get("Origin")
        if origin is not None and origin.lower() not in self.server.allowed_origins():
            return 403, "requests from other origins are refused"
        site = self.headers.get("Sec-Fetch-Site")
        if site not in (None, "same-origin", "none"):
            return 403, "requests from other sites are refused"
        return None

    # --- answers ---------------------------------------------------------------------------------
    def common_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")

    def plain(self, status: int, message: str) -> None:
        body = (message + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", "default-src 'none'")
        self.common_headers()
        self.end_headers()
        self.wfile.write(body)

    def send_page(self) -> None:
        nonce = secrets.token_urlsafe(18)
        body = page(os.path.basename(self.server.preview.path), nonce)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", page_policy(nonce))
        self.send_header("X-Frame-Options", "DENY")
        self.common_headers()
        self.end_headers()
        self.wfile.write(body)

    def send_picture(self) -> None:
        picture = self.server.preview.state.picture
        if picture is None:
            self.plain(404, "no picture yet: the map has not compiled")
            return
        self.send_response(200)
        self.send_header("Content-Type", picture.content_type)
        self.send_header("Content-Length", str(len(picture.body)))
        self.send_header("Content-Security-Policy", PICTURE_POLICY)
        self.common_headers()
        self.end_headers()
        self.wfile.write(picture.body)

    def send_events(self) -> None:
        preview = self.server.preview
        listener = preview.listen()
        if listener is None:
            self.plain(503, "too many pages are listening")
            return
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.common_headers()
            self.end_headers()
            self.close_connection = True
            while not self.server.stopping.is_set():
                try:
                    event = listener.get(timeout=KEEP_ALIVE_SECONDS)
                except queue.Empty:
                    event = ": still here\n\n"
                if event is None:
                    break
                self.wfile.write(event.encode("utf-8"))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass  # the page went away
        finally:
            preview.leave(listener)


def serve(path: str, *, view: str = "flow", persona: str | None = None, port: int = 0, open_browser: bool = False,
          include_root: str | None = None, engine: str = "auto") -> int:
    """Serve the preview until interrupted: 0 then; 2 when it cannot start."""
    preview = Preview(path, view=view, persona=persona, engine=engine, include_root=include_root)
    if not os.path.isfile(path):
        print(f"journey: cannot read '{path}': no such file", file=sys.stderr)
        return 2
    state = preview.refresh()
    if state.failed and state.summary == "cannot draw the map":
        print(state.problems, file=sys.stderr)  # the view or the engine cannot be had: say it now
        return 2
    try:
        server = PreviewServer(preview, port)
    except OSError as error:
        print(f"journey: cannot listen on {HOST}:{port}: {(error.strerror or str(error)).lower()}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def report() -> None:
        current = preview.state
        print(f"{path}: {current.summary}" + (" (the page keeps the last good picture)" if current.failed else ""),
              file=sys.stderr, flush=True)

    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    watcher = threading.Thread(target=watch_files, args=(preview, stop, report), daemon=True)
    watcher.start()
    print(f"journey watch: previewing {path} at {server.url} (Ctrl-C stops)", flush=True)
    report()
    if open_browser:
        import webbrowser

        threading.Thread(target=webbrowser.open, args=(server.url,), daemon=True).start()
    try:
        while not stop.wait(0.5):
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.stopping.set()
        for listener in list(preview.listeners):
            listener.put(None)
        server.shutdown()
        server.server_close()
        watcher.join(timeout=2)
    return 0
