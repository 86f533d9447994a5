"""Every write of self-paid continuation: collections, lapses, deposits, statements, fees.

A collection is one transaction: the enrollment row is locked first, so two collectors
recording for the same worker queue up and the second sees the first's months; the unique
key on (person, month) refuses what slips past (another enrollment of the same person).
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.accounts.models import Role
from lindung.accounts.scope import scoped
from lindung.agents.selectors import portfolio
from lindung.agents.services import note_activity
from lindung.contributions.models import Payer, Segment
from lindung.contributions.premiums import NoRateInForce, RateBook
from lindung.formatting import rupiah
from lindung.people import nik as nik_rules
from lindung.people.models import Person
from lindung.programs import permissions
from lindung.programs import services as programs
from lindung.programs.lifecycle import State
from lindung.programs.models import Enrollment, Transition
from lindung.refusals import Refusal
from lindung.selfpay import months as calendar
from lindung.selfpay.models import Collection, CollectionLine, Deposit, Method

_RUPIAH = re.compile(r"^(\d{1,15}|\d{1,3}(\.\d{3})+)$")

# How long after the money changed hands a collection may still be written down.
LATE_ENTRY_DAYS = 31


class CollectionRefused(Refusal):
    messages = {
        "forbidden": _("Peran Anda tidak boleh mencatat iuran mandiri."),
        "nik_invalid": _("NIK harus 16 angka: %(value)s."),
        "worker_not_found": _(
            "NIK %(nik)s tidak terdaftar di wilayah kerja Anda: periksa NIK atau desa pekerja."
        ),
        "no_continuation": _(
            "Pekerja ini tidak punya kepesertaan yang masa sponsornya sudah selesai: iuran "
            "mandiri dicatat setelah masa sponsor berakhir."
        ),
        "membership_ended": _(
            "Kepesertaan sudah berakhir (tunggakan lebih dari 3 bulan, bulan %(month)s tidak "
            "dibayar): pekerja harus mendaftar ulang."
        ),
        "months_missing": _("Pilih paling sedikit satu bulan (YYYY-MM, mis. 2026-11)."),
        "month_invalid": _("Bulan tidak sah: %(value)s. Tulis YYYY-MM, mis. 2026-11."),
        "month_paid": _("Bulan %(months)s sudah dibayar: satu bulan hanya dibayar sekali."),
        "month_sponsored": _(
            "Bulan %(months)s masih dibiayai program sponsor: tidak dibayar sendiri."
        ),
        "arrears_beyond_window": _(
            "Bulan %(months)s lewat batas tunggakan 3 bulan (paling lama %(first)s): "
            "kepesertaan bulan itu sudah berakhir, pekerja harus mendaftar ulang."
        ),
        "ahead_beyond_window": _(
            "Bulan %(months)s terlalu jauh: pembayaran di muka paling jauh 12 bulan "
            "(sampai %(last)s)."
        ),
        "method_invalid": _("Cara bayar harus tunai (cash), transfer atau QRIS."),
        "date_invalid": _("Tanggal bayar tidak sah: tulis YYYY-MM-DD atau DD/MM/YYYY."),
        "date_future": _("Tanggal bayar tidak boleh setelah hari ini."),
        "date_too_old": _("Tanggal bayar lebih dari 31 hari yang lalu: catat pada hari bayar."),
        "amount_invalid": _("Jumlah harus rupiah bulat, 0 atau lebih, tanpa desimal."),
        "amount_mismatch": _(
            "Jumlah %(given)s tidak sama dengan iuran bulan yang dipilih: %(expected)s."
        ),
        "no_rate": _("Belum ada tarif iuran untuk bulan %(month)s: hubungi admin sistem."),
    }

    # The API answers these with 409 Conflict: the request is well formed, the months are not
    # (or no longer) payable.
    CONFLICTS = frozenset(
        {"month_paid", "arrears_beyond_window", "membership_ended", "month_sponsored"}
    )

    @property
    def is_conflict(self) -> bool:
        return self.code in self.CONFLICTS


def _month_list(months: list[dt.date]) -> str:
    return ", ".join(f"{m:%m/%Y}" for m in sorted(months))


def parse_paid_on(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_amount(value) -> int | None:
    """A collected amount: integer rupiah only (``8400``, ``"8.400"``); ``None`` if not."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str):
        text = value.strip()
        # Dots only as thousands separators (8.400): "8400.5" is not rupiah.
        if _RUPIAH.match(text):
            return int(text.replace(".", ""))
    return None


