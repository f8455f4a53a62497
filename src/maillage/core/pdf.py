"""HTML to PDF with WeasyPrint, which needs Pango from the system (see the README): where it
is missing, the HTML pages still work and the PDF says so instead of failing."""

from django.utils.translation import gettext as _

from .errors import DomainError


def from_html(html: str) -> bytes:
    try:
        import weasyprint
    except (ImportError, OSError) as missing:  # OSError: the system's Pango is missing
        raise DomainError(
            _("Le PDF n'est pas disponible sur ce serveur (il y manque Pango) : imprimez la page."),
            code="pdf-unavailable", status=503,
        ) from missing  # fmt: skip
    return weasyprint.HTML(string=html).write_pdf()
