"""One module per SBOM reader; :mod:`.registry` maps stable names to them."""
