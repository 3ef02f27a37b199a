"""The writer Protocol: turn a filled MDS2 form into bytes of one output format."""

from __future__ import annotations

from typing import Protocol

from medtrust.catalog.mds2 import Mds2Catalogue
from medtrust.domain.mds2 import Mds2Form


class Mds2Writer(Protocol):
    """Writes an :class:`Mds2Form` in one output format.

    Writers are pure: they read the form and the catalogue and return the encoded document.
    They never raise on odd answer text (hostile, non-latin, very long); such text is made
    safe for the target format.
    """

    #: registry key, e.g. ``json`` (also the CLI's ``--to`` value)
    name: str
    #: IANA media type of the output
    media_type: str
    #: file-name suffix including the dot, e.g. ``.json``
    suffix: str

    def write(self, form: Mds2Form, *, catalogue: Mds2Catalogue) -> bytes:
        """Encode ``form`` (its questions described by ``catalogue``) as bytes."""
        ...
