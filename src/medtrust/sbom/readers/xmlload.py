"""Parse untrusted XML with defusedxml: DTDs, entity declarations and external references fail.

SBOM formats never need a DTD, so any ``<!DOCTYPE`` is refused outright; that stops entity
expansion ("billion laughs", quadratic blow-up) and external entities (XXE) before expansion.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from medtrust.sbom.errors import SbomError


def load_xml(data: bytes, source: str) -> Element:
    """The root element of ``data``; raise :class:`SbomError` for malformed or hostile XML."""
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise SbomError(
            source, f"XML refused: it declares a DTD, entities or external references ({exc})"
        ) from None
    except ParseError as exc:
        line, column = exc.position
        raise SbomError(source, f"not well-formed XML (line {line}, column {column})") from None
    except (ValueError, RecursionError) as exc:
        raise SbomError(source, f"XML could not be parsed: {exc}") from None
