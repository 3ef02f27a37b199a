"""Contract tests of the packaged report templates: valid, resolving, schema up to date."""

from __future__ import annotations

from medtrust.incidents import load_regimes
from medtrust.incidents.drafts import PREFILL, known_source
from medtrust.incidents.facts import CraTrack
from medtrust.incidents.obligation import Stage
from medtrust.incidents.report_template_file import FieldKind
from medtrust.incidents.report_templates import (
    GENERIC_ID,
    NOTICE_REGIME,
    NOTICE_STAGE,
    load_templates,
)


def _stages() -> set[tuple[str, str]]:
    regimes = load_regimes()
    found = {(r.reports_as, rule.stage.value) for r in regimes.regimes for rule in r.rules}
    return found | {(NOTICE_REGIME, NOTICE_STAGE)}


def test_every_template_targets_an_existing_regime_stage_once() -> None:
    known = _stages()
    claimed: dict[tuple[str, str, str | None], str] = {}
    for template in load_templates().templates:
        if template.id == GENERIC_ID:
            assert template.applies_to == ()
            continue
        assert template.applies_to, template.id
        for regime, stage, track in template.applies_to:
            assert (regime, stage) in known, f"{template.id}: {regime} {stage} is no stage"
            key = (regime, stage, track.value if track else None)
            assert key not in claimed, f"{template.id} and {claimed.get(key)} claim {key}"
            claimed[key] = template.id


def test_every_prefill_source_resolves() -> None:
    templates = load_templates()
    for template in templates.templates:
        for field in template.fields:
            for source in field.prefill:
                assert known_source(source), f"{template.id}.{field.key}: {source}"
                if not source.startswith("draft:"):
                    continue
                stage, _dot, key = source.removeprefix("draft:").partition(".")
                assert stage in {s.value for s in Stage}, f"{template.id}: stage {stage}"
                regimes = {r for r, _s, _t in template.applies_to}
                tracks = {t for _r, _s, t in template.applies_to}
                sibling = {
                    templates.for_stage(regime, stage, track).id
                    for regime in regimes
                    for track in tracks
                }
                assert sibling != {GENERIC_ID}, f"{template.id}: no template for {stage}"
                for sibling_id in sibling:
                    assert templates.get(sibling_id).field(key) is not None, (
                        f"{template.id}.{field.key}: {sibling_id} has no field {key}"
                    )


def test_every_named_prefill_is_used_somewhere() -> None:
    used = {
        source
        for template in load_templates().templates
        for field in template.fields
        for source in field.prefill
    }
    assert set(PREFILL) <= used, f"unused pre-fill sources: {sorted(set(PREFILL) - used)}"


def test_content_requirements_named_in_the_issue_are_present() -> None:
    templates = load_templates()
    early = templates.for_stage("NIS2", "early_warning")
    assert {"suspected_malicious", "cross_border"} <= {f.key for f in early.fields}
    gdpr = templates.for_stage("GDPR", "authority_notification")
    articles = {f.article for f in gdpr.fields}
    for point in ("a", "b", "c", "d"):
        assert f"Art. 33(3)({point})" in articles
    mdr = templates.for_stage("MDR", "serious_incident_report")
    codes = {c.value for f in mdr.fields if f.kind is FieldKind.CODES for c in f.choices}
    assert {"A1105", "A110501", "A110502", "C1007"} <= codes
    assert templates.for_stage("IVDR", "serious_incident_report").id == mdr.id
    cra_v = templates.for_stage("CRA", "final", CraTrack.VULNERABILITY)
    cra_i = templates.for_stage("CRA", "final", CraTrack.INCIDENT)
    assert any(f.article == "Art. 14(2)(c)(iii)" for f in cra_v.fields)
    assert any(f.article == "Art. 14(4)(c)(ii)" for f in cra_i.fields)
    assert templates.for_stage("NIS2", "recipient_notification").id == GENERIC_ID


def test_every_template_cites_sources_and_has_a_required_field() -> None:
    for template in load_templates().templates:
        assert template.sources
        assert any(f.required for f in template.fields), template.id
