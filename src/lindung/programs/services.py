"""Every write of programs and enrollments. Views, the API and commands call these.

Proposals take a village's place and a share of the budget with conditional ``UPDATE``s
on guarded counter rows (``VillageQuota.used < quota``, ``Program.committed + cost <=
budget``), always in the same order (quota row, village budget row, program row), inside
one transaction with the insert of the enrollment. On PostgreSQL the first ``UPDATE``
locks the quota row, so a concurrent proposal for the same village waits and then sees
the new count; check constraints refuse any counter past its limit as a second guard. On
SQLite the IMMEDIATE transaction mode serialises writers.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.accounts.scope import in_scope, scoped
from lindung.people import nik as nik_rules
from lindung.people import validation as people_validation
from lindung.people.categories import Category, parse_category
from lindung.people.models import Person
from lindung.people.services import acting_agent_id
from lindung.privacy.history import bulk_history
from lindung.programs import eligibility, permissions
from lindung.programs.eligibility import Ineligible
from lindung.programs.lifecycle import ALLOWED, REASON_REQUIRED, RELEASING, State
from lindung.programs.models import (
    DEFAULT_FUNDING_CODE,
    EndCause,
    Enrollment,
    Funder,
    FundingCode,
    LegalDocument,
    Program,
    ProgramVillage,
    Round,
    Transition,
    VillageQuota,
    add_months,
)
from lindung.programs.premiums import enrollment_cost, months_bought
from lindung.refusals import Invalid, Refusal
from lindung.regions.models import Region
from lindung.signals import records_changed

MAX_BUDGET = 10**15  # Rp 1 quadrillion: far above any regional budget, below bigint
MAX_PDF_BYTES = 10 * 1024 * 1024

PROGRAM_MESSAGES = {
    "name_missing": _("Nama program wajib diisi."),
    "name_taken": _("Sudah ada program dengan nama ini di wilayah yang sama."),
    "year_invalid": _("Tahun harus empat angka antara 2015 dan 2100."),
    "area_unknown": _("Wilayah program tidak ada: pilih kabupaten/kota, provinsi atau desa."),
    "area_out_of_scope": _("Wilayah program di luar wilayah kerja Anda."),
    "area_has_no_village": _(
        "Wilayah ini tidak punya desa yang ikut (kelurahan tidak ikut): centang 'kelurahan ikut' "
        "atau pilih wilayah lain."
    ),
    "funder_invalid": _("Sumber dana harus APBD, APBDes, APBD provinsi atau CSR/lainnya."),
    "funding_code_invalid": _("Kode pendanaan BPJS harus SD, SA, SL atau SG."),
    "budget_invalid": _(
        "Pagu anggaran harus rupiah bulat lebih dari 0 (mis. 1290240000 atau 1.290.240.000)."
    ),
    "budget_below_committed": _(
        "Pagu tidak boleh lebih kecil dari iuran yang sudah terikat pada usulan yang ada."
    ),
    "income_invalid": _("Dasar penghasilan harus rupiah bulat, mis. 1000000, atau kosong."),
    "months_invalid": _("Jumlah bulan dibiayai harus 1 sampai 24."),
    "rounds_missing": _("Isi paling sedikit satu bulan mulai putaran, mis. 01/2024."),
    "round_invalid": _(
        "Bulan mulai putaran tidak dikenali: tulis bb/tttt dipisah koma, mis. 01/2024, 07/2024."
    ),
    "quota_invalid": _("Kuota per desa harus angka bulat 1 sampai 100.000."),
    "quota_below_used": _(
        "Kuota tidak boleh lebih kecil dari tempat yang sudah terpakai di desa ini."
    ),
    "categories_invalid": _("Pilih paling sedikit satu kategori sasaran yang dikenal."),
    "age_invalid": _("Batas umur harus 0 sampai 100 tahun, dan minimal tidak melebihi maksimal."),
    "target_invalid": _("Target pekerja harus angka bulat 1 sampai 10.000.000, atau kosong."),
    "decile_invalid": _(
        "Desil yang diutamakan harus angka 1 sampai 10 (mis. 4 berarti desil 1–4), atau kosong."
    ),
    "village_not_in_program": _("Desa ini tidak ikut program."),
    "legal_number_missing": _("Nomor peraturan wajib diisi."),
    "legal_title_missing": _("Judul peraturan wajib diisi."),
    "legal_date_invalid": _("Tanggal peraturan tidak dikenali: tulis seperti 28/05/2024."),
    "legal_pdf_invalid": _("Berkas dasar hukum harus PDF (paling besar 10 MB)."),
    "frozen_after_enrollment": _(
        "Paket, bulan, putaran dan wilayah tidak dapat diubah setelah ada usulan pekerja."
    ),
}

TRANSITION_MESSAGES = {
    "transition_not_allowed": _(
        "Perubahan status dari '%(from)s' ke '%(to)s' tidak diperbolehkan."
    ),
    "reason_required": _("Tulis alasannya: penolakan dan penarikan wajib beralasan."),
    "forbidden": _("Peran Anda tidak boleh melakukan perubahan status ini."),
    "kpj_invalid": _("Nomor KPJ harus 8 sampai 20 angka."),
    "effective_date_missing": _("Tanggal efektif dari BPJS wajib ada untuk peserta aktif."),
}

NIK_MESSAGES = {
    "not_registered": _(
        "NIK ini tidak ada di registri pekerja wilayah Anda: daftarkan dulu di menu Pekerja."
    ),
    "duplicate_in_list": _("NIK ini muncul lebih dari sekali dalam daftar: diproses sekali."),
}


@dataclass(frozen=True)
class Problem:
    field: str
    code: str

    @property
    def message(self) -> str:
        return str(PROGRAM_MESSAGES.get(self.code, self.code))

    def as_dict(self) -> dict:
        return {"field": self.field, "code": self.code, "message": self.message}


class ProgramInvalid(Invalid):
    """A record refused field by field (see ``lindung.refusals.Invalid``)."""


class TransitionRefused(Refusal):
    """A move of an enrollment was refused; ``code`` is stable, ``message`` Indonesian."""

    messages = TRANSITION_MESSAGES


# --- programs -----------------------------------------------------------------------------


def parse_rupiah(value) -> int | None:
    """A budget in integer rupiah (``1.290.240.000``, ``Rp 1.290.240.000``)."""
    return people_validation.parse_rupiah(value, MAX_BUDGET)


def parse_month(value) -> dt.date | None:
    """The first day of a month from ``01/2024``, ``2024-01``, ``1/2024`` or a date."""
    if isinstance(value, dt.date):
        return value.replace(day=1)
    text = str(value).strip()
    for pattern in (r"(\d{1,2})[/-](\d{4})", r"(\d{4})-(\d{1,2})(?:-\d{1,2})?"):
        if match := re.fullmatch(pattern, text):
            a, b = match.groups()
            month, year = (int(a), int(b)) if len(a) <= 2 else (int(b), int(a))
            if 1 <= month <= 12 and 2000 <= year <= 2100:
                return dt.date(year, month, 1)
    return None


def parse_rounds(value) -> list[dt.date] | None:
    """Start months from a list or from text like ``01/2024, 07/2024``; ``None`` if any is bad."""
    items = value if isinstance(value, list | tuple) else re.split(r"[,;\s]+", str(value or ""))
    months = []
    for item in items:
        if isinstance(item, str) and not item.strip():
            continue
        month = parse_month(item)
        if month is None:
            return None
        months.append(month)
    return sorted(set(months))


def _positive_rupiah(value) -> int | None:
    amount = parse_rupiah(value)
    return amount if amount else None


def _int_in(value, low: int, high: int) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value, limit: int) -> str:
    """Free text as stored: one line of words, no NUL (PostgreSQL refuses it), cut to size."""
    return " ".join(str(value or "").replace("\x00", "").split())[:limit]


def _decile_max(value) -> int | None:
    """The last favoured decile from ``4`` or ``1-4`` / ``1–4`` (the first must be 1)."""
    text = str(value).strip().replace("–", "-")
    if "-" in text:
        first, _sep, text = text.partition("-")
        if first.strip() != "1":
            return None
    return _int_in(text, 1, 10)


# Settings a new program gets when the request leaves them out.
CREATE_DEFAULTS = {"sponsored_months": 6, "quota_per_village": 100, "min_age": 18, "max_age": 65}


def _check_program(data: dict, *, user, current: Program | None = None) -> tuple[dict, list]:
    """Clean values and problems for a new program or changes to one."""
    values, problems = {}, []

    def take(name, code, parse):
        if name not in data or data[name] is None:
            if current is not None:
                return
            if name in CREATE_DEFAULTS:
                values[name] = CREATE_DEFAULTS[name]
                return
        parsed = parse(data.get(name))
        if parsed is None:
            problems.append(Problem(name, code))
        else:
            values[name] = parsed

    take("name", "name_missing", lambda v: None if _blank(v) else _text(v, 200))
    take("year", "year_invalid", lambda v: _int_in(v, 2015, 2100))
    take("funder", "funder_invalid", lambda v: v if v in Funder.values else None)
    if not (_blank(data.get("budget")) and not _blank(data.get("village_budget"))):
        take("budget", "budget_invalid", _positive_rupiah)  # APBDes: the sum of the villages'
    take("sponsored_months", "months_invalid", lambda v: _int_in(v, 1, 24))
    take("quota_per_village", "quota_invalid", lambda v: _int_in(v, 1, 100_000))
    take("min_age", "age_invalid", lambda v: _int_in(v, 0, 100))
    take("max_age", "age_invalid", lambda v: _int_in(v, 0, 100))
    if "funding_code" in data and not _blank(data["funding_code"]):
        code = str(data["funding_code"]).strip().upper()
        if code in FundingCode.values:
            values["funding_code"] = code
        else:
            problems.append(Problem("funding_code", "funding_code_invalid"))
    if "income_basis" in data:
        if _blank(data["income_basis"]):
            values["income_basis"] = None
        elif (income := parse_rupiah(data["income_basis"])) is None:
            problems.append(Problem("income_basis", "income_invalid"))
        else:
            values["income_basis"] = income
    if "rounds" in data or current is None:
        months = parse_rounds(data.get("rounds"))
        if months is None:
            problems.append(Problem("rounds", "round_invalid"))
        elif not months:
            problems.append(Problem("rounds", "rounds_missing"))
        else:
            values["rounds"] = months
    if "eligible_categories" in data or current is None:
        raw = data.get("eligible_categories") or []
        if isinstance(raw, str):
            raw = re.split(r"[,;]+", raw)
        codes = [parse_category(item) for item in raw if not _blank(item)]
        if not codes or None in codes:
            problems.append(Problem("eligible_categories", "categories_invalid"))
        else:
            values["eligible_categories"] = [c for c in Category.values if c in codes]
    if "target_workers" in data:
        if _blank(data["target_workers"]):
            values["target_workers"] = None
        elif (target := _int_in(str(data["target_workers"]).replace(".", ""), 1, 10**7)) is None:
            problems.append(Problem("target_workers", "target_invalid"))
        else:
            values["target_workers"] = target
    if "favoured_decile_max" in data:
        if _blank(data["favoured_decile_max"]):
            values["favoured_decile_max"] = None
        elif (top := _decile_max(data["favoured_decile_max"])) is None:
            problems.append(Problem("favoured_decile_max", "decile_invalid"))
        else:
            values["favoured_decile_max"] = top
    for name in ("includes_jht", "include_kelurahan", "others_fill_remaining"):
        if name in data:
            values[name] = bool(data[name])
    if "funder_name" in data:
        values["funder_name"] = _text(data["funder_name"], 150)
    if "notes" in data:
        values["notes"] = str(data["notes"] or "").replace("\x00", "").strip()[:4000]
    if "village_budget" in data and not _blank(data["village_budget"]):
        if (amount := parse_rupiah(data["village_budget"])) is None:
            problems.append(Problem("village_budget", "budget_invalid"))
        else:
            values["village_budget"] = amount
    if "area_code" in data or current is None:
        code = str(data.get("area_code") or "").strip()
        area = Region.objects.filter(code=code).first() if code else None
        if area is None:
            problems.append(Problem("area_code", "area_unknown"))
        elif not permissions.can_manage(user, area.code):
            problems.append(Problem("area_code", "area_out_of_scope"))
        else:
            values["area"] = area
    low = values.get("min_age", current.min_age if current else 18)
    high = values.get("max_age", current.max_age if current else 65)
    if low > high and not any(p.code == "age_invalid" for p in problems):
        problems.append(Problem("max_age", "age_invalid"))
    return values, problems


def _participating_villages(area: Region, include_kelurahan: bool) -> list[Region]:
    villages = Region.objects.filter(level=Region.Level.VILLAGE)
    if area.level == Region.Level.VILLAGE:
        villages = villages.filter(code=area.code)
    else:
        villages = villages.filter(code__startswith=f"{area.code}.")
    if not include_kelurahan:
        villages = villages.filter(kind=Region.Kind.DESA)
    return list(villages.order_by("code"))


def _require_manager(user, region_code: str) -> None:
    if not permissions.can_manage(user, region_code):
        raise PermissionDenied


@transaction.atomic
def create_program(*, user, data: dict) -> Program:
    """A program with its rounds, its villages and one quota row per village and round."""
    if not permissions.is_manager(user):
        raise PermissionDenied
    values, problems = _check_program(data, user=user)
    if not problems:
        include_kelurahan = values.get("include_kelurahan", False)
        villages = _participating_villages(values["area"], include_kelurahan)
        if not villages:
            problems.append(Problem("area_code", "area_has_no_village"))
    if problems:
        raise ProgramInvalid(problems)
    rounds = values.pop("rounds")
    village_budget = values.pop("village_budget", None)
    if values["funder"] != Funder.APBDES:
        village_budget = None
    values.setdefault("funding_code", DEFAULT_FUNDING_CODE[values["funder"]])
    if "budget" not in values and village_budget is None:
        raise ProgramInvalid([Problem("budget", "budget_invalid")])
    if village_budget is not None and "budget" not in values:
        values["budget"] = village_budget * len(villages)
    if Program.objects.filter(area=values["area"], name=values["name"]).exists():
        raise ProgramInvalid([Problem("name", "name_taken")])
    program = Program.objects.create(created_by=_actor(user), **values)
    created = Round.objects.bulk_create(
        Round(program=program, number=i, start_month=m) for i, m in enumerate(rounds, 1)
    )
    places = []
    for village in villages:
        place = ProgramVillage(
            program=program, village=village, quota=program.quota_per_village, budget=village_budget
        )
        place.set_region_codes()
        places.append(place)
    ProgramVillage.objects.bulk_create(places, batch_size=2000)
    quotas = []
    for round_ in created:
        for place in places:
            quota = VillageQuota(
                program=program, round=round_, village_id=place.village_id, quota=place.quota
            )
            quota.set_region_codes()
            quotas.append(quota)
    VillageQuota.objects.bulk_create(quotas, batch_size=2000)
    return program


EDITABLE_ALWAYS = {
    "name", "funder_name", "funding_code", "budget", "min_age", "max_age",
    "eligible_categories", "notes", "year", "favoured_decile_max", "others_fill_remaining",
    "target_workers",
}  # fmt: skip


@transaction.atomic
def update_program(*, user, program: Program, changes: dict) -> Program:
    """Change a program's settings. The budget can never drop below what is committed."""
    _require_manager(user, program.area_id)
    frozen = set(changes) - EDITABLE_ALWAYS
    if frozen:
        raise ProgramInvalid([Problem(sorted(frozen)[0], "frozen_after_enrollment")])
    values, problems = _check_program(changes, user=user, current=program)
    if problems:
        raise ProgramInvalid(problems)
    program = Program.objects.select_for_update().get(pk=program.pk)
    if "budget" in values and values["budget"] < program.committed:
        raise ProgramInvalid([Problem("budget", "budget_below_committed")])
    if "name" in values and (
        Program.objects.filter(area=program.area_id, name=values["name"])
        .exclude(pk=program.pk)
        .exists()
    ):
        raise ProgramInvalid([Problem("name", "name_taken")])
    for name, value in values.items():
        setattr(program, name, value)
    program.save()
    return program


