"""The import page as a person uses it: a file sent is read by the worker, followed on its
page, can be stopped, is refused whole when it cannot be read, and never breaks a page — too
large, random bytes, a NUL or an over-long value in a cell."""

import html
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from maillage.observatory import importer, imports
from maillage.observatory.models import ImportJob
from maillage.territory.models import Organisation
from tests.factories import UserFactory
from tests.observatory.test_import import HEADER, ROWS
from tests.pages import read
from tests.spreadsheets import rows_of


@pytest.fixture
def team_client(client, db):
    client.force_login(UserFactory(role="animateur"))
    return client


def _send(client, content: bytes, capture, *, name="structures.csv", **fields):
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    with capture(execute=True):  # the worker takes the job once the page's transaction ends
        return client.post("/observatoire/import/", {"fichier": upload, **fields})


def _page(client, response) -> str:
    assert response.status_code == 302, html.unescape(response.text)
    return read(client.get(response["Location"]))


def test_a_file_sent_is_imported_by_the_worker_and_its_page_gives_the_report(
    team_client, django_capture_on_commit_callbacks
):
    sent = _send(team_client, (HEADER + "".join(ROWS)).encode("cp1252"),
                 django_capture_on_commit_callbacks)  # fmt: skip
    page = _page(team_client, sent)
    assert "Import terminé" in page and "2 structures créées" in page
    assert "4 lignes refusées" in page and "En double : déjà ligne 2." in page
    job = ImportJob.objects.get()
    assert job.state == "fini" and not job.file  # the file sent is not kept once read
    assert Organisation.objects.filter(data_inclusion_id__startswith="dora:").count() == 2
    listed = html.unescape(team_client.get("/observatoire/import/").text)
    assert "structures.csv" in listed and "Terminé" in listed


def test_a_running_import_shows_its_progress_and_asks_again_by_itself(team_client):
    upload = SimpleUploadedFile("gros.csv", (HEADER + ROWS[0]).encode())
    job = imports.submit(upload, kind="structures", dry_run=False, by=None)
    ImportJob.objects.filter(pk=job.pk).update(state="lecture", read_share=0.42)
    page = html.unescape(team_client.get(f"/observatoire/import/{job.pk}/").text)
    assert "Lecture et vérification des lignes" in page and "42 %" in page
    assert 'hx-trigger="every 2s"' in page and "Arrêter l'import" in page
    part = team_client.get(f"/observatoire/import/{job.pk}/?partie=etat").text
    assert part.lstrip().startswith("<section") and "<html" not in part
    imports.run(job.pk)  # the worker, here after the page was seen
    done = team_client.get(f"/observatoire/import/{job.pk}/?partie=etat").text
    assert "hx-trigger" not in done and "Import terminé" in html.unescape(done)


def test_a_form_sent_twice_makes_one_import(team_client, django_capture_on_commit_callbacks):
    form = team_client.get("/observatoire/import/").text
    key = form.split('name="cle" value="')[1].split('"')[0]
    content = (HEADER + ROWS[0]).encode()
    first = _send(team_client, content, django_capture_on_commit_callbacks, cle=key)
    again = _send(team_client, content, django_capture_on_commit_callbacks, cle=key)
    assert first["Location"] == again["Location"] and ImportJob.objects.count() == 1


def test_a_file_past_the_limit_is_refused_before_it_is_kept(
    team_client, settings, django_capture_on_commit_callbacks
):
    settings.UPLOAD_MAX_BYTES = 1024
    refused = _send(team_client, (HEADER + ROWS[0]).encode() * 20,
                    django_capture_on_commit_callbacks)  # fmt: skip
    assert refused.status_code == 413
    page = html.unescape(refused.text)
    assert "Ce fichier dépasse 1,0\xa0Kio, la taille la plus grande acceptée." in page
    assert "Choisissez un fichier" not in page  # it was chosen, and too large
    assert not ImportJob.objects.exists() and not Organisation.objects.exists()


def test_random_bytes_are_refused_whole_and_nothing_is_written(
    team_client, django_capture_on_commit_callbacks
):
    page = _page(team_client, _send(team_client, os.urandom(200_000),
                                    django_capture_on_commit_callbacks))  # fmt: skip
    assert "Refusé" in page and "Rien n'a été importé." in page
    assert ImportJob.objects.get().state == "refuse" and not Organisation.objects.exists()


def test_a_file_unreadable_past_its_first_rows_writes_none_of_them(
    team_client, django_capture_on_commit_callbacks
):
    good = "".join(f"dora;g{n};Structure {n};;;;;;;\n" for n in range(3000))  # past the sample
    content = (HEADER + good).encode() + b"dora;x;Caf\xe9 cass\xc3;;;;;;;\n"  # not UTF-8
    page = _page(team_client, _send(team_client, content, django_capture_on_commit_callbacks))
    assert "enregistrez-le en UTF-8" in page and "Rien n'a été importé." in page
    assert not Organisation.objects.exists()


