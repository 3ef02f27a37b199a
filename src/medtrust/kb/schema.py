"""The knowledge-base tables: names, Polars schemas and the order rows are written in.

Every table but ``aliases`` carries ``record_key`` (``<source>:<record id>``), so an incremental
import can replace exactly the rows of the records that changed. See ``docs/kb.md``.
"""

from __future__ import annotations

from functools import cache

import polars as pl

#: bump when a table changes shape; a KB of another version must be re-imported
SCHEMA_VERSION = 1

_UTC = pl.Datetime("us", "UTC")


@cache
def schemas() -> dict[str, dict[str, pl.DataType]]:
    """Table name -> column name -> Polars type."""
    text, flag, int64 = pl.Utf8(), pl.Boolean(), pl.Int64()
    return {
        "provenance": {
            "record_key": text,
            "source": text,
            "record_id": text,
            "kind": text,
            "origin": text,
            "imported_at": _UTC,
            "digest": text,
        },
        "vulnerabilities": {
            "record_key": text,
            "vuln_id": text,
            "source": text,
            "origin": text,
            "summary": text,
            "published": _UTC,
            "modified": _UTC,
            "withdrawn": flag,
            "cwes": pl.List(pl.Utf8()),
            "aliases": pl.List(pl.Utf8()),
            "cvss": text,  # JSON list of {version, vector, score, source, type}
        },
        "targets": {
            "target_id": int64,
            "record_key": text,
            "kind": text,  # purl | cpe | name
            "package_key": text,
            "part": text,
            "vendor": text,
            "product": text,
            "rest": text,
            "version_na": flag,
            "understood": flag,
            "identifier": text,
            "range_text": text,
        },
        "name_keys": {
            "target_id": int64,
            "record_key": text,
            "vendor_key": text,
            "product_key": text,
        },
        "intervals": {
            "target_id": int64,
            "record_key": text,
            "scheme": text,
            "exclude": flag,
            "lower": text,
            "lower_inc": flag,
            "upper": text,
            "upper_inc": flag,
            "lower_key": pl.Binary(),
            "upper_key": pl.Binary(),
        },
        "links": {
            "target_id": int64,
            "record_key": text,
            "vuln_id": text,
            "status": text,
            "vulnerable": flag,
            "config_id": int64,
            "method": text,
            "source": text,
            "document": text,
        },
        "configs": {"config_id": int64, "record_key": text, "tree": text},
        "kev": {
            "record_key": text,
            "cve_id": text,
            "date_added": pl.Date(),
            "due_date": pl.Date(),
            "ransomware": flag,
            "name": text,
            "source": text,
        },
        "epss": {
            "record_key": text,
            "cve_id": text,
            "epss": pl.Float64(),
            "percentile": pl.Float64(),
            "score_date": _UTC,
        },
        "vex": {
            "record_key": text,
            "vulnerability_id": text,
            "status": text,
            "source_status": text,
            "justification": text,
            "detail": text,
            "refs": pl.List(pl.Utf8()),
            "purls": pl.List(pl.Utf8()),
            "document": text,
        },
        "aliases": {"vuln_id": text, "primary_id": text},
    }


#: sort order per table when written (stable files; row-group statistics help key filters)
SORT_KEYS: dict[str, tuple[str, ...]] = {
    "provenance": ("record_key",),
    "vulnerabilities": ("vuln_id", "record_key"),
    "targets": ("kind", "package_key", "vendor", "product", "target_id"),
    "name_keys": ("vendor_key", "product_key", "target_id"),
    "intervals": ("target_id", "exclude", "lower", "upper"),
    "links": ("target_id", "vuln_id", "status"),
    "configs": ("config_id",),
    "kev": ("cve_id", "record_key"),
    "epss": ("cve_id", "record_key"),
    "vex": ("record_key", "vulnerability_id", "status"),
    "aliases": ("vuln_id",),
}


def table_names() -> tuple[str, ...]:
    """Every table, in a fixed order."""
    return tuple(schemas())


def empty(table: str) -> pl.DataFrame:
    """An empty frame of a table."""
    return pl.DataFrame(schema=schemas()[table])
