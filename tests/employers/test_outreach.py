"""Outreach: actions and their follow-ups, socialisation events, and the work list's order."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile

from lindung.employers import selectors, services
from lindung.employers.models import Action
from tests.employers.conftest import JEMBRANA, TODAY, UBUD, make_employer

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def visit(employer, *, done_on="20/11/2026", follow_up_on="", user=None, **extra):
    data = {
        "kind": "visit",
        "done_on": done_on,
        "outcome": "promised",
        "follow_up_on": follow_up_on,
    } | extra
    return services.record_action(user=user, employer=employer, data=data, today=TODAY)


def uncovered(name, nib, total, registered, **extra):
    return make_employer(
        name=name,
        nib=nib,
        total_workers=str(total),
        workers_male="",
        workers_female="",
        registered_workers=str(registered),
        programs="JKK,JKM" if registered else "",
        npp="N" if registered else "",
        **extra,
    )


def test_a_visit_sets_the_next_follow_up():
    employer = uncovered("UD Satu", "1000000000001", 10, 0)
    visit(employer, follow_up_on="01/12/2026")
    employer.refresh_from_db()
    assert employer.next_follow_up == dt.date(2026, 12, 1)


def test_a_new_action_replaces_the_plan_of_the_last_one():
    employer = uncovered("UD Satu", "1000000000001", 10, 0)
    visit(employer, done_on="10/11/2026", follow_up_on="15/11/2026")
    visit(employer, done_on="20/11/2026")
    employer.refresh_from_db()
    assert employer.next_follow_up is None
    assert list(employer.actions.values_list("follow_up_done", flat=True)) == [False, True]


def test_a_follow_up_before_the_action_is_refused():
    employer = uncovered("UD Satu", "1000000000001", 10, 0)
    with pytest.raises(services.EmployerInvalid) as error:
        visit(employer, follow_up_on="01/11/2026")
    assert [p.code for p in error.value.problems] == ["follow_up_before"]


def test_a_letter_needs_its_number_and_keeps_its_pdf():
    employer = uncovered("UD Satu", "1000000000001", 10, 0)
    with pytest.raises(services.EmployerInvalid) as error:
        visit(employer, kind="letter")
    assert [p.code for p in error.value.problems] == ["letter_number_required"]
    action = services.record_action(
        user=None,
        employer=employer,
        today=TODAY,
        data={
            "kind": "letter",
            "done_on": "20/11/2026",
            "outcome": "no_response",
            "letter_number": "560/123/Disnaker/2026",
        },
        document=ContentFile(PDF, name="surat.pdf"),
    )
    name = action.document.name.rpartition("/")[2]
    assert name.startswith("560-123-disnaker-2026") and name.endswith(".pdf")
    assert action.document.read() == PDF


def test_a_letter_that_is_not_a_pdf_is_refused():
    employer = uncovered("UD Satu", "1000000000001", 10, 0)
    with pytest.raises(services.EmployerInvalid) as error:
        services.record_action(
            user=None,
            employer=employer,
            today=TODAY,
            data={
                "kind": "letter",
                "done_on": "20/11/2026",
                "outcome": "no_response",
                "letter_number": "1",
            },
            document=ContentFile(b"PK\x03\x04 not a pdf", name="surat.pdf"),
        )
    assert [p.code for p in error.value.problems] == ["document_not_pdf"]


def test_an_event_covers_many_employers_with_its_attendance():
    one = uncovered("UD Satu", "1000000000001", 10, 0)
    two = uncovered("UD Dua", "1000000000002", 8, 0)
    event = services.hold_event(
        user=None,
        data={
            "title": "Sosialisasi Sukawati",
            "held_on": "18/11/2026",
            "village_code": one.village_id,
            "follow_up_on": "02/12/2026",
        },
        employers=[one, two],
        attended={one.pk},
        today=TODAY,
    )
    outcomes = dict(event.actions.values_list("employer__name", "outcome"))
    assert outcomes == {"UD Satu": Action.Outcome.ATTENDED, "UD Dua": Action.Outcome.ABSENT}
    one.refresh_from_db()
    assert one.next_follow_up == dt.date(2026, 12, 2)


def test_an_event_without_employers_is_refused():
    with pytest.raises(services.EmployerInvalid) as error:
        services.hold_event(
            user=None,
            data={"title": "x", "held_on": "18/11/2026", "village_code": "51.04.01.2001"},
            employers=[],
            attended=set(),
            today=TODAY,
        )
    assert [(p.field, p.code) for p in error.value.problems] == [("employers", "no_employers")]


def test_the_work_list_puts_overdue_follow_ups_first_then_most_uncovered():
    big = uncovered("PT Besar", "1000000000001", 120, 20)  # 100 uncovered
    mid = uncovered("CV Sedang", "1000000000002", 50, 0)  # 50
    small = uncovered("UD Kecil", "1000000000003", 6, 0)  # 6, overdue
    later = uncovered("UD Nanti", "1000000000004", 9, 0)  # 9, follow-up not yet due
    older = uncovered("UD Lama", "1000000000005", 3, 0)  # 3, overdue for longer
    uncovered("PT Lunas", "1000000000006", 30, 30)  # nobody uncovered: not on the list
    uncovered("UD Tutup", "1000000000007", 5, 0, closed_on="01/11/2026")
    visit(small, done_on="10/11/2026", follow_up_on="20/11/2026")
    visit(older, done_on="01/11/2026", follow_up_on="05/11/2026")
    visit(later, done_on="20/11/2026", follow_up_on="10/12/2026")
    rows = list(selectors.work_list(None, {}, today=TODAY))
    assert rows == [older, small, big, mid, later]


def test_the_work_list_filters_by_sector_size_and_district():
    fish = uncovered("PT Ikan", "1000000000001", 120, 20)
    shop = uncovered("Minimarket", "1000000000002", 10, 0, sector="47111")
    ubud = uncovered("Warung Ubud", "1000000000003", 3, 0, sector="I", village_code=UBUD)
    assert list(selectors.work_list(None, {"sector": "G"}, today=TODAY)) == [shop]
    assert list(selectors.work_list(None, {"size": "large"}, today=TODAY)) == [fish]
    assert list(selectors.work_list(None, {"district": UBUD[:8]}, today=TODAY)) == [ubud]


def test_the_work_list_is_scoped(operator):
    inside = uncovered("UD Dalam", "1000000000001", 10, 0)
    uncovered("UD Luar", "1000000000002", 10, 0, village_code=JEMBRANA)
    assert list(selectors.work_list(operator, {}, today=TODAY)) == [inside]


def test_agents_and_viewers_record_nothing(agent):
    employer = uncovered("UD Satu", "1000000000001", 10, 0)
    with pytest.raises(services.EmployerRefused):
        visit(employer, user=agent)


def test_the_work_list_count_stops_at_its_cap(monkeypatch):
    from lindung.employers import selectors as module

    monkeypatch.setattr(module, "COUNT_CAP", 2)
    for i in range(4):
        uncovered(f"UD {i}", f"100000000000{i}", 10 + i, 0)
    rows = selectors.work_list(None, {}, today=TODAY)
    assert rows.count() == 2 and rows.capped
    assert [e.name for e in rows[0:4]] == ["UD 3", "UD 2", "UD 1", "UD 0"]
