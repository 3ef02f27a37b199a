"""Fictional security advisories for the demo hospital: CSAF 2.0, a KEV catalog and EPSS scores.

Twelve CSAF 2.0 ``csaf_security_advisory`` documents name the fictional demo manufacturers'
products (:mod:`medtrust.inventory.demo`) the ways real advisories do, so the matcher links them
with every confidence: a vendor and product name with an understood version statement
(``<= 1.4``, ``vers:generic/<2.0``, ``1.x``, ``prior to 2.3``: *strong*), a purl or CPE in the
product identification helper (*exact*), and a statement the matcher cannot read (*weak*). The
status buckets used are ``known_affected``, ``fixed``, ``known_not_affected`` and
``under_investigation``; remediations are vendor fixes, mitigations, workarounds and "no fix
planned". A KEV-format catalog lists three of the vulnerabilities and an EPSS-format CSV scores
all of them.

Identifiers are chosen never to collide with real ones: each vulnerability has a ``CVE-2099-NNNN``
id (the EPSS and KEV formats and readers require the CVE shape, and no real CVE carries the year
2099) and a ``DEMO-2026-NNNN`` id of the system ``medtrust-demo``; advisories are
``DEMO-SA-2026-NNN``. Every title, note and catalog entry says it is fictional. Sources for the
formats: OASIS CSAF 2.0 (sections 3.1-3.2, profile 4.5), the CISA KEV JSON schema, and FIRST's
EPSS data files (``#model_version:...,score_date:...`` then ``cve,epss,percentile``).

The vulnerabilities are data: ``data/demo-flaws.yaml`` (JSON Schema
``data/demo-flaws.schema.json``), validated by :class:`DemoFlawsFile` and loaded once by
:func:`demo_flaws` (``FLAWS``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from medtrust.errors import CatalogError
from medtrust.inventory.demo import DemoProduct
from medtrust.inventory.demo_flaws import DEMO_FLAWS_FILE, FLAWS, DemoFlaw
from medtrust.inventory.demo_sboms import firmware_cpe, firmware_purl, slug

FICTION = "Fictional advisory for the medtrust demo"
FICTION_NOTE = (
    f"{FICTION}: the manufacturer, product, vulnerability and identifiers are invented to show "
    "how medtrust matches advisories to an installed base. They describe no real product."
)
ID_SYSTEM = "medtrust-demo"
CSAF_DIR = "csaf"
KEV_FILE = "demo-known-exploited-vulnerabilities.json"
EPSS_FILE = "demo-epss-scores.csv"
#: when the fictional catalog and scores were "released"
CATALOG_DATE = date(2026, 10, 1)


#: the fictional vulnerabilities by number (``data/demo-flaws.yaml``)
_FLAWS = {flaw.number: flaw for flaw in FLAWS}


@dataclass(frozen=True, slots=True)
class _Entry:
    """One product of an advisory's product tree and the bucket it is in."""

    product: DemoProduct
    vendor: str
    category: str  # product_version or product_version_range
    statement: str
    bucket: str
    helper: dict[str, Any] | None = None
    flag: str | None = None


@dataclass(frozen=True, slots=True)
class _Plan:
    """What one fictional advisory says."""

    flaws: tuple[int, ...]
    entries: tuple[_Entry, ...]
    remediations: tuple[tuple[str, str, str], ...]  # (category, details, bucket it applies to)
    published: date


def _sorted_versions(product: DemoProduct) -> list[str]:
    def key(text: str) -> tuple[int, ...]:
        return tuple(int(part) if part.isdigit() else -1 for part in text.split("."))

    return sorted((v.version for v in product.versions), key=key)


def _bump(version: str) -> str:
    """The next minor release: ``1.4`` -> ``1.5``; ``1.9`` -> ``1.10``."""
    head, _, last = version.rpartition(".")
    return f"{head}.{int(last) + 1}" if last.isdigit() and head else f"{version}.1"


def _old_new(product: DemoProduct) -> tuple[str, str]:
    """The newest affected version and the fixed one (newest installed, or the next release)."""
    versions = _sorted_versions(product)
    if len(versions) > 1:
        return versions[-2], versions[-1]
    return versions[-1], _bump(versions[-1])


