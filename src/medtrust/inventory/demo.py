"""A synthetic hospital installed base: products, versions, lifecycle facts and CMMS rows.

Deterministic for a seed. Manufacturers and models are fictional on purpose (a demo must not
state end-of-support dates, MDS2 answers or SBOM contents for real products); their spellings
are messy the way CMMS data is (upper case, legal forms, typos) so that product linking has work
to do.

Beside them the hospital owns a few devices of real products (:data:`REFERENCE_PRODUCTS`), named
with the manufacturer, product and version of public CISA ICSMA advisories so that real feeds
imported later have something real to match. For these the demo states nothing but that the
fictional hospital has such a device: no MDS2 form, no SBOM, no lifecycle or end-of-support date
and no operating system is created or claimed for them.
"""

from __future__ import annotations

import csv
import io
import random
import zlib
from dataclasses import dataclass
from datetime import date, timedelta

#: canonical name, spellings seen in CMMS exports, model prefix
MAKERS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (
        "Nordlicht Medizintechnik",
        ("NORDLICHT MEDIZINTECHNIK GmbH", "Nordlicht", "Nordlict Medizintechnik"),
        "NL",
    ),
    ("Vitalis Devices", ("VITALIS DEVICES INC.", "Vitalis", "Vitallis Devices"), "VT"),
    (
        "Aurora Infusion Systems",
        ("Aurora Infusion", "AURORA INFUSION SYSTEMS LTD", "Aurorra Infusion"),
        "AU",
    ),
    ("Cardiotek", ("CARDIOTEK AG", "Cardiotek Medical", "Cardiotec"), "CT"),
    ("Lumen Imaging", ("LUMEN IMAGING B.V.", "Lumen Imaging Systems", "Lumen Imagin"), "LM"),
    ("Orbis Lab Systems", ("ORBIS LAB", "Orbis Laboratory Systems", "Orbiss Lab Systems"), "OB"),
    ("Respira Care", ("RESPIRA CARE S.A.", "Respira", "Respira Caer"), "RS"),
    ("Kestrel Surgical", ("KESTREL SURGICAL LLC", "Kestrel", "Kestral Surgical"), "KS"),
    ("Helix Diagnostics", ("HELIX DIAGNOSTICS GMBH", "Helix Diagnostic", "Helix Diagnostcs"), "HX"),
    ("Borealis Care", ("BOREALIS CARE OY", "Borealis", "Boreallis Care"), "BC"),
)
#: kind, clinical use, criticality, typical departments, network zone
KINDS: tuple[tuple[str, str, str, tuple[str, ...], str], ...] = (
    (
        "Infusion pump",
        "infusion therapy",
        "therapeutic",
        ("ICU", "Oncology", "Surgery ward", "Emergency"),
        "MED-INFUSION",
    ),
    (
        "Ventilator",
        "respiratory support",
        "life-sustaining",
        ("ICU", "Neonatology", "Emergency"),
        "MED-ICU",
    ),
    (
        "Patient monitor",
        "vital-signs monitoring",
        "monitoring",
        ("ICU", "Emergency", "Cardiology", "Theatres"),
        "MED-MONITORING",
    ),
    (
        "Ultrasound system",
        "diagnostic imaging",
        "diagnostic",
        ("Radiology", "Cardiology", "Obstetrics"),
        "MED-IMAGING",
    ),
    (
        "Blood gas analyser",
        "point-of-care testing",
        "diagnostic",
        ("ICU", "Emergency", "Laboratory"),
        "MED-LAB",
    ),
    (
        "Anaesthesia workstation",
        "anaesthesia delivery",
        "life-sustaining",
        ("Theatres",),
        "MED-THEATRE",
    ),
    ("Dialysis machine", "haemodialysis", "life-sustaining", ("Dialysis",), "MED-DIALYSIS"),
    ("CT scanner", "computed tomography", "diagnostic", ("Radiology",), "MED-IMAGING"),
    ("ECG cart", "electrocardiography", "diagnostic", ("Cardiology", "Emergency"), "Corporate"),
    (
        "Label printer",
        "specimen labelling",
        "non-clinical",
        ("Laboratory", "Pharmacy"),
        "Corporate",
    ),
)
#: operating systems of product versions (None: an RTOS nobody tracks)
OPERATING_SYSTEMS = (
    "Windows XP Embedded",
    "Windows Embedded Standard 7",
    "Windows 7 Professional SP1",
    "Windows 10 IoT Enterprise LTSC 2019",
    "Windows 10 Enterprise LTSC 2021",
    "CentOS 7.9",
    "Red Hat Enterprise Linux 8",
    "Ubuntu 20.04 LTS",
    "Debian 11",
    None,
    None,
)
SITES = (
    ("Main Campus", ("A", "B", "C")),
    ("North Clinic", ("N1",)),
    ("Children's Hospital", ("K1", "K2")),
)


