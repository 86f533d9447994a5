"""The monthly billing run: set-based SQL that writes every enrollment-month still unbilled.

One run bills one program for one month M, in one transaction:

1. **Months**: the program's covered months, from its first one to M.
2. **Prices**: the distinct incomes (and, if a relief rule cares, the transport flag) of
   the billable enrollments are priced by the one premium function for every month, into
   ``RunPrice`` rows: a handful of Python calls, whatever the number of people.
3. **Open bills**: the bill of M for the funder (or for each paying village, APBDes)
   that has no payment yet; a new one (supplementary, ``sequence`` + 1) if it has.
4. **Charges**: ``INSERT … SELECT`` of the expected enrollment-months that have no live
   charge line: month M as ``premium``, earlier months (a late activation) as ``late``.
   An enrollment is billable from the month of its effective date (counted whole, as
   the insurer bills it) to the month of its ``coverage_end``, in the states that follow
   ``active``.
5. **Reversals**: ``INSERT … SELECT`` of a reversal of every live charge line of a month
   up to M that is no longer expected (the enrollment left the billable states, or its
   dates moved). A charge is live while no reversal points at it.
6. **Totals** per bill and village, recomputed from the lines of the bills it touched.
7. **Budget**: the program's bills (and an APBDes village's) may not pass the budget;
   if they would, the whole run is rolled back and refused with ``budget_exceeded``.

Running the same month again finds nothing missing and changes nothing. A billed month
keeps the price it was billed at: a rate version added afterwards applies to months
billed after it (see ``docs/billing.md``).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Min, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung import partitioning
from lindung.billing.models import (
    DUE_DAY,
    Bill,
    BillingRun,
    BillLine,
    BillVillageTotal,
    RunBill,
    RunPrice,
)
from lindung.contributions.models import Payer, Segment
from lindung.contributions.premiums import NoRateInForce, RateBook
from lindung.formatting import rupiah
from lindung.privacy.history import bulk_history
from lindung.programs.lifecycle import State
from lindung.programs.models import Enrollment, Funder, Program, ProgramVillage, add_months
from lindung.refusals import Refusal
from lindung.regions.codes import compact

# The states of an enrollment whose sponsored months the funder pays: active and after.
BILLABLE = (State.ACTIVE, State.ENDED, State.CONTINUED, State.RENEWED, State.LAPSED)
CHARGES = (BillLine.Kind.PREMIUM, BillLine.Kind.LATE)
ANALYZE_AFTER_LINES = 10_000

PAYER_OF_FUNDER = {
    Funder.APBD: Payer.APBD,
    Funder.PROVINCE: Payer.APBD_PROVINCE,
    Funder.APBDES: Payer.APBDES,
    Funder.CSR_OTHER: Payer.OTHER,
}

MESSAGES = {
    "month_in_future": _(
        "Bulan %(month)s belum berjalan: tagihan dibuat paling cepat pada bulan itu."
    ),
    "month_before_program": _(
        "Program ini mulai %(start)s: tidak ada iuran untuk bulan %(month)s."
    ),
    "no_rate": _("%(detail)s Admin sistem perlu menambah versi tarif; tidak ada yang disimpan."),
    "budget_exceeded": _(
        "Tagihan bulan %(month)s membuat jumlah tagihan program (%(billed)s) melebihi pagu "
        "(%(budget)s). Tambah pagu program atau periksa kepesertaan; tidak ada yang disimpan."
    ),
    "village_budget_exceeded": _(
        "Tagihan bulan %(month)s membuat jumlah tagihan %(village)s (%(billed)s) melebihi "
        "anggaran desa (%(budget)s). Tambah anggaran desa atau periksa kepesertaan; tidak ada "
        "yang disimpan."
    ),
}


class BillingRefused(Refusal):
    """A run refused as a whole; nothing was saved. Stable ``code``, Indonesian message."""

    messages = MESSAGES


@dataclass
class RunResult:
    run: BillingRun
    program: Program
    month: dt.date
    bills: list[Bill] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step

    @property
    def lines(self) -> int:
        return sum(b.lines_count for b in self.bills)

    @property
    def amount(self) -> int:
        return sum(b.amount for b in self.bills)

    def as_dict(self) -> dict:
        return {
            "program": self.program.pk,
            "month": f"{self.month:%Y-%m}",
            "lines": self.lines,
            "amount": self.amount,
            "added_lines": self.run.lines,
            "added_amount": self.run.amount,
            "late_lines": self.run.late_lines,
            "reversals": self.run.reversals,
            "bills": [
                {
                    "id": b.pk,
                    "number": b.number,
                    "village_code": b.village_code,
                    "sequence": b.sequence,
                    "lines": b.lines_count,
                    "amount": b.amount,
                    "paid": b.paid,
                }
                for b in self.bills
            ],
        }


def payer_of(program: Program) -> str:
    return PAYER_OF_FUNDER.get(program.funder, Payer.OTHER)


def due_date(month: dt.date) -> dt.date:
    return add_months(month, 1).replace(day=DUE_DAY)


def bill_number(program: Program, month: dt.date, village_code: str, sequence: int) -> str:
    number = f"TGH/{program.pk:04d}/{month:%Y-%m}"
    if village_code:
        number += f"/{compact(village_code)}"
    return number if sequence == 1 else f"{number}-S{sequence}"


def _month_text(month: dt.date) -> str:
    return f"{month:%m/%Y}"


class _Sql:
    """The few places where SQLite and PostgreSQL are spelt differently."""

    def __init__(self):
        self.pg = connection.vendor == "postgresql"

    def date(self, value: dt.date):
        return value if self.pg else value.isoformat()

    def stamp(self, value: dt.datetime):
        return value if self.pg else value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")

    @property
    def date_slot(self) -> str:
        return "CAST(%s AS date)" if self.pg else "%s"

    def months_cte(self, months: list[dt.date]) -> tuple[str, list]:
        rows = ", ".join(f"({self.date_slot}, {self.date_slot})" for _ in months)
        params = []
        for month in months:
            params += [self.date(month), self.date(add_months(month, 1) - dt.timedelta(days=1))]
        return f"months (month, last_day) AS (VALUES {rows})", params

    def transport(self) -> str:
        return "COALESCE(o.is_transport, false)" if self.pg else "COALESCE(o.is_transport, 0)"

    def refresh_statistics(self, written: int, months: list[dt.date]) -> None:
        """After a large run, refresh the planner's view of the lines table.

        The next run's anti-join must see a million lines as a million lines: with the
        statistics of an empty table PostgreSQL picks a nested loop of index probes (15 s
        instead of 2 s at a million enrollments). ``ANALYZE`` samples, so it costs well
        under a second; autovacuum would get there too, but maybe not before the next run.
        """
        if self.pg and written >= ANALYZE_AFTER_LINES:
            with connection.cursor() as cursor:
                # Partitioned (by month): only the months written. ``ANALYZE`` of the whole
                # table would also record next month's empty partition as empty, which
                # :meth:`guard_empty_partitions` then has to work around.
                for name in self.partitions_of(cursor, months) or ["billing_billline"]:
                    cursor.execute(f"ANALYZE {name}")

    @staticmethod
    def partitions_of(cursor, months: list[dt.date]) -> list[str]:
        """The partitions of ``billing_billline`` that hold ``months`` (none: not
        partitioned; see ``lindung.partitioning``)."""
        found = partitioning.partitions(cursor, "billing_billline")
        names = {
            p["name"]
            for m in months
            for p in found
            if p["from"] is not None and p["from"] <= m < p["to"]
        }
        covered = {m for m in months for p in found if p["from"] and p["from"] <= m < p["to"]}
        if found and len(covered) < len(set(months)):  # rows of those go to the default
            names |= {p["name"] for p in found if p["from"] is None}
        return sorted(names)

    def guard_empty_partitions(self, months: list[dt.date]) -> None:
        """No sequential scans in this run when a partition it writes was analyzed empty.

        The run's anti-join probes the lines of each enrollment-month while the same
        statement inserts into that month's partition. If the planner believes that
        partition empty (``ANALYZE`` saw it so: ``reltuples = 0``), it scans it whole for
        every probe, and every row the statement has added makes each scan longer: hours
        instead of seconds at 300,000 enrollments. A partition never analyzed
        (``reltuples = -1``, as made ahead) is costed as ten pages and probed by index.
        """
        if not self.pg:
            return
        with connection.cursor() as cursor:
            names = self.partitions_of(cursor, months)
            if not names:
                return
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_class WHERE oid = ANY(%s::regclass[]) "
                "AND reltuples = 0)",
                [names],
            )
            if cursor.fetchone()[0]:
                cursor.execute("SET LOCAL enable_seqscan = off")

    def lock(self, program_id: int) -> None:
        if self.pg:  # one run per program at a time; SQLite serialises writers anyway
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [5_000_001, program_id])


LINE_COLUMNS = (
    "bill_id, run_id, program_id, enrollment_id, covered_month, kind, amount, base_amount, "
    "jkk, jkm, jht, rule_id, reverses_id, village_id, district_code, regency_code, "
    "province_code, created_at"
)


def _live_charge_exists(alias: str = "e", month: str = "m.month") -> str:
    kinds = ", ".join(f"'{k}'" for k in CHARGES)
    return (
        f"EXISTS (SELECT 1 FROM billing_billline l WHERE l.enrollment_id = {alias}.id "
        f"AND l.covered_month = {month} AND l.kind IN ({kinds}) "
        "AND NOT EXISTS (SELECT 1 FROM billing_billline r WHERE r.reverses_id = l.id))"
    )


class _Run:
    def __init__(self, program: Program, month: dt.date, run: BillingRun, now: dt.datetime):
        self.program, self.month, self.run, self.now = program, month, run, now
        self.sql = _Sql()
        self.per_village = program.funder == Funder.APBDES
        self.billable = Enrollment.objects.filter(
            program=program,
            state__in=BILLABLE,
            effective_date__isnull=False,
            coverage_end__isnull=False,
        )

    # --- prices ---------------------------------------------------------------------------

    def price(self, months: list[dt.date]) -> None:
        """RunPrice rows for every month × income × transport flag the run can meet."""
        program = self.program
        if program.income_basis is not None:
            incomes = [program.income_basis]
        else:
            incomes = sorted(
                set(self.billable.values_list("person__declared_income", flat=True).distinct())
            )
        book, payer = RateBook.load(), payer_of(program)
        rows, differs = [], False
        for month in months:
            for income in incomes:
                quotes = []
                for transport in (False, True):
                    try:
                        quote = book.premium(
                            Segment.BPU, program.benefits, income, month, payer=payer,
                            transport=transport,
                        )  # fmt: skip
                    except NoRateInForce as exc:
                        raise BillingRefused("no_rate", detail=str(exc)) from exc
                    quotes.append(quote)
                    rows.append(
                        RunPrice(
                            run=self.run,
                            month=month,
                            income=income,
                            transport=transport,
                            amount=quote.total,
                            base_amount=quote.base_total,
                            jkk=quote.amount_of("JKK"),
                            jkm=quote.amount_of("JKM"),
                            jht=quote.amount_of("JHT"),
                            rule=quote.rule,
                        )
                    )
                low, high = quotes
                differs |= (low.total, low.rule) != (high.total, high.rule)
        self.by_transport = differs
        if not differs:  # one price per month and income: the join needs no occupation
            rows = [row for row in rows if not row.transport]
        RunPrice.objects.bulk_create(rows, batch_size=2000)
        self.by_person = program.income_basis is None or differs

    # --- bills ----------------------------------------------------------------------------

    def open_bills(self) -> dict[str, Bill]:
        """The bill of the month each payer takes new lines on (created when missing)."""
        if self.per_village:  # villages to bill, and villages that may need a reversal
            keys = set(self.billable.values_list("village_id", flat=True).distinct())
            keys |= set(
                BillVillageTotal.objects.filter(bill__program=self.program)
                .values_list("village_id", flat=True)
                .distinct()
            )
            keys = sorted(keys)
        else:
            keys = [""]
        latest: dict[str, Bill] = {}
        for bill in Bill.objects.filter(
            program=self.program, month=self.month, village_code__in=keys
        ).order_by("village_code", "sequence"):
            latest[bill.village_code] = bill
        bills, new = {}, []
        for key in keys:
            bill = latest.get(key)
            if bill is not None and bill.locked_at is None:
                bills[key] = bill
                continue
            sequence = bill.sequence + 1 if bill is not None else 1
            new.append(
                Bill(
                    program=self.program,
                    month=self.month,
                    village_code=key,
                    sequence=sequence,
                    number=bill_number(self.program, self.month, key, sequence),
                    payer=payer_of(self.program),
                    created_at=self.now,
                    updated_at=self.now,
                    due_date=due_date(self.month),
                )
            )
        for bill in Bill.objects.bulk_create(new, batch_size=1000):
            bills[bill.village_code] = bill
        bulk_history(Bill, new)
        self.created = {b.pk for b in new}
        return bills

    def _bill_slot(self, bills: dict[str, Bill], alias: str) -> tuple[str, str, list]:
        """(select expression, join, params) that give each line its open bill's id."""
        if not self.per_village:
            return "%s", "", [bills[""].pk]
        join = (
            f"JOIN billing_bill b ON b.id IN ({', '.join(['%s'] * len(bills))}) "
            f"AND b.village_code = {alias}.village_id"
        )
        return "b.id", join, [b.pk for b in bills.values()]

    # --- lines ----------------------------------------------------------------------------

    def charge(self, months: list[dt.date], bills: dict[str, Bill]) -> tuple[int, int]:
        """Lines for every expected enrollment-month without a live charge, in one statement:
        month M as ``premium``, earlier months as ``late``. Returns (lines, late lines)."""
        cte, cte_params = self.sql.months_cte(months)
        bill_expr, bill_join, bill_params = self._bill_slot(bills, "e")
        person_join, income_expr = "", "%s"
        income_params = [self.program.income_basis]
        if self.by_person:
            person_join = "JOIN people_person pe ON pe.id = e.person_id "
            if self.by_transport:
                person_join += "LEFT JOIN people_occupation o ON o.id = pe.occupation_id "
            if self.program.income_basis is None:
                income_expr, income_params = "pe.declared_income", []
        transport_cond = f"AND p.transport = {self.sql.transport()}" if self.by_transport else ""
        states = ", ".join(["%s"] * len(BILLABLE))
        select = f"""
            SELECT {bill_expr}, %s, e.program_id, e.id, m.month,
                   CASE WHEN m.month = {self.sql.date_slot} THEN 'premium' ELSE 'late' END,
                   p.amount, p.base_amount,
                   p.jkk, p.jkm, p.jht, p.rule_id, NULL, e.village_id, e.district_code,
                   e.regency_code, e.province_code, %s
            FROM programs_enrollment e
            JOIN months m ON e.effective_date <= m.last_day AND e.coverage_end >= m.month
            {person_join}
            JOIN billing_runprice p ON p.run_id = %s AND p.month = m.month
                 AND p.income = {income_expr} {transport_cond}
            {bill_join}
            WHERE e.program_id = %s AND e.state IN ({states})
              AND e.effective_date IS NOT NULL AND e.coverage_end IS NOT NULL
              AND NOT {_live_charge_exists()}
        """
        params = [
            *([] if self.per_village else bill_params),
            self.run.pk,
            self.sql.date(self.month),
            self.sql.stamp(self.now),
            self.run.pk,
            *income_params,
            *(bill_params if self.per_village else []),
            self.program.pk,
            *BILLABLE,
        ]
        return self._write(cte, cte_params, select, params)

    def reverse(self, months: list[dt.date], bills: dict[str, Bill]) -> int:
        """Reversals of live charges (months up to M) that are no longer expected."""
        cte, cte_params = self.sql.months_cte(months)
        bill_expr, bill_join, bill_params = self._bill_slot(bills, "l")
        states = ", ".join(["%s"] * len(BILLABLE))
        kinds = ", ".join(["%s"] * len(CHARGES))
        select = f"""
            SELECT {bill_expr}, %s, l.program_id, l.enrollment_id, l.covered_month, %s,
                   -l.amount, -l.base_amount, -l.jkk, -l.jkm, -l.jht, l.rule_id, l.id,
                   l.village_id, l.district_code, l.regency_code, l.province_code, %s
            FROM programs_enrollment e
            JOIN billing_billline l ON l.enrollment_id = e.id
            JOIN months m ON m.month = l.covered_month
            {bill_join}
            WHERE e.program_id = %s AND l.program_id = %s AND l.kind IN ({kinds})
              AND NOT EXISTS (SELECT 1 FROM billing_billline r WHERE r.reverses_id = l.id)
              AND NOT (e.state IN ({states}) AND e.effective_date IS NOT NULL
                       AND e.coverage_end IS NOT NULL
                       AND e.effective_date <= m.last_day AND e.coverage_end >= m.month)
        """
        params = [
            *([] if self.per_village else bill_params),
            self.run.pk,
            BillLine.Kind.REVERSAL,
            self.sql.stamp(self.now),
            *(bill_params if self.per_village else []),
            self.program.pk,
            self.program.pk,
            *CHARGES,
            *BILLABLE,
        ]
        return self._write(cte, cte_params, select, params)

    def _write(self, cte: str, cte_params: list, select: str, params: list) -> tuple[int, int]:
        """Insert the lines ``select`` yields; returns how many, and how many are ``late``.

        On PostgreSQL the same statement adds them to the village totals: the inserted
        rows come back through ``RETURNING``, are summed per bill and village and upserted,
        so a million lines are not read twice. SQLite recomputes the totals afterwards.
        """
        if not self.sql.pg:
            query = f"INSERT INTO billing_billline ({LINE_COLUMNS}) WITH {cte} {select}"
            with connection.cursor() as cursor:
                cursor.execute(query, [*cte_params, *params])
                written = cursor.rowcount
                cursor.execute(
                    "SELECT COUNT(*) FROM billing_billline WHERE run_id = %s AND kind = 'late'",
                    [self.run.pk],
                )
                return written, cursor.fetchone()[0]  # this run wrote no other late lines
        query = f"""
            WITH {cte},
            ins AS (
                INSERT INTO billing_billline ({LINE_COLUMNS}) {select}
                RETURNING bill_id, village_id, district_code, regency_code, province_code,
                          kind, amount, jkk, jkm, jht),
            agg AS (
                SELECT bill_id, village_id, MIN(district_code) AS district_code,
                       MIN(regency_code) AS regency_code, MIN(province_code) AS province_code,
                       COUNT(*) AS lines,
                       SUM(CASE WHEN kind = 'premium' THEN 1 ELSE 0 END) AS people,
                       SUM(CASE WHEN kind = 'late' THEN 1 ELSE 0 END) AS late,
                       SUM(amount) AS amount, SUM(jkk) AS jkk, SUM(jkm) AS jkm,
                       SUM(jht) AS jht
                FROM ins GROUP BY bill_id, village_id),
            up AS (
                INSERT INTO billing_billvillagetotal (bill_id, village_id, district_code,
                    regency_code, province_code, lines, people, amount, jkk, jkm, jht)
                SELECT bill_id, village_id, district_code, regency_code, province_code, lines,
                       people, amount, jkk, jkm, jht FROM agg
                ON CONFLICT (bill_id, village_id) DO UPDATE SET
                    lines = billing_billvillagetotal.lines + EXCLUDED.lines,
                    people = billing_billvillagetotal.people + EXCLUDED.people,
                    amount = billing_billvillagetotal.amount + EXCLUDED.amount,
                    jkk = billing_billvillagetotal.jkk + EXCLUDED.jkk,
                    jkm = billing_billvillagetotal.jkm + EXCLUDED.jkm,
                    jht = billing_billvillagetotal.jht + EXCLUDED.jht)
            SELECT COALESCE(SUM(lines), 0), COALESCE(SUM(late), 0) FROM agg
        """
        with connection.cursor() as cursor:
            cursor.execute(query, [*cte_params, *params])
            lines, late = cursor.fetchone()
            return int(lines), int(late)

    # --- totals ---------------------------------------------------------------------------

    def totals(self, bills: dict[str, Bill]) -> None:
        """Village totals and bill totals of the bills this run wrote on; RunBill deltas."""
        ids = [b.pk for b in bills.values()]
        slots = ", ".join(["%s"] * len(ids))
        premium = BillLine.Kind.PREMIUM
        if self.sql.pg:  # kept up to date by the inserts themselves (see _write)
            self._bill_sums(bills, ids)
            return
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM billing_billvillagetotal WHERE bill_id IN ({slots})", ids)
            cursor.execute(
                f"""
                INSERT INTO billing_billvillagetotal (bill_id, village_id, district_code,
                    regency_code, province_code, lines, people, amount, jkk, jkm, jht)
                SELECT bill_id, village_id, MIN(district_code), MIN(regency_code),
                       MIN(province_code), COUNT(*),
                       SUM(CASE WHEN kind = %s THEN 1 ELSE 0 END), SUM(amount), SUM(jkk),
                       SUM(jkm), SUM(jht)
                FROM billing_billline WHERE bill_id IN ({slots})
                GROUP BY bill_id, village_id
                """,
                [premium, *ids],
            )
        self._bill_sums(bills, ids)

    def _bill_sums(self, bills: dict[str, Bill], ids: list[int]) -> None:
        sums = {
            row["bill_id"]: row
            for row in BillVillageTotal.objects.filter(bill_id__in=ids)
            .values("bill_id")
            .annotate(lines=Sum("lines"), amount=Sum("amount"))
        }
        deltas = []
        for bill in bills.values():
            row = sums.get(bill.pk, {"lines": 0, "amount": 0})
            lines, amount = row["lines"] or 0, row["amount"] or 0
            if (lines, amount) != (bill.lines_count, bill.amount):
                deltas.append(
                    RunBill(
                        run=self.run,
                        bill=bill,
                        lines=lines - bill.lines_count,
                        amount=amount - bill.amount,
                    )
                )
                bill.lines_count, bill.amount, bill.updated_at = lines, amount, self.now
                bill.save(update_fields=["lines_count", "amount", "updated_at"])
        RunBill.objects.bulk_create(deltas)

    def drop_empty_new_bills(self, bills: dict[str, Bill]) -> None:
        empty = [b.pk for b in bills.values() if b.pk in self.created and b.lines_count == 0]
        if empty:
            Bill.objects.filter(pk__in=empty).delete()

    def check_budget(self) -> None:
        program = self.program
        billed = Bill.objects.filter(program=program).aggregate(s=Sum("amount"))["s"] or 0
        if billed > program.budget:
            raise BillingRefused(
                "budget_exceeded",
                month=_month_text(self.month),
                billed=rupiah(billed),
                budget=rupiah(program.budget),
            )
        if not self.per_village:
            return
        budgets = dict(
            ProgramVillage.objects.filter(program=program, budget__isnull=False).values_list(
                "village_id", "budget"
            )
        )
        per_village = (
            Bill.objects.filter(program=program, village_code__in=budgets)
            .values("village_code")
            .annotate(s=Sum("amount"))
        )
        for row in per_village:
            if row["s"] > budgets[row["village_code"]]:
                from lindung.regions.models import Region

                village = Region.objects.filter(code=row["village_code"]).first()
                raise BillingRefused(
                    "village_budget_exceeded",
                    month=_month_text(self.month),
                    village=village.display_name if village else row["village_code"],
                    billed=rupiah(row["s"]),
                    budget=rupiah(budgets[row["village_code"]]),
                )


