"""narrow.sbom.json (a real medical-device SBOM) against real Vulnrichment records.

Every finding must be checkable from its explanation: the evidence names a CPE whose part,
vendor and product are the component's, the version it evaluated and the range it fell in.
The expected wolfSSL finding was checked by hand in the record: CVE-2023-6936's CISA-ADP
container lists ``cpe:2.3:a:wolfssl:wolfssl`` affected from version 0 up to and including 5.6.5.
"""

from __future__ import annotations

from medtrust.domain.vulnerability import Vulnerability
from medtrust.matching.model import Confidence, MatchMethod
from medtrust.matching.normalise import parse_cpe
from medtrust.matching.scan import Engine, scan_documents
from medtrust.sbom.readers.registry import read_sbom
from tests.matching.helpers import MemoryProvider, rows_from
from tests.shared_data import shared_file


def test_narrow_sbom_findings_explain_themselves(
    vulnrichment_sample: tuple[list[Vulnerability], list[Vulnerability]],
) -> None:
    _, records = vulnrichment_sample
    document = read_sbom(shared_file("sbom/medical-device/narrow.sbom.json"))
    provider = MemoryProvider(rows_from(records))
    result = scan_documents([document], provider)
    assert result.findings
    reference = scan_documents([document], provider, engine=Engine.REFERENCE)
    assert reference.findings == result.findings

    found = {(f.component.name, f.vulnerability): f for f in result.findings}
    wolfssl = found[("WolfSSL", "CVE-2023-6936")]
    assert wolfssl.match.method is MatchMethod.CPE
    assert wolfssl.match.confidence is Confidence.EXACT
    assert wolfssl.match.version == "4.8.1"
    assert "<=5.6.5" in wolfssl.match.range_text
    assert "CISA-ADP" in wolfssl.match.range_text

    for finding in result.findings:
        component = parse_cpe(finding.component.cpe or "")
        target = parse_cpe(finding.match.identifier)
        assert component is not None and target is not None
        assert (target.part, target.vendor, target.product) == (
            component.part,
            component.vendor,
            component.product,
        )
        assert (finding.component.cpe or "-") in finding.match.detail()
        assert finding.sources
