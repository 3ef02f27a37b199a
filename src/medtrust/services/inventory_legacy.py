"""Lifecycle use cases: end of support per product version, the legacy register, the
end-of-support timeline, and register exports.

An asset's product end of support comes from the product version's stored lifecycle
(manufacturer-declared or entered) or, failing that, from a date its latest MDS2 disclosure
states in its notes; its operating system (the asset's own, else the product version's) is
looked up in the packaged end-of-life table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from medtrust.domain.asset import (
    Asset,
    AssetQuery,
    EndOfSupport,
    LegacyEntry,
    LegacyRegister,
    LifecycleAssessment,
    SupportSource,
    SupportStatus,
)
from medtrust.domain.product import DisclosureSummary, ProductVersionRef
from medtrust.domain.tenancy import Principal, Role
from medtrust.errors import InputError, NotFoundError
from medtrust.inventory.exports.formats import get_format
from medtrust.inventory.exports.table import inventory_table, legacy_table
from medtrust.inventory.lifecycle import (
    DEFAULT_HORIZON_DAYS,
    LifecycleFacts,
    assess,
    end_of_support_from_text,
)
from medtrust.inventory.os_eol import OsRelease, load_os_table
from medtrust.inventory.timeline import TimelineBar, timeline_bars, timeline_svg
from medtrust.services.context import ServiceContext, require_role
from medtrust.services.disclosures import Export
from medtrust.storage.base import utcnow
from medtrust.storage.repositories.audit import AuditRepository
from medtrust.storage.repositories.disclosures import DisclosureRepository, ProductRepository
from medtrust.storage.repositories.inventory import AssetRepository
from medtrust.storage.repositories.inventory_meta import LifecycleInfo, LifecycleRepository

MAX_HORIZON_DAYS = 3650


@dataclass(frozen=True, slots=True)
class Mds2Facts:
    """What the latest MDS2 disclosure of a product version tells the lifecycle evaluation."""

    answers: dict[str, str]
    label: str | None
    end: EndOfSupport | None
    disclosure: DisclosureSummary | None


@dataclass(frozen=True, slots=True)
class ProductLifecycle:
    """A product version's page: lifecycle, MDS2-derived facts, OS, assets."""

    product_version: ProductVersionRef
    stored: LifecycleInfo | None
    mds2: Mds2Facts
    os_release: OsRelease | None
    asset_count: int
    disclosures: tuple[DisclosureSummary, ...]

    @property
    def effective_end(self) -> EndOfSupport | None:
        """The end of support used for the product version (stored first, then MDS2)."""
        return (self.stored.end if self.stored else None) or self.mds2.end


_NO_MDS2 = Mds2Facts({}, None, None, None)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _facts_from_document(summary: DisclosureSummary, document: dict[str, object]) -> Mds2Facts:
    """Answers and stated end of support, read from the stored (canonical) JSON document."""
    raw_answers = document.get("answers")
    answers: dict[str, str] = {}
    if isinstance(raw_answers, dict):
        for qid, entry in raw_answers.items():
            value = entry.get("value") if isinstance(entry, dict) else None
            if isinstance(value, str):
                answers[str(qid)] = value
    label = f"disclosure #{summary.id} r{summary.revision}"
    texts = []
    notes = document.get("notes")
    for note in notes if isinstance(notes, list) else []:
        if isinstance(note, dict):
            texts.append((f"{label} {_text(note.get('label'))}", _text(note.get("text"))))
    other = _text(document.get("other_considerations"))
    if other:
        texts.append((f"{label} other considerations", other))
    return Mds2Facts(answers, label, end_of_support_from_text(texts), summary)


def _mds2_facts(session: Session, org: int, product_version_id: int) -> Mds2Facts:
    repo = DisclosureRepository(session, org)
    revisions = repo.list(product_version_id=product_version_id)
    if not revisions:
        return _NO_MDS2
    found = repo.get(revisions[-1].id)
    return _facts_from_document(found[0], found[1]) if found else _NO_MDS2