class _Stopwatch:
    def __init__(self):
        import time

        self._time = time.perf_counter
        self._last = self._time()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = self._time()
        self.laps[name] = round(now - self._last, 3)
        self._last = now


def program_months(program: Program, upto: dt.date) -> list[dt.date]:
    """The months a run up to ``upto`` looks at: from the program's first covered month."""
    starts = [r.start_month for r in program.rounds.all()]
    earliest = (
        Enrollment.objects.filter(program=program, effective_date__isnull=False)
        .aggregate(first=Min("effective_date"))["first"]
    )  # fmt: skip
    if earliest is not None:
        starts.append(earliest.replace(day=1))
    start = min(starts) if starts else upto
    months, month = [], start
    while month <= upto:
        months.append(month)
        month = add_months(month, 1)
    return months


def execute(*, program: Program, month: dt.date, today: dt.date, by=None, via="web"):
    """Bill ``program`` for ``month``; see the module docstring. Permission is the caller's."""
    month = month.replace(day=1)
    if month > today.replace(day=1):
        raise BillingRefused("month_in_future", month=_month_text(month))
    with transaction.atomic():
        sql = _Sql()
        sql.lock(program.pk)
        program = Program.objects.get(pk=program.pk)
        months = program_months(program, month)
        if not months or months[-1] != month:
            first = min((r.start_month for r in program.rounds.all()), default=month)
            raise BillingRefused(
                "month_before_program", start=_month_text(first), month=_month_text(month)
            )
        now = timezone.now()
        run = BillingRun.objects.create(
            program=program, month=month, started_at=now, by=by, via=via
        )
        job = _Run(program, month, run, now)
        clock = _Stopwatch()
        job.price(months)
        bills = job.open_bills()
        clock.lap("prices_and_bills")
        # Reversals first: they look at lines written before this run, never at its own.
        sql.guard_empty_partitions(months)
        run.reversals, _late = job.reverse(months, bills)
        clock.lap("reversals")
        run.lines, run.late_lines = job.charge(months, bills)
        clock.lap("charges")
        run.lines += run.reversals
        if run.lines:
            job.totals(bills)
        job.drop_empty_new_bills(bills)
        job.check_budget()
        run.amount = sum(rb.amount for rb in RunBill.objects.filter(run=run))
        run.finished_at = timezone.now()
        run.save(update_fields=["lines", "late_lines", "reversals", "amount", "finished_at"])
        clock.lap("totals_and_budget")
        sql.refresh_statistics(run.lines + run.reversals, months)
        clock.lap("statistics")
    result = RunResult(run=run, program=program, month=month, timings=clock.laps)
    result.bills = list(Bill.objects.filter(program=program, month=month).order_by(
        "village_code", "sequence"
    ))  # fmt: skip
    return result
