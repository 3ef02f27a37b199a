"""Per-regime applicability: which rules apply to the facts, and why others do not.

Each module exposes ``RULE_IDS`` (the rules it uses, checked against the data by the tests),
``REGIME_CODES`` and ``assess(ctx)``.
"""
