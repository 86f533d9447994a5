"""Every write about Perisai agents: organisations, agreements, villages, agents, their
status, attribution in bulk and the contacts of the continuation work list.

Regency admins (and system admins) manage the agents of the regencies in their scope;
agents record their own contacts. Each function is one use case in one transaction.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _

from lindung.accounts.models import Role, User
from lindung.accounts.scope import in_scope, scoped
from lindung.agents.models import (
    Agent,
    AgentVillage,
    Agreement,
    Contact,
    Organisation,
    OrganisationVillage,
    Status,
    add_year,
)
from lindung.people.models import Person
from lindung.programs import permissions
from lindung.programs.lifecycle import State
from lindung.programs.models import Enrollment, Program, add_months
from lindung.refusals import Refusal
from lindung.regions.codes import REGENCY, VILLAGE, level_of
from lindung.regions.models import Region

# An agent idle this many months is warned, then made inactive (the insurer terminates an
# agent without acquisition or transaction for 3 months in a row).
WARN_AFTER_MONTHS = 2
INACTIVE_AFTER_MONTHS = 3
# States of an enrollment the continuation work list is about.
CONTACTABLE = frozenset({State.ACTIVE, State.ENDED, State.CONTINUED})


class AgentRefused(Refusal):
    messages = {
        "forbidden": _("Anda tidak berwenang mengelola agen di wilayah ini."),
        "not_a_regency": _("Wilayah %(region)s bukan kabupaten/kota."),
        "name_required": _("Nama wajib diisi."),
        "name_taken": _("Nama %(name)s sudah dipakai di kabupaten ini."),
        "bad_kind": _("Jenis wadah tidak dikenal: %(kind)s."),
        "parent_not_holding": _("Induk harus berupa holding BumDes di kabupaten yang sama."),
        "holding_in_holding": _("Holding tidak bernaung di bawah holding lain."),
        "has_members": _("Wadah ini menaungi BumDes lain; holding tidak dapat diubah jenisnya."),
        "organisation_other_regency": _("Wadah harus di kabupaten yang sama dengan agen."),
        "agreement_dates": _("Tanggal mulai dan akhir perjanjian wajib diisi."),
        "agreement_end_before_start": _("Tanggal akhir perjanjian sebelum tanggal mulai."),
        "agreement_too_long": _(
            "Perjanjian kerja sama Perisai berlaku paling lama 1 tahun (sampai %(limit)s)."
        ),
        "agreement_number_taken": _("Nomor perjanjian %(number)s sudah tercatat."),
        "not_a_village": _("%(village)s bukan kode desa/kelurahan."),
        "village_outside_regency": _("Desa %(village)s tidak berada di kabupaten wadah/agen."),
        "village_not_served": _(
            "Desa %(village)s tidak dilayani wadah agen ini; tambahkan dulu ke wadah."
        ),
        "user_not_agent": _("Pengguna %(username)s tidak berperan agen Perisai."),
        "user_taken": _("Pengguna %(username)s sudah terhubung dengan agen lain."),
        "user_out_of_scope": _("Pengguna %(username)s di luar wilayah Anda."),
        "coordinator_without_organisation": _("Koordinator harus anggota suatu wadah."),
        "bad_status": _("Status tidak dikenal: %(status)s."),
        "agent_inactive": _("Agen %(name)s tidak aktif; aktifkan dulu."),
        "program_out_of_scope": _("Program tidak ditemukan di wilayah Anda."),
    }


class ContactRefused(Refusal):
    messages = {
        "bad_outcome": _("Hasil kontak tidak dikenal: %(outcome)s."),
        "reason_required": _("Alasan menolak wajib diisi."),
        "date_required": _("Tanggal kontak wajib diisi (dd/mm/yyyy)."),
        "date_in_future": _("Tanggal kontak %(date)s belum terjadi."),
        "not_contactable": _("Kepesertaan berstatus %(state)s tidak termasuk daftar kerja."),
        "forbidden": _("Anda tidak berwenang mencatat kontak."),
        "note_too_long": _("Catatan paling banyak 2000 karakter."),
    }


def can_manage(user, regency_code: str) -> bool:
    """Create and change organisations and agents: admins whose scope holds the regency."""
    return (
        user is None
        or (user.role in (Role.SYSTEM_ADMIN, Role.REGENCY_ADMIN))
        and in_scope(user, regency_code)
    )


def _require_manager(user, regency_code: str) -> None:
    if not can_manage(user, regency_code):
        raise AgentRefused("forbidden")


def _actor(user):
    return user if user is not None and user.pk else None


def _regency(code: str) -> Region:
    code = clean_text(code, 20)
    region = Region.objects.filter(code=code).first() if level_of(code) == REGENCY else None
    if region is None:
        raise AgentRefused("not_a_regency", region=code or "-")
    return region


def clean_text(value, limit: int) -> str:
    """One line of text: spaces tidied, NUL characters (refused by PostgreSQL) dropped."""
    return " ".join(str(value or "").replace("\x00", "").split())[:limit]


def _name(value) -> str:
    name = clean_text(value, 200)
    if not name:
        raise AgentRefused("name_required")
    return name


BANK_FIELDS = ("bank_name", "bank_account_number", "bank_account_holder")


def _bank(data: dict) -> dict:
    return {f: clean_text(data.get(f), 150) for f in BANK_FIELDS if f in data}


# --- organisations ------------------------------------------------------------------------


def _check_parent(kind: str, parent: Organisation | None, regency_id: str) -> None:
    if parent is None:
        return
    if kind == Organisation.Kind.HOLDING:
        raise AgentRefused("holding_in_holding")
    if parent.kind != Organisation.Kind.HOLDING or parent.regency_id != regency_id:
        raise AgentRefused("parent_not_holding")


def _save_organisation(organisation: Organisation) -> Organisation:
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as exc:
        raise AgentRefused("name_taken", name=organisation.name) from exc
    return organisation


def create_organisation(*, user, data: dict, today: dt.date) -> Organisation:
    """A new Wadah. ``data``: kind, name, regency_code, parent (an Organisation or None),
    and the bank account fees go to."""
    regency = _regency(data.get("regency_code", ""))
    _require_manager(user, regency.code)
    kind = data.get("kind") or ""
    if kind not in Organisation.Kind.values:
        raise AgentRefused("bad_kind", kind=kind or "-")
    parent = data.get("parent")
    _check_parent(kind, parent, regency.code)
    organisation = Organisation(
        kind=kind,
        name=_name(data.get("name")),
        regency=regency,
        parent=parent,
        status_changed_on=today,
        created_by=_actor(user),
        **_bank(data),
    )
    return _save_organisation(organisation)


def update_organisation(*, user, organisation: Organisation, changes: dict) -> Organisation:
    """Change name, kind, parent or bank account; the regency stays."""
    _require_manager(user, organisation.regency_id)
    kind = changes.get("kind", organisation.kind)
    if kind not in Organisation.Kind.values:
        raise AgentRefused("bad_kind", kind=kind or "-")
    if kind != Organisation.Kind.HOLDING and organisation.members.exists():
        raise AgentRefused("has_members")
    parent = changes.get("parent", organisation.parent)
    if parent is not None and parent.pk == organisation.pk:
        raise AgentRefused("holding_in_holding")
    _check_parent(kind, parent, organisation.regency_id)
    organisation.kind, organisation.parent = kind, parent
    if "name" in changes:
        organisation.name = _name(changes["name"])
    for name, value in _bank(changes).items():
        setattr(organisation, name, value)
    return _save_organisation(organisation)


def set_organisation_status(
    *, user, organisation: Organisation, status: str, today: dt.date
) -> Organisation:
    _require_manager(user, organisation.regency_id)
    if status not in Status.values:
        raise AgentRefused("bad_status", status=status or "-")
    if status != organisation.status:
        organisation.status, organisation.status_changed_on = status, today
        organisation.save(update_fields=["status", "status_changed_on", "updated_at"])
    return organisation


def add_agreement(
    *,
    user,
    organisation: Organisation,
    number: str,
    start_date: dt.date | None,
    end_date: dt.date | None,
    branch: str = "",
    document=None,
) -> Agreement:
    """Record a cooperation agreement with the insurer's branch (at most one year)."""
    _require_manager(user, organisation.regency_id)
    number = _name(number)[:120]
    if start_date is None or end_date is None:
        raise AgentRefused("agreement_dates")
    if end_date < start_date:
        raise AgentRefused("agreement_end_before_start")
    if end_date > add_year(start_date):
        raise AgentRefused("agreement_too_long", limit=f"{add_year(start_date):%d/%m/%Y}")
    agreement = Agreement(
        organisation=organisation,
        number=number,
        start_date=start_date,
        end_date=end_date,
        branch=clean_text(branch, 150),
        created_by=_actor(user),
    )
    if document is not None:
        agreement.document.save(document.name, document, save=False)
    try:
        with transaction.atomic():
            agreement.save()
    except IntegrityError as exc:
        raise AgentRefused("agreement_number_taken", number=number) from exc
    return agreement


