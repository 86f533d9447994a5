"""The dashboards' tables of claims and benefits (figures read by ``claims.figures``).

Kept apart from ``tables.py``: the claims section is its own part of the page
(``dashboards/_claims.html``), of the XLSX (one sheet per table) and of the PDF.
"""

from django.utils.translation import gettext as _

from lindung.claims.figures import ClaimRow, ClaimsFigures
from lindung.dashboards.tables import COUNT, MONEY, TEXT, Column, Table

KEYS = ("klaim_program", "klaim_dana", "klaim_desa")


def _note(figures: ClaimsFigures) -> str:
    if figures.missing:
        return _("Tidak tersedia: %(why)s.") % {"why": figures.missing}
    return _(
        "Klaim wilayah ini dengan tanggal peristiwa %(start)s–%(end)s yang sudah dilaporkan; "
        "dibayar: dibayar paling lambat %(end)s. Premi: tagihan bulan %(start_month)s–"
        "%(end_month)s untuk desa/kelurahan wilayah ini. Manfaat per Rp 1 premi = manfaat "
        "dibayar ÷ premi ditagih."
    ) % {
        "start": f"{figures.start:%d/%m/%Y}",
        "end": f"{figures.date:%d/%m/%Y}",
        "start_month": f"{figures.start:%m/%Y}",
        "end_month": f"{figures.date:%m/%Y}",
    }


def _money_columns(with_premium: bool) -> list[Column]:
    columns = [
        Column(_("Klaim dilaporkan"), COUNT),
        Column(_("Klaim dibayar"), COUNT),
        Column(_("Manfaat dibayar"), MONEY),
    ]
    if with_premium:
        columns += [Column(_("Premi ditagih"), MONEY), Column(_("Manfaat per Rp 1 premi"))]
    return columns


def _cells(row: ClaimRow, with_premium: bool) -> list:
    cells = [row.reported, row.paid, row.benefits]
    if with_premium:
        cells += [row.premium, row.ratio_text]
    return cells


def claims_tables(figures: ClaimsFigures) -> dict[str, Table]:
    """The three claims tables of a dashboard, by key; empty of rows (with a note saying
    why) when the region's claims register holds nothing."""
    note = _note(figures)
    year = figures.date.year
    programs = Table(
        "klaim_program",
        _("Klaim dan manfaat per program, %(year)s") % {"year": year},
        [Column(_("Program")), Column(_("Sumber dana"), TEXT), *_money_columns(True)],
        note=note,
        sheet=_("Klaim per program"),
    )
    funders = Table(
        "klaim_dana",
        _("Klaim dan manfaat per sumber dana, %(year)s") % {"year": year},
        [Column(_("Sumber dana")), *_money_columns(True)],
        note=note,
        sheet=_("Klaim per sumber dana"),
    )
    villages = Table(
        "klaim_desa",
        _("Klaim dan manfaat per desa/kelurahan, %(year)s") % {"year": year},
        [Column(_("Desa/kelurahan")), *_money_columns(False)],
        note=note,
        sheet=_("Klaim per desa"),
    )
    if not figures.missing:
        programs.rows = [[r.name, r.funder_label, *_cells(r, True)] for r in figures.programs]
        funders.rows = [[r.name, *_cells(r, True)] for r in figures.funders]
        villages.rows = [[r.name, *_cells(r, False)] for r in figures.villages]
        if len(figures.programs) > 1:
            programs.rows.append([figures.total.name, "", *_cells(figures.total, True)])
        if len(figures.funders) > 1:
            funders.rows.append([figures.total.name, *_cells(figures.total, True)])
    return {t.key: t for t in (programs, funders, villages)}