def _check_months(raw_months) -> list[dt.date]:
    if isinstance(raw_months, str):
        raw_months = [m for m in raw_months.replace(";", ",").split(",") if m.strip()]
    if not raw_months:
        raise CollectionRefused("months_missing")
    months = []
    for raw in raw_months:
        month = calendar.parse_month(raw)
        if month is None:
            raise CollectionRefused("month_invalid", value=str(raw)[:20])
        months.append(month)
    return sorted(set(months))


def continuation_of(person: Person) -> Enrollment:
    """The enrollment a worker's self-paid months continue: the latest that has ended."""
    enrollment = (
        Enrollment.objects.filter(
            person=person, state__in=[State.ENDED, State.CONTINUED, State.LAPSED]
        )
        .select_related("program", "person__occupation")
        .order_by("-coverage_end", "-id")
        .first()
    )
    if enrollment is None or enrollment.coverage_end is None:
        raise CollectionRefused("no_continuation")
    return enrollment


@dataclass
class PricedMonth:
    month: dt.date
    amount: int
    base_amount: int
    rule_id: int | None
    rule_code: str | None
    rule_label: str
    rate_version: dt.date


def price_months(enrollment: Enrollment, months: list[dt.date]) -> list[PricedMonth]:
    """What a self-payer pays for each month: the premium engine, payer = the worker."""
    book = RateBook.load()
    person = enrollment.person
    income = enrollment.program.income_basis or person.declared_income
    transport = bool(person.occupation_id and person.occupation.is_transport)
    priced = []
    for month in months:
        try:
            quote = book.premium(
                Segment.BPU,
                enrollment.program.benefits,
                income,
                month,
                payer=Payer.SELF,
                transport=transport,
            )
        except NoRateInForce as exc:
            raise CollectionRefused("no_rate", month=f"{month:%m/%Y}") from exc
        priced.append(
            PricedMonth(
                month=month,
                amount=quote.total,
                base_amount=quote.base_total,
                rule_id=quote.rule.pk if quote.rule else None,
                rule_code=quote.rule.code if quote.rule else None,
                rule_label=quote.rule_label,
                rate_version=quote.version.effective_from,
            )
        )
    return priced


def _check_window(enrollment: Enrollment, months: list[dt.date], paid_on: dt.date) -> None:
    paid = set(
        CollectionLine.objects.filter(person_id=enrollment.person_id).values_list(
            "month", flat=True
        )
    )
    if already := [m for m in months if m in paid]:
        raise CollectionRefused("month_paid", months=_month_list(already))
    covered_until = enrollment.coverage_end.replace(day=1)
    if sponsored := [m for m in months if m <= covered_until]:
        raise CollectionRefused("month_sponsored", months=_month_list(sponsored))
    first = calendar.oldest_payable(paid_on)
    if late := [m for m in months if m < first]:
        raise CollectionRefused("arrears_beyond_window", months=_month_list(late),
                                first=f"{first:%m/%Y}")  # fmt: skip
    hole = calendar.first_unpaid(enrollment.coverage_end, paid)
    if enrollment.state == State.LAPSED or calendar.is_lapsed(hole, paid_on):
        raise CollectionRefused("membership_ended", month=f"{hole:%m/%Y}")
    last = calendar.latest_payable(paid_on)
    if ahead := [m for m in months if m > last]:
        raise CollectionRefused(
            "ahead_beyond_window", months=_month_list(ahead), last=f"{last:%m/%Y}"
        )