def test_a_nul_or_an_over_long_value_refuses_its_line_with_the_reason(
    team_client, django_capture_on_commit_callbacks
):
    rows = [
        "dora;n1;Le\x00café;;;;;;;\n",
        f"dora;n2;Le quai;;;;{'M' * 150};;;\n",  # commune: 100 characters at most
        f"dora;n3;{'N' * 201};;;;;;;\n",
        f"dora;n4;Le long texte;{'D' * 6000};;;;;;\n",  # a presentation is kept, cut short
        f"dora;{'i' * 300};Un id trop long;;;;;;;\n",
    ]
    page = _page(team_client, _send(team_client, (HEADER + "".join(rows)).encode(),
                                    django_capture_on_commit_callbacks))  # fmt: skip
    assert "1 structure créée" in page and "4 lignes refusées" in page
    assert "Un caractère nul dans : nom." in page
    assert "« commune » a 150 caractères, 100 au plus." in page
    assert "« nom » a 201 caractères, 200 au plus." in page
    assert "« source » et « id » ensemble ont plus de 200 caractères." in page
    kept = Organisation.objects.get()
    assert kept.name == "Le long texte" and len(kept.description) == 5000


def test_a_nul_in_a_column_name_never_reaches_the_report(
    team_client, django_capture_on_commit_callbacks
):
    content = b"source;id;nom;com\x00mune\ndora;c1;Le port;M\x00artigues\n"
    page = _page(team_client, _send(team_client, content, django_capture_on_commit_callbacks))
    assert "Un caractère nul dans : commune." in page
    assert ImportJob.objects.get().state == "fini"


def test_the_refused_lines_download_as_a_spreadsheet_that_runs_no_formula(
    team_client, django_capture_on_commit_callbacks
):
    rows = ['dora;=HYPERLINK("http://x.example");;;;;;;;\n', "dora;ok;Un lieu;;;;;;;\n"]
    sent = _send(team_client, (HEADER + "".join(rows)).encode(),
                 django_capture_on_commit_callbacks)  # fmt: skip
    job = ImportJob.objects.get()
    assert "Télécharger les lignes refusées" in _page(team_client, sent)
    download = team_client.get(f"/observatoire/import/{job.pk}/refus.csv")
    assert download["Content-Type"].startswith("text/csv")
    lines = rows_of(download, delimiter=";")
    assert lines == [["Ligne", "Identifiant", "Pourquoi"],
                     ["2", '\'=HYPERLINK("http://x.example")', "Vide : nom."]]  # fmt: skip


def test_an_import_stopped_while_read_writes_nothing(db, monkeypatch):
    rows = "".join(f"dora;s{n};Structure {n};;;;;;;\n" for n in range(2 * importer.BATCH + 10))
    job = imports.submit(SimpleUploadedFile("long.csv", (HEADER + rows).encode()),
                         kind="structures", dry_run=False, by=None)  # fmt: skip
    read = importer.read

    def stopped_midway(binary, kind, *, progress):
        def told(share):
            imports.stop(ImportJob.objects.get(pk=job.pk))  # the person clicks « Arrêter »
            progress(share)

        return read(binary, kind, progress=told)

    monkeypatch.setattr(importer, "read", stopped_midway)
    imports.run(job.pk)
    job.refresh_from_db()
    assert job.state == "arrete" and not job.file and not Organisation.objects.exists()


def test_a_waiting_import_stops_at_once_and_a_written_one_cannot(db):
    upload = SimpleUploadedFile("a.csv", (HEADER + ROWS[0]).encode())
    waiting = imports.submit(upload, kind="structures", dry_run=False, by=None)
    imports.stop(waiting)
    assert waiting.state == "arrete"
    imports.run(waiting.pk)
    assert not Organisation.objects.exists()
    writing = imports.submit(SimpleUploadedFile("b.csv", (HEADER + ROWS[0]).encode()),
                             kind="structures", dry_run=False, by=None)  # fmt: skip
    ImportJob.objects.filter(pk=writing.pk).update(state="ecriture")
    with pytest.raises(imports.DomainError, match="ne peut plus être arrêté"):
        imports.stop(writing)


def test_an_import_whose_worker_died_is_read_again_from_the_start(db):
    job = imports.submit(SimpleUploadedFile("a.csv", (HEADER + "".join(ROWS[:2])).encode()),
                         kind="structures", dry_run=False, by=None)  # fmt: skip
    ImportJob.objects.filter(pk=job.pk).update(state="lecture", read_share=0.5)  # then killed
    imports.run(job.pk)  # taken up again by another worker
    job.refresh_from_db()
    assert job.state == "fini" and job.report["created"] == 2
    assert imports.stop(job) is False and job.state == "fini"  # over: nothing to stop


def test_old_imports_are_forgotten_with_their_files(db, settings):
    from datetime import timedelta

    from django.utils import timezone

    rows = (HEADER + "dora;;Sans id;;;;;;;\n").encode()
    job = imports.submit(SimpleUploadedFile("a.csv", rows), kind="structures", dry_run=False,
                         by=None)  # fmt: skip
    imports.run(job.pk)
    job.refresh_from_db()
    kept = job.rejected.path
    assert os.path.exists(kept)
    later = timezone.now() + timedelta(days=settings.IMPORTS_KEEP_DAYS + 1)
    assert imports.forget_old(later) == 1
    assert not ImportJob.objects.exists() and not os.path.exists(kept)


def test_only_the_lab_team_imports(client, db):
    assert client.get("/observatoire/import/").status_code == 302  # to log in
    client.force_login(UserFactory())
    assert client.get("/observatoire/import/").status_code == 404
    assert client.get("/observatoire/import/1/").status_code == 404
