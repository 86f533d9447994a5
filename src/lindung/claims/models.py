"""Dated benefit tables (JKM, JKK) and the claims of sponsored workers.

A benefit figure changes by regulation, so, like the contribution rates
(``contributions.models``), it is a row with its effective date and legal basis, never a
constant in code. The estimator (``claims.benefits``) picks the version in force on the
date of the event. Sources of every figure: ``docs/claims.md``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lindung.privacy.history import tracked_history


class BenefitRule(models.Model):
    """The JKM and JKK benefits in force from ``effective_from`` until the next version.

    Amounts are integer rupiah; the JKK income multiples are multiples of the declared
    monthly income the contributions were computed on.
    """

    effective_from = models.DateField(_("berlaku mulai"), unique=True)
    # JKM: death not caused by work.
    jkm_lump_sum = models.PositiveBigIntegerField(_("JKM santunan sekaligus (Rp)"))
    jkm_periodic = models.PositiveBigIntegerField(_("JKM santunan berkala (Rp)"))
    jkm_funeral = models.PositiveBigIntegerField(_("JKM biaya pemakaman (Rp)"))
    bpu_early_death_months = models.PositiveSmallIntegerField(
        _("BPU: masa kepesertaan awal (bulan)"),
        default=0,
        help_text=_("0: tidak ada aturan masa awal. Meninggal di masa ini: santunan khusus."),
    )
    bpu_early_death_amount = models.PositiveBigIntegerField(
        _("BPU: santunan bila meninggal di masa awal (Rp)"), default=0
    )
    scholarship_max = models.PositiveBigIntegerField(_("beasiswa paling banyak (Rp)"))
    scholarship_children = models.PositiveSmallIntegerField(_("beasiswa untuk anak paling banyak"))
    scholarship_min_months = models.PositiveSmallIntegerField(
        _("JKM: beasiswa setelah iuran (bulan)")
    )
    # JKK: work accident (commuting included).
    jkk_death_multiple = models.PositiveSmallIntegerField(_("JKK meninggal: kali penghasilan"))
    jkk_funeral = models.PositiveBigIntegerField(_("JKK biaya pemakaman (Rp)"))
    jkk_periodic = models.PositiveBigIntegerField(_("JKK santunan berkala (Rp)"))
    jkk_disability_multiple = models.PositiveSmallIntegerField(
        _("JKK cacat total tetap: kali penghasilan")
    )
    jkk_care = models.CharField(_("JKK perawatan"), max_length=200)
    legal_basis = models.CharField(_("dasar hukum"), max_length=255)
    notes = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("versi tabel manfaat")
        verbose_name_plural = _("versi tabel manfaat")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.effective_from:%d/%m/%Y} ({self.legal_basis})"
