"""JSON Schemas of the packaged data-file models, generated from their pydantic models.

The committed files in ``catalog/schemas/`` must equal what :func:`render_schema` produces; a test
checks this. Regenerate them after changing a model with::

    python -m medtrust.catalog.schema_export
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from medtrust.catalog.mds2_model import Mds2CatalogueFile
from medtrust.compliance.applicability_files import ApplicabilityFile
from medtrust.compliance.evidence_files import (
    DeclarationsFile,
    Mds2EvidenceFile,
    ProductEvidenceFile,
)
from medtrust.compliance.files import FrameworkFile, MappingFile
from medtrust.exposure.policy import DecisionPolicyFile
from medtrust.incidents.directory_file import CountryFile
from medtrust.incidents.regime_file import RegimeFile
from medtrust.incidents.report_template_file import ReportTemplateFile
from medtrust.inventory.os_eol import OsEolFile

#: schema name (file ``<name>.schema.json``) -> file model
SCHEMAS: dict[str, type[BaseModel]] = {
    "applicability": ApplicabilityFile,
    "authority-directory": CountryFile,
    "decision-policy": DecisionPolicyFile,
    "declarations": DeclarationsFile,
    "evidence-mds2": Mds2EvidenceFile,
    "evidence-product": ProductEvidenceFile,
    "framework": FrameworkFile,
    "mapping": MappingFile,
    "mds2-catalogue": Mds2CatalogueFile,
    "os-eol": OsEolFile,
    "regime": RegimeFile,
    "report-template": ReportTemplateFile,
}

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_path(name: str, directory: Path = SCHEMA_DIR) -> Path:
    """Where the schema called ``name`` is committed."""
    return directory / f"{name}.schema.json"


def render_schema(name: str) -> str:
    """The JSON Schema text of a registered model (stable: sorted keys, trailing newline)."""
    model = SCHEMAS[name]
    schema = {"$schema": _DIALECT, "$id": f"{name}.schema.json", **model.model_json_schema()}
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(directory: Path = SCHEMA_DIR) -> tuple[Path, ...]:
    """Write every registered schema into ``directory`` and return the paths, sorted by name."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in sorted(SCHEMAS):
        path = schema_path(name, directory)
        path.write_text(render_schema(name), encoding="utf-8")
        written.append(path)
    return tuple(written)


if __name__ == "__main__":
    write_schemas()