class _Evaluator:
    """Caches per product version within one request."""

    def __init__(self, session: Session, org: int, today: date, horizon: int) -> None:
        self.session, self.org, self.today, self.horizon = session, org, today, horizon
        self.table = load_os_table()
        self._mds2: dict[int, Mds2Facts] = {}
        self._latest: dict[int, int] | None = None
        self._assessed: dict[tuple[object, ...], LifecycleAssessment] = {}

    def mds2(self, product_version_id: int | None) -> Mds2Facts:
        if product_version_id is None:
            return _NO_MDS2
        if product_version_id not in self._mds2:
            repo = DisclosureRepository(self.session, self.org)
            if self._latest is None:  # one query: the latest revision of every version
                self._latest = {s.product_version.id: s.id for s in repo.list()}
            disclosure_id = self._latest.get(product_version_id)
            found = repo.get(disclosure_id) if disclosure_id is not None else None
            facts = _facts_from_document(found[0], found[1]) if found else _NO_MDS2
            self._mds2[product_version_id] = facts
        return self._mds2[product_version_id]

    def assess(
        self, asset: Asset, stored_end: EndOfSupport | None, product_os: str | None
    ) -> LifecycleAssessment:
        pv = asset.product_version
        os_name = asset.data.operating_system or product_os
        key = (pv.id if pv else None, stored_end, os_name, asset.data.network_zone, asset.data.vlan)
        cached = self._assessed.get(key)
        if cached is not None:
            return cached
        mds2 = self.mds2(pv.id if pv else None)
        facts = LifecycleFacts(
            product_end=stored_end or mds2.end,
            os_name=os_name,
            os_release=self.table.match(os_name),
            network_zone=asset.data.network_zone,
            vlan=asset.data.vlan,
            mds2_answers=mds2.answers,
            mds2_label=mds2.label,
        )
        result = assess(facts, today=self.today, horizon_days=self.horizon)
        self._assessed[key] = result
        return result


def _end(value: date | None, source: str | None, reference: str | None) -> EndOfSupport | None:
    if value is None or not source:
        return None
    return EndOfSupport(value, SupportSource(source), reference or "")


def _check_horizon(horizon_days: int) -> None:
    if not 0 <= horizon_days <= MAX_HORIZON_DAYS:
        raise InputError(f"the horizon must be 0 to {MAX_HORIZON_DAYS} days")


def legacy_register(
    ctx: ServiceContext,
    principal: Principal,
    *,
    today: date | None = None,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    include_all: bool = False,
) -> LegacyRegister:
    """Assets (not retired) past or within ``horizon_days`` of end of support, most urgent
    first (status, criticality, date); ``include_all`` lists every asset."""
    _check_horizon(horizon_days)
    day = today or utcnow().date()
    org = principal.organisation_id
    entries = []
    counts = {s.value: 0 for s in SupportStatus}
    with ctx.transaction() as session:
        evaluator = _Evaluator(session, org, day, horizon_days)
        for asset, eos, source, reference, product_os in AssetRepository(
            session, org
        ).lifecycle_inputs():
            assessment = evaluator.assess(asset, _end(eos, source, reference), product_os)
            counts[assessment.status.value] += 1
            if include_all or assessment.is_legacy:
                entries.append(LegacyEntry(asset, assessment))
    entries.sort(
        key=lambda e: (
            e.assessment.status.rank,
            e.asset.data.criticality.rank,
            e.assessment.decisive.date if e.assessment.decisive else date.max,
            e.asset.label,
            e.asset.id,
        )
    )
    return LegacyRegister(utcnow(), day, horizon_days, tuple(entries), counts)


def asset_lifecycle(
    ctx: ServiceContext, principal: Principal, asset_id: int, *, today: date | None = None
) -> LifecycleAssessment:
    """The lifecycle assessment of one asset."""
    org = principal.organisation_id
    with ctx.transaction() as session:
        asset = AssetRepository(session, org).get(asset_id)
        if asset is None:
            raise NotFoundError(f"no asset {asset_id}")
        stored = (
            LifecycleRepository(session, org).get(asset.product_version.id)
            if asset.product_version
            else None
        )
        evaluator = _Evaluator(session, org, today or utcnow().date(), DEFAULT_HORIZON_DAYS)
        return evaluator.assess(
            asset, stored.end if stored else None, stored.operating_system if stored else None
        )


