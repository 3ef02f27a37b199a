"""CSAF 2.0 discovery: provider-metadata.json, its distributions, ROLIE feeds and directories.

References (OASIS CSAF 2.0, section 7): the provider metadata (§7.1.7, requirement 7) lists
``distributions``, each a ``directory_url`` (requirements 11-14: ``index.txt`` and
``changes.csv`` beside the documents) and/or ``rolie.feeds`` (requirement 15: one ROLIE feed per
TLP label, each with ``tlp_label`` and ``url``). A domain's provider metadata is found at
``/.well-known/csaf/provider-metadata.json`` (requirement 9) or through a ``CSAF:`` field of its
``security.txt`` (requirement 8). Hashes (``.sha256``/``.sha512``) sit beside each document
(requirement 18).

These functions only parse; the fetcher in :mod:`medtrust.feeds.fetchers.csaf` downloads.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urljoin


@dataclass(frozen=True, slots=True)
class FeedRef:
    """One source of documents named in a provider's metadata."""

    kind: Literal["directory", "rolie"]
    url: str
    tlp: str | None = None
    summary: str = ""


@dataclass(frozen=True, slots=True)
class DocumentRef:
    """One advisory to fetch: its URL, where its hash is (if known) and its feed date."""

    url: str
    updated: str | None = None
    hash_url: str | None = None
    #: the hash location is a guess (directory layout): a missing hash file is not a problem
    hash_optional: bool = False
    tlp: str | None = None


def metadata_candidates(provider: str) -> list[str]:
    """Where to look for a provider's metadata: a URL ending in ``.json`` as given, otherwise
    the well-known path under the URL (a bare domain means ``https://<domain>``)."""
    provider = provider.strip()
    if provider.lower().endswith(".json"):
        return [provider]
    base = provider if "://" in provider else f"https://{provider}"
    return [f"{base.rstrip('/')}/.well-known/csaf/provider-metadata.json"]


def security_txt_url(provider: str) -> str | None:
    """The ``security.txt`` location of a provider given as a domain or base URL."""
    provider = provider.strip()
    if provider.lower().endswith(".json"):
        return None
    base = provider if "://" in provider else f"https://{provider}"
    return f"{base.rstrip('/')}/.well-known/security.txt"


def csaf_fields(security_txt: str) -> list[str]:
    """The ``CSAF:`` values of a security.txt (RFC 9116 field syntax), in file order."""
    found = []
    for line in security_txt.splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip().lower() == "csaf" and value.strip():
            found.append(value.strip())
    return found


def distributions(metadata: dict[str, Any], base_url: str) -> list[FeedRef]:
    """ROLIE feeds and directories of a provider-metadata document, sorted by (kind, url)."""
    refs: set[FeedRef] = set()
    items = metadata.get("distributions")
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        directory = item.get("directory_url")
        if isinstance(directory, str) and directory:
            url = urljoin(base_url, directory)
            refs.add(FeedRef("directory", url if url.endswith("/") else url + "/"))
        rolie = item.get("rolie")
        feeds = rolie.get("feeds") if isinstance(rolie, dict) else None
        for feed in feeds if isinstance(feeds, list) else []:
            if isinstance(feed, dict) and isinstance(feed.get("url"), str):
                label = feed.get("tlp_label")
                summary = feed.get("summary")
                refs.add(
                    FeedRef(
                        "rolie",
                        urljoin(base_url, feed["url"]),
                        label if isinstance(label, str) else None,
                        summary if isinstance(summary, str) else "",
                    )
                )
    return sorted(refs, key=lambda ref: (ref.kind, ref.url))


def rolie_entries(feed: dict[str, Any], feed_url: str, tlp: str | None) -> list[DocumentRef]:
    """Documents of a ROLIE feed (``feed.entry[]``): ``content.src`` or the ``self`` link,
    ``hash`` links (SHA-512 preferred over SHA-256) and ``updated``."""
    body = feed.get("feed")
    entries = body.get("entry") if isinstance(body, dict) else None
    refs: list[DocumentRef] = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        links = [link for link in _list(entry.get("link")) if isinstance(link, dict)]
        content = entry.get("content")
        src = content.get("src") if isinstance(content, dict) else None
        if not isinstance(src, str):
            src = next(
                (_str(link.get("href")) for link in links if link.get("rel") == "self"), None
            )
        if not src:
            continue
        hashes = sorted(
            (
                href
                for link in links
                if link.get("rel") == "hash" and (href := _str(link.get("href")))
            ),
            key=lambda href: (not href.lower().endswith(".sha512"), href),
        )
        refs.append(
            DocumentRef(
                url=urljoin(feed_url, src),
                updated=_str(entry.get("updated")),
                hash_url=urljoin(feed_url, hashes[0]) if hashes else None,
                tlp=tlp,
            )
        )
    return refs


def directory_changes(text: str, directory_url: str) -> list[DocumentRef]:
    """Documents of a ``changes.csv`` (``"<path>","<updated>"`` rows)."""
    refs = []
    for row in csv.reader(io.StringIO(text)):
        if len(row) >= 2 and row[0].strip().lower().endswith(".json"):
            url = urljoin(directory_url, row[0].strip())
            refs.append(DocumentRef(url, row[1].strip() or None, url + ".sha512", True))
    return refs


def directory_index(text: str, directory_url: str) -> list[DocumentRef]:
    """Documents of an ``index.txt`` (one relative path per line, no dates)."""
    refs = []
    for line in text.splitlines():
        path = line.strip()
        if path.lower().endswith(".json"):
            url = urljoin(directory_url, path)
            refs.append(DocumentRef(url, None, url + ".sha512", True))
    return refs


def parse_hash_file(text: str) -> str | None:
    """The hex digest of a ``sha512sum``-style file (``<hex>  <name>``), lower case."""
    token = text.strip().split()[0] if text.strip() else ""
    token = token.lower()
    if len(token) in (64, 128) and all(char in "0123456789abcdef" for char in token):
        return token
    return None


def document_tlp(document: dict[str, Any]) -> str | None:
    """``document.distribution.tlp.label`` of a CSAF document, if present."""
    value: Any = document.get("document")
    for key in ("distribution", "tlp", "label"):
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, str) else None


def _list(value: object) -> list[Any]:
    if isinstance(value, list):
        return value
    return [value] if isinstance(value, dict) else []


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
