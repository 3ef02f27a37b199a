"""OSV data dumps: ``<ecosystem>/all.zip``, then changed records one by one.

Source: https://google.github.io/osv.dev/data/#data-dumps. Each ecosystem folder of the bucket
holds ``all.zip`` (every record) and ``modified_id.csv`` (``<modified>,<id>`` per record, newest
first), and each record as ``<id>.json``.

The first run downloads ``all.zip`` into ``data/osv/<ecosystem>/all.zip``. Later runs read
``modified_id.csv`` and, when at most ``osv_incremental_max`` records changed since the last
sync, fetch just those into ``data/osv/<ecosystem>/updates/<id>.json`` (``all.zip`` sorts
before ``updates/``, so path order puts the newer copy last). Beyond that, ``all.zip`` is
revalidated with its ETag and downloaded again, and the ``updates`` folder is cleared.

The sync point after a full download is the archive's ``Last-Modified`` minus one day (records
changed while the export was being written are fetched again next time; duplicates are
harmless, gaps are not).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import partial
from pathlib import Path
from urllib.parse import quote

from medtrust.feeds.fetchers import checks
from medtrust.feeds.fetchers.base import FetchContext, FetchResult, Tally
from medtrust.feeds.fetchers.cache import safe_name
from medtrust.feeds.fetchers.errors import FetchError
from medtrust.feeds.fetchers.http import Download, Expect, HttpSession
from medtrust.feeds.fetchers.store import fetch_file

PREFIX = "data/osv"
#: how far before the archive's Last-Modified the next incremental run starts
MARGIN = timedelta(days=1)


def changed_since(csv_text: str, since: datetime) -> list[tuple[datetime, str]]:
    """``(modified, id)`` rows of a ``modified_id.csv`` newer than ``since``, sorted by id.

    Rows that do not parse are ignored (the file is an index, not data). An id written as
    ``<ecosystem>/<id>`` (the root listing's form) keeps only the id.
    """
    found: dict[str, datetime] = {}
    for line in csv_text.splitlines():
        stamp, _, ident = line.strip().partition(",")
        ident = ident.strip().rpartition("/")[2]
        try:
            modified = datetime.fromisoformat(stamp.strip())
        except ValueError:
            continue
        if modified.tzinfo is None or not ident:
            continue
        if modified > since and modified > found.get(ident, since):
            found[ident] = modified
    return sorted(((stamp, ident) for ident, stamp in found.items()), key=lambda row: row[1])


class OsvFetcher:
    """Download OSV ecosystems (all.zip, then changed records)."""

    name = "osv"
    summary = "OSV ecosystem dumps (all.zip, then changed records)"

    def fetch(self, ctx: FetchContext) -> FetchResult:
        """Update every configured ecosystem; one that fails is reported, the others go on."""
        session = ctx.session(self.name)
        tally = Tally(self.name, sessions=[session])
        ecosystems = sorted(set(ctx.settings.osv_ecosystems))
        for number, ecosystem in enumerate(ecosystems):
            ctx.reporter.progress(self.name, ecosystem, number, len(ecosystems))
            try:
                self._ecosystem(ctx, session, tally, ecosystem)
            except FetchError as exc:
                tally.failures.append(str(exc))
        ctx.reporter.progress(self.name, "done", len(ecosystems), len(ecosystems))
        return tally.result((ctx.cache.path(PREFIX),))

    def _ecosystem(self, ctx: FetchContext, session: HttpSession, tally: Tally, eco: str) -> None:
        base = f"{ctx.settings.osv_url.rstrip('/')}/{quote(eco, safe='')}"
        folder = f"{PREFIX}/{safe_name(eco)}"
        synced = ctx.cache.state(self.name).get(eco)
        if (
            synced
            and not ctx.full
            and ctx.cache.entry(f"{folder}/all.zip") is not None
            and self._incremental(ctx, session, tally, eco, datetime.fromisoformat(synced))
        ):
            return
        started = ctx.clock.now()
        origin = f"{eco}: {base}/all.zip"

        def check(path: Path) -> None:
            checks.zip_archive(path, origin)

        download = fetch_file(
            ctx,
            session,
            url=f"{base}/all.zip",
            key=f"{folder}/all.zip",
            expect=Expect.ZIP,
            max_bytes=ctx.settings.max_download_bytes,
            check=check,
        )
        if download.not_modified:
            tally.unchanged += 1
        else:
            tally.downloaded += 1
            ctx.cache.forget(f"{folder}/updates")
        ctx.cache.set_state(self.name, **{eco: _sync_point(download, started).isoformat()})
        tally.notes.append(f"{eco}: all.zip {'unchanged' if download.not_modified else 'fetched'}")

    def _incremental(
        self, ctx: FetchContext, session: HttpSession, tally: Tally, eco: str, synced: datetime
    ) -> bool:
        """Fetch records changed since ``synced``; ``False`` when too many changed."""
        base = f"{ctx.settings.osv_url.rstrip('/')}/{quote(eco, safe='')}"
        folder = f"{PREFIX}/{safe_name(eco)}"
        index_key = f"meta/osv/{safe_name(eco)}/modified_id.csv"
        listing = fetch_file(
            ctx,
            session,
            url=f"{base}/modified_id.csv",
            key=index_key,
            expect=Expect.TEXT,
            max_bytes=ctx.settings.max_document_bytes,
        )
        if listing.not_modified:
            tally.notes.append(f"{eco}: no change since {synced.isoformat()}")
            return True
        text = ctx.cache.path(index_key).read_text(encoding="utf-8", errors="replace")
        changed = changed_since(text, synced)
        if len(changed) > ctx.settings.osv_incremental_max:
            tally.notes.append(f"{eco}: {len(changed)} records changed, downloading all.zip")
            return False
        failed = False
        for number, (_modified, ident) in enumerate(changed):
            ctx.reporter.progress(self.name, f"{eco} {ident}", number, len(changed))
            url = f"{base}/{quote(ident, safe='')}.json"
            origin = f"{eco}: {url}"
            try:
                download = fetch_file(
                    ctx,
                    session,
                    url=url,
                    key=f"{folder}/updates/{safe_name(ident)}.json",
                    expect=Expect.JSON,
                    max_bytes=ctx.settings.max_document_bytes,
                    check=partial(_check_record, origin=origin),
                )
            except FetchError as exc:
                failed = True
                tally.skip(url, exc.code, str(exc))
                continue
            if download.not_modified:
                tally.unchanged += 1
            else:
                tally.downloaded += 1
        if failed:
            # revalidating the index would answer 304 and hide the records still missing
            ctx.cache.forget(index_key)
        elif changed:
            newest = max(modified for modified, _ in changed)
            ctx.cache.set_state(self.name, **{eco: newest.isoformat()})
        tally.notes.append(f"{eco}: {len(changed)} record(s) changed since {synced.isoformat()}")
        return True


def _check_record(path: Path, *, origin: str) -> None:
    checks.json_object(path.read_bytes(), origin, required=("id",))


def _sync_point(download: Download, started: datetime) -> datetime:
    stamp = started
    if download.last_modified:
        try:
            stamp = min(parsedate_to_datetime(download.last_modified), started)
        except (TypeError, ValueError):
            stamp = started
    return stamp - MARGIN
