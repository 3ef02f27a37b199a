"""HTTP layer: rate limiter (fake clock), retries and backoff, hostile responses."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from medtrust.feeds.fetchers.errors import ResponseRejectedError, SourceUnavailableError
from medtrust.feeds.fetchers.http import (
    Expect,
    HttpSession,
    RateLimit,
    RateLimiter,
    RetryPolicy,
    content_type_ok,
    make_client,
)
from tests.feeds.fetchers.conftest import settings_for
from tests.feeds.fetchers.server import FakeClock, FeedServer, Reply


@pytest.fixture
def client(server: FeedServer) -> Iterator[httpx.Client]:
    with make_client(settings_for(server)) as made:
        yield made


def session(client: httpx.Client, clock: FakeClock, attempts: int = 3) -> HttpSession:
    policy = RetryPolicy(attempts=attempts, backoff_seconds=1.0, max_backoff_seconds=30.0)
    return HttpSession(client, source="test", clock=clock, retry=policy)


@given(
    requests=st.integers(min_value=1, max_value=6),
    window=st.floats(min_value=0.5, max_value=60.0),
    gaps=st.lists(st.floats(min_value=0.0, max_value=20.0), min_size=1, max_size=40),
)
def test_rate_limiter_never_allows_more_than_n_requests_in_any_window(
    requests: int, window: float, gaps: list[float]
) -> None:
    clock = FakeClock()
    limiter = RateLimiter(RateLimit(requests, window), clock)
    sent: list[float] = []
    for gap in gaps:
        clock.elapsed += gap  # time passing between requests for other reasons
        limiter.acquire()
        sent.append(clock.monotonic())
    for index in range(requests, len(sent)):
        # the request `requests` places earlier must be at least a full window before
        assert sent[index] - sent[index - requests] >= window - 1e-9
    assert sent == sorted(sent)


def test_rate_limiter_waits_only_when_the_window_is_full() -> None:
    clock = FakeClock()
    limiter = RateLimiter(RateLimit(5, 30.0), clock)
    for _ in range(5):
        limiter.acquire()
    assert clock.sleeps == []
    limiter.acquire()
    assert clock.sleeps == [30.0]
    assert limiter.waited == 30.0


def test_retries_with_exponential_backoff_then_succeeds(
    server: FeedServer, client: httpx.Client, clock: FakeClock
) -> None:
    server.add("/doc.json", b'{"a": 1}', script=[503, 429])
    body = session(client, clock).get(server.url("/doc.json"), expect=Expect.JSON, max_bytes=100)
    assert body is not None
    assert body.data == b'{"a": 1}'
    assert clock.sleeps == [1.0, 2.0]
    assert len(server.hits("/doc.json")) == 3


def test_retry_after_header_is_honoured(
    server: FeedServer, client: httpx.Client, clock: FakeClock
) -> None:
    def busy(query: dict[str, str], headers: dict[str, str]) -> Reply:
        if len(server.hits("/slow.json")) == 1:
            return Reply(503, b"", {"Retry-After": "7"})
        return Reply(200, b"{}", {"Content-Type": "application/json"})

    server.add("/slow.json", handler=busy)
    session(client, clock).get(server.url("/slow.json"), expect=Expect.JSON, max_bytes=100)
    assert clock.sleeps == [7.0]


def test_gives_up_after_the_last_attempt_with_a_data_source_error(
    server: FeedServer, client: httpx.Client, clock: FakeClock
) -> None:
    server.add("/down.json", b"{}", script=[503, 503, 503, 503])
    with pytest.raises(SourceUnavailableError) as caught:
        session(client, clock).get(server.url("/down.json"), expect=Expect.JSON, max_bytes=100)
    error = caught.value
    assert error.exit_code == 3
    assert error.status == 503
    assert "answered 503" in error.message and "after 3 attempts" in error.message
    assert "\n" not in error.message
    assert clock.sleeps == [1.0, 2.0]


def test_a_status_outside_the_retry_set_fails_at_once(
    server: FeedServer, client: httpx.Client, clock: FakeClock
) -> None:
    with pytest.raises(SourceUnavailableError, match="answered 404"):
        session(client, clock).get(server.url("/absent"), expect=Expect.JSON, max_bytes=100)
    assert clock.sleeps == []
    missing = session(client, clock).get(
        server.url("/absent"), expect=Expect.JSON, max_bytes=100, missing_ok=True
    )
    assert missing is None


def test_connection_refused_is_retried_then_unavailable(client: httpx.Client) -> None:
    clock = FakeClock()
    with FeedServer() as gone:
        url = gone.url("/x.json")
    with pytest.raises(SourceUnavailableError, match=r"ConnectError.*after 3 attempts"):
        session(client, clock).get(url, expect=Expect.JSON, max_bytes=100)
    assert clock.sleeps == [1.0, 2.0]


def test_announced_content_length_over_the_limit_is_refused(
    server: FeedServer, client: httpx.Client, clock: FakeClock
) -> None:
    server.add("/huge.json", b"{}", content_length=str(10**12))
    with pytest.raises(ResponseRejectedError) as caught:
        session(client, clock).get(server.url("/huge.json"), expect=Expect.JSON, max_bytes=1000)
    assert "announces 1000000000000 bytes, more than the limit of 1000" in caught.value.message
    assert caught.value.exit_code == 3


def test_body_longer_than_the_limit_is_refused_while_streaming(
    server: FeedServer, client: httpx.Client, clock: FakeClock, tmp_path: Path
) -> None:
    server.add("/big.json", b"[" + b"0," * 5000 + b"0]", content_length="")
    dest = tmp_path / "out"
    with pytest.raises(ResponseRejectedError, match="exceeds the limit of 1000 bytes"):
        session(client, clock).download(
            server.url("/big.json"), dest, expect=Expect.JSON, max_bytes=1000
        )


def test_gzip_bomb_in_content_encoding_is_refused_after_decompression(
    server: FeedServer, client: httpx.Client, clock: FakeClock, tmp_path: Path
) -> None:
    bomb = gzip.compress(b"\x00" * (50 * 1024 * 1024))
    assert len(bomb) < 100_000
    server.add("/bomb.json", bomb, headers={"Content-Encoding": "gzip"})
    dest = tmp_path / "bomb"
    with pytest.raises(ResponseRejectedError) as caught:
        session(client, clock).download(
            server.url("/bomb.json"), dest, expect=Expect.JSON, max_bytes=1024 * 1024
        )
    assert "after decompression" in caught.value.message
    assert dest.stat().st_size <= 1024 * 1024


def test_gzip_content_encoding_is_decoded(
    server: FeedServer, client: httpx.Client, clock: FakeClock
) -> None:
    server.add("/z.json", gzip.compress(b'{"ok": true}'), headers={"Content-Encoding": "gzip"})
    body = session(client, clock).get(server.url("/z.json"), expect=Expect.JSON, max_bytes=100)
    assert body is not None and body.data == b'{"ok": true}'
    assert body.download.size == len(b'{"ok": true}')


def test_truncated_or_corrupt_content_encoding_is_refused(
    server: FeedServer, client: httpx.Client, clock: FakeClock
) -> None:
    server.add(
        "/cut.json", gzip.compress(b'{"ok": true}' * 100)[:30], headers={"Content-Encoding": "gzip"}
    )
    with pytest.raises(ResponseRejectedError, match="truncated"):
        session(client, clock).get(server.url("/cut.json"), expect=Expect.JSON, max_bytes=10_000)
    server.add("/junk.json", b"not gzip at all", headers={"Content-Encoding": "gzip"})
    with pytest.raises(ResponseRejectedError, match="corrupt compressed response"):
        session(client, clock).get(server.url("/junk.json"), expect=Expect.JSON, max_bytes=10_000)
    server.add("/br.json", b"x", headers={"Content-Encoding": "br"})
    with pytest.raises(ResponseRejectedError, match="unsupported content encoding 'br'"):
        session(client, clock).get(server.url("/br.json"), expect=Expect.JSON, max_bytes=10_000)


def test_deflate_content_encoding_is_decoded(
    server: FeedServer, client: httpx.Client, clock: FakeClock
) -> None:
    server.add("/d.json", zlib.compress(b"[1, 2]"), headers={"Content-Encoding": "deflate"})
    body = session(client, clock).get(server.url("/d.json"), expect=Expect.JSON, max_bytes=100)
    assert body is not None and body.data == b"[1, 2]"


def test_html_instead_of_json_is_refused_with_the_content_type(
    server: FeedServer, client: httpx.Client, clock: FakeClock
) -> None:
    server.add("/portal.json", b"<html>login</html>", content_type="text/html; charset=utf-8")
    with pytest.raises(ResponseRejectedError) as caught:
        session(client, clock).get(server.url("/portal.json"), expect=Expect.JSON, max_bytes=100)
    assert caught.value.message.endswith("expected JSON but the server sent text/html")


@pytest.mark.parametrize(
    ("expect", "content_type", "ok"),
    [
        (Expect.JSON, "application/json", True),
        (Expect.JSON, "application/csaf+json", True),
        (Expect.JSON, "", True),
        (Expect.JSON, "text/html", False),
        (Expect.ZIP, "application/zip", True),
        (Expect.ZIP, "application/json", False),
        (Expect.GZIP, "application/x-gzip", True),
        (Expect.GZIP, "text/html", False),
        (Expect.TEXT, "text/csv", True),
        (Expect.TEXT, "image/png", False),
    ],
)
def test_content_type_table(expect: Expect, content_type: str, ok: bool) -> None:
    assert content_type_ok(expect, content_type) is ok


def test_conditional_request_gets_304(
    server: FeedServer, client: httpx.Client, clock: FakeClock
) -> None:
    route = server.add("/c.json", b"{}")
    first = session(client, clock).get(server.url("/c.json"), expect=Expect.JSON, max_bytes=100)
    assert first is not None and first.download.etag == route.etag
    second = session(client, clock).get(
        server.url("/c.json"), expect=Expect.JSON, max_bytes=100, etag=route.etag
    )
    assert second is not None and second.download.not_modified and second.data == b""
    assert server.hits("/c.json")[1].headers["if-none-match"] == route.etag


def test_retry_policy_delay_is_capped() -> None:
    policy = RetryPolicy(backoff_seconds=10.0, max_backoff_seconds=25.0)
    assert [policy.delay(n, None) for n in (1, 2, 3)] == [10.0, 20.0, 25.0]
    assert policy.delay(1, "600") == 25.0
    assert policy.delay(2, "Wed, 21 Oct 2015 07:28:00 GMT") == 20.0