class _Picker:
    """Hands out products for the advisories, spreading them over manufacturers."""

    def __init__(self, products: Sequence[DemoProduct]) -> None:
        self.products = list(products)
        self.used: set[int] = set()
        self.makers: set[str] = set()

    def take(
        self, *, multi: bool = False, single: bool = False, legal_form: bool = False
    ) -> DemoProduct:
        """The first unused product of the wanted kind, preferring an unused manufacturer."""

        def fits(index: int, product: DemoProduct) -> bool:
            count = len(product.versions)
            wanted = (not multi or count > 1) and (not single or count == 1)
            return wanted and (not legal_form or _legal_spelling(product) is not None)

        candidates = [
            (i, p) for i, p in enumerate(self.products) if i not in self.used and fits(i, p)
        ]
        if not candidates:  # too few of the wanted kind: any unused product will do
            candidates = [(i, p) for i, p in enumerate(self.products) if i not in self.used]
        fresh = [(i, p) for i, p in candidates if p.manufacturer not in self.makers]
        index, product = (fresh or candidates)[0]
        self.used.add(index)
        self.makers.add(product.manufacturer)
        return product

    def sibling(self, of: DemoProduct) -> DemoProduct | None:
        """Another unused product of the same manufacturer."""
        for index, product in enumerate(self.products):
            if index not in self.used and product.manufacturer == of.manufacturer:
                self.used.add(index)
                return product
        return None


#: legal forms every name normaliser drops (``S.A.``, ``B.V.`` are not dropped by all)
_LEGAL_FORMS = frozenset({"gmbh", "inc", "ltd", "llc", "ag"})


def _legal_spelling(product: DemoProduct) -> str | None:
    """A CMMS spelling of the manufacturer with a legal form (``CARDIOTEK AG``), if any."""
    for spelling in product.spellings:
        words = spelling.replace(".", " ").split()
        if len(words) > 1 and words[-1].lower() in _LEGAL_FORMS:
            return spelling
    return None


_FIX = "vendor_fix"
_MITIGATE = "mitigation"
_SEGMENT = (
    "Keep the device in its segmented medical network zone and allow only the central station "
    "and the manufacturer's service gateway to reach it."
)


def _entry(
    product: DemoProduct,
    statement: str,
    bucket: str,
    *,
    exact: bool = False,
    vendor: str | None = None,
    helper: dict[str, Any] | None = None,
    flag: str | None = None,
) -> _Entry:
    """A product_version (``exact``) or product_version_range branch entry."""
    category = "product_version" if exact else "product_version_range"
    maker = vendor or product.manufacturer
    return _Entry(product, maker, category, statement, bucket, helper, flag)


