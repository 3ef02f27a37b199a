"""Download one URL into one cache file, conditionally and atomically."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from medtrust.feeds.fetchers.base import FetchContext, FetchResult, Tally
from medtrust.feeds.fetchers.cache import CacheEntry
from medtrust.feeds.fetchers.errors import ResponseRejectedError
from medtrust.feeds.fetchers.http import Download, Expect, HttpSession


def fetch_file(
    ctx: FetchContext,
    session: HttpSession,
    *,
    url: str,
    key: str,
    expect: Expect,
    max_bytes: int,
    check: Callable[[Path], None] | None = None,
    params: Mapping[str, str | int] | None = None,
    updated: str | None = None,
) -> Download:
    """Bring cache file ``key`` up to date with ``url``.

    A cached copy is revalidated with ``If-None-Match``/``If-Modified-Since`` (not with
    ``ctx.full``); a 304 only refreshes its manifest entry. A new body is staged, checked with
    ``check`` (which raises :class:`ResponseRejectedError`), then moved into place. On any error
    the cached file and its entry stay as they were.
    """
    cached = None if ctx.full else ctx.cache.entry(key)
    with ctx.cache.staging() as staged:
        download = session.download(
            url,
            staged,
            expect=expect,
            max_bytes=max_bytes,
            params=params,
            etag=cached.etag if cached else None,
            last_modified=cached.last_modified if cached else None,
        )
        now = ctx.clock.now()
        if download.not_modified:
            if cached is None:
                raise ResponseRejectedError(
                    f"{session.source}: {url} answered 304 Not Modified to an unconditional request"
                )
            refreshed = cached.model_copy(
                update={
                    "fetched_at": now,
                    "etag": download.etag or cached.etag,
                    "last_modified": download.last_modified or cached.last_modified,
                    "updated": updated or cached.updated,
                }
            )
            ctx.cache.record(key, refreshed)
            return download
        if check is not None:
            check(staged)
        entry = CacheEntry(
            url=url,
            fetched_at=now,
            sha256=download.sha256 or "",
            size=download.size,
            etag=download.etag,
            last_modified=download.last_modified,
            updated=updated,
        )
        ctx.cache.commit(key, staged, entry)
    return download


def fetch_one(
    ctx: FetchContext,
    name: str,
    *,
    url: str,
    key: str,
    expect: Expect,
    stage: str,
    check: Callable[[Path, list[str]], None],
) -> FetchResult:
    """A feed that is one file: revalidate or download ``url`` into cache ``key``.

    ``check`` validates the staged download and may add notes for the result.
    """
    tally = Tally(name)
    session = ctx.session(name)
    tally.sessions.append(session)
    ctx.reporter.progress(name, stage, 0, 1)
    download = fetch_file(
        ctx,
        session,
        url=url,
        key=key,
        expect=expect,
        max_bytes=ctx.settings.max_document_bytes,
        check=lambda path: check(path, tally.notes),
    )
    if download.not_modified:
        tally.unchanged += 1
    else:
        tally.downloaded += 1
    ctx.reporter.progress(name, stage, 1, 1)
    return tally.result((ctx.cache.path(key).parent,))
