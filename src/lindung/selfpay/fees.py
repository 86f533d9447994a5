"""The monthly fee run: every agent's and Wadah's statement of a month, set-based.

One ``INSERT … SELECT`` per kind of figure writes the lines of all agents at once (no
Python loop over participants), so a month of a million managed participants is a few
statements of SQL. Drafts are recomputed from scratch; approved statements are frozen and
only receive correction lines for what was recorded after their approval.

Which contributions earn fees: the self-paid months collected (``paid_on``) in the month,
of the participants an agent manages (the worker's agent, or else the collecting agent);
with ``LINDUNG_FEES_ON_SPONSORED`` also the months a sponsor was billed for the month, of
the enrollments an agent brought in. The contribution month number counts from the start
of the participant's membership (the enrollment's effective date), month 1 being the first.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.agents.models import Agent
from lindung.billing.models import BillLine
from lindung.people.models import Person
from lindung.programs.models import Enrollment, Program, add_months
from lindung.refusals import Refusal
from lindung.selfpay.models import Collection, CollectionLine, FeeLine, FeeRule, FeeStatement

DRAFT, APPROVED = FeeStatement.Status.DRAFT, FeeStatement.Status.APPROVED


class FeeRefused(Refusal):
    messages = {
        "no_rule": _("Belum ada aturan imbal jasa agen yang berlaku untuk bulan %(month)s."),
        "forbidden": _("Hanya admin kabupaten yang menyetujui rekap imbal jasa di wilayahnya."),
        "already_approved": _("Rekap ini sudah disetujui: koreksi masuk sebagai baris baru."),
        "month_open": _("Bulan %(month)s belum selesai: rekap disetujui setelah akhir bulan."),
    }


def rule_in_force(month: dt.date) -> FeeRule:
    rule = FeeRule.objects.filter(effective_from__lte=month).order_by("-effective_from").first()
    if rule is None:
        raise FeeRefused("no_rule", month=f"{month:%m/%Y}")
    return rule


def due_on(month: dt.date, rule: FeeRule) -> dt.date:
    return add_months(month, 1).replace(day=rule.due_day)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _month_number(column: str) -> str:
    """A date column as a month count (year × 12 + month), in this database's dialect."""
    if connection.vendor == "postgresql":
        return f"(EXTRACT(YEAR FROM {column})::int * 12 + EXTRACT(MONTH FROM {column})::int)"
    return (
        f"(CAST(strftime('%%Y', {column}) AS INTEGER) * 12"
        f" + CAST(strftime('%%m', {column}) AS INTEGER))"
    )


def _rate_sql(rule: FeeRule, number: str) -> tuple[str, list]:
    """The fee share (basis points) of contribution month ``number`` under ``rule``."""
    first = rule.first_tier_months or 100_000
    second = rule.second_tier_months or 100_000
    sql = f"CASE WHEN {number} <= %s THEN %s WHEN {number} <= %s THEN %s ELSE 0 END"
    return sql, [first, rule.first_tier_bp, second, rule.second_tier_bp]


def _true() -> str:
    return "TRUE" if connection.vendor == "postgresql" else "1"


@dataclass
class FeeRun:
    month: dt.date
    rule: FeeRule
    agent_statements: int = 0
    organisation_statements: int = 0
    lines: int = 0
    total: int = 0

    def as_dict(self) -> dict:
        return {
            "month": f"{self.month:%Y-%m}",
            "rule": self.rule.code,
            "agent_statements": self.agent_statements,
            "organisation_statements": self.organisation_statements,
            "lines": self.lines,
            "total": self.total,
        }


