"""Product assessment (manufacturer view): MDS2 form, SBOM and declarations -> an assessment.

This is the use case behind ``medtrust assess product``, ``POST /api/v1/compliance/assessments/
product`` and the web page: it reads the inputs from bytes (no file system), turns them into
evidence and runs :func:`medtrust.compliance.assessment.assess`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from medtrust.catalog.mds2 import load_mds2_catalogue
from medtrust.compliance.assessment import Assessment, Policy, assess
from medtrust.compliance.data_files import mds2_evidence_rules, product_evidence_rules
from medtrust.compliance.errors import UnknownFrameworkError
from medtrust.compliance.evidence import Evidence
from medtrust.compliance.evidence_files import DeclarationsFile
from medtrust.compliance.gaps import product_closers
from medtrust.compliance.library import Library, packaged_library
from medtrust.compliance.mds2_evidence import mds2_evidence
from medtrust.compliance.product_evidence import (
    SbomFacts,
    certificate_framework,
    declaration_evidence,
    not_applicable_reasons,
    read_declarations,
    sbom_evidence,
)
from medtrust.domain.mds2 import Mds2Form
from medtrust.mds2.readers.limits import ReadLimits
from medtrust.mds2.readers.registry import read_mds2
from medtrust.sbom.quality import QualityReport
from medtrust.sbom.quality import assess as sbom_quality
from medtrust.sbom.readers.registry import DEFAULT_MAX_BYTES, read_sbom_bytes

#: assessed when the caller names no framework
DEFAULT_FRAMEWORKS = ("mdr",)


@dataclass(frozen=True, slots=True)
class InputFile:
    """An uploaded or read file: its bytes and the name to report."""

    data: bytes
    name: str


def resolve_frameworks(refs: Sequence[str], library: Library) -> tuple[str, ...]:
    """Framework ids from ids or framework URNs (``urn:medtrust:framework:mdr``), deduplicated."""
    by_urn = {f.urn: f.id for f in library.frameworks.values()}
    out: list[str] = []
    for ref in refs or DEFAULT_FRAMEWORKS:
        key = ref.strip()
        framework_id = by_urn.get(key, key)
        if framework_id not in library.frameworks:
            known = ", ".join(library.frameworks)
            raise UnknownFrameworkError(f"unknown framework {ref!r} (known: {known})")
        if framework_id not in out:
            out.append(framework_id)
    return tuple(out)


def sbom_facts(report: QualityReport) -> SbomFacts:
    """The SBOM facts the evidence rules use, from a quality report."""
    return SbomFacts(
        source=report.source,
        score=report.score,
        components=report.component_count,
        fixes=report.fixes(),
    )


def _subject(form: Mds2Form | None, declarations: DeclarationsFile | None) -> str:
    if declarations is not None and declarations.product:
        return declarations.product
    if form is None:
        return "product"
    parts = [form.value(q) for q in ("DOC-1", "DOC-2", "DOC-3")]
    return " / ".join(p for p in parts if p) or (form.source_name or "product")


def assess_product(
    *,
    form: Mds2Form | None,
    sbom: SbomFacts | None,
    declarations: DeclarationsFile | None,
    frameworks: Sequence[str],
    as_of: date,
    declarations_name: str = "declarations",
    policy: Policy | None = None,
    library: Library | None = None,
) -> Assessment:
    """Evidence from every input, assessed against ``frameworks`` (ids or URNs)."""
    lib = library or packaged_library()
    chosen = resolve_frameworks(frameworks, lib)
    rules = product_evidence_rules()
    evidence: list[Evidence] = []
    notes: list[str] = []
    if form is not None:
        evidence.extend(
            mds2_evidence(form, load_mds2_catalogue(), rules=mds2_evidence_rules(), library=lib)
        )
    else:
        notes.append("No MDS2 form was given: no capability evidence from MDS2 answers.")
    evidence.extend(sbom_evidence(sbom, rules.sbom))
    skip: set[str] = {"SBOM"} if sbom is not None else set()
    reasons: dict[str, str] = {}
    if declarations is not None:
        evidence.extend(
            declaration_evidence(declarations, rules, lib, as_of=as_of, source=declarations_name)
        )
        reasons.update(not_applicable_reasons(declarations, lib, source=declarations_name))
        names = {p.id: p.name for p in rules.processes}
        skip.update(names[p.id] for p in declarations.processes)
        for certificate in declarations.certificates:
            framework_id = certificate_framework(certificate, rules)
            skip.update(
                f"Certificate {c.names[0]}"
                for c in rules.certificates
                if c.framework == framework_id
            )
    return assess(
        evidence,
        chosen,
        library=lib,
        policy=policy,
        as_of=as_of,
        not_applicable=reasons,
        closers=product_closers(rules),
        skip_closers=frozenset(skip),
        subject=_subject(form, declarations),
        notes=notes,
    )


def assess_product_files(
    *,
    mds2: InputFile | None,
    sbom: InputFile | None,
    declarations: InputFile | None,
    frameworks: Sequence[str],
    as_of: date,
    policy: Policy | None = None,
    mds2_limits: ReadLimits | None = None,
    sbom_max_bytes: int = DEFAULT_MAX_BYTES,
) -> Assessment:
    """Read the inputs (raising one-line ``InputError`` subclasses) and assess the product."""
    form = read_mds2(mds2.data, filename=mds2.name, limits=mds2_limits) if mds2 else None
    facts = None
    if sbom is not None:
        document = read_sbom_bytes(sbom.data, source=sbom.name, max_bytes=sbom_max_bytes)
        facts = sbom_facts(sbom_quality(document))
    parsed = read_declarations(declarations.data, declarations.name) if declarations else None
    return assess_product(
        form=form,
        sbom=facts,
        declarations=parsed,
        frameworks=frameworks,
        as_of=as_of,
        declarations_name=declarations.name if declarations else "declarations",
        policy=policy,
    )
