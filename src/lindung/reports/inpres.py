"""The six-monthly Inpres 2/2021 report of a regency or province, and the award dossier.

Every figure is read from the data through the selectors of the apps that own it (the
coverage indicators, billing's realisation, the claims register, the programs' legal
basis) and carries its source. A figure whose source data is missing is a
:class:`Figure` with ``missing`` set: the report says so, it never prints 0 for it.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from lindung.billing.models import Payment, RunBill
from lindung.claims.models import Claim, Kind
from lindung.claims.models import Status as ClaimStatus
from lindung.coverage import indicators, summary
from lindung.employers.models import Action, Compliance, Employer
from lindung.formatting import number, rupiah, tanggal
from lindung.programs.models import Funder, LegalDocument, Program
from lindung.refusals import Refusal
from lindung.regions.codes import ancestors, level_of
from lindung.regions.models import Region

MESSAGES = {
    "half_invalid": _lazy(
        "Semester ditulis YYYY-1 (Januari–Juni) atau YYYY-2 (Juli–Desember), mis. 2026-1."
    ),
    "half_in_future": _lazy("Semester %(half)s belum dimulai."),
    "region_invalid": _lazy(
        "Laporan dibuat untuk provinsi atau kabupaten/kota yang ada: tulis kode seperti 51 "
        "atau 51.04."
    ),
}


class ReportRefused(Refusal):
    messages = MESSAGES


@dataclass
class Figure:
    label: str
    value: int | None = None
    kind: str = "count"  # count | rupiah | percent (basis points) | text
    source: str = ""
    missing: str = ""  # why the figure cannot be given
    text: str = ""

    @property
    def shown(self) -> str:
        if self.missing:
            return _("tidak tersedia: %(why)s") % {"why": self.missing}
        if self.kind == "text":
            return self.text
        if self.kind == "rupiah":
            return rupiah(self.value)
        if self.kind == "percent":
            return f"{self.value / 100:.2f}%".replace(".", ",")
        return number(self.value)

    def as_dict(self) -> dict:
        return {"label": self.label, "value": None if self.missing else self.value,
                "kind": self.kind, "text": self.text, "source": self.source,
                "missing": self.missing or None}  # fmt: skip


@dataclass
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)  # a table of the section, if any
    note: str = ""


@dataclass
class Report:
    kind: str  # inpres | award
    region: Region
    half: str
    start: dt.date
    end: dt.date
    as_of: dt.date
    sections: list[Section]

    @property
    def title(self) -> str:
        if self.kind == "award":
            return _("Dokumen penilaian Paritrana %(region)s, semester %(half)s") % {
                "region": self.region.display_name, "half": self.half_label}  # fmt: skip
        return _("Laporan pelaksanaan Inpres 2/2021 %(region)s, semester %(half)s") % {
            "region": self.region.display_name, "half": self.half_label}  # fmt: skip

    @property
    def half_label(self) -> str:
        year, n = self.half.split("-")
        return ("I" if n == "1" else "II") + f" {year}"

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "region": self.region.code,
            "region_name": self.region.display_name,
            "half": self.half,
            "start": self.start,
            "end": self.end,
            "as_of": self.as_of,
            "title": self.title,
            "sections": [
                {
                    "key": s.key,
                    "title": s.title,
                    "figures": [f.as_dict() for f in s.figures],
                    "header": s.header,
                    "rows": [[_plain(v) for v in r] for r in s.rows],
                    "note": s.note,
                }  # fmt: skip
                for s in self.sections
            ],
        }


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def parse_half(text: str, today: dt.date) -> tuple[str, dt.date, dt.date]:
    text = str(text or "").strip()
    year, sep, n = text.partition("-")
    if not (sep and year.isdigit() and len(year) == 4 and n in ("1", "2")):
        raise ReportRefused("half_invalid")
    start = dt.date(int(year), 1 if n == "1" else 7, 1)
    end = dt.date(int(year), 6, 30) if n == "1" else dt.date(int(year), 12, 31)
    if start > today:
        raise ReportRefused("half_in_future", half=text)
    return text, start, end


def previous_half(today: dt.date) -> str:
    """The default: the half-year in progress (its figures up to today)."""
    return f"{today.year}-{1 if today.month <= 6 else 2}"


def _programs(code: str):
    """Programs of the region: its own, those of regions inside it, and (for a regency)
    the province's programs whose area contains it."""
    return Program.objects.filter(
        Q(area_id=code) | Q(area__code__startswith=f"{code}.") | Q(area_id__in=ancestors(code))
    )


def _in_region(code: str) -> Q:
    return Q(regency_code=code) if level_of(code) == 2 else Q(province_code=code)


# --- the sections ------------------------------------------------------------------------


