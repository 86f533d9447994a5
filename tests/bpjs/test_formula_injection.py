"""Formula injection: every person field written into the insurer's registration workbook
and the answer template stays text, never a formula."""

import pytest

from lindung.bpjs import services
from lindung.programs import services as programs
from lindung.programs.models import Enrollment
from tests.factories import TODAY
from tests.programs.conftest import BATUBULAN, make_person
from tests.spreadsheet_checks import PAYLOADS, assert_text_not_formula

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(program, regency_admin):
    people = []
    for payload in PAYLOADS:
        person = make_person(BATUBULAN, name=payload)
        person.birth_place = person.mother_maiden_name = person.address = payload
        person.phone = "+6281234567890"
        person.save()
        people.append(person)
    enrollments = [
        programs.propose(user=None, program=program, person=p, today=TODAY) for p in people
    ]
    programs.move_many(
        user=regency_admin,
        enrollments=Enrollment.objects.filter(pk__in=[e.pk for e in enrollments]),
        to_state="verified",
    )
    return services.create_batch(user=regency_admin, program=program, note="=1+1")


def test_registration_workbook_and_answer_template(client, regency_admin, program, batch):
    client.force_login(regency_admin)
    base = f"/bpjs/program/{program.pk}/batch/{batch.pk}"
    for url in (f"{base}/berkas.xlsx", f"{base}/templat-jawaban.xlsx"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_text_not_formula(response.content, PAYLOADS)
