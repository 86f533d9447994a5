"""Who may be proposed to a program: stable refusal codes with Indonesian messages.

The checks that depend only on the person and the program run here, before the proposal's
transaction. ``quota_full`` and ``budget_exceeded`` are decided inside it, by conditional
updates of the guarded counters (see ``services.propose``); ``already_covered`` is also
held by a unique index, so two operators proposing the same person at once cannot both win.
"""

import datetime as dt

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from lindung.people.models import Membership, Person
from lindung.programs.lifecycle import OPEN
from lindung.programs.models import Enrollment, Program, ProgramVillage, Round
from lindung.refusals import Refusal

QUOTA_FULL = "quota_full"
BUDGET_EXCEEDED = "budget_exceeded"
ALREADY_COVERED = "already_covered"
AGE_OUT_OF_RANGE = "age_out_of_range"
CATEGORY_NOT_ELIGIBLE = "category_not_eligible"
OUTSIDE_PROGRAM_AREA = "outside_program_area"
ROUND_CLOSED = "round_closed"
DECILE_NOT_FAVOURED = "decile_not_favoured"

CODES = (
    QUOTA_FULL,
    BUDGET_EXCEEDED,
    ALREADY_COVERED,
    AGE_OUT_OF_RANGE,
    CATEGORY_NOT_ELIGIBLE,
    OUTSIDE_PROGRAM_AREA,
    DECILE_NOT_FAVOURED,
)

MESSAGES = {
    QUOTA_FULL: _(
        "Kuota desa untuk putaran ini sudah terpakai semua: tarik usulan lain atau usulkan "
        "pada putaran berikutnya."
    ),
    BUDGET_EXCEEDED: _(
        "Anggaran program tidak cukup: iuran yang sudah terikat ditambah iuran pekerja ini "
        "melebihi pagu. Kabupaten dapat menambah pagu atau menarik usulan lain."
    ),
    ALREADY_COVERED: _(
        "Pekerja ini sudah terlindungi atau sedang diusulkan (di program ini atau program "
        "lain), atau tercatat sebagai peserta penerima upah (pekerja formal). Tercatat: "
        "%(where)s."
    ),
    AGE_OUT_OF_RANGE: _(
        "Umur pekerja pada awal kepesertaan di luar batas program (%(min)s–%(max)s tahun)."
    ),
    CATEGORY_NOT_ELIGIBLE: _(
        "Kategori peserta pekerja ini bukan sasaran program (sasaran: %(categories)s)."
    ),
    OUTSIDE_PROGRAM_AREA: _(
        "Pekerja ini tinggal di luar wilayah program, atau di kelurahan yang tidak ikut program."
    ),
    DECILE_NOT_FAVOURED: _(
        "Program ini hanya untuk pekerja desil DTSEN 1–%(max)s; desil pekerja ini "
        "%(decile)s. Perbarui desilnya dari data Dinas Sosial bila sudah berubah."
    ),
    ROUND_CLOSED: _("Masa sponsor putaran ini sudah lewat: pilih putaran yang belum selesai."),
}


class Ineligible(Refusal):
    """A proposal refused with a stable ``code`` and an Indonesian ``message``."""

    messages = MESSAGES


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def enrollment_date(round: Round, today: dt.date) -> dt.date:
    """The day age is measured on: the round's start, or today if it has already started."""
    return max(today, round.start_month)


def static_problem(program: Program, round: Round, person: Person, today: dt.date):
    """The first refusal that does not depend on counters, or ``None``."""
    if round.end_month < today.replace(day=1):
        return Ineligible(ROUND_CLOSED)
    if not ProgramVillage.objects.filter(program=program, village_id=person.village_id).exists():
        return Ineligible(OUTSIDE_PROGRAM_AREA)
    if program.eligible_categories and person.category not in program.eligible_categories:
        return Ineligible(CATEGORY_NOT_ELIGIBLE, categories=", ".join(program.category_labels()))
    if not program.others_fill_remaining and not program.decile_favoured(person.welfare_decile):
        return Ineligible(
            DECILE_NOT_FAVOURED,
            max=program.favoured_decile_max,
            decile=person.welfare_decile or _("belum diketahui"),
        )
    age = age_on(person.birth_date, enrollment_date(round, today))
    if not program.min_age <= age <= program.max_age:
        return Ineligible(AGE_OUT_OF_RANGE, min=program.min_age, max=program.max_age)
    if person.segment == Person.Segment.PU:
        return Ineligible(ALREADY_COVERED, where=str(Person.Segment.PU.label))
    open_enrollment = (
        Enrollment.objects.filter(person=person, state__in=OPEN).select_related("program").first()
    )
    if open_enrollment is not None:
        where = _("program %(program)s (%(state)s)") % {
            "program": open_enrollment.program.name,
            "state": open_enrollment.get_state_display(),
        }
        return Ineligible(ALREADY_COVERED, where=where)
    if membership := active_elsewhere(person):
        return Ineligible(ALREADY_COVERED, where=membership.where)
    return None


def active_elsewhere(person: Person) -> Membership | None:
    """An active membership the insurer reported that none of our sponsorships explains.

    The insurer's member list of a region names the workers our programs pay for too: an
    entry dated within one of the person's sponsorships (up to its end) is that sponsorship,
    not coverage elsewhere.
    """
    membership = Membership.objects.filter(
        person=person, status=Membership.Status.ACTIVE, source=Membership.Source.MEMBER_LIST
    ).first()
    if membership is None:
        return None
    sponsored_until = Enrollment.objects.filter(person=person).aggregate(end=Max("coverage_end"))[
        "end"
    ]
    if sponsored_until is not None and membership.as_of <= sponsored_until:
        return None
    return membership
