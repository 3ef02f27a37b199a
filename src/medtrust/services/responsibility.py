"""Shared responsibility per product version and per asset, and its exports.

The matrix is the one :func:`medtrust.services.compliance.responsibility` computes for a stored
MDS2 disclosure (capabilities from the packaged MDS2 -> TR 80001-2-2 mappings, operator measures
from the organisation's NIS2 self-assessment); here it is taken from the product version's
latest disclosure. For an asset, :mod:`medtrust.inventory.responsibility_ops` adds what the
asset's network zone, lifecycle and MDS2 answers say about the hospital's part.
"""

from __future__ import annotations

from datetime import date

from medtrust.catalog.mds2 import load_mds2_catalogue
from medtrust.domain.tenancy import Principal
from medtrust.errors import NotFoundError
from medtrust.inventory.exports.formats import get_format
from medtrust.inventory.exports.responsibility import asset_table, slug, version_table
from medtrust.inventory.responsibility_ops import (
    AssetOpsFacts,
    AssetResponsibility,
    AssetRow,
    VersionResponsibility,
    operational_rows,
)
from medtrust.mds2.compare import stance
from medtrust.services import compliance
from medtrust.services.context import ServiceContext
from medtrust.services.disclosures import Export, get_disclosure
from medtrust.services.inventory import get_asset
from medtrust.services.inventory_legacy import asset_lifecycle
from medtrust.storage.base import utcnow
from medtrust.storage.repositories.disclosures import DisclosureRepository, ProductRepository


def _version(
    ctx: ServiceContext, principal: Principal, product_version_id: int
) -> tuple[VersionResponsibility, dict[str, str]]:
    """The version's matrix and the stances of its latest disclosure (empty without one)."""
    org = principal.organisation_id
    with ctx.transaction() as session:
        ref = ProductRepository(session, org).get_version(product_version_id)
        if ref is None:
            raise NotFoundError(f"no product version {product_version_id}")
        revisions = DisclosureRepository(session, org).list(product_version_id=product_version_id)
    now = utcnow()
    if not revisions:
        return VersionResponsibility(ref, None, None, None, now), {}
    latest = revisions[-1]
    stored = get_disclosure(ctx, principal, latest.id)
    catalogue = load_mds2_catalogue()
    stances = {q.id: stance(q, stored.form.answers.get(q.id)).value for q in catalogue.questions}
    matrix = compliance.responsibility(ctx, principal, latest.id)
    issued = (stored.form.value("DOC-7") or "").strip() or None
    return VersionResponsibility(ref, stored.summary, issued, matrix, now), stances


def version_responsibility(
    ctx: ServiceContext, principal: Principal, product_version_id: int
) -> VersionResponsibility:
    """The shared-responsibility matrix of a product version from its latest MDS2 disclosure.

    A version without a disclosure gives a view with no matrix; another organisation's id (or
    an absent one) raises NotFoundError.
    """
    return _version(ctx, principal, product_version_id)[0]


def asset_responsibility(
    ctx: ServiceContext, principal: Principal, asset_id: int, *, today: date | None = None
) -> AssetResponsibility:
    """The product version's matrix for one asset, each row with its operational status."""
    asset = get_asset(ctx, principal, asset_id)
    day = today or utcnow().date()
    lifecycle = asset_lifecycle(ctx, principal, asset_id, today=day)
    if asset.product_version is None:
        return AssetResponsibility(asset, None, lifecycle, (), utcnow())
    version, stances = _version(ctx, principal, asset.product_version.id)
    rows: tuple[AssetRow, ...] = ()
    if version.matrix is not None:
        facts = AssetOpsFacts(
            network_zone=asset.data.network_zone,
            vlan=asset.data.vlan,
            lifecycle=lifecycle,
            stances=stances,
            today=day,
        )
        rows = operational_rows(version.matrix.capabilities, facts)
    return AssetResponsibility(asset, version, lifecycle, rows, version.generated_at)


def export_version_responsibility(
    ctx: ServiceContext, principal: Principal, product_version_id: int, *, fmt: str
) -> Export:
    """A product version's matrix as xlsx, pdf, csv or json (for contracts and audits)."""
    writer = get_format(fmt)
    view = version_responsibility(ctx, principal, product_version_id)
    name = f"responsibility-{slug(view.product_version.label)}-{view.generated_at.date()}"
    return Export(writer.render(version_table(view)), writer.media_type, name + writer.suffix)


def export_asset_responsibility(
    ctx: ServiceContext, principal: Principal, asset_id: int, *, fmt: str
) -> Export:
    """An asset's matrix with operational statuses as xlsx, pdf, csv or json."""
    writer = get_format(fmt)
    view = asset_responsibility(ctx, principal, asset_id)
    name = f"responsibility-asset-{slug(view.asset.label)}-{view.generated_at.date()}"
    return Export(writer.render(asset_table(view)), writer.media_type, name + writer.suffix)
