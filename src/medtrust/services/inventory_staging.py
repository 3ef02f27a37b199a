"""Uploaded files kept between the preview/mapping step and the import (web flow).

Files live under ``DATA_DIR/inventory-uploads/<organisation id>/<token>``; the token is random
(never derived from the file name), checked to be hex before use, and only ever looked up in
the acting organisation's directory, so one tenant cannot reach another's upload.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from pathlib import Path

from medtrust.domain.tenancy import Principal
from medtrust.errors import NotFoundError
from medtrust.services.context import ServiceContext

_TOKEN = re.compile(r"^[0-9a-f]{32}$")
#: staged files older than this are removed when a new one is staged
MAX_AGE_SECONDS = 24 * 3600


def _directory(ctx: ServiceContext, principal: Principal) -> Path:
    return Path(ctx.settings.data_dir) / "inventory-uploads" / str(principal.organisation_id)


def stage_upload(
    ctx: ServiceContext, principal: Principal, *, data: bytes, filename: str | None
) -> str:
    """Keep an upload for the next step; returns its token."""
    directory = _directory(ctx, principal)
    directory.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in directory.glob("*"):
        if old.is_file() and now - old.stat().st_mtime > MAX_AGE_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    (directory / f"{token}.json").write_text(
        json.dumps({"filename": (filename or "upload")[:255]}), encoding="utf-8"
    )
    (directory / token).write_bytes(data)
    return token


def load_staged(ctx: ServiceContext, principal: Principal, token: str) -> tuple[bytes, str]:
    """The staged bytes and file name; NotFoundError for unknown or other tenants' tokens."""
    if not _TOKEN.match(token):
        raise NotFoundError("no such upload")
    path = _directory(ctx, principal) / token
    if not path.is_file():
        raise NotFoundError("no such upload (it may have expired; upload the file again)")
    meta = json.loads(path.with_name(f"{token}.json").read_text(encoding="utf-8"))
    return path.read_bytes(), str(meta.get("filename") or "upload")


def discard_staged(ctx: ServiceContext, principal: Principal, token: str) -> None:
    """Remove a staged upload (after a committed import)."""
    if _TOKEN.match(token):
        path = _directory(ctx, principal) / token
        path.unlink(missing_ok=True)
        path.with_name(f"{token}.json").unlink(missing_ok=True)
