"""Loading the packaged evidence and applicability rules, and user files of the same families.

Every problem raises a :class:`~medtrust.compliance.errors.CatalogueFileError` subclass whose
one-line message names the file and the element (``"<file>: <element>: <problem>"``).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from medtrust.compliance.errors import CatalogueSchemaError, DanglingReferenceError
from medtrust.compliance.evidence_files import Mds2EvidenceFile, ProductEvidenceFile
from medtrust.compliance.library import Library, packaged_library
from medtrust.compliance.loader import parse_yaml_text
from medtrust.validation_text import DOCUMENT, first_error

_Model = TypeVar("_Model", bound=BaseModel)

EVIDENCE_DIR = "evidence"
APPLICABILITY_DIR = "applicability"


def validate_model(model: type[_Model], data: object, where: str) -> _Model:
    """Validate decoded data; the first problem becomes a one-line ``CatalogueSchemaError``."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise CatalogueSchemaError(where, *first_error(exc, root=DOCUMENT)) from exc


def packaged_text(directory: str, name: str) -> tuple[str, str]:
    """(``catalog/data/<directory>/<name>``, its text)."""
    entry = resources.files("medtrust.catalog").joinpath("data", directory, name)
    return f"catalog/data/{directory}/{name}", entry.read_text(encoding="utf-8")


def load_packaged(model: type[_Model], directory: str, name: str) -> _Model:
    """Read and validate one packaged YAML file."""
    where, text = packaged_text(directory, name)
    return validate_model(model, parse_yaml_text(text, where), where)


def check_links(urns: list[tuple[str, str]], library: Library, where: str) -> None:
    """Every ``(element, urn)`` must name a node of ``library``."""
    for element, urn in urns:
        if not library.has_node(urn):
            raise DanglingReferenceError(where, element, f"unknown requirement node {urn}")


@cache
def mds2_evidence_rules() -> Mds2EvidenceFile:
    """The packaged rules turning MDS2 answers into evidence."""
    return load_packaged(Mds2EvidenceFile, EVIDENCE_DIR, "mds2-answers.yaml")


@cache
def product_evidence_rules() -> ProductEvidenceFile:
    """The packaged rules for SBOM, process and certificate evidence (references checked)."""
    rules = load_packaged(ProductEvidenceFile, EVIDENCE_DIR, "product.yaml")
    library = packaged_library()
    where = f"catalog/data/{EVIDENCE_DIR}/product.yaml"
    links = [(f"sbom.requirements[{i}]", r.urn) for i, r in enumerate(rules.sbom.requirements)]
    for p, process in enumerate(rules.processes):
        links += [
            (f"processes[{p}].requirements[{i}]", r.urn) for i, r in enumerate(process.requirements)
        ]
    check_links(links, library, where)
    for c, certificate in enumerate(rules.certificates):
        if certificate.framework not in library.frameworks:
            raise DanglingReferenceError(
                where, f"certificates[{c}]", f"unknown framework {certificate.framework!r}"
            )
    return rules
