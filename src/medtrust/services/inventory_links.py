"""Linking assets to product versions: suggestions, the confirm step, and re-matching.

Assets are grouped by their manufacturer/model/version texts. A group is either suggested (a
fuzzy candidate awaits confirmation) or unlinked. Confirming a group links every asset whose
texts have the same keys (``Philips``/``PHILIPS Medical Systems`` alike) and saves a rule that
later imports apply before any fuzzy matching.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from medtrust.domain.asset import LinkState
from medtrust.domain.product import ProductVersionRef
from medtrust.domain.tenancy import Principal, Role
from medtrust.errors import InputError, NotFoundError
from medtrust.inventory.linking import (
    LinkDecision,
    LinkRule,
    ProductLinker,
    company_key,
    model_key,
    version_key,
)
from medtrust.services.context import ServiceContext, require_role
from medtrust.storage.repositories.audit import AuditRepository
from medtrust.storage.repositories.disclosures import ProductRepository
from medtrust.storage.repositories.inventory import AssetRepository
from medtrust.storage.repositories.inventory_meta import LinkRuleRepository


@dataclass(frozen=True, slots=True)
class LinkGroup:
    """Assets sharing manufacturer/model/version texts, with the linker's current decision."""

    manufacturer: str | None
    model: str | None
    version: str | None
    state: LinkState
    count: int
    decision: LinkDecision


def _linker(session: Session, org: int) -> ProductLinker:
    return ProductLinker(
        ProductRepository(session, org).list_versions(), LinkRuleRepository(session, org).list()
    )


def link_groups(ctx: ServiceContext, principal: Principal) -> list[LinkGroup]:
    """Groups of assets not linked yet, largest first, with suggestions."""
    with ctx.transaction() as session:
        org = principal.organisation_id
        linker = _linker(session, org)
        groups = AssetRepository(session, org).link_groups()
    return [
        LinkGroup(m, p, v, LinkState(state), count, linker.link(m, p, v))
        for m, p, v, state, count in groups
    ]


def _same_keys(
    groups: Sequence[tuple[str | None, str | None, str | None, str, int]],
    manufacturer: str | None,
    model: str | None,
    version: str | None,
) -> list[tuple[str | None, str | None, str | None]]:
    wanted = (company_key(manufacturer or ""), model_key(model or ""), version_key(version))
    return [
        (m, p, v)
        for m, p, v, _state, _count in groups
        if (company_key(m or ""), model_key(p or ""), version_key(v)) == wanted
    ]


def confirm_link(
    ctx: ServiceContext,
    principal: Principal,
    *,
    manufacturer: str | None,
    model: str | None,
    version: str | None,
    product_version_id: int | None = None,
    create: tuple[str, str, str] | None = None,
) -> tuple[ProductVersionRef, int]:
    """Link the assets with these texts to a product version (existing, or created from
    ``create`` = (manufacturer, product, version)); returns it and the number of assets."""
    require_role(principal, Role.EDITOR)
    if (product_version_id is None) == (create is None):
        raise InputError("give either a product version id or the product version to create")
    org = principal.organisation_id
    with ctx.transaction() as session:
        products = ProductRepository(session, org)
        if create is not None:
            maker, product, ver = (part.strip() for part in create)
            if not maker or not product:
                raise InputError("a new product version needs a manufacturer and a product")
            target = products.ensure_version(
                manufacturer=maker[:200],
                product=product[:200],
                version=(ver or "unspecified")[:100],
            )
        else:
            assert product_version_id is not None
            found = products.get_version(product_version_id)
            if found is None:
                raise NotFoundError(f"no product version {product_version_id}")
            target = found
        assets = AssetRepository(session, org)
        ids: list[int] = []
        for texts in _same_keys(assets.link_groups(), manufacturer, model, version):
            ids.extend(assets.ids_for_texts(*texts))
        rule = LinkRule(
            company_key(manufacturer or ""), model_key(model or ""), version_key(version), target.id
        )
        LinkRuleRepository(session, org).upsert(rule, user_id=principal.user.id)
        changed = assets.set_links(
            ids,
            product_version_id=target.id,
            state=LinkState.LINKED,
            score=100,
            reason=f"confirmed link to {target.label}",
        )
        AuditRepository(session, org).record(
            actor_user_id=principal.user.id,
            action="assets.link",
            object_type="product_version",
            object_id=str(target.id),
            summary=(
                f"linked {changed} asset(s) ({manufacturer} {model} {version or ''}) "
                f"to {target.label}"
            ),
            detail={"manufacturer": manufacturer, "model": model, "version": version},
        )
    return target, changed


def relink_assets(ctx: ServiceContext, principal: Principal) -> dict[str, int]:
    """Run matching again for every asset not linked yet (after new products or rules)."""
    require_role(principal, Role.EDITOR)
    org = principal.organisation_id
    counts = {s.value: 0 for s in LinkState}
    with ctx.transaction() as session:
        linker = _linker(session, org)
        assets = AssetRepository(session, org)
        for m, p, v, _state, _count in assets.link_groups():
            decision = linker.link(m, p, v)
            ids = assets.ids_for_texts(m, p, v)
            assets.set_links(
                ids,
                product_version_id=decision.product_version.id
                if decision.product_version
                else None,
                state=decision.state,
                score=decision.score,
                reason=decision.reason,
            )
            counts[decision.state.value] += len(ids)
        AuditRepository(session, org).record(
            actor_user_id=principal.user.id,
            action="assets.relink",
            object_type="asset",
            object_id=None,
            summary=f"re-ran product matching: {counts}",
            detail=counts,
        )
    return counts


def link_counts(ctx: ServiceContext, principal: Principal) -> dict[str, int]:
    """Assets per link state (all states present)."""
    with ctx.transaction() as session:
        found = AssetRepository(session, principal.organisation_id).link_counts()
    return {s.value: found.get(s.value, 0) for s in LinkState}
