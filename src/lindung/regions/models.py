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
            return self.name.title().replace("Kab. ", "Kab. ").replace("Dki", "DKI")
        return f"{prefix} {self.name}" if prefix else self.name

    @property
    def is_desa(self) -> bool:
        return self.kind == self.Kind.DESA
