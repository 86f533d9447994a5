"""The workbook users fill in: the columns, instructions, and the allowed values.

Every cell of the data sheet is formatted as text, so Excel keeps a NIK's 16 digits and
a date as typed; sex and category get a drop-down list.
"""

import io

from django.utils.translation import gettext as _

from lindung.accounts.scope import scope_code
from lindung.imports.columns import COLUMNS
from lindung.people.categories import Category
from lindung.people.models import Occupation
from lindung.regions.models import Region
from lindung.spreadsheets import Workbook

DATA_ROWS = 5000


def template_workbook(user=None) -> bytes:
    target = io.BytesIO()
    book = Workbook(target)
    header = book.add_format({"bold": True, "bg_color": "#E7F4EE", "border": 1})
    text = book.add_format({"num_format": "@"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})

    data = book.add_worksheet(_("Pekerja"))
    for c, column in enumerate(COLUMNS):
        data.write_string(0, c, column.name, header)
        data.set_column(c, c, 20 if column.field != "full_name" else 28, text)
    data.freeze_panes(1, 0)
    sex_col = [c.field for c in COLUMNS].index("sex")
    category_col = [c.field for c in COLUMNS].index("category")
    data.data_validation(1, sex_col, DATA_ROWS, sex_col, {"validate": "list", "source": ["L", "P"]})
    data.data_validation(
        1,
        category_col,
        DATA_ROWS,
        category_col,
        {"validate": "list", "source": list(Category.values), "error_type": "warning"},
    )

    guide = book.add_worksheet(_("Petunjuk"))
    guide.set_column(0, 0, 18)
    guide.set_column(1, 1, 10)
    guide.set_column(2, 2, 70, wrap)
    guide.set_column(3, 3, 22)
    for c, title in enumerate([_("kolom"), _("wajib"), _("cara mengisi"), _("contoh")]):
        guide.write_string(0, c, title, header)
    for r, column in enumerate(COLUMNS, start=1):
        guide.write_string(r, 0, column.name)
        guide.write_string(r, 1, _("wajib") if column.required else _("boleh kosong"))
        guide.write_string(r, 2, str(column.help))
        guide.write_string(r, 3, column.example, text)
    notes = [
        _("Isi satu pekerja per baris di lembar Pekerja, mulai baris 2. Jangan ubah judul kolom."),
        _("Judul kolom boleh huruf besar/kecil, boleh dengan spasi, atau nama Inggris."),
        _("Simpan sebagai .xlsx, atau CSV dengan pemisah koma atau titik koma."),
        _("NIK yang sudah terdaftar tidak menjadi orang kedua: datanya tetap, atau diperbarui "
          "bila Anda mencentang 'Perbarui data yang sudah ada'."),
    ]  # fmt: skip
    for r, note in enumerate(notes, start=len(COLUMNS) + 2):
        guide.write_string(r, 2, str(note))

    occupations = book.add_worksheet(_("Pekerjaan"))
    occupations.set_column(0, 1, 30)
    occupations.write_row(0, 0, [_("nama"), _("kode")], header)
    for r, occupation in enumerate(Occupation.objects.filter(is_active=True), start=1):
        occupations.write_row(r, 0, [occupation.name, occupation.code])

    categories = book.add_worksheet(_("Kategori"))
    categories.set_column(0, 1, 40)
    categories.write_row(0, 0, [_("kode"), _("nama")], header)
    for r, (code, label) in enumerate(Category.choices, start=1):
        categories.write_row(r, 0, [code, str(label)])

    scope = scope_code(user)
    villages = book.add_worksheet(_("Desa"))
    villages.set_column(0, 0, 16)
    villages.set_column(1, 2, 30)
    villages.write_row(0, 0, [_("kode_desa"), _("nama"), _("kecamatan")], header)
    if scope and scope != "-":
        rows = Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=scope)
        districts = dict(
            Region.objects.filter(
                level=Region.Level.DISTRICT, code__startswith=scope[:8]
            ).values_list("code", "name")
        )
        for r, village in enumerate(rows.order_by("code"), start=1):
            villages.write_row(
                r, 0, [village.code, village.display_name, districts.get(village.code[:8], "")]
            )
    else:
        villages.write_string(
            1, 0, _("Kode desa ada di daftar Kemendagri (mis. 51.04.01.2001 Desa Batubulan).")
        )
    book.close()
    return target.getvalue()
