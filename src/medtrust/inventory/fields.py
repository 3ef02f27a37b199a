"""The asset fields an import can fill, and the header words CMMS exports use for them.

Synonyms cover English, German and French exports of common asset-management and CMMS
systems; they are matched after :func:`header_key` folds case, accents and punctuation.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from functools import lru_cache


class AssetField(StrEnum):
    """A target field of the import, in the order shown to users."""

    ASSET_TAG = "asset_tag"
    SERIAL_NUMBER = "serial_number"
    MAC_ADDRESS = "mac_address"
    IP_ADDRESS = "ip_address"
    HOSTNAME = "hostname"
    MANUFACTURER = "manufacturer"
    MODEL = "model"
    SOFTWARE_VERSION = "software_version"
    OPERATING_SYSTEM = "operating_system"
    UDI_DI = "udi_di"
    SITE = "site"
    BUILDING = "building"
    DEPARTMENT = "department"
    NETWORK_ZONE = "network_zone"
    VLAN = "vlan"
    OWNER = "owner"
    CLINICAL_USE = "clinical_use"
    CRITICALITY = "criticality"
    STATUS = "status"

    @property
    def label(self) -> str:
        """Human label, e.g. ``Serial number``."""
        return _LABELS.get(self, self.value.replace("_", " ").capitalize())


_LABELS = {
    AssetField.MAC_ADDRESS: "MAC address",
    AssetField.IP_ADDRESS: "IP address",
    AssetField.UDI_DI: "UDI-DI",
    AssetField.VLAN: "VLAN",
}

#: fields that identify an asset across imports (de-duplication keys), strongest first
IDENTITY_FIELDS = (AssetField.ASSET_TAG, AssetField.SERIAL_NUMBER, AssetField.MAC_ADDRESS)

#: largest stored length per field (longer values are rejected, never truncated)
MAX_LENGTH: dict[AssetField, int] = {
    AssetField.ASSET_TAG: 100,
    AssetField.SERIAL_NUMBER: 100,
    AssetField.MAC_ADDRESS: 17,
    AssetField.IP_ADDRESS: 45,
    AssetField.HOSTNAME: 253,
    AssetField.MANUFACTURER: 200,
    AssetField.MODEL: 200,
    AssetField.SOFTWARE_VERSION: 100,
    AssetField.OPERATING_SYSTEM: 100,
    AssetField.UDI_DI: 100,
    AssetField.SITE: 120,
    AssetField.BUILDING: 120,
    AssetField.DEPARTMENT: 120,
    AssetField.NETWORK_ZONE: 120,
    AssetField.VLAN: 40,
    AssetField.OWNER: 200,
    AssetField.CLINICAL_USE: 200,
    AssetField.CRITICALITY: 40,
    AssetField.STATUS: 40,
}

# fmt: off
SYNONYMS: dict[AssetField, tuple[str, ...]] = {
    AssetField.ASSET_TAG: (
        "asset tag", "asset id", "asset no", "asset number", "asset nr", "asset", "tag",
        "tag number", "inventory number", "inventory no", "inventory id", "inventory nr",
        "equipment number", "equipment no", "equipment id", "equip no", "control number",
        "control no", "cmms id", "device id", "barcode", "inventarnummer", "inventar nr",
        "inventarnr", "numero inventaire", "n inventaire", "no inventaire", "num inventaire",
    ),
    AssetField.SERIAL_NUMBER: (
        "serial", "serial number", "serial no", "serial nr", "s n", "sn", "serialnumber",
        "device serial", "seriennummer", "serien nr", "numero de serie", "n serie", "no serie",
    ),
    AssetField.MAC_ADDRESS: (
        "mac", "mac address", "mac addr", "macaddress", "hw address", "hardware address",
        "ethernet address", "physical address", "mac adresse", "adresse mac",
    ),
    AssetField.IP_ADDRESS: (
        "ip", "ip address", "ip addr", "ipaddress", "ipv4", "ipv4 address", "ipv6",
        "ip adresse", "adresse ip", "network address",
    ),
    AssetField.HOSTNAME: (
        "hostname", "host name", "host", "dns name", "computer name", "netbios name", "fqdn",
        "network name", "device name", "rechnername", "nom d hote", "nom machine",
    ),
    AssetField.MANUFACTURER: (
        "manufacturer", "manufacturer name", "make", "vendor", "mfr", "mfg", "brand", "maker",
        "hersteller", "fabricant", "marque", "fabrikat",
    ),
    AssetField.MODEL: (
        "model", "model name", "model number", "model no", "device model", "product",
        "product name", "modell", "modele", "typ", "type designation", "typbezeichnung",
    ),
    AssetField.SOFTWARE_VERSION: (
        "software version", "sw version", "software", "firmware", "firmware version",
        "fw version", "fw", "version", "software rev", "software revision", "sw rev",
        "softwarestand", "softwareversion", "version logicielle", "version du logiciel",
    ),
    AssetField.OPERATING_SYSTEM: (
        "os", "operating system", "os version", "os name", "platform", "betriebssystem",
        "systeme d exploitation", "se",
    ),
    AssetField.UDI_DI: ("udi", "udi di", "udidi", "gtin", "primary di", "device identifier"),
    AssetField.SITE: (
        "site", "campus", "facility", "hospital", "location site", "standort", "klinikum",
        "etablissement", "site name",
    ),
    AssetField.BUILDING: ("building", "bldg", "building name", "gebaude", "haus", "batiment"),
    AssetField.DEPARTMENT: (
        "department", "dept", "ward", "unit", "clinical department", "department name",
        "location", "room", "abteilung", "station", "klinik", "service", "unite", "pole",
    ),
    AssetField.NETWORK_ZONE: (
        "network zone", "zone", "network segment", "segment", "security zone", "netzwerkzone",
        "netzsegment", "zone reseau",
    ),
    AssetField.VLAN: ("vlan", "vlan id", "vlan number", "vlan nr"),
    AssetField.OWNER: (
        "owner", "responsible", "responsible person", "custodian", "contact", "asset owner",
        "verantwortlich", "verantwortlicher", "betreiber", "responsable", "proprietaire",
    ),
    AssetField.CLINICAL_USE: (
        "clinical use", "intended use", "use", "function", "device type", "equipment type",
        "device category", "category", "description", "device description", "geratetyp",
        "geratebezeichnung", "type d equipement", "designation", "type",
    ),
    AssetField.CRITICALITY: (
        "criticality", "clinical criticality", "priority", "risk", "risk level",
        "criticality class", "kritikalitat", "criticite", "importance",
    ),
    AssetField.STATUS: (
        "status", "state", "lifecycle status", "equipment status", "device status",
        "zustand", "statut", "etat",
    ),
}
# fmt: on

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case without accents (``Gerätetyp`` -> ``geratetyp``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def header_key(text: str) -> str:
    """A header folded to lower-case words: ``"Serial-No."`` -> ``"serial no"``; ``#`` reads
    as "no" (``"Equip #"`` -> ``"equip no"``)."""
    return _NON_ALNUM.sub(" ", fold(text).replace("#", " no ")).strip()
