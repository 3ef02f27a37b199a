"""Renderings of assessments (gap reports) and applicability results: text, JSON, xlsx, PDF."""
