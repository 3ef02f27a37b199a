"""Report templates as domain objects, loaded lazily from ``catalog/data/report_templates``."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from medtrust.incidents.datafiles import packaged_dir, read_model, yaml_files
from medtrust.incidents.errors import RegimeDataError
from medtrust.incidents.facts import CraTrack
from medtrust.incidents.report_template_file import FieldKind, ReportTemplateFile

#: the pseudo-regime of the hospital-to-manufacturer notice (not a legal reporting stage)
NOTICE_REGIME = "NOTICE"
NOTICE_STAGE = "manufacturer_notice"
GENERIC_ID = "generic"
SCHEMA_NAME = "report-template"


@dataclass(frozen=True, slots=True)
class Choice:
    """An allowed value with its label."""

    value: str
    label: str


@dataclass(frozen=True, slots=True)
class TemplateField:
    """One field of a report template."""

    key: str
    label: str
    kind: FieldKind
    article: str | None
    help: str | None
    required: bool
    prefill: tuple[str, ...]
    choices: tuple[Choice, ...]

    def label_of(self, value: str) -> str:
        """The label of a choice value (the value itself when unknown)."""
        return next((c.label for c in self.choices if c.value == value), value)


@dataclass(frozen=True, slots=True)
class ReportTemplate:
    """The content one report stage requires."""

    id: str
    title: str
    basis: str
    applies_to: tuple[tuple[str, str, CraTrack | None], ...]
    sources: tuple[tuple[str, str], ...]
    fields: tuple[TemplateField, ...]

    def field(self, key: str) -> TemplateField | None:
        """The field with ``key``, or None."""
        return next((f for f in self.fields if f.key == key), None)


@dataclass(frozen=True, slots=True)
class TemplateSet:
    """All report templates."""

    templates: tuple[ReportTemplate, ...]

    def get(self, template_id: str) -> ReportTemplate:
        """The template with ``template_id``; a missing one is a data error."""
        for template in self.templates:
            if template.id == template_id:
                return template
        raise RegimeDataError(f"no report template {template_id!r}")

    def for_stage(self, regime: str, stage: str, track: CraTrack | None = None) -> ReportTemplate:
        """The template for a report stage (a track-specific one first), else the generic one."""
        for wanted in (track, None):
            for template in self.templates:
                if (regime, stage, wanted) in template.applies_to:
                    return template
        return self.get(GENERIC_ID)


def _convert(model: ReportTemplateFile) -> ReportTemplate:
    return ReportTemplate(
        id=model.id,
        title=model.title,
        basis=model.basis,
        applies_to=tuple((a.regime, a.stage, a.track) for a in model.applies_to),
        sources=tuple((s.title, s.url) for s in model.sources),
        fields=tuple(
            TemplateField(
                key=f.key,
                label=f.label,
                kind=f.kind,
                article=f.article,
                help=f.help,
                required=f.required,
                prefill=tuple(f.prefill),
                choices=tuple(Choice(c.value, c.label) for c in f.choices or ()),
            )
            for f in model.fields
        ),
    )


@functools.cache
def load_templates() -> TemplateSet:
    """The packaged report templates (read once)."""
    directory = packaged_dir("report_templates")
    models = [read_model(entry, ReportTemplateFile) for entry in yaml_files(directory)]
    ids = [m.id for m in models]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise RegimeDataError(f"report templates: duplicate ids {', '.join(duplicates)}")
    if GENERIC_ID not in ids:
        raise RegimeDataError(f"report templates: the {GENERIC_ID!r} fallback is missing")
    return TemplateSet(tuple(_convert(m) for m in sorted(models, key=lambda m: m.id)))