def _plans(products: Sequence[DemoProduct]) -> list[_Plan]:
    """The twelve advisories: which products, statements, buckets and remediations."""
    pick = _Picker(products)
    plans: list[_Plan] = []

    # 1: "<= x" (strong) with the newest version fixed
    a = pick.take(multi=True)
    old, new = _old_new(a)
    plans.append(
        _Plan(
            (1,),
            (_entry(a, f"<= {old}", "known_affected"), _entry(a, new, "fixed", exact=True)),
            ((_FIX, f"Update to version {new} or later.", "known_affected"),),
            date(2026, 3, 10),
        )
    )
    # 2: a vers range, the vendor named with its legal form as in CMMS exports (strong)
    b = pick.take(multi=True, legal_form=True)
    old, new = _old_new(b)
    spelling = _legal_spelling(b) or b.manufacturer.upper()
    plans.append(
        _Plan(
            (2, 10),
            (
                _entry(b, f"vers:generic/<{new}", "known_affected", vendor=spelling),
                _entry(b, new, "fixed", exact=True, vendor=spelling),
            ),
            (
                (_FIX, f"Update to version {new}.", "known_affected"),
                (
                    _MITIGATE,
                    "Disable the web management interface until updated.",
                    "known_affected",
                ),
            ),
            date(2026, 4, 21),
        )
    )
    # 3: identified by purl (exact)
    c = pick.take(multi=True)
    old, new = _old_new(c)
    plans.append(
        _Plan(
            (4,),
            (
                _entry(
                    c,
                    f"vers:generic/<{new}",
                    "known_affected",
                    helper={"purl": firmware_purl(c.manufacturer, c.model)},
                ),
                _entry(
                    c,
                    new,
                    "fixed",
                    exact=True,
                    helper={"purl": firmware_purl(c.manufacturer, c.model, new)},
                ),
            ),
            ((_FIX, f"Update to version {new}.", "known_affected"),),
            date(2026, 5, 5),
        )
    )
    # 4: identified by CPE with a version (exact)
    d = pick.take(single=True)
    version = _sorted_versions(d)[-1]
    fixed = _bump(version)
    plans.append(
        _Plan(
            (5,),
            (
                _entry(
                    d,
                    version,
                    "known_affected",
                    exact=True,
                    helper={"cpe": firmware_cpe(d.manufacturer, d.model, version)},
                ),
                _entry(
                    d,
                    fixed,
                    "fixed",
                    exact=True,
                    helper={"cpe": firmware_cpe(d.manufacturer, d.model, fixed)},
                ),
            ),
            ((_FIX, f"Update to version {fixed}.", "known_affected"),),
            date(2026, 5, 26),
        )
    )
    # 5: a statement the matcher cannot read (weak)
    e = pick.take()
    plans.append(
        _Plan(
            (6, 3),
            (
                _entry(
                    e,
                    "all versions before the spring 2026 maintenance release",
                    "known_affected",
                ),
            ),
            (
                (_FIX, "Install the spring 2026 maintenance release.", "known_affected"),
                (_MITIGATE, _SEGMENT, "known_affected"),
            ),
            date(2026, 6, 16),
        )
    )
    # 6: every version, no fix planned (strong, all versions); a local attack
    f = pick.take()
    plans.append(
        _Plan(
            (7,),
            (_entry(f, "vers:all/*", "known_affected"),),
            (
                ("no_fix_planned", "The product line is at end of support.", "known_affected"),
                (
                    "workaround",
                    "Use the locked-down clinical user profile; remove local administrator "
                    "rights from shared accounts.",
                    "known_affected",
                ),
            ),
            date(2026, 7, 7),
        )
    )
    # 7: one exact version in a product_version branch (strong); a physical attack
    g = pick.take(single=True)
    version = _sorted_versions(g)[-1]
    plans.append(
        _Plan(
            (8,),
            (_entry(g, version, "known_affected", exact=True),),
            (
                (
                    "workaround",
                    "Seal the service port and restrict physical access.",
                    "known_affected",
                ),
                (_FIX, f"Update to version {_bump(version)}.", "known_affected"),
            ),
            date(2026, 7, 28),
        )
    )
    # 8: two products of one manufacturer, one affected ("x and prior"), one not affected
    h = pick.take()
    sibling = pick.sibling(h)
    old, new = _old_new(h)
    entries = [_entry(h, f"{old} and prior", "known_affected")]
    if sibling is not None:
        entries.append(
            _entry(sibling, "vers:all/*", "known_not_affected", flag="vulnerable_code_not_present")
        )
    plans.append(
        _Plan(
            (11,),
            tuple(entries),
            (
                (_FIX, f"Update to version {new}.", "known_affected"),
                (_MITIGATE, _SEGMENT, "known_affected"),
            ),
            date(2026, 9, 1),
        )
    )
    # 9: fixed in every installed version
    i = pick.take()
    first = _sorted_versions(i)[0]
    plans.append(
        _Plan(
            (12,),
            (
                _entry(i, f"< {first}", "known_affected"),
                _entry(i, f">= {first}", "fixed"),
            ),
            ((_FIX, f"Version {first} and later contain the fix.", "known_affected"),),
            date(2026, 9, 15),
        )
    )
    # 10: under investigation
    j = pick.take()
    plans.append(
        _Plan(
            (13,),
            (_entry(j, "vers:all/*", "under_investigation"),),
            (
                (
                    "none_available",
                    "The manufacturer is investigating; this advisory will be updated.",
                    "under_investigation",
                ),
            ),
            date(2026, 10, 6),
        )
    )
    # 11: "prior to x" (strong) with the newest version fixed
    k = pick.take(multi=True)
    old, new = _old_new(k)
    plans.append(
        _Plan(
            (9, 14),
            (_entry(k, f"prior to {new}", "known_affected"), _entry(k, new, "fixed", exact=True)),
            (
                (_FIX, f"Update to version {new}.", "known_affected"),
                (_MITIGATE, "Disable Telnet in the service menu.", "known_affected"),
            ),
            date(2026, 10, 20),
        )
    )
    # 12: a wildcard ("1.x") covering the oldest version line; the shared module's flaw again
    m = pick.take(multi=True)
    versions = _sorted_versions(m)
    line = versions[0].split(".")[0]
    newer = [v for v in versions if v.split(".")[0] != line]
    fixed = newer[0] if newer else f"{int(line) + 1}.0"
    plans.append(
        _Plan(
            (3, 15),
            (_entry(m, f"{line}.x", "known_affected"), _entry(m, fixed, "fixed", exact=True)),
            (
                (_FIX, f"Update to version {fixed}.", "known_affected"),
                (_MITIGATE, _SEGMENT, "known_affected"),
            ),
            date(2026, 11, 3),
        )
    )
    return plans


