"""Matching SBOM components against the knowledge base: reference and bulk engines, VEX."""