@transaction.atomic
def set_village_quota(
    *, user, program: Program, village_code: str, quota, budget=None
) -> ProgramVillage:
    """Override one village's quota (every round) and, for APBDes, its own budget."""
    _require_manager(user, program.area_id)
    place = (
        ProgramVillage.objects.select_for_update()
        .filter(program=program, village_id=village_code)
        .first()
    )
    if place is None:
        raise ProgramInvalid([Problem("village_code", "village_not_in_program")])
    new_quota = _int_in(quota, 0, 100_000)
    if new_quota is None:
        raise ProgramInvalid([Problem("quota", "quota_invalid")])
    rows = VillageQuota.objects.filter(program=program, village_id=village_code)
    total = rows.count()
    if rows.filter(used__lte=new_quota).update(quota=new_quota) != total:
        transaction.set_rollback(True)
        raise ProgramInvalid([Problem("quota", "quota_below_used")])
    place.quota = new_quota
    if budget is not None and not _blank(budget):
        amount = parse_rupiah(budget)
        if amount is None:
            transaction.set_rollback(True)
            raise ProgramInvalid([Problem("budget", "budget_invalid")])
        if amount < place.committed:
            transaction.set_rollback(True)
            raise ProgramInvalid([Problem("budget", "budget_below_committed")])
        place.budget = amount
    place.save()
    return place


