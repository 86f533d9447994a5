"""The formal-coverage part of a dashboard (``coverage.formal``): its tables, shown on the
page (``dashboards/_formal.html``), in the XLSX and in the PDF, and its charts."""

from django.utils.translation import gettext as _

from lindung.coverage import formal
from lindung.coverage.formal import FormalFigures, FormalGroup
from lindung.dashboards import charts
from lindung.dashboards.tables import COUNT, RATE, STATUS, Column, Table
from lindung.formatting import number, percent

KEYS = ("formal", "formal_corong", "formal_sektor", "formal_skala", "formal_wilayah", "formal_tren")


def _workforce_text(workforce) -> str:
    if workforce is None:
        return _("belum ada angka angkatan kerja formal")
    return _("%(count)s: %(definition)s %(year)s; sumber: %(source)s") % {
        "count": number(workforce.count),
        "definition": workforce.definition_label,
        "year": workforce.year,
        "source": workforce.source,
    }


def segments_table(figures: FormalFigures) -> Table:
    table = Table(
        "formal",
        _("Cakupan formal dan informal berdampingan"),
        [
            Column(_("Segmen")),
            Column(_("Terlindungi"), COUNT),
            Column(_("Penyebut: angkatan kerja segmen (definisi, tahun, sumber)")),
            Column(_("Tingkat cakupan"), RATE),
            Column(_("Target")),
            Column(_("Capaian target (%)"), COUNT),
            Column(_("Status"), STATUS),
            Column(_("Yang dihitung")),
        ],
        note=_(
            "Formal: pekerja penerima upah (PU) yang terdaftar BPJS Ketenagakerjaan menurut "
            "angka terbaru tiap pemberi kerja di registri, dihitung sejak tanggal angkanya. "
            "Dengan penyebut jumlah pekerja pada pemberi kerja di registri: %(rate)s."
        )
        % {"rate": percent(figures.region.employer_rate_bp) or "–"},
    )
    for row in formal.side_by_side(figures):
        progress = row["target"]
        target = ""
        if progress is not None:
            value = progress.target.value
            target = percent(value) if progress.is_rate else number(value)
        table.rows.append(
            [
                row["segment"],
                row["covered"],
                _workforce_text(row["workforce"]),
                row["rate_bp"],
                target,
                progress.achievement if progress else None,
                progress.status if progress else "none",
                str(row["how"]),
            ]
        )
    return table


def funnel_table(figures: FormalFigures) -> Table:
    region = figures.region
    table = Table(
        "formal_corong",
        _("Corong penjangkauan pemberi kerja"),
        [Column(_("Tahap")), Column(_("Jumlah"), COUNT)],
        note=_(
            "Dijangkau: pemberi kerja yang pernah menerima tindakan penjangkauan sampai tanggal "
            "ini (undangan sosialisasi yang tidak dihadiri tidak dihitung)."
        ),
    )
    table.rows = [
        [_("Pemberi kerja di registri"), region.employers],
        [_("Dijangkau (sosialisasi, surat, kunjungan, …)"), region.reached],
        [_("Dijangkau dan terdaftar BPJS (penuh atau sebagian)"), region.reached_registered],
        [_("Pekerja terdaftar pada pemberi kerja yang dijangkau"), region.reached_workers],
    ]
    return table


def _groups_table(key: str, title: str, label: str, groups: list[FormalGroup], note="") -> Table:
    table = Table(
        key,
        title,
        [
            Column(label),
            Column(_("Pemberi kerja"), COUNT),
            Column(_("Terdaftar (penuh/sebagian)"), COUNT),
            Column(_("Jumlah pekerja"), COUNT),
            Column(_("Pekerja terdaftar (PU)"), COUNT),
            Column(_("Cakupan dari jumlah pekerja"), RATE),
        ],
        note=note,
    )
    for group in groups:
        table.rows.append(
            [
                group.label,
                group.employers,
                group.registered_employers,
                group.total_workers,
                group.registered_workers,
                group.employer_rate_bp,
            ]
        )
    return table


