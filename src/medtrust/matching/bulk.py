"""The bulk engine: all components of a portfolio against the knowledge base, column-wise.

Components and targets are Polars tables joined on the same normalised keys the reference
matcher looks up (package key; CPE part, vendor, product; name keys). Each distinct
``(scheme, version)`` pair is encoded once with the scheme's sortable ``key``; intervals are
then tested with plain byte comparisons (``lower_key <= key <= upper_key`` with the inclusive
flags), and :func:`medtrust.matching.rules.decide`'s cases are applied as column expressions.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from medtrust.matching.components import ComponentView
from medtrust.matching.model import Confidence, Hit
from medtrust.matching.normalise import ANY_REST, rest_compatible
from medtrust.matching.tables import HIT_SCHEMA, KbSlice, hits_from
from medtrust.versioning.base import VersionError
from medtrust.versioning.registry import get_scheme

_CANDIDATE: dict[str, pl.DataType] = {
    "probe": pl.Int64(),
    "target_id": pl.Int64(),
    "version": pl.Utf8(),
    "cpart": pl.Utf8(),
}


def _probes(
    rows: list[tuple[object, ...]], schema: dict[str, pl.DataType], offset: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(distinct probes with ids from ``offset``, component -> probe map).

    A probe is one distinct combination of join keys and version: portfolios repeat the same
    component in many SBOMs, and each combination needs evaluating only once.
    """
    names = ["component", *schema]
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]  # transposed in C
    frame = pl.DataFrame(
        {
            name: pl.Series(name, values, dtype=dtype)
            for name, values, dtype in zip(
                names, columns, [pl.Int64(), *schema.values()], strict=True
            )
        }
    )
    keys = list(schema)
    probes = (
        frame.select(keys)
        .unique(maintain_order=True)
        .with_row_index("probe", offset=offset)
        .with_columns(pl.col("probe").cast(pl.Int64))
    )
    mapping = frame.join(probes, on=keys, nulls_equal=True).select("component", "probe")
    return probes, mapping


