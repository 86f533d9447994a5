"""Administrative regions (wilayah): province, regency/city, district, village."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lindung.regions.fields import RegionCodeField


class Region(models.Model):
    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Provinsi")
        REGENCY = 2, _("Kabupaten/Kota")
        DISTRICT = 3, _("Kecamatan")
        VILLAGE = 4, _("Desa/Kelurahan")

    class Kind(models.TextChoices):
        PROVINCE = "provinsi", _("Provinsi")
        REGENCY = "kabupaten", _("Kabupaten")
        CITY = "kota", _("Kota")
        DISTRICT = "kecamatan", _("Kecamatan")
        DESA = "desa", _("Desa")
        KELURAHAN = "kelurahan", _("Kelurahan")

    code = RegionCodeField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", db_constraint=False
    )

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "name"])]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.code})"

    @property
    def display_name(self) -> str:
        """The name as people write it: ``Kab. Gianyar``, ``Kec. Sukawati``, ``Desa Batubulan``."""
        prefix = {
            self.Kind.DISTRICT: "Kec.",
            self.Kind.DESA: "Desa",
            self.Kind.KELURAHAN: "Kel.",
        }.get(self.kind)
        if self.level in (self.Level.PROVINCE, self.Level.REGENCY):
            # The current list writes ``Kabupaten Gianyar``; the former one ``KAB. GIANYAR``.
            name = self.name.title().replace("Dki", "DKI") if self.name.isupper() else self.name
            for long, short in (("Kabupaten Administrasi ", "Kab. Adm. "), ("Kabupaten ", "Kab. ")):
                if name.startswith(long):
                    return short + name[len(long) :]
            return name
        return f"{prefix} {self.name}" if prefix else self.name

    @property
    def is_desa(self) -> bool:
        return self.kind == self.Kind.DESA


class CodeChange(models.Model):
    """Old code → new code: a region of the former list whose code the current list does
    not have, and the region it is now (Kab. Merauke ``91.01`` → ``93.01``).

    Filled by ``lindung regions load`` from the two pinned lists (``regions.codes``),
    the same on every database, so a fresh database knows every former code too. The load
    moves the records that still name an old code to the new one; the NIK checks accept
    an old code as a NIK's prefix (a NIK keeps its prefix for life) and name its region
    today. ``new_code`` empty: the region has no successor in the current list.
    """

    old_code = RegionCodeField(_("kode lama"), max_length=13, unique=True)
    old_name = models.CharField(_("nama lama"), max_length=120)
    new_code = RegionCodeField(_("kode baru"), max_length=13, blank=True, db_index=True)
    new_name = models.CharField(_("nama baru"), max_length=120, blank=True)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Region.Level.choices)
    source = models.CharField(_("sumber"), max_length=120)
    recorded_on = models.DateField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("perubahan kode wilayah")
        verbose_name_plural = _("perubahan kode wilayah")
        ordering = ["old_code"]

    def __str__(self) -> str:
        return f"{self.old_code} → {self.new_code or '—'}"
