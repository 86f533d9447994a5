"""Workforce denominators and coverage targets: the figures people enter.

Three kinds of rows are entered by people (or imported from their spreadsheets):

- :class:`WorkforceFigure`: how many workers a region has, for a year and a segment, with
  the definition and the source of the figure. The coverage rate depends on it entirely
  (BPS's *penduduk bekerja* and a regency's own *total tenaga kerja* give Jembrana 34% or
  52%), so a figure is never shown without its definition and source, and a region
  without one shows no rate at all.
- :class:`Target`: what a region aims at in a year, as a count or a rate, per segment.
- :class:`ReportedCoverage`: active participants the insurer reports that Lindung's
  registry does not hold (formal workers registered by their employers, BPU members who
  signed up on their own), so the numerator covers the same population as the denominator.

What the registry counts against them is kept in the coverage summary
(:mod:`lindung.coverage`).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Segment(models.TextChoices):
    TOTAL = "total", _("Semua pekerja")
    FORMAL = "formal", _("Formal (penerima upah)")
    INFORMAL = "informal", _("Informal (bukan penerima upah)")


class Definition(models.TextChoices):
    """What a workforce figure counts. The first ones are preferred as the denominator."""

    EMPLOYED = "penduduk_bekerja", _("Penduduk bekerja (BPS, Sakernas)")
    LABOUR_FORCE = "angkatan_kerja", _("Angkatan kerja (BPS, Sakernas)")
    LOCAL_TOTAL = "total_tenaga_kerja", _("Total tenaga kerja (data pemerintah daerah)")
    OTHER = "lainnya", _("Definisi lain (lihat sumber)")


# The denominator used when a region has figures of several definitions for one year: the
# insurer and the Home Affairs ministry divide by BPS's employed persons.
DEFINITION_PRIORITY = [d.value for d in Definition]


class Metric(models.TextChoices):
    SPONSORED = "sponsored", _("Pekerja dibiayai dalam tahun (jumlah)")
    COVERED = "covered", _("Pekerja terlindungi (jumlah)")
    RATE = "rate", _("Tingkat cakupan (%)")


class WorkforceFigure(models.Model):
    region = models.ForeignKey(
        "regions.Region",
        models.PROTECT,
        related_name="+",
        verbose_name=_("wilayah"),
        db_constraint=False,
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    segment = models.CharField(_("segmen"), max_length=8, choices=Segment.choices)
    definition = models.CharField(_("definisi"), max_length=20, choices=Definition.choices)
    count = models.PositiveBigIntegerField(_("jumlah pekerja"))
    source = models.CharField(
        _("sumber"), max_length=255, help_text=_("mis. BPS, Sakernas Agustus 2023")
    )
    note = models.TextField(_("catatan"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("angka angkatan kerja")
        verbose_name_plural = _("angka angkatan kerja")
        ordering = ["region", "-year", "segment", "definition"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "segment", "definition"], name="workforce_unique"
            ),
            models.CheckConstraint(condition=Q(count__gt=0), name="workforce_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year} {self.segment}: {self.count}"


class Target(models.Model):
    """A goal of a region for a year. Rates are stored in basis points (40% = 4000)."""

    region = models.ForeignKey(
        "regions.Region",
        models.PROTECT,
        related_name="+",
        verbose_name=_("wilayah"),
        db_constraint=False,
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    segment = models.CharField(_("segmen"), max_length=8, choices=Segment.choices)
    metric = models.CharField(_("ukuran"), max_length=10, choices=Metric.choices)
    value = models.PositiveBigIntegerField(_("nilai"))
    note = models.CharField(_("dasar / catatan"), max_length=255, blank=True)
    parent = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("dibagi dari"),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("target")
        ordering = ["region", "-year", "segment", "metric"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "segment", "metric"], name="target_unique"
            ),
            models.CheckConstraint(
                condition=~Q(metric="rate") | Q(value__lte=10000), name="target_rate_le_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year} {self.segment} {self.metric}: {self.value}"

    @property
    def is_rate(self) -> bool:
        return self.metric == Metric.RATE


class ReportedCoverage(models.Model):
    """Active participants outside Lindung's registry, as the insurer reported them."""

    region = models.ForeignKey(
        "regions.Region",
        models.PROTECT,
        related_name="+",
        verbose_name=_("wilayah"),
        db_constraint=False,
    )
    segment = models.CharField(
        _("segmen"),
        max_length=8,
        choices=[
            (Segment.FORMAL.value, Segment.FORMAL.label),
            (Segment.INFORMAL.value, Segment.INFORMAL.label),
        ],
    )
    as_of = models.DateField(_("per tanggal"))
    count = models.PositiveBigIntegerField(_("peserta aktif di luar registri"))
    source = models.CharField(
        _("sumber"), max_length=255, help_text=_("mis. laporan kepesertaan BPJS Cabang Jembrana")
    )
    note = models.TextField(_("catatan"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("peserta menurut laporan")
        verbose_name_plural = _("peserta menurut laporan")
        ordering = ["region", "segment", "-as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "segment", "as_of"], name="reported_coverage_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.segment} {self.as_of}: {self.count}"
