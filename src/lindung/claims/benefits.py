"""The benefit estimator: what the insurer would pay for an event, and why.

It answers for a worker of the registry (from the months their membership was paid: the
sponsored months of their enrollments and the months they paid themselves) or for a
hypothetical member (segment, declared income, membership start, months paid). The
figures come from the :class:`~lindung.claims.models.BenefitRule` in force on the date
of the event; every component carries the rule it applies and the reason it applies, so
an operator can explain the answer to a family. It is an estimate: the insurer decides.

How membership is counted (see ``docs/claims.md``):

- a month is *paid* when a sponsor covered it (an enrollment from the month of its
  effective date to the month of its ``coverage_end``, in a state at or after ``active``)
  or when the worker paid it (a self-paid collection line);
- the membership of an event is the unbroken run of paid months that holds the event's
  month. An event in an unpaid month is covered only while the membership is being
  continued (``continued``) and the unpaid months are still within the arrears the
  insurer accepts (3 months), on condition that they are paid; otherwise the membership
  had ended (lapsed) and nothing is due for an event after its end.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lindung.claims.models import BenefitRule
from lindung.contributions.models import Segment
from lindung.formatting import rupiah, tanggal
from lindung.programs.lifecycle import State
from lindung.programs.models import add_months
from lindung.refusals import Refusal

ARREARS_MONTHS = 3  # the insurer accepts contributions at most 3 months late (domain.md)

# States after activation: the sponsored months of these enrollments were covered.
COVERED_STATES = (State.ACTIVE, State.ENDED, State.CONTINUED, State.RENEWED, State.LAPSED)


class Event:
    DEATH = "death"
    WORK_ACCIDENT_DEATH = "work_accident_death"
    TOTAL_DISABILITY = "total_disability"
    WORK_ACCIDENT_CARE = "work_accident_care"

    choices = [
        (DEATH, _("Meninggal dunia bukan karena kecelakaan kerja (JKM)")),
        (WORK_ACCIDENT_DEATH, _("Meninggal dunia karena kecelakaan kerja (JKK)")),
        (TOTAL_DISABILITY, _("Cacat total tetap karena kecelakaan kerja (JKK)")),
        (WORK_ACCIDENT_CARE, _("Kecelakaan kerja yang perlu perawatan (JKK)")),
    ]
    values = [code for code, _label in choices]

    @classmethod
    def label(cls, code: str) -> str:
        return str(dict(cls.choices).get(code, code))


MESSAGES = {
    "event_invalid": _(
        "Jenis peristiwa tidak dikenal: pilih death, work_accident_death, total_disability "
        "atau work_accident_care."
    ),
    "date_invalid": _("Tanggal peristiwa tidak terbaca: tulis 2026-02-15 atau 15/02/2026."),
    "date_in_future": _(
        "Tanggal peristiwa %(date)s belum terjadi: isi tanggal hari ini atau lebih awal."
    ),
    "event_before_membership": _(
        "Peristiwa %(date)s terjadi sebelum kepesertaan dimulai (%(start)s): tidak ada manfaat. "
        "Periksa tanggal peristiwa."
    ),
    "not_a_member": _(
        "Pekerja ini belum pernah aktif sebagai peserta (tidak ada bulan iuran yang dibayar): "
        "tidak ada manfaat yang dapat diperkirakan."
    ),
    "segment_invalid": _("Segmen harus BPU atau PU."),
    "income_invalid": _("Penghasilan sebulan harus rupiah bulat lebih dari 0, mis. 1000000."),
    "start_invalid": _(
        "Tanggal mulai kepesertaan tidak terbaca: tulis 2025-01-01 atau 01/01/2025."
    ),
    "months_invalid": _("Bulan iuran dibayar harus bilangan bulat 0 sampai 600."),
    "no_rule": _(
        "Tidak ada tabel manfaat yang berlaku pada %(date)s. Admin sistem perlu menambah "
        "versi tabel manfaat."
    ),
}


class EstimateRefused(Refusal):
    messages = MESSAGES


@dataclass
class Component:
    """One part of the benefit: ``amount`` is ``None`` for care paid as needed;
    ``up_to`` marks a maximum (the scholarship depends on the children's schooling)."""

    code: str
    label: str
    amount: int | None
    rule: str
    reason: str
    up_to: bool = False


@dataclass
class Membership:
    """The paid months of one member as the estimator counts them."""

    segment: str
    income: int
    paid: set[dt.date]
    start: dt.date | None = None  # the first day of cover, when known more precisely
    continuing: bool = False  # the worker is continuing self-paid (arrears may be paid)
    incomes: dict = field(default_factory=dict)  # month → income its contribution was on
    starts: dict = field(default_factory=dict)  # first month of a cover → its effective date


@dataclass
class Estimate:
    event: str
    event_date: dt.date
    segment: str
    income: int
    rule: BenefitRule
    membership_start: dt.date
    months_of_membership: int
    contribution_months: int
    current: bool
    covered: bool
    last_paid_month: dt.date | None
    reasons: list[str] = field(default_factory=list)
    components: list[Component] = field(default_factory=list)

    @property
    def total(self) -> int:
        """The sum of the fixed components (maxima and care as needed not included)."""
        return sum(c.amount for c in self.components if c.amount is not None and not c.up_to)

    @property
    def total_up_to(self) -> int:
        """The most that may be paid: the fixed components and the maxima."""
        return sum(c.amount for c in self.components if c.amount is not None)

    @property
    def event_label(self) -> str:
        return Event.label(self.event)

    def as_dict(self) -> dict:
        return {
            "estimate": True,
            "event": self.event,
            "event_date": self.event_date,
            "segment": self.segment,
            "income": self.income,
            "rule_effective_from": self.rule.effective_from,
            "rule_legal_basis": self.rule.legal_basis,
            "membership_start": self.membership_start,
            "months_of_membership": self.months_of_membership,
            "contribution_months": self.contribution_months,
            "contributions_current": self.current,
            "covered": self.covered,
            "last_paid_month": self.last_paid_month.strftime("%Y-%m")
            if self.last_paid_month
            else None,
            "total": self.total,
            "total_up_to": self.total_up_to,
            "reasons": self.reasons,
            "components": [
                {
                    "code": c.code,
                    "label": c.label,
                    "amount": c.amount,
                    "up_to": c.up_to,
                    "rule": c.rule,
                    "reason": c.reason,
                }
                for c in self.components
            ],
        }


def rule_in_force(day: dt.date) -> BenefitRule:
    rule = BenefitRule.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    if rule is None:
        raise EstimateRefused("no_rule", date=tanggal(day))
    return rule


def full_months(start: dt.date, day: dt.date) -> int:
    """Whole months from ``start`` to ``day`` (0 within the first month)."""
    months = (day.year - start.year) * 12 + day.month - start.month
    if day.day < start.day:
        months -= 1
    return max(months, 0)


def hypothetical(*, segment: str, income: int, start: dt.date, months_paid: int) -> Membership:
    """A member who joined on ``start`` and paid ``months_paid`` months from its month."""
    first = start.replace(day=1)
    paid = {add_months(first, i) for i in range(months_paid)}
    return Membership(segment=segment, income=income, paid=paid, start=start)


def of_person(person) -> Membership:
    """The paid months of a registry worker: sponsored months and self-paid months."""
    from lindung.selfpay.models import CollectionLine

    paid: dict[dt.date, int] = {}  # month → the income its contribution was computed on
    starts: dict[dt.date, dt.date] = {}  # month → the effective date that began it
    continuing = False
    enrollments = person.enrollments.filter(
        state__in=COVERED_STATES, effective_date__isnull=False, coverage_end__isnull=False
    ).select_related("program")
    for enrollment in enrollments:
        basis = enrollment.program.income_basis or person.declared_income
        month = enrollment.effective_date.replace(day=1)
        starts[month] = min(starts.get(month, enrollment.effective_date), enrollment.effective_date)
        while month <= enrollment.coverage_end:
            paid[month] = basis
            month = add_months(month, 1)
        continuing |= enrollment.state == State.CONTINUED
    for month in CollectionLine.objects.filter(person=person).values_list("month", flat=True):
        paid.setdefault(month, person.declared_income)
    return Membership(
        segment=person.segment or Segment.BPU,
        income=person.declared_income,
        paid=set(paid),
        continuing=continuing,
        incomes=paid,
        starts=starts,
    )


def _run_start(paid: set[dt.date], month: dt.date) -> dt.date:
    while add_months(month, -1) in paid:
        month = add_months(month, -1)
    return month


def estimate(membership: Membership, event: str, event_date: dt.date, *, today: dt.date):
    """The benefits due for ``event`` on ``event_date``; raises :class:`EstimateRefused`."""
    if event not in Event.values:
        raise EstimateRefused("event_invalid")
    if event_date > today:
        raise EstimateRefused("date_in_future", date=tanggal(event_date))
    if not membership.paid:
        raise EstimateRefused("not_a_member")
    month = event_date.replace(day=1)
    earlier = [m for m in membership.paid if m <= month]
    if not earlier:
        first = min(membership.paid)
        start = membership.starts.get(first) or membership.start or first
        raise EstimateRefused("event_before_membership", date=tanggal(event_date),
                              start=tanggal(start))  # fmt: skip
    last_paid = max(earlier)
    current = month in membership.paid
    run_first = _run_start(membership.paid, last_paid)
    start = membership.starts.get(run_first) or run_first
    if membership.start is not None and membership.start.replace(day=1) == run_first:
        start = membership.start
    if event_date < start:
        raise EstimateRefused("event_before_membership", date=tanggal(event_date),
                              start=tanggal(start))  # fmt: skip
    rule = rule_in_force(event_date)
    contributions = sum(1 for m in membership.paid if run_first <= m <= month)
    income = membership.incomes.get(last_paid, membership.income)
    unpaid = (month.year - last_paid.year) * 12 + month.month - last_paid.month
    result = Estimate(
        event=event,
        event_date=event_date,
        segment=membership.segment,
        income=income,
        rule=rule,
        membership_start=start,
        months_of_membership=full_months(start, event_date),
        contribution_months=contributions,
        current=current,
        covered=True,
        last_paid_month=last_paid,
    )
    reasons = result.reasons
    reasons.append(
        gettext(
            "Kepesertaan sejak %(start)s: %(months)s bulan penuh dan %(paid)s bulan iuran pada "
            "tanggal peristiwa."
        )  # fmt: skip
        % {"start": tanggal(start), "months": result.months_of_membership, "paid": contributions}
    )
    if current:
        reasons.append(gettext("Iuran bulan peristiwa sudah dibayar: kepesertaan aktif."))
    elif membership.continuing and unpaid <= ARREARS_MONTHS:
        reasons.append(
            gettext(
                "Iuran tertunggak %(n)s bulan (terakhir dibayar %(last)s): manfaat dibayar bila "
                "tunggakan dilunasi, paling lambat 3 bulan."
            )  # fmt: skip
            % {"n": unpaid, "last": f"{last_paid:%m/%Y}"}
        )
    else:
        result.covered = False
        reasons.append(
            gettext(
                "Kepesertaan berakhir setelah bulan %(last)s (iuran tidak dibayar lagi): tidak "
                "ada manfaat untuk peristiwa sesudahnya."
            )  # fmt: skip
            % {"last": f"{last_paid:%m/%Y}"}
        )
        return result
    reasons.append(
        gettext("Tabel manfaat yang berlaku pada %(date)s: %(basis)s (sejak %(since)s).")
        % {
            "date": tanggal(event_date),
            "basis": rule.legal_basis,
            "since": tanggal(rule.effective_from),
        }  # fmt: skip
    )
    result.components = _components(result, rule)
    return result


def _scholarship(rule: BenefitRule, reason: str) -> Component:
    return Component(
        "scholarship",
        gettext("Beasiswa pendidikan anak"),
        rule.scholarship_max,
        gettext("paling banyak %(max)s untuk paling banyak %(n)s anak")
        % {"max": rupiah(rule.scholarship_max), "n": rule.scholarship_children},
        reason,
        up_to=True,
    )


def _components(result: Estimate, rule: BenefitRule) -> list[Component]:
    event, income = result.event, result.income
    basis = rule.legal_basis
    if event == Event.DEATH:
        early = (
            result.segment == Segment.BPU
            and rule.bpu_early_death_months
            and result.months_of_membership < rule.bpu_early_death_months
        )
        if early:
            return [
                Component(
                    "early_death",
                    gettext("Santunan kematian masa awal kepesertaan BPU"),
                    rule.bpu_early_death_amount,
                    f"{rupiah(rule.bpu_early_death_amount)} ({basis})",
                    gettext(
                        "Peserta BPU meninggal dalam %(n)s bulan pertama kepesertaan (baru "
                        "%(m)s bulan penuh): bukan santunan penuh JKM."
                    )  # fmt: skip
                    % {"n": rule.bpu_early_death_months, "m": result.months_of_membership},
                )
            ]
        parts = [
            Component(
                "lump_sum",
                gettext("Santunan sekaligus"),
                rule.jkm_lump_sum,
                f"{rupiah(rule.jkm_lump_sum)} ({basis})",
                gettext("Meninggal bukan karena kecelakaan kerja (JKM)."),
            ),  # fmt: skip
            Component(
                "periodic",
                gettext("Santunan berkala"),
                rule.jkm_periodic,
                f"{rupiah(rule.jkm_periodic)} ({basis})",
                gettext("Dibayar sekaligus kepada ahli waris."),
            ),  # fmt: skip
            Component(
                "funeral",
                gettext("Biaya pemakaman"),
                rule.jkm_funeral,
                f"{rupiah(rule.jkm_funeral)} ({basis})",
                gettext("Untuk ahli waris yang memakamkan."),
            ),  # fmt: skip
        ]
        if result.contribution_months >= rule.scholarship_min_months:
            parts.append(_scholarship(rule, gettext(
                "Iuran %(paid)s bulan, paling sedikit %(min)s bulan: beasiswa untuk anak yang "
                "bersekolah.") % {"paid": result.contribution_months,
                                  "min": rule.scholarship_min_months}))  # fmt: skip
        else:
            result.reasons.append(
                gettext("Beasiswa belum berhak: iuran baru %(paid)s bulan, perlu %(min)s bulan.")
                % {"paid": result.contribution_months, "min": rule.scholarship_min_months}
            )
        return parts
    if event == Event.WORK_ACCIDENT_DEATH:
        amount = rule.jkk_death_multiple * income
        return [
            Component(
                "income_multiple",
                gettext("Santunan kematian kecelakaan kerja"),
                amount,
                f"{rule.jkk_death_multiple} × {rupiah(income)} ({basis})",
                gettext(
                    "Meninggal karena kecelakaan kerja (JKK): kelipatan penghasilan yang "
                    "dilaporkan."
                ),
            ),  # fmt: skip
            Component(
                "funeral",
                gettext("Biaya pemakaman"),
                rule.jkk_funeral,
                f"{rupiah(rule.jkk_funeral)} ({basis})",
                gettext("Untuk ahli waris yang memakamkan."),
            ),  # fmt: skip
            Component(
                "periodic",
                gettext("Santunan berkala"),
                rule.jkk_periodic,
                f"{rupiah(rule.jkk_periodic)} ({basis})",
                gettext("Dibayar sekaligus kepada ahli waris."),
            ),  # fmt: skip
            _scholarship(rule, gettext("JKK: beasiswa tanpa masa iuran minimal.")),
        ]
    if event == Event.TOTAL_DISABILITY:
        amount = rule.jkk_disability_multiple * income
        return [
            Component(
                "income_multiple",
                gettext("Santunan cacat total tetap"),
                amount,
                f"{rule.jkk_disability_multiple} × {rupiah(income)} ({basis})",
                gettext("Cacat total tetap karena kecelakaan kerja (JKK)."),
            ),  # fmt: skip
            _scholarship(rule, gettext("JKK: beasiswa tanpa masa iuran minimal.")),
        ]
    return [
        Component(
            "care",
            gettext("Perawatan dan pengobatan"),
            None,
            f"{rule.jkk_care} ({basis})",
            gettext(
                "Kecelakaan kerja: biaya dibayar BPJS langsung ke fasilitas kesehatan "
                "sesuai kebutuhan medis."
            ),
        ),  # fmt: skip
    ]


def parse_date(value) -> dt.date | None:
    """``2026-02-15`` or ``15/02/2026``; ``None`` when neither."""
    text = str(value or "").strip()
    for form in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def parse_rupiah(value) -> int | None:
    text = str(value if value is not None else "").strip().replace(".", "").replace(" ", "")
    text = text.removeprefix("Rp").removeprefix("rp")
    return int(text) if text.isdigit() and 0 < int(text) <= 10**12 else None


@dataclass
class Asked:
    """What was asked, read from a form or a query; ``problems`` are ``(field, refusal)``."""

    person: object = None
    membership: Membership | None = None
    event: str = ""
    event_date: dt.date | None = None
    problems: list = field(default_factory=list)


def read_request(data, *, person=None) -> Asked:
    """Read an estimate request: a worker (``person`` already found in the user's scope)
    or a hypothetical member (``segment``, ``income``, ``start``, ``months``)."""
    asked = Asked(person=person, event=str(data.get("event") or "").strip())
    if asked.event not in Event.values:
        asked.problems.append(("event", EstimateRefused("event_invalid")))
    asked.event_date = parse_date(data.get("date"))
    if asked.event_date is None:
        asked.problems.append(("date", EstimateRefused("date_invalid")))
    if person is not None:
        asked.membership = of_person(person)
        return asked
    segment = str(data.get("segment") or Segment.BPU).strip().upper()
    if segment not in Segment.values:
        asked.problems.append(("segment", EstimateRefused("segment_invalid")))
    income = parse_rupiah(data.get("income"))
    if income is None:
        asked.problems.append(("income", EstimateRefused("income_invalid")))
    start = parse_date(data.get("start"))
    if start is None:
        asked.problems.append(("start", EstimateRefused("start_invalid")))
    months_text = str(data.get("months") or "").strip()
    months = int(months_text) if months_text.isdigit() and int(months_text) <= 600 else None
    if months_text == "" and start is not None and asked.event_date is not None:
        # Not given: paid from the start to the event's month (a member in good standing).
        months = (asked.event_date.year - start.year) * 12 + asked.event_date.month - start.month
        months = max(months + 1, 1)
    if months is None:
        asked.problems.append(("months", EstimateRefused("months_invalid")))
    if not asked.problems:
        asked.membership = hypothetical(
            segment=segment, income=income, start=start, months_paid=months
        )
    return asked
