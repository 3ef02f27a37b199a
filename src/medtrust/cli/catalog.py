"""``medtrust catalog``: browse requirement catalogues, follow mappings, OSCAL export/import."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from medtrust.cli.common import reports_errors, write_output
from medtrust.compliance.catalog_views import (
    framework_view,
    frameworks_view,
    inference_view,
    node_view,
)
from medtrust.compliance.inference import DEFAULT_MAX_HOPS
from medtrust.compliance.library import packaged_library
from medtrust.compliance.oscal import catalog_document, dumps, mapping_document
from medtrust.compliance.oscal_import import import_oscal_catalog
from medtrust.compliance.user_input import MAX_USER_FILE_BYTES, UserFileError

app = typer.Typer(
    name="catalog",
    help="Requirement catalogues (MDR, CRA, NIS2, IEC ...) and the crosswalk between them.",
    no_args_is_help=True,
)


@app.callback()
def _group() -> None:
    """Requirement catalogues (MDR, CRA, NIS2, IEC ...) and the crosswalk between them."""


class ViewFormat(StrEnum):
    """Output formats of the browsing commands."""

    TABLE = "table"
    JSON = "json"


FormatOption = Annotated[ViewFormat, typer.Option("--format", "-f", help="Output format.")]


def _json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


@app.command("list")
@reports_errors
def list_command(output_format: FormatOption = ViewFormat.TABLE) -> None:
    """List the catalogues and mapping sets."""
    view = frameworks_view(packaged_library())
    if output_format is ViewFormat.JSON:
        _json(view)
        return
    for item in view["frameworks"]:
        typer.echo(f"{item['id']:<18} {item['assessable']:>4}/{item['nodes']:<4} {item['ref_id']}")
    typer.echo("")
    for item in view["mapping_sets"]:
        typer.echo(
            f"{item['id']:<42} {item['source_framework']} -> {item['target_framework']}"
            f" ({item['mappings']})"
        )
    for reason in view["unavailable"]:
        typer.echo(f"unavailable: {reason}")


@app.command("show")
@reports_errors
def show(
    ref: Annotated[str, typer.Argument(help="Framework id or URN, or a requirement node URN.")],
    output_format: FormatOption = ViewFormat.TABLE,
) -> None:
    """Show a catalogue as a tree, or one requirement with its mappings."""
    library = packaged_library()
    by_urn = {f.urn: f.id for f in library.frameworks.values()}
    framework_id = by_urn.get(ref, ref)
    if framework_id in library.frameworks:
        view = framework_view(library, framework_id)
        if output_format is ViewFormat.JSON:
            _json(view)
            return
        typer.echo(f"{view['name']} ({view['ref_id']}, version {view['version']})")
        for node in view["nodes"]:
            mark = "" if node["assessable"] else " [heading]"
            indent = "  " * (node["depth"] - 1)
            typer.echo(f"{indent}{node['ref_id']}  {node['name']}{mark}  <{node['urn']}>")
        return
    view = node_view(library, ref)
    if output_format is ViewFormat.JSON:
        _json(view)
        return
    typer.echo(f"{view['ref_id']}  {view['name']}  ({view['framework']})")
    typer.echo(f"  {view['description']}")
    typer.echo(f"  source: {view['source']}")
    if view["note"]:
        typer.echo(f"  note: {view['note']}")
    for edge in view["mappings"]:
        typer.echo(f"  {edge['explain']}")


@app.command("map")
@reports_errors
def map_command(
    urn: Annotated[str, typer.Argument(help="Requirement node URN to start from.")],
    to: Annotated[str, typer.Option("--to", help="Target framework id.")],
    max_hops: Annotated[int, typer.Option("--max-hops", min=1, max=6)] = DEFAULT_MAX_HOPS,
    output_format: FormatOption = ViewFormat.TABLE,
) -> None:
    """Follow the crosswalk from a requirement to a framework; each result explains its path."""
    view = inference_view(packaged_library(), urn, to, max_hops)
    if output_format is ViewFormat.JSON:
        _json(view)
        return
    if not view["results"]:
        typer.echo(f"no mapping from {urn} to {to} within {max_hops} hops")
    for item in view["results"]:
        typer.echo(
            f"{item['target_ref_id']:<14} {item['relation']:<9} {item['confidence']:.4f}  "
            f"{item['target_name']}"
        )
        typer.echo(f"    {item['explain']}")


@app.command("export-oscal")
@reports_errors
def export_oscal(
    ref: Annotated[str, typer.Argument(help="Framework id (catalog) or mapping set id.")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here.")] = None,
) -> None:
    """Export a catalogue as an OSCAL catalog, or a mapping set as an OSCAL mapping collection."""
    library = packaged_library()
    sets = {s.id: s for s in library.mapping_sets}
    if ref in sets:
        document = mapping_document(sets[ref], library)
    else:
        document = catalog_document(library.framework(ref))
    write_output(dumps(document), output)


@app.command("import-oscal")
@reports_errors
def import_oscal(
    file: Annotated[Path, typer.Argument(help="OSCAL catalog JSON file.")],
    framework_id: Annotated[
        str | None, typer.Option("--id", help="Framework id to give it (default: from the file).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write the medtrust catalogue YAML here.")
    ] = None,
) -> None:
    """Validate an OSCAL catalog and convert it to a medtrust catalogue (exit 2 when invalid)."""
    if file.stat().st_size > MAX_USER_FILE_BYTES:
        raise UserFileError(file.name, None, f"larger than {MAX_USER_FILE_BYTES} bytes")
    framework, content = import_oscal_catalog(file.read_bytes(), file.name, framework_id)
    assessable = len(framework.assessable())
    typer.echo(
        f"{file.name}: valid OSCAL catalog -> framework {framework.id!r} with "
        f"{len(framework.nodes)} nodes ({assessable} assessable)",
        err=output is None,
    )
    if output is not None:
        write_output(yaml.safe_dump(content, sort_keys=False, allow_unicode=True), output)
