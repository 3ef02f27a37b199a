"""Small hand-built catalogues and mapping sets for library and inference tests."""

from __future__ import annotations

from collections.abc import Sequence

from medtrust.compliance.files import MappingFile
from medtrust.compliance.library import Library, build_library
from medtrust.compliance.loader import build_mapping_set, parse_framework
from medtrust.compliance.model import Framework, MappingSet


def framework(fid: str, suffixes: Sequence[str], namespace: str | None = None) -> Framework:
    """A flat catalogue ``fid`` with one node per suffix (URNs under ``namespace`` or ``fid``)."""
    prefix = f"urn:medtrust:req:{namespace or fid}:"
    data = {
        "kind": "medtrust-framework",
        "id": fid,
        "urn": f"urn:medtrust:framework:{fid}",
        "ref_id": fid.upper(),
        "name": fid,
        "version": "1",
        "publication_date": "2024-01-01",
        "licence": "test data",
        "source": "tests",
        "provider": "tests",
        "nodes": [
            {"urn": f"{prefix}{s}", "ref_id": s, "description": f"node {s}"} for s in suffixes
        ],
    }
    return parse_framework(data, f"{fid}.yaml")


def mapping_set(
    set_id: str,
    source: str,
    target: str,
    rows: Sequence[tuple[str, str, str]],
    frameworks: dict[str, Framework],
) -> MappingSet:
    """Mappings ``(source suffix, relation, target suffix)`` from ``source`` to ``target``."""
    file = MappingFile.model_validate(
        {
            "kind": "medtrust-mapping-set",
            "id": set_id,
            "name": set_id,
            "version": "1",
            "publication_date": "2024-01-01",
            "licence": "test data",
            "provider": "tests",
            "source_framework": source,
            "target_framework": target,
            "mappings": [
                {
                    "source": f"urn:medtrust:req:{source}:{s}",
                    "target": f"urn:medtrust:req:{target}:{t}",
                    "relation": rel,
                    "rationale": f"test {s} {rel} {t}",
                }
                for s, rel, t in rows
            ],
        }
    )
    return build_mapping_set(file, f"{set_id}.yaml", frameworks)


def diamond() -> Library:
    """a:1 -equal-> b:1 -subset-> c:1 ; a:1 -intersect-> b:2 -equal-> c:1, b:2 -superset-> c:2."""
    fws = {f: framework(f, ["1", "2"]) for f in ("a", "b", "c")}
    sets = [
        mapping_set("a-to-b", "a", "b", [("1", "equal", "1"), ("1", "intersect", "2")], fws),
        mapping_set(
            "b-to-c",
            "b",
            "c",
            [("1", "subset", "1"), ("2", "equal", "1"), ("2", "superset", "2")],
            fws,
        ),
    ]
    return build_library(fws.values(), sets)