def regulations(code: str, end: dt.date) -> Section:
    section = Section("regulasi", _("Regulasi yang berlaku (dasar hukum program)"),
                      header=[_("Nomor"), _("Judul"), _("Tanggal")])  # fmt: skip
    documents = (
        LegalDocument.objects.filter(programs__in=_programs(code), issued_on__lte=end)
        .distinct()
        .order_by("issued_on", "number")
    )
    section.rows = [[d.number, d.title, d.issued_on] for d in documents]
    section.figures.append(
        Figure(_("Regulasi tercatat"), len(section.rows), source=_("dasar hukum program"))
        if section.rows
        else Figure(
            _("Regulasi tercatat"),
            missing=_("belum ada dasar hukum dilampirkan pada program wilayah ini"),
        )  # fmt: skip
    )
    return section


def _billed_and_paid(program_ids: list[int], as_of: dt.date) -> tuple[dict, dict]:
    """Billed and paid per program at the end of ``as_of``, with billing's definitions
    (``billing.selectors.realisation``: billed = what runs finished by then added, paid =
    payments dated up to then), in two grouped queries for all the programs at once."""
    end = timezone.make_aware(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time()))
    billed = dict(
        RunBill.objects.filter(bill__program_id__in=program_ids, run__finished_at__lt=end)
        .values_list("bill__program_id").annotate(s=Sum("amount")).order_by()
    )  # fmt: skip
    paid = dict(
        Payment.objects.filter(bill__program_id__in=program_ids, paid_on__lte=as_of)
        .values_list("bill__program_id").annotate(s=Sum("amount")).order_by()
    )  # fmt: skip
    return billed, paid


def budgets(code: str, start: dt.date, end: dt.date, as_of: dt.date) -> Section:
    section = Section("anggaran", _("Anggaran per sumber dana (direncanakan dan direalisasikan)"),
                      header=[_("Sumber dana"), _("Program"), _("Pagu"), _("Ditagih"),
                              _("Dibayar")])  # fmt: skip
    programs = list(_programs(code).filter(year__in={start.year, end.year}))
    if not programs:
        section.figures.append(Figure(_("Anggaran"), missing=_(
            "tidak ada program tahun %(year)s di wilayah ini") % {"year": start.year}))  # fmt: skip
        return section
    billed, paid = _billed_and_paid([p.pk for p in programs], as_of)
    per_funder: dict[str, list[int]] = {}
    for program in programs:
        row = per_funder.setdefault(program.funder, [0, 0, 0, 0])
        row[0] += 1
        row[1] += program.budget or 0
        row[2] += billed.get(program.pk) or 0
        row[3] += paid.get(program.pk) or 0
    for funder in Funder.values:
        if funder in per_funder:
            n, planned, billed, paid = per_funder[funder]
            section.rows.append([str(Funder(funder).label), n, planned, billed, paid])
    total = [sum(r[i] for r in per_funder.values()) for i in range(4)]
    source = _("program dan tagihan (realisasi anggaran) per %(date)s") % {"date": tanggal(as_of)}
    section.figures += [
        Figure(_("Pagu anggaran"), total[1], "rupiah", source),
        Figure(_("Iuran ditagih"), total[2], "rupiah", source),
        Figure(_("Iuran dibayar (realisasi)"), total[3], "rupiah", source),
    ]
    return section


def coverage(
    code: str, as_of: dt.date, parts: indicators.Breakdowns | None = None
) -> tuple[Section, Section]:
    summary.ensure_fresh()
    figures = indicators.figures_for([code], as_of)[0]
    parts = parts or indicators.breakdowns(code, as_of)
    covered = Section("peserta", _("Pekerja terlindungi per segmen dan kategori"),
                      header=[_("Kategori"), _("Pekerja terlindungi")])  # fmt: skip
    source = _("registri Lindung (disponsori dan iuran mandiri) dan laporan BPJS per %(date)s")
    source %= {"date": tanggal(as_of)}
    for key in ("total", "informal", "formal"):
        segment = figures.segments[key]
        covered.figures.append(Figure(
            _("%(segment)s: terlindungi") % {"segment": segment.label}, segment.covered,
            source=source))  # fmt: skip
    covered.figures.append(Figure(_("Disponsori pemerintah/desa"), figures.total.sponsored,
                                  source=source))  # fmt: skip
    covered.figures.append(Figure(_("Melanjutkan iuran mandiri"), figures.total.self_paid,
                                  source=source))  # fmt: skip
    from lindung.people.categories import Category

    for category, n in sorted(parts.by_category.items(), key=lambda kv: -kv[1]):
        label = str(Category(category).label) if category in Category.values else category
        covered.rows.append([label, n])
    target = Section("cakupan", _("Cakupan terhadap target, dengan penyebutnya"))
    total = figures.total
    if total.workforce is None:
        why = _("angka angkatan kerja (penyebut) tahun %(year)s belum diisi")
        target.figures.append(Figure(_("Cakupan"), missing=why % {"year": as_of.year}))
    else:
        wf = total.workforce
        target.figures += [
            Figure(
                _("Penyebut: %(definition)s") % {"definition": wf.definition_label},
                wf.count,
                source=f"{wf.source} ({wf.year})",
            ),  # fmt: skip
            Figure(
                _("Cakupan"), total.rate_bp, "percent", source=_("terlindungi ÷ penyebut")
            ),  # fmt: skip
        ]
    if figures.targets:
        for progress in figures.targets:
            t = progress.target
            label = _("Target %(year)s (%(metric)s, %(segment)s)") % {
                "year": t.year, "metric": t.metric, "segment": t.segment}  # fmt: skip
            kind = "percent" if progress.is_rate else "count"
            target.figures.append(Figure(label, t.value, kind, source=_("target wilayah")))
    else:
        target.figures.append(Figure(_("Target"), missing=_("target tahun %(year)s belum diisi")
                                     % {"year": as_of.year}))  # fmt: skip
    return covered, target


