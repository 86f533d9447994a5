"""The checks every upload goes through: the size limit at the door (pages and API) and the
shape of the file before any reader parses it."""

import pytest

from lindung.uploads import UploadRefused, inspect
from tests.upload_corpus import CORPUS, EXPECTED, corpus_file


@pytest.mark.parametrize("kind", [k for k, code in EXPECTED.items() if code])
def test_inspect_names_what_is_wrong(kind):
    with pytest.raises(UploadRefused) as refused:
        inspect(*reversed(corpus_file(kind)))
    assert refused.value.code == EXPECTED[kind]
    assert refused.value.message and "%(" not in refused.value.message


def test_real_files_pass():
    from tests.imports.files import row, to_csv, to_xlsx

    inspect(to_csv([row(1)]), "a.csv")
    inspect(to_xlsx([row(1)]), "a.xlsx")
    inspect("nik;nama\r\n5104011902850001;Ñyoman\r\n".encode("cp1252"), "a.csv")
    assert set(EXPECTED) == set(CORPUS)


@pytest.mark.django_db
def test_an_api_request_over_the_limit_is_refused_with_json(client, settings):
    settings.LINDUNG_UPLOAD_MAX_BYTES = 1000
    response = client.post(
        "/api/v1/workers", data=b"{" + b" " * 100_000 + b"}", content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["code"] == "file_too_large"
    assert "Berkas terlalu besar" in response.json()["message"]
