"""Regulatory requirement catalogues, crosswalks between them, and multi-hop inference.

Catalogues (MDR/IVDR Annex I, MDCG 2019-16, NIS2 Art. 21, GDPR Art. 32, CRA Annex I, IEC TR
80001-2-2, IEC 81001-5-1, IEC 62443-4-1/4-2, ISO/IEC 27001:2022 Annex A, BSI-CS 132, MDS2 2019)
and mapping sets are packaged YAML data, validated on load. Query API::

    list_frameworks(); get_framework("mdr"); get_node(urn)
    mappings_from(urn); mappings_to(urn); infer(urn, "iec-81001-5-1", max_hops=3)
"""

from medtrust.compliance.errors import (
    CatalogueFileError,
    CatalogueReadError,
    CatalogueSchemaError,
    ConflictingMappingError,
    DanglingReferenceError,
    DuplicateUrnError,
    ParentCycleError,
    UnknownFrameworkError,
    UnknownNodeError,
    UnknownRelationError,
)
from medtrust.compliance.inference import infer
from medtrust.compliance.library import (
    Library,
    build_library,
    get_framework,
    get_node,
    list_frameworks,
    mappings_from,
    mappings_to,
    packaged_library,
)
from medtrust.compliance.loader import validate_catalogue_file, validate_mapping_file
from medtrust.compliance.model import Framework, InferredMapping, Mapping, MappingSet, Node
from medtrust.compliance.relation import Relation, compose, compose_all, path_confidence

__all__ = [
    "CatalogueFileError",
    "CatalogueReadError",
    "CatalogueSchemaError",
    "ConflictingMappingError",
    "DanglingReferenceError",
    "DuplicateUrnError",
    "Framework",
    "InferredMapping",
    "Library",
    "Mapping",
    "MappingSet",
    "Node",
    "ParentCycleError",
    "Relation",
    "UnknownFrameworkError",
    "UnknownNodeError",
    "UnknownRelationError",
    "build_library",
    "compose",
    "compose_all",
    "get_framework",
    "get_node",
    "infer",
    "list_frameworks",
    "mappings_from",
    "mappings_to",
    "packaged_library",
    "path_confidence",
    "validate_catalogue_file",
    "validate_mapping_file",
]
