"""HTML to PDF with WeasyPrint, which needs Pango from the system (see the README): where it
is missing, the HTML pages still work and the PDF says so instead of failing."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
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


def response(request: HttpRequest, template: str, context: dict, *, filename: str) -> HttpResponse:
    """TEMPLATE rendered as a PDF shown in the browser; where PDFs cannot be made, a page that
    says so."""
    try:
        body = from_html(render_to_string(template, context, request))
    except DomainError as unavailable:
        return render(request, "core/unavailable.html", {"message": unavailable.message},
                      status=unavailable.status)  # fmt: skip
    answer = HttpResponse(body, content_type="application/pdf")
    answer["Content-Disposition"] = f'inline; filename="{filename}"'
    return answer
