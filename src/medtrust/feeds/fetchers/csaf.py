"""CSAF providers: provider-metadata.json -> ROLIE feeds / directories -> advisories.

For each configured provider the fetcher finds its metadata (see
:mod:`~medtrust.feeds.fetchers.csaf_discovery`), keeps a copy under ``meta/csaf/`` for
conditional requests, and collects the documents of every distribution:

* ROLIE feeds whose ``tlp_label`` is allowed (``csaf_tlp_labels``, default CLEAR and WHITE);
  other feeds are counted as ``tlp-not-allowed`` skips and not opened.
* Directories, through ``changes.csv`` (with dates) or, if absent, ``index.txt``.

A document already cached with the same feed date is not requested again; otherwise it is
revalidated with its ETag. A new body is checked before it is stored under
``data/csaf/<host>/<path>``: its SHA-512 (or SHA-256) must match the hash file when there is
one (``hash-mismatch`` skip otherwise), it must be a JSON object with a ``document``
(``not-csaf``), and its own ``document.distribution.tlp.label``, when present, must be allowed
(``tlp-not-allowed``). A document without a label takes its feed's label; documents of a
directory distribution are public by construction. Per-document problems are skips; a provider
or feed that cannot be read is a failure of the run (exit code 3).
"""

from __future__ import annotations

import hashlib
from functools import partial
from pathlib import Path
from typing import Any

from medtrust.feeds.fetchers import checks
from medtrust.feeds.fetchers.base import FetchContext, FetchResult, Tally
from medtrust.feeds.fetchers.cache import url_key
from medtrust.feeds.fetchers.csaf_discovery import (
    DocumentRef,
    FeedRef,
    csaf_fields,
    directory_changes,
    directory_index,
    distributions,
    document_tlp,
    metadata_candidates,
    parse_hash_file,
    rolie_entries,
    security_txt_url,
)
from medtrust.feeds.fetchers.errors import FetchError, SourceUnavailableError
from medtrust.feeds.fetchers.http import Expect, HttpSession
from medtrust.feeds.fetchers.store import fetch_file

PREFIX = "data/csaf"
META = "meta/csaf"
_SMALL = 4 * 1024 * 1024


