"""Reads for the start page: the work waiting for the signed-in user, per role.

Each entry is a count and one link to the page where the work is done, and only work the
role may act on is listed. Every count goes through the apps' own scoped selectors
(``accounts.scope``), so a user never learns of records outside its region.

They stay cheap at 10 million workers because none of them counts the registry:

* enrollment counts (pending per program, expiring within 30 days, refused lately) are a
  ``BitmapAnd`` on PostgreSQL of two indexes: ``programs_enrollment (state, coverage_end)``
  (the pending and refused states are a small part of all enrollments, the expiring ones one
  range ``state = 'active' AND coverage_end BETWEEN …``) and the region's code column
  (``regency_code`` / ``province_code`` / ``village_id``). Measured with ``EXPLAIN ANALYZE``
  at 5 million enrollments: 2–20 ms for a regency or a village, 0.2–0.6 s for a whole
  province (``docs/performance.md``, "Beranda per peran").
* the agent's work list is ``agents.selectors.work_list``, whose sections are read along
  ``enrollment_to_continue_idx`` and the same ``(state, coverage_end)`` index;
* quotas, bills, billing runs, import jobs (``(user, -created_at)``), fee statements and
  collections of a month are small tables or indexed by their program, owner or date;
* a leader's headline figure is read from the coverage summary (``targets_tally``), never
  from the registry.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import Role
from lindung.accounts.scope import scope_code, scoped
from lindung.agents import selectors as agent_selectors
from lindung.billing import selectors as billing_selectors
from lindung.billing.models import Bill
from lindung.coverage import selectors as coverage_selectors
from lindung.formatting import percent, rupiah
from lindung.imports.selectors import jobs_for
from lindung.programs import permissions
from lindung.programs import selectors as program_selectors
from lindung.programs.lifecycle import State
from lindung.programs.models import Enrollment, VillageQuota
from lindung.regions.selectors import get_region
from lindung.selfpay import selectors as selfpay_selectors
from lindung.selfpay.models import FeeStatement

RECENT_DAYS = 30  # imports and refusals older than this are no longer news
LATEST_IMPORTS = 5  # at most this many imports with rejected rows are listed


@dataclass
class Waiting:
    """One line of the home page: what waits, how many, and where it is done."""

    kind: str  # a stable code (the page's ``data-kind``; tests read it)
    label: str
    count: int
    url: str
    detail: str = ""  # which program, file or amount


def home_summary(user, today: dt.date) -> dict:
    region = get_region(user.region_id) if user.region_id else None
    if user.role in (Role.SYSTEM_ADMIN, Role.REGENCY_ADMIN):
        waiting = manager_waiting(user, today)
    elif user.role == Role.VILLAGE_OPERATOR:
        waiting = operator_waiting(user, today)
    elif user.role == Role.AGENT:
        waiting = agent_waiting(user, today)
    else:
        waiting = []
    return {
        "region": region,
        "waiting": waiting,
        "headline": viewer_headline(user, today) if user.role == Role.VIEWER else None,
    }


# --- the pieces shared by several roles ----------------------------------------------------


def _by_program(user, states, *, since: dt.datetime | None = None) -> dict[tuple[int, str], int]:
    """Enrollments in scope in ``states``, counted per (program, state): one query along
    ``(state, coverage_end)``."""
    enrollments = program_selectors.enrollments_for(user).filter(state__in=sorted(states))
    if since is not None:
        enrollments = enrollments.filter(state_changed_at__gte=since)
    rows = enrollments.order_by().values_list("program_id", "state").annotate(n=Count("id"))
    return {(program_id, state): n for program_id, state, n in rows}


def _expiring(user, today: dt.date) -> list[Waiting]:
    """Workers whose sponsored coverage ends within 30 days, per program (its list of them)."""
    rows = (
        program_selectors.expiring(user, today=today)
        .order_by()
        .values_list("program_id")
        .annotate(n=Count("id"))
    )
    counts = dict(rows)
    programs = program_selectors.programs_for(user).filter(pk__in=counts).order_by("name")
    return [
        Waiting(
            "expiring",
            _("Pekerja yang masa sponsornya berakhir dalam 30 hari"),
            counts[program.pk],
            reverse("programs:enrollments", args=[program.pk]) + "?expiring=1",
            program.name,
        )
        for program in programs
    ]


def _rejected_imports(user) -> list[Waiting]:
    """The user's recent imports with rejected rows, newest first: each opens its report."""
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    jobs = jobs_for(user).filter(user=user, rejected__gt=0, created_at__gte=since)
    return [
        Waiting(
            "import_rejected",
            _("Baris ditolak pada impor"),
            job.rejected,
            reverse("imports:job", args=[job.pk]),
            job.source_name,
        )
        for job in jobs.order_by("-created_at")[:LATEST_IMPORTS]
    ]


