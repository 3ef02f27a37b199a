"""Seeding the demo hospital: products with MDS2 forms and lifecycle facts, then a CMMS
import of the assets (through the same services a user calls)."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

from medtrust.catalog.mds2 import load_mds2_catalogue
from medtrust.domain.asset import AssetQuery, SupportSource
from medtrust.domain.mds2 import FormNote
from medtrust.domain.tenancy import Principal
from medtrust.inventory.demo import demo_products, demo_rows, rows_to_csv
from medtrust.mds2.document import form_to_document
from medtrust.mds2.synth import DeviceIdentity, synthesise_form
from medtrust.services.context import ServiceContext
from medtrust.services.disclosures import upload_disclosure
from medtrust.services.inventory import ImportReport, import_assets, list_assets
from medtrust.services.inventory_legacy import set_end_of_support

DEMO_SOURCE = "Demo CMMS"


def seed_demo_hospital(
    ctx: ServiceContext, principal: Principal, assets: int = 2000, *, seed: int = 7
) -> ImportReport | None:
    """Create the demo installed base for the principal's organisation, once.

    Does nothing (returns None) when the organisation already has assets.
    """
    if list_assets(ctx, principal, AssetQuery(page_size=1)).total:
        return None
    catalogue = load_mds2_catalogue()
    products = demo_products(seed=seed)
    for p_index, product in enumerate(products):
        for v_index, version in enumerate(product.versions):
            identity = DeviceIdentity(
                manufacturer=product.manufacturer,
                model=product.model,
                description=product.kind,
                document_id=f"MDS2-{product.model.replace(' ', '-')}-{version.version}",
                contact=f"psirt@{product.manufacturer.split()[0].lower()}.example",
                intended_use=product.clinical_use,
                release_date=date(2015 + p_index % 8, 1 + v_index * 4, 15),
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
    data = rows_to_csv(demo_rows(products, assets=assets, seed=seed))
    return import_assets(
        ctx, principal, data=data, filename="demo-cmms-export.csv", source=DEMO_SOURCE
    )
