"""SBOM components -> the normalised view both engines match on.

Which version is evaluated: for purl matching the purl's version (else the component's); for
CPE matching the CPE's version when it is a literal (else the component's); for name matching
the component's version (else the CPE's). A component without any version can only match
targets that cover every version (or, for names, weakly).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import overload

from medtrust.domain.component import Component, ComponentType, SbomDocument
from medtrust.matching.columns import build_all
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


def _ref(component: Component, sbom: str, serial: str | None) -> ComponentRef:
    return ComponentRef(
        sbom,
        component.bom_ref,
        component.name,
        component.version or None,
        component.purl,
        component.cpe,
        serial,
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
        ref=_ref(component, sbom, serial),
        package_key=keys.package_key,
        purl_version=keys.purl_version,
        cpe_key=keys.cpe_key,
        cpe_version=keys.cpe_version,
        name_version=keys.name_version,
        name_keys=keys.name_keys,
        context=context,
    )


def document_components(
    documents: Sequence[SbomDocument], context_cpes: Iterable[str] = ()
) -> Iterator[tuple[Component, str, str | None, bool]]:
    """``(component, SBOM, serial, is context)`` in :func:`document_views` order."""
    contexts = tuple(
        Component(bom_ref=f"context-cpe-{number}", type=ComponentType.DEVICE, name=text, cpe=text)
        for number, text in enumerate(context_cpes)
    )
    for document in documents:
        source, serial = document.source, document.serial
        for component in document.all_components():
            yield component, source, serial, False
        for pseudo in contexts:
            yield pseudo, source, serial, True


def document_views(
    documents: Sequence[SbomDocument], context_cpes: Iterable[str] = ()
) -> list[ComponentView]:
    """Views of every component of every document (subject included), plus context CPEs.

    A context CPE (``--context-cpe``, the device the software runs on) is added to every
    document as a component that can satisfy a platform condition but gets no findings.
    """
    return [
        view(component, index, sbom, serial, context=context)
        for index, (component, sbom, serial, context) in enumerate(
            document_components(documents, context_cpes)
        )
    ]


class DocumentViews(Sequence[ComponentView]):
    """:func:`document_views` built on first access of each view.

    A portfolio scan needs the views of one component per identity and of the components
    that have findings; the rest are never built. :meth:`identity_numbers` gives each
    position's identity from the component itself (see ``matching/shared.py``).
    """

    def __init__(self, documents: Sequence[SbomDocument], context_cpes: Iterable[str] = ()) -> None:
        self._items = list(document_components(documents, context_cpes))
        self._views: list[ComponentView | None] = [None] * len(self._items)

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, position: int) -> ComponentView: ...

    @overload
    def __getitem__(self, position: slice) -> list[ComponentView]: ...

    def __getitem__(self, position: int | slice) -> ComponentView | list[ComponentView]:
        if isinstance(position, slice):
            return [self[i] for i in range(*position.indices(len(self)))]
        found = self._views[position]
        if found is None:
            if position < 0:
                position += len(self._items)
            component, sbom, serial, context = self._items[position]
            found = self._views[position] = view(component, position, sbom, serial, context=context)
        return found

    def views(self, positions: list[int]) -> list[ComponentView]:
        """The views of some positions (built column-wise, then kept)."""
        missing = [position for position in positions if self._views[position] is None]
        if missing:
            items = [self._items[position] for position in missing]
            keys = [
                _keys(c.purl, c.cpe, c.name, c.version or None, c.supplier, c.group)
                for c, _, _, _ in items
            ]
            made = build_all(
                ComponentView,
                [
                    missing,
                    self.refs(missing),
                    [k.package_key for k in keys],
                    [k.purl_version for k in keys],
                    [k.cpe_key for k in keys],
                    [k.cpe_version for k in keys],
                    [k.name_version for k in keys],
                    [k.name_keys for k in keys],
                    [context for _, _, _, context in items],
                ],
            )
            for position, built in zip(missing, made, strict=True):
                self._views[position] = built
        return [self[position] for position in positions]

    def refs(self, positions: list[int]) -> list[ComponentRef]:
        """The ``ref`` of some positions' views, without building the views."""
        items = [self._items[position] for position in positions]
        components = [component for component, *_ in items]
        return build_all(
            ComponentRef,
            [
                [sbom for _, sbom, _, _ in items],
                [c.bom_ref for c in components],
                [c.name for c in components],
                [c.version or None for c in components],
                [c.purl for c in components],
                [c.cpe for c in components],
                [serial for _, _, serial, _ in items],
            ],
        )

    def ref(self, position: int) -> ComponentRef:
        """The ``ref`` of a position's view, without building the view."""
        built = self._views[position]
        if built is not None:
            return built.ref
        component, sbom, serial, _ = self._items[position]
        return _ref(component, sbom, serial)

    def bom_refs(self) -> list[tuple[str, str, bool]]:
        """Every position's group, bom-ref and context flag, without building views."""
        return [(sbom, c.bom_ref, context) for c, sbom, _, context in self._items]

    def groups(self) -> list[str]:
        """Every position's group (SBOM), without building views."""
        return [sbom for _, sbom, _, _ in self._items]

    def group(self, position: int) -> str:
        """The group (SBOM) of a position, without building its view."""
        return self._items[position][1]

    def identity_numbers(self) -> tuple[list[int], list[int]]:
        """Group positions by identity: per position its identity's number, and per number
        its first position.

        The key is the inputs of the view's join keys, its match texts and context flag: equal
        keys give equal views apart from index and ``ref`` (see :func:`view`).

        Callers that read stored components share one object per distinct component: the key
        is computed once per object (looked up by object id, while :attr:`_items` holds it).
        """
        seen: dict[tuple[object, ...], int] = {}
        by_object: dict[int, int] = {}  # a component object is a context one or never
        first: list[int] = []
        of: list[int] = []
        for position, (component, _, _, context) in enumerate(self._items):
            number = by_object.get(id(component))
            if number is None:
                key = _identity_key(component, context)
                number = seen.get(key)
                if number is None:
                    number = seen[key] = len(first)
                    first.append(position)
                by_object[id(component)] = number
            of.append(number)
        return of, first


def _identity_key(component: Component, context: bool) -> tuple[object, ...]:
    return (
        component.purl,
        component.cpe,
        component.name,
        component.version or None,
        component.supplier,
        component.group,
        context,
    )
