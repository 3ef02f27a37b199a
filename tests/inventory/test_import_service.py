"""Import, dry run, re-import, conflicts, links and tenancy on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from medtrust.domain.asset import AssetQuery, AssetSort, AssetStatus, Criticality, LinkState
from medtrust.domain.tenancy import Role
from medtrust.errors import NotFoundError, PermissionDeniedError
from medtrust.inventory.errors import InventoryInputError
from medtrust.inventory.fields import AssetField
from medtrust.inventory.mapping import ColumnMapping
from medtrust.services import inventory as svc
from medtrust.services import inventory_links as links
from medtrust.services.context import ServiceContext
from medtrust.services.disclosures import upload_disclosure
from medtrust.storage import inventory_models as im
from medtrust.storage.repositories.audit import AuditRepository
from tests.conftest import Account, make_account
from tests.forms import synthetic_json

# an export "not seen before": title line, odd German/English headers, cp1252 and UTF-8 rows
# mixed, a duplicate row, a conflicting row, a formula cell and a bad MAC address
UNSEEN = (
    "Geräteliste Stand 01.06.2026;;;;;;;\r\n"
    "Inv.-Nr.;Ser.Nr.;Hersteller;Typ;FW;Netz-Adresse (HW);Station;Prio\r\n"
    "INV-001;SN-A1;PHILIPS Medical Systems;IntelliVue MX450;M.00.03;00-1A-2B-3C-4D-01;"
    "Intensiv;Lebenserhaltend\r\n"
    "INV-002;SN-A2;Phillips;IntelliVue MX450;M.00.03;00-1A-2B-3C-4D-02;Intensiv;Überwachung\r\n"
    "INV-002;SN-A2;Phillips;IntelliVue MX450;M.00.03;00-1A-2B-3C-4D-02;Intensiv;Überwachung\r\n"
    "INV-003;SN-A3;Acme;=cmd|' /C calc'!A0;1;001A.2B3C.4D03;OP;Therapie\r\n"
    "INV-004;SN-A4;Acme;Pump;1;not-a-mac;OP;Therapie\r\n"
    "INV-005;SN-A5;Acme;Pump;1;;OP;Therapie\r\n"
    "INV-005;SN-A5;Acme;Pump;2;;OP;Therapie\r\n"
).encode()
UNSEEN += "INV-006;SN-A6;Dräger;Evita;2;;Intensiv;Lebenserhaltend\r\n".encode("cp1252")
UNSEEN_MAPPING = ColumnMapping.build(
    {
        AssetField.ASSET_TAG: "Inv.-Nr.",
        AssetField.SERIAL_NUMBER: "Ser.Nr.",
        AssetField.MANUFACTURER: "Hersteller",
        AssetField.MODEL: "Typ",
        AssetField.SOFTWARE_VERSION: "FW",
        AssetField.MAC_ADDRESS: "Netz-Adresse (HW)",
        AssetField.DEPARTMENT: "Station",
        AssetField.CRITICALITY: "Prio",
    },
    defaults={AssetField.SITE: "Campus Nord"},
)


def _count(ctx: ServiceContext) -> int:
    with ctx.transaction() as session:
        return int(session.scalar(select(func.count(im.Asset.id))) or 0)


def _philips(ctx: ServiceContext, account: Account) -> None:
    upload_disclosure(
        ctx,
        account.principal,
        data=synthetic_json(1),
        filename="mx.json",
        manufacturer="Philips",
        product="IntelliVue MX450",
        version="M.00.03",
        format="json",
    )


def test_unseen_cmms_export_imports_correctly_after_mapping(ctx: ServiceContext) -> None:
    account = make_account(ctx, org="Hospital A")
    _philips(ctx, account)
    report = svc.import_assets(
        ctx,
        account.principal,
        data=UNSEEN,
        filename="geraete.csv",
        mapping=UNSEEN_MAPPING,
        source="CMMS Nord",
    )
    assert report.info.encoding == "utf-8+cp1252" and report.info.header_row == 2
    assert report.counts["rows"] == 8
    assert report.counts["created"] == 4  # 001, 002, 003, 006
    assert report.counts["duplicates"] == 1
    assert report.rejected_rows == (7, 8, 9)  # bad MAC; INV-005 twice with different FW
    messages = {i.row: i.message for i in report.issues if i.severity == "error"}
    assert "not a MAC address" in messages[7]
    assert "differs in software_version" in messages[8]
    page = svc.list_assets(ctx, account.principal, AssetQuery(sort=AssetSort.TAG))
    by_tag = {a.data.asset_tag: a for a in page.items}
    assert sorted(str(tag) for tag in by_tag) == ["INV-001", "INV-002", "INV-003", "INV-006"]
    first = by_tag["INV-001"]
    assert first.data.mac_address == "00:1a:2b:3c:4d:01"
    assert first.data.criticality is Criticality.LIFE_SUSTAINING
    assert first.data.location.site == "Campus Nord"
    assert first.link_state is LinkState.LINKED and first.product_version is not None
    assert by_tag["INV-002"].link_state is LinkState.SUGGESTED  # "Phillips": to confirm
    assert by_tag["INV-003"].data.model_text == "=cmd|' /C calc'!A0"  # stored as text
    assert by_tag["INV-006"].data.manufacturer_text == "Dräger"
    run, issues, total = svc.get_import(ctx, account.principal, report.run_id or 0)
    assert run.counts == report.counts and total == len(report.issues) == len(issues)
    # the source remembers its mapping: the next import needs none
    again = svc.import_assets(
        ctx, account.principal, data=UNSEEN, filename="g.csv", source="CMMS Nord"
    )
    assert again.mapping == UNSEEN_MAPPING
    assert (again.counts["created"], again.counts["updated"], again.counts["unchanged"]) == (
        0,
        0,
        4,
    )
    assert _count(ctx) == 4


def test_dry_run_writes_nothing(ctx: ServiceContext) -> None:
    account = make_account(ctx, org="Hospital A")
    report = svc.import_assets(
        ctx,
        account.principal,
        data=UNSEEN,
        filename="g.csv",
        mapping=UNSEEN_MAPPING,
        source="S",
        dry_run=True,
    )
    assert report.dry_run and report.run_id is None and report.counts["created"] == 4
    assert _count(ctx) == 0
    assert svc.list_imports(ctx, account.principal) == []
    assert svc.list_sources(ctx, account.principal) == []


def test_reimport_updates_instead_of_duplicating(ctx: ServiceContext) -> None:
    account = make_account(ctx, org="Hospital A")
    first = b"Asset Tag,Serial,Status,Department\nT-1,S1,in use,ICU\nT-2,S2,in use,ICU\n"
    svc.import_assets(ctx, account.principal, data=first, filename="a.csv")
    second = b"Asset Tag,Serial,Status,Department\nT-1,S1,retired,ICU\nT-3,S3,in use,ER\n"
    report = svc.import_assets(ctx, account.principal, data=second, filename="b.csv")
    assert (report.counts["created"], report.counts["updated"]) == (1, 1)
    assert _count(ctx) == 3
    retired = svc.list_assets(ctx, account.principal, AssetQuery(status=AssetStatus.RETIRED))
    assert [a.data.asset_tag for a in retired.items] == ["T-1"]
    conflict = b"Asset Tag,Serial\nT-2,S1\n"  # T-2's tag with T-1's serial
    bad = svc.import_assets(ctx, account.principal, data=conflict, filename="c.csv")
    assert bad.rejected_rows == (2,) and "different stored assets" in bad.issues[0].message


def test_nothing_is_half_imported_on_a_systemic_error(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = make_account(ctx, org="Hospital A")
    monkeypatch.setattr(svc, "MAX_ROWS", 3)
    rows = b"Asset Tag\n" + b"".join(f"T-{i}\n".encode() for i in range(5))
    with pytest.raises(InventoryInputError, match="more than 3 data rows"):
        svc.import_assets(ctx, account.principal, data=rows, filename="big.csv")
    assert _count(ctx) == 0
    with pytest.raises(InventoryInputError, match="maps none of asset tag"):
        svc.import_assets(ctx, account.principal, data=b"Colour\nred\n", filename="x.csv")
    with pytest.raises(InventoryInputError, match="no column"):
        svc.import_assets(
            ctx,
            account.principal,
            data=b"Tag\nA\n",
            filename="x.csv",
            mapping=ColumnMapping.build({AssetField.SERIAL_NUMBER: "Serial"}),
        )


def test_viewers_cannot_import_and_tenants_are_isolated(ctx: ServiceContext) -> None:
    viewer = make_account(ctx, org="Hospital A", role=Role.VIEWER)
    with pytest.raises(PermissionDeniedError):
        svc.import_assets(ctx, viewer.principal, data=b"Tag\nA\n", filename="x.csv")
    a = make_account(ctx, org="Hospital A")
    b = make_account(ctx, org="Hospital B")
    report = svc.import_assets(ctx, a.principal, data=b"Asset Tag\nT-1\n", filename="x.csv")
    asset_id = svc.list_assets(ctx, a.principal, AssetQuery()).items[0].id
    with pytest.raises(NotFoundError):
        svc.get_asset(ctx, b.principal, asset_id)
    with pytest.raises(NotFoundError):
        svc.get_import(ctx, b.principal, report.run_id or 0)
    assert svc.list_assets(ctx, b.principal, AssetQuery()).total == 0
    # the same tag in another organisation is another asset
    svc.import_assets(ctx, b.principal, data=b"Asset Tag\nT-1\n", filename="x.csv")
    assert _count(ctx) == 2


def test_confirming_a_link_links_every_spelling_and_is_remembered(ctx: ServiceContext) -> None:
    account = make_account(ctx, org="Hospital A")
    _philips(ctx, account)
    data = (
        b"Asset Tag,Manufacturer,Model,Version\nT-1,Phillips,IntelliVue MX450,M.00.03\n"
        b"T-2,PHILLIPS,IntelliVue MX-450,M.00.03\nT-3,Unknown Co,Thing,1\n"
    )
    svc.import_assets(ctx, account.principal, data=data, filename="x.csv")
    groups = links.link_groups(ctx, account.principal)
    suggested = [g for g in groups if g.state is LinkState.SUGGESTED]
    assert len(suggested) == 2 and suggested[0].decision.product_version is not None
    target_id = suggested[0].decision.product_version.id
    _target, count = links.confirm_link(
        ctx,
        account.principal,
        manufacturer="Phillips",
        model="IntelliVue MX450",
        version="M.00.03",
        product_version_id=target_id,
    )
    assert count == 2  # "PHILLIPS" / "MX-450" share the keys
    assert links.link_counts(ctx, account.principal) == {"linked": 2, "suggested": 0, "unlinked": 1}
    created, n = links.confirm_link(
        ctx,
        account.principal,
        manufacturer="Unknown Co",
        model="Thing",
        version="1",
        create=("Unknown Co", "Thing", "1"),
    )
    assert n == 1 and created.label == "Unknown Co Thing 1"
    later = svc.import_assets(
        ctx,
        account.principal,
        filename="y.csv",
        data=b"Asset Tag,Manufacturer,Model,Version\nT-9,Phillips,IntelliVue MX450,M.00.03\n",
    )
    assert later.counts["link_linked"] == 1
    with ctx.transaction() as session:
        actions = [
            e.action for e in AuditRepository(session, account.principal.organisation_id).list()
        ]
    assert actions.count("assets.import") == 2 and actions.count("assets.link") == 2
    other = make_account(ctx, org="Hospital B")
    with pytest.raises(NotFoundError):
        links.confirm_link(
            ctx,
            other.principal,
            manufacturer="x",
            model="y",
            version=None,
            product_version_id=target_id,
        )


def test_search_pages_rare_and_frequent_terms_alike(ctx: ServiceContext) -> None:
    if ctx.engine.dialect.name != "sqlite":  # the query is the same SQL on both backends
        return
    account = make_account(ctx, org="Hospital A")
    rows = b"".join(f"T-{i:05d},ICU-{i % 3}\n".encode() for i in range(2100))
    svc.import_assets(
        ctx, account.principal, data=b"Asset Tag,Department\n" + rows, filename="many.csv"
    )
    frequent = svc.list_assets(ctx, account.principal, AssetQuery(q="icu", page=3))
    assert frequent.total == 2100 and frequent.items[0].data.asset_tag == "T-00100"
    rare = svc.list_assets(ctx, account.principal, AssetQuery(q="icu-2", page=2, page_size=10))
    assert rare.total == 700
    assert [a.data.asset_tag for a in rare.items][:2] == ["T-00032", "T-00035"]
    none = svc.list_assets(ctx, account.principal, AssetQuery(q="100%_"))
    assert none.total == 0 and none.items == ()
