"""HTTP for the fetchers: client factory, rate limiter, retries, guarded streaming downloads.

Every response is streamed with its raw bytes and decoded here (``Content-Encoding: gzip`` or
``deflate``), so decompression is bounded: a response is refused as soon as its decoded size
passes the limit, whatever its ``Content-Length`` said. Content types are checked against what
the caller expects (an HTML error page in place of JSON is refused with a clear message).
Statuses in the retry set (and transport errors) are retried with exponential backoff, honouring
a numeric ``Retry-After``; after the last attempt a :class:`SourceUnavailableError` is raised.
Time comes from an injectable :class:`~medtrust.feeds.fetchers.clock.Clock`, so tests never sleep.
"""

from __future__ import annotations

import hashlib
import zlib
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

import httpx

from medtrust import __version__
from medtrust.feeds.fetchers.clock import Clock
from medtrust.feeds.fetchers.config import FetchSettings
from medtrust.feeds.fetchers.errors import ResponseRejectedError, SourceUnavailableError

#: largest output of one decompression step (bounds memory on bombs)
_STEP = 1024 * 1024
_MISSING = frozenset({404, 410})
#: opens a fresh destination for one attempt and yields its write function
_Sink = Callable[[], AbstractContextManager[Callable[[bytes], None]]]


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most ``requests`` requests in any window of ``per_seconds`` seconds."""

    requests: int
    per_seconds: float


class RateLimiter:
    """Sliding-window limiter: :meth:`acquire` sleeps until one more request fits the window."""

    def __init__(self, limit: RateLimit, clock: Clock) -> None:
        self.limit = limit
        self.clock = clock
        self._sent: deque[float] = deque()
        self.waited = 0.0

    def acquire(self) -> None:
        """Block until a request may be sent, then record it."""
        per = self.limit.per_seconds
        now = self.clock.monotonic()
        while self._sent and self._sent[0] + per <= now:
            self._sent.popleft()
        if len(self._sent) >= self.limit.requests:
            wait = self._sent[0] + per - now
            self.clock.sleep(wait)
            self.waited += wait
            now = self.clock.monotonic()
            # the oldest request has now left the window (popped explicitly: float rounding
            # must not turn this into a loop of ever tinier sleeps)
            self._sent.popleft()
            while self._sent and self._sent[0] + per <= now:
                self._sent.popleft()
        self._sent.append(now)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how long to retry a request."""

    attempts: int = 4
    backoff_seconds: float = 2.0
    max_backoff_seconds: float = 120.0
    retry_statuses: frozenset[int] = frozenset({429, 500, 502, 503, 504})

    def delay(self, attempt: int, retry_after: str | None) -> float:
        """Seconds to wait after failed ``attempt`` (1-based): ``Retry-After`` or backoff."""
        if retry_after and retry_after.strip().isdigit():
            return min(float(retry_after.strip()), self.max_backoff_seconds)
        return min(self.backoff_seconds * 2.0 ** (attempt - 1), self.max_backoff_seconds)


class Expect(StrEnum):
    """The kind of body a request expects; decides the accepted content types."""

    JSON = "JSON"
    ZIP = "a zip archive"
    GZIP = "a gzip file"
    TEXT = "text"


_ANY_BYTES = frozenset({"", "application/octet-stream", "binary/octet-stream"})
_ACCEPTED: dict[Expect, frozenset[str]] = {
    Expect.JSON: _ANY_BYTES | {"application/json", "text/json", "text/plain"},
    Expect.ZIP: _ANY_BYTES
    | {"application/zip", "application/x-zip-compressed", "application/x-zip"},
    Expect.GZIP: _ANY_BYTES | {"application/gzip", "application/x-gzip", "application/x-gunzip"},
    Expect.TEXT: _ANY_BYTES | {"text/plain", "text/csv", "application/csv"},
}


def content_type_ok(expect: Expect, content_type: str) -> bool:
    """Whether ``content_type`` (media type only, lower case) fits ``expect``."""
    if (
        expect is Expect.JSON
        and content_type.startswith("application/")
        and "+json" in content_type
    ):
        return True
    return content_type in _ACCEPTED[expect]


@dataclass(frozen=True, slots=True)
class Download:
    """What one request produced. ``status`` is 200 or 304 (not modified, nothing stored)."""

    url: str
    status: int
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    size: int = 0
    sha256: str | None = None

    @property
    def not_modified(self) -> bool:
        """The server said the cached copy is current."""
        return self.status == 304


@dataclass(frozen=True, slots=True)
class Body:
    """A response held in memory (small documents only)."""

    download: Download
    data: bytes


def make_client(settings: FetchSettings) -> httpx.Client:
    """An HTTP client for the fetchers: timeouts, redirects, user agent, gzip accepted."""
    return httpx.Client(
        timeout=httpx.Timeout(settings.http_timeout_seconds),
        follow_redirects=True,
        max_redirects=5,
        trust_env=settings.http_trust_env,
        headers={"User-Agent": f"medtrust/{__version__}", "Accept-Encoding": "gzip"},
    )


