"""Unreadable figure files (workforce, targets, reported members): page and command line."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils.html import escape

from lindung.targets import importing
from tests.upload_corpus import CORPUS, EXPECTED, corpus_file

pytestmark = pytest.mark.django_db


def _refusal(user, kind) -> importing.FileRefused:
    name, content = corpus_file(kind)
    with pytest.raises(importing.FileRefused) as refused:
        importing.import_figures(user=user, data=content, name=name)
    assert refused.value.code in importing.FILE_MESSAGES
    assert refused.value.code == (EXPECTED[kind] or refused.value.code)
    return refused.value


@pytest.mark.parametrize("kind", list(CORPUS))
def test_page_explains_an_unreadable_file(client, regency_admin, kind):
    client.force_login(regency_admin)
    name, content = corpus_file(kind)
    response = client.post(
        "/target/51.04/unggah/", {"file": SimpleUploadedFile(name, content), "kind": ""},
        follow=True,
    )  # fmt: skip
    assert response.status_code == 200
    assert escape(_refusal(regency_admin, kind).message) in response.content.decode()


@pytest.mark.parametrize("kind", list(CORPUS))
def test_command_explains_an_unreadable_file(tmp_path, kind):
    name, content = corpus_file(kind)
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError) as refused:
        call_command("targets", "import", str(path))
    assert str(refused.value) == _refusal(None, kind).message