class DocumentSkippedError(Exception):
    """Raised by a document check: the document is left out for ``reason``."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class CsafFetcher:
    """Download CSAF advisories from the configured providers."""

    name = "csaf"
    summary = "CSAF 2.0 providers (provider-metadata.json, ROLIE feeds, directories)"

    def fetch(self, ctx: FetchContext) -> FetchResult:
        """Update every provider; one that fails is reported and the others go on."""
        session = ctx.session(self.name)
        tally = Tally(self.name, sessions=[session])
        if not ctx.settings.csaf_providers:
            tally.notes.append("no providers configured (MEDTRUST_CSAF_PROVIDERS)")
        for provider in sorted(set(ctx.settings.csaf_providers)):
            try:
                documents = self._discover(ctx, session, tally, provider)
            except FetchError as exc:
                tally.failures.append(str(exc))
                continue
            self._documents(ctx, session, tally, provider, documents)
            ctx.cache.save()
        return tally.result((ctx.cache.path(PREFIX),))

    def _json(self, ctx: FetchContext, session: HttpSession, url: str) -> dict[str, Any]:
        """A JSON object document, revalidated and kept under ``meta/``."""
        key = url_key(META, url)
        origin = f"{self.name}: {url}"
        fetch_file(
            ctx,
            session,
            url=url,
            key=key,
            expect=Expect.JSON,
            max_bytes=ctx.settings.max_document_bytes,
            check=lambda path: _object_check(path, origin),
        )
        return checks.json_object(ctx.cache.path(key).read_bytes(), origin)

    def _metadata(
        self, ctx: FetchContext, session: HttpSession, provider: str
    ) -> tuple[str, dict[str, Any]]:
        """The provider metadata: well-known URL first, then security.txt ``CSAF:`` fields."""
        tried: list[str] = []
        candidates = metadata_candidates(provider)
        for url in candidates:
            try:
                return url, self._json(ctx, session, url)
            except SourceUnavailableError as exc:
                tried.append(str(exc))
        txt_url = security_txt_url(provider)
        if txt_url:
            body = session.get(txt_url, expect=Expect.TEXT, max_bytes=_SMALL, missing_ok=True)
            for url in csaf_fields(body.data.decode("utf-8", "replace")) if body else []:
                try:
                    return url, self._json(ctx, session, url)
                except SourceUnavailableError as exc:
                    tried.append(str(exc))
        raise SourceUnavailableError(
            f"{self.name}: no provider metadata found for {provider} ({'; '.join(tried)})"
        )

    def _discover(
        self, ctx: FetchContext, session: HttpSession, tally: Tally, provider: str
    ) -> list[DocumentRef]:
        url, metadata = self._metadata(ctx, session, provider)
        if "canonical_url" not in metadata and "distributions" not in metadata:
            raise FetchError(f"{self.name}: {url}: not a CSAF provider-metadata.json")
        documents: dict[str, DocumentRef] = {}
        feeds = distributions(metadata, url)
        if not feeds:
            tally.notes.append(f"{provider}: provider metadata lists no distributions")
        for feed in feeds:
            if feed.kind == "rolie" and not ctx.settings.tlp_allowed(feed.tlp):
                tally.skip(feed.url, "tlp-not-allowed", f"ROLIE feed labelled TLP:{feed.tlp}")
                continue
            for ref in self._feed_documents(ctx, session, feed):
                documents.setdefault(ref.url, ref)
        tally.notes.append(f"{provider}: {len(documents)} documents in {len(feeds)} feed(s)")
        return [documents[key] for key in sorted(documents)]

    def _feed_documents(
        self, ctx: FetchContext, session: HttpSession, feed: FeedRef
    ) -> list[DocumentRef]:
        if feed.kind == "rolie":
            return rolie_entries(self._json(ctx, session, feed.url), feed.url, feed.tlp)
        for name, parse in (("changes.csv", directory_changes), ("index.txt", directory_index)):
            url = feed.url + name
            body = session.get(
                url, expect=Expect.TEXT, max_bytes=ctx.settings.max_document_bytes, missing_ok=True
            )
            if body is not None:
                return parse(body.data.decode("utf-8", "replace"), feed.url)
        raise SourceUnavailableError(
            f"{self.name}: {feed.url}: directory has neither changes.csv nor index.txt"
        )

    def _documents(
        self,
        ctx: FetchContext,
        session: HttpSession,
        tally: Tally,
        provider: str,
        documents: list[DocumentRef],
    ) -> None:
        for number, ref in enumerate(documents):
            ctx.reporter.progress(self.name, provider, number, len(documents))
            key = url_key(PREFIX, ref.url)
            cached = ctx.cache.entry(key)
            if cached and ref.updated and cached.updated == ref.updated and not ctx.full:
                tally.unchanged += 1
                continue
            try:
                download = fetch_file(
                    ctx,
                    session,
                    url=ref.url,
                    key=key,
                    expect=Expect.JSON,
                    max_bytes=ctx.settings.max_document_bytes,
                    check=partial(self._check, ctx, session, ref),
                    updated=ref.updated,
                )
            except DocumentSkippedError as exc:
                tally.skip(ref.url, exc.reason, exc.detail)
                continue
            except FetchError as exc:
                unavailable = isinstance(exc, SourceUnavailableError)
                reason = "download-failed" if unavailable else "rejected-response"
                tally.skip(ref.url, reason, str(exc))
                continue
            if download.not_modified:
                tally.unchanged += 1
            else:
                tally.downloaded += 1
            if number % 200 == 199:
                ctx.cache.save()
        ctx.reporter.progress(self.name, provider, len(documents), len(documents))

    def _check(self, ctx: FetchContext, session: HttpSession, ref: DocumentRef, path: Path) -> None:
        """Hash, shape and TLP of a downloaded advisory (raises ``DocumentSkippedError``)."""
        data = path.read_bytes()
        if ref.hash_url:
            body = session.get(
                ref.hash_url, expect=Expect.TEXT, max_bytes=64 * 1024, missing_ok=True
            )
            if body is None and not ref.hash_optional:
                raise DocumentSkippedError("hash-unavailable", f"{ref.hash_url} not found")
            if body is not None:
                expected = parse_hash_file(body.data.decode("ascii", "replace"))
                if expected is None:
                    raise DocumentSkippedError("hash-unreadable", f"{ref.hash_url}: no hex digest")
                algorithm = hashlib.sha512 if len(expected) == 128 else hashlib.sha256
                actual = algorithm(data).hexdigest()
                if actual != expected:
                    raise DocumentSkippedError(
                        "hash-mismatch",
                        f"{algorithm().name} {actual[:16]}… differs from {ref.hash_url}",
                    )
        document = checks.json_object(data, f"{self.name}: {ref.url}")
        if not isinstance(document.get("document"), dict):
            raise DocumentSkippedError("not-csaf", "no 'document' object")
        label = document_tlp(document) or ref.tlp
        if label is not None and not ctx.settings.tlp_allowed(label):
            raise DocumentSkippedError("tlp-not-allowed", f"document labelled TLP:{label}")


def _object_check(path: Path, origin: str) -> None:
    checks.json_object(path.read_bytes(), origin)
