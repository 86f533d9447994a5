"""Bad input never gives a 500: garbage to the program forms, the API and the file uploads."""

import io
import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lindung.accounts.services import issue_token
from lindung.programs import clock
from lindung.programs.forms import PROGRAM_FIELDS
from lindung.programs.services import propose
from tests.factories import TODAY
from tests.programs.conftest import make_person

pytestmark = pytest.mark.django_db

NASTY = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["", " ", "5.10401E+15", "0" * 400, "-1", "1e309", "NaN", "99999999999999999999999",
         "31/02/2020", "13/2027", "\x00", "<script>", "51.04.01.2001.9", "☃" * 20]
    ),
)  # fmt: skip
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | NASTY,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children)
    ),
    max_leaves=5,
)
FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture
def target(regency_admin, program, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    enrollment = propose(user=None, program=program, person=make_person(), today=TODAY)
    client = Client()
    client.force_login(regency_admin)
    return {
        "client": client,
        "program": program,
        "enrollment": enrollment,
        "token": issue_token(regency_admin),
    }


def assert_no_500(response):
    assert response.status_code < 500, response.content[:500]


@FUZZ
@given(form=st.dictionaries(st.sampled_from(PROGRAM_FIELDS), NASTY))
def test_program_form(target, form):
    assert_no_500(target["client"].post("/program/baru/", form))
    assert_no_500(target["client"].post(f"/program/{target['program'].pk}/ubah/", form))


@FUZZ
@given(
    body=st.dictionaries(st.sampled_from([*PROGRAM_FIELDS, "nik", "round", "reason"]), JSON_VALUES)
)
def test_api(target, body):
    headers = {"Authorization": f"Bearer {target['token']}"}
    program, enrollment = target["program"], target["enrollment"]
    for path in (
        "/api/v1/programs",
        f"/api/v1/programs/{program.pk}/enrollments",
        f"/api/v1/enrollments/{enrollment.pk}/reject",
        f"/api/v1/enrollments/{enrollment.pk}/withdraw",
    ):
        response = target["client"].post(
            path, json.dumps(body), content_type="application/json", headers=headers
        )
        assert_no_500(response)


@FUZZ
@given(
    niks=NASTY,
    quota=NASTY,
    reason=NASTY,
    content=st.binary(max_size=200) | st.sampled_from([b"PK\x03\x04junk", b"NIK;STATUS\n\x00;x"]),
    name=st.sampled_from(["a.xlsx", "a.csv", "a.txt", "a.pdf"]),
)
def test_pages_and_uploads(target, niks, quota, reason, content, name):
    client, program = target["client"], target["program"]
    pk = program.pk

    def upload():
        file = io.BytesIO(content)
        file.name = name
        return file

    assert_no_500(
        client.post(
            f"/program/{pk}/usulan/?village=51.04.01.2001",
            {"action": "niks", "niks": niks, "nik_file": upload(), "round": niks},
        )
    )
    assert_no_500(client.post(f"/program/{pk}/kuota/", {"village_code": niks, "quota": quota}))
    assert_no_500(
        client.post(
            f"/program/{pk}/dasar-hukum/",
            {"number": niks, "title": reason, "issued_on": quota, "pdf": upload()},
        )
    )
    assert_no_500(client.post(f"/program/{pk}/verifikasi/", {"action": "reject", "reason": reason,
                                                             "enrollment": [niks]}))  # fmt: skip
    assert_no_500(client.post(f"/bpjs/program/{pk}/jawaban/", {"answer": upload()}))
    assert_no_500(
        client.get(f"/program/{pk}/peserta/", {"state": niks, "round": quota, "q": reason})
    )


def test_huge_ids_are_404(target):
    client, headers = target["client"], {"Authorization": f"Bearer {target['token']}"}
    huge = 2**70
    for path in (
        f"/program/{huge}/",
        f"/program/kepesertaan/{huge}/",
        f"/bpjs/program/1/batch/{huge}/",
    ):
        assert client.get(path).status_code == 404
    for path in (f"/api/v1/programs/{huge}", f"/api/v1/enrollments/{huge}"):
        assert client.get(path, headers=headers).status_code in (404, 422)
    response = client.post(
        f"/api/v1/programs/{target['program'].pk}/enrollments",
        {"nik": "5104011902850001", "round": huge},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 422
