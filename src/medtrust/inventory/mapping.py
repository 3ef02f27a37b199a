"""Column mappings (source header -> asset field), saved per source and guessed from headers.

A mapping names, for each asset field, the header of the column that fills it; it may also
give constant ``defaults`` (e.g. the site of a single-site export) and ``values`` maps that
translate a source's own vocabulary (``"High" -> "life-sustaining"``). The guesser scores
every (column, field) pair from the header words and, where the header says nothing, from what
the sampled values look like (MAC or IP addresses), then assigns greedily, best score first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from medtrust.inventory.errors import InventoryInputError
from medtrust.inventory.fields import SYNONYMS, AssetField, header_key
from medtrust.inventory.normalise import looks_like_ip, looks_like_mac

#: a guess below this score leaves the column unmapped
MIN_SCORE = 50
_EXACT = 100
_SNIFFED = 75
_FUZZY_RATIO = 0.82
_SNIFF_SHARE = 0.8
_FIELD_ORDER = {f: i for i, f in enumerate(AssetField)}


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Which source column fills which asset field, plus defaults and value translations."""

    columns: tuple[tuple[AssetField, str], ...] = ()
    defaults: tuple[tuple[AssetField, str], ...] = ()
    values: tuple[tuple[AssetField, tuple[tuple[str, str], ...]], ...] = ()

    @classmethod
    def build(
        cls,
        columns: Mapping[AssetField, str],
        defaults: Mapping[AssetField, str] | None = None,
        values: Mapping[AssetField, Mapping[str, str]] | None = None,
    ) -> ColumnMapping:
        """A mapping in canonical (field) order."""

        def order(items: Any) -> Any:
            return tuple(sorted(items, key=lambda kv: _FIELD_ORDER[kv[0]]))

        return cls(
            columns=order((f, h) for f, h in columns.items() if h),
            defaults=order((f, v) for f, v in (defaults or {}).items() if v),
            values=order(
                (f, tuple(sorted((header_key(k), v) for k, v in m.items())))
                for f, m in (values or {}).items()
                if m
            ),
        )

    def column_for(self, field: AssetField) -> str | None:
        """The header mapped to ``field``, if any."""
        return next((h for f, h in self.columns if f is field), None)

    def default_for(self, field: AssetField) -> str | None:
        """The constant value for ``field``, if any."""
        return next((v for f, v in self.defaults if f is field), None)

    def value_map(self, field: AssetField) -> dict[str, str]:
        """Source value (header-folded) -> canonical value, for ``field``."""
        return next((dict(m) for f, m in self.values if f is field), {})

    def missing_headers(self, headers: Sequence[str]) -> list[str]:
        """Mapped headers that the file does not have (compared case- and space-insensitively)."""
        present = {header_key(h) for h in headers}
        return sorted(h for _, h in self.columns if header_key(h) not in present)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (also the ``--mapping`` file format)."""
        return {
            "columns": {f.value: h for f, h in self.columns},
            "defaults": {f.value: v for f, v in self.defaults},
            "values": {f.value: dict(m) for f, m in self.values},
        }

    @classmethod
    def from_dict(cls, data: object) -> ColumnMapping:
        """Parse :meth:`to_dict` output; unknown fields raise :class:`InventoryInputError`."""
        if not isinstance(data, Mapping):
            raise InventoryInputError("a column mapping must be an object with 'columns'")
        unknown = sorted(set(data) - {"columns", "defaults", "values"})
        if unknown:
            raise InventoryInputError(f"unknown key(s) in column mapping: {', '.join(unknown)}")
        columns = _field_dict(data.get("columns", {}), "columns")
        defaults = _field_dict(data.get("defaults", {}), "defaults")
        raw_values = data.get("values", {})
        if not isinstance(raw_values, Mapping):
            raise InventoryInputError("column mapping 'values' must be an object")
        values = {_field(k, "values"): _str_dict(v, f"values.{k}") for k, v in raw_values.items()}
        return cls.build(columns, defaults, values)


def _field(name: object, where: str) -> AssetField:
    try:
        return AssetField(str(name))
    except ValueError:
        known = ", ".join(f.value for f in AssetField)
        raise InventoryInputError(
            f"column mapping {where}: unknown field {name!r} (known: {known})"
        ) from None


def _str_dict(raw: object, where: str) -> dict[str, str]:
    if not isinstance(raw, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
    ):
        raise InventoryInputError(f"column mapping {where} must map text to text")
    return dict(raw)


def _field_dict(raw: object, where: str) -> dict[AssetField, str]:
    return {_field(k, where): v for k, v in _str_dict(raw, where).items()}


@dataclass(frozen=True, slots=True)
class ColumnGuess:
    """What the guesser decided for one column, and why."""

    header: str
    field: AssetField | None
    score: int
    reason: str


@lru_cache(maxsize=4096)
def _header_score(key: str, field: AssetField, fuzzy: bool = True) -> tuple[int, str]:
    best = (0, "")
    words = f" {key} "
    for synonym in SYNONYMS[field]:
        if key == synonym:
            return _EXACT, f"header equals {synonym!r}"
        if f" {synonym} " in words:
            score = 60 + round(30 * len(synonym) / max(len(key), 1))
            if score > best[0]:
                best = (score, f"header contains {synonym!r}")
            continue
        if not fuzzy:
            continue
        matcher = SequenceMatcher(None, key, synonym)
        if matcher.real_quick_ratio() < _FUZZY_RATIO or matcher.quick_ratio() < _FUZZY_RATIO:
            continue  # cheap upper bounds first
        ratio = matcher.ratio()
        if ratio >= _FUZZY_RATIO and round(ratio * 70) > best[0]:
            best = (round(ratio * 70), f"header resembles {synonym!r} ({ratio:.0%})")
    return best


def _sniff(values: Sequence[str]) -> tuple[AssetField, str] | None:
    filled = [v for v in values if v and v.strip()]
    if len(filled) < 2:
        return None
    for field, test, what in (
        (AssetField.MAC_ADDRESS, looks_like_mac, "MAC addresses"),
        (AssetField.IP_ADDRESS, looks_like_ip, "IP addresses"),
    ):
        share = sum(1 for v in filled if test(v)) / len(filled)
        if share >= _SNIFF_SHARE:
            return field, f"{share:.0%} of sampled values are {what}"
    return None


def guess_mapping(
    headers: Sequence[str], samples: Sequence[Sequence[str | None]] = (), *, fuzzy: bool = True
) -> tuple[ColumnMapping, tuple[ColumnGuess, ...]]:
    """Guess a mapping from headers (and sample rows); one guess per column, in column order.

    ``fuzzy=False`` scores exact and contained synonyms only (fast: used to find the header
    row among the first rows of a file).
    """
    candidates: list[tuple[int, int, int, AssetField, str]] = []
    for index, header in enumerate(headers):
        key = header_key(header)
        for field in AssetField:
            score, reason = _header_score(key, field, fuzzy) if key else (0, "")
            if score:
                candidates.append((-score, index, _FIELD_ORDER[field], field, reason))
        column_values = [str(row[index] or "") for row in samples if index < len(row)]
        sniffed = _sniff(column_values)
        if sniffed is not None:
            candidates.append((-_SNIFFED, index, _FIELD_ORDER[sniffed[0]], *sniffed))
    taken_columns: dict[int, tuple[AssetField, int, str]] = {}
    taken_fields: set[AssetField] = set()
    for neg_score, index, _order, field, reason in sorted(candidates):
        if -neg_score < MIN_SCORE or index in taken_columns or field in taken_fields:
            continue
        taken_columns[index] = (field, -neg_score, reason)
        taken_fields.add(field)
    guesses = []
    for index, header in enumerate(headers):
        if index in taken_columns:
            field, score, reason = taken_columns[index]
            guesses.append(ColumnGuess(header, field, score, reason))
        else:
            guesses.append(ColumnGuess(header, None, 0, "no field matches this header"))
    mapping = ColumnMapping.build({g.field: g.header for g in guesses if g.field is not None})
    return mapping, tuple(guesses)
