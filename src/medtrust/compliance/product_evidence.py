"""Evidence from an SBOM's presence and quality and from the manufacturer's declarations (pure).

Which requirement nodes each kind of evidence speaks to is data
(``catalog/data/evidence/product.yaml``): an SBOM speaks to CRA Annex I Part II (1), IEC TR
80001-2-2 RDMP, IEC 81001-5-1 clause 8 and IEC 62443-4-2 CR 7.8; each declared process to the
nodes listed for it; a certificate to every assessable node of its standard's catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from medtrust.compliance.evidence import Evidence, EvidenceKind, Signal
from medtrust.compliance.evidence_files import (
    CertificateDeclaration,
    DeclarationsFile,
    ProductEvidenceFile,
    SbomRules,
)
from medtrust.compliance.library import Library
from medtrust.compliance.user_input import (
    UserFileError,
    parse_yaml_bytes,
    validate_user_model,
)

_MAX_FIXES = 3


@dataclass(frozen=True, slots=True)
class SbomFacts:
    """What the assessment needs to know about an SBOM (from its quality report)."""

    source: str
    score: int
    components: int
    fixes: tuple[str, ...] = ()


def sbom_evidence(facts: SbomFacts | None, rules: SbomRules) -> tuple[Evidence, ...]:
    """One evidence item per requirement the SBOM rules name; negative when no SBOM was given."""
    if facts is None:
        signal, statement_key, remedy_key = Signal.NEGATIVE, "missing", "missing"
        fields = {"source": "", "score": 0, "components": 0, "min_score": rules.min_score}
    else:
        good = facts.score >= rules.min_score
        signal = Signal.POSITIVE if good else Signal.REVIEW
        statement_key = "good" if good else "low"
        remedy_key = "" if good else "low"
        fields = {
            "source": facts.source,
            "score": facts.score,
            "components": facts.components,
            "min_score": rules.min_score,
        }
    fields["fixes"] = "; ".join(facts.fixes[:_MAX_FIXES]) if facts and facts.fixes else "-"
    statement = rules.statements[statement_key].format(**fields)  # type: ignore[index]
    remedy = rules.remedies[remedy_key].format(**fields) if remedy_key else ""  # type: ignore[index]
    source = f"SBOM {facts.source}" if facts else "SBOM (none supplied)"
    return tuple(
        Evidence(
            id=f"sbom:{link.urn}",
            kind=EvidenceKind.SBOM,
            subject=link.urn,
            signal=signal,
            statement=f"{statement} ({link.rationale})",
            source=source,
            remedy=remedy,
        )
        for link in rules.requirements
    )


def read_declarations(data: bytes, name: str) -> DeclarationsFile:
    """Parse and validate a declarations YAML file (raises :class:`UserFileError`)."""
    return validate_user_model(DeclarationsFile, parse_yaml_bytes(data, name), name)


def certificate_framework(
    certificate: CertificateDeclaration, rules: ProductEvidenceFile
) -> str | None:
    """The framework id a certificate's standard designation names, or None."""
    wanted = " ".join(certificate.standard.split()).casefold()
    for rule in rules.certificates:
        if any(" ".join(n.split()).casefold() == wanted for n in rule.names):
            return rule.framework
    return None


def declaration_evidence(
    declarations: DeclarationsFile,
    rules: ProductEvidenceFile,
    library: Library,
    *,
    as_of: date,
    source: str,
) -> tuple[Evidence, ...]:
    """Evidence for declared processes and certificates; unknown ids raise ``UserFileError``."""
    out: list[Evidence] = []
    processes = {p.id: p for p in rules.processes}
    for index, declared in enumerate(declarations.processes):
        rule = processes.get(declared.id)
        if rule is None:
            known = ", ".join(sorted(processes))
            raise UserFileError(
                source, f"processes[{index}].id", f"unknown process {declared.id!r} ({known})"
            )
        ref = f" (documented at {declared.reference})" if declared.reference else ""
        for link in rule.requirements:
            out.append(
                Evidence(
                    id=f"process:{rule.id}:{link.urn}",
                    kind=EvidenceKind.PROCESS,
                    subject=link.urn,
                    signal=Signal.POSITIVE,
                    statement=f"Declared process '{rule.name}'{ref}: {link.rationale}",
                    source=f"{source}, processes[{index}]",
                )
            )
    for index, certificate in enumerate(declarations.certificates):
        framework_id = certificate_framework(certificate, rules)
        if framework_id is None:
            known = ", ".join(sorted(r.names[0] for r in rules.certificates))
            raise UserFileError(
                source,
                f"certificates[{index}].standard",
                f"unknown standard {certificate.standard!r} (known: {known})",
            )
        out.extend(_certificate_items(certificate, framework_id, library, as_of, source, index))
    return tuple(out)


def _certificate_items(
    certificate: CertificateDeclaration,
    framework_id: str,
    library: Library,
    as_of: date,
    source: str,
    index: int,
) -> list[Evidence]:
    expired = certificate.valid_until is not None and certificate.valid_until < as_of
    scope = f", scope: {certificate.scope}" if certificate.scope else ""
    issuer = f", issued by {certificate.issuer}" if certificate.issuer else ""
    until = (
        f", valid until {certificate.valid_until.isoformat()}" if certificate.valid_until else ""
    )
    label = f"Certificate {certificate.standard}{scope}{issuer}{until}"
    framework = library.framework(framework_id)
    return [
        Evidence(
            id=f"certificate:{index}:{node.urn}",
            kind=EvidenceKind.CERTIFICATE,
            subject=node.urn,
            signal=Signal.REVIEW if expired else Signal.POSITIVE,
            statement=(
                f"{label}: expired on the assessment date {as_of.isoformat()}."
                if expired
                else f"{label}: attests {framework.ref_id} {node.ref_id}."
            ),
            source=f"{source}, certificates[{index}]",
            remedy=f"Renew the {certificate.standard} certificate." if expired else "",
        )
        for node in framework.assessable()
    ]


def not_applicable_reasons(
    declarations: DeclarationsFile, library: Library, *, source: str
) -> Mapping[str, str]:
    """Requirement URN -> declared reason; unknown URNs raise ``UserFileError``."""
    out: dict[str, str] = {}
    for index, item in enumerate(declarations.not_applicable):
        if not library.has_node(item.requirement):
            raise UserFileError(
                source,
                f"not_applicable[{index}].requirement",
                f"unknown requirement node {item.requirement}",
            )
        out[item.requirement] = f"Declared not applicable ({source}): {item.reason}"
    return dict(sorted(out.items()))
