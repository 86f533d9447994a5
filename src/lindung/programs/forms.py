"""Forms of the program pages. They carry text; ``services`` checks it and explains problems."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.people.categories import Category
from lindung.programs.models import Funder, FundingCode

# Fields every program form shows, in order; the edit form keeps those still editable.
PROGRAM_FIELDS = [
    "name",
    "year",
    "area_code",
    "funder",
    "funder_name",
    "funding_code",
    "budget",
    "village_budget",
    "income_basis",
    "includes_jht",
    "sponsored_months",
    "rounds",
    "quota_per_village",
    "include_kelurahan",
    "eligible_categories",
    "min_age",
    "max_age",
    "target_workers",
    "favoured_decile_max",
    "others_fill_remaining",
    "notes",
]


class ProgramForm(forms.Form):
    name = forms.CharField(
        label=_("Nama program"),
        max_length=200,
        required=False,
        help_text=_("mis. Perlindungan Pekerja Rentan Gianyar 2024"),
    )
    year = forms.CharField(label=_("Tahun"), max_length=4, required=False)
    area_code = forms.CharField(label=_("Wilayah program"), max_length=13, required=False)
    funder = forms.CharField(
        label=_("Sumber dana"),
        widget=forms.Select(choices=[("", "—")] + list(Funder.choices)),
        required=False,
    )
    funder_name = forms.CharField(
        label=_("Nama pemberi dana"),
        max_length=150,
        required=False,
        help_text=_("mis. Pemerintah Kabupaten Gianyar"),
    )
    funding_code = forms.CharField(
        label=_("Kode pendanaan BPJS"),
        widget=forms.Select(
            choices=[("", _("otomatis dari sumber dana"))] + list(FundingCode.choices)
        ),
        required=False,
    )
    budget = forms.CharField(
        label=_("Pagu anggaran (Rp)"),
        max_length=30,
        required=False,
        help_text=_("rupiah bulat, mis. 1.290.240.000"),
    )
    village_budget = forms.CharField(
        label=_("Anggaran per desa (Rp, APBDes)"),
        max_length=30,
        required=False,
        help_text=_("hanya untuk APBDes: pagu tiap desa; pagu program = jumlahnya"),
    )
    income_basis = forms.CharField(
        label=_("Dasar penghasilan iuran (Rp)"),
        max_length=30,
        required=False,
        initial="1.000.000",
        help_text=_("golongan terendah Rp 1.000.000; kosong = penghasilan pekerja"),
    )
    includes_jht = forms.BooleanField(label=_("Termasuk JHT (selain JKK + JKM)"), required=False)
    sponsored_months = forms.CharField(
        label=_("Bulan dibiayai"), max_length=3, required=False, initial="6"
    )
    rounds = forms.CharField(
        label=_("Bulan mulai tiap putaran"),
        max_length=200,
        required=False,
        help_text=_("bb/tttt dipisah koma, mis. 01/2024, 07/2024"),
    )
    quota_per_village = forms.CharField(
        label=_("Kuota per desa per putaran"), max_length=6, required=False, initial="100"
    )
    include_kelurahan = forms.BooleanField(label=_("Kelurahan ikut"), required=False)
    eligible_categories = forms.MultipleChoiceField(
        label=_("Kategori sasaran"),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=list(Category.values),
    )
    min_age = forms.CharField(label=_("Umur minimal"), max_length=3, required=False, initial="18")
    max_age = forms.CharField(label=_("Umur maksimal"), max_length=3, required=False, initial="65")
    target_workers = forms.CharField(
        label=_("Target pekerja"),
        max_length=12,
        required=False,
        help_text=_("mis. 2829; kosong: kuota × desa × putaran"),
    )
    favoured_decile_max = forms.CharField(
        label=_("Desil DTSEN diutamakan sampai"),
        max_length=5,
        required=False,
        help_text=_("mis. 4 (desil 1–4 diutamakan); kosong: tanpa prioritas desil"),
    )
    others_fill_remaining = forms.BooleanField(
        label=_("Desil lain boleh mengisi sisa tempat"), required=False, initial=True
    )
    notes = forms.CharField(
        label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, editable: set[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if editable is not None:
            for name in list(self.fields):
                if name not in editable:
                    del self.fields[name]

    def add_problems(self, error) -> None:
        for problem in error.problems:
            name = problem.field if problem.field in self.fields else None
            self.add_error(name, forms.ValidationError(problem.message, code=problem.code))


class LegalDocumentForm(forms.Form):
    number = forms.CharField(label=_("Nomor peraturan"), max_length=120, required=False)
    title = forms.CharField(label=_("Judul"), max_length=400, required=False)
    issued_on = forms.CharField(
        label=_("Tanggal"), max_length=20, required=False, help_text=_("mis. 28/05/2024")
    )
    pdf = forms.FileField(label=_("Berkas PDF"), required=False)


class QuotaForm(forms.Form):
    village_code = forms.CharField(label=_("Desa"), max_length=13)
    quota = forms.CharField(label=_("Kuota per putaran"), max_length=6)
    budget = forms.CharField(label=_("Anggaran desa (Rp)"), max_length=30, required=False)
