"""Output formats of scan results (table, json, cyclonedx-vex, csaf-vex, sarif)."""
