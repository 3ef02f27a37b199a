"""CSAF products -> targets with per-vulnerability statuses (CSAF 2.0 sections 3.1.3, 3.2.3.9).

A product is matched by its purls or CPEs when it has them (product identification helper,
3.1.3.3); otherwise by normalised vendor and product name with the version statement of its
``product_version`` or ``product_version_range`` branch (:mod:`medtrust.matching.statements`).
Every status bucket of every vulnerability becomes a link: ``known_affected``,
``first_affected``, ``last_affected`` -> affected; ``fixed``, ``first_fixed`` -> fixed;
``known_not_affected`` -> not_affected; ``under_investigation`` stays; ``recommended`` is not a
status and is ignored. A relationship product (``installed_on``, ``default_component_of`` ...)
is its ``product_reference`` component, and holds only in an SBOM that also contains the
``relates_to_product_reference`` product: an AND configuration like NVD's.
"""

from __future__ import annotations

from collections import defaultdict

from medtrust.domain.advisory import Advisory, CsafProduct, ProductStatusKind
from medtrust.domain.vex import VexStatus
from medtrust.kb.targets import ConfigNode, Link, RecordTargets, TargetSpec
from medtrust.matching.normalise import (
    cpe_rest,
    parse_cpe,
    product_keys,
    purl_parts,
    vendor_keys,
)
from medtrust.matching.statements import VersionStatement, all_versions, parse_statement
from medtrust.versioning.ranges import VersionRange

BUCKET_STATUS = {
    ProductStatusKind.KNOWN_NOT_AFFECTED: VexStatus.NOT_AFFECTED,
    ProductStatusKind.KNOWN_AFFECTED: VexStatus.AFFECTED,
    ProductStatusKind.FIRST_AFFECTED: VexStatus.AFFECTED,
    ProductStatusKind.LAST_AFFECTED: VexStatus.AFFECTED,
    ProductStatusKind.FIXED: VexStatus.FIXED,
    ProductStatusKind.FIRST_FIXED: VexStatus.FIXED,
    ProductStatusKind.UNDER_INVESTIGATION: VexStatus.UNDER_INVESTIGATION,
}


def _statement(product: CsafProduct) -> VersionStatement:
    if product.version_range:
        return parse_statement(product.version_range)
    return parse_statement(product.version)


def _label(product: CsafProduct) -> str:
    return f"{product.product_id} {product.name!r}"


def product_specs(
    product: CsafProduct, links: tuple[Link, ...], product_id: str | None = None
) -> list[TargetSpec]:
    """The targets identifying one CSAF product (empty when it cannot be identified)."""
    statement = _statement(product)
    fallback = statement.range or all_versions()
    specs: list[TargetSpec] = []
    for purl in product.purls:
        parts = purl_parts(purl)
        if parts is None:
            continue
        key, version = parts
        version_range = VersionRange("generic", (), (version,)) if version else fallback
        specs.append(
            TargetSpec(
                "purl",
                purl,
                version_range,
                f"{_label(product)}: {statement.text or purl}",
                links,
                package_key=key,
                understood=bool(version) or statement.understood,
                product_id=product_id or product.product_id,
            )
        )
    for text in product.cpes:
        cpe = parse_cpe(text)
        if cpe is None:
            continue
        literal = cpe.literal("version")
        version_range = VersionRange("generic", (), (literal,)) if literal else fallback
        specs.append(
            TargetSpec(
                "cpe",
                text,
                version_range,
                f"{_label(product)}: {statement.text or text}",
                links,
                cpe=(cpe.part, cpe.vendor, cpe.product, cpe_rest(cpe)),
                understood=bool(literal) or statement.understood,
                product_id=product_id or product.product_id,
            )
        )
    if specs:
        return specs
    product_name = product.product or product.product_family
    if not product.vendor or not product_name:
        return []
    vendors = vendor_keys(product.vendor)
    names = product_keys(product_name, vendors)
    if not vendors or not names:
        return []
    shown = statement.text or "no version given"
    return [
        TargetSpec(
            "name",
            f"{product.vendor} / {product_name}",
            statement.range,
            f"{_label(product)}: {shown}",
            links,
            understood=statement.understood,
            name_keys=tuple((v, p) for v in vendors for p in names),
            product_id=product_id or product.product_id,
        )
    ]


def csaf_targets(advisory: Advisory, out: RecordTargets) -> None:
    """Add the targets of every product that has a status in the advisory."""
    links: dict[str, list[Link]] = defaultdict(list)
    for status in advisory.product_statuses:
        mapped = BUCKET_STATUS.get(status.status)
        if mapped is not None:
            link = Link(status.vulnerability_id, mapped)
            if link not in links[status.product_id]:
                links[status.product_id].append(link)
    products = {product.product_id: product for product in advisory.products}
    relationships = {rel.product_id: rel for rel in advisory.relationships}
    for product_id in sorted(links):
        product_links = tuple(links[product_id])
        relationship = relationships.get(product_id)
        if relationship is None:
            product = products.get(product_id)
            specs = product_specs(product, product_links) if product else []
            if not specs:
                out.problems.append("unidentifiable-product")
            for spec in specs:
                out.add(spec)
            continue
        component = products.get(relationship.product_reference)
        platform = products.get(relationship.relates_to_product_reference)
        component_specs = product_specs(component, product_links, product_id) if component else []
        platform_links = tuple(Link(link.vuln_id, link.status, False) for link in product_links)
        platform_specs = product_specs(platform, platform_links, product_id) if platform else []
        if not component_specs or not platform_specs:
            out.problems.append("unidentifiable-relationship")
            continue
        index = len(out.configs)
        tree = ConfigNode("AND")
        out.configs.append(tree)
        for group in (component_specs, platform_specs):
            node = ConfigNode("OR")
            node.leaves = [out.add(spec, index) for spec in group]
            tree.children.append(node)