def _branches(entries: Sequence[tuple[str, _Entry]]) -> list[dict[str, Any]]:
    """Vendor -> product name -> version branches, in first-seen order."""
    vendors: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for product_id, entry in entries:
        leaf: dict[str, Any] = {
            "product_id": product_id,
            "name": f"{entry.vendor} {entry.product.model} {entry.statement}",
        }
        if entry.helper:
            leaf["product_identification_helper"] = entry.helper
        versions = vendors.setdefault(entry.vendor, {}).setdefault(entry.product.model, [])
        versions.append({"category": entry.category, "name": entry.statement, "product": leaf})
    return [
        {
            "category": "vendor",
            "name": vendor,
            "branches": [
                {"category": "product_name", "name": model, "branches": versions}
                for model, versions in models.items()
            ],
        }
        for vendor, models in vendors.items()
    ]


def _flaw(number: int) -> DemoFlaw:
    """The flaw an advisory plan names; a one-line error when the data file lacks it."""
    found = _FLAWS.get(number)
    if found is None:
        raise CatalogError(
            f"{DEMO_FLAWS_FILE}: no flaw number {number}, which the demo advisories name"
        )
    return found


def _csaf(number: int, plan: _Plan) -> dict[str, Any]:
    ids = [(f"CSAFPID-{n + 1:04d}", entry) for n, entry in enumerate(plan.entries)]
    main = plan.entries[0]
    maker, model = main.product.manufacturer, main.product.model
    tracking_id = f"DEMO-SA-2026-{number:03d}"
    flaws = [_flaw(n) for n in plan.flaws]
    day = plan.published.isoformat() + "T08:00:00.000Z"
    host = f"psirt.{slug(maker)}.example"
    buckets: dict[str, list[str]] = {}
    for product_id, entry in ids:
        buckets.setdefault(entry.bucket, []).append(product_id)
    affected = buckets.get("known_affected", []) + buckets.get("under_investigation", [])
    vulnerabilities = []
    for flaw in flaws:
        vulnerability: dict[str, Any] = {
            "cve": flaw.cve,
            "ids": [{"system_name": ID_SYSTEM, "text": flaw.demo_id}],
            "title": flaw.title,
            "cwe": {"id": flaw.cwe[0], "name": flaw.cwe[1]},
            "release_date": day,
            "notes": [
                {
                    "category": "description",
                    "title": "Vulnerability description",
                    "text": f"{flaw.description} {FICTION}.",
                }
            ],
            "product_status": {bucket: sorted(pids) for bucket, pids in sorted(buckets.items())},
            "scores": [{"cvss_v3": flaw.cvss(), "products": sorted(affected)}],
            "remediations": [
                {"category": category, "details": details, "product_ids": buckets[bucket]}
                for category, details, bucket in plan.remediations
                if bucket in buckets
            ],
        }
        flags = [
            {"label": entry.flag, "product_ids": [product_id]}
            for product_id, entry in ids
            if entry.flag
        ]
        if flags:
            vulnerability["flags"] = flags
        if flaw.kev_added is not None:
            vulnerability["threats"] = [
                {
                    "category": "exploit_status",
                    "details": "Exploited in the wild (fictional, for the medtrust demo).",
                    "date": flaw.kev_added.isoformat() + "T00:00:00.000Z",
                }
            ]
        vulnerabilities.append(vulnerability)
    title = f"{FICTION}: {maker} {model} - " + "; ".join(f.title for f in flaws)
    return {
        "document": {
            "category": "csaf_security_advisory",
            "csaf_version": "2.0",
            "title": title,
            "lang": "en",
            "publisher": {
                "category": "vendor",
                "name": maker,
                "namespace": f"https://{host}",
                "contact_details": f"psirt@{host}",
            },
            "distribution": {"text": FICTION_NOTE, "tlp": {"label": "WHITE"}},
            "notes": [
                {"category": "summary", "title": "Summary", "text": f"{title}."},
                {"category": "legal_disclaimer", "title": FICTION, "text": FICTION_NOTE},
            ],
            "references": [
                {
                    "category": "self",
                    "summary": f"{tracking_id} ({FICTION.lower()})",
                    "url": f"https://{host}/advisories/{tracking_id.lower()}.json",
                }
            ],
            "tracking": {
                "id": tracking_id,
                "status": "final",
                "version": "1",
                "initial_release_date": day,
                "current_release_date": day,
                "revision_history": [
                    {"date": day, "number": "1", "summary": f"Initial release ({FICTION.lower()})."}
                ],
                "generator": {"engine": {"name": "medtrust demo advisory generator"}},
            },
        },
        "product_tree": {"branches": _branches(ids)},
        "vulnerabilities": vulnerabilities,
    }


