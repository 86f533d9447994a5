"""Forms of the employer pages. They parse text; ``services`` checks it and says what is
wrong, so the page, the API and the import refuse the same things the same way."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.employers import kbli
from lindung.employers.models import PROGRAMS, Action, FigureSource, LegalForm
from lindung.uploads import UploadField

DATE_HELP = _("dd/mm/yyyy")


class EmployerForm(forms.Form):
    name = forms.CharField(label=_("Nama usaha"), max_length=200)
    nib = forms.CharField(
        label=_("NIB"), max_length=20, required=False, help_text=_("13 angka, dari OSS.")
    )
    npwp = forms.CharField(label=_("NPWP"), max_length=25, required=False)
    legal_form = forms.ChoiceField(label=_("Bentuk usaha"), choices=LegalForm.choices)
    sector = forms.ChoiceField(label=_("Sektor (KBLI 2020)"))
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    contact_name = forms.CharField(label=_("Narahubung"), max_length=150, required=False)
    contact_phone = forms.CharField(label=_("Telepon narahubung"), max_length=20, required=False)
    contact_email = forms.CharField(label=_("Surel narahubung"), max_length=254, required=False)
    total_workers = forms.CharField(label=_("Jumlah pekerja"), max_length=10)
    workers_male = forms.CharField(label=_("Pekerja laki-laki"), max_length=10, required=False)
    workers_female = forms.CharField(label=_("Pekerja perempuan"), max_length=10, required=False)
    workers_source = forms.ChoiceField(
        label=_("Sumber jumlah pekerja"), choices=FigureSource.choices
    )
    workers_as_of = forms.CharField(label=_("Jumlah pekerja per tanggal"), help_text=DATE_HELP)
    registered_workers = forms.CharField(
        label=_("Pekerja terdaftar BPJS (PU)"), max_length=10, initial="0"
    )
    programs = forms.MultipleChoiceField(
        label=_("Program terdaftar"),
        choices=[(p, p) for p in PROGRAMS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    npp = forms.CharField(
        label=_("NPP (nomor pendaftaran perusahaan)"), max_length=20, required=False
    )
    wage_underreported = forms.BooleanField(
        label=_("Upah dilaporkan lebih rendah dari sebenarnya"), required=False
    )
    registration_source = forms.ChoiceField(
        label=_("Sumber data kepesertaan"), choices=FigureSource.choices
    )
    registration_as_of = forms.CharField(
        label=_("Data kepesertaan per tanggal"), help_text=DATE_HELP
    )
    closed_on = forms.CharField(
        label=_("Tutup sejak"), required=False, help_text=_("Kosongkan bila masih buka.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", "—")] + kbli.choices()


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis tindakan"), choices=Action.Kind.choices)
    done_on = forms.CharField(label=_("Tanggal"), help_text=DATE_HELP)
    outcome = forms.ChoiceField(label=_("Hasil"), choices=Action.Outcome.choices)
    letter_number = forms.CharField(label=_("Nomor surat"), max_length=120, required=False)
    document = UploadField(label=_("Berkas surat (PDF)"), required=False)
    notes = forms.CharField(label=_("Catatan"), widget=forms.Textarea, required=False)
    follow_up_on = forms.CharField(
        label=_("Tindak lanjut berikutnya"), required=False, help_text=DATE_HELP
    )


class EventForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=200)
    held_on = forms.CharField(label=_("Tanggal"), help_text=DATE_HELP)
    place = forms.CharField(label=_("Tempat"), max_length=200, required=False)
    follow_up_on = forms.CharField(
        label=_("Tindak lanjut berikutnya"), required=False, help_text=DATE_HELP
    )
    invited = forms.MultipleChoiceField(
        label=_("Pemberi kerja yang diundang"), widget=forms.CheckboxSelectMultiple
    )
    attended = forms.MultipleChoiceField(
        label=_("Yang hadir"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        options = [(str(e.pk), f"{e.name} ({e.village.display_name})") for e in employers]
        self.fields["invited"].choices = options
        self.fields["attended"].choices = options


class ImportForm(forms.Form):
    file = UploadField(label=_("Berkas daftar pemberi kerja (CSV atau XLSX)"))
    source = forms.ChoiceField(label=_("Sumber daftar"), choices=FigureSource.choices)
    as_of = forms.CharField(label=_("Daftar per tanggal"), help_text=DATE_HELP)
