"""Unreadable payment files through the page and the command line: the reader's message
with a stable code, never a 500 or a traceback; a file over the limit is refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils.html import escape

from lindung.billing.models import PaymentImport
from lindung.billing.services import IMPORT_MESSAGES, ImportUnreadable, import_payments
from tests.factories import TODAY
from tests.upload_corpus import CORPUS, EXPECTED, corpus_file

pytestmark = pytest.mark.django_db


def _refusal(kind) -> ImportUnreadable:
    name, content = corpus_file(kind)
    with pytest.raises(ImportUnreadable) as refused:
        import_payments(user=None, file_name=name, content=content, today=TODAY)
    assert refused.value.code in IMPORT_MESSAGES
    assert refused.value.code == (EXPECTED[kind] or refused.value.code)
    return refused.value


@pytest.mark.parametrize("kind", list(CORPUS))
def test_page_explains_an_unreadable_file(client, regency_admin, kind):
    client.force_login(regency_admin)
    name, content = corpus_file(kind)
    response = client.post(
        "/tagihan/impor-pembayaran/", {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    message = IMPORT_MESSAGES["file_empty"] if kind == "empty" else _refusal(kind).message
    assert escape(str(message)) in response.content.decode()
    assert not PaymentImport.objects.exists()


@pytest.mark.parametrize("kind", list(CORPUS))
def test_command_explains_an_unreadable_file(tmp_path, kind):
    name, content = corpus_file(kind)
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError) as refused:
        call_command("billing", "import-payments", str(path))
    assert str(refused.value) == _refusal(kind).message


def test_over_the_limit_on_the_page_and_the_command(client, regency_admin, settings, tmp_path):
    settings.LINDUNG_UPLOAD_MAX_BYTES = 1000
    client.force_login(regency_admin)
    body = b"nomor_tagihan,tanggal_bayar,jumlah,referensi\r\n" + b"T-1,1/2/2024,1,R\r\n" * 100
    response = client.post(
        "/tagihan/impor-pembayaran/", {"file": SimpleUploadedFile("a.csv", body)}
    )
    assert "Berkas terlalu besar" in response.content.decode()
    path = tmp_path / "a.csv"
    path.write_bytes(body)
    with pytest.raises(CommandError, match="Berkas terlalu besar"):
        call_command("billing", "import-payments", str(path))
    assert not PaymentImport.objects.exists()
