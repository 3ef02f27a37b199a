"""MDS2 writers: medtrust JSON, NEMA-layout xlsx, HTML and PDF print views.

Use :func:`medtrust.mds2.writers.registry.write_mds2` or pick a writer by name with
:func:`medtrust.mds2.writers.registry.get_writer`.
"""
