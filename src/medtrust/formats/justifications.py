"""Mapping VEX justifications between vocabularies.

CISA "Vulnerability Exploitability eXchange (VEX) – Status Justifications" (June 2022) labels,
used by CSAF 2.0 flags (section 3.2.3.5) and OpenVEX, versus CycloneDX 1.6
``analysis.justification``. The mapping is ours; where the vocabularies differ in grain we map
to the nearest meaning and keep the original wording in the output's detail.
"""

from __future__ import annotations

CSAF_LABELS = (
    "component_not_present",
    "inline_mitigations_already_exist",
    "vulnerable_code_cannot_be_controlled_by_adversary",
    "vulnerable_code_not_in_execute_path",
    "vulnerable_code_not_present",
)
CYCLONEDX_JUSTIFICATIONS = (
    "code_not_present",
    "code_not_reachable",
    "requires_configuration",
    "requires_dependency",
    "requires_environment",
    "protected_by_compiler",
    "protected_at_runtime",
    "protected_at_perimeter",
    "protected_by_mitigating_control",
)
_TO_CYCLONEDX = {
    "component_not_present": "code_not_present",
    "vulnerable_code_not_present": "code_not_present",
    "vulnerable_code_not_in_execute_path": "code_not_reachable",
    "vulnerable_code_cannot_be_controlled_by_adversary": "protected_at_runtime",
    "inline_mitigations_already_exist": "protected_by_mitigating_control",
}
_TO_CSAF = {
    "code_not_present": "vulnerable_code_not_present",
    "code_not_reachable": "vulnerable_code_not_in_execute_path",
    "requires_configuration": "vulnerable_code_cannot_be_controlled_by_adversary",
    "requires_dependency": "component_not_present",
    "requires_environment": "vulnerable_code_cannot_be_controlled_by_adversary",
    "protected_by_compiler": "inline_mitigations_already_exist",
    "protected_at_runtime": "inline_mitigations_already_exist",
    "protected_at_perimeter": "inline_mitigations_already_exist",
    "protected_by_mitigating_control": "inline_mitigations_already_exist",
}


def to_cyclonedx(justification: str | None) -> str | None:
    """A CycloneDX justification for any known label, else None."""
    if justification in CYCLONEDX_JUSTIFICATIONS:
        return justification
    return _TO_CYCLONEDX.get(justification or "")


def to_csaf(justification: str | None) -> str | None:
    """A CSAF flag label for any known justification, else None."""
    if justification in CSAF_LABELS:
        return justification
    return _TO_CSAF.get(justification or "")