def _check_pdf(upload) -> bool:
    if upload.size > MAX_PDF_BYTES:
        return False
    head = upload.read(5)
    upload.seek(0)
    return head == b"%PDF-"


@transaction.atomic
def add_legal_document(
    *, user, program: Program, number: str, title: str, issued_on, pdf=None
) -> LegalDocument:
    """Record a regulation (with its PDF) and attach it to the program."""
    from lindung.people.validation import parse_date

    _require_manager(user, program.area_id)
    problems = []
    if _blank(number):
        problems.append(Problem("number", "legal_number_missing"))
    if _blank(title):
        problems.append(Problem("title", "legal_title_missing"))
    issued = parse_date(issued_on) if not _blank(issued_on) else None
    if issued is None:
        problems.append(Problem("issued_on", "legal_date_invalid"))
    if pdf is not None and not _check_pdf(pdf):
        problems.append(Problem("pdf", "legal_pdf_invalid"))
    if problems:
        raise ProgramInvalid(problems)
    document = LegalDocument(
        number=_text(number, 120),
        title=_text(title, 400),
        issued_on=issued,
        created_by=_actor(user),
    )
    if pdf is not None:
        document.pdf.save(_safe_pdf_name(number), pdf, save=False)
    document.save()
    program.legal_basis.add(document)
    return document


