"""Region boundaries for the dashboards' maps: one simplified outline per region code.

A regency loads its own boundary file (GeoJSON or TopoJSON, e.g. from the national
geospatial agency's administrative boundaries); the dashboards draw their maps from these
rows on the server, so no tile server and nothing from a CDN is needed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionBoundary(models.Model):
    """The outline of one region, simplified when loaded (a few dozen points a village),
    in longitude/latitude degrees rounded to 5 decimals (about a metre).

    ``polygons`` is a list of polygons, each a list of rings (the outer ring first), each
    a list of ``[lon, lat]``. The bounding box is kept beside it so a map can be framed
    without reading every point twice. Keyed by region code and not by a foreign key: the
    outline belongs to the code, as the boundary file names it.
    """

    region_code = models.CharField(_("kode wilayah"), max_length=13, unique=True)
    level = models.PositiveSmallIntegerField(_("tingkat"))
    parent_code = models.CharField(_("kode wilayah induk"), max_length=13, db_index=True)
    polygons = models.JSONField(_("batas"))
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    points = models.PositiveIntegerField(_("jumlah titik"))
    source = models.CharField(_("sumber"), max_length=200)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("batas wilayah")
        verbose_name_plural = _("batas wilayah")
        ordering = ["region_code"]

    def __str__(self) -> str:
        return f"{self.region_code} ({self.points})"
