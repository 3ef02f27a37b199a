"""Version schemes: one module per ecosystem, each with ``compare`` and a sortable byte ``key``.

Entry points: :func:`medtrust.versioning.registry.get_scheme`,
:func:`medtrust.versioning.registry.scheme_for_ecosystem`,
:class:`medtrust.versioning.ranges.VersionRange` and :func:`medtrust.versioning.vers.parse_vers`.
"""
