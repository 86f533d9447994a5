"""Dated contribution rate tables. Rates change by regulation, so they are rows, not constants.

This is the minimal BPU (informal worker) table the sponsorship programs need to commit a
budget. The billing work extends it (formal-sector tables, relief rules such as PP 50/2025);
keep one row per version and never edit a version that has been used: add a new one.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BpuRateVersion(models.Model):
    """The BPU rates in force from ``effective_from`` until the next version starts.

    Percentages are stored in basis points (1% = 100) so money stays integer arithmetic.
    The declared income is first put in its bracket: incomes below ``income_floor`` count
    as the floor, above it they are rounded down to a multiple of ``income_step``.
    """

    effective_from = models.DateField(_("berlaku mulai"), unique=True)
    jkk_rate_bp = models.PositiveIntegerField(
        _("JKK (basis poin dari penghasilan)"), help_text=_("1% = 100")
    )
    jkk_min = models.PositiveIntegerField(_("JKK paling sedikit (Rp)"))
    jkk_max = models.PositiveIntegerField(_("JKK paling banyak (Rp)"))
    jkm_amount = models.PositiveIntegerField(_("JKM per bulan (Rp)"))
    jht_rate_bp = models.PositiveIntegerField(
        _("JHT (basis poin dari penghasilan)"), help_text=_("2% = 200")
    )
    income_floor = models.PositiveIntegerField(_("golongan penghasilan terendah (Rp)"))
    income_step = models.PositiveIntegerField(_("langkah golongan penghasilan (Rp)"))
    legal_basis = models.CharField(_("dasar hukum"), max_length=255)
    notes = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("versi tarif iuran BPU")
        verbose_name_plural = _("versi tarif iuran BPU")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(jkk_min__lte=models.F("jkk_max")),
                name="bpu_rate_jkk_min_le_max",
            ),
            models.CheckConstraint(
                condition=models.Q(income_step__gt=0), name="bpu_rate_step_gt_0"
            ),
        ]

    def __str__(self) -> str:
        return f"BPU {self.effective_from:%d/%m/%Y} ({self.legal_basis})"
