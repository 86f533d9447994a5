from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.programs.models import add_months
from lindung.selfpay import months as calendar
from lindung.selfpay.models import Method


def payable_months(today) -> list[tuple[str, str]]:
    """The months of the window, oldest first, as checkbox choices (``2026-11``, ``11/2026``)."""
    first = calendar.oldest_payable(today)
    count = calendar.ARREARS_MONTHS + calendar.AHEAD_MONTHS + 1
    return [
        (calendar.month_key(m), f"{m:%m/%Y}") for m in (add_months(first, i) for i in range(count))
    ]


class CollectionForm(forms.Form):
    nik = forms.CharField(label=_("NIK pekerja"), max_length=20,
                          widget=forms.TextInput(attrs={"inputmode": "numeric"}))  # fmt: skip
    months = forms.MultipleChoiceField(
        label=_("Bulan yang dibayar"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    paid_on = forms.DateField(label=_("Tanggal bayar"), input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                              help_text=_("mis. 25/11/2026"))  # fmt: skip
    method = forms.ChoiceField(label=_("Cara bayar"), choices=Method.choices)
    amount = forms.CharField(
        label=_("Jumlah diterima (Rp)"),
        max_length=20,
        required=False,
        help_text=_("Boleh kosong; bila diisi, dicocokkan dengan iuran."),
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["months"].choices = payable_months(today)
        self.fields["paid_on"].initial = f"{today:%d/%m/%Y}"