def _villages(codes, regency_id: str) -> list[str]:
    wanted = sorted({clean_text(c, 20) for c in codes if clean_text(c, 20)})
    for code in wanted:
        if level_of(code) != VILLAGE:
            raise AgentRefused("not_a_village", village=code)
        if not code.startswith(regency_id + "."):
            raise AgentRefused("village_outside_regency", village=code)
    known = set(Region.objects.filter(code__in=wanted).values_list("code", flat=True))
    for code in wanted:
        if code not in known:
            raise AgentRefused("not_a_village", village=code)
    return wanted


@transaction.atomic
def set_organisation_villages(
    *, user, organisation: Organisation, village_codes, since: dt.date | None = None
) -> list[str]:
    """The villages a Wadah serves, replacing the previous list."""
    _require_manager(user, organisation.regency_id)
    wanted = _villages(village_codes, organisation.regency_id)
    organisation.served.exclude(village_id__in=wanted).delete()
    have = set(organisation.served.values_list("village_id", flat=True))
    rows = []
    for code in wanted:
        if code not in have:
            row = OrganisationVillage(organisation=organisation, village_id=code, since=since)
            row.set_region_codes()
            rows.append(row)
    OrganisationVillage.objects.bulk_create(rows)
    return wanted


# --- agents -------------------------------------------------------------------------------


