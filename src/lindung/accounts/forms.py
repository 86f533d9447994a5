from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.accounts.models import Role


class UserForm(forms.Form):
    username = forms.CharField(label=_("Nama pengguna"), max_length=150, required=False)
    first_name = forms.CharField(label=_("Nama depan"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nama belakang"), max_length=150, required=False)
    role = forms.CharField(label=_("Peran"), required=False)
    region = forms.CharField(label=_("Wilayah kerja"), max_length=20, required=False)
    password = forms.CharField(
        label=_("Kata sandi"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Minimal 8 karakter; kosongkan bila tidak diganti."),
    )
    is_active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    def __init__(self, *args, actor, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].widget = forms.Select(
            choices=[(r, Role(r).label) for r in actor.manageable_roles]
        )
        if editing:
            self.fields["username"].disabled = True

    def add_problems(self, problems: dict[str, str]) -> None:
        for field, message in problems.items():
            self.add_error(None if field == "__all__" else field, message)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Untuk apa token ini"),
        max_length=100,
        required=False,
        help_text=_("mis. skrip impor harian kantor desa"),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode 6 angka dari aplikasi autentikator"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