class _Sql:
    def __init__(self, cursor, month: dt.date, rule: FeeRule):
        self.cursor, self.month, self.rule = cursor, month, rule
        self.next_month = add_months(month, 1)
        start = timezone.make_aware(dt.datetime.combine(month, dt.time()))
        end = timezone.make_aware(dt.datetime.combine(self.next_month, dt.time()))
        self.created_from = connection.ops.adapt_datetimefield_value(start)
        self.created_to = connection.ops.adapt_datetimefield_value(end)
        self.lines = 0
        self.has_approved = FeeStatement.objects.filter(month=month, status=APPROVED).exists()
        self.counted_params: list = []

    def not_counted(self, column: str) -> str:
        """Leave out what an approved statement of the month already counts (drafts were
        emptied). A ``NOT IN`` of a subquery PostgreSQL hashes once: an anti-join would scan
        the fee lines again for every row, and the table grows while the insert runs."""
        self.counted_params = []
        if not self.has_approved:
            return ""
        self.counted_params = [self.d(self.month), APPROVED]
        return f"""
              AND x.id NOT IN (SELECT f.{column} FROM {_table(FeeLine)} f
                               JOIN {_table(FeeStatement)} a ON a.id = f.statement_id
                               WHERE a.month = %s AND a.status = %s
                                 AND f.{column} IS NOT NULL)"""

    def run(self, sql: str, params: list) -> int:
        self.cursor.execute(sql, params)
        written = max(self.cursor.rowcount, 0)
        self.lines += written
        return written

    def d(self, day: dt.date):
        return connection.ops.adapt_datefield_value(day)

    INSERT = (
        "INSERT INTO {fee} (statement_id, kind, rule_id, person_id, collection_line_id,"
        " bill_line_id, source_statement_id, contribution_month, month_number, base,"
        " rate_bp, amount, correction) "
    )

    def contributions(self) -> None:
        number = (
            f"({_month_number('cl.month')}"
            f" - {_month_number('COALESCE(e.effective_date, cl.month)')} + 1)"
        )
        rate, rate_params = _rate_sql(self.rule, "y.month_number")
        sql = (
            self.INSERT.format(fee=_table(FeeLine))
            + f"""
            SELECT s.id, 'contribution', %s, x.person_id, x.id, NULL, NULL, x.month,
                   x.month_number, x.amount, x.rate, (x.amount * x.rate + 5000) / 10000,
                   s.status = %s
            FROM (
                SELECT y.*, {rate} AS rate FROM (
                    SELECT cl.id, cl.person_id, cl.month, cl.amount, {number} AS month_number,
                           COALESCE(p.agent_id, c.agent_id) AS agent_id
                    FROM {_table(CollectionLine)} cl
                    JOIN {_table(Collection)} c ON c.id = cl.collection_id
                    JOIN {_table(Person)} p ON p.id = cl.person_id
                    JOIN {_table(Enrollment)} e ON e.id = cl.enrollment_id
                    WHERE c.paid_on >= %s AND c.paid_on < %s
                ) y
            ) x
            JOIN {_table(FeeStatement)} s ON s.agent_id = x.agent_id AND s.month = %s
            WHERE x.rate > 0{self.not_counted("collection_line_id")}
        """
        )
        params = [self.rule.pk, APPROVED, *rate_params]
        params += [self.d(self.month), self.d(self.next_month), self.d(self.month)]
        self.run(sql, params + self.counted_params)

    def sponsored(self) -> None:
        number = (
            f"({_month_number('bl.covered_month')}"
            f" - {_month_number('COALESCE(e.effective_date, bl.covered_month)')} + 1)"
        )
        rate, rate_params = _rate_sql(self.rule, "y.month_number")
        sql = (
            self.INSERT.format(fee=_table(FeeLine))
            + f"""
            SELECT s.id, 'sponsored', %s, x.person_id, NULL, x.id, NULL, x.covered_month,
                   x.month_number, x.amount, x.rate, (x.amount * x.rate + 5000) / 10000,
                   s.status = %s
            FROM (
                SELECT y.*, {rate} AS rate FROM (
                    SELECT bl.id, e.person_id, bl.covered_month, bl.amount, e.agent_id,
                           {number} AS month_number
                    FROM {_table(BillLine)} bl
                    JOIN {_table(Enrollment)} e ON e.id = bl.enrollment_id
                    WHERE bl.covered_month = %s AND e.agent_id IS NOT NULL
                ) y
            ) x
            JOIN {_table(FeeStatement)} s ON s.agent_id = x.agent_id AND s.month = %s
            WHERE x.rate > 0{self.not_counted("bill_line_id")}
        """
        )
        params = [self.rule.pk, APPROVED, *rate_params, self.d(self.month), self.d(self.month)]
        self.run(sql, params + self.counted_params)

    def _qualified_agents(self) -> tuple[str, list]:
        """Agents who registered at least the threshold of new BPU NIKs in the month."""
        sql = f"""
            SELECT agent_id FROM {_table(Person)}
            WHERE created_at >= %s AND created_at < %s AND agent_id IS NOT NULL
              AND segment = 'BPU'
            GROUP BY agent_id HAVING COUNT(*) >= %s
        """
        return sql, [self.created_from, self.created_to, self.rule.acquisition_threshold]

    def acquisitions(self) -> None:
        rule = self.rule
        qualified, q_params = self._qualified_agents()
        if rule.incentive_basic or rule.incentive_with_jht:
            with_jht = f"""EXISTS (SELECT 1 FROM {_table(Enrollment)} e
                JOIN {_table(Program)} pr ON pr.id = e.program_id
                WHERE e.person_id = p.id AND pr.includes_jht = {_true()})"""
            incentive = f"CASE WHEN {with_jht} THEN %s ELSE %s END"
            sql = (
                self.INSERT.format(fee=_table(FeeLine))
                + f"""
                SELECT s.id, 'acquisition', %s, p.id, NULL, NULL, NULL, NULL, NULL,
                       {incentive}, 0, {incentive}, s.status = %s
                FROM {_table(Person)} p
                JOIN {_table(FeeStatement)} s ON s.agent_id = p.agent_id AND s.month = %s
                WHERE p.created_at >= %s AND p.created_at < %s AND p.segment = 'BPU'
                  AND s.status = %s AND p.agent_id IN ({qualified})
            """
            )
            amounts = [rule.incentive_with_jht, rule.incentive_basic]
            params = [rule.pk, *amounts, *amounts, APPROVED, self.d(self.month)]
            params += [self.created_from, self.created_to, DRAFT, *q_params]
            self.run(sql, params)
        if rule.acquisition_bonus:
            sql = (
                self.INSERT.format(fee=_table(FeeLine))
                + f"""
                SELECT s.id, 'bonus', %s, NULL, NULL, NULL, NULL, NULL, NULL, %s, 0, %s,
                       s.status = %s
                FROM {_table(FeeStatement)} s
                WHERE s.month = %s AND s.status = %s AND s.agent_id IN ({qualified})
            """
            )
            bonus = rule.acquisition_bonus
            params = [rule.pk, bonus, bonus, APPROVED, self.d(self.month), DRAFT, *q_params]
            self.run(sql, params)

    def totals(self, agents: bool) -> None:
        """Each statement's total: one pass over the month's lines (``UPDATE … FROM`` an
        aggregate), not one sum per statement."""
        side = "agent_id" if agents else "organisation_id"
        statement, fee = _table(FeeStatement), _table(FeeLine)
        if connection.vendor == "postgresql":
            # Fresh statistics for the lines just written (see ``run_fees``).
            self.cursor.execute(f"ANALYZE {fee}")
        month = self.d(self.month)
        self.cursor.execute(
            f"UPDATE {statement} SET total = 0 WHERE month = %s AND {side} IS NOT NULL", [month]
        )
        self.cursor.execute(
            f"""UPDATE {statement} SET total = t.total
                FROM (SELECT f.statement_id, SUM(f.amount) AS total
                      FROM {fee} f JOIN {statement} s ON s.id = f.statement_id
                      WHERE s.month = %s AND s.{side} IS NOT NULL
                      GROUP BY f.statement_id) t
                WHERE {statement}.id = t.statement_id""",
            [month],
        )

    def organisations(self) -> None:
        """The Wadah's share on top of each of its agents' statements (one line per agent,
        pointing at the agent's statement); an approved Wadah statement gets the difference
        as a correction line."""
        fee = _table(FeeLine)
        statement = _table(FeeStatement)
        sql = (
            self.INSERT.format(fee=fee)
            + f"""
            SELECT o.id, 'organisation', %s, NULL, NULL, NULL, a.id, NULL, NULL, a.total,
                   %s, (a.total * %s + 5000) / 10000 - COALESCE(
                       (SELECT SUM(f.amount) FROM {fee} f
                        WHERE f.statement_id = o.id AND f.source_statement_id = a.id), 0),
                   o.status = %s
            FROM {statement} a
            JOIN {_table(Agent)} ag ON ag.id = a.agent_id
            JOIN {statement} o ON o.organisation_id = ag.organisation_id AND o.month = a.month
            WHERE a.month = %s
              AND (a.total * %s + 5000) / 10000 <> COALESCE(
                  (SELECT SUM(f.amount) FROM {fee} f
                   WHERE f.statement_id = o.id AND f.source_statement_id = a.id), 0)
        """
        )
        bp = self.rule.organisation_bp
        self.run(sql, [self.rule.pk, bp, bp, APPROVED, self.d(self.month), bp])


