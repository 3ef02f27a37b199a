"""Exposure of the installed base: findings per product version, decisions per asset."""
