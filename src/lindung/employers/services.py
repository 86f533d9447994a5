"""Every write of the employer registry and its outreach: one function per use case.

The page, the API and the import give the same fields as text and get the same refusals:
:func:`clean` checks a whole record and says what is wrong field by field (stable codes,
Indonesian messages), :func:`judge` works out size and compliance by the dated rule.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils.translation import gettext_lazy as _

from lindung.accounts.models import Role
from lindung.accounts.scope import in_scope, scoped
from lindung.employers import kbli
from lindung.employers.models import (
    PROGRAMS,
    Action,
    Compliance,
    ComplianceRule,
    Employer,
    Event,
    FigureSource,
    LegalForm,
    Reason,
)
from lindung.people.models import Person
from lindung.people.validation import parse_date
from lindung.refusals import Invalid, Refusal
from lindung.regions.codes import VILLAGE, level_of
from lindung.regions.models import Region
from lindung.uploads import UPLOAD_MESSAGES, check_size

MESSAGES = {
    "required": _("Wajib diisi."),
    "nib_invalid": _("NIB harus 13 angka (Nomor Induk Berusaha dari OSS), tanpa spasi atau titik."),
    "nib_taken": _("NIB ini sudah terdaftar untuk pemberi kerja lain."),
    "npwp_invalid": _("NPWP harus 15 atau 16 angka (tanpa titik dan tanda hubung)."),
    "kbli_unknown": _(
        "Kode KBLI tidak dikenal: isi huruf kategori KBLI 2020 (A–U) atau kode 5 angka "
        "yang ada di daftar KBLI."
    ),
    "legal_form_invalid": _("Bentuk usaha tidak dikenal."),
    "village_invalid": _("Kode desa/kelurahan tidak dikenal: pilih desa dari daftar wilayah."),
    "out_of_scope": _("Desa ini di luar wilayah kerja Anda."),
    "count_invalid": _("Isi bilangan bulat dari 0 sampai 10.000.000."),
    "total_zero": _("Jumlah pekerja paling sedikit 1."),
    "sex_sum": _("Pekerja laki-laki dan perempuan harus berjumlah sama dengan jumlah pekerja."),
    "registered_above_total": _(
        "Pekerja terdaftar BPJS (%(registered)s) melebihi jumlah pekerja (%(total)s)."
    ),
    "program_unknown": _("Program tidak dikenal: pakai JKK, JKM, JHT, JP, JKP."),
    "source_invalid": _("Sumber data tidak dikenal."),
    "date_invalid": _("Tanggal tidak sah: tulis dd/mm/yyyy."),
    "date_future": _("Tanggal tidak boleh setelah hari ini."),
    "no_rule": _("Belum ada aturan ukuran usaha yang berlaku pada tanggal ini."),
    "kind_invalid": _("Jenis tindakan tidak dikenal."),
    "outcome_invalid": _("Hasil tindakan tidak dikenal."),
    "follow_up_before": _("Tindak lanjut tidak boleh sebelum tanggal tindakan."),
    "letter_number_required": _("Surat imbauan dan peringatan sanksi wajib bernomor surat."),
    "document_not_pdf": _("Berkas surat harus PDF."),
    "no_employers": _("Pilih paling sedikit satu pemberi kerja."),
    "employer_unknown": _(
        "Pemberi kerja ini tidak ada di wilayah Anda: %(ids)s. Periksa nomor pemberi kerja."
    ),
    "worker_not_found": _(
        "NIK ini tidak ada di registri pekerja wilayah Anda: daftarkan dulu di menu Pekerja."
    ),
    "worker_not_formal": _(
        "Pekerja ini tercatat sebagai BPU (bukan penerima upah): ubah segmennya menjadi PU "
        "di data pekerja sebelum menautkannya ke pemberi kerja."
    ),
    "forbidden": _("Peran Anda tidak boleh mengubah data pemberi kerja."),
    **UPLOAD_MESSAGES,
}

# Fields a caller gives, as text; the order in which problems are reported.
FIELDS = (
    "name",
    "nib",
    "npwp",
    "legal_form",
    "sector",
    "village_code",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
    "total_workers",
    "workers_male",
    "workers_female",
    "workers_source",
    "workers_as_of",
    "registered_workers",
    "programs",
    "npp",
    "wage_underreported",
    "registration_source",
    "registration_as_of",
    "closed_on",
)


# More workers than any employer has: a typo, refused before it reaches the column.
MAX_WORKERS = 10_000_000

# The longest text each free field keeps (the columns' lengths).
LENGTHS = {
    "address": 300,
    "contact_name": 150,
    "contact_phone": 20,
    "contact_email": 254,
    "npp": 20,
}


# The codes of the choices, as sets: an import checks them on every row.
LEGAL_FORMS = frozenset(LegalForm.values)
SOURCES = frozenset(FigureSource.values)


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    params: tuple = ()

    @property
    def message(self) -> str:
        text = str(MESSAGES.get(self.code, self.code))
        return text % dict(self.params) if self.params else text

    def as_dict(self) -> dict:
        return {"field": self.field, "code": self.code, "message": self.message}


class EmployerInvalid(Invalid):
    """A record refused field by field."""


class EmployerRefused(Refusal):
    messages = MESSAGES


def can_edit(user) -> bool:
    """Disnaker staff and village operators keep the registry; agents and viewers read it."""
    return user is None or user.role in (
        Role.SYSTEM_ADMIN,
        Role.REGENCY_ADMIN,
        Role.VILLAGE_OPERATOR,
    )


def _forbid(user) -> None:
    if not can_edit(user):
        raise EmployerRefused("forbidden")


# --- checks -------------------------------------------------------------------------------


def _count(value, field, problems, *, required=True):
    if value in (None, ""):
        if required:
            problems.append(Problem(field, "required"))
        return None
    try:
        number = int(str(value).strip().replace(".", ""))
    except ValueError:
        problems.append(Problem(field, "count_invalid"))
        return None
    if not 0 <= number <= MAX_WORKERS:
        problems.append(Problem(field, "count_invalid"))
        return None
    return number


def _date(value, field, problems, today, *, required=True):
    if value in (None, ""):
        if required:
            problems.append(Problem(field, "required"))
        return None
    if isinstance(value, dt.date):
        day = value
    else:
        day = parse_date(str(value).strip())
        if day is None:
            problems.append(Problem(field, "date_invalid"))
            return None
    if day > today:
        problems.append(Problem(field, "date_future"))
        return None
    return day


def _village_exists(code: str, villages: set[str] | None) -> bool:
    if villages is not None:
        return code in villages
    return level_of(code) == VILLAGE and Region.objects.filter(code=code).exists()


def valid_nib(value: str) -> bool:
    return len(value) == 13 and value.isdigit()


def clean(
    user,
    data: dict,
    *,
    today: dt.date,
    current: Employer | None = None,
    villages: set[str] | None = None,
) -> dict:
    """The record ``data`` (text or values, as a form, the API or an import row gives it)
    as model values; refuses with every problem at once.

    An import gives ``villages`` (the village codes of its file that exist) and checks the
    NIBs of the whole file itself, so a row costs no query."""
    problems: list[Problem] = []
    value = {k: ("" if data.get(k) is None else data.get(k)) for k in FIELDS}
    out: dict = {}

    name = str(value["name"]).strip()
    if not name:
        problems.append(Problem("name", "required"))
    out["name"] = name[:200]

    nib = str(value["nib"]).strip().replace(" ", "")
    if nib and not valid_nib(nib):
        problems.append(Problem("nib", "nib_invalid"))
    out["nib"] = nib or None

    npwp = "".join(ch for ch in str(value["npwp"]) if ch.isalnum())
    if npwp and (not npwp.isdigit() or len(npwp) not in (15, 16)):
        problems.append(Problem("npwp", "npwp_invalid"))
    out["npwp"] = npwp

    legal_form = str(value["legal_form"]).strip() or LegalForm.OTHER
    if legal_form not in LEGAL_FORMS:
        problems.append(Problem("legal_form", "legal_form_invalid"))
    out["legal_form"] = legal_form

    sector = kbli.parse(str(value["sector"]))
    if sector is None:
        problems.append(Problem("sector", "kbli_unknown" if value["sector"] else "required"))
    else:
        out["kbli_section"], out["kbli_code"] = sector

    village = str(value["village_code"]).strip()
    if not village:
        problems.append(Problem("village_code", "required"))
    elif not _village_exists(village, villages):
        problems.append(Problem("village_code", "village_invalid"))
    elif user is not None and not in_scope(user, village):
        problems.append(Problem("village_code", "out_of_scope"))
    else:
        out["village_id"] = village

    for field, length in LENGTHS.items():
        out[field] = str(value[field]).strip()[:length]

    total = _count(value["total_workers"], "total_workers", problems)
    if total == 0:
        problems.append(Problem("total_workers", "total_zero"))
    male = _count(value["workers_male"], "workers_male", problems, required=False)
    female = _count(value["workers_female"], "workers_female", problems, required=False)
    if total and male is not None and female is not None and male + female != total:
        problems.append(Problem("workers_female", "sex_sum"))
    registered = _count(value["registered_workers"], "registered_workers", problems)
    if total and registered is not None and registered > total:
        problems.append(
            Problem(
                "registered_workers",
                "registered_above_total",
                (("registered", registered), ("total", total)),
            )
        )
    out.update(
        total_workers=total,
        workers_male=male,
        workers_female=female,
        registered_workers=registered,
    )

    programs = value["programs"]
    if isinstance(programs, str):
        programs = [p.strip().upper() for p in programs.replace(";", ",").split(",")]
    programs = [p for p in programs if p]
    if any(p not in PROGRAMS for p in programs):
        problems.append(Problem("programs", "program_unknown"))
    out["programs"] = ",".join(p for p in PROGRAMS if p in programs)
    out["wage_underreported"] = str(value["wage_underreported"]).strip().lower() in (
        "1",
        "true",
        "ya",
        "on",
        "y",
    )

    for field in ("workers_source", "registration_source"):
        source = str(value[field]).strip()
        if source not in SOURCES:
            problems.append(Problem(field, "source_invalid" if source else "required"))
        out[field] = source
    out["workers_as_of"] = _date(value["workers_as_of"], "workers_as_of", problems, today)
    out["registration_as_of"] = _date(
        value["registration_as_of"], "registration_as_of", problems, today
    )
    out["closed_on"] = _date(value["closed_on"], "closed_on", problems, today, required=False)

    if villages is None and out["nib"] and not any(p.field == "nib" for p in problems):
        taken = Employer.objects.filter(nib=out["nib"])
        if current is not None:
            taken = taken.exclude(pk=current.pk)
        if taken.exists():
            problems.append(Problem("nib", "nib_taken"))
    if problems:
        raise EmployerInvalid(problems)
    return out


def rule_on(day: dt.date) -> ComplianceRule:
    rule = ComplianceRule.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    if rule is None:
        raise EmployerInvalid([Problem("registration_as_of", "no_rule")])
    return rule


def judge(employer: Employer, rule: ComplianceRule) -> None:
    """Size, compliance and its reasons, by the rule in force on the registration date.

    Closed wins; no registered worker and no NPP is not registered; otherwise registered
    only when every worker, every program the size requires and the real wage are declared,
    else partly registered with each PDS category that applies.
    """
    employer.size_class = rule.size_of(employer.total_workers)
    employer.uncovered = max(employer.total_workers - employer.registered_workers, 0)
    reasons = []
    if employer.closed_on:
        employer.compliance = Compliance.CLOSED
        employer.uncovered = 0
    elif employer.registered_workers == 0 and not employer.npp:
        employer.compliance = Compliance.NOT_REGISTERED
    else:
        if employer.registered_workers < employer.total_workers:
            reasons.append(Reason.PDS_WORKERS)
        if employer.wage_underreported:
            reasons.append(Reason.PDS_WAGE)
        missing = set(rule.required_programs(employer.size_class)) - set(
            employer.programs.split(",")
        )
        if missing:
            reasons.append(Reason.PDS_PROGRAM)
        employer.compliance = Compliance.PARTLY if reasons else Compliance.REGISTERED
    employer.reasons = ",".join(str(r) for r in reasons)


def missing_programs(employer: Employer) -> list[str]:
    rule = ComplianceRule.objects.filter(valid_from__lte=employer.registration_as_of).first()
    if rule is None:
        return []
    required = rule.required_programs(employer.size_class)
    return [p for p in required if p not in employer.program_list]


# --- the registry -------------------------------------------------------------------------


def _save(employer: Employer, values: dict) -> Employer:
    for field, value in values.items():
        setattr(employer, field, value)
    employer.set_region_codes()
    judge(employer, rule_on(employer.registration_as_of))
    try:
        with transaction.atomic():
            employer.save()
    except IntegrityError as exc:  # two writers with one NIB at the same moment
        raise EmployerInvalid([Problem("nib", "nib_taken")]) from exc
    return employer


@transaction.atomic
def create_employer(*, user, data: dict, today: dt.date) -> Employer:
    _forbid(user)
    values = clean(user, data, today=today)
    values["identified_by_name"] = values["nib"] is None
    return _save(Employer(created_by=user if user and user.pk else None), values)


def employer_values(employer: Employer) -> dict:
    """The record as the fields :func:`clean` takes (for a PATCH or a form)."""
    return {
        "name": employer.name,
        "nib": employer.nib or "",
        "npwp": employer.npwp,
        "legal_form": employer.legal_form,
        "sector": employer.kbli_code or employer.kbli_section,
        "village_code": employer.village_id,
        "address": employer.address,
        "contact_name": employer.contact_name,
        "contact_phone": employer.contact_phone,
        "contact_email": employer.contact_email,
        "total_workers": employer.total_workers,
        "workers_male": employer.workers_male,
        "workers_female": employer.workers_female,
        "workers_source": employer.workers_source,
        "workers_as_of": employer.workers_as_of,
        "registered_workers": employer.registered_workers,
        "programs": employer.programs,
        "npp": employer.npp,
        "wage_underreported": "1" if employer.wage_underreported else "",
        "registration_source": employer.registration_source,
        "registration_as_of": employer.registration_as_of,
        "closed_on": employer.closed_on,
    }


@transaction.atomic
def update_employer(*, user, employer: Employer, changes: dict, today: dt.date) -> Employer:
    """Change some fields; the rest stay. The history keeps every earlier figure."""
    _forbid(user)
    data = employer_values(employer) | {k: v for k, v in changes.items() if k in FIELDS}
    values = clean(user, data, today=today, current=employer)
    if values["nib"]:
        values["identified_by_name"] = False
    return _save(employer, values)


# --- outreach -----------------------------------------------------------------------------


def _refresh_follow_up(employer: Employer) -> None:
    """The earliest open follow-up of the employer's latest actions: only the newest
    action's follow-up counts (a later action replaces the plan of an earlier one)."""
    latest = employer.actions.order_by("-done_on", "-id").first()
    day = latest.follow_up_on if latest and not latest.follow_up_done else None
    reached = first_reached(employer.actions.all())
    if (employer.next_follow_up, employer.first_reached_on) != (day, reached):
        employer.next_follow_up, employer.first_reached_on = day, reached
        employer.save(update_fields=["next_follow_up", "first_reached_on", "updated_at"])