@dataclass(frozen=True, slots=True)
class DemoVersion:
    """A product version with its lifecycle facts."""

    version: str
    operating_system: str | None
    end_of_support: date | None
    #: "manufacturer" (stored with a reference), "mds2" (stated in the MDS2 notes) or None
    end_source: str | None


@dataclass(frozen=True, slots=True)
class DemoProduct:
    """A fictional device model."""

    manufacturer: str
    spellings: tuple[str, ...]
    model: str
    kind: str
    clinical_use: str
    criticality: str
    departments: tuple[str, ...]
    zone: str
    versions: tuple[DemoVersion, ...]


def demo_products(*, seed: int = 7, count: int = 60) -> list[DemoProduct]:
    """``count`` products spread over the fictional manufacturers and device kinds."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    products = []
    for index in range(count):
        maker, spellings, prefix = MAKERS[index % len(MAKERS)]
        kind, use, criticality, departments, zone = KINDS[
            (index // len(MAKERS) + index) % len(KINDS)
        ]
        model = f"{prefix}-{kind.split()[0][:3].upper()} {100 + 10 * index}"
        versions = []
        for v in range(rng.choice((1, 1, 2, 3))):
            os_name = rng.choice(OPERATING_SYSTEMS)
            roll = rng.random()
            if roll < 0.35:
                source, end = (
                    "manufacturer",
                    date(2019, 1, 31) + timedelta(days=rng.randint(0, 4000)),
                )
            elif roll < 0.55:
                source, end = "mds2", date(2022, 6, 30) + timedelta(days=rng.randint(0, 2500))
            else:
                source, end = None, None
            versions.append(DemoVersion(f"{v + 1}.{rng.randint(0, 9)}", os_name, end, source))
        products.append(
            DemoProduct(
                maker, spellings, model, kind, use, criticality, departments, zone, tuple(versions)
            )
        )
    return products


CMMS_HEADERS = (
    "Inventory No.",
    "Serial No",
    "Manufacturer",
    "Model",
    "SW Version",
    "Operating System",
    "Device Type",
    "Site",
    "Building",
    "Department",
    "Network Zone",
    "VLAN",
    "MAC",
    "IP Address",
    "Hostname",
    "Responsible",
    "Criticality",
    "Status",
)
_STATUSES = ("In Service",) * 17 + ("In Storage", "In Storage", "Decommissioned")


def demo_rows(products: list[DemoProduct], *, assets: int, seed: int = 7) -> list[tuple[str, ...]]:
    """``assets`` CMMS rows (in :data:`CMMS_HEADERS` order) for the products."""
    rng = random.Random(seed * 31 + assets)  # noqa: S311 - demo data, not security
    rows: list[tuple[str, ...]] = []
    for number in range(1, assets + 1):
        product = products[rng.randrange(len(products))]
        version = rng.choice(product.versions)
        maker = product.manufacturer if rng.random() < 0.7 else rng.choice(product.spellings)
        site, buildings = rng.choice(SITES)
        zone = product.zone if rng.random() < 0.85 else "Corporate"
        vlan = str(100 + zlib.crc32(zone.encode()) % 50) if zone != "Corporate" else ""
        mac = "02:" + ":".join(f"{rng.randrange(256):02x}" for _ in range(5))
        ip = f"10.{rng.randrange(1, 40)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        rows.append(
            (
                f"MT-{number:06d}",
                f"{product.model.split()[0]}{rng.randrange(10**7):07d}",
                maker,
                product.model,
                version.version,
                version.operating_system or "",
                product.kind,
                site,
                rng.choice(buildings),
                rng.choice(product.departments),
                zone,
                vlan,
                mac,
                ip,
                f"{product.model.split()[0].lower()}-{number:06d}",
                f"{rng.choice(('Biomed', 'Clinical Engineering', 'IT Medical'))} team",
                product.criticality,
                rng.choice(_STATUSES),
            )
        )
    return rows


def rows_to_csv(
    rows: list[tuple[str, ...]],
    *,
    headers: tuple[str, ...] = CMMS_HEADERS,
    delimiter: str = ";",
    encoding: str = "utf-8",
) -> bytes:
    """Rows as a CMMS-style CSV export."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