def _check_user(user, account: User | None, agent: Agent | None) -> None:
    if account is None:
        return
    if account.role != Role.AGENT:
        raise AgentRefused("user_not_agent", username=account.username)
    if user is not None and not (account.region_id and in_scope(user, account.region_id)):
        raise AgentRefused("user_out_of_scope", username=account.username)
    taken = Agent.objects.filter(user=account)
    if agent is not None:
        taken = taken.exclude(pk=agent.pk)
    if taken.exists():
        raise AgentRefused("user_taken", username=account.username)


def _agent_fields(agent: Agent, data: dict) -> None:
    if "full_name" in data:
        agent.full_name = _name(data["full_name"])[:150]
    for name in ("code", "phone"):
        if name in data:
            setattr(agent, name, clean_text(data[name], 40))
    for name, value in _bank(data).items():
        setattr(agent, name, value)
    if "organisation" in data:
        organisation = data["organisation"]
        if organisation is not None and organisation.regency_id != agent.regency_id:
            raise AgentRefused("organisation_other_regency")
        agent.organisation = organisation
    if "is_coordinator" in data:
        agent.is_coordinator = bool(data["is_coordinator"])
    if agent.is_coordinator and agent.organisation is None:
        raise AgentRefused("coordinator_without_organisation")


def _set_agent_villages(agent: Agent, codes) -> None:
    wanted = _villages(codes, agent.regency_id)
    if agent.organisation is not None:
        served = set(
            OrganisationVillage.objects.filter(
                Q(organisation=agent.organisation) | Q(organisation__parent=agent.organisation)
            ).values_list("village_id", flat=True)
        )
        for code in wanted:
            if code not in served:
                raise AgentRefused("village_not_served", village=code)
    agent.served.exclude(village_id__in=wanted).delete()
    have = set(agent.served.values_list("village_id", flat=True))
    rows = []
    for code in wanted:
        if code not in have:
            row = AgentVillage(agent=agent, village_id=code)
            row.set_region_codes()
            rows.append(row)
    AgentVillage.objects.bulk_create(rows)


