"""Reader for medtrust's own MDS2 JSON document (see :mod:`medtrust.mds2.document`)."""

from __future__ import annotations

import json

from medtrust.catalog.mds2 import Mds2Catalogue
from medtrust.domain.mds2 import Mds2Form
from medtrust.errors import Mds2Error
from medtrust.mds2.document import document_to_form
from medtrust.mds2.readers.base import display_name, one_line, skip_bom_and_space
from medtrust.mds2.readers.encoding import decode_text
from medtrust.mds2.readers.limits import ReadLimits


class JsonReader:
    """medtrust MDS2 JSON document (``"schema": "medtrust-mds2-form"``)."""

    name = "json"

    def sniff(self, head: bytes, filename: str | None) -> bool:
        """An object: ``{`` after an optional BOM and whitespace."""
        return skip_bom_and_space(head).startswith(b"{")

    def read(
        self,
        data: bytes,
        *,
        filename: str | None,
        catalogue: Mds2Catalogue,
        limits: ReadLimits | None = None,
    ) -> Mds2Form:
        """Parse and validate; raise :class:`Mds2Error` with the JSON path on failure."""
        name = display_name(filename)
        text, _encoding = decode_text(data, name=name)
        try:
            decoded = json.loads(text)
        except json.JSONDecodeError as exc:
            raise Mds2Error(
                f"{name}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            ) from exc
        except RecursionError as exc:
            raise Mds2Error(f"{name}: not valid JSON: nested too deeply") from exc
        except ValueError as exc:  # e.g. integers over the digit limit
            raise Mds2Error(f"{name}: not valid JSON: {one_line(exc)}") from exc
        return document_to_form(
            decoded, catalogue=catalogue, source_name=filename, source_format=self.name
        )