def claims(code: str, start: dt.date, end: dt.date) -> Section:
    header = [_("Jenis"), _("Dilaporkan"), _("Dibayar"), _("Manfaat dibayar")]
    section = Section("manfaat", _("Klaim dan manfaat yang dibayarkan"), header=header)
    region = Claim.objects.filter(_in_region(code))
    if not region.exists():
        section.figures.append(Figure(_("Klaim"), missing=_(
            "belum ada klaim tercatat di register klaim wilayah ini")))  # fmt: skip
        return section
    reported = dict(region.filter(event_date__range=(start, end)).values_list("kind")
                    .annotate(n=Count("id")))  # fmt: skip
    paid = {
        k: (n, amount)
        for k, n, amount in region.filter(status=ClaimStatus.PAID, paid_on__range=(start, end))
        .values_list("kind").annotate(n=Count("id"), amount=Sum("amount_paid"))
    }  # fmt: skip
    for kind in Kind.values:
        n, amount = paid.get(kind, (0, 0))
        section.rows.append([str(Kind(kind).label), reported.get(kind, 0), n, amount or 0])
    source = _("register klaim (dibayar pada semester ini)")
    section.figures += [
        Figure(_("Klaim dilaporkan"), sum(reported.values()), source=source),
        Figure(_("Klaim dibayar"), sum(n for n, _a in paid.values()), source=source),
        Figure(_("Manfaat dibayar"), sum(a or 0 for _n, a in paid.values()), "rupiah", source),
        Figure(
            _("Diserahkan kepada ahli waris"),
            region.filter(handover_on__range=(start, end)).count(),
            source=source,
        ),  # fmt: skip
    ]
    return section


def agents(code: str, as_of: dt.date, parts: indicators.Breakdowns | None = None) -> Section:
    from lindung.agents.models import Agent

    section = Section("agen", _("Agen Perisai dan keberlanjutan kepesertaan"))
    in_region = Agent.objects.filter(Q(regency_id=code) | Q(regency__code__startswith=f"{code}."))
    parts = parts or indicators.breakdowns(code, as_of)
    if not in_region.exists():
        section.figures.append(Figure(_("Agen Perisai"), missing=_("belum ada agen tercatat")))
    else:
        section.figures.append(Figure(_("Agen Perisai"), in_region.count(),
                                      source=_("daftar agen")))  # fmt: skip
    for months, (ended, kept) in sorted(parts.retention.items()):
        label = _("Masih terlindungi %(k)s bulan setelah sponsor berakhir") % {"k": months}
        if not ended:
            section.figures.append(Figure(label, missing=_("belum ada sponsor yang berakhir")))
        else:
            section.figures.append(Figure(label, indicators.rate_bp(kept, ended), "percent",
                                          source=_("%(kept)s dari %(ended)s pekerja") % {
                                              "kept": kept, "ended": ended}))  # fmt: skip
    return section