@transaction.atomic
def create_agent(*, user, data: dict, today: dt.date) -> Agent:
    """A new agent. ``data``: full_name, regency_code, organisation, code, phone, user (an
    account with role ``agent``), is_coordinator, villages (codes), bank account."""
    regency = _regency(data.get("regency_code", ""))
    _require_manager(user, regency.code)
    agent = Agent(
        regency=regency,
        status_changed_on=today,
        started_on=data.get("started_on") or today,
        created_by=_actor(user),
    )
    _agent_fields(agent, {"full_name": data.get("full_name"), **data})
    account = data.get("user")
    _check_user(user, account, None)
    agent.user = account
    agent.save()
    if data.get("villages"):
        _set_agent_villages(agent, data["villages"])
    return agent


@transaction.atomic
def update_agent(*, user, agent: Agent, changes: dict) -> Agent:
    _require_manager(user, agent.regency_id)
    _agent_fields(agent, changes)
    if "user" in changes:
        _check_user(user, changes["user"], agent)
        agent.user = changes["user"]
    agent.save()
    if "villages" in changes:
        _set_agent_villages(agent, changes["villages"] or [])
    return agent


def set_agent_status(*, user, agent: Agent, status: str, today: dt.date) -> Agent:
    """Set an agent's status by hand (reactivating one after a warning, or ending one)."""
    _require_manager(user, agent.regency_id)
    if status not in Status.values:
        raise AgentRefused("bad_status", status=status or "-")
    if status != agent.status:
        agent.status, agent.status_changed_on = status, today
        if status == Status.ACTIVE:
            # Set active again by an admin: the idle months count from today, a new start.
            agent.started_on = today
        agent.save(update_fields=["status", "status_changed_on", "started_on", "updated_at"])
    return agent


# --- activity and status --------------------------------------------------------------------


def note_activity(agent, on: dt.date) -> None:
    """An acquisition or a collection by ``agent`` (an Agent or its id) on ``on``.

    Moves ``last_activity_on`` forward only, in one conditional ``UPDATE`` (two writers at
    once cannot move it back); a warned agent becomes active again. Registrations and
    proposals call it through the signals in :mod:`lindung.agents.signals`; the import of a
    worker list and self-paid collections call it directly.
    """
    agent_id = getattr(agent, "pk", agent)
    Agent.objects.filter(pk=agent_id).filter(
        Q(last_activity_on__isnull=True) | Q(last_activity_on__lt=on)
    ).update(last_activity_on=on)
    Agent.objects.filter(
        pk=agent_id, status=Status.WARNED, last_activity_on__gt=F("status_changed_on")
    ).update(status=Status.ACTIVE, status_changed_on=on)


