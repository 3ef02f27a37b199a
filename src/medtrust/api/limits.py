"""ASGI middleware that refuses request bodies above the configured upload limit."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# multipart framing and form fields around the file itself
_OVERHEAD = 64 * 1024


class BodyTooLargeError(Exception):
    """Raised inside ``receive`` when the body exceeds the limit."""


class BodySizeLimit:
    """Reject bodies larger than ``max_bytes`` (+ multipart overhead) with 413 problem+json.

    A declared Content-Length above the limit is refused before anything is read; a chunked
    body is counted as it streams and cut off at the limit.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes + _OVERHEAD
        self.limit_text = max_bytes

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {
                "type": "https://medtrust.dev/problems/too-large",
                "title": "Content Too Large",
                "status": 413,
                "detail": f"request body exceeds the upload limit of {self.limit_text} bytes",
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, counting its body."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.max_bytes:
                    await self._refuse(send)
                    return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLargeError
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLargeError:
            if not started:
                await self._refuse(send)
