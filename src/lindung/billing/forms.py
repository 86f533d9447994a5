"""Forms of the billing pages. They carry text; services and selectors check it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.contributions.models import Payer, RiskClass, Segment
from lindung.uploads import UploadField

DATE_HELP = _("mis. 19/02/2024")


class RunForm(forms.Form):
    month = forms.CharField(
        label=_("Bulan tagihan"), max_length=10, help_text=_("mis. 01/2024 atau 2024-01")
    )


class PaymentForm(forms.Form):
    paid_on = forms.CharField(label=_("Tanggal bayar"), max_length=10, help_text=DATE_HELP)
    amount = forms.CharField(label=_("Jumlah (Rp)"), max_length=24, help_text=_("mis. 84.000"))
    reference = forms.CharField(
        label=_("Referensi"),
        max_length=100,
        help_text=_("Nomor bukti transfer, SP2D atau kode bayar BPJS"),
    )
    proof = forms.FileField(label=_("Bukti bayar (PDF/JPG/PNG)"), required=False)


class ImportForm(forms.Form):
    file = UploadField(
        label=_("Berkas konfirmasi pembayaran BPJS (CSV atau XLSX)"),
        help_text=_("Kolom: nomor_tagihan, tanggal_bayar, jumlah, referensi"),
    )


class AsOfForm(forms.Form):
    tanggal = forms.CharField(label=_("Keadaan per tanggal"), max_length=10, required=False,
                              help_text=DATE_HELP)  # fmt: skip


PLANNER_MODES = [
    ("region", _("Per wilayah: pekerja per desa")),
    ("workers", _("Jumlah pekerja → anggaran")),
    ("budget", _("Anggaran → jumlah pekerja")),
    ("target", _("Target cakupan → anggaran")),
    ("program", _("Dari program yang ada")),
]


class PlannerForm(forms.Form):
    mode = forms.ChoiceField(label=_("Hitung"), choices=PLANNER_MODES, initial="region")
    region = forms.CharField(label=_("Wilayah (kode)"), max_length=13, required=False,
                             help_text=_("mis. 51.04 untuk Kab. Gianyar"))  # fmt: skip
    program = forms.CharField(label=_("Program"), required=False)
    per_village = forms.CharField(label=_("Pekerja per desa per putaran"), required=False,
                                  initial="100")  # fmt: skip
    rounds = forms.CharField(label=_("Putaran per tahun"), required=False, initial="2")
    include_kelurahan = forms.BooleanField(label=_("Kelurahan ikut"), required=False)
    workers = forms.CharField(label=_("Jumlah pekerja"), required=False)
    budget = forms.CharField(label=_("Anggaran (Rp)"), required=False)
    workforce = forms.CharField(label=_("Jumlah tenaga kerja (penyebut)"), required=False)
    target = forms.CharField(label=_("Target cakupan (%)"), required=False)
    covered = forms.CharField(label=_("Sudah terlindungi"), required=False)
    months = forms.CharField(label=_("Bulan dibiayai"), initial="6")
    start = forms.CharField(label=_("Bulan mulai"), initial="01/2024", help_text=_("mis. 01/2024"))
    includes_jht = forms.BooleanField(label=_("Termasuk JHT"), required=False)
    income = forms.CharField(label=_("Dasar penghasilan (Rp)"), initial="1000000")
    payer = forms.ChoiceField(label=_("Pembayar"), choices=Payer.choices, initial=Payer.APBD)


class QuoteForm(forms.Form):
    segment = forms.ChoiceField(label=_("Segmen"), choices=Segment.choices, initial=Segment.BPU)
    programs = forms.MultipleChoiceField(
        label=_("Program"),
        choices=[(p, p) for p in ("JKK", "JKM", "JHT", "JP", "JKP")],
        initial=["JKK", "JKM"],
        widget=forms.CheckboxSelectMultiple,
    )
    income = forms.CharField(label=_("Penghasilan / upah sebulan (Rp)"), initial="1000000")
    risk_class = forms.TypedChoiceField(
        label=_("Kelompok risiko (PU)"),
        choices=[("", "—"), *RiskClass.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    month = forms.CharField(label=_("Bulan iuran"), initial="01/2024")
    payer = forms.ChoiceField(label=_("Pembayar"), choices=Payer.choices, initial=Payer.SELF)
    transport = forms.BooleanField(label=_("Pekerja transportasi"), required=False)
