"""Renderings of MDS2 diff and compare results: text table, JSON, xlsx and HTML.

Pick one by name with :func:`medtrust.mds2.render.registry.render_diff` or
:func:`medtrust.mds2.render.registry.render_comparison`.
"""