# --- the regency admin (and the system admin) ----------------------------------------------

PENDING_LINKS = {
    # state: (kind, URL name). Proposals are verified on the program's queue; the verified
    # ones go into a batch for the insurer, whose answer is read on the same page.
    State.PROPOSED: ("to_verify", "programs:verify"),
    State.VERIFIED: ("to_submit", "bpjs:program"),
    State.SUBMITTED: ("awaiting_answer", "bpjs:program"),
}


def _pending_label(state: str) -> str:
    return {
        State.PROPOSED: _("Usulan menunggu verifikasi"),
        State.VERIFIED: _("Terverifikasi, belum diajukan ke BPJS"),
        State.SUBMITTED: _("Diajukan ke BPJS, menunggu jawaban"),
    }[state]


def manager_waiting(user, today: dt.date) -> list[Waiting]:
    managed = [
        p
        for p in program_selectors.programs_for(user).order_by("-year", "name")
        if permissions.can_manage(user, p.area_id)
    ]
    waiting: list[Waiting] = []
    counts = _by_program(user, PENDING_LINKS)
    for state, (kind, url_name) in PENDING_LINKS.items():
        for program in managed:
            if n := counts.get((program.pk, state)):
                url = reverse(url_name, args=[program.pk])
                waiting.append(Waiting(kind, _pending_label(state), n, url, program.name))
    waiting += _bills_to_run(managed, today)
    waiting += _unpaid_bills(user, today)
    waiting += _budget_at_risk(managed)
    waiting += _rejected_imports(user)
    waiting += _expiring(user, today)
    statements = selfpay_selectors.statements_for(user).filter(status=FeeStatement.Status.DRAFT)
    if n := statements.count():
        waiting.append(
            Waiting(
                "fee_draft",
                _("Laporan imbal jasa agen masih draf (perlu disetujui)"),
                n,
                reverse("selfpay:fees"),
            )
        )
    return waiting


def _bills_to_run(programs, today: dt.date) -> list[Waiting]:
    """Programs with covered months due and not billed yet (only those with someone the
    insurer has activated: before that there is nothing to bill)."""
    waiting = []
    for program in programs:
        if not Enrollment.objects.filter(program=program, effective_date__isnull=False).exists():
            continue
        due = billing_selectors.months_due(program, today)
        if due:
            months = ", ".join(f"{m:%m/%Y}" for m in due[:3]) + ("…" if len(due) > 3 else "")
            waiting.append(
                Waiting(
                    "bills_to_run",
                    _("Bulan tagihan belum dijalankan"),
                    len(due),
                    reverse("billing:program", args=[program.pk]),
                    f"{program.name}: {months}",
                )
            )
    return waiting


def _unpaid_bills(user, today: dt.date) -> list[Waiting]:
    bills = billing_selectors.filter_bills(
        billing_selectors.bills_for(user), status="open", today=today
    )
    totals = bills.aggregate(n=Count("id"), amount=Sum("amount"), paid=Sum("paid"))
    if not totals["n"]:
        return []
    outstanding = (totals["amount"] or 0) - (totals["paid"] or 0)
    return [
        Waiting(
            "bills_unpaid",
            _("Tagihan terbit belum lunas"),
            totals["n"],
            reverse("billing:list") + "?status=open",
            _("sisa %(amount)s") % {"amount": rupiah(outstanding)},
        )
    ]


