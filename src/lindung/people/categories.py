"""Participant categories: stable codes, Indonesian labels, and a forgiving parser."""

from functools import cache

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    PERANGKAT_DESA = "perangkat_desa", _("Perangkat desa")
    KADER_DESA = "kader_desa", _("Kader desa")
    PEKERJA_SOSIAL = "pekerja_sosial", _("Pekerja sosial desa (mis. kader posyandu)")
    PEKERJA_RENTAN = "pekerja_rentan", _("Pekerja rentan")
    PETUGAS_PARKIR = "petugas_parkir", _("Petugas parkir")
    INFORMAL_LAIN = "informal_lain", _("Pekerja informal lainnya")


# The Indonesian names people write in files, besides the codes and the labels above.
_ALIASES = {
    "perangkat desa": Category.PERANGKAT_DESA,
    "kader desa": Category.KADER_DESA,
    "kader": Category.KADER_DESA,
    "pekerja sosial": Category.PEKERJA_SOSIAL,
    "pekerja sosial desa": Category.PEKERJA_SOSIAL,
    "kader posyandu": Category.PEKERJA_SOSIAL,
    "pekerja rentan": Category.PEKERJA_RENTAN,
    "petugas parkir": Category.PETUGAS_PARKIR,
    "juru parkir": Category.PETUGAS_PARKIR,
    "pekerja informal lainnya": Category.INFORMAL_LAIN,
    "pekerja informal lain": Category.INFORMAL_LAIN,
    "informal lain": Category.INFORMAL_LAIN,
    "informal lainnya": Category.INFORMAL_LAIN,
}


def _key(value: str) -> str:
    return " ".join(str(value).replace("_", " ").replace("-", " ").lower().split())


@cache
def _lookup() -> dict[str, str]:
    table = {_key(code): code for code in Category.values}
    with translation.override("id"):
        table |= {_key(str(label)): code for code, label in Category.choices}
    return table | {_key(alias): code.value for alias, code in _ALIASES.items()}


def parse_category(value) -> str | None:
    """The category code for a code or an Indonesian label in any case; ``None`` if unknown."""
    if value is None:
        return None
    return _lookup().get(_key(value))
