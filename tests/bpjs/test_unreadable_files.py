"""Unreadable answer files from the insurer through the page and the command line."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils.html import escape

from lindung.bpjs import services
from lindung.bpjs.files import FILE_MESSAGES, AnswerFileInvalid
from tests.upload_corpus import CORPUS, EXPECTED, corpus_file

pytestmark = pytest.mark.django_db


def _refusal(program, regency_admin, kind) -> AnswerFileInvalid:
    name, content = corpus_file(kind)
    with pytest.raises(AnswerFileInvalid) as refused:
        services.import_answer(user=regency_admin, program=program, content=content, file_name=name)
    assert refused.value.code in FILE_MESSAGES
    assert refused.value.code == (EXPECTED[kind] or refused.value.code)
    return refused.value


@pytest.mark.parametrize("kind", list(CORPUS))
def test_page_explains_an_unreadable_file(client, regency_admin, program, kind):
    client.force_login(regency_admin)
    name, content = corpus_file(kind)
    response = client.post(
        f"/bpjs/program/{program.pk}/jawaban/",
        {"answer": SimpleUploadedFile(name, content)},
        follow=True,
    )
    assert response.status_code == 200
    message = _refusal(program, regency_admin, kind).message
    assert escape(message) in response.content.decode()


@pytest.mark.parametrize("kind", list(CORPUS))
def test_command_explains_an_unreadable_file(tmp_path, regency_admin, program, kind):
    name, content = corpus_file(kind)
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError) as refused:
        call_command("bpjs", "import-answer", str(path), "--program", str(program.pk),
                     "--user", regency_admin.username)  # fmt: skip
    assert str(refused.value) == _refusal(program, regency_admin, kind).message


def test_over_the_limit_on_the_page(client, regency_admin, program, settings):
    settings.LINDUNG_UPLOAD_MAX_BYTES = 1000
    client.force_login(regency_admin)
    upload = SimpleUploadedFile("jawaban.csv", b"NIK;NO_KPJ\r\n" + b"5104011902850001;1\r\n" * 60)
    response = client.post(f"/bpjs/program/{program.pk}/jawaban/", {"answer": upload}, follow=True)
    assert "Berkas terlalu besar (batas 0 MB)" in response.content.decode()
