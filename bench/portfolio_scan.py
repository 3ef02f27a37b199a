"""Benchmark: a portfolio of SBOMs against the generated NVD-scale knowledge base.

    python bench/generate_nvd.py /tmp/bench-nvd
    python bench/kb_ingest.py /tmp/bench-nvd --kb-dir /tmp/kb-nvd
    POLARS_MAX_THREADS=2 python bench/portfolio_scan.py --kb-dir /tmp/kb-nvd

2,000 SBOMs x 300 components (600,000 components, drawn from the corpus' product pool by
``generate_nvd.components``) go through ``matching.scan.scan_documents``, the call an API or
CLI user makes: matched, explained findings (evidence, CVSS, KEV, EPSS), VEX applied (target
< 10 s, < 4 GiB on 2 cores). The documents are built before the clock starts. Then on a
sample of the SBOMs the reference matcher must give the bulk engine's hits, and
``scan_documents`` (evidence shared between identical components) must give exactly the
findings built one component at a time from the reference hits. ``--phases`` times the
steps of ``scan_documents`` one by one instead (a breakdown). Run it in a fresh process per
measurement: caches warm up within a process.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate_nvd import components as generated
from medtrust.domain.component import (
    Component,
    ComponentType,
    SbomDocument,
    SbomEncoding,
    SbomFormat,
)
from medtrust.kb.query import SnapshotProvider
from medtrust.kb.store import KnowledgeBase
from medtrust.matching.bulk import hit_frame, match_bulk
from medtrust.matching.components import DocumentViews, document_views
from medtrust.matching.findings import build_findings, collect_evidence
from medtrust.matching.reference import ReferenceMatcher
from medtrust.matching.scan import ranked_statements, scan_documents
from medtrust.matching.shared import Identities, paused_gc, share_evidence, shared_findings
from medtrust.matching.vex import apply_vex


def documents(count: int, size: int, seed: int, lines: int = 200) -> list[SbomDocument]:
    """``count`` SBOMs of ``size`` components: ``lines`` product lines, each SBOM a version.

    A hospital portfolio holds many versions of fewer product lines: each SBOM takes its
    line's base components and draws a new version for 10 % of them (so about a fifth of all
    components are unique, the rest repeat across SBOMs as they do in real portfolios).
    """
    rng = random.Random(seed)
    bases = [generated(size, seed * 1000 + line) for line in range(lines)]
    docs = []
    for number in range(count):
        chunk = [
            (name, version if rng.random() >= 0.1 else _bump(rng, version), purl, cpe)
            for name, version, purl, cpe in bases[number % lines]
        ]
        comps = tuple(
            Component(
                f"c{i}",
                ComponentType.LIBRARY,
                name,
                version,
                purl=_at(purl, version),
                cpe=_at_cpe(cpe, version),
            )
            for i, (name, version, purl, cpe) in enumerate(chunk)
        )
        docs.append(
            SbomDocument(
                f"sbom-{number:05d}.json",
                SbomFormat.CYCLONEDX,
                SbomEncoding.JSON,
                "1.6",
                components=comps,
            )
        )
    return docs


def _at(purl: str | None, version: str) -> str | None:
    return None if purl is None else purl.rsplit("@", 1)[0] + "@" + version


def _at_cpe(cpe: str | None, version: str) -> str | None:
    if cpe is None or ":h:" in cpe:
        return cpe
    fields = cpe.split(":")
    fields[5] = version
    return ":".join(fields)


def _bump(rng: random.Random, version: str) -> str:
    *head, last = version.split(".")
    return ".".join([*head, str(int(last) + rng.randrange(1, 9))])


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _phases(docs: list[SbomDocument], provider: SnapshotProvider) -> None:
    """The steps of ``scan_documents`` one by one (a breakdown; the headline is the call)."""
    marks = [(time.perf_counter(), time.process_time())]
    parts: list[str] = []

    def lap(label: str) -> None:
        marks.append((time.perf_counter(), time.process_time()))
        (wall, cpu), (wall0, cpu0) = marks[-1], marks[-2]
        parts.append(f"{label} {wall - wall0:.2f} s ({cpu - cpu0:.2f} s CPU)")

    with paused_gc():
        views = DocumentViews(docs)
        identities = Identities.of_views(views)
        lap(f"{len(identities.representatives)} identities")
        kb = provider.slice_for(identities.representatives)
        lap("KB slice")
        hits = hit_frame(identities.representatives, kb)
        lap(f"match ({hits.height} hits)")
        evidence = share_evidence(hits, views, identities, kb)
        lap("evidence")
        meta = provider.meta_for(evidence.vulnerability_ids())
        lap("facts")
        findings = shared_findings(evidence, views, meta)
        lap("findings")
        statements = ranked_statements(docs, provider.vex_statements(), ())
        apply_vex(findings, views, statements, meta, presorted=True)
        lap("VEX")
    print("phases: " + "; ".join(parts))


def main() -> None:
    """Print the scan's wall and CPU time, findings, peak memory and the reference checks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb-dir", type=Path, required=True)
    parser.add_argument("--sboms", type=int, default=2000)
    parser.add_argument("--components", type=int, default=300)
    parser.add_argument("--reference-sboms", type=int, default=40)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--phases", action="store_true", help="time the steps one by one instead of the call"
    )
    args = parser.parse_args()
    docs = documents(args.sboms, args.components, args.seed)
    provider = SnapshotProvider(KnowledgeBase.open(args.kb_dir))
    if args.phases:
        _phases(docs, provider)
        return

    started, cpu = time.perf_counter(), time.process_time()
    result = scan_documents(docs, provider)  # what a caller gets: explained findings, VEX applied
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    evidence = sum(len(f.evidence) for f in result.findings)
    print(
        f"scan_documents: {sum(d.components for d in result.documents)} components,"
        f" {len(result.findings)} findings ({evidence} pieces of evidence) in {wall:.1f} s"
        f" ({cpu:.1f} s CPU); peak RSS {_peak_mib():.0f} MiB"
    )

    sample_docs = docs[: args.reference_sboms]
    sample = document_views(sample_docs)
    sample_kb = provider.slice_for(sample)
    began = time.perf_counter()
    reference = ReferenceMatcher(sample_kb).match(sample)
    ref_seconds = time.perf_counter() - began
    began = time.perf_counter()
    bulk = match_bulk(sample, sample_kb)
    bulk_seconds = time.perf_counter() - began
    assert bulk == reference, "bulk and reference hits differ"
    # findings of the sample, per component (no sharing) from the reference hits
    evidence_of = collect_evidence(reference, sample, sample_kb)
    ids = {e.vulnerability_id for items in evidence_of.values() for e in items}
    meta = provider.meta_for(ids)
    statements = ranked_statements(sample_docs, provider.vex_statements(), ())
    naive = apply_vex(build_findings(evidence_of, sample, meta), sample, statements, meta)
    shared = scan_documents(sample_docs, provider).findings
    assert list(shared) == naive, "shared findings differ from per-component findings"
    per_ref = ref_seconds / len(sample)
    print(
        f"reference: {len(sample)} components in {ref_seconds:.1f} s"
        f" ({per_ref * 1e6:.0f} us/component; whole portfolio would take"
        f" ~{per_ref * len(result.documents) * args.components:.0f} s); bulk on the same"
        f" sample {bulk_seconds:.2f} s; identical hits: yes; scan_documents findings equal"
        f" per-component findings from the reference hits: yes ({len(naive)})"
    )


if __name__ == "__main__":
    main()
