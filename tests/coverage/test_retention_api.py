"""``/api/v1/retention`` and the dashboard's retention per program, on the hand-built
Gianyar: the regency's round kept p1 (continued until 05/11) and lost p2; the province's
program lost p6; Jembrana's p7 never counts for Gianyar."""

import pytest
from django.test import Client

from lindung.accounts.models import Role

pytestmark = pytest.mark.django_db
END = "2024-12-31"


@pytest.fixture
def api(viewer):
    client = Client()
    client.force_login(viewer)
    return client


def months(one, three, six):
    def out(ended, kept):
        return {
            "ended": ended,
            "still_covered": kept,
            "rate": round(kept * 100 / ended, 2) if ended else None,
        }

    return {"1": out(*one), "3": out(*three), "6": out(*six)}


def test_retention_of_a_regency_by_district_and_by_program(gianyar, api):
    data = api.get(f"/api/v1/retention?region=51.04&date={END}").json()
    assert (data["region"], data["by"]) == ("51.04", "region")
    assert data["retention"] == months((3, 1), (3, 1), (2, 0))
    (sukawati,) = data["groups"]
    assert sukawati["key"] == "51.04.01" and sukawati["retention"] == data["retention"]

    data = api.get(f"/api/v1/retention?region=51.04&date={END}&by=program").json()
    by_key = {g["key"]: g for g in data["groups"]}
    assert by_key[str(gianyar.regency.pk)]["retention"] == months((2, 1), (2, 1), (2, 0))
    assert by_key[str(gianyar.province.pk)]["retention"] == months((1, 0), (1, 0), (0, 0))
    assert by_key[str(gianyar.regency.pk)]["name"] == gianyar.regency.name


def test_one_program_and_a_breakdown_by_the_worker(gianyar, api):
    one = api.get(f"/api/v1/retention?region=51.04&date={END}&program={gianyar.province.pk}")
    data = one.json()
    assert data["by"] == "program" and data["retention"] == months((1, 0), (1, 0), (0, 0))
    none = api.get(f"/api/v1/retention?region=51.04&date={END}&program=999999").json()
    assert none["groups"] == [] and none["retention"] == months((0, 0), (0, 0), (0, 0))

    data = api.get(f"/api/v1/retention?region=51.04&date={END}&by=category").json()
    by_key = {g["key"]: g["retention"] for g in data["groups"]}
    assert by_key["pekerja_rentan"] == months((2, 1), (2, 1), (1, 0))  # p1, p6
    assert by_key["kader_desa"] == months((1, 0), (1, 0), (1, 0))  # p2


def test_bad_input_and_regions_outside_the_scope(gianyar, api, make_user):
    assert api.get("/api/v1/retention?region=51.04&by=nothing").status_code == 422
    assert api.get("/api/v1/retention?region=51.04&date=31-12-2024").status_code == 422
    jembrana = Client()
    jembrana.force_login(make_user("jembrana.viewer", Role.VIEWER, "51.01"))
    assert jembrana.get("/api/v1/retention?region=51.04").status_code == 404


def test_the_dashboard_lists_retention_per_program(gianyar, api):
    html = api.get(f"/dasbor/51.04/?tanggal={END}").content.decode()
    assert 'id="panel-retensi-program"' in html
    assert gianyar.regency.name in html.split('id="panel-retensi-program"')[1]
    xlsx = api.get(f"/dasbor/51.04/xlsx/?tanggal={END}&tabel=retensi_program")
    assert xlsx.status_code == 200
    assert api.get(f"/dasbor/51.04/laporan.pdf?tanggal={END}").status_code == 200


def test_retention_per_agent(gianyar, api):
    """p1 and p2 came through a BumDes agent; p6 through nobody. The agent kept one of two
    after one and three months, none after six."""
    from lindung.agents.models import Agent
    from lindung.coverage import summary
    from lindung.programs.models import Enrollment

    agent = Agent.objects.create(regency_id="51.04", full_name="Agen BumDes Batubulan")
    Enrollment.objects.filter(person__in=[gianyar.p1, gianyar.p2]).update(agent=agent)
    # The enrollments' trigger marked Batubulan: the API's read refreshes it first.
    data = api.get(f"/api/v1/retention?region=51.04&date={END}&by=agent").json()
    assert data["groups"] == [
        {"key": str(agent.pk), "name": agent.full_name, "retention": months((2, 1), (2, 1), (2, 0))}
    ]
    html = api.get(f"/dasbor/51.04/?tanggal={END}").content.decode()
    assert agent.full_name in html.split('id="panel-retensi-agen"')[1]
    assert summary.verify() == []


def test_an_agents_page_shows_its_retention(gianyar, api, make_user):
    from lindung.agents.models import Agent
    from lindung.programs.models import Enrollment

    agent = Agent.objects.create(regency_id="51.04", full_name="Agen BumDes Batubulan")
    Enrollment.objects.filter(person__in=[gianyar.p1, gianyar.p2]).update(agent=agent)
    admin = Client()
    admin.force_login(make_user("disnaker.gianyar", Role.REGENCY_ADMIN, "51.04"))
    url = f"/dasbor/agen/{agent.pk}/retensi/?tanggal={END}"
    fragment = admin.get(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert html.startswith('<section class="panel" id="panel-retensi-agen">')
    cells = [c.strip() for c in html.split('<td class="num">')[1:]]
    assert [c.split("<")[0] for c in cells[:3]] == ["2", "1", "50,00%"]  # after one month
    page = admin.get(url)  # without JavaScript: a page of its own
    assert page.status_code == 200 and "<html" in page.content.decode()
    assert "panel-retensi-agen" in admin.get(f"/agen/{agent.pk}/").content.decode()
    jembrana = Client()
    jembrana.force_login(make_user("disnaker.jembrana", Role.REGENCY_ADMIN, "51.01"))
    assert jembrana.get(url).status_code == 404


def test_the_dashboard_draws_retention(gianyar, api):
    """A chart of the share still covered after 1, 3 and 6 months, and one per program."""
    html = api.get(f"/dasbor/51.04/?tanggal={END}").content.decode()
    panel = html.split('id="panel-retensi"')[1].split("</section>")[0]
    assert "<svg" in panel and "50,00% (1/2)" not in panel  # the region: 1 of 3
    assert "33,33% (1/3)" in panel
    programs = html.split('id="panel-retensi-program"')[1].split("</section>")[0]
    assert "<svg" in programs and "50,00%" in programs  # the regency's round, 3 months