def demo_advisories(products: Sequence[DemoProduct]) -> list[dict[str, Any]]:
    """The twelve fictional CSAF 2.0 advisories about the demo products (deterministic)."""
    return [_csaf(n, plan) for n, plan in enumerate(_plans(products), start=1)]


def demo_kev(products: Sequence[DemoProduct]) -> dict[str, Any]:
    """A CISA-KEV-format catalog of the fictional vulnerabilities marked exploited."""
    named: dict[int, DemoProduct] = {}
    for plan in _plans(products):
        for number in plan.flaws:
            named.setdefault(number, plan.entries[0].product)
    entries = []
    for flaw in FLAWS:
        if flaw.kev_added is None or flaw.number not in named:
            continue
        product = named[flaw.number]
        entries.append(
            {
                "cveID": flaw.cve,
                "vendorProject": product.manufacturer,
                "product": product.model,
                "vulnerabilityName": f"{product.manufacturer} {product.model} {flaw.title}",
                "dateAdded": flaw.kev_added.isoformat(),
                "shortDescription": f"{flaw.description} {FICTION}.",
                "requiredAction": "Apply the manufacturer's update or mitigations (fictional).",
                "dueDate": date.fromordinal(flaw.kev_added.toordinal() + 21).isoformat(),
                "knownRansomwareCampaignUse": "Unknown",
                "notes": f"{FICTION_NOTE} Demo id {flaw.demo_id}.",
                "cwes": [flaw.cwe[0]],
            }
        )
    return {
        "title": f"CISA Catalog of Known Exploited Vulnerabilities ({FICTION.lower()})",
        "catalogVersion": CATALOG_DATE.strftime("%Y.%m.%d"),
        "dateReleased": CATALOG_DATE.isoformat() + "T00:00:00.000Z",
        "count": len(entries),
        "vulnerabilities": entries,
    }


def demo_epss() -> str:
    """A FIRST-EPSS-format CSV scoring every fictional vulnerability."""
    ranked = sorted(flaw.epss for flaw in FLAWS)
    lines = [
        f"#model_version:medtrust-demo-fictional,score_date:{CATALOG_DATE.isoformat()}T00:00:00Z",
        "cve,epss,percentile",
    ]
    for flaw in FLAWS:
        # a made-up percentile that rises with the score, like FIRST's
        percentile = 0.5 + 0.49 * ranked.index(flaw.epss) / (len(ranked) - 1)
        lines.append(f"{flaw.cve},{flaw.epss:.5f},{percentile:.5f}")
    return "\n".join(lines) + "\n"


def write_demo_feeds(directory: Path, products: Sequence[DemoProduct]) -> list[Path]:
    """Write the advisories, the KEV catalog and the EPSS scores under ``directory``."""
    csaf_dir = directory / CSAF_DIR
    csaf_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for advisory in demo_advisories(products):
        path = csaf_dir / f"{advisory['document']['tracking']['id'].lower()}.json"
        path.write_text(json.dumps(advisory, indent=2, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    kev = directory / KEV_FILE
    kev.write_text(json.dumps(demo_kev(products), indent=2, ensure_ascii=False), encoding="utf-8")
    epss = directory / EPSS_FILE
    epss.write_text(demo_epss(), encoding="utf-8")
    return [*paths, kev, epss]
