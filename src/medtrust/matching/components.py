"""SBOM components -> the normalised view both engines match on.

Which version is evaluated: for purl matching the purl's version (else the component's); for
CPE matching the CPE's version when it is a literal (else the component's); for name matching
the component's version (else the CPE's). A component without any version can only match
targets that cover every version (or, for names, weakly).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from medtrust.domain.component import Component, ComponentType, SbomDocument
from medtrust.matching.model import ComponentRef
from medtrust.matching.normalise import (
    cpe_rest,
    parse_cpe,
    product_keys,
    purl_parts,
    vendor_keys,
)


@dataclass(frozen=True, slots=True)
class ComponentView:
    """A component with its join keys; ``context`` components only satisfy platforms."""

    index: int
    ref: ComponentRef
    package_key: str | None
    purl_version: str | None
    cpe_key: tuple[str, str, str, str] | None
    cpe_version: str | None
    name_version: str | None
    name_keys: tuple[tuple[str, str], ...]
    context: bool = False

    @property
    def group(self) -> str:
        """Components of one group (one SBOM) satisfy each other's configurations."""
        return self.ref.sbom


@lru_cache(maxsize=1 << 16)
def _name_keys(
    vendor_texts: tuple[str | None, ...], product_texts: tuple[str | None, ...]
) -> tuple[tuple[str, str], ...]:
    vendors: list[str] = []
    for text in vendor_texts:
        for key in vendor_keys(text or ""):
            if key not in vendors:
                vendors.append(key)
    products: list[str] = []
    for text in product_texts:
        for key in product_keys(text or "", tuple(vendors)):
            if key not in products:
                products.append(key)
    return tuple((v, p) for v in vendors for p in products)


@dataclass(frozen=True, slots=True)
class _Keys:
    package_key: str | None
    purl_version: str | None
    cpe_key: tuple[str, str, str, str] | None
    cpe_version: str | None
    name_version: str | None
    name_keys: tuple[tuple[str, str], ...]


@lru_cache(maxsize=1 << 18)
def _keys(
    purl: str | None,
    cpe_text: str | None,
    name: str,
    version: str | None,
    supplier: str | None,
    group: str | None,
) -> _Keys:
    """The join keys of a component identity (cached: portfolios repeat components a lot)."""
    parts = purl_parts(purl) if purl else None
    cpe = parse_cpe(cpe_text) if cpe_text else None
    cpe_literal = cpe.literal("version") if cpe else None
    return _Keys(
        package_key=parts[0] if parts else None,
        purl_version=(parts[1] if parts else None) or version,
        cpe_key=(cpe.part, cpe.vendor, cpe.product, cpe_rest(cpe)) if cpe else None,
        cpe_version=cpe_literal or version,
        name_version=version or cpe_literal,
        name_keys=_name_keys(
            (supplier, group, cpe.literal("vendor") if cpe else None),
            (name, cpe.literal("product") if cpe else None),
        ),
    )


def view(
    component: Component, index: int, sbom: str, serial: str | None = None, *, context: bool = False
) -> ComponentView:
    """The matching view of one component."""
    version = component.version or None
    keys = _keys(
        component.purl,
        component.cpe,
        component.name,
        version,
        component.supplier,
        component.group,
    )
    return ComponentView(
        index=index,
        ref=ComponentRef(
            sbom=sbom,
            bom_ref=component.bom_ref,
            name=component.name,
            version=version,
            purl=component.purl,
            cpe=component.cpe,
            serial=serial,
        ),
        package_key=keys.package_key,
        purl_version=keys.purl_version,
        cpe_key=keys.cpe_key,
        cpe_version=keys.cpe_version,
        name_version=keys.name_version,
        name_keys=keys.name_keys,
        context=context,
    )


def document_views(
    documents: Sequence[SbomDocument], context_cpes: Iterable[str] = ()
) -> list[ComponentView]:
    """Views of every component of every document (subject included), plus context CPEs.

    A context CPE (``--context-cpe``, the device the software runs on) is added to every
    document as a component that can satisfy a platform condition but gets no findings.
    """
    views: list[ComponentView] = []
    contexts = tuple(context_cpes)
    for document in documents:
        for component in document.all_components():
            views.append(view(component, len(views), document.source, document.serial))
        for number, text in enumerate(contexts):
            pseudo = Component(
                bom_ref=f"context-cpe-{number}",
                type=ComponentType.DEVICE,
                name=text,
                cpe=text,
            )
            views.append(view(pseudo, len(views), document.source, document.serial, context=True))
    return views