def product_lifecycle(
    ctx: ServiceContext, principal: Principal, product_version_id: int
) -> ProductLifecycle:
    """A product version with its lifecycle facts; NotFoundError for other tenants' ids."""
    org = principal.organisation_id
    with ctx.transaction() as session:
        ref = ProductRepository(session, org).get_version(product_version_id)
        if ref is None:
            raise NotFoundError(f"no product version {product_version_id}")
        stored = LifecycleRepository(session, org).get(product_version_id)
        mds2 = _mds2_facts(session, org, product_version_id)
        assets = AssetRepository(session, org).list(
            AssetQuery(product_version_id=product_version_id, page_size=1)
        )
        disclosures = DisclosureRepository(session, org).list(product_version_id=product_version_id)
    os_name = stored.operating_system if stored else None
    return ProductLifecycle(
        ref, stored, mds2, load_os_table().match(os_name), assets.total, tuple(disclosures)
    )


def set_end_of_support(
    ctx: ServiceContext,
    principal: Principal,
    product_version_id: int,
    *,
    end_of_support: date | None,
    source: SupportSource | None,
    reference: str | None,
    operating_system: str | None,
) -> ProductLifecycle:
    """Record a product version's end of support (and the OS it runs); audited."""
    require_role(principal, Role.EDITOR)
    if end_of_support is not None and source not in (
        SupportSource.MANUFACTURER,
        SupportSource.ENTERED,
    ):
        raise InputError("an end-of-support date needs a source: manufacturer or entered")
    if end_of_support is not None and source is SupportSource.MANUFACTURER and not reference:
        raise InputError("a manufacturer-declared date needs a reference (letter, URL, notice)")
    org = principal.organisation_id
    with ctx.transaction() as session:
        ref = ProductRepository(session, org).get_version(product_version_id)
        if ref is None:
            raise NotFoundError(f"no product version {product_version_id}")
        LifecycleRepository(session, org).upsert(
            product_version_id,
            end_of_support=end_of_support,
            source=source if end_of_support else None,
            reference=(reference or "").strip() or None,
            operating_system=(operating_system or "").strip() or None,
            user_id=principal.user.id,
        )
        AuditRepository(session, org).record(
            actor_user_id=principal.user.id,
            action="product_version.lifecycle",
            object_type="product_version",
            object_id=str(product_version_id),
            summary=(
                f"set end of support of {ref.label} to "
                f"{end_of_support.isoformat() if end_of_support else 'none'}"
                f" ({source.value if source and end_of_support else '-'})"
            ),
            detail={"reference": reference, "operating_system": operating_system},
        )
    return product_lifecycle(ctx, principal, product_version_id)


def support_timeline(register: LegacyRegister) -> tuple[list[TimelineBar], str]:
    """Bars (assets per end-of-support year) and their SVG chart."""
    ends = [e.assessment.decisive.date for e in register.entries if e.assessment.decisive]
    bars = timeline_bars(ends, today=register.today)
    return bars, timeline_svg(bars, today=register.today, title="Assets by end-of-support year")


def export_legacy_register(
    ctx: ServiceContext,
    principal: Principal,
    *,
    fmt: str,
    today: date | None = None,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
) -> Export:
    """The legacy register as csv, json, xlsx or pdf."""
    writer = get_format(fmt)
    register = legacy_register(ctx, principal, today=today, horizon_days=horizon_days)
    return Export(
        writer.render(legacy_table(register)),
        writer.media_type,
        f"legacy-register-{register.today.isoformat()}{writer.suffix}",
    )


def export_inventory(
    ctx: ServiceContext, principal: Principal, *, fmt: str, query: AssetQuery | None = None
) -> Export:
    """The inventory (all assets matching ``query``) as csv, json, xlsx or pdf."""
    writer = get_format(fmt)
    with ctx.transaction() as session:
        assets = AssetRepository(session, principal.organisation_id).iter_all(query or AssetQuery())
    now = utcnow()
    return Export(
        writer.render(inventory_table(assets, generated_at=now)),
        writer.media_type,
        f"inventory-{now.date().isoformat()}{writer.suffix}",
    )
