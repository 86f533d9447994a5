"""Forms of the agent pages. They parse text; ``services`` checks it and says what is wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.agents.models import Contact, Organisation, Status

DATE_HELP = _("dd/mm/yyyy")


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis wadah"), choices=Organisation.Kind.choices)
    name = forms.CharField(label=_("Nama"), max_length=200)
    regency_code = forms.ChoiceField(label=_("Kabupaten/kota"))
    parent = forms.ModelChoiceField(
        label=_("Holding induk"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Untuk BumDes yang bernaung di bawah holding (agen korporasi)."),
    )
    bank_name = forms.CharField(label=_("Bank"), max_length=80, required=False)
    bank_account_number = forms.CharField(label=_("Nomor rekening"), max_length=30, required=False)
    bank_account_holder = forms.CharField(
        label=_("Nama pemilik rekening"), max_length=150, required=False
    )

    def __init__(self, *args, regencies, holdings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency_code"].choices = [(r.code, r.display_name) for r in regencies]
        self.fields["parent"].queryset = holdings


class AgreementForm(forms.Form):
    number = forms.CharField(label=_("Nomor perjanjian"), max_length=120)
    start_date = forms.DateField(label=_("Berlaku mulai"), help_text=DATE_HELP)
    end_date = forms.DateField(
        label=_("Berlaku sampai"), help_text=_("Paling lama 1 tahun setelah mulai.")
    )
    branch = forms.CharField(label=_("Kantor cabang BPJS"), max_length=150, required=False)
    document = forms.FileField(label=_("Berkas perjanjian (PDF)"), required=False)


class VillagesForm(forms.Form):
    villages = forms.MultipleChoiceField(
        label=_("Desa yang dilayani"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["villages"].choices = [(v.code, v.display_name) for v in villages]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)


class AgentForm(forms.Form):
    full_name = forms.CharField(label=_("Nama agen"), max_length=150)
    regency_code = forms.ChoiceField(label=_("Kabupaten/kota"))
    organisation = forms.ModelChoiceField(
        label=_("Wadah"), queryset=Organisation.objects.none(), required=False
    )
    code = forms.CharField(label=_("Kode agen BPJS"), max_length=40, required=False)
    phone = forms.CharField(label=_("Nomor HP"), max_length=20, required=False)
    user = forms.ModelChoiceField(
        label=_("Akun pengguna (peran agen)"), queryset=None, required=False
    )
    is_coordinator = forms.BooleanField(
        label=_("Koordinator wadah (melihat pekerjaan semua agen wadahnya)"), required=False
    )
    villages = forms.MultipleChoiceField(
        label=_("Desa agen"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Kosong: semua desa wadahnya."),
    )
    bank_name = forms.CharField(label=_("Bank"), max_length=80, required=False)
    bank_account_number = forms.CharField(label=_("Nomor rekening"), max_length=30, required=False)
    bank_account_holder = forms.CharField(
        label=_("Nama pemilik rekening"), max_length=150, required=False
    )

    def __init__(self, *args, regencies, organisations, users, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency_code"].choices = [(r.code, r.display_name) for r in regencies]
        self.fields["organisation"].queryset = organisations
        self.fields["user"].queryset = users
        if villages:
            self.fields["villages"].choices = [(v.code, v.display_name) for v in villages]
        else:  # several regencies to choose from: the villages are set once the agent exists
            del self.fields["villages"]


class AssignForm(forms.Form):
    """Attribute in bulk: a village's workers, or a program's ended enrollments."""

    village_code = forms.ChoiceField(label=_("Desa"), required=False)
    program = forms.ModelChoiceField(
        label=_("Program (kepesertaan yang sudah selesai)"), queryset=None, required=False
    )

    def __init__(self, *args, villages, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village_code"].choices = [("", "—")] + [
            (v.code, v.display_name) for v in villages
        ]
        self.fields["program"].queryset = programs


class ContactForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Hasil"), choices=Contact.Outcome.choices, widget=forms.RadioSelect
    )
    contacted_on = forms.DateField(label=_("Tanggal"), help_text=DATE_HELP)
    reason = forms.CharField(label=_("Alasan (wajib bila menolak)"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