def employers(code: str, start: dt.date, end: dt.date) -> Section:
    """The formal side from the employer registry: employers by compliance, their workers
    and those registered with the insurer (as last reported), and those the office reached
    in the half-year (an outreach action dated in it)."""
    section = Section("pemberi_kerja", _("Pemberi kerja yang dijangkau"))
    in_region = Employer.objects.filter(_in_region(code))
    if not in_region.exists():
        section.figures.append(Figure(_("Pemberi kerja tercatat"), missing=_(
            "belum ada pemberi kerja tercatat di wilayah ini")))  # fmt: skip
        return section
    source = _("registri pemberi kerja (WLKP, daftar BPJS, kunjungan)")
    by_status = dict(in_region.values_list("compliance").annotate(n=Count("id")).order_by())
    totals = in_region.exclude(compliance=Compliance.CLOSED).aggregate(
        workers=Sum("total_workers"), registered=Sum("registered_workers")
    )
    reached = (
        Action.objects.filter(employer__in=in_region, done_on__range=(start, end))
        .values("employer").distinct().count()
    )  # fmt: skip
    section.figures += [
        Figure(_("Pemberi kerja tercatat"), sum(by_status.values()), source=source),
        *(
            Figure(str(status.label), by_status.get(status.value, 0), source=source)
            for status in Compliance
        ),  # fmt: skip
        Figure(
            _("Pekerja pada pemberi kerja yang masih berusaha"),
            totals["workers"] or 0,
            source=source,
        ),  # fmt: skip
        Figure(
            _("Di antaranya terdaftar BPJS Ketenagakerjaan (PU)"),
            totals["registered"] or 0,
            source=source,
        ),  # fmt: skip
        Figure(
            _("Pemberi kerja yang dijangkau pada semester ini"),
            reached,
            source=_("tindakan penjangkauan tercatat"),
        ),  # fmt: skip
    ]
    return section


def region_of(code: str) -> Region:
    code = str(code or "").strip()
    region = Region.objects.filter(code=code).first()
    if region is None or level_of(code) not in (1, 2):
        raise ReportRefused("region_invalid")
    return region


def inpres(code: str, half: str, today: dt.date) -> Report:
    """The six-monthly report of ``code`` (a province or regency) for ``half``."""
    region = region_of(code)
    half, start, end = parse_half(half, today)
    as_of = min(end, today)
    summary.ensure_fresh()
    parts = indicators.breakdowns(region.code, as_of)  # read once: coverage and agents
    covered, target = coverage(region.code, as_of, parts)
    sections = [
        regulations(region.code, end),
        budgets(region.code, start, end, as_of),
        covered,
        target,
        claims(region.code, start, end),
        agents(region.code, as_of, parts),
        employers(region.code, start, end),
    ]
    return Report("inpres", region, half, start, end, as_of, sections)


def award(code: str, half: str, today: dt.date, years: int = 3) -> Report:
    """The same facts by the award's aspects, with the series of the last ``years`` years."""
    report = inpres(code, half, today)
    by_key = {s.key: s for s in report.sections}
    performance = Section("kinerja", _("Aspek kinerja: pekerja dan pemberi kerja terdaftar"))
    segments = by_key["peserta"].figures
    performance.figures = [
        Figure(
            _("Penerima upah (formal) terlindungi"), segments[2].value, source=segments[2].source
        ),
        Figure(
            _("Bukan penerima upah (informal) terlindungi"),
            segments[1].value,
            source=segments[1].source,
        ),  # fmt: skip
        *by_key["pemberi_kerja"].figures,
        *by_key["cakupan"].figures,
    ]
    policy = Section("kebijakan", _("Aspek kebijakan dan inovasi (bukti: anggaran dan manfaat)"))
    policy.figures = [*by_key["anggaran"].figures, *by_key["manfaat"].figures,
                      *by_key["agen"].figures]  # fmt: skip
    policy.header, policy.rows = by_key["anggaran"].header, by_key["anggaran"].rows
    quotes = Claim.objects.filter(_in_region(report.region.code)).exclude(testimony="")
    if quotes.exists():
        policy.note = " / ".join(f"“{c.testimony}” ({c.handover_on and tanggal(c.handover_on)})"
                                 for c in quotes.order_by("-handover_on")[:3])  # fmt: skip
    series = Section("deret", _("Deret beberapa tahun terakhir"),
                     header=[_("Tahun"), _("Terlindungi (akhir tahun)"), _("Pagu anggaran"),
                             _("Iuran dibayar"), _("Manfaat dibayar")])  # fmt: skip
    first_year = report.end.year - years + 1
    for year in range(first_year, report.end.year + 1):
        day = min(dt.date(year, 12, 31), today)
        covered = indicators.figures_for([report.region.code], day)[0].total.covered
        money = budgets(report.region.code, dt.date(year, 1, 1), dt.date(year, 12, 31), day)
        paid = claims(report.region.code, dt.date(year, 1, 1), dt.date(year, 12, 31))
        series.rows.append([
            year, covered,
            _value(money, 0), _value(money, 2),
            _value(paid, 2),
        ])  # fmt: skip
    series.note = _("Sel kosong: data sumbernya tidak ada untuk tahun itu (bukan nol).")
    sections = [by_key["regulasi"], performance, policy, series]
    return Report("award", report.region, report.half, report.start, report.end, report.as_of,
                  sections)  # fmt: skip


def _value(section: Section, index: int):
    figures = [f for f in section.figures if not f.missing]
    return figures[index].value if len(figures) > index else None
