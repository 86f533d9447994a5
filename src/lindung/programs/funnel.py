"""The verification funnel of a program: where the people of the villages' agreed lists
drop out, and why.

Steps, each a subset of the one before (except *proposed*, see below):

1. ``agreed``: the names of the latest version of each village's agreed list;
2. ``registered``: in the registry of the village (drop-outs: ``not_registered``, a NIK
   written wrong, the same person twice in the list, a worker of another village…);
3. ``eligible``: passing the program's rules (``age_out_of_range`` — over 65 mostly —,
   ``already_covered``, ``outside_program_area``…);
4. ``proposed``: an enrollment in the program's round (drop-outs: the refusal met when the
   name was proposed from the list, ``quota_full`` or ``budget_exceeded``, else
   ``not_proposed``). Proposals of workers on no agreed list count here too, and are
   shown as ``not_on_list``: a program run before agreed lists existed has a funnel that
   starts at this step;
5. ``verified``: verified by the regency (``rejected_by_regency`` with its reasons,
   ``withdrawn``, ``awaiting_verification``);
6. ``accepted``: accepted by the insurer (``refused_by_insurer`` with its reasons,
   ``withdrawn``, ``awaiting_insurer``);
7. ``active``: active today (an ended coverage drops out with its cause).

Read with a handful of queries whatever the size: the entries and the enrollments are
read as plain values and counted here.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from lindung.accounts.scope import scoped, within
from lindung.programs.lifecycle import State
from lindung.programs.models import (
    AgreedEntry,
    AgreedList,
    AgreedListVersion,
    Enrollment,
    Program,
    Round,
    Transition,
)
from lindung.regions.models import Region

STEPS = ("agreed", "registered", "eligible", "proposed", "verified", "accepted", "active")
STEP_LABELS = {
    "agreed": _("Daftar musyawarah desa"),
    "registered": _("Ada di registri"),
    "eligible": _("Memenuhi syarat"),
    "proposed": _("Diusulkan"),
    "verified": _("Diverifikasi kabupaten"),
    "accepted": _("Diterima BPJS"),
    "active": _("Aktif"),
}
REASON_LABELS = {
    "not_registered": _("tidak ada di registri"),
    "duplicate_in_list": _("orang yang sama dua kali dalam daftar"),
    "entry_other_village": _("warga desa lain"),
    "category_unknown": _("kategori tidak dikenal"),
    "nik_invalid": _("NIK salah tulis"),
    "age_out_of_range": _("umur di luar batas (mis. di atas 65)"),
    "already_covered": _("sudah peserta BPJS atau program lain"),
    "outside_program_area": _("di luar wilayah program"),
    "category_not_eligible": _("kategori bukan sasaran"),
    "decile_not_favoured": _("desil tidak diutamakan"),
    "round_closed": _("putaran sudah lewat"),
    "quota_full": _("kuota desa penuh"),
    "budget_exceeded": _("anggaran tidak cukup"),
    "not_proposed": _("belum diusulkan"),
    "withdrawn": _("ditarik"),
    "rejected_by_regency": _("ditolak kabupaten"),
    "awaiting_verification": _("menunggu verifikasi"),
    "refused_by_insurer": _("ditolak BPJS"),
    "awaiting_insurer": _("menunggu jawaban BPJS"),
    "sponsorship_ended": _("masa sponsor selesai"),
    "death": _("meninggal dunia"),
    "moved_out": _("pindah ke luar wilayah"),
    "became_formal": _("menjadi pekerja formal"),
}
REGISTRY_CODES = frozenset(
    {"not_registered", "duplicate_in_list", "entry_other_village", "category_unknown"}
)
ACCEPTED = frozenset({State.ACTIVE, State.ENDED, State.CONTINUED, State.RENEWED, State.LAPSED})
VERIFIED = ACCEPTED | {State.VERIFIED, State.SUBMITTED}
GROUPINGS = ("program", "village", "district")


@dataclass
class Drop:
    code: str
    count: int = 0
    reasons: Counter = field(default_factory=Counter)  # the texts of rejections

    @property
    def label(self) -> str:
        return str(REASON_LABELS.get(self.code, self.code))

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "label": self.label,
            "count": self.count,
            "reasons": [{"reason": r, "count": n} for r, n in self.reasons.most_common()],
        }


@dataclass
class Step:
    key: str
    count: int = 0
    drops: dict = field(default_factory=dict)  # code → Drop: lost on the way to this step

    @property
    def label(self) -> str:
        return str(STEP_LABELS[self.key])

    def drop(self, code: str, reason: str = "") -> None:
        item = self.drops.setdefault(code, Drop(code))
        item.count += 1
        if reason:
            item.reasons[reason] += 1

    def sorted_drops(self) -> list[Drop]:
        return sorted(self.drops.values(), key=lambda d: (-d.count, d.code))

    def as_dict(self) -> dict:
        return {
            "step": self.key,
            "label": self.label,
            "count": self.count,
            "dropped": [d.as_dict() for d in self.sorted_drops()],
        }


@dataclass
class Funnel:
    code: str  # the village or district code; the program's area for the whole
    name: str
    steps: dict = field(default_factory=lambda: {key: Step(key) for key in STEPS})
    not_on_list: int = 0

    def step_list(self) -> list[Step]:
        return [self.steps[key] for key in STEPS]

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "not_on_list": self.not_on_list,
            "steps": [s.as_dict() for s in self.step_list()],
        }


@dataclass
class FunnelReport:
    program: Program
    round: Round | None
    by: str
    total: Funnel
    groups: list[Funnel]


def _latest_versions(
    user, program: Program, round: Round | None, region: str = ""
) -> dict[int, str]:
    """``{version id: village code}`` of the latest version of each list in scope."""
    lists = scoped(user, AgreedList.objects.filter(program=program))
    if region:
        lists = lists.filter(within(region, model=AgreedList))
    if round is not None:
        lists = lists.filter(round=round)
    latest = lists.annotate(latest=Max("versions__number")).values_list(
        "pk", "village_id", "latest"
    )
    wanted = {(pk, number): village for pk, village, number in latest if number}
    if not wanted:
        return {}
    rows = AgreedListVersion.objects.filter(agreed_list_id__in=[k[0] for k in wanted]).values_list(
        "pk", "agreed_list_id", "number"
    )
    return {pk: wanted[(list_id, n)] for pk, list_id, n in rows if (list_id, n) in wanted}


def _key_of(by: str, village_code: str) -> str:
    return village_code[:8] if by == "district" else village_code


def build(
    user,
    program: Program,
    *,
    round: Round | None = None,
    by: str = "program",
    today: dt.date,
    region: str = "",
) -> FunnelReport:
    """The funnel of ``program`` (one round, or all) in the user's region, as a whole and
    per village or district (``by``); only the villages of ``region`` when one is given
    (a dashboard's region inside the program's area)."""
    by = by if by in GROUPINGS else "program"
    groups: dict[str, Funnel] = {}
    total = Funnel(program.area_id, program.area.display_name)

    def funnels(village_code: str) -> list[Funnel]:
        if by == "program":
            return [total]
        key = _key_of(by, village_code)
        if key not in groups:
            groups[key] = Funnel(key, key)
        return [total, groups[key]]

    enrollments = scoped(user, Enrollment.objects.filter(program=program))
    if region:
        enrollments = enrollments.filter(within(region, model=Enrollment))
    if round is not None:
        enrollments = enrollments.filter(round=round)
    latest: dict[int, tuple] = {}
    for row in enrollments.values_list(
        "pk", "person_id", "village_id", "state", "end_cause", "coverage_end"
    ).order_by("pk"):
        latest[row[1]] = row  # a person proposed again after a withdrawal: the last one
    ids = [row[0] for row in latest.values()]
    last_moves = {}
    for enrollment_id, from_state, reason in (
        Transition.objects.filter(
            enrollment_id__in=ids, to_state__in=[State.REJECTED, State.WITHDRAWN]
        )
        .order_by("at", "pk")
        .values_list("enrollment_id", "from_state", "reason")
    ):
        last_moves[enrollment_id] = (from_state, reason)

    versions = _latest_versions(user, program, round, region)
    listed_people = set()
    for version_id, person_id, code, proposal_code in AgreedEntry.objects.filter(
        version_id__in=versions
    ).values_list("version_id", "person_id", "code", "proposal_code"):
        village = versions[version_id]
        for funnel in funnels(village):
            steps = funnel.steps
            steps["agreed"].count += 1
            if code and (code in REGISTRY_CODES or code.startswith("nik_")):
                steps["registered"].drop("nik_invalid" if code.startswith("nik_") else code)
                continue
            steps["registered"].count += 1
            if code:
                steps["eligible"].drop(code)
                continue
            steps["eligible"].count += 1
            if person_id not in latest:
                steps["proposed"].drop(proposal_code or "not_proposed")
        if not code and person_id is not None:
            listed_people.add(person_id)

    for person_id, (pk, _person, village, state, end_cause, coverage_end) in latest.items():
        from_state, reason = last_moves.get(pk, ("", ""))
        for funnel in funnels(village):
            steps = funnel.steps
            steps["proposed"].count += 1
            if person_id not in listed_people:
                funnel.not_on_list += 1
            if state == State.PROPOSED:
                steps["verified"].drop("awaiting_verification")
            elif state in (State.REJECTED, State.WITHDRAWN):
                withdrawn = state == State.WITHDRAWN
                if from_state in ("", State.PROPOSED):
                    steps["verified"].drop(
                        "withdrawn" if withdrawn else "rejected_by_regency", reason
                    )
                    continue
                steps["verified"].count += 1
                if from_state == State.VERIFIED:
                    code = "withdrawn" if withdrawn else "rejected_by_regency"
                else:  # refused in the insurer's answer to a submission
                    code = "withdrawn" if withdrawn else "refused_by_insurer"
                steps["accepted"].drop(code, reason)
            elif state in (State.VERIFIED, State.SUBMITTED):
                steps["verified"].count += 1
                steps["accepted"].drop("awaiting_insurer")
            else:
                steps["verified"].count += 1
                steps["accepted"].count += 1
                if state == State.ACTIVE and (coverage_end is None or coverage_end >= today):
                    steps["active"].count += 1
                else:
                    steps["active"].drop(end_cause or "sponsorship_ended")

    names = dict(Region.objects.filter(code__in=list(groups)).values_list("code", "name"))
    for code, funnel in groups.items():
        funnel.name = names.get(code, code)
    return FunnelReport(
        program=program,
        round=round,
        by=by,
        total=total,
        groups=[groups[k] for k in sorted(groups)],
    )


def combined(funnels: list[Funnel], code: str, name: str) -> Funnel:
    """The sum of several programs' funnels (a dashboard's region): counts and drop-outs
    added step by step."""
    total = Funnel(code, name)
    for funnel in funnels:
        total.not_on_list += funnel.not_on_list
        for key in STEPS:
            step, into = funnel.steps[key], total.steps[key]
            into.count += step.count
            for code_, drop in step.drops.items():
                kept = into.drops.setdefault(code_, Drop(code_))
                kept.count += drop.count
                kept.reasons.update(drop.reasons)
    return total
