"""Generate a CMMS-style asset export for the import benchmarks and for trying imports by hand.

Rows come from the demo hospital generator (fictional manufacturers, messy spellings); with
``--dirty`` a share of rows is spoiled the way real exports are: exact duplicates, conflicting
duplicates, malformed MAC addresses, formula-like cells and placeholder serials.

Usage: python bench/generate_cmms.py --rows 100000 --out /tmp/cmms.csv
                                     [--encoding utf-8|cp1252|utf-16] [--dirty 0.02] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from medtrust.inventory.demo import demo_products, demo_rows, rows_to_csv


def dirty_rows(rows: list[tuple[str, ...]], share: float, seed: int) -> list[tuple[str, ...]]:
    """Spoil ``share`` of the rows (deterministic for the seed)."""
    rng = random.Random(seed)
    out = list(rows)
    for index in range(len(out)):
        if rng.random() >= share:
            continue
        row = list(out[index])
        kind = rng.randrange(5)
        if kind == 0:
            out.append(tuple(row))  # exact duplicate
        elif kind == 1:
            row[4] = row[4] + "-b"
            out.append(tuple(row))  # conflicting duplicate (same tag, other version)
        elif kind == 2:
            row[12] = "zz:zz"  # malformed MAC
            out[index] = tuple(row)
        elif kind == 3:
            row[14] = "=cmd|' /C calc'!A0"  # formula-like host name
            out[index] = tuple(row)
        else:
            row[1] = "n/a"  # placeholder serial (asset tag still identifies)
            out[index] = tuple(row)
    return out


def generate(rows: int, *, seed: int = 7, dirty: float = 0.0, encoding: str = "utf-8") -> bytes:
    """The export as bytes."""
    data = demo_rows(demo_products(seed=seed), assets=rows, seed=seed)
    if dirty:
        data = dirty_rows(data, dirty, seed)
    return rows_to_csv(data, encoding=encoding)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--encoding", default="utf-8")
    parser.add_argument("--dirty", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    content = generate(args.rows, seed=args.seed, dirty=args.dirty, encoding=args.encoding)
    args.out.write_bytes(content)
    print(f"wrote {args.out} ({len(content):,} bytes, {args.rows:,} assets)")


if __name__ == "__main__":
    main()
