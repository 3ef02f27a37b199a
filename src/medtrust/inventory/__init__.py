"""The installed base: column mapping, row normalisation, product linking and lifecycle.

Everything here is pure (no I/O beyond reading packaged data); storage and services sit on top.
"""