def _candidates(
    components: Sequence[ComponentView], kb: KbSlice
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(probe x target candidate pairs, component -> probe map)."""
    text = pl.Utf8()
    purl, purl_map = _probes(
        [(c.index, c.package_key, c.purl_version) for c in components if c.package_key],
        {"package_key": text, "version": text},
        0,
    )
    cpe, cpe_map = _probes(
        [(c.index, *c.cpe_key, c.cpe_version) for c in components if c.cpe_key is not None],
        {"part": text, "vendor": text, "product": text, "crest": text, "version": text},
        purl.height,
    )
    names, name_map = _probes(
        [(c.index, v, p, c.name_version) for c in components for v, p in c.name_keys],
        {"vendor_key": text, "product_key": text, "version": text},
        purl.height + cpe.height,
    )
    targets = kb.targets.select(
        "target_id", "kind", "package_key", "part", "vendor", "product", "rest"
    )
    by_purl = purl.join(
        targets.filter(pl.col("kind") == "purl").select("target_id", "package_key"),
        on="package_key",
    ).select("probe", "target_id", "version", pl.lit(None, pl.Utf8).alias("cpart"))
    by_cpe = cpe.join(
        targets.filter(pl.col("kind") == "cpe").select(
            "target_id", "part", "vendor", "product", "rest"
        ),
        on=["part", "vendor", "product"],
    )
    pairs = by_cpe.filter(pl.col("rest") != ANY_REST).select("rest", "crest").unique()
    compatible = pl.DataFrame(
        {
            "rest": pairs["rest"],
            "crest": pairs["crest"],
            "ok": [rest_compatible(r, c) for r, c in pairs.iter_rows()],
        },
        schema={"rest": pl.Utf8, "crest": pl.Utf8, "ok": pl.Boolean},
    )
    by_cpe = (
        by_cpe.join(compatible, on=["rest", "crest"], how="left")
        .filter((pl.col("rest") == ANY_REST) | pl.col("ok").fill_null(False))
        .select("probe", "target_id", "version", pl.col("part").alias("cpart"))
    )
    by_name = names.join(
        kb.name_keys.select("target_id", "vendor_key", "product_key"),
        on=["vendor_key", "product_key"],
    ).select("probe", "target_id", "version", pl.lit(None, pl.Utf8).alias("cpart"))
    candidates = pl.concat(
        [f.cast(pl.Schema(_CANDIDATE)) for f in (by_purl, by_cpe, by_name)], how="vertical"
    )
    mapping = pl.concat([purl_map, cpe_map, name_map], how="vertical")
    return candidates, mapping


def _version_keys(pairs: pl.DataFrame) -> pl.DataFrame:
    keys: list[bytes | None] = []
    for scheme, version in pairs.iter_rows():
        try:
            keys.append(get_scheme(scheme).key(version))
        except VersionError:
            keys.append(None)
    return pairs.with_columns(pl.Series("vkey", keys, dtype=pl.Binary))


def match_bulk(components: Sequence[ComponentView], kb: KbSlice) -> list[Hit]:
    """Every hit of every component (same result as the reference matcher), sorted."""
    return hits_from(hit_frame(components, kb))


def hit_frame(components: Sequence[ComponentView], kb: KbSlice) -> pl.DataFrame:
    """:func:`match_bulk`'s hits as a table (``tables.HIT_SCHEMA``), sorted the same way."""
    candidates, mapping = _candidates(components, kb)
    if candidates.is_empty():
        return pl.DataFrame(schema=HIT_SCHEMA)
    intervals = kb.intervals
    props = intervals.group_by("target_id").agg(
        pl.col("scheme").first(),
        (
            (~pl.col("exclude") & pl.col("lower").is_null() & pl.col("upper").is_null()).any()
            & ~pl.col("exclude").any()
        ).alias("broad"),
    )
    frame = (
        candidates.join(
            kb.targets.select("target_id", "kind", "version_na", "understood"), on="target_id"
        )
        .join(props, on="target_id", how="left")
        .with_columns(pl.col("scheme").is_not_null().alias("has_range"))
    )
    pairs = frame.filter(pl.col("has_range") & pl.col("version").is_not_null())
    pairs = pairs.select("scheme", "version").unique()
    frame = frame.join(_version_keys(pairs), on=["scheme", "version"], how="left")
    evaluated = (
        frame.filter(pl.col("vkey").is_not_null())
        .select("probe", "target_id", "vkey")
        .join(
            intervals.select(
                "target_id", "exclude", "lower_key", "lower_inc", "upper_key", "upper_inc"
            ),
            on="target_id",
        )
        .with_columns(
            (
                (
                    pl.col("lower_key").is_null()
                    | (pl.col("vkey") > pl.col("lower_key"))
                    | ((pl.col("vkey") == pl.col("lower_key")) & pl.col("lower_inc"))
                )
                & (
                    pl.col("upper_key").is_null()
                    | (pl.col("vkey") < pl.col("upper_key"))
                    | ((pl.col("vkey") == pl.col("upper_key")) & pl.col("upper_inc"))
                )
            ).alias("inside")
        )
        .group_by("probe", "target_id")
        .agg(
            (pl.col("inside") & ~pl.col("exclude")).any().alias("included"),
            (pl.col("inside") & pl.col("exclude")).any().alias("excluded"),
        )
        .select("probe", "target_id", (pl.col("included") & ~pl.col("excluded")).alias("contained"))
    )
    frame = frame.join(evaluated, on=["probe", "target_id"], how="left").with_columns(
        pl.col("vkey").is_not_null().alias("usable"),
        pl.col("contained").fill_null(False),
        pl.col("broad").fill_null(True),
    )
    frame = (
        frame.with_columns(_confidence().alias("confidence"))
        .filter(pl.col("confidence").is_not_null())
        .join(mapping, on="probe")
        .unique(subset=["component", "target_id"], keep="first")
        .sort("component", "target_id")  # Hit.sort_key
        .select(
            "component",
            "target_id",
            "confidence",
            "broad",
            pl.when(pl.col("usable")).then(pl.col("version")).alias("version"),
        )
    )
    return frame.cast(pl.Schema(HIT_SCHEMA))


def _confidence() -> pl.Expr:
    """:func:`medtrust.matching.rules.decide` as a column expression."""
    exact, strong, weak = (pl.lit(c.value) for c in Confidence)
    none = pl.lit(None, pl.Utf8)
    kind, usable, contained = pl.col("kind"), pl.col("usable"), pl.col("contained")
    understood, broad, has_range = pl.col("understood"), pl.col("broad"), pl.col("has_range")
    identifier = (
        pl.when(pl.col("version_na"))
        .then(
            pl.when(pl.col("version").is_null() | (pl.col("cpart") == "h"))
            .then(strong)
            .otherwise(none)
        )
        .when(~has_range)
        .then(none)
        .when(usable)
        .then(
            pl.when(~contained)
            .then(none)
            .when(~understood)
            .then(weak)
            .when(broad)
            .then(strong)
            .otherwise(exact)
        )
        .when(~broad)
        .then(none)
        .when(understood)
        .then(strong)
        .otherwise(weak)
    )
    name = (
        pl.when(~understood | ~has_range)
        .then(weak)
        .when(usable)
        .then(pl.when(contained).then(strong).otherwise(none))
        .when(broad)
        .then(strong)
        .otherwise(weak)
    )
    return pl.when(kind == "name").then(name).otherwise(identifier)