def _find_worker(user, raw_nik) -> Person:
    nik = nik_rules.normalize(raw_nik)
    if len(nik) != 16 or not nik.isdecimal():
        raise CollectionRefused("nik_invalid", value=str(raw_nik)[:30])
    people = scoped(user, Person.objects.all())
    own = portfolio(user)  # an agent collects in its villages (and from its own workers)
    if own is not None:
        people = people.filter(own)
    person = people.filter(nik=nik).first()
    if person is None:
        raise CollectionRefused("worker_not_found", nik=nik_rules.mask_nik(nik))
    return person


def _agent_of(user):
    """The Perisai agent a collector signs in as (none for operators and admins)."""
    if user is None or not user.pk or user.role != Role.AGENT:
        return None
    return getattr(user, "agent", None)


def record_collection(
    *,
    user,
    nik,
    months,
    paid_on,
    method: str,
    today: dt.date,
    amount=None,
    via: str = Transition.Via.WEB,
) -> Collection:
    """Record the months a worker paid; the first one continues the ended enrollment.

    ``amount`` (optional) is what the collector says was received: it must be integer
    rupiah and equal to the priced months, so a mistyped sum is caught at the counter.
    """
    if user is not None and user.role not in permissions.COLLECTORS:
        raise CollectionRefused("forbidden")
    if method not in Method.values:
        raise CollectionRefused("method_invalid")
    day = parse_paid_on(paid_on)
    if day is None:
        raise CollectionRefused("date_invalid")
    if day > today:
        raise CollectionRefused("date_future")
    if day < today - dt.timedelta(days=LATE_ENTRY_DAYS):
        raise CollectionRefused("date_too_old")
    given = None
    if amount not in (None, ""):
        given = parse_amount(amount)
        if given is None:
            raise CollectionRefused("amount_invalid")
    wanted = _check_months(months)
    person = _find_worker(user, nik)
    with transaction.atomic():
        enrollment = continuation_of(person)
        # The lock that queues two collectors of the same worker (see the module docstring).
        enrollment = (
            Enrollment.objects.select_for_update(of=("self",))
            .select_related("program", "person__occupation")
            .get(pk=enrollment.pk)
        )
        _check_window(enrollment, wanted, day)
        priced = price_months(enrollment, wanted)
        total = sum(p.amount for p in priced)
        if given is not None and given != total:
            raise CollectionRefused("amount_mismatch", given=rupiah(given), expected=rupiah(total))
        collection = Collection(
            person=person,
            enrollment=enrollment,
            paid_on=day,
            method=method,
            total=total,
            collected_by=user if user is not None and user.pk else None,
            agent=_agent_of(user),
            recorded_at=timezone.now(),
            via=via,
            village_id=person.village_id,
        )
        collection.set_region_codes()
        try:
            with transaction.atomic():
                collection.save()
                CollectionLine.objects.bulk_create(
                    CollectionLine(
                        collection=collection,
                        person=person,
                        enrollment=enrollment,
                        month=p.month,
                        amount=p.amount,
                        base_amount=p.base_amount,
                        rule_id=p.rule_id,
                        rule_label=p.rule_label[:300],
                        rate_version=p.rate_version,
                    )
                    for p in priced
                )
        except IntegrityError as exc:
            raise CollectionRefused("month_paid", months=_month_list(wanted)) from exc
        if collection.agent_id is not None:
            note_activity(collection.agent_id, on=day)
        if enrollment.state == State.ENDED:
            programs.transition(
                user=user,
                enrollment=enrollment,
                to_state=State.CONTINUED,
                reason=str(_("Iuran mandiri pertama diterima (kuitansi %(number)s).") % {
                    "number": collection.number
                }),
                via=via if user is not None else Transition.Via.SYSTEM,
            )  # fmt: skip
    return collection