def first_reached(actions) -> dt.date | None:
    """The day outreach first reached an employer: its first action, leaving out the
    socialisations it was invited to and did not attend."""
    return actions.exclude(outcome=Action.Outcome.ABSENT).aggregate(day=Min("done_on"))["day"]


def _action_values(data: dict, today: dt.date, problems: list) -> dict:
    out = {}
    kind = str(data.get("kind") or "").strip()
    if kind not in Action.Kind.values:
        problems.append(Problem("kind", "kind_invalid" if kind else "required"))
    out["kind"] = kind
    outcome = str(data.get("outcome") or "").strip()
    if outcome not in Action.Outcome.values:
        problems.append(Problem("outcome", "outcome_invalid" if outcome else "required"))
    out["outcome"] = outcome
    out["done_on"] = _date(data.get("done_on"), "done_on", problems, today)
    follow = data.get("follow_up_on")
    follow_day = None
    if follow not in (None, ""):
        follow_day = follow if isinstance(follow, dt.date) else parse_date(str(follow).strip())
        if follow_day is None:
            problems.append(Problem("follow_up_on", "date_invalid"))
        elif out["done_on"] and follow_day < out["done_on"]:
            problems.append(Problem("follow_up_on", "follow_up_before"))
    out["follow_up_on"] = follow_day
    out["letter_number"] = str(data.get("letter_number") or "").strip()[:120]
    if kind in (Action.Kind.LETTER, Action.Kind.SANCTION_WARNING) and not out["letter_number"]:
        problems.append(Problem("letter_number", "letter_number_required"))
    out["notes"] = str(data.get("notes") or "").strip()
    return out