def months_before(today: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (the month's last day when it is shorter)."""
    first = add_months(today.replace(day=1), -months)
    last_day = (add_months(first, 1) - dt.timedelta(days=1)).day
    return first.replace(day=min(today.day, last_day))


def mark_inactive_agents(today: dt.date) -> dict[str, int]:
    """Warn agents idle for 2 months, make inactive those idle for 3 (run daily).

    Idle since the last activity (``last_activity_on``) or the start (``started_on``, also
    the day an admin set the agent active again), whichever is later. Returns how many
    were warned and how many made inactive.
    """
    idle_from = Greatest(
        Coalesce("last_activity_on", "started_on"), Coalesce("started_on", "last_activity_on")
    )
    agents = Agent.objects.alias(idle_from=idle_from)
    with transaction.atomic():
        made_inactive = (
            agents.exclude(status=Status.INACTIVE)
            .filter(idle_from__lte=months_before(today, INACTIVE_AFTER_MONTHS))
            .update(status=Status.INACTIVE, status_changed_on=today)
        )
        warned = (
            agents.filter(status=Status.ACTIVE)
            .filter(idle_from__lte=months_before(today, WARN_AFTER_MONTHS))
            .update(status=Status.WARNED, status_changed_on=today)
        )
    return {"warned": warned, "inactive": made_inactive}


# --- attribution in bulk ------------------------------------------------------------------


def _assignable(user, agent: Agent) -> None:
    _require_manager(user, agent.regency_id)
    if agent.status == Status.INACTIVE:
        raise AgentRefused("agent_inactive", name=agent.full_name)


@transaction.atomic
def assign_village_workers(
    *, user, agent: Agent, village_code: str, only_unassigned: bool = False
) -> int:
    """Attribute a village's workers to an agent; returns how many changed."""
    _assignable(user, agent)
    (code,) = _villages([village_code], agent.regency_id)
    people = scoped(user, Person.objects.filter(village_id=code))
    if only_unassigned:
        people = people.filter(agent__isnull=True)
    return people.exclude(agent_id=agent.pk).update(agent_id=agent.pk)


@transaction.atomic
def assign_ended_enrollments(
    *, user, agent: Agent, program: Program, village_code: str = ""
) -> int:
    """Attribute one program's ended enrollments (in a village, or in the agent's regency)
    to an agent, who then works them in the continuation list; returns how many changed."""
    _assignable(user, agent)
    if not permissions.sees_area(user, program.area_id):
        raise AgentRefused("program_out_of_scope")
    enrollments = scoped(user, Enrollment.objects.filter(program=program, state=State.ENDED))
    enrollments = enrollments.filter(regency_code=agent.regency_id)
    if village_code:
        (code,) = _villages([village_code], agent.regency_id)
        enrollments = enrollments.filter(village_id=code)
    return enrollments.exclude(agent_id=agent.pk).update(agent_id=agent.pk)


# --- contacts -----------------------------------------------------------------------------


def record_contact(
    *,
    user,
    enrollment: Enrollment,
    outcome: str,
    contacted_on: dt.date | None,
    today: dt.date,
    reason: str = "",
    note: str = "",
) -> Contact:
    """One contact of an agent with a worker of the work list (the caller has found the
    enrollment through :func:`lindung.agents.selectors.get_work_item`, which scopes it)."""
    if user is not None and user.role not in (Role.SYSTEM_ADMIN, Role.REGENCY_ADMIN, Role.AGENT):
        raise PermissionDenied
    if outcome not in Contact.Outcome.values:
        raise ContactRefused("bad_outcome", outcome=outcome or "-")
    if contacted_on is None:
        raise ContactRefused("date_required")
    if contacted_on > today:
        raise ContactRefused("date_in_future", date=f"{contacted_on:%d/%m/%Y}")
    reason = clean_text(reason, 200)
    if outcome == Contact.Outcome.DECLINED and not reason:
        raise ContactRefused("reason_required")
    note = str(note or "").replace("\x00", "").strip()
    if len(note) > 2000:
        raise ContactRefused("note_too_long")
    if enrollment.state not in CONTACTABLE:
        raise ContactRefused("not_contactable", state=State(enrollment.state).label)
    agent = getattr(user, "agent", None) if user is not None and user.pk else None
    contact = Contact(
        enrollment=enrollment,
        agent=agent or enrollment.agent,
        outcome=outcome,
        contacted_on=contacted_on,
        reason=reason if outcome == Contact.Outcome.DECLINED else "",
        note=note,
        village_id=enrollment.village_id,
        created_by=_actor(user),
    )
    contact.set_region_codes()
    contact.save()
    return contact
