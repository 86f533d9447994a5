"""The demo reproduces the article: 6,400 in 2023, 12,800 in 2024, Jembrana's 4,800 → 3,800.

Run by ``tests/test_demo.py`` on the demo it loads once for every app's checks."""

from lindung.programs.lifecycle import State
from lindung.programs.models import Enrollment, Program, Transition, VillageQuota
from lindung.programs.selectors import program_totals


def check_programs_have_the_articles_figures():
    figures = {p.name: (program_totals(None, p), p) for p in Program.objects.all()}
    gianyar_2023, _ = figures["Perlindungan Pekerja Rentan Gianyar 2023"]
    assert (gianyar_2023.villages, gianyar_2023.sponsored) == (64, 6_400)
    gianyar_2024, program = figures["Perlindungan Pekerja Rentan Gianyar 2024"]
    assert (gianyar_2024.places, gianyar_2024.sponsored) == (12_800, 12_800)
    assert program.committed == 1_290_240_000  # 12,800 × Rp 16,800 × 6
    jembrana, program = figures["Perlindungan Pekerja Rentan Jembrana 2022"]
    assert (jembrana.villages, jembrana.places) == (51, 5_100)  # kelurahan included
    assert sum(jembrana.by_state.values()) == 4_800
    assert jembrana.by_state["rejected"] == 1_000 and jembrana.sponsored == 3_800
    open_program, program = figures["Perlindungan Pekerja Rentan Gianyar 2027"]
    assert open_program.by_state == {"proposed": 18, "verified": 6}

    # 2024: different people in each round and from 2023.
    people = Enrollment.objects.filter(program__year__in=[2023, 2024]).values("person")
    assert people.distinct().count() == 6_400 + 12_800
    # Counters agree with the enrollments, and every enrollment has its whole history.
    holding = Enrollment.objects.exclude(state__in=[State.REJECTED, State.WITHDRAWN]).count()
    assert sum(VillageQuota.objects.values_list("used", flat=True)) == holding
    ended = Enrollment.objects.filter(state=State.LAPSED).first()
    assert [t.to_state for t in ended.transitions.order_by("at")] == [
        "proposed", "verified", "submitted", "active", "ended", "lapsed",
    ]  # fmt: skip


COUNTED = (Enrollment, Transition, Program)
