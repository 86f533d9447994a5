"""The worker form. Its checks are :mod:`lindung.people.validation`, shared with files and API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.people import visibility
from lindung.people.categories import Category
from lindung.people.models import Occupation, Person
from lindung.people.services import WorkerInvalid

FIELD_ORDER = [
    "nik",
    "full_name",
    "sex",
    "birth_place",
    "birth_date",
    "village_code",
    "address",
    "phone",
    "occupation",
    "category",
    "declared_income",
    "segment",
    "data_source",
    "welfare_decile",
    "has_disability",
    "mother_maiden_name",
]


class WorkerForm(forms.Form):
    """Plain text values: the shared checks parse and explain, the form only carries them.

    Selects are widgets on text fields so that a code or a label typed by hand, or sent by
    an old page, gets the same explained error as in a file.
    """

    nik = forms.CharField(
        label=_("NIK"), max_length=40, required=False, help_text=_("16 angka dari KTP/KK")
    )
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=200, required=False)
    sex = forms.CharField(
        label=_("Jenis kelamin"),
        widget=forms.Select(choices=[("", "—")] + list(Person.Sex.choices)),
        required=False,
    )
    birth_place = forms.CharField(label=_("Tempat lahir"), max_length=80, required=False)
    birth_date = forms.CharField(
        label=_("Tanggal lahir"),
        max_length=20,
        required=False,
        help_text=_("hh/bb/tttt, mis. 19/02/1980"),
    )
    village_code = forms.CharField(label=_("Desa/kelurahan"), max_length=20, required=False)
    address = forms.CharField(label=_("Alamat"), max_length=255, required=False)
    phone = forms.CharField(label=_("Nomor HP"), max_length=20, required=False)
    occupation = forms.CharField(
        label=_("Pekerjaan"), max_length=80, required=False, help_text=_("pilih atau ketik")
    )
    category = forms.CharField(
        label=_("Kategori peserta"),
        widget=forms.Select(choices=[("", "—")] + list(Category.choices)),
        required=False,
    )
    declared_income = forms.CharField(
        label=_("Penghasilan sebulan (Rp)"),
        max_length=20,
        required=False,
        help_text=_("rupiah bulat, mis. 1000000"),
    )
    segment = forms.CharField(
        label=_("Segmen"),
        widget=forms.Select(choices=Person.Segment.choices),
        initial=Person.Segment.BPU,
        required=False,
    )
    data_source = forms.CharField(
        label=_("Sumber data"),
        max_length=60,
        required=False,
        help_text=_("mis. musyawarah desa, DTSEN"),
    )
    welfare_decile = forms.CharField(
        label=_("Desil DTSEN"), max_length=2, required=False, help_text=_("1–10, boleh kosong")
    )
    has_disability = forms.BooleanField(label=_("Penyandang disabilitas"), required=False)
    mother_maiden_name = forms.CharField(
        label=_("Nama ibu kandung"),
        max_length=150,
        required=False,
        help_text=_("untuk verifikasi BPJS; dirahasiakan"),
    )

    def __init__(self, *args, user=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occupation"].widget.attrs["list"] = "occupations"  # suggestions, not a rule
        if editing:  # an agent may correct a worker's data but not read or guess the NIK
            for name in visibility.refused_changes(user, self.fields):
                del self.fields[name]

    def occupation_names(self) -> list[str]:
        return list(Occupation.objects.filter(is_active=True).values_list("name", flat=True))

    def add_problems(self, error: WorkerInvalid) -> None:
        """Show the shared checks' problems on their fields."""
        for problem in error.problems:
            name = problem.field if problem.field in self.fields else None
            self.add_error(name, forms.ValidationError(problem.message, code=problem.code))