def _agents_of_month(month: dt.date, rule: FeeRule) -> set[int]:
    """The agents with something to be paid for in the month (one query per source)."""
    end = add_months(month, 1)
    lines = CollectionLine.objects.filter(
        collection__paid_on__gte=month, collection__paid_on__lt=end
    )
    agents = set(
        lines.filter(person__agent__isnull=False).values_list("person__agent_id", flat=True)
    )
    agents |= set(
        lines.filter(person__agent__isnull=True, collection__agent__isnull=False).values_list(
            "collection__agent_id", flat=True
        )
    )
    start = timezone.make_aware(dt.datetime.combine(month, dt.time()))
    stop = timezone.make_aware(dt.datetime.combine(end, dt.time()))
    agents |= set(
        Person.objects.filter(created_at__gte=start, created_at__lt=stop, agent__isnull=False)
        .values_list("agent_id", flat=True)
        .distinct()
    )
    if getattr(settings, "LINDUNG_FEES_ON_SPONSORED", False):
        agents |= set(
            BillLine.objects.filter(covered_month=month, enrollment__agent__isnull=False)
            .values_list("enrollment__agent_id", flat=True)
            .distinct()
        )
    return agents


def _open_statements(month: dt.date, rule: FeeRule, agent_ids: set[int]) -> None:
    now = timezone.now()
    have = set(
        FeeStatement.objects.filter(month=month, agent__isnull=False).values_list(
            "agent_id", flat=True
        )
    )
    agents = list(Agent.objects.filter(pk__in=agent_ids - have).values("pk", "regency_id"))
    FeeStatement.objects.bulk_create(
        [
            FeeStatement(
                agent_id=a["pk"],
                month=month,
                rule=rule,
                regency_code=a["regency_id"],
                due_on=due_on(month, rule),
                computed_at=now,
            )  # fmt: skip
            for a in agents
        ],
        batch_size=2000,
    )
    if rule.organisation_bp:
        organisations = set(
            Agent.objects.filter(pk__in=agent_ids, organisation__isnull=False).values_list(
                "organisation_id", "organisation__regency_id"
            )
        )
        have = set(
            FeeStatement.objects.filter(month=month, organisation__isnull=False).values_list(
                "organisation_id", flat=True
            )
        )
        FeeStatement.objects.bulk_create(
            [
                FeeStatement(
                    organisation_id=pk,
                    month=month,
                    rule=rule,
                    regency_code=regency,
                    due_on=due_on(month, rule),
                    computed_at=now,
                )  # fmt: skip
                for pk, regency in organisations
                if pk not in have
            ]
        )
    FeeStatement.objects.filter(month=month, status=DRAFT).update(
        rule=rule, due_on=due_on(month, rule), computed_at=now
    )