def regions_table(figures: FormalFigures) -> Table:
    table = Table(
        "formal_wilayah",
        _("Cakupan formal menurut wilayah"),
        [
            Column(_("Wilayah")),
            Column(_("Pekerja terdaftar (PU)"), COUNT),
            Column(_("Angkatan kerja formal")),
            Column(_("Cakupan formal"), RATE),
            Column(_("Jumlah pekerja di registri"), COUNT),
            Column(_("Cakupan dari jumlah pekerja"), RATE),
        ],
        note=_("Tiap wilayah dengan angka angkatan kerja formalnya sendiri."),
    )
    for group in figures.children:
        table.rows.append(
            [
                group.label,
                group.registered_workers,
                _workforce_text(group.workforce),
                group.rate_bp,
                group.total_workers,
                group.employer_rate_bp,
            ]
        )
    return table


def trend_table(figures: FormalFigures) -> Table:
    table = Table(
        "formal_tren",
        _("Tren bulanan cakupan formal"),
        [
            Column(_("Bulan")),
            Column(_("Pekerja terdaftar (PU)"), COUNT),
            Column(_("Cakupan formal"), RATE),
            Column(_("Pemberi kerja dijangkau"), COUNT),
        ],
        note=_(
            "Tiap pemberi kerja dihitung dengan angka terbarunya sejak tanggal angka itu; "
            "angka sebelumnya ada di riwayatnya."
        ),
    )
    for point in figures.trend:
        table.rows.append(
            [f"{point.month:%m/%Y}", point.registered_workers, point.rate_bp, point.reached]
        )
    return table


def formal_tables(figures: FormalFigures) -> dict[str, Table]:
    """The formal part's tables by key, in page order (they join the dashboard's own for
    the XLSX and the PDF)."""
    denominator = _("Penyebut per sektor dan skala: %(what)s.") % {
        "what": formal.EMPLOYERS_DENOMINATOR
    }
    tables = [
        segments_table(figures),
        funnel_table(figures),
        _groups_table(
            "formal_sektor",
            _("Cakupan formal menurut sektor (KBLI 2020)"),
            _("Kategori KBLI"),
            figures.by_sector,
            denominator,
        ),
        _groups_table(
            "formal_skala",
            _("Cakupan formal menurut skala usaha"),
            _("Skala usaha"),
            figures.by_size,
            denominator,
        ),
    ]
    if figures.children:
        tables.append(regions_table(figures))
    tables.append(trend_table(figures))
    return {t.key: t for t in tables}


def funnel_chart(figures: FormalFigures):
    region = figures.region
    bars = [
        charts.Bar(str(label), value, number(value))
        for label, value in (
            (_("Pemberi kerja"), region.employers),
            (_("Dijangkau"), region.reached),
            (_("Dijangkau dan terdaftar"), region.reached_registered),
        )
    ]
    return charts.hbars(bars, _("Corong penjangkauan pemberi kerja"), empty=_("Belum ada data."))


def trend_chart(figures: FormalFigures):
    points = figures.trend
    return charts.lines(
        [f"{p.month:%m/%y}" for p in points],
        [
            (_("Pekerja terdaftar (PU)"), [p.registered_workers for p in points]),
            (_("Pemberi kerja dijangkau"), [p.reached for p in points]),
        ],
        _("Tren bulanan cakupan formal"),
    )


def segments_chart(figures: FormalFigures):
    """Formal and informal coverage rates side by side, each with its target's tick."""
    bars = []
    for row in formal.side_by_side(figures):
        progress = row["target"]
        rate = row["rate_bp"]
        target = progress.target.value / 100 if progress is not None and progress.is_rate else None
        bars.append(
            charts.Bar(
                row["segment"],
                (rate or 0) / 100,
                percent(rate) if rate is not None else _("tanpa angka angkatan kerja"),
                target,
                percent(progress.target.value) if target is not None else "",
                progress.status if progress is not None else "",
            )
        )
    return charts.hbars(bars, _("Tingkat cakupan per segmen"), empty=_("Belum ada data."))


def formal_charts(figures: FormalFigures) -> dict:
    return {
        "formal": segments_chart(figures),
        "formal_corong": funnel_chart(figures),
        "formal_tren": trend_chart(figures),
    }
