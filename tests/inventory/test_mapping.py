from __future__ import annotations

import pytest

from medtrust.inventory.errors import InventoryInputError
from medtrust.inventory.fields import AssetField
from medtrust.inventory.mapping import ColumnMapping, guess_mapping


def _fields(headers: list[str], samples: list[list[str | None]] | None = None) -> dict[str, str]:
    mapping, _ = guess_mapping(headers, samples or [])
    return {h: f.value for f, h in mapping.columns}


def test_english_cmms_headers() -> None:
    got = _fields(
        [
            "Equipment No.",
            "Serial #",
            "Mfr",
            "Model Name",
            "SW Version",
            "Dept",
            "Risk Level",
            "Equipment Status",
            "MAC Address",
            "IP",
        ]
    )
    assert got == {
        "Equipment No.": "asset_tag",
        "Serial #": "serial_number",
        "Mfr": "manufacturer",
        "Model Name": "model",
        "SW Version": "software_version",
        "Dept": "department",
        "Risk Level": "criticality",
        "Equipment Status": "status",
        "MAC Address": "mac_address",
        "IP": "ip_address",
    }


def test_german_and_french_headers() -> None:
    assert _fields(
        [
            "Inventar-Nr.",
            "Seriennummer",
            "Hersteller",
            "Gerätetyp",
            "Standort",
            "Kritikalität",
            "Betriebssystem",
        ]
    ) == {
        "Inventar-Nr.": "asset_tag",
        "Seriennummer": "serial_number",
        "Hersteller": "manufacturer",
        "Gerätetyp": "clinical_use",
        "Standort": "site",
        "Kritikalität": "criticality",
        "Betriebssystem": "operating_system",
    }
    got = _fields(["N° inventaire", "Numéro de série", "Fabricant", "Modèle", "Adresse MAC"])
    assert got == {
        "N° inventaire": "asset_tag",
        "Numéro de série": "serial_number",
        "Fabricant": "manufacturer",
        "Modèle": "model",
        "Adresse MAC": "mac_address",
    }


def test_values_identify_columns_whose_headers_say_nothing() -> None:
    samples: list[list[str | None]] = [
        ["A1", "00-1A-2B-3C-4D-5E", "10.0.0.1"],
        ["A2", "00-1A-2B-3C-4D-5F", "10.0.0.2"],
        ["A3", "001a.2b3c.4d60", "10.0.0.3"],
    ]
    mapping, guesses = guess_mapping(["Tag", "Field 7", "Field 8"], samples)
    assert mapping.column_for(AssetField.MAC_ADDRESS) == "Field 7"
    assert mapping.column_for(AssetField.IP_ADDRESS) == "Field 8"
    assert "100% of sampled values are MAC addresses" in guesses[1].reason


def test_each_field_and_column_used_once_and_every_guess_explained() -> None:
    mapping, guesses = guess_mapping(["Serial", "Serial No", "Comment"])
    assert [g.field for g in guesses].count(AssetField.SERIAL_NUMBER) == 1
    assert guesses[2].field is None and guesses[2].reason
    assert mapping.column_for(AssetField.SERIAL_NUMBER) in ("Serial", "Serial No")


def test_mapping_round_trip_and_errors() -> None:
    mapping = ColumnMapping.build(
        {AssetField.MODEL: "Modell", AssetField.ASSET_TAG: "Inv"},
        defaults={AssetField.SITE: "North"},
        values={AssetField.CRITICALITY: {"High": "life-sustaining"}},
    )
    assert mapping.columns[0] == (AssetField.ASSET_TAG, "Inv")  # canonical order
    assert ColumnMapping.from_dict(mapping.to_dict()) == mapping
    assert mapping.value_map(AssetField.CRITICALITY) == {"high": "life-sustaining"}
    assert mapping.missing_headers(["INV", "modell"]) == []
    assert mapping.missing_headers(["Inv"]) == ["Modell"]
    for bad, message in (
        ([], "must be an object"),
        ({"columns": {"colour": "X"}}, "unknown field 'colour'"),
        ({"columns": {"model": 3}}, "must map text to text"),
        ({"extra": {}}, "unknown key"),
    ):
        with pytest.raises(InventoryInputError, match=message):
            ColumnMapping.from_dict(bad)
