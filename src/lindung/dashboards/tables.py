"""The tables of a dashboard, built once and shown three ways: on the page (under their
chart), in the XLSX export and in the PDF report. A cell holds a plain value; its column
says how to write it (a count, a rate in basis points, rupiah, a date, a status mark).
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from lindung.coverage import indicators
from lindung.coverage import summary as s
from lindung.coverage.indicators import STATUS_LABELS, RegionFigures, rate_bp
from lindung.coverage.selectors import breakdown_names
from lindung.formatting import number, percent, rupiah, tanggal
from lindung.programs.lifecycle import State
from lindung.programs.models import Funder
from lindung.targets.models import Segment

TEXT, COUNT, RATE, MONEY, DATE, STATUS = "text", "count", "rate", "money", "date", "status"
NUMERIC = frozenset((COUNT, RATE, MONEY))


@dataclass
class Column:
    label: str
    kind: str = TEXT


@dataclass
class Link:
    text: str
    url: str

    def __str__(self) -> str:
        return self.text


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    note: str = ""
    sheet: str = ""  # the XLSX sheet's name, when the title is too long for one (31)

    def numeric(self, index: int) -> bool:
        return self.columns[index].kind in NUMERIC


def write(value, kind: str) -> str:
    """A cell as text, Indonesian style (``12.800``, ``34,00%``, ``Rp 16.800``)."""
    if value is None or value == "":
        return "–"
    if kind == COUNT:
        return number(value)
    if kind == RATE:
        return percent(value)
    if kind == MONEY:
        return rupiah(value)
    if kind == DATE:
        return tanggal(value)
    if kind == STATUS:
        return str(STATUS_LABELS.get(value, value))
    return str(value)


def target_text(progress: indicators.TargetProgress | None) -> str:
    if progress is None:
        return ""
    if progress.is_rate:
        return percent(progress.target.value)
    return number(progress.target.value)


def actual_text(progress: indicators.TargetProgress | None) -> str:
    if progress is None or progress.actual is None:
        return ""
    return percent(progress.actual) if progress.is_rate else number(progress.actual)


def dashboard_url(code: str, day=None, *, pattern: str | None = None) -> str:
    """The dashboard of ``code``; ``pattern`` (from :func:`url_pattern`) spares a
    ``reverse()`` per row in tables of hundreds of villages."""
    pattern = pattern or url_pattern()
    url = pattern.replace("__CODE__", code or "indonesia")
    return f"{url}?tanggal={day.isoformat()}" if day else url


def url_pattern() -> str:
    return reverse("dashboards:dashboard", args=["__CODE__"])


# ---- the tables ----------------------------------------------------------------------------


def headline_table(figures: RegionFigures) -> Table:
    table = Table(
        "ringkasan",
        _("Ringkasan per segmen"),
        [
            Column(_("Segmen")),
            Column(_("Terlindungi"), COUNT),
            Column(_("Dibiayai pemerintah"), COUNT),
            Column(_("Iuran mandiri"), COUNT),
            Column(_("Di luar registri (laporan)"), COUNT),
            Column(_("Angkatan kerja"), COUNT),
            Column(_("Definisi dan sumber angkatan kerja")),
            Column(_("Cakupan"), RATE),
        ],
    )
    for key in (Segment.TOTAL, Segment.INFORMAL, Segment.FORMAL):
        segment = figures.segments[key]
        wf = segment.workforce
        source = (
            f"{wf.definition_label} {wf.year} — {wf.source}"
            + (f" ({_('jumlah formal + informal')})" if wf.derived else "")
            if wf
            else _("belum ada angka: cakupan tidak dihitung")
        )
        table.rows.append(
            [
                segment.label,
                segment.covered,
                segment.sponsored,
                segment.self_paid,
                segment.reported_count,
                wf.count if wf else None,
                source,
                segment.rate_bp,
            ]
        )
    return table


def targets_table(figures: RegionFigures) -> Table:
    table = Table(
        "target",
        _("Target dan capaian %(year)s") % {"year": figures.date.year},
        [
            Column(_("Segmen")),
            Column(_("Ukuran")),
            Column(_("Target")),
            Column(_("Capaian")),
            Column(_("% target"), COUNT),
            Column(_("Tanda"), STATUS),
            Column(_("Keterangan")),
        ],
    )
    for progress in figures.targets:
        note = progress.target.note
        if progress.inherited_from:
            note = _("target persen wilayah %(code)s") % {"code": progress.inherited_from}
        if progress.is_rate and progress.actual is None:
            note = _("tanpa angka angkatan kerja, cakupan tidak dapat diukur")
        table.rows.append(
            [
                progress.segment_label,
                progress.metric_label,
                target_text(progress),
                actual_text(progress),
                progress.achievement,
                progress.status,
                note,
            ]
        )
    return table


def trend_table(points: list[indicators.MonthPoint]) -> Table:
    table = Table(
        "tren",
        _("Tren bulanan"),
        [
            Column(_("Bulan")),
            Column(_("Dibaca per"), DATE),
            Column(_("Terlindungi"), COUNT),
            Column(_("Dibiayai pemerintah"), COUNT),
            Column(_("Iuran mandiri"), COUNT),
            Column(_("Di luar registri"), COUNT),
            Column(_("Dibiayai sejak awal tahun"), COUNT),
            Column(_("Cakupan"), RATE),
        ],
    )
    for p in points:
        table.rows.append(
            [
                f"{p.month:%m/%Y}",
                p.day,
                p.covered,
                p.sponsored,
                p.self_paid,
                p.reported,
                p.started_in_year,
                p.rate_bp,
            ]
        )
    return table


def _share_table(key: str, title: str, label: str, items: list[tuple[str, int]]) -> Table:
    total = sum(n for _label, n in items)
    table = Table(
        key,
        title,
        [Column(label), Column(_("Jumlah"), COUNT), Column(_("Bagian"), RATE)],
    )
    for name, n in items:
        table.rows.append([name, n, rate_bp(n, total)])
    return table


def breakdown_tables(parts: indicators.Breakdowns, day) -> list[Table]:
    tables = [
        _share_table(
            "pendanaan",
            _("Dibiayai menurut sumber dana"),
            _("Sumber dana"),
            [(_label(Funder, k), n) for k, n in parts.by_funder.items()],
        ),
        _share_table(
            "status",
            _("Kepesertaan menurut status"),
            _("Status"),
            [(_label(State, k), n) for k, n in parts.by_state.items()],
        ),
    ]
    tables.append(
        months_retention_table(
            "retensi", _("Tetap terlindungi setelah masa sponsor"), parts.retention
        )
    )
    return tables


def months_retention_table(key: str, title: str, retention: dict[int, tuple[int, int]]) -> Table:
    """Retention of one group (a region, an agent) 1, 3 and 6 months after the sponsored
    months, a row each."""
    table = Table(
        key,
        title,
        [
            Column(_("Sesudah masa sponsor")),
            Column(_("Selesai dibiayai"), COUNT),
            Column(_("Masih terlindungi"), COUNT),
            Column(_("Retensi"), RATE),
        ],
        note=_(
            "Semua masa sponsor yang berakhir dan sudah dapat diamati pada tanggal ini: masih "
            "terlindungi bila membayar sendiri atau dibiayai program lain pada akhir bulan ke-k."
        ),
    )
    for k, (ended, kept) in retention.items():
        table.rows.append([_("%(k)s bulan") % {"k": k}, ended, kept, rate_bp(kept, ended)])
    return table


# The breakdowns by the worker: key of their tables, the dimension, its column's label.
DIMENSIONS = (
    ("kategori", "cat"),
    ("pekerjaan", "occ"),
    ("jenis_kelamin", "sex"),
)


def dimension_tables(parts: indicators.Breakdowns, day) -> list[Table]:
    """Per category, occupation and sex: every indicator in one table (with the chart of
    the covered), then the states, the funders and the retention, one table each."""
    names = breakdown_names(parts)
    titles = {
        "cat": (_("Kategori peserta"), _("kategori peserta"), _("Kategori")),
        "occ": (_("Pekerjaan"), _("pekerjaan"), _("Pekerjaan")),
        "sex": (_("Jenis kelamin"), _("jenis kelamin"), _("Jenis kelamin")),
    }
    year = day.year
    tables = []
    for key, dim in DIMENSIONS:
        label, lower, sheet = titles[dim]
        slices = parts.by[dim]
        total = sum(part.covered for part in slices.values())
        main = Table(
            key,
            _("Indikator menurut %(dimension)s") % {"dimension": lower},
            [
                Column(label),
                Column(_("Terlindungi"), COUNT),
                Column(_("Bagian"), RATE),
                Column(_("Dibiayai pemerintah"), COUNT),
                Column(_("Iuran mandiri"), COUNT),
                Column(_("Dibiayai sejak awal %(year)s") % {"year": year}, COUNT),
                Column(_("Berakhir dalam 30 hari"), COUNT),
                Column(_("Kuota %(year)s dipakai") % {"year": year}, COUNT),
                Column(_("dari semua tempat kuota"), RATE),
                Column(_("Iuran ditagih %(year)s") % {"year": year}, MONEY),
            ],
            note=_(
                "Pekerja dalam registri (di luar registri menurut laporan BPJS tidak dapat "
                "dirinci). Tempat kuota adalah milik program, bukan kelompok: kolom kuota "
                "menghitung tempat yang dipakai kelompok ini dari semua tempat kuota program "
                "%(year)s. Iuran ditagih: baris tagihan program %(year)s untuk pekerja "
                "wilayah ini; pagu dan pembayaran tidak dapat dirinci per pekerja (lihat "
                "tabel anggaran)."
            )
            % {"year": year},
            sheet=sheet,
        )
        for value, part in slices.items():
            main.rows.append(
                [
                    names[dim].get(value, value),
                    part.covered,
                    rate_bp(part.covered, total),
                    part.sponsored,
                    part.self_paid,
                    part.started,
                    part.expiring,
                    part.quota_used,
                    rate_bp(part.quota_used, parts.quota_places),
                    part.billed,
                ]
            )
        tables.append(main)

        states = [st for st in State if any(p.by_state.get(st.value) for p in slices.values())]
        by_state = Table(
            f"{key}_status",
            _("Status kepesertaan menurut %(dimension)s") % {"dimension": lower},
            [Column(label), *(Column(str(st.label), COUNT) for st in states)],
            note=_("Semua kepesertaan pada tanggal ini, program tahun mana pun."),
            sheet=_("%(dimension)s - status") % {"dimension": sheet},
        )
        for value, part in slices.items():
            if part.by_state:
                by_state.rows.append(
                    [names[dim].get(value, value), *(part.by_state.get(st.value) for st in states)]
                )
        tables.append(by_state)

        funders = [f for f in Funder if any(p.by_funder.get(f.value) for p in slices.values())]
        by_funder = Table(
            f"{key}_dana",
            _("Dibiayai menurut sumber dana dan %(dimension)s") % {"dimension": lower},
            [Column(label), *(Column(str(f.label), COUNT) for f in funders)],
            note=_("Pekerja yang masa sponsornya berjalan pada tanggal ini."),
            sheet=_("%(dimension)s - sumber dana") % {"dimension": sheet},
        )
        for value, part in slices.items():
            if part.by_funder:
                by_funder.rows.append(
                    [names[dim].get(value, value), *(part.by_funder.get(f.value) for f in funders)]
                )
        tables.append(by_funder)

        retention = retention_table(
            f"{key}_retensi",
            _("Retensi menurut %(dimension)s") % {"dimension": lower},
            label,
            [(names[dim].get(value, value), part.retention) for value, part in slices.items()],
            sheet=_("%(dimension)s - retensi") % {"dimension": sheet},
        )
        tables.append(retention)
    return tables


def retention_table(
    key: str,
    title: str,
    label: str,
    rows: list[tuple[str, dict[int, tuple[int, int]]]],
    sheet: str = "",
) -> Table:
    """Retention 1, 3 and 6 months after the sponsored months, one row per group (a
    category, a program, an agent…) with spells ended by then; groups without any left out."""
    table = Table(
        key,
        title,
        [Column(label)],
        note=_(
            "Masa sponsor yang berakhir dan sudah dapat diamati pada tanggal ini; masih "
            "terlindungi pada akhir bulan ke-k sesudahnya."
        ),
        sheet=sheet,
    )
    for k in s.RETENTION_MONTHS:
        table.columns += [
            Column(_("Selesai dibiayai, %(k)s bln") % {"k": k}, COUNT),
            Column(_("Masih terlindungi, %(k)s bln") % {"k": k}, COUNT),
            Column(_("Retensi %(k)s bln") % {"k": k}, RATE),
        ]
    for name, months in rows:
        if not any(n for n, _kept in months.values()):
            continue
        row = [name]
        for k in s.RETENTION_MONTHS:
            ended, kept = months[k]
            row += [ended, kept, rate_bp(kept, ended)]
        table.rows.append(row)
    return table


def program_retention_table(retention: dict[str, tuple[str, dict]]) -> Table:
    """Retention per program of the region: which round's workers stayed covered."""
    return retention_table(
        "retensi_program",
        _("Retensi menurut program"),
        _("Program"),
        list(retention.values()),
        sheet=_("Program - retensi"),
    )