class _Decoder:
    """Undo ``Content-Encoding`` incrementally, refusing output beyond ``limit`` bytes."""

    def __init__(self, encoding: str, limit: int, url: str, emit: Callable[[bytes], None]) -> None:
        self.limit = limit
        self.url = url
        self.emit = emit
        self.total = 0
        if encoding in ("", "identity"):
            self._zlib = None
        elif encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._zlib = zlib.decompressobj()
        else:
            raise ResponseRejectedError(f"{url}: unsupported content encoding {encoding!r}")

    def _out(self, data: bytes) -> None:
        self.total += len(data)
        if self.total > self.limit:
            raise ResponseRejectedError(
                f"{self.url}: response exceeds the limit of {self.limit} bytes"
                + (" after decompression" if self._zlib is not None else "")
            )
        if data:
            self.emit(data)

    def feed(self, chunk: bytes) -> None:
        if self._zlib is None:
            self._out(chunk)
            return
        try:
            self._out(self._zlib.decompress(chunk, _STEP))
            while self._zlib.unconsumed_tail:
                self._out(self._zlib.decompress(self._zlib.unconsumed_tail, _STEP))
        except zlib.error as exc:
            raise ResponseRejectedError(f"{self.url}: corrupt compressed response: {exc}") from None

    def finish(self) -> None:
        if self._zlib is None:
            return
        self._out(self._zlib.flush())
        if not self._zlib.eof:
            raise ResponseRejectedError(f"{self.url}: compressed response is truncated")


class HttpSession:
    """Guarded GET requests for one source: rate limit, retries, limits, content types."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        source: str,
        clock: Clock,
        retry: RetryPolicy,
        limiter: RateLimiter | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.client = client
        self.source = source
        self.clock = clock
        self.retry = retry
        self.limiter = limiter
        self.headers = dict(headers or {})
        self.requests = 0

    def download(
        self,
        url: str,
        dest: Path,
        *,
        expect: Expect,
        max_bytes: int,
        params: Mapping[str, str | int] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Download:
        """Stream ``url`` into ``dest`` (overwritten); 304 leaves ``dest`` untouched."""

        @contextmanager
        def sink() -> Iterator[Callable[[bytes], None]]:
            with dest.open("wb") as handle:
                yield _writer(handle)

        result = self._exchange(url, expect, max_bytes, params, etag, last_modified, sink)
        if result is None:  # pragma: no cover - only with missing_ok
            raise SourceUnavailableError(f"{self.source}: {url} not found", status=404)
        return result

    def get(
        self,
        url: str,
        *,
        expect: Expect,
        max_bytes: int,
        params: Mapping[str, str | int] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        missing_ok: bool = False,
    ) -> Body | None:
        """Fetch ``url`` into memory; ``None`` for 404/410 when ``missing_ok``."""
        parts: list[bytes] = []

        @contextmanager
        def sink() -> Iterator[Callable[[bytes], None]]:
            parts.clear()
            yield parts.append

        result = self._exchange(
            url, expect, max_bytes, params, etag, last_modified, sink, missing_ok=missing_ok
        )
        return None if result is None else Body(result, b"".join(parts))

    def _exchange(
        self,
        url: str,
        expect: Expect,
        max_bytes: int,
        params: Mapping[str, str | int] | None,
        etag: str | None,
        last_modified: str | None,
        sink: _Sink,
        *,
        missing_ok: bool = False,
    ) -> Download | None:
        headers = dict(self.headers)
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempts = self.retry.attempts
        for attempt in range(1, attempts + 1):
            if self.limiter is not None:
                self.limiter.acquire()
            self.requests += 1
            try:
                with self.client.stream("GET", url, params=params, headers=headers) as response:
                    status = response.status_code
                    if status in self.retry.retry_statuses and attempt < attempts:
                        wait = self.retry.delay(attempt, response.headers.get("retry-after"))
                    elif status in _MISSING and missing_ok:
                        return None
                    else:
                        return self._receive(response, url, expect, max_bytes, sink, attempt)
            except httpx.TransportError as exc:
                if attempt >= attempts:
                    raise SourceUnavailableError(
                        f"{self.source}: {url}: {_transport_message(exc)}"
                        f" (after {attempt} attempt{'s' if attempt > 1 else ''})"
                    ) from None
                wait = self.retry.delay(attempt, None)
            self.clock.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _receive(
        self,
        response: httpx.Response,
        url: str,
        expect: Expect,
        max_bytes: int,
        sink: _Sink,
        attempt: int,
    ) -> Download:
        status = response.status_code
        headers = response.headers
        if status == 304:
            return Download(url, 304, headers.get("etag"), headers.get("last-modified"))
        if status != 200:
            tries = f" (after {attempt} attempts)" if attempt > 1 else ""
            raise SourceUnavailableError(
                f"{self.source}: {url} answered {status} {response.reason_phrase}{tries}",
                status=status,
            )
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if not content_type_ok(expect, content_type):
            raise ResponseRejectedError(
                f"{self.source}: {url}: expected {expect.value} but the server sent {content_type}"
            )
        announced = headers.get("content-length", "").strip()
        if announced.isdigit() and int(announced) > max_bytes:
            raise ResponseRejectedError(
                f"{self.source}: {url} announces {announced} bytes, more than the limit of"
                f" {max_bytes}"
            )
        digest = hashlib.sha256()
        with sink() as emit:

            def both(data: bytes) -> None:
                digest.update(data)
                emit(data)

            encoding = headers.get("content-encoding", "").strip().lower()
            decoder = _Decoder(encoding, max_bytes, f"{self.source}: {url}", both)
            for chunk in response.iter_raw():
                decoder.feed(chunk)
            decoder.finish()
        return Download(
            url=url,
            status=200,
            etag=headers.get("etag"),
            last_modified=headers.get("last-modified"),
            content_type=content_type or None,
            size=decoder.total,
            sha256=digest.hexdigest(),
        )


def _writer(handle: BinaryIO) -> Callable[[bytes], None]:
    def write(data: bytes) -> None:
        handle.write(data)

    return write


def _transport_message(exc: httpx.TransportError) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