def _document(upload, problems: list):
    """A letter's PDF: within the upload limit (``lindung.uploads``) and a PDF by its
    first bytes, not by the name it was sent with."""
    if not upload:
        return None
    try:
        check_size(upload.size, refuse=EmployerRefused)
    except EmployerRefused as refusal:
        problems.append(Problem("document", refusal.code, tuple(refusal.params.items())))
        return None
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        problems.append(Problem("document", "document_not_pdf"))
        return None
    return upload


def _letter_name(number: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", number).strip("-").lower() or "surat"
    return f"{slug[:60]}.pdf"


@transaction.atomic
def record_action(*, user, employer: Employer, data: dict, today: dt.date, document=None):
    """One outreach step with one employer; its follow-up joins the work list."""
    _forbid(user)
    problems: list[Problem] = []
    values = _action_values(data, today, problems)
    upload = _document(document, problems)
    if problems:
        raise EmployerInvalid(problems)
    # The previous plan is done once a new step is taken.
    employer.actions.filter(follow_up_done=False).update(follow_up_done=True)
    action = Action(employer=employer, officer=user if user and user.pk else None, **values)
    if upload is not None:
        action.document.save(_letter_name(values["letter_number"]), upload, save=False)
    action.save()
    _refresh_follow_up(employer)
    return action


@transaction.atomic
def hold_event(*, user, data: dict, employers, attended: set[int], today: dt.date) -> Event:
    """A socialisation event for many employers at once: one action per invited employer,
    its outcome ``attended`` or ``absent`` from the attendance list."""
    _forbid(user)
    problems: list[Problem] = []
    title = str(data.get("title") or "").strip()
    if not title:
        problems.append(Problem("title", "required"))
    held_on = _date(data.get("held_on"), "held_on", problems, today)
    village = str(data.get("village_code") or "").strip()
    if level_of(village) != VILLAGE or not Region.objects.filter(code=village).exists():
        problems.append(Problem("village_code", "village_invalid" if village else "required"))
    elif user is not None and not in_scope(user, village):
        problems.append(Problem("village_code", "out_of_scope"))
    employers = list(employers)
    if not employers:
        problems.append(Problem("employers", "no_employers"))
    follow = data.get("follow_up_on")
    follow_day = parse_date(str(follow).strip()) if follow else None
    if follow and follow_day is None:
        problems.append(Problem("follow_up_on", "date_invalid"))
    if problems:
        raise EmployerInvalid(problems)
    event = Event(
        title=title[:200],
        held_on=held_on,
        place=str(data.get("place") or "").strip()[:200],
        village_id=village,
        officer=user if user and user.pk else None,
    )
    event.set_region_codes()
    event.save()
    for employer in employers:
        employer.actions.filter(follow_up_done=False).update(follow_up_done=True)
        Action.objects.create(
            employer=employer,
            event=event,
            kind=Action.Kind.SOCIALISATION,
            done_on=held_on,
            outcome=Action.Outcome.ATTENDED if employer.pk in attended else Action.Outcome.ABSENT,
            follow_up_on=follow_day,
            officer=event.officer,
        )
        _refresh_follow_up(employer)
    return event


def earliest_follow_up(queryset):
    return queryset.aggregate(day=Min("next_follow_up"))["day"]


# --- workers ------------------------------------------------------------------------------


@transaction.atomic
def link_worker(*, user, employer: Employer, nik: str) -> Person:
    """Name ``employer`` as the employer of a formal (PU) worker of the user's region. The
    worker's history records the change like any other edit of the worker."""
    _forbid(user)
    nik = "".join(str(nik).split())
    person = scoped(user, Person.objects.filter(nik=nik)).first() if nik else None
    if person is None:
        raise EmployerRefused("worker_not_found")
    if person.segment != Person.Segment.PU:
        raise EmployerRefused("worker_not_formal")
    person.employer = employer
    person.save(update_fields=["employer", "updated_at"])
    return person


@transaction.atomic
def unlink_worker(*, user, employer: Employer, person_id: int) -> None:
    _forbid(user)
    person = scoped(user, Person.objects.filter(pk=person_id, employer=employer)).first()
    if person is None:
        raise EmployerRefused("worker_not_found")
    person.employer = None
    person.save(update_fields=["employer", "updated_at"])


@dataclass
class KbliLoad:
    """What ``lindung kbli load`` did: codes added, retitled (with samples) and unchanged,
    rows of the levels above skipped, or the rows that refused the file (nothing saved)."""

    added: int = 0
    retitled: int = 0
    unchanged: int = 0
    above: int = 0
    samples: list[str] | None = None
    problems: list | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


@transaction.atomic
def load_kbli(content: bytes, name: str, *, now) -> KbliLoad:
    """Load the 5-digit KBLI 2020 codes of the BPS table ``content`` (CSV or XLSX).

    The whole file or nothing: one wrong row refuses it, with every wrong row named.
    Idempotent: a code already loaded with the same title is left as it is; a new title
    replaces the old one (BPS corrections), with its history. No code is removed.
    """
    from lindung.employers.models import KbliCode
    from lindung.privacy.history import bulk_history

    table = kbli.read_table(content, name)
    if table.problems:
        return KbliLoad(above=table.above, problems=table.problems)
    source = f"{kbli.SOURCE}: {name}"[:200] if name else kbli.SOURCE
    known = {row.code: row for row in KbliCode.objects.filter(code__in=list(table.codes))}
    new, retitled, samples = [], [], []
    for code, title in sorted(table.codes.items()):
        row = known.get(code)
        if row is None:
            section = kbli.section_of(code)
            new.append(
                KbliCode(code=code, title=title, section=section, source=source, loaded_at=now)
            )
        elif row.title != title:
            samples.append(f"{code}: {row.title} → {title}")
            row.title, row.source, row.loaded_at = title, source, now
            retitled.append(row)
    KbliCode.objects.bulk_create(new, batch_size=1000)
    KbliCode.objects.bulk_update(retitled, ["title", "source", "loaded_at"], batch_size=1000)
    bulk_history(KbliCode, new)
    bulk_history(KbliCode, retitled, update=True)
    return KbliLoad(
        added=len(new),
        retitled=len(retitled),
        unchanged=len(table.codes) - len(new) - len(retitled),
        above=table.above,
        samples=samples[:10],
        problems=[],
    )