def agent_retention_table(retention: dict[str, tuple[str, dict]]) -> Table:
    """Retention per Perisai agent: whose workers kept paying after the sponsored months."""
    return retention_table(
        "retensi_agen",
        _("Retensi menurut agen Perisai"),
        _("Agen"),
        list(retention.values()),
        sheet=_("Agen - retensi"),
    )


def _label(choices, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def budget_table(budget) -> Table:
    table = Table(
        "anggaran",
        _("Realisasi anggaran program"),
        [
            Column(_("Program")),
            Column(_("Sumber dana")),
            Column(_("Pagu"), MONEY),
            Column(_("Iuran terikat (saat ini)"), MONEY),
            Column(_("Sisa"), MONEY),
            Column(_("Ditagih"), MONEY),
            Column(_("Dibayar"), MONEY),
        ],
        note=" ".join(
            [
                ""
                if budget.billing_available
                else _(
                    "Tagihan dan pembayaran belum tersedia di sini (modul tagihan belum terpasang)."
                ),
                _(
                    "Pagu, iuran terikat dan pembayaran tidak dirinci menurut kategori, "
                    "pekerjaan atau jenis kelamin: pagu adalah batas anggaran program, iuran "
                    "terikat penghitung program (hari ini), dan satu pembayaran melunasi "
                    "tagihan satu program (atau satu desa) untuk "
                    "banyak pekerja sekaligus, sehingga membaginya per pekerja berarti "
                    "mengarang. Iuran yang ditagih dirinci per pekerja dari baris tagihan "
                    "(tabel menurut kategori, pekerjaan dan jenis kelamin)."
                ),
            ]
        ).strip(),
    )
    for p in budget.programs:
        table.rows.append(
            [p.name, p.funder_label, p.budget, p.committed, p.remaining, p.billed, p.paid]
        )
    if len(budget.programs) > 1:
        table.rows.append(
            [
                _("Jumlah"),
                "",
                budget.budget,
                budget.committed,
                budget.budget - budget.committed,
                budget.billed,
                budget.paid,
            ]
        )
    return table


def regions_table(
    key: str, title: str, regions: list[RegionFigures], day, *, with_district: bool = False
) -> Table:
    columns = [Column(_("Wilayah"))]
    if with_district:
        columns.append(Column(_("Kecamatan")))
    columns += [
        Column(_("Terlindungi"), COUNT),
        Column(_("Dibiayai tahun ini"), COUNT),
        Column(_("Angkatan kerja"), COUNT),
        Column(_("Cakupan"), RATE),
        Column(_("Target")),
        Column(_("Capaian")),
        Column(_("% target"), COUNT),
        Column(_("Tanda"), STATUS),
    ]
    table = Table(key, title, columns)
    districts = (
        {
            r.code: r.display_name
            for r in indicators.region_names(sorted({f.code[:8] for f in regions})).values()
        }
        if with_district
        else {}
    )
    pattern = url_pattern()
    for region in regions:
        progress = region.primary_target
        row = [Link(region.name, dashboard_url(region.code, day, pattern=pattern))]
        if with_district:
            row.append(districts.get(region.code[:8], ""))
        total = region.total
        row += [
            total.covered,
            total.started,
            total.workforce.count if total.workforce else None,
            total.rate_bp,
            target_text(progress),
            actual_text(progress),
            progress.achievement if progress else None,
            region.status,
        ]
        table.rows.append(row)
    return table


def dashboard_tables(board) -> dict[str, Table]:
    """Every table of a dashboard, by key, in page order."""
    tables = [
        headline_table(board.figures),
        targets_table(board.figures),
        trend_table(board.series),
    ]
    tables += dimension_tables(board.breakdowns, board.date)
    tables += breakdown_tables(board.breakdowns, board.date)
    tables.append(program_retention_table(board.retention_by_program))
    tables.append(agent_retention_table(board.retention_by_agent))
    tables.append(budget_table(board.budget))
    level = board.level
    if level in (0, 1):
        title = _("Perbandingan provinsi") if level == 0 else _("Perbandingan kabupaten/kota")
        tables.append(regions_table("wilayah", title, board.children, board.date))
    elif level == 2:
        tables.append(regions_table("kecamatan", _("Kecamatan"), board.children, board.date))
        if board.villages:
            tables.append(villages_table(board.ranked_villages, board.date, with_district=True))
    elif level == 3:
        tables.append(villages_table(board.ranked_villages, board.date))
    return {t.key: t for t in tables}


def villages_table(villages: list[RegionFigures], day, *, with_district: bool = False) -> Table:
    """The villages of a regency or district, already ranked (furthest from target first)."""
    title = _("Desa/kelurahan, dari yang paling jauh dari target")
    return regions_table("desa", title, villages, day, with_district=with_district)