def run_fees(*, month: dt.date) -> FeeRun:
    """Compute (or recompute) every fee statement of ``month``; idempotent."""
    month = month.replace(day=1)
    rule = rule_in_force(month)
    result = FeeRun(month=month, rule=rule)
    with transaction.atomic():
        _open_statements(month, rule, _agents_of_month(month, rule))
        FeeLine.objects.filter(statement__month=month, statement__status=DRAFT).delete()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # The statements just written are what every line joins to: without fresh
                # statistics the planner takes the table for empty and loops over it.
                cursor.execute(f"ANALYZE {_table(FeeStatement)}")
            sql = _Sql(cursor, month, rule)
            sql.contributions()
            if getattr(settings, "LINDUNG_FEES_ON_SPONSORED", False):
                sql.sponsored()
            sql.acquisitions()
            sql.totals(agents=True)
            if rule.organisation_bp:
                sql.organisations()
            sql.totals(agents=False)
        result.lines = FeeLine.objects.filter(statement__month=month).count()
    statements = FeeStatement.objects.filter(month=month)
    result.agent_statements = statements.filter(agent__isnull=False).count()
    result.organisation_statements = statements.filter(organisation__isnull=False).count()
    result.total = sum(statements.values_list("total", flat=True))
    return result


def approve(*, user, statement: FeeStatement, today: dt.date) -> FeeStatement:
    """Freeze a statement (a regency admin of its regency, after the month is over)."""
    from lindung.programs.permissions import can_manage

    if not can_manage(user, statement.regency_code):
        raise FeeRefused("forbidden")
    if statement.status == APPROVED:
        raise FeeRefused("already_approved")
    if today < add_months(statement.month, 1):
        raise FeeRefused("month_open", month=f"{statement.month:%m/%Y}")
    statement.status = APPROVED
    statement.approved_at = timezone.now()
    statement.approved_by = user if user is not None and user.pk else None
    statement.save(update_fields=["status", "approved_at", "approved_by"])
    return statement
