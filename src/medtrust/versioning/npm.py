"""npm versions: node-semver's comparison with its *loose* grammar.

node-semver (https://github.com/npm/node-semver, ``classes/semver.js``) orders versions exactly
as Semantic Versioning 2.0.0 does; in loose mode it also accepts leading ``v``/``=``/spaces,
leading zeros (``01.2.3`` is ``1.2.3``) and a pre-release without its hyphen (``1.2.3beta``).
Numeric pre-release identifiers are compared as numbers even with leading zeros.
"""

from __future__ import annotations

from medtrust.versioning.semver import SemverScheme


class NpmScheme(SemverScheme):
    """npm: semantic versions parsed with node-semver's loose grammar."""

    name = "npm"
    loose = True