def lapse_unpaid(*, today: dt.date) -> int:
    """Self-payers whose arrears outran the window become ``lapsed`` (the daily job)."""
    first = calendar.oldest_payable(today)
    candidates = Enrollment.objects.filter(
        state=State.CONTINUED, coverage_end__lt=first
    ).values_list("pk", "person_id", "coverage_end")
    paid: dict[int, set[dt.date]] = {}
    # Only the months before the window can leave a hole that can no longer be filled.
    lines = CollectionLine.objects.filter(
        enrollment__state=State.CONTINUED, enrollment__coverage_end__lt=first, month__lt=first
    ).values_list("person_id", "month")
    for person_id, month in lines.iterator(chunk_size=5000):
        paid.setdefault(person_id, set()).add(month)
    lapsing = [
        pk
        for pk, person_id, coverage_end in candidates.iterator(chunk_size=5000)
        if calendar.is_lapsed(
            calendar.first_unpaid(coverage_end, paid.get(person_id, set())), today
        )
    ]
    if not lapsing:
        return 0
    result = programs.move_many(
        user=None,
        enrollments=Enrollment.objects.filter(pk__in=lapsing, state=State.CONTINUED),
        to_state=State.LAPSED,
        reason=str(_("Tunggakan iuran mandiri lebih dari 3 bulan.")),
        via=Transition.Via.SYSTEM,
    )
    return len(result.moved)


# --- deposits to the insurer ---------------------------------------------------------------


class DepositRefused(Refusal):
    messages = {
        "forbidden": _("Peran Anda tidak boleh mencatat setoran."),
        "reference_missing": _("Isi referensi setoran (nomor bukti transfer atau setor)."),
        "reference_used": _("Referensi %(reference)s sudah dipakai setoran lain."),
        "date_invalid": _("Tanggal setor tidak sah: tulis YYYY-MM-DD atau DD/MM/YYYY."),
        "date_future": _("Tanggal setor tidak boleh setelah hari ini."),
        "nothing_to_deposit": _("Tidak ada iuran diterima yang belum disetor sampai tanggal itu."),
        "amount_invalid": _("Jumlah setoran harus rupiah bulat, tanpa desimal."),
        "amount_mismatch": _(
            "Jumlah setoran %(given)s tidak sama dengan iuran yang disetor: %(expected)s "
            "(%(count)s kuitansi)."
        ),
        "regencies_mixed": _("Satu setoran untuk satu kabupaten: pilih kuitansi satu kabupaten."),
    }


def record_deposit(
    *, user, reference, deposited_on, amount, today: dt.date, collection_ids=None
) -> Deposit:
    """Hand the collections not yet deposited (up to the deposit's date, or those chosen)
    to the insurer in one deposit; the amount must be their sum, to the rupiah."""
    from lindung.selfpay.selectors import collections_for

    if user is not None and user.role not in permissions.COLLECTORS:
        raise DepositRefused("forbidden")
    reference = " ".join(str(reference or "").split())[:100]
    if not reference:
        raise DepositRefused("reference_missing")
    day = parse_paid_on(deposited_on)
    if day is None:
        raise DepositRefused("date_invalid")
    if day > today:
        raise DepositRefused("date_future")
    given = parse_amount(amount)
    if given is None:
        raise DepositRefused("amount_invalid")
    with transaction.atomic():
        chosen = collections_for(user).filter(deposit__isnull=True, paid_on__lte=day)
        if collection_ids is not None:
            chosen = chosen.filter(pk__in=list(collection_ids))
        rows = list(
            Collection.objects.select_for_update()
            .filter(pk__in=chosen.values("pk"), deposit__isnull=True)
            .values_list("pk", "total", "regency_code")
        )
        if not rows:
            raise DepositRefused("nothing_to_deposit")
        if len({regency for _pk, _total, regency in rows}) > 1:
            raise DepositRefused("regencies_mixed")
        expected = sum(total for _pk, total, _regency in rows)
        if given != expected:
            raise DepositRefused("amount_mismatch", given=rupiah(given),
                                 expected=rupiah(expected), count=len(rows))  # fmt: skip
        try:
            with transaction.atomic():
                deposit = Deposit.objects.create(
                    reference=reference,
                    deposited_on=day,
                    amount=expected,
                    collections_count=len(rows),
                    regency_code=rows[0][2],
                    created_at=timezone.now(),
                    created_by=user if user is not None and user.pk else None,
                )
        except IntegrityError as exc:  # the unique key on (regency, reference)
            raise DepositRefused("reference_used", reference=reference) from exc
        Collection.objects.filter(pk__in=[pk for pk, _t, _r in rows]).update(deposit=deposit)
    return deposit
