from __future__ import annotations

import ipaddress
import json
from datetime import UTC, datetime
from typing import Any

import pytest
import stix2
from hypothesis import given
from hypothesis import strategies as st

from medtrust.incidents.exports.base import ExportError, ExportInput, Tlp
from medtrust.incidents.exports.indicators import IndicatorKind, classify
from medtrust.incidents.exports.pdf_report import PdfReportExport
from medtrust.incidents.exports.registry import EXPORTS, get_export
from medtrust.incidents.records import ObligationState
from medtrust.incidents.report_document import all_reports
from medtrust.incidents.report_templates import load_templates
from tests.incidents.workspace.helpers import hospital_facts, later, opened_log, workspace_of

EW = "NIS2:early_warning:incident"
NOTIFICATION = "NIS2:notification:incident"
IOCS = "203.0.113.7\nevil.example.org\nhttps://evil.example.org/x?a=1\n" + "a" * 64 + "\nsome note"


def _input(
    *, title: str = "Ransomware on ward 3", tlp: Tlp = Tlp.AMBER, **extra: Any
) -> ExportInput:
    doc = hospital_facts()
    states = [
        ObligationState(
            EW, draft={"contact": "soc@hospital.example", "summary": extra.get("summary")}
        ),
        ObligationState(NOTIFICATION, draft={"indicators": IOCS, "severity": "critical"}),
    ]
    ws = workspace_of(doc, now=later(1), states=states, title=title)
    log = opened_log(doc)
    org = "St. Elsewhere <Hospital>"
    reports = all_reports(ws, templates=load_templates(), organisation_name=org, log=log)
    return ExportInput(ws, reports, org, log, datetime(2026, 3, 2, 12, tzinfo=UTC), tlp)


def test_stix_bundle_round_trips_through_stix2_parse() -> None:
    data = _input()
    text = get_export("stix").render(data).decode("utf-8")
    bundle = stix2.parse(text, allow_custom=False)
    by_type: dict[str, list[Any]] = {}
    for obj in bundle.objects:
        by_type.setdefault(obj.type, []).append(obj)
    incident = by_type["incident"][0]
    assert incident.name == "Ransomware on ward 3"
    assert "Suspected malicious: yes" in incident.description
    assert "Medical device involved: Infusion pump (MDR)" in incident.description
    assert by_type["identity"][0].name == "St. Elsewhere <Hospital>"
    notes = {n.abstract for n in by_type["note"]}
    assert "NIS2 early warning - incident" in notes
    assert "NIS2 incident notification - incident" in notes
    patterns = sorted(i.pattern for i in by_type["indicator"])
    assert patterns == sorted(
        [
            "[ipv4-addr:value = '203.0.113.7']",
            "[domain-name:value = 'evil.example.org']",
            "[url:value = 'https://evil.example.org/x?a=1']",
            "[file:hashes.'SHA-256' = '" + "a" * 64 + "']",
        ]
    )
    assert len(by_type["relationship"]) == 4
    assert all(r.target_ref == incident.id for r in by_type["relationship"])
    for obj in bundle.objects:
        if obj.type != "identity":
            assert obj.object_marking_refs == [stix2.TLP_AMBER.id]


def test_stix_ids_are_stable_across_exports() -> None:
    def ids(data: ExportInput) -> list[str]:
        bundle = json.loads(get_export("stix").render(data))
        return sorted(o["id"] for o in bundle["objects"])

    assert ids(_input()) == ids(_input(title="Renamed"))


def test_misp_event_has_typed_attributes_tlp_and_threat_level() -> None:
    event = json.loads(get_export("misp").render(_input(tlp=Tlp.GREEN)))["Event"]
    assert event["info"] == "Ransomware on ward 3"
    assert event["threat_level_id"] == "1"  # notification severity: critical
    assert event["analysis"] == "0" and event["published"] is False
    assert event["Tag"] == [{"name": "tlp:green"}]
    types = {(a["type"], a["value"]) for a in event["Attribute"] if a["to_ids"]}
    assert ("ip-dst", "203.0.113.7") in types
    assert ("domain", "evil.example.org") in types
    assert ("sha256", "a" * 64) in types
    others = [a for a in event["Attribute"] if a["value"] == "some note"]
    assert others and others[0]["type"] == "text" and not others[0]["to_ids"]
    assert len({a["uuid"] for a in event["Attribute"]}) == len(event["Attribute"])


def test_report_once_package_carries_every_report_and_the_log_head() -> None:
    data = _input()
    package = json.loads(get_export("report-once").render(data))
    assert package["format"] == "medtrust-report-once" and package["format_version"] == 1
    keys = [r["key"] for r in package["reports"]]
    expected = [i.key for i in data.workspace.items] + [n.key for n in data.workspace.notices]
    assert keys == expected
    assert package["incident"]["log"] == {"entries": 1, "head_hash": data.log[-1].hash}
    early = next(r for r in package["reports"] if r["key"] == EW)
    assert early["obligation"]["article"] == "Art. 23(4)(a)"
    assert early["status"] == "drafted" and early["complete"]
    fields = {f["key"]: f["value"] for f in early["fields"]}
    assert fields["contact"] == "soc@hospital.example"
    assert package["reporter"]["country"] == "DE"


def test_html_report_escapes_hostile_text() -> None:
    data = _input(summary="<script>alert(1)</script>")
    html = get_export("report-html").render(data, EW).decode("utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "St. Elsewhere &lt;Hospital&gt;" in html
    assert "Art. 23(4)(a)" in html and 'id="f-suspected_malicious"' in html


@pytest.mark.parametrize("font", ["auto", "core"])
def test_pdf_report_renders_with_any_text(font: str) -> None:
    data = _input(summary="Łódź 東京 — “quotes” \x07 tab\tend")
    pdf = PdfReportExport(font=font, compress=False).render(data, EW)  # type: ignore[arg-type]
    assert pdf.startswith(b"%PDF-")
    assert b"NIS2 early warning" in pdf or font == "auto"


def test_registry_errors_are_input_errors() -> None:
    assert sorted(EXPORTS) == ["misp", "report-html", "report-once", "report-pdf", "stix"]
    with pytest.raises(ExportError, match="unknown export format 'docx'"):
        get_export("docx")
    with pytest.raises(ExportError, match="give the report key"):
        get_export("report-pdf").render(_input())
    with pytest.raises(ExportError, match="no report 'X:y:z'"):
        get_export("report-html").render(_input(), "X:y:z")


@given(st.ip_addresses())
def test_every_ip_address_is_classified_by_version(address: ipaddress._BaseAddress) -> None:
    kind = classify(str(address))
    assert kind is (IndicatorKind.IPV4 if address.version == 4 else IndicatorKind.IPV6)


def test_classify_other_kinds() -> None:
    assert classify("d41d8cd98f00b204e9800998ecf8427e") is IndicatorKind.MD5
    assert classify("da39a3ee5e6b4b0d3255bfef95601890afd80709") is IndicatorKind.SHA1
    assert classify("http://x.example/a") is IndicatorKind.URL
    assert classify("sub.example.co.uk") is IndicatorKind.DOMAIN
    assert classify("not an indicator") is IndicatorKind.OTHER