def _budget_at_risk(programs) -> list[Waiting]:
    """Programs whose committed or billed premiums reach 80% of the budget: billing's rule
    (``Figures.level``) on today's figures, read from the program's committed counter and
    its bills' totals rather than rebuilt from a million enrollments' history as the dated
    realisation report does."""
    billed = dict(
        Bill.objects.filter(program__in=[p.pk for p in programs])
        .order_by()
        .values_list("program_id")
        .annotate(s=Sum("amount"))
    )
    waiting = []
    for program in programs:
        figures = billing_selectors.Figures(
            program.budget, program.committed, billed.get(program.pk) or 0, 0
        )
        if figures.level in ("warning", "over"):
            waiting.append(
                Waiting(
                    "budget_at_risk",
                    _("Anggaran terpakai %(percent)s%% dari pagu")
                    % {"percent": figures.used_percent},
                    1,
                    reverse("billing:realisation", args=[program.pk]),
                    program.name,
                )
            )
    return waiting


# --- the village operator ------------------------------------------------------------------


def operator_waiting(user, today: dt.date) -> list[Waiting]:
    waiting = []
    this_month = today.replace(day=1)
    # Open rounds: those not started before this month, where proposals go
    # (``programs.services.default_round``).
    quotas = (
        scoped(user, VillageQuota.objects.all())
        .filter(round__start_month__gte=this_month)
        .select_related("program", "round")
        .order_by("round__start_month", "program__name", "village_id")
    )
    for quota in quotas:
        if not permissions.can_propose(user, quota.village_id):
            continue
        waiting.append(
            Waiting(
                "quota_left",
                _("Sisa kuota putaran %(number)s (mulai %(month)s)")
                % {"number": quota.round.number, "month": f"{quota.round.start_month:%m/%Y}"},
                quota.quota - quota.used,
                reverse("programs:propose", args=[quota.program_id])
                + f"?round={quota.round.number}",
                quota.program.name,
            )
        )
    waiting += _rejected_imports(user)
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    refused = _by_program(user, [State.REJECTED], since=since)
    programs = program_selectors.programs_for(user).filter(pk__in=[p for p, _s in refused])
    for program in programs.order_by("name"):
        waiting.append(
            Waiting(
                "proposals_refused",
                _("Usulan ditolak (30 hari terakhir)"),
                refused[(program.pk, State.REJECTED)],
                reverse("programs:enrollments", args=[program.pk]) + "?state=rejected",
                program.name,
            )
        )
    waiting += _expiring(user, today)
    return waiting


# --- the Perisai agent ---------------------------------------------------------------------


def agent_waiting(user, today: dt.date) -> list[Waiting]:
    rows = agent_selectors.work_list(user, as_of=today)
    sections = dict(rows.order_by().values_list("bucket").annotate(n=Count("pk")))
    work_list = reverse("agents:work-list")
    waiting = [
        Waiting(
            "work_ending",
            _("Masa sponsor berakhir dalam 30 hari: tawarkan iuran mandiri"),
            sections.get(0, 0),
            work_list,
        ),
        Waiting(
            "work_ended",
            _("Masa sponsor sudah berakhir, belum lanjut"),
            sections.get(1, 0),
            work_list,
        ),
    ]
    month = today.replace(day=1)
    collections = selfpay_selectors.collections_for(user).filter(
        paid_on__gte=month, paid_on__lte=today
    )
    totals = collections.aggregate(n=Count("id"), amount=Sum("total"))
    waiting.append(
        Waiting(
            "collections_month",
            _("Iuran mandiri diterima bulan ini"),
            totals["n"] or 0,
            reverse("selfpay:collections"),
            rupiah(totals["amount"] or 0),
        )
    )
    return [w for w in waiting if w.count or w.kind == "collections_month"]


# --- the leaders (viewer) ------------------------------------------------------------------


@dataclass
class Headline:
    covered: int
    rate: str | None  # ``34,00%`` when a workforce figure exists
    url: str


def viewer_headline(user, today: dt.date) -> Headline | None:
    """The dashboard's headline figure for the viewer's region, from the coverage summary."""
    if scope_code(user) == "-":  # no region: nothing to show
        return None
    code = coverage_selectors.default_region(user)
    figures, _parts, _budget = coverage_selectors.region_indicators(user, code, today)
    bp = figures.total.rate_bp
    return Headline(
        figures.total.covered, percent(bp) if bp is not None else None, reverse("dashboards:home")
    )
