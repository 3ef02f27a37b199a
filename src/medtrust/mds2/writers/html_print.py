"""The MDS2 print view as one standalone HTML document (inline CSS, A4 landscape)."""

from __future__ import annotations

from medtrust.catalog.mds2 import Mds2Catalogue
from medtrust.domain.mds2 import Mds2Form
from medtrust.mds2.writers.print_view import build_print_view, template_environment

TEMPLATE = "print_view.html.j2"


class HtmlPrintWriter:
    """Writes the print view as HTML that keeps the mapping columns."""

    name = "html"
    media_type = "text/html; charset=utf-8"
    suffix = ".html"

    def write(self, form: Mds2Form, *, catalogue: Mds2Catalogue) -> bytes:
        """Render the print view of ``form``."""
        view = build_print_view(form, catalogue)
        html = template_environment().get_template(TEMPLATE).render(view=view)
        return html.encode("utf-8")
