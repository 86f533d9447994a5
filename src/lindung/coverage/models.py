"""The coverage summary's tables: the dated deltas the dashboards read, and the villages
whose deltas wait to be recomputed.

Both tables were created by the ``targets`` app and keep their names (``targets_tally``,
``targets_dirtyvillage``): the database triggers and the summary's rebuild name them, and a
rename would rewrite a table of tens of millions of rows for nothing.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tally(models.Model):
    """The summary: dated changes of a count, per region at every level.

    A count at date D is the sum of ``delta`` over the rows with ``day <= D``: a worker
    covered from 1 January to 30 June is +1 on 1 January and -1 on 1 July. Rows exist for
    villages (level 4) and for every region above them (district 3, regency 2, province 1,
    the whole country 0 with ``region_code = ""``), so a regency's figures are read from
    its own rows, never summed from its villages at request time.

    ``measure`` is what is counted, ``dim`` the breakdown (``""`` for the total) and
    ``item`` the value of the breakdown (a category code, a sex, an occupation id…); a
    breakdown of a breakdown joins both with ``/`` (``fund/cat``, ``apbd/kader_desa``).
    """

    region_code = models.CharField(max_length=13)
    level = models.PositiveSmallIntegerField()
    parent_code = models.CharField(max_length=13)
    measure = models.CharField(max_length=6)
    dim = models.CharField(max_length=12)
    item = models.CharField(max_length=40)
    day = models.DateField()
    delta = models.BigIntegerField()

    class Meta:
        db_table = "targets_tally"  # created by the targets app, before the split
        verbose_name = _("ringkasan")
        verbose_name_plural = _("ringkasan")
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "measure", "dim", "item", "day"], name="tally_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["parent_code", "measure", "dim", "day"], name="tally_children"),
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.measure}/{self.dim}/{self.item} {self.day}: {self.delta}"


class DirtyVillage(models.Model):
    """A village whose summary rows may be stale. Written by database triggers in the same
    transaction as the change (see the migration), consumed by ``summary.refresh``."""

    id = models.BigAutoField(primary_key=True)
    village_code = models.CharField(max_length=13)

    class Meta:
        db_table = "targets_dirtyvillage"  # as above; the triggers write into it by name
        verbose_name = _("desa menunggu ringkasan")
        verbose_name_plural = _("desa menunggu ringkasan")

    def __str__(self) -> str:
        return self.village_code


class FiguresVersion(models.Model):
    """One row: a number that grows whenever the figures a dashboard shows may have
    changed — a refresh or rebuild of the summary, a workforce figure, target or reported
    count saved, a program, bill or payment written. Computed figures are kept under the
    number they were computed at (:mod:`lindung.coverage.cache`), so every web process
    knows from one indexed read whether what it kept is still true."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("versi angka dasbor")
        verbose_name_plural = _("versi angka dasbor")

    def __str__(self) -> str:
        return str(self.value)


class FormalTally(models.Model):
    """The employers' summary: dated changes of the formal-coverage figures, per region at
    every level, in total and by KBLI section and by size class.

    An employer counts from the day its workers were counted (``workers_as_of``) until it
    closed; its registered workers from the later of that day and the day of its
    registration figure; it is *reached* from the later of that day and its first outreach.
    Each of those spells is +value on its first day and -value on its closing day, so a
    figure at D is the sum over the rows with ``day <= D`` (``lindung.coverage.formal``).
    The compliance status splits the employers into registered (or partly) and not: the
    ``registered_employers``, ``reached_registered`` and ``reached_workers`` columns count
    only the registered ones.

    ``dim`` is the breakdown, as in the workers' summary: ``""`` the region's total, ``sec``
    by KBLI section, ``size`` by size class, with ``item`` its value (``""`` for the total).
    Every change is written twice: on its own day (``span`` ``d``) and on the first day of
    its month (``span`` ``m``). A read at D sums the month rows before D's month and the day
    rows of D's month up to D: a province's figures are then about a thousand rows, however
    many employers it has, and still exact to the day. Rows exist for villages (level 4),
    the district, regency and province above them (3, 2, 1) and the whole country (0,
    ``region_code = ""``); a region's breakdowns are its own rows, its children's totals
    their ``dim = ""`` rows (``parent_code``).
    """

    region_code = models.CharField(max_length=13)
    level = models.PositiveSmallIntegerField()
    parent_code = models.CharField(max_length=13)
    dim = models.CharField(max_length=4)  # "", "sec", "size"
    item = models.CharField(max_length=6)  # the section or size class; "" for the total
    span = models.CharField(max_length=1)  # "d" the day's changes, "m" the month's
    day = models.DateField()
    employers = models.BigIntegerField(default=0)  # known by the day and not closed
    total_workers = models.BigIntegerField(default=0)  # their workers
    registered_workers = models.BigIntegerField(default=0)  # counted by the day
    registered_employers = models.BigIntegerField(default=0)  # registered or partly
    reached = models.BigIntegerField(default=0)  # employers reached by outreach
    reached_registered = models.BigIntegerField(default=0)  # of those, registered
    reached_workers = models.BigIntegerField(default=0)  # registered, at those

    class Meta:
        verbose_name = _("ringkasan pemberi kerja")
        verbose_name_plural = _("ringkasan pemberi kerja")
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "dim", "item", "span", "day"], name="formal_tally_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["parent_code", "dim", "span", "day"], name="formal_tally_children"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.dim}/{self.item} {self.span}{self.day}: {self.employers}"


class FormalDirtyVillage(models.Model):
    """A village whose employers' summary rows may be stale: written by database triggers on
    the employers in the same transaction as the change, consumed by
    ``formal_summary.refresh``."""

    id = models.BigAutoField(primary_key=True)
    village_code = models.CharField(max_length=13)

    class Meta:
        verbose_name = _("desa menunggu ringkasan pemberi kerja")
        verbose_name_plural = _("desa menunggu ringkasan pemberi kerja")

    def __str__(self) -> str:
        return self.village_code
