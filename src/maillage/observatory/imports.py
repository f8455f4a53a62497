"""Imports as the worker runs them: the file sent is kept, read and checked outside any
transaction (its progress saved as it goes, the sender able to stop it), then its accepted
rows are written in one short transaction. The page follows the job; its report stays, with
the refused lines as a spreadsheet, until IMPORTS_KEEP_DAYS."""

import logging
import uuid
from dataclasses import asdict
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core import spreadsheets, uploads
from maillage.core.errors import DomainError

from . import importer
from .models import ImportJob

logger = logging.getLogger(__name__)
State = ImportJob.State
SHOWN_REJECTED = 200  # refused lines kept in the report for the page; all are in the CSV


def submit(upload, *, kind: str, dry_run: bool, by) -> ImportJob:
    """Keep UPLOAD (a file sent by a form) to be imported by the worker; the job to follow."""
    if kind not in importer.KINDS:
        raise DomainError(_("Choisissez ce que contient le fichier."), status=422)
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise DomainError(uploads.too_large_message(), status=413)
    job = ImportJob(kind=kind, name=upload.name.replace("\x00", "")[:200] or "import.csv",
                    size=upload.size, dry_run=dry_run, by=by)  # fmt: skip
    job.file.save(f"{uuid.uuid4().hex}.csv", upload, save=False)
    job.save()
    from .tasks import run_import

    transaction.on_commit(lambda: run_import.enqueue(job=job.pk))
    return job


def stop(job: ImportJob) -> bool:
    """Stop JOB while its file is read; once the writing began, it goes to its end. Whether
    it stops (False: it was over already)."""
    if ImportJob.objects.filter(pk=job.pk, state=State.WAITING).update(
        stop_asked=True, state=State.CANCELLED, finished_at=timezone.now()
    ):
        _forget_file(job)
        stopping = True
    else:  # while read, the worker sees it at its next rows
        stopping = bool(ImportJob.objects.filter(pk=job.pk, state=State.READING).update(
            stop_asked=True))  # fmt: skip
    job.refresh_from_db()
    if not stopping and job.state == State.WRITING:
        raise DomainError(_("L'enregistrement a commencé : il ne peut plus être arrêté."))
    return stopping


def run(pk: int) -> None:
    """Import the file of job PK. A job taken up again after its worker died (the worker's
    transaction then wrote nothing) starts over."""
    now = timezone.now()
    if not ImportJob.objects.filter(pk=pk, state__in=ImportJob.RUNNING, stop_asked=False).update(
        state=State.READING, started_at=now, read_share=0.0
    ):
        if stopped := ImportJob.objects.filter(pk=pk, state__in=ImportJob.RUNNING).first():
            _finish(stopped, State.CANCELLED)  # stopped while its worker was gone
        return
    job = ImportJob.objects.get(pk=pk)
    kind = importer.KINDS[job.kind]

    def progress(share: float) -> None:
        if not ImportJob.objects.filter(pk=pk, stop_asked=False).update(read_share=share):
            raise importer.Cancelled

    try:
        with job.file.open("rb") as binary:
            report, rows = importer.read(binary, kind, progress=progress)
        if not ImportJob.objects.filter(pk=pk, stop_asked=False).update(
            state=State.WRITING, read_share=1.0
        ):
            raise importer.Cancelled
        importer.write(kind, rows, report, by=job.by, dry_run=job.dry_run)
    except importer.Cancelled:
        _finish(job, State.CANCELLED)
    except importer.Unreadable as unreadable:
        _finish(job, State.REFUSED, error=str(unreadable))
    except Exception:
        logger.exception("The import of job %s failed", pk)
        _finish(job, State.FAILED, error=_("Une erreur inattendue : rien n'a été importé. "
                                           "L'équipe technique est prévenue."))  # fmt: skip
    else:
        _finish(job, State.DONE, report=report)


def _finish(job: ImportJob, state: str, *, error: str = "", report=None) -> None:
    job.state, job.error, job.finished_at = state, error, timezone.now()
    fields = ["state", "error", "finished_at", "report", "rejected"]
    if report is not None:
        job.report = {**asdict(report), "read": report.read, "refused": len(report.rejected),
                      "rejected": report.rejected[:SHOWN_REJECTED]}  # fmt: skip
        if report.rejected:
            job.rejected.save(f"{uuid.uuid4().hex}-refus.csv", ContentFile(
                "".join(_rejected_lines(report.rejected)).encode()), save=False)  # fmt: skip
    job.save(update_fields=fields)
    _forget_file(job)


def _rejected_lines(rejected):
    header = [_("Ligne"), _("Identifiant"), _("Pourquoi")]
    return spreadsheets.lines([header, *rejected], delimiter=";", bom=True)


def _forget_file(job: ImportJob) -> None:
    if job.file:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")


def forget_old(now=None) -> int:
    """Daily: the jobs (their reports and refused lines) older than IMPORTS_KEEP_DAYS."""
    now = now or timezone.now()
    old = ImportJob.objects.filter(
        created_at__lt=now - timedelta(days=settings.IMPORTS_KEEP_DAYS)
    ).exclude(state__in=ImportJob.RUNNING)
    for job in old:
        for kept in (job.file, job.rejected):
            if kept:
                kept.delete(save=False)
    return old.delete()[0]