@dataclass(frozen=True, slots=True)
class ReferenceProduct:
    """A real product named in a public CISA ICSMA advisory, as the demo hospital owns it.

    ``advisory`` and ``statement`` record where the name and version come from (the advisory's
    CSAF product tree); an empty ``version`` means the advisory covers all versions and the
    CMMS export gives none.
    """

    manufacturer: str
    model: str
    version: str
    advisory: str
    statement: str
    kind: str
    criticality: str
    departments: tuple[str, ...]
    zone: str
    count: int
    #: other manufacturer spellings seen in the CMMS export (same company key)
    spellings: tuple[str, ...] = ()


REFERENCE_PRODUCTS: tuple[ReferenceProduct, ...] = (
    ReferenceProduct(
        "Becton, Dickinson and Company (BD)",
        "Alaris 8015 PC unit",
        "9.5",
        "ICSMA-17-017-02",
        "<= 9.5",
        "Infusion pump",
        "therapeutic",
        ("ICU", "Oncology", "Surgery ward"),
        "MED-INFUSION",
        8,
    ),
    ReferenceProduct(
        "General Electric (GE)",
        "CARESCAPE Telemetry Server",
        "4.2",
        "ICSMA-20-023-01",
        "<= 4.2",
        "Telemetry server",
        "monitoring",
        ("Cardiology", "ICU"),
        "MED-MONITORING",
        3,
    ),
    ReferenceProduct(
        "Medtronic",
        "Valleylab FT10 Energy Platform (VLFT10GEN)",
        "2.0.3",
        "ICSMA-19-311-01",
        "<= 2.0.3",
        "Electrosurgical generator",
        "therapeutic",
        ("Theatres",),
        "MED-THEATRE",
        6,
        ("Medtronic plc",),
    ),
    ReferenceProduct(
        "Philips",
        "IntelliSpace Cardiovascular",
        "2.3.0",
        "ICSMA-17-318-01",
        "<= 2.3.0",
        "Cardiology information system",
        "diagnostic",
        ("Cardiology",),
        "MED-IMAGING",
        3,
        ("PHILIPS Medical Systems",),
    ),
    ReferenceProduct(
        "Philips",
        "Brilliance iCT",
        "3.2.4",
        "ICSMA-18-123-01",
        "<=3.2.4",
        "CT scanner",
        "diagnostic",
        ("Radiology",),
        "MED-IMAGING",
        2,
        ("PHILIPS Medical Systems",),
    ),
    ReferenceProduct(
        "Becton, Dickinson and Company (BD)",
        "BD Pyxis MedStation ES",
        "",
        "ICSMA-22-062-01",
        "vers:all/*",
        "Automated dispensing cabinet",
        "non-clinical",
        ("Pharmacy", "ICU", "Emergency", "Surgery ward"),
        "MED-PHARMACY",
        10,
    ),
    ReferenceProduct(
        "Smiths Medical",
        "Medfusion 4000 Wireless Syringe Infusion Pump",
        "1.6",
        "ICSMA-17-250-02A",
        "1.6",
        "Syringe pump",
        "therapeutic",
        ("Neonatology", "ICU"),
        "MED-INFUSION",
        6,
    ),
)


def reference_rows(*, start: int, seed: int = 7) -> list[tuple[str, ...]]:
    """CMMS rows (in :data:`CMMS_HEADERS` order) for the :data:`REFERENCE_PRODUCTS` devices.

    Inventory numbers continue at ``start``; the operating-system column stays empty.
    """
    rng = random.Random(seed * 37 + start)  # noqa: S311 - demo data, not security
    rows: list[tuple[str, ...]] = []
    number = start
    for product in REFERENCE_PRODUCTS:
        prefix = "".join(word[0] for word in product.model.split() if word[0].isalnum()).upper()
        for index in range(product.count):
            maker = product.manufacturer
            if product.spellings and rng.random() < 0.4:
                maker = rng.choice(product.spellings)
            site, buildings = rng.choice(SITES)
            zone = product.zone
            mac = "02:" + ":".join(f"{rng.randrange(256):02x}" for _ in range(5))
            ip = f"10.{rng.randrange(1, 40)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            rows.append(
                (
                    f"MT-{number:06d}",
                    f"{prefix}{rng.randrange(10**7):07d}",
                    maker,
                    product.model,
                    product.version,
                    "",
                    product.kind,
                    site,
                    rng.choice(buildings),
                    rng.choice(product.departments),
                    zone,
                    str(100 + zlib.crc32(zone.encode()) % 50),
                    mac,
                    ip,
                    f"{prefix.lower()}-{number:06d}",
                    f"{rng.choice(('Biomed', 'Clinical Engineering', 'IT Medical'))} team",
                    product.criticality,
                    _STATUSES[0] if index == 0 else rng.choice(_STATUSES),  # one in service
                )
            )
            number += 1
    return rows
