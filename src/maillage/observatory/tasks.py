"""Daily jobs of the observatory, enqueued by `core.schedule`."""

from django.tasks import task

from . import indicators, reports


@task
def file_reports() -> list[str]:
    """File last month's activity report (and last year's in January) once they are over."""
    return reports.file_due()


@task
def warm_figures() -> None:
    """Count the dashboard's default figures again after a change (see `indicators`)."""
    indicators.warm()


@task
def run_import(job: int) -> None:
    """Import the file of an import job (see `imports`)."""
    from . import imports

    imports.run(job)


@task
def forget_old_imports() -> int:
    """Forget the import jobs past IMPORTS_KEEP_DAYS, their files with them."""
    from . import imports

    return imports.forget_old()
