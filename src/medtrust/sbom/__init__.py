"""SBOM readers (CycloneDX, SPDX) and SBOM quality checks."""
