"""Seeding the demo hospital: fictional products with MDS2 forms, SBOMs and lifecycle facts, a
CMMS import of the assets (through the same services a user calls), and, when there is no
knowledge base yet, one holding fictional advisories about those products.

A few assets are devices of real products named in public CISA ICSMA advisories
(:data:`medtrust.inventory.demo.REFERENCE_PRODUCTS`). They get a product version with that
manufacturer, product and version and nothing else: no MDS2 form, SBOM, lifecycle or
end-of-support date, because a demo must not state facts about real products.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import tempfile
from datetime import date
from pathlib import Path

from medtrust.catalog.mds2 import load_mds2_catalogue
from medtrust.domain.asset import AssetQuery, SupportSource
from medtrust.domain.mds2 import FormNote
from medtrust.domain.tenancy import Principal
from medtrust.inventory.demo import (
    REFERENCE_PRODUCTS,
    DemoProduct,
    demo_products,
    demo_rows,
    reference_rows,
    rows_to_csv,
)
from medtrust.inventory.demo_advisories import write_demo_feeds
from medtrust.inventory.demo_sboms import demo_sbom, slug
from medtrust.inventory.linking import UNSPECIFIED_VERSION
from medtrust.kb.ingest import ImportReport as KbImportReport
from medtrust.kb.ingest import import_feeds
from medtrust.kb.settings import KbSettings
from medtrust.kb.store import live_snapshot
from medtrust.mds2.document import form_to_document
from medtrust.mds2.synth import DeviceIdentity, synthesise_form
from medtrust.services.context import ServiceContext
from medtrust.services.disclosures import upload_disclosure
from medtrust.services.inventory import ImportReport, import_assets, list_assets
from medtrust.services.inventory_legacy import set_end_of_support
from medtrust.services.inventory_links import confirm_link
from medtrust.services.sboms import upload_sbom
from medtrust.storage.repositories.disclosures import ProductRepository

logger = logging.getLogger(__name__)

DEMO_SOURCE = "Demo CMMS"
DEMO_KB_NOTICE = (
    "demo knowledge base created at {root}: it holds FICTIONAL advisories only "
    "(DEMO-SA-2026-*, CVE-2099-*); import real feeds with `medtrust feeds import PATH` "
    "or `medtrust feeds update`"
)


def release_date(product_index: int, version_index: int) -> date:
    """When a demo product version was released (its MDS2 form and SBOM carry this date)."""
    return date(2015 + product_index % 8, 1 + version_index * 4, 15)


def seed_demo_hospital(
    ctx: ServiceContext, principal: Principal, assets: int = 2000, *, seed: int = 7
) -> ImportReport | None:
    """Create the demo installed base for the principal's organisation, once.

    For each fictional product version: an MDS2 form, a CycloneDX SBOM and lifecycle facts;
    then a CMMS import of ``assets`` fictional devices plus the devices of the real reference
    products, and a demo knowledge base when none exists (:func:`seed_demo_knowledge_base`).
    Does nothing (returns None) when the organisation already has assets.
    """
    if list_assets(ctx, principal, AssetQuery(page_size=1)).total:
        return None
    catalogue = load_mds2_catalogue()
    products = demo_products(seed=seed)
    for p_index, product in enumerate(products):
        for v_index, version in enumerate(product.versions):
            released = release_date(p_index, v_index)
            identity = DeviceIdentity(
                manufacturer=product.manufacturer,
                model=product.model,
                description=product.kind,
                document_id=f"MDS2-{product.model.replace(' ', '-')}-{version.version}",
                contact=f"psirt@{product.manufacturer.split()[0].lower()}.example",
                intended_use=product.clinical_use,
                release_date=released,
            )
            form = synthesise_form(
                catalogue, identity, seed=seed * 1000 + p_index * 10 + v_index, strength=0.55
            )
            if version.end_source == "mds2" and version.end_of_support:
                note = FormNote(
                    f"Note {len(form.notes) + 1}",
                    f"End of support: {version.end_of_support.isoformat()} (software and "
                    "security updates).",
                )
                form = dataclasses.replace(form, notes=(*form.notes, note))
            result = upload_disclosure(
                ctx,
                principal,
                data=json.dumps(form_to_document(form)).encode("utf-8"),
                filename=f"{identity.document_id}.json",
                manufacturer=product.manufacturer,
                product=product.model,
                version=version.version,
                format="json",
            )
            upload_sbom(
                ctx,
                principal,
                data=demo_sbom(product, version, released=released, seed=seed),
                filename=f"{slug(product.model)}-{version.version}.cdx.json",
                manufacturer=product.manufacturer,
                product=product.model,
                version=version.version,
            )
            manufacturer_end = version.end_source == "manufacturer"
            set_end_of_support(
                ctx,
                principal,
                result.summary.product_version.id,
                end_of_support=version.end_of_support if manufacturer_end else None,
                source=SupportSource.MANUFACTURER if manufacturer_end else None,
                reference=f"{product.manufacturer} end-of-support notice (demo)"
                if manufacturer_end
                else None,
                operating_system=version.operating_system,
            )
    unversioned = _reference_versions(ctx, principal)
    rows = demo_rows(products, assets=assets, seed=seed)
    rows += reference_rows(start=assets + 1, seed=seed)
    report = import_assets(
        ctx, principal, data=rows_to_csv(rows), filename="demo-cmms-export.csv", source=DEMO_SOURCE
    )
    for manufacturer, model, product_version_id in unversioned:
        # the CMMS export gives no version: confirm the suggested link, as a user would
        confirm_link(
            ctx,
            principal,
            manufacturer=manufacturer,
            model=model,
            version=None,
            product_version_id=product_version_id,
        )
    seed_demo_knowledge_base(ctx, products)
    return report


def _reference_versions(ctx: ServiceContext, principal: Principal) -> list[tuple[str, str, int]]:
    """Create the product versions of the real reference products (nothing else about them).

    Returns (manufacturer, model, product version id) of those the CMMS export lists without
    a version: their assets are linked by confirming the suggestion after the import.
    """
    unversioned = []
    with ctx.transaction() as session:
        repo = ProductRepository(session, principal.organisation_id)
        for product in REFERENCE_PRODUCTS:
            ref = repo.ensure_version(
                manufacturer=product.manufacturer,
                product=product.model,
                version=product.version or UNSPECIFIED_VERSION,
            )
            if not product.version:
                unversioned.append((product.manufacturer, product.model, ref.id))
    return unversioned


def seed_demo_knowledge_base(
    ctx: ServiceContext, products: list[DemoProduct] | None = None, *, seed: int = 7
) -> KbImportReport | None:
    """Create a knowledge base of the fictional demo advisories, only if none exists yet.

    The KB directory is ``MEDTRUST_KB_DIR`` or ``<data dir>/kb``. An existing knowledge base is
    never touched (None is returned). The advisories are written to a temporary directory and
    imported like any feed; a warning says that they are fictional and how to import real feeds.
    """
    root = KbSettings(data_dir=ctx.settings.data_dir).resolved_kb_dir()
    if live_snapshot(root) is not None:
        return None
    with tempfile.TemporaryDirectory(prefix="medtrust-demo-feeds-") as tmp:
        paths = write_demo_feeds(Path(tmp), products or demo_products(seed=seed))
        report = import_feeds(paths, root=root, workers=1)
    logger.warning(DEMO_KB_NOTICE.format(root=root))
    return report