def _safe_pdf_name(number: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", number).strip("-").lower() or "dasar-hukum"
    return f"{slug[:60]}.pdf"


@transaction.atomic
def attach_legal_document(*, user, program: Program, document: LegalDocument) -> None:
    _require_manager(user, program.area_id)
    program.legal_basis.add(document)


@transaction.atomic
def detach_legal_document(*, user, program: Program, document: LegalDocument) -> None:
    _require_manager(user, program.area_id)
    program.legal_basis.remove(document)


# --- proposals ----------------------------------------------------------------------------


def _actor(user):
    return user if user is not None and user.pk else None


def default_round(program: Program, today: dt.date) -> Round:
    """The round proposals go to: the first one not started before this month, else the last."""
    rounds = list(program.rounds.all())
    this_month = today.replace(day=1)
    upcoming = [r for r in rounds if r.start_month >= this_month]
    return upcoming[0] if upcoming else rounds[-1]


def propose(
    *,
    user,
    program: Program,
    person: Person,
    today: dt.date,
    round: Round | None = None,
    via: str = Transition.Via.WEB,
    memo: dict | None = None,
) -> Enrollment:
    """Propose one worker to a program, or raise :class:`Ineligible` with the reason."""
    if not permissions.can_propose(user, person.village_id):
        raise PermissionDenied
    round = round or default_round(program, today)
    round.program = program
    if problem := eligibility.static_problem(program, round, person, today):
        raise problem
    cost = enrollment_cost(program, round, person, memo=memo, today=today)
    bought = months_bought(round, today)
    now = timezone.now()
    try:
        with transaction.atomic():
            taken = VillageQuota.objects.filter(
                round=round, village_id=person.village_id, used__lt=F("quota")
            ).update(used=F("used") + 1)
            if not taken:
                raise Ineligible(eligibility.QUOTA_FULL)
            if program.funder == Funder.APBDES:
                village_ok = (
                    ProgramVillage.objects.filter(program=program, village_id=person.village_id)
                    .filter(Q(budget__isnull=True) | Q(committed__lte=F("budget") - cost))
                    .update(committed=F("committed") + cost)
                )
                if not village_ok:
                    raise Ineligible(eligibility.BUDGET_EXCEEDED)
            budget_ok = Program.objects.filter(
                pk=program.pk, committed__lte=F("budget") - cost
            ).update(committed=F("committed") + cost)
            if not budget_ok:
                raise Ineligible(eligibility.BUDGET_EXCEEDED)
            enrollment = Enrollment(
                program=program,
                round=round,
                person=person,
                village_id=person.village_id,
                state=State.PROPOSED,
                state_changed_at=now,
                committed_premium=cost,
                first_month=bought[0],
                months=len(bought),
                proposed_at=now,
                proposed_by=_actor(user),
                agent_id=acting_agent_id(user),
            )
            enrollment.set_region_codes()
            try:
                with transaction.atomic():
                    enrollment.save()
            except IntegrityError as exc:  # another proposal of this person won the race
                raise Ineligible(
                    eligibility.ALREADY_COVERED, where=_("usulan lain yang disimpan bersamaan")
                ) from exc
            Transition.objects.create(
                enrollment=enrollment,
                from_state="",
                to_state=State.PROPOSED,
                at=now,
                by=_actor(user),
                via=via,
            )
    except IntegrityError as exc:  # a check constraint: a counter would pass its limit
        raise Ineligible(eligibility.QUOTA_FULL) from exc
    return enrollment


@dataclass
class ProposalResult:
    nik: str
    person: Person | None = None
    enrollment: Enrollment | None = None
    code: str = ""
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.enrollment is not None


def propose_people(
    *, user, program: Program, people, today: dt.date, round: Round | None = None, via="web"
) -> list[ProposalResult]:
    """Propose several workers, each in its own transaction; one refusal stops nobody else."""
    round = round or default_round(program, today)
    memo: dict = {}
    results = []
    for person in people:
        result = ProposalResult(nik=person.nik, person=person)
        try:
            result.enrollment = propose(
                user=user,
                program=program,
                person=person,
                today=today,
                round=round,
                via=via,
                memo=memo,
            )
        except Ineligible as refusal:
            result.code, result.message = refusal.code, refusal.message
        except PermissionDenied:
            result.code, result.message = "forbidden", str(TRANSITION_MESSAGES["forbidden"])
        results.append(result)
    return results


def split_niks(text: str) -> list[str]:
    """NIKs from pasted text: one per line, or separated by commas, semicolons or spaces."""
    return [item for item in re.split(r"[\s,;]+", text or "") if item.strip()]


def propose_niks(
    *, user, program: Program, niks, today: dt.date, round: Round | None = None, via="web"
) -> list[ProposalResult]:
    """Propose workers named by NIK (pasted or from a file), each with its own verdict."""
    results: list[ProposalResult] = []
    wanted: dict[str, ProposalResult] = {}
    for raw in niks:
        verdict = nik_rules.check_nik(raw)
        nik = verdict.nik
        if nik in wanted:
            results.append(
                ProposalResult(
                    nik, code="duplicate_in_list", message=str(NIK_MESSAGES["duplicate_in_list"])
                )
            )
            continue
        if not verdict.valid:
            code = verdict.errors[0]
            results.append(ProposalResult(nik, code=code, message=str(nik_rules.MESSAGES[code])))
            wanted[nik] = results[-1]
            continue
        wanted[nik] = ProposalResult(nik)
        results.append(wanted[nik])
    pending = [nik for nik, r in wanted.items() if not r.code]
    people = {
        p.nik: p
        for p in scoped(user, Person.objects.select_related("village")).filter(nik__in=pending)
    }
    found = []
    for nik in pending:
        if nik in people:
            found.append(people[nik])
        else:
            wanted[nik].code = "not_registered"
            wanted[nik].message = str(NIK_MESSAGES["not_registered"])
    done = {
        r.nik: r
        for r in propose_people(
            user=user, program=program, people=found, today=today, round=round, via=via
        )
    }
    for nik, result in done.items():
        target = wanted[nik]
        target.person, target.enrollment = result.person, result.enrollment
        target.code, target.message = result.code, result.message
    return results


# --- transitions --------------------------------------------------------------------------


def may_move(user, enrollment: Enrollment, to_state: str) -> bool:
    if user is None:
        return True
    if not in_scope(user, enrollment.village_id):
        return False
    if permissions.is_manager(user):
        return True
    if to_state == State.CONTINUED:  # the first self-paid month, recorded by its collector
        return user.role in permissions.COLLECTORS and enrollment.state == State.ENDED
    return (
        to_state == State.WITHDRAWN
        and user.role in permissions.PROPOSERS
        and enrollment.state in (State.PROPOSED, State.VERIFIED)
    )


@dataclass
class MoveResult:
    moved: list[Enrollment] = field(default_factory=list)
    refused: list[tuple[Enrollment, TransitionRefused]] = field(default_factory=list)


def _release(enrollments: list[Enrollment]) -> None:
    """Give back the places and the budget of enrollments leaving before coverage."""
    per_quota: dict[tuple, int] = {}
    per_village: dict[tuple, int] = {}
    per_program: dict[int, int] = {}
    for e in enrollments:
        per_quota[(e.round_id, e.village_id)] = per_quota.get((e.round_id, e.village_id), 0) + 1
        key = (e.program_id, e.village_id)
        per_village[key] = per_village.get(key, 0) + e.committed_premium
        per_program[e.program_id] = per_program.get(e.program_id, 0) + e.committed_premium
    for (round_id, village_id), count in sorted(per_quota.items()):
        VillageQuota.objects.filter(round_id=round_id, village_id=village_id).update(
            used=F("used") - count
        )
    for (program_id, village_id), amount in sorted(per_village.items()):
        ProgramVillage.objects.filter(
            program_id=program_id, village_id=village_id, program__funder=Funder.APBDES
        ).update(committed=F("committed") - amount)
    for program_id, amount in sorted(per_program.items()):
        Program.objects.filter(pk=program_id).update(committed=F("committed") - amount)


def move_many(
    *,
    user,
    enrollments,
    to_state: str,
    reason: str = "",
    via: str = Transition.Via.WEB,
    details: dict | None = None,
) -> MoveResult:
    """Move enrollments to ``to_state`` where allowed, recording each move; report the rest.

    ``enrollments`` is a queryset (already limited to the user's scope by the caller);
    rows are locked while they move. ``details`` maps an enrollment id to extra field
    values set with the move (KPJ, effective date…).
    """
    reason = _text(reason, 2000)
    result = MoveResult()
    now = timezone.now()
    with transaction.atomic():
        rows = list(enrollments.select_for_update().select_related(None).order_by("id"))
        for enrollment in rows:
            if not may_move(user, enrollment, to_state):
                result.refused.append((enrollment, TransitionRefused("forbidden")))
            elif to_state not in ALLOWED[enrollment.state]:
                refusal = TransitionRefused(
                    "transition_not_allowed",
                    **{"from": State(enrollment.state).label, "to": State(to_state).label},
                )
                result.refused.append((enrollment, refusal))
            elif to_state in REASON_REQUIRED and not reason:
                result.refused.append((enrollment, TransitionRefused("reason_required")))
            else:
                result.moved.append(enrollment)
        if not result.moved:
            return result
        transitions = []
        extra_fields = set()
        for enrollment in result.moved:
            transitions.append(
                Transition(
                    enrollment=enrollment,
                    from_state=enrollment.state,
                    to_state=to_state,
                    at=now,
                    by=_actor(user),
                    reason=reason,
                    via=via,
                )
            )
            enrollment.state, enrollment.state_changed_at = to_state, now
            if reason:
                enrollment.reason = reason
            for name, value in (details or {}).get(enrollment.pk, {}).items():
                setattr(enrollment, name, value)
                extra_fields.add(name)
        Enrollment.objects.bulk_update(
            result.moved,
            ["state", "state_changed_at", "reason", *sorted(extra_fields)],
            batch_size=1000,
        )
        bulk_history(Enrollment, result.moved, update=True)
        Transition.objects.bulk_create(transitions, batch_size=2000)
        if to_state in RELEASING:
            _release(result.moved)
    return result


def transition(
    *, user, enrollment: Enrollment, to_state: str, reason: str = "", via: str = "web"
) -> Enrollment:
    """Move one enrollment, or raise :class:`TransitionRefused` saying why not."""
    if to_state not in State.values:
        raise TransitionRefused(
            "transition_not_allowed", **{"from": enrollment.state, "to": to_state}
        )
    result = move_many(
        user=user,
        enrollments=Enrollment.objects.filter(pk=enrollment.pk),
        to_state=to_state,
        reason=reason,
        via=via,
    )
    if result.refused:
        raise result.refused[0][1]
    moved = result.moved[0]
    enrollment.state, enrollment.reason = moved.state, moved.reason
    enrollment.state_changed_at = moved.state_changed_at
    return enrollment


def coverage_end(effective_date: dt.date, months: int) -> dt.date:
    """The last day of the last sponsored month; the month of the effective date counts whole."""
    return add_months(effective_date.replace(day=1), months) - dt.timedelta(days=1)


def activate_many(*, user, answers: dict[int, tuple[str, dt.date]], via="bpjs") -> MoveResult:
    """Make submitted enrollments active with the insurer's KPJ and effective date.

    ``answers`` maps an enrollment id to ``(kpj, effective_date)``. A person's earlier
    enrollment that had ended (or continued self-paid) becomes ``renewed``.
    """
    if not answers:
        return MoveResult()
    with transaction.atomic():
        queryset = Enrollment.objects.filter(pk__in=answers).select_related("program")
        months = {e.pk: e.months_sponsored for e in queryset}  # a late proposal bought fewer
        details = {
            pk: {
                "kpj": kpj,
                "effective_date": effective,
                "coverage_end": coverage_end(effective, months[pk]),
            }
            for pk, (kpj, effective) in answers.items()
            if pk in months
        }
        result = move_many(
            user=user,
            enrollments=queryset,
            to_state=State.ACTIVE,
            via=via,
            details=details,
        )
        renew = Enrollment.objects.filter(
            person_id__in=[e.person_id for e in result.moved],
            state__in=[State.ENDED, State.CONTINUED],
        )
        if renew.exists():
            move_many(
                user=None,
                enrollments=renew,
                to_state=State.RENEWED,
                reason=str(_("Dibiayai lagi oleh program berikutnya.")),
                via=Transition.Via.SYSTEM,
            )
    _records_changed()
    return result


def end_finished(*, user=None, today: dt.date, program: Program | None = None) -> int:
    """Active enrollments whose sponsored months are over become ``ended``."""
    enrollments = scoped(
        user, Enrollment.objects.filter(state=State.ACTIVE, coverage_end__lt=today)
    )
    if program is not None:
        enrollments = enrollments.filter(program=program)
    result = move_many(
        user=user,
        enrollments=enrollments,
        to_state=State.ENDED,
        reason=str(_("Masa sponsor selesai.")),
        via=Transition.Via.SYSTEM if user is None else Transition.Via.WEB,
    )
    _records_changed()
    return len(result.moved)


def _records_changed() -> None:
    """Said after a bulk move, for the figures kept from enrollments (the dashboards)."""
    records_changed.send(sender=__name__)


BUDGET_SHORT = _(
    "Pagu %(budget)s hanya cukup untuk %(affordable)s pekerja × %(months)s bulan "
    "(%(per_worker)s per pekerja), sedangkan program ini merencanakan %(workers)s pekerja "
    "yang memerlukan %(needed)s. Tambah pagu, kurangi kuota, atau isi target pekerja."
)


def budget_warning(program: Program) -> str:
    """The planner's figure as a sentence when the budget cannot pay for the places, else ''.

    A warning, not a refusal: a regency often sets places first and the budget later in
    the year (APBD-P); the program page and the API keep saying it until it is fixed.
    """
    from lindung.formatting import number, rupiah
    from lindung.programs.selectors import budget_check

    check = budget_check(program)
    if check is None or not check.short:
        return ""
    return str(BUDGET_SHORT) % {
        "budget": rupiah(program.budget),
        "affordable": number(check.affordable),
        "months": check.months,
        "per_worker": rupiah(check.per_worker),
        "workers": number(check.workers),
        "needed": rupiah(check.needed),
    }


# --- ending a sponsored coverage early ---------------------------------------------------

EARLY_END_MESSAGES = {
    "end_cause_invalid": _(
        "Sebab berakhir tidak dikenal: pilih death (meninggal), moved_out (pindah ke luar "
        "wilayah program) atau became_formal (menjadi pekerja formal)."
    ),
    "end_date_invalid": _("Tanggal berakhir tidak terbaca: tulis 15/08/2026 atau 2026-08-15."),
    "end_date_in_future": _(
        "Tanggal berakhir %(date)s belum terjadi: kepesertaan diakhiri pada atau setelah "
        "tanggal peristiwanya."
    ),
    "end_before_coverage": _(
        "Tanggal berakhir %(date)s sebelum tanggal efektif %(start)s: kepesertaan yang belum "
        "berlaku ditarik atau ditolak, bukan diakhiri."
    ),
    "end_after_coverage": _(
        "Masa sponsor sudah selesai %(end)s, sebelum %(date)s: tidak ada yang diakhiri lebih awal."
    ),
    "not_active": _(
        "Hanya kepesertaan aktif yang dapat diakhiri lebih awal (status sekarang: %(state)s)."
    ),
    "forbidden": _("Hanya admin kabupaten wilayah ini yang dapat mengakhiri kepesertaan."),
}


class EarlyEndRefused(Refusal):
    messages = EARLY_END_MESSAGES


def _months_after(first: dt.date, last: dt.date) -> int:
    """Whole months from the month of ``first`` to the month of ``last`` (0: the same)."""
    return max((last.year - first.year) * 12 + last.month - first.month, 0)


def end_early(
    *,
    user,
    enrollment: Enrollment,
    cause: str,
    on,
    today: dt.date,
    reason: str = "",
    via: str = Transition.Via.WEB,
) -> Enrollment:
    """End an active sponsored coverage on ``on`` (a death, a move out of the program's
    area, a worker become formal), recorded as a move to ``ended`` with its cause.

    The coverage ends that day: the month of ``on`` stays billed (the insurer counts it),
    and the billing run of any later month reverses the lines of the months after it
    (``billing.run``: a charge no longer expected becomes a correction line). The premiums
    of the months no longer sponsored are released from the budget committed; the place
    in the village's quota stays used unless the program gives it back
    (``Program.returns_place_on_early_end``). ``user=None`` is the system acting for a
    claim already checked (``claims.services``).
    """
    if cause not in EndCause.values:
        raise EarlyEndRefused("end_cause_invalid")
    day = on if isinstance(on, dt.date) else people_validation.parse_date(on)
    if day is None:
        raise EarlyEndRefused("end_date_invalid")
    if day > today:
        raise EarlyEndRefused("end_date_in_future", date=f"{day:%d/%m/%Y}")
    if user is not None and not (
        in_scope(user, enrollment.village_id) and permissions.is_manager(user)
    ):
        raise EarlyEndRefused("forbidden")
    with transaction.atomic():
        locked = (
            Enrollment.objects.select_for_update().select_related("program").get(pk=enrollment.pk)
        )
        if locked.state != State.ACTIVE:
            raise EarlyEndRefused("not_active", state=State(locked.state).label)
        if locked.effective_date and day < locked.effective_date:
            raise EarlyEndRefused(
                "end_before_coverage",
                date=f"{day:%d/%m/%Y}",
                start=f"{locked.effective_date:%d/%m/%Y}",
            )
        if locked.coverage_end and day >= locked.coverage_end:
            raise EarlyEndRefused(
                "end_after_coverage", date=f"{day:%d/%m/%Y}", end=f"{locked.coverage_end:%d/%m/%Y}"
            )
        program = locked.program
        unused = _months_after(day, locked.coverage_end)
        released = locked.committed_premium // locked.months_sponsored * unused
        text = str(_("Berakhir lebih awal pada %(date)s: %(cause)s.")) % {
            "date": f"{day:%d/%m/%Y}",
            "cause": EndCause(cause).label,
        }
        if reason := _text(reason, 1500):
            text = f"{text} {reason}"
        result = move_many(
            user=None,  # the permission was checked above; ``by`` is set below
            enrollments=Enrollment.objects.filter(pk=locked.pk),
            to_state=State.ENDED,
            reason=text,
            via=via,
            details={
                locked.pk: {
                    "coverage_end": day,
                    "end_cause": cause,
                    "committed_premium": locked.committed_premium - released,
                }
            },
        )
        if user is not None:  # the move was made as the system; it was this user's
            last = Transition.objects.filter(enrollment=locked).latest("id")
            last.by = _actor(user)
            last.save(update_fields=["by"])
        if released:
            Program.objects.filter(pk=program.pk).update(committed=F("committed") - released)
            ProgramVillage.objects.filter(
                program=program, village_id=locked.village_id, program__funder=Funder.APBDES
            ).update(committed=F("committed") - released)
        if program.returns_place_on_early_end:
            VillageQuota.objects.filter(
                round_id=locked.round_id, village_id=locked.village_id
            ).update(used=F("used") - 1)
    _records_changed()
    moved = result.moved[0]
    enrollment.state, enrollment.reason = moved.state, moved.reason
    enrollment.coverage_end, enrollment.end_cause = moved.coverage_end, moved.end_cause
    enrollment.committed_premium = moved.committed_premium
    enrollment.state_changed_at = moved.state_changed_at
    return enrollment


# --- memberships of enrollments activated before the registry kept them -------------------


@transaction.atomic
def backfill_memberships(*, program: Program | None = None) -> dict:
    """Give every worker active in a program with a KPJ the insurer membership its answer
    implied, for enrollments activated before the registry kept memberships
    (``people.Membership``; the answer import writes them since).

    Only workers without a membership get one: a membership already kept (from a member
    list or a later answer) is newer knowledge and stays. A KPJ already another person's,
    or given to two people by two enrollments, is not recorded and is counted in
    ``kpj_taken`` (the first enrollment by id keeps it) for someone to look at. Running
    it again creates nothing.
    """
    from lindung.people.models import Membership
    from lindung.people.services import record_memberships

    rows = (
        Enrollment.objects.filter(membership_missing_filter(), state=State.ACTIVE)
        .exclude(kpj="")
        .select_related("program")
        .order_by("id")
    )
    if program is not None:
        rows = rows.filter(program=program)
    rows = list(rows)
    held = dict(
        Membership.objects.filter(kpj__in={e.kpj for e in rows}).values_list("kpj", "person_id")
    )
    per_program: dict[str, dict] = {}
    taken = []
    for enrollment in rows:
        owner = held.setdefault(enrollment.kpj, enrollment.person_id)
        if owner != enrollment.person_id:
            taken.append({"enrollment": enrollment.pk, "kpj": enrollment.kpj})
            continue
        as_of = enrollment.effective_date or enrollment.state_changed_at.date()
        per_program.setdefault(enrollment.program.name, {})[enrollment.person_id] = (
            enrollment.kpj,
            Membership.Status.ACTIVE,
            as_of,
        )
    created = 0
    for name, answers in sorted(per_program.items()):
        created += record_memberships(answers, source=Membership.Source.PROGRAM, source_label=name)[
            "created"
        ]
    return {"created": created, "kpj_taken": taken}


def membership_missing_filter() -> Q:
    """Enrollments whose worker has no insurer membership kept yet."""
    return Q(person__membership__isnull=True)


# --- the village's agreed list (daftar hasil musyawarah desa) ------------------------------

ENTRY_MESSAGES = {
    "entry_other_village": _(
        "Pekerja ini terdaftar di desa %(village)s, bukan di desa daftar ini: hanya warga desa "
        "ini yang masuk daftar musyawarahnya."
    ),
    "category_unknown": _(
        "Kategori '%(value)s' tidak dikenal: tulis salah satu kategori peserta, mis. "
        "pekerja rentan, kader desa, petugas parkir."
    ),
    "not_registered": NIK_MESSAGES["not_registered"],
    "duplicate_in_list": NIK_MESSAGES["duplicate_in_list"],
}


@dataclass
class AgreedListSaved:
    """The version kept, and whether this request made it (``False``: the same list again)."""

    version: object
    created: bool

    @property
    def unchanged(self):
        from lindung.programs.agreedlist import AgreedListRefused

        if self.created:
            return None
        return AgreedListRefused(
            "agreed_list_unchanged",
            number=self.version.number,
            date=timezone.localtime(self.version.created_at).strftime("%d/%m/%Y %H:%M"),
        )


def _digits(code: str) -> str:
    return re.sub(r"\D", "", code or "")


def check_agreed_entries(
    *, user, program: Program, round: Round, village_code: str, rows, today: dt.date
) -> list:
    """Each row of an agreed list checked at once against the registry and the program's
    rules, with the codes a proposal would meet (``AgreedEntry`` objects, not saved)."""
    from lindung.programs.models import AgreedEntry

    round.program = program
    entries, seen = [], set()
    for row in rows:
        verdict = nik_rules.check_nik(row.nik)
        entry = AgreedEntry(
            row=row.row,
            nik=verdict.nik[:20],
            full_name=row.full_name[:200],
            category=row.category[:30],
        )
        entries.append(entry)
        if not verdict.valid:
            code = verdict.errors[0]
            entry.code = code
            entry.message = nik_rules.message(code, verdict.facts.get(code))
        elif verdict.nik in seen:
            entry.code, entry.message = "duplicate_in_list", str(NIK_MESSAGES["duplicate_in_list"])
        elif row.village and _digits(row.village) != _digits(village_code):
            entry.code = "entry_other_village"
            entry.message = str(ENTRY_MESSAGES["entry_other_village"]) % {"village": row.village}
        elif row.category and parse_category(row.category) is None:
            entry.code = "category_unknown"
            entry.message = str(ENTRY_MESSAGES["category_unknown"]) % {"value": row.category}
        seen.add(verdict.nik)
    wanted = [e.nik for e in entries if not e.code]
    people = {
        p.nik: p
        for p in scoped(user, Person.objects.select_related("village")).filter(nik__in=wanted)
    }
    taking_part = set(
        ProgramVillage.objects.filter(
            program=program, village_id__in={p.village_id for p in people.values()}
        ).values_list("village_id", flat=True)
    )
    enrolled = set(
        Enrollment.objects.filter(program=program, round=round, person__nik__in=wanted)
        .exclude(state__in=RELEASING)
        .values_list("person__nik", flat=True)
    )
    for entry in entries:
        if entry.code:
            continue
        person = people.get(entry.nik)
        if person is None:
            entry.code, entry.message = "not_registered", str(NIK_MESSAGES["not_registered"])
            continue
        entry.person = person
        if person.village_id != village_code and person.village_id in taking_part:
            entry.code = "entry_other_village"
            entry.message = str(ENTRY_MESSAGES["entry_other_village"]) % {
                "village": person.village.display_name
            }
        elif entry.nik in enrolled:
            continue  # already proposed to this round: it passed when it was
        elif problem := eligibility.static_problem(program, round, person, today):
            # a worker of a village outside the program: ``outside_program_area``
            entry.code, entry.message = problem.code, problem.message
    return entries


def _agreed_refusal(code: str, **params):
    from lindung.programs.agreedlist import AgreedListRefused

    return AgreedListRefused(code, **params)


def save_agreed_list(
    *,
    user,
    program: Program,
    round: Round,
    village_code: str,
    meeting_date,
    minutes_number: str,
    minutes: bytes | None,
    rows,
    source: str,
    file_name: str = "",
    today: dt.date,
) -> AgreedListSaved:
    """Keep a new version of a village's agreed list for one round, each entry checked.

    Refuses (``AgreedListRefused``) a village outside the user's region, a meeting dated
    in the future or after the round's start, a missing minutes number or signed minutes,
    and an empty list. The same list again (same meeting, minutes and entries as the
    latest version) makes no new version: the answer says so and points at that version.
    """
    from django.core.files.base import ContentFile

    from lindung.programs import agreedlist
    from lindung.programs.models import AgreedEntry, AgreedList, AgreedListVersion

    if not permissions.is_proposer(user):
        raise _agreed_refusal("forbidden")
    if round.program_id != program.pk:
        raise _agreed_refusal("round_unknown")
    village_code = (village_code or "").strip()[:13]
    if not permissions.can_propose(user, village_code):
        raise _agreed_refusal("village_not_yours", village=village_code or "-")
    if not ProgramVillage.objects.filter(program=program, village_id=village_code).exists():
        raise _agreed_refusal("village_not_in_program", village=village_code)
    day = meeting_date
    if not isinstance(day, dt.date):
        day = people_validation.parse_date(day) if not _blank(day) else None
    if day is None:
        raise _agreed_refusal("meeting_date_invalid")
    if day > round.start_month:
        raise _agreed_refusal(
            "meeting_after_round_start",
            date=f"{day:%d/%m/%Y}",
            round=round.number,
            start=f"{round.start_month:%d/%m/%Y}",
        )
    if day > today:
        raise _agreed_refusal("meeting_date_in_future", date=f"{day:%d/%m/%Y}")
    number = _text(minutes_number, 100)
    if not number:
        raise _agreed_refusal("minutes_number_missing")
    kind = agreedlist.check_minutes(minutes)
    rows = list(rows)
    if not rows:
        raise _agreed_refusal("agreed_list_empty")
    fingerprint = agreedlist.fingerprint(day, number, minutes, rows)
    entries = check_agreed_entries(
        user=user, program=program, round=round, village_code=village_code, rows=rows, today=today
    )
    with transaction.atomic():
        agreed, created = AgreedList.objects.get_or_create(
            round=round,
            village_id=village_code,
            defaults={
                "program": program,
                "district_code": village_code[:8],
                "regency_code": village_code[:5],
                "province_code": village_code[:2],
            },
        )
        agreed = AgreedList.objects.select_for_update().get(pk=agreed.pk)
        latest = agreed.versions.order_by("-number").first()
        if latest is not None and latest.fingerprint == fingerprint:
            return AgreedListSaved(latest, created=False)
        version = AgreedListVersion(
            agreed_list=agreed,
            number=(latest.number + 1) if latest else 1,
            meeting_date=day,
            minutes_number=number,
            minutes_kind=kind,
            fingerprint=fingerprint,
            source=source,
            file_name=_text(file_name, 200),
            entries_count=len(entries),
            passed_count=sum(1 for e in entries if not e.code),
            checked_at=timezone.now(),
            created_by=_actor(user),
        )
        extension = {"jpeg": "jpg"}.get(kind, kind)
        version.minutes.save(
            f"ba-{village_code.replace('.', '')}-p{round.number}-v{version.number}.{extension}",
            ContentFile(minutes),
            save=False,
        )
        version.save()
        for entry in entries:
            entry.version = version
        AgreedEntry.objects.bulk_create(entries, batch_size=1000)
    return AgreedListSaved(version, created=True)


@transaction.atomic
def recheck_agreed_list(*, user, agreed_list, today: dt.date):
    """Check the latest version's entries again (the registry or the program changed since:
    a worker registered, a decile updated): the verdicts change, the version does not."""
    from lindung.programs.agreedlist import ListRow
    from lindung.programs.models import AgreedEntry

    if not permissions.can_propose(user, agreed_list.village_id):
        raise PermissionDenied
    version = agreed_list.versions.order_by("-number").first()
    if version is None:
        return None
    kept = list(version.entries.order_by("row"))
    fresh = check_agreed_entries(
        user=user,
        program=agreed_list.program,
        round=agreed_list.round,
        village_code=agreed_list.village_id,
        rows=[ListRow(e.row, e.nik, e.full_name, e.category, "") for e in kept],
        today=today,
    )
    for old, new in zip(kept, fresh, strict=True):
        old.code, old.message, old.person = new.code, new.message, new.person
    AgreedEntry.objects.bulk_update(kept, ["code", "message", "person"], batch_size=1000)
    version.passed_count = sum(1 for e in kept if not e.code)
    version.checked_at = timezone.now()
    version.save(update_fields=["passed_count", "checked_at"])
    return version


def propose_agreed_list(
    *, user, agreed_list, today: dt.date, via: str = Transition.Via.WEB
) -> list[ProposalResult]:
    """Propose the entries of the latest version that passed the checks and are not proposed
    yet, in the list's order, each with its verdict; a refusal (``quota_full``,
    ``budget_exceeded``…) is kept on its entry for the funnel, a success clears it."""
    from lindung.programs.models import AgreedEntry

    if not permissions.can_propose(user, agreed_list.village_id):
        raise PermissionDenied
    version = agreed_list.versions.order_by("-number").first()
    if version is None:
        return []
    program, round_ = agreed_list.program, agreed_list.round
    entries = list(
        version.entries.filter(code="", person__isnull=False)
        .select_related("person")
        .order_by("row")
    )
    enrolled = set(
        Enrollment.objects.filter(
            program=program, round=round_, person_id__in=[e.person_id for e in entries]
        )
        .exclude(state__in=RELEASING)
        .values_list("person_id", flat=True)
    )
    todo = [e for e in entries if e.person_id not in enrolled]
    results = propose_people(
        user=user,
        program=program,
        people=[e.person for e in todo],
        today=today,
        round=round_,
        via=via,
    )
    for entry, result in zip(todo, results, strict=True):
        entry.proposal_code = result.code
    AgreedEntry.objects.bulk_update(todo, ["proposal_code"], batch_size=1000)
    return results
