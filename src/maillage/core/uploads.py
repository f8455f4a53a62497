"""The largest file anyone may send (the imports' files): reading stops past UPLOAD_MAX_BYTES,
before the file is kept whole in memory or on disk, and the view says so (`too_large`)."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


class SizeLimitedUploadHandler(FileUploadHandler):
    """First of the upload handlers: passes each chunk on to Django's own until the file
    grows past the limit, then stops the upload (the file is dropped, the form's other fields
    read before it are kept)."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > settings.UPLOAD_MAX_BYTES:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file


def too_large(request: HttpRequest) -> bool:
    """Whether a file of this request was dropped for its size."""
    request.FILES  # noqa: B018 — parses the upload, if nobody did yet
    return getattr(request, "upload_too_large", False)


def too_large_message() -> str:
    return _("Ce fichier dépasse %(limit)s, la taille la plus grande acceptée. "
             "Découpez-le en plusieurs fichiers.") % {
        "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}  # fmt: skip
