"""Incident exports: per-report HTML and PDF, the report-once package, STIX 2.1 and MISP."""
