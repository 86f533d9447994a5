"""Unreadable worker files through the page and the command line: a clear message with a
stable code, never a 500 or a traceback; a file over the upload limit is not stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape

from lindung.imports.messages import file_message
from lindung.imports.models import ImportJob
from lindung.uploads import UPLOAD_MESSAGES
from tests.imports.files import HEADER
from tests.upload_corpus import CORPUS, EXPECTED, corpus_file

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", list(CORPUS))
def test_page_explains_an_unreadable_file(client, operator, kind):
    client.force_login(operator)
    name, content = corpus_file(kind)
    response = client.post(
        reverse("imports:index"), {"file": SimpleUploadedFile(name, content)}, follow=True
    )
    assert response.status_code == 200
    if kind == "empty":  # refused by the form: no job
        assert not ImportJob.objects.exists()
        assert escape(str(UPLOAD_MESSAGES["file_empty"])) in response.content.decode()
        return
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REFUSED
    assert job.error_code == (EXPECTED[kind] or job.error_code) and job.error_code
    assert escape(file_message(job.error_code, job.error_params)) in response.content.decode()


@pytest.mark.parametrize("kind", list(CORPUS))
def test_command_explains_an_unreadable_file(tmp_path, kind):
    name, content = corpus_file(kind)
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError) as refused:
        call_command("import", "workers", str(path), "--no-progress")
    job = ImportJob.objects.get()
    assert str(refused.value) == file_message(job.error_code, job.error_params)


def test_rows_shorter_than_the_header_are_refused_row_by_row(client, operator):
    client.force_login(operator)
    body = ",".join(HEADER) + "\r\n5104011902850001\r\n5104011902850002\r\n"
    client.post(reverse("imports:index"), {"file": SimpleUploadedFile("a.csv", body.encode())})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE
    assert job.rejected == 2 and "name_missing" in job.errors_by_code


def test_a_file_over_the_limit_is_refused_by_the_form(client, operator, settings):
    settings.LINDUNG_UPLOAD_MAX_BYTES = 1000
    client.force_login(operator)
    upload = SimpleUploadedFile("besar.csv", b"nik,nama\r\n" + b"5104011902850001,A\r\n" * 60)
    response = client.post(reverse("imports:index"), {"file": upload})
    assert response.status_code == 200
    assert "Berkas terlalu besar (batas 0 MB)" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_upload_over_the_limit_is_refused_before_it_is_read(client, operator, settings):
    settings.LINDUNG_UPLOAD_MAX_BYTES = 1000
    client.force_login(operator)
    upload = SimpleUploadedFile("besar.csv", b"x" * 200_000)
    response = client.post(reverse("imports:index"), {"file": upload})
    assert response.status_code == 413
    assert 'data-code="file_too_large"' in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_command_refuses_a_file_over_its_limit(tmp_path, settings):
    settings.LINDUNG_IMPORT_MAX_MB = 0
    path = tmp_path / "besar.csv"
    path.write_bytes(b"nik,nama\r\n5104011902850001,A\r\n")
    with pytest.raises(CommandError, match="Berkas terlalu besar"):
        call_command("import", "workers", str(path), "--no-progress")
    assert not ImportJob.objects.exists()
