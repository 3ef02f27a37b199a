"""Generate an NVD-scale corpus (NVD CVE API 2.0 pages) and matching SBOM components.

Default: 300,000 CVE records with about 1.5 million ``cpeMatch`` entries, written as pages of
2,000 records (``nvd-page-00000.json`` ...), the shape the NVD API returns. Distributions
(ours, chosen to resemble NVD): products from a pool of 150,000 (vendor, product) pairs, 10 %
of matches on 1,000 popular products (about 150 matches each), the rest about 9 per product;
matches per record 1 + Exp(mean 4.8); bounds: 45 % ``versionEndExcluding``, 20 % start+end, 10 %
``versionEndIncluding``, 20 % an exact version in the criterion, 5 % every version; 10 % of
records are firmware-on-hardware AND configurations; CVSS 3.1 base metrics on every record.

    python bench/generate_nvd.py OUT_DIR [--records 300000] [--seed 7]

``components(n, seed)`` gives SBOM components from the same product pool for the scan
benchmarks (imported by bench/portfolio_scan.py and bench/scan_single.py).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

PRODUCTS = 150_000
VENDORS = 30_000
POPULAR = 1_000
PAGE = 2_000
_VECTORS = [
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "CRITICAL"),
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 8.8, "HIGH"),
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5, "HIGH"),
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, "MEDIUM"),
    ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 5.5, "MEDIUM"),
    ("CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1, "LOW"),
]


def product(index: int) -> tuple[str, str, str]:
    """(part, vendor, product) of pool entry ``index``."""
    part = "o" if index % 23 == 0 else "a"
    return part, f"vendor{index % VENDORS}", f"product{index}"


def hardware(index: int) -> tuple[str, str, str]:
    """The hardware a firmware product runs on."""
    return "h", f"vendor{index % VENDORS}", f"device{index % 5000}"


def version(rng: random.Random) -> str:
    """A dotted version."""
    return f"{int(rng.expovariate(0.4))}.{rng.randrange(20)}.{rng.randrange(30)}"


def _cpe(part: str, vendor: str, name: str, ver: str = "*") -> str:
    return f"cpe:2.3:{part}:{vendor}:{name}:{ver}:*:*:*:*:*:*:*"


def _match(rng: random.Random, index: int, vulnerable: bool = True) -> dict[str, Any]:
    part, vendor, name = product(index)
    roll = rng.random()
    low, high = sorted((version(rng), version(rng)), key=lambda v: [int(p) for p in v.split(".")])
    match: dict[str, Any] = {"vulnerable": vulnerable, "criteria": _cpe(part, vendor, name)}
    if roll < 0.45:
        match["versionEndExcluding"] = high
    elif roll < 0.65:
        match["versionStartIncluding"], match["versionEndExcluding"] = low, high
    elif roll < 0.75:
        match["versionEndIncluding"] = high
    elif roll < 0.95:
        match["criteria"] = _cpe(part, vendor, name, version(rng))
    match["matchCriteriaId"] = f"{rng.getrandbits(64):016X}"
    return match


def _popular(rng: random.Random, share: float = 0.10) -> int:
    # ``share`` of picks on 1,000 popular products (kernels, browsers, OpenSSL ...), the rest
    # spread over the pool
    if rng.random() < share:
        return rng.randrange(POPULAR)
    return rng.randrange(PRODUCTS)


def record(rng: random.Random, number: int) -> dict[str, Any]:
    """One NVD API 2.0 ``vulnerabilities[]`` item."""
    cve_id = f"CVE-{2000 + number % 25}-{100000 + number}"
    count = 1 + int(rng.expovariate(0.21))
    if rng.random() < 0.10:
        firmware = rng.randrange(PRODUCTS)
        matches = [_match(rng, firmware) for _ in range(max(1, count - 2))]
        part, vendor, name = hardware(firmware)
        platform = [
            {"vulnerable": False, "criteria": _cpe(part, vendor, name, "-")} for _ in range(2)
        ]
        configurations = [
            {
                "operator": "AND",
                "nodes": [
                    {"operator": "OR", "negate": False, "cpeMatch": matches},
                    {"operator": "OR", "negate": False, "cpeMatch": platform[:1]},
                ],
            }
        ]
    else:
        configurations = [
            {
                "nodes": [
                    {
                        "operator": "OR",
                        "negate": False,
                        "cpeMatch": [_match(rng, _popular(rng)) for _ in range(count)],
                    }
                ]
            }
        ]
    vector, score, severity = rng.choice(_VECTORS)
    return {
        "cve": {
            "id": cve_id,
            "sourceIdentifier": "bench@example.invalid",
            "published": "2024-01-01T00:00:00.000",
            "lastModified": "2024-06-01T00:00:00.000",
            "vulnStatus": "Analyzed",
            "descriptions": [{"lang": "en", "value": f"Generated vulnerability {cve_id}."}],
            "metrics": {
                "cvssMetricV31": [
                    {
                        "source": "nvd@nist.gov",
                        "type": "Primary",
                        "cvssData": {
                            "version": "3.1",
                            "vectorString": vector,
                            "baseScore": score,
                            "baseSeverity": severity,
                        },
                    }
                ]
            },
            "weaknesses": [
                {
                    "source": "nvd@nist.gov",
                    "type": "Primary",
                    "description": [{"lang": "en", "value": "CWE-787"}],
                }
            ],
            "configurations": configurations,
            "references": [],
        }
    }


def components(count: int, seed: int) -> list[tuple[str, str, str | None, str | None]]:
    """``(name, version, purl, cpe)`` of SBOM components.

    50 % carry the CPE of a corpus product (5 % of those a popular one), 15 % the CPE of a
    product without any CVE, 5 % a hardware CPE, 30 % only an npm purl. Component versions
    lean newer than the corpus' bounds (major version three higher on average), as shipped
    software does: about one finding per component results.
    """
    rng = random.Random(seed)
    made: list[tuple[str, str, str | None, str | None]] = []
    for _ in range(count):
        ver = f"{3 + int(rng.expovariate(0.4))}.{rng.randrange(20)}.{rng.randrange(30)}"
        roll = rng.random()
        if roll < 0.50:
            part, vendor, name = product(_popular(rng, 0.05))
            made.append((name, ver, None, _cpe(part, vendor, name, ver)))
        elif roll < 0.65:
            name = f"quiet{rng.randrange(100_000)}"
            made.append((name, ver, None, _cpe("a", f"vendor{rng.randrange(VENDORS)}", name, ver)))
        elif roll < 0.70:
            part, vendor, name = hardware(rng.randrange(PRODUCTS))
            made.append((name, "1.0", None, _cpe(part, vendor, name, "*")))
        else:
            name = f"lib{rng.randrange(50_000)}"
            made.append((name, ver, f"pkg:npm/{name}@{ver}", None))
    return made


def main() -> None:
    """Write the pages."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--records", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    started = time.perf_counter()
    matches = 0
    for start in range(0, args.records, PAGE):
        items = [record(rng, n) for n in range(start, min(args.records, start + PAGE))]
        matches += sum(
            len(node["cpeMatch"])
            for item in items
            for c in item["cve"]["configurations"]
            for node in c["nodes"]
        )
        page = {
            "resultsPerPage": len(items),
            "startIndex": start,
            "totalResults": args.records,
            "format": "NVD_CVE",
            "version": "2.0",
            "timestamp": "2024-06-01T00:00:00.000",
            "vulnerabilities": items,
        }
        (args.out / f"nvd-page-{start // PAGE:05d}.json").write_text(
            json.dumps(page, separators=(",", ":")), encoding="utf-8"
        )
    seconds = time.perf_counter() - started
    print(
        f"wrote {args.records} records, {matches} cpeMatch entries to {args.out} in {seconds:.1f} s"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
