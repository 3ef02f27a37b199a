"""A local HTTP server (stdlib, in a thread) serving fixture routes, and a fake clock.

Routes are registered per path: a static body (with ETag/Last-Modified and 304 handling), a
script of statuses to answer before the body (for retry tests), or a handler computing the
response from the query. Every request is logged so tests can assert what was asked.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    """One HTTP response."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Route:
    """What a path serves."""

    body: bytes = b""
    content_type: str = "application/json"
    etag: str | None = None
    last_modified: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    #: statuses answered (in order) before the body, e.g. [503, 503]
    script: list[int] = field(default_factory=list)
    handler: Callable[[dict[str, str], dict[str, str]], Reply] | None = None
    #: Content-Length header to announce instead of the body's real length ("" for none)
    content_length: str | None = None


@dataclass(frozen=True)
class Logged:
    """A request the server received."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]


class FeedServer:
    """Fixture routes on 127.0.0.1 (a random port)."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Logged] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server._serve(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(
        self,
        path: str,
        body: bytes = b"",
        *,
        content_type: str = "application/json",
        etag: str | None = None,
        auto_etag: bool = True,
        last_modified: str | None = None,
        headers: dict[str, str] | None = None,
        script: list[int] | None = None,
        handler: Callable[[dict[str, str], dict[str, str]], Reply] | None = None,
        content_length: str | None = None,
    ) -> Route:
        if etag is None and auto_etag and handler is None:
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        route = Route(
            body=body,
            content_type=content_type,
            etag=etag,
            last_modified=last_modified,
            headers=dict(headers or {}),
            script=list(script or []),
            handler=handler,
            content_length=content_length,
        )
        self.routes[path] = route
        return route

    def hits(self, path: str) -> list[Logged]:
        with self._lock:
            return [item for item in self.requests if item.path == path]

    def _serve(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        headers = {key.lower(): value for key, value in request.headers.items()}
        with self._lock:
            self.requests.append(Logged(parts.path, query, headers))
            route = self.routes.get(parts.path)
            scripted = route.script.pop(0) if route and route.script else None
        if route is None:
            self._send(request, Reply(404, b"not found", {"Content-Type": "text/plain"}))
            return
        if scripted is not None:
            self._send(request, Reply(scripted, b"busy", {"Content-Type": "text/plain"}))
            return
        if route.handler is not None:
            self._send(request, route.handler(query, headers))
            return
        reply_headers = {"Content-Type": route.content_type, **route.headers}
        if route.etag:
            reply_headers["ETag"] = route.etag
        if route.last_modified:
            reply_headers["Last-Modified"] = route.last_modified
        if route.etag and headers.get("if-none-match") == route.etag:
            self._send(request, Reply(304, b"", {"ETag": route.etag}))
            return
        if route.content_length is not None:
            reply_headers["Content-Length"] = route.content_length
        self._send(request, Reply(200, route.body, reply_headers))

    @staticmethod
    def _send(request: BaseHTTPRequestHandler, reply: Reply) -> None:
        request.send_response(reply.status)
        headers = dict(reply.headers)
        headers.setdefault("Content-Length", str(len(reply.body)))
        for key, value in headers.items():
            if value:  # an empty Content-Length means: none, the body ends when the socket closes
                request.send_header(key, value)
        request.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            request.wfile.write(reply.body)

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def running_server() -> Iterator[FeedServer]:
    """Generator for a pytest fixture."""
    with FeedServer() as server:
        yield server


class FakeClock:
    """Monotonic time that moves only when slept; wall time follows it."""

    def __init__(self, start: datetime | None = None) -> None:
        self.start = start or datetime(2025, 1, 1, tzinfo=UTC)
        self.elapsed = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return 1000.0 + self.elapsed

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.elapsed += seconds

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.elapsed)

    def advance(self, **delta: float) -> None:
        self.elapsed += timedelta(**delta).total_seconds()
